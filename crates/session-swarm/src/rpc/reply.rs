//! What a status and body mean: success, "wrong swarm, here is the right one", or a failure.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::rpc::json::malformed;
use crate::rpc::snode::SwarmResult;

/// The outcome of one storage RPC (or one batch subrequest), classified by status.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply<T = Value> {
    /// 2xx: the body, parsed.
    Ok(T),
    /// 421: the account lives in another swarm; replace the cached swarm with this one.
    WrongSwarm(SwarmResult),
    /// Any other status.
    Failed(Failure),
}

impl<T> Reply<T> {
    /// The body on success; every other outcome as [`Error::Status`].
    ///
    /// # Errors
    ///
    /// [`Error::Status`] with the status and the body text (421 included).
    pub fn into_result(self) -> Result<T> {
        match self {
            Self::Ok(value) => Ok(value),
            Self::WrongSwarm(_) => Err(Error::Status {
                status: 421,
                body: "misdirected: the account is in another swarm".to_owned(),
            }),
            Self::Failed(failure) => Err(Error::Status {
                status: failure.status,
                body: failure.text,
            }),
        }
    }

    /// Applies `parse` to a success.
    ///
    /// # Errors
    ///
    /// Whatever `parse` returns.
    pub fn try_map<U>(self, parse: impl FnOnce(T) -> Result<U>) -> Result<Reply<U>> {
        Ok(match self {
            Self::Ok(value) => Reply::Ok(parse(value)?),
            Self::WrongSwarm(swarm) => Reply::WrongSwarm(swarm),
            Self::Failed(failure) => Reply::Failed(failure),
        })
    }
}

impl Reply {
    /// Classifies an HTTP status and body from `/storage_rpc/v1` (or the decrypted
    /// `status`/`body` of an onion response).
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] if a 2xx body is not JSON.
    pub fn from_http(status: u16, body: &[u8]) -> Result<Self> {
        let parsed = serde_json::from_slice::<Value>(body).ok();
        if (200..300).contains(&status) {
            return parsed
                .map(Reply::Ok)
                .ok_or_else(|| malformed("a successful response is not JSON"));
        }
        let text = String::from_utf8_lossy(body).into_owned();
        Ok(Self::failure(status, parsed, text))
    }

    /// Classifies a batch subresult's `code` and `body` (a JSON value, or a string for
    /// errors). A string body that holds JSON (onion responses double-encode) is decoded.
    pub fn from_value(code: u16, body: Value) -> Self {
        let body = match body {
            Value::String(text) => match serde_json::from_str::<Value>(&text) {
                Ok(inner @ (Value::Object(_) | Value::Array(_))) => inner,
                _ => Value::String(text),
            },
            other => other,
        };
        if (200..300).contains(&code) {
            return Self::Ok(body);
        }
        let text = match &body {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        Self::failure(code, Some(body), text)
    }

    /// A non-2xx: 421 with a parsable swarm becomes [`Reply::WrongSwarm`].
    fn failure(status: u16, json: Option<Value>, text: String) -> Self {
        if status == 421
            && let Some(swarm) = json.as_ref().and_then(|v| SwarmResult::from_body(v).ok())
        {
            return Self::WrongSwarm(swarm);
        }
        let json = json.filter(|v| v.is_object() || v.is_array());
        Self::Failed(Failure { status, json, text })
    }
}

/// A storage RPC that did not succeed.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The status.
    pub status: u16,
    /// The body, when it is a JSON object or array: a recursive request whose every
    /// member failed (500) or a `delete` with `required` that deleted nothing (404) still
    /// carries the per-member results, which the request's parser reads.
    pub json: Option<Value>,
    /// The body as text (the server's error message).
    pub text: String,
}

/// What a failure's status means for the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// 400: the request is malformed; retrying the same bytes cannot help.
    BadRequest,
    /// 401: missing or bad signature (also a revoked subaccount, a kicked group member).
    Unauthorized,
    /// 403: TTL out of range or a feature not active on the network.
    Forbidden,
    /// 404: nothing matched (`delete` with `required`).
    NotFound,
    /// 406 or 425: the request's clock is too far from the node's; resync from `t`.
    ClockOutOfSync,
    /// 413: the body is over 10 MiB.
    TooLarge,
    /// 421 whose body was not a usable swarm.
    WrongSwarm,
    /// 429: rate limited.
    RateLimited,
    /// 500: every swarm member failed, or the node failed.
    ServerError,
    /// 502, 503, 504: the node (or the onion path) could not serve it; try another node.
    Unavailable,
    /// Anything else.
    Other,
}

impl Failure {
    /// What the status means.
    pub const fn kind(&self) -> FailureKind {
        match self.status {
            400 => FailureKind::BadRequest,
            401 => FailureKind::Unauthorized,
            403 => FailureKind::Forbidden,
            404 => FailureKind::NotFound,
            406 | 425 => FailureKind::ClockOutOfSync,
            413 => FailureKind::TooLarge,
            421 => FailureKind::WrongSwarm,
            429 => FailureKind::RateLimited,
            500 => FailureKind::ServerError,
            502..=504 => FailureKind::Unavailable,
            _ => FailureKind::Other,
        }
    }
}
