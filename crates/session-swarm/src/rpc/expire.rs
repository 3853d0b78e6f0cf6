//! `expire`: set, shorten or extend the expiry of messages by hash.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::rpc::auth::Signer;
use crate::rpc::call::Call;
use crate::rpc::json::{self, malformed};
use crate::rpc::member::{Members, Signed, parse_members};
use crate::rpc::meta::Meta;
use crate::rpc::request::Request;
use crate::rpc::signed::{self, ExpireMode};

/// An `expire` request. The expiries are absolute, so it takes no clock (the server refuses
/// any earlier than its clock − 60 s).
#[derive(Clone, Debug)]
pub struct Expire {
    request: Request,
    account_hex: String,
    hashes: Vec<String>,
    mode: ExpireMode,
}

impl Expire {
    /// Sets the expiry of every message in `hashes` to `expiry_ms`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty list.
    pub fn new<S: AsRef<str>>(
        signer: &Signer,
        hashes: &[S],
        expiry_ms: u64,
        mode: ExpireMode,
    ) -> Result<Self> {
        Self::build(signer, hashes, &[expiry_ms], mode)
    }

    /// One expiry per message (`expiries_ms[i]` for `hashes[i]`; needs hard fork 19.4).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty list or lists of different lengths.
    pub fn multi<S: AsRef<str>>(
        signer: &Signer,
        hashes: &[S],
        expiries_ms: &[u64],
        mode: ExpireMode,
    ) -> Result<Self> {
        if expiries_ms.len() != hashes.len() {
            return Err(Error::InvalidRequest(
                "one expiry per message hash".to_owned(),
            ));
        }
        Self::build(signer, hashes, expiries_ms, mode)
    }

    /// The request with its signature; one expiry is sent as a number.
    fn build<S: AsRef<str>>(
        signer: &Signer,
        hashes: &[S],
        expiries_ms: &[u64],
        mode: ExpireMode,
    ) -> Result<Self> {
        if hashes.is_empty() {
            return Err(Error::InvalidRequest(
                "expire needs message hashes".to_owned(),
            ));
        }
        let hashes: Vec<String> = hashes.iter().map(|h| h.as_ref().to_owned()).collect();
        let mut params = Map::new();
        params.insert("messages".to_owned(), hashes.clone().into());
        let expiry = match expiries_ms {
            [one] => Value::from(*one),
            many => Value::from(many.to_vec()),
        };
        params.insert("expiry".to_owned(), expiry);
        match mode {
            ExpireMode::Any => {}
            ExpireMode::Shorten => {
                params.insert("shorten".to_owned(), true.into());
            }
            ExpireMode::Extend => {
                params.insert("extend".to_owned(), true.into());
            }
        }
        signer.authenticate(&mut params, &signed::expire(mode, expiries_ms, &hashes));
        Ok(Self {
            request: Request::new("expire", params),
            account_hex: signer.account().to_hex(),
            hashes,
            mode,
        })
    }
}

/// One member's expiry update.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ExpireEntry {
    /// The hashes it updated, sorted.
    pub updated: Vec<String>,
    /// The applied expiry: one value, or (multi mode) one per updated hash.
    pub expiries: Vec<u64>,
    /// With shorten/extend: the messages left alone, with their current expiry.
    pub unchanged: BTreeMap<String, u64>,
}

/// The answer to `expire`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpireResult {
    /// Per member, what it updated.
    pub members: Members<ExpireEntry>,
    /// The entry node's clock and hard fork.
    pub meta: Meta,
}

impl Call for Expire {
    type Output = ExpireResult;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<ExpireResult> {
        let members = parse_members(body, |entry| self.entry(entry))?;
        Ok(ExpireResult {
            members,
            meta: Meta::from_body(body),
        })
    }
}

impl Expire {
    /// A member's entry, signed over `PUBKEY_HEX ‖ EXPIRY ‖ requested… ‖ updated… ‖
    /// (hash ‖ expiry for each unchanged, by hash)`, EXPIRY the single value or the
    /// concatenated per-message values.
    fn entry(&self, map: &Map<String, Value>) -> Result<Signed<ExpireEntry>> {
        let updated = json::strings(map, "updated")?;
        let expiries = match json::field(map, "expiry")? {
            Value::Array(items) => items
                .iter()
                .map(|item| {
                    item.as_u64()
                        .ok_or_else(|| malformed("`expiry` holds a non-number"))
                })
                .collect::<Result<Vec<_>>>()?,
            other => vec![
                other
                    .as_u64()
                    .ok_or_else(|| malformed("`expiry` is not a number"))?,
            ],
        };
        let mut unchanged = BTreeMap::new();
        if let Some(listed) = map.get("unchanged") {
            for (hash, expiry) in json::object(listed, "unchanged")? {
                let expiry = expiry
                    .as_u64()
                    .ok_or_else(|| malformed("`unchanged` holds a non-number"))?;
                unchanged.insert(hash.clone(), expiry);
            }
        }
        let mut message = self.account_hex.clone();
        expiries
            .iter()
            .for_each(|e| message.push_str(&e.to_string()));
        self.hashes.iter().for_each(|hash| message.push_str(hash));
        updated.iter().for_each(|hash| message.push_str(hash));
        // Only shorten/extend requests report (and sign) the unchanged ones.
        if self.mode != ExpireMode::Any {
            for (hash, expiry) in &unchanged {
                message.push_str(hash);
                message.push_str(&expiry.to_string());
            }
        }
        let entry = ExpireEntry {
            updated,
            expiries,
            unchanged,
        };
        Ok((entry, message.into_bytes()))
    }
}
