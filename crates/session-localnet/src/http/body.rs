//! Reading a request body under the 10 MiB limit, whether its length is announced or it
//! arrives chunked.

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// It is longer than the limit (answered with 413).
    TooLarge,
    /// The connection failed or the client sent a malformed body (no answer possible).
    Broken,
}

/// Reads all of `body`, refusing more than `limit` bytes.
pub(crate) async fn collect_limited(body: Incoming, limit: usize) -> Result<Bytes, BodyError> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
            Err(BodyError::TooLarge)
        }
        Err(_) => Err(BodyError::Broken),
    }
}
