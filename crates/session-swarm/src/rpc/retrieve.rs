//! `retrieve`: read an account's messages in one namespace, oldest first, after a hash.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::rpc::auth::Auth;
use crate::rpc::call::Call;
use crate::rpc::json::{self, malformed};
use crate::rpc::meta::Meta;
use crate::rpc::namespace::allows_anonymous_retrieve;
use crate::rpc::request::Request;
use crate::rpc::signed;

/// A `retrieve` request.
#[derive(Clone, Debug)]
pub struct Retrieve {
    request: Request,
}

impl Retrieve {
    /// Reads `namespace` of the account of `auth`, signed at `now_ms` (network clock).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an anonymous retrieve of a namespace that needs a
    /// signature (anything but -10 and the public outboxes).
    pub fn new(auth: Auth<'_>, namespace: i16, now_ms: u64) -> Result<Self> {
        let mut params = Map::new();
        params.insert("namespace".to_owned(), namespace.into());
        match auth {
            Auth::Anonymous(account) => {
                if !allows_anonymous_retrieve(namespace) {
                    return Err(Error::InvalidRequest(format!(
                        "namespace {namespace} needs a signed retrieve"
                    )));
                }
                params.insert("pubkey".to_owned(), account.to_hex().into());
            }
            Auth::Signed(signer) => {
                params.insert("timestamp".to_owned(), now_ms.into());
                signer.authenticate(&mut params, &signed::retrieve(namespace, now_ms));
            }
        }
        Ok(Self {
            request: Request::new("retrieve", params),
        })
    }

    /// Only messages after `hash` (the last one seen from this node); empty = from the start.
    #[must_use]
    pub fn last_hash(mut self, hash: &str) -> Self {
        self.set("last_hash", hash.into());
        self
    }

    /// At most `count` messages.
    #[must_use]
    pub fn max_count(mut self, count: u32) -> Self {
        self.set("max_count", count.into());
        self
    }

    /// At most `bytes` of (base64-estimated) response; negative `-k` = 1/k of the node's
    /// budget (clients use -2 for namespaces 0 and 11, -8 for the rest).
    #[must_use]
    pub fn max_size(mut self, bytes: i64) -> Self {
        self.set("max_size", bytes.into());
        self
    }

    /// Sets an unsigned parameter (none of these is covered by the signature).
    fn set(&mut self, key: &str, value: Value) {
        let mut params = self.request.params().clone();
        params.insert(key.to_owned(), value);
        self.request = Request::new(self.request.method(), params);
    }
}

/// One retrieved message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetrievedMessage {
    /// Its hash.
    pub hash: String,
    /// Its store timestamp, ms.
    pub timestamp: u64,
    /// When it expires, ms (the server's key is `expiration`).
    pub expiration: u64,
    /// Its data, decoded from base64.
    pub data: Vec<u8>,
}

/// The answer to a `retrieve`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetrieveResult {
    /// The messages, in storage order.
    pub messages: Vec<RetrievedMessage>,
    /// More are waiting (ask again from the last hash).
    pub more: bool,
    /// The node's clock and hard fork.
    pub meta: Meta,
}

impl Call for Retrieve {
    type Output = RetrieveResult;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<RetrieveResult> {
        let map = json::object(body, "retrieve response")?;
        let messages = json::field(map, "messages")?
            .as_array()
            .ok_or_else(|| malformed("`messages` is not an array"))?
            .iter()
            .map(message)
            .collect::<Result<Vec<_>>>()?;
        Ok(RetrieveResult {
            messages,
            more: json::flag(map, "more"),
            meta: Meta::from_body(body),
        })
    }
}

/// One `{hash, timestamp, expiration, data}`.
fn message(value: &Value) -> Result<RetrievedMessage> {
    let map = json::object(value, "message")?;
    Ok(RetrievedMessage {
        hash: json::str_field(map, "hash")?.to_owned(),
        timestamp: json::u64_field(map, "timestamp")?,
        expiration: json::u64_field(map, "expiration")?,
        data: json::base64(json::str_field(map, "data")?, "data")?,
    })
}
