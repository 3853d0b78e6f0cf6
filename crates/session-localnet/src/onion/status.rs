//! The status codes a relaying node passes back from the next hop (`http::from_code`):
//! the ones it knows keep their value, any other becomes 500.

/// `code` as the relaying node reports it.
pub(crate) const fn relayed_status(code: u16) -> u16 {
    match code {
        200 | 400 | 401 | 403 | 404 | 406 | 410 | 413 | 421 | 429 | 502 | 503 | 504 => code,
        _ => 500,
    }
}
