//! `info`: a node's version and clock (also a cheap liveness probe).

use serde_json::{Map, Value};

use crate::error::Result;
use crate::rpc::call::Call;
use crate::rpc::json::{self, malformed};
use crate::rpc::meta::Meta;
use crate::rpc::request::Request;

/// An `info` request (no parameters, no clock).
#[derive(Clone, Debug)]
pub struct Info {
    request: Request,
}

impl Info {
    /// The request.
    pub fn new() -> Self {
        Self {
            request: Request::new("info", Map::new()),
        }
    }
}

impl Default for Info {
    fn default() -> Self {
        Self::new()
    }
}

/// The answer to `info`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InfoResult {
    /// The storage server version, e.g. `[2, 8, 0]`.
    pub version: Vec<u16>,
    /// The node's clock, ms.
    pub timestamp: u64,
    /// `t` and `hf`.
    pub meta: Meta,
}

impl Call for Info {
    type Output = InfoResult;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<InfoResult> {
        let map = json::object(body, "info response")?;
        let version = json::field(map, "version")?
            .as_array()
            .ok_or_else(|| malformed("`version` is not an array"))?
            .iter()
            .map(|part| {
                part.as_u64()
                    .and_then(|n| u16::try_from(n).ok())
                    .ok_or_else(|| malformed("`version` holds a non-number"))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(InfoResult {
            version,
            timestamp: json::u64_field(map, "timestamp")?,
            meta: Meta::from_body(body),
        })
    }
}
