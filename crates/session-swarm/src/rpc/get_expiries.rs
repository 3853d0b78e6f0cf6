//! `get_expiries`: the current expiry of messages by hash.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::rpc::auth::Signer;
use crate::rpc::call::Call;
use crate::rpc::json::{self, malformed};
use crate::rpc::meta::Meta;
use crate::rpc::request::Request;
use crate::rpc::signed;

/// A `get_expiries` request.
#[derive(Clone, Debug)]
pub struct GetExpiries {
    request: Request,
}

impl GetExpiries {
    /// The expiries of `hashes`, signed at `now_ms`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty list.
    pub fn new<S: AsRef<str>>(signer: &Signer, hashes: &[S], now_ms: u64) -> Result<Self> {
        if hashes.is_empty() {
            return Err(Error::InvalidRequest(
                "get_expiries needs message hashes".to_owned(),
            ));
        }
        let hashes: Vec<String> = hashes.iter().map(|h| h.as_ref().to_owned()).collect();
        let mut params = Map::new();
        params.insert("messages".to_owned(), hashes.clone().into());
        params.insert("timestamp".to_owned(), now_ms.into());
        signer.authenticate(&mut params, &signed::get_expiries(now_ms, &hashes));
        Ok(Self {
            request: Request::new("get_expiries", params),
        })
    }
}

/// The answer to `get_expiries`: only the messages that exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpiriesResult {
    /// Hash → expiry, ms.
    pub expiries: BTreeMap<String, u64>,
    /// Usually empty: the server adds no `t` here.
    pub meta: Meta,
}

impl Call for GetExpiries {
    type Output = ExpiriesResult;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<ExpiriesResult> {
        let map = json::object(body, "get_expiries response")?;
        let expiries = json::object(json::field(map, "expiries")?, "expiries")?
            .iter()
            .map(|(hash, expiry)| {
                expiry
                    .as_u64()
                    .map(|expiry| (hash.clone(), expiry))
                    .ok_or_else(|| malformed("an expiry is not a number"))
            })
            .collect::<Result<_>>()?;
        Ok(ExpiriesResult {
            expiries,
            meta: Meta::from_body(body),
        })
    }
}
