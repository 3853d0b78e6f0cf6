//! The file server's answers, read sans-IO: statuses to errors, JSON bodies to types.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use session_onion::ServerResponse;

use crate::files::error::FileError;

/// How much of an error body an error message keeps.
const ERROR_BODY_CHARS: usize = 200;

/// An uploaded file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadedFile {
    /// The server's id for it.
    pub id: String,
    /// The URL to download it from, as the clients write it.
    pub url: String,
    /// When the server deletes it unless extended (`None` if the server did not say).
    pub expires: Option<SystemTime>,
}

/// What `extend` reports about a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtendedFile {
    /// The new expiry.
    pub expires: SystemTime,
    /// When it was first uploaded, if the server said.
    pub uploaded: Option<SystemTime>,
    /// Its size in bytes, if the server said.
    pub size: Option<u64>,
}

/// `POST /file`'s body: `{"id", "expires"}` (older servers gave a numeric id).
#[derive(Deserialize)]
struct UploadBody {
    id: serde_json::Value,
    expires: Option<f64>,
}

/// `POST /file/<id>/extend`'s body.
#[derive(Deserialize)]
struct ExtendBody {
    expires: f64,
    uploaded: Option<f64>,
    size: Option<u64>,
}

/// The body of a 2xx answer; 404 and every other status as errors.
pub(crate) fn success(response: ServerResponse) -> Result<Vec<u8>, FileError> {
    match response.status {
        200..=299 => Ok(response.body),
        404 => Err(FileError::NotFound),
        status => Err(FileError::Status {
            status,
            body: String::from_utf8_lossy(&response.body)
                .chars()
                .take(ERROR_BODY_CHARS)
                .collect(),
        }),
    }
}

/// The id and expiry of an upload.
pub(crate) fn uploaded(body: &[u8]) -> Result<(String, Option<SystemTime>), FileError> {
    let parsed: UploadBody = serde_json::from_slice(body)
        .map_err(|e| FileError::Malformed(format!("upload answer: {e}")))?;
    let id = match parsed.id {
        serde_json::Value::String(id) => id,
        serde_json::Value::Number(id) => id.to_string(),
        _ => return Err(FileError::Malformed("upload answer: id".into())),
    };
    Ok((id, parsed.expires.and_then(time)))
}

/// An extend answer.
pub(crate) fn extended(body: &[u8]) -> Result<ExtendedFile, FileError> {
    let parsed: ExtendBody = serde_json::from_slice(body)
        .map_err(|e| FileError::Malformed(format!("extend answer: {e}")))?;
    Ok(ExtendedFile {
        expires: time(parsed.expires)
            .ok_or_else(|| FileError::Malformed("extend answer: expires".into()))?,
        uploaded: parsed.uploaded.and_then(time),
        size: parsed.size,
    })
}

/// Float seconds since the epoch as a time; `None` if negative or not finite.
fn time(seconds: f64) -> Option<SystemTime> {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .and_then(|since| UNIX_EPOCH.checked_add(since))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        let (id, expires) = uploaded(br#"{"id":"abc","expires":1700000000.5}"#).unwrap();
        assert_eq!(id, "abc");
        assert_eq!(
            expires,
            Some(UNIX_EPOCH + Duration::from_millis(1_700_000_000_500))
        );
        assert_eq!(uploaded(br#"{"id":12}"#).unwrap(), ("12".to_owned(), None));
        assert!(uploaded(b"{}").is_err());
        let extended = extended(br#"{"expires":2.0,"uploaded":1.0,"size":5}"#).unwrap();
        assert_eq!(extended.size, Some(5));
        let response = |status| ServerResponse {
            status,
            body: b"{\"status_code\":413}".to_vec(),
            ..ServerResponse::default()
        };
        assert!(matches!(success(response(404)), Err(FileError::NotFound)));
        assert!(matches!(
            success(response(413)),
            Err(FileError::Status { status: 413, .. })
        ));
        assert!(success(response(200)).is_ok());
    }
}
