//! `store`: deposit a message in an account's swarm.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::rpc::auth::Auth;
use crate::rpc::call::Call;
use crate::rpc::json;
use crate::rpc::member::{Members, Signed, parse_members};
use crate::rpc::meta::Meta;
use crate::rpc::namespace::is_public_inbox;
use crate::rpc::request::Request;
use crate::rpc::signed;

/// The largest message the server stores, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 76_800;
/// The shortest TTL the server accepts, in ms.
pub const MIN_TTL_MS: u64 = 10_000;
/// The longest TTL of public-inbox namespaces (`ns % 10 == 0`): 14 days.
pub const MAX_PUBLIC_TTL_MS: u64 = 14 * 24 * 3_600_000;
/// The longest TTL of other namespaces: 30 days.
pub const MAX_PRIVATE_TTL_MS: u64 = 30 * 24 * 3_600_000;

/// How long a stored message lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lifetime {
    /// For this many ms after the message timestamp.
    Ttl(u64),
    /// Until this time (ms since the epoch).
    Expiry(u64),
}

/// A `store` request.
#[derive(Clone, Debug)]
pub struct Store {
    request: Request,
}

impl Store {
    /// Stores `data` in `namespace` of the account of `auth`, timestamped `now_ms` (the
    /// network-adjusted clock), which is also what a signature covers.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for data over [`MAX_MESSAGE_BYTES`], a TTL outside the
    /// namespace's limits, or an anonymous store to a namespace that needs a signature.
    pub fn new(
        auth: Auth<'_>,
        namespace: i16,
        data: &[u8],
        lifetime: Lifetime,
        now_ms: u64,
    ) -> Result<Self> {
        Self::with_timestamp(auth, namespace, data, lifetime, now_ms, now_ms)
    }

    /// Like [`Store::new`] with a message `timestamp_ms` other than the signing time
    /// `now_ms`; the request then carries `sig_timestamp` = `now_ms`.
    ///
    /// # Errors
    ///
    /// As [`Store::new`].
    pub fn with_timestamp(
        auth: Auth<'_>,
        namespace: i16,
        data: &[u8],
        lifetime: Lifetime,
        timestamp_ms: u64,
        now_ms: u64,
    ) -> Result<Self> {
        if data.len() > MAX_MESSAGE_BYTES {
            return Err(Error::InvalidRequest(format!(
                "message of {} bytes exceeds {MAX_MESSAGE_BYTES}",
                data.len()
            )));
        }
        let ttl = match lifetime {
            Lifetime::Ttl(ttl) => Some(ttl),
            Lifetime::Expiry(expiry) => expiry.checked_sub(timestamp_ms),
        };
        let max = if is_public_inbox(namespace) {
            MAX_PUBLIC_TTL_MS
        } else {
            MAX_PRIVATE_TTL_MS
        };
        if !ttl.is_some_and(|ttl| (MIN_TTL_MS..=max).contains(&ttl)) {
            return Err(Error::InvalidRequest(format!(
                "TTL must be {MIN_TTL_MS}..={max} ms in namespace {namespace}"
            )));
        }
        let mut params = Map::new();
        params.insert("namespace".to_owned(), namespace.into());
        params.insert("timestamp".to_owned(), timestamp_ms.into());
        match lifetime {
            Lifetime::Ttl(ttl) => params.insert("ttl".to_owned(), ttl.into()),
            Lifetime::Expiry(expiry) => params.insert("expiry".to_owned(), expiry.into()),
        };
        params.insert("data".to_owned(), STANDARD.encode(data).into());
        match auth {
            Auth::Anonymous(account) => {
                if !is_public_inbox(namespace) {
                    return Err(Error::InvalidRequest(format!(
                        "namespace {namespace} needs a signed store"
                    )));
                }
                params.insert("pubkey".to_owned(), account.to_hex().into());
            }
            Auth::Signed(signer) => {
                if timestamp_ms != now_ms {
                    params.insert("sig_timestamp".to_owned(), now_ms.into());
                }
                signer.authenticate(&mut params, &signed::store(namespace, now_ms));
            }
        }
        Ok(Self {
            request: Request::new("store", params),
        })
    }
}

/// One member's record of the stored message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEntry {
    /// The message hash it computed (and signed).
    pub hash: String,
    /// The message's expiry on that member, ms.
    pub expiry: u64,
    /// The member already had the message (its expiry is the later of the two).
    pub already: bool,
}

/// The answer to a `store`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreResult {
    /// The message hash, as the entry node computed it.
    pub hash: String,
    /// Every member's record, each signature verified.
    pub members: Members<StoredEntry>,
    /// The entry node's clock and hard fork.
    pub meta: Meta,
}

impl Call for Store {
    type Output = StoreResult;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<StoreResult> {
        let map = json::object(body, "store response")?;
        let hash = json::str_field(map, "hash")?.to_owned();
        Ok(StoreResult {
            hash,
            members: parse_members(body, stored_entry)?,
            meta: Meta::from_body(body),
        })
    }
}

/// A member's `{hash, signature, expiry, [already]}`; it signs the hash.
fn stored_entry(map: &Map<String, Value>) -> Result<Signed<StoredEntry>> {
    let hash = json::str_field(map, "hash")?.to_owned();
    let signed = hash.as_bytes().to_vec();
    let entry = StoredEntry {
        expiry: json::u64_field(map, "expiry")?,
        already: json::flag(map, "already"),
        hash,
    };
    Ok((entry, signed))
}
