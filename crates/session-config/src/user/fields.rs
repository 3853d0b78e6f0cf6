//! Field conventions shared by the user configs: how strings, flags and integers are stored
//! (absent rather than empty / zero / false), and the profile picture pair.

use crate::error::{Error, Result};
use crate::value::{Dict, Scalar, Value};

/// Longest display name or nickname, in bytes.
pub const MAX_NAME_LENGTH: usize = 100;

/// Longest profile picture URL, in bytes.
pub const MAX_URL_LENGTH: usize = 223;

/// A profile picture: where to download it and the key to decrypt it with.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct ProfilePic {
    /// The download URL.
    pub url: String,
    /// The 32-byte decryption key.
    pub key: [u8; 32],
}

impl core::fmt::Debug for ProfilePic {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ProfilePic")
            .field("url", &self.url)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl Drop for ProfilePic {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.key);
    }
}

/// A non-empty string, or nothing (libsession's `set_nonempty_str`).
pub(crate) fn nonempty_str(text: &str) -> Option<Value> {
    (!text.is_empty()).then(|| Value::from(text))
}

/// A non-zero integer, or nothing.
pub(crate) fn nonzero(n: i64) -> Option<Value> {
    (n != 0).then(|| Value::from(n))
}

/// A positive integer, or nothing.
pub(crate) fn positive(n: i64) -> Option<Value> {
    (n > 0).then(|| Value::from(n))
}

/// A true flag as 1, or nothing.
pub(crate) fn flag(on: bool) -> Option<Value> {
    on.then(|| Value::from(1))
}

/// Refuses names longer than [`MAX_NAME_LENGTH`].
pub(crate) fn check_name(name: &str) -> Result<()> {
    if name.len() > MAX_NAME_LENGTH {
        return Err(Error::InvalidValue("name exceeds 100 bytes"));
    }
    Ok(())
}

/// Refuses URLs longer than [`MAX_URL_LENGTH`].
pub(crate) fn check_url(url: &str) -> Result<()> {
    if url.len() > MAX_URL_LENGTH {
        return Err(Error::InvalidValue("profile picture URL exceeds 223 bytes"));
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

/// The bytes under `key`, if exactly `N` long.
pub(crate) fn get_array<const N: usize>(dict: &Dict, key: &[u8]) -> Option<[u8; N]> {
    dict.get(key)
        .and_then(Value::as_bytes)
        .and_then(|b| b.try_into().ok())
}

/// The picture stored under `p` (URL) and `q` (key), if both are valid.
pub(crate) fn get_pic(dict: &Dict) -> Option<ProfilePic> {
    let url = get_str(dict, b"p")?;
    let key = get_array::<32>(dict, b"q")?;
    Some(ProfilePic { url, key })
}

/// The values `p` and `q` take for `pic` (both absent for no picture).
pub(crate) fn pic_values(pic: Option<&ProfilePic>) -> Result<(Option<Value>, Option<Value>)> {
    match pic {
        Some(pic) if !pic.url.is_empty() => {
            check_url(&pic.url)?;
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

/// Rewrites the dictionary at `path` through `edit`, keeping keys `edit` does not know (from
/// newer clients); the config is only dirtied if the result differs.
pub(crate) fn update_dict(
    base: &mut crate::base::ConfigBase,
    path: &[&[u8]],
    edit: impl FnOnce(&mut Dict),
) -> Result<()> {
    let mut dict = base
        .get(path)
        .and_then(Value::as_dict)
        .cloned()
        .unwrap_or_default();
    edit(&mut dict);
    base.set(path, Some(Value::Dict(dict)))
}
