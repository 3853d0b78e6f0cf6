//! How the group configs store their fields, as libsession does: absent rather than empty,
//! zero or false, so that two admins holding the same values produce the same bytes.

use session_config::user::{MAX_URL_LENGTH, ProfilePic};
use session_config::{Dict, Error, Result, Scalar, Value};

/// A non-empty string, or nothing.
pub(crate) fn nonempty_str(text: &str) -> Option<Value> {
    (!text.is_empty()).then(|| Value::from(text))
}

/// A positive integer, or nothing.
pub(crate) fn positive(n: i64) -> Option<Value> {
    (n > 0).then(|| Value::from(n))
}

/// A true flag as 1, or nothing.
pub(crate) fn flag(on: bool) -> Option<Value> {
    on.then(|| Value::from(1))
}

/// Refuses text longer than `max` bytes.
pub(crate) fn check_len(text: &str, max: usize, what: &'static str) -> Result<()> {
    if text.len() > max {
        return Err(Error::InvalidValue(what));
    }
    Ok(())
}

/// The string under `key`, if it is valid UTF-8 and not empty.
pub(crate) fn get_str(dict: &Dict, key: &[u8]) -> Option<String> {
    dict.get(key)
        .and_then(Value::as_bytes)
        .and_then(|b| core::str::from_utf8(b).ok())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The integer under `key`, or 0.
pub(crate) fn get_int(dict: &Dict, key: &[u8]) -> i64 {
    dict.get(key).and_then(Value::as_int).unwrap_or(0)
}

/// The picture stored under `p` (URL) and `q` (32-byte key), if both are valid.
pub(crate) fn get_pic(dict: &Dict) -> Option<ProfilePic> {
    let url = get_str(dict, b"p")?;
    let key: [u8; 32] = dict
        .get(b"q".as_slice())
        .and_then(Value::as_bytes)
        .and_then(|b| b.try_into().ok())?;
    Some(ProfilePic { url, key })
}

/// The values `p` and `q` take for `pic` (both absent for no picture).
///
/// # Errors
///
/// [`Error::InvalidValue`] for a URL above [`MAX_URL_LENGTH`] bytes.
pub(crate) fn pic_values(pic: Option<&ProfilePic>) -> Result<(Option<Value>, Option<Value>)> {
    match pic {
        Some(pic) if !pic.url.is_empty() => {
            check_len(
                &pic.url,
                MAX_URL_LENGTH,
                "profile picture URL exceeds 223 bytes",
            )?;
            Ok((
                Some(Value::from(pic.url.as_str())),
                Some(Value::Scalar(Scalar::Bytes(pic.key.to_vec()))),
            ))
        }
        _ => Ok((None, None)),
    }
}

/// Sets `key` in `dict` to `value`, or removes it for `None`.
pub(crate) fn put(dict: &mut Dict, key: &[u8], value: Option<Value>) {
    match value {
        Some(v) => {
            dict.insert(key.to_vec(), v);
        }
        None => {
            dict.remove(key);
        }
    }
}
