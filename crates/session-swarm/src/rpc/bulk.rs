//! `delete_all`, `delete_before` and `expire_all`: act on every message of one namespace
//! (or all), each member answering with the affected hashes.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::Result;
use crate::rpc::auth::Signer;
use crate::rpc::call::Call;
use crate::rpc::json::{self, malformed};
use crate::rpc::member::{Members, Signed, parse_members};
use crate::rpc::meta::Meta;
use crate::rpc::namespace::NamespaceScope;
use crate::rpc::request::Request;
use crate::rpc::signed;

/// A `delete_all`, `delete_before` or `expire_all` request.
#[derive(Clone, Debug)]
pub struct Bulk {
    request: Request,
    account_hex: String,
    /// The time the members sign (timestamp, before or expiry).
    time_ms: u64,
    /// `deleted` or `updated`.
    key: &'static str,
}

impl Bulk {
    /// `delete_all`: deletes every message in `scope`, signed at `now_ms`.
    pub fn delete_all(signer: &Signer, scope: NamespaceScope, now_ms: u64) -> Self {
        let message = signed::delete_all(scope, now_ms);
        Self::build(
            signer,
            "delete_all",
            "timestamp",
            scope,
            now_ms,
            &message,
            "deleted",
        )
    }

    /// `delete_before`: deletes the messages in `scope` timestamped at or before
    /// `before_ms` (which may not be later than the node's clock + 60 s).
    pub fn delete_before(signer: &Signer, scope: NamespaceScope, before_ms: u64) -> Self {
        let message = signed::delete_before(scope, before_ms);
        Self::build(
            signer,
            "delete_before",
            "before",
            scope,
            before_ms,
            &message,
            "deleted",
        )
    }

    /// `expire_all`: moves every later expiry in `scope` down to `expiry_ms` (only shortens).
    pub fn expire_all(signer: &Signer, scope: NamespaceScope, expiry_ms: u64) -> Self {
        let message = signed::expire_all(scope, expiry_ms);
        Self::build(
            signer,
            "expire_all",
            "expiry",
            scope,
            expiry_ms,
            &message,
            "updated",
        )
    }

    /// The request with its signature.
    fn build(
        signer: &Signer,
        method: &'static str,
        time_field: &str,
        scope: NamespaceScope,
        time_ms: u64,
        message: &[u8],
        key: &'static str,
    ) -> Self {
        let mut params = Map::new();
        params.insert("namespace".to_owned(), scope.to_json());
        params.insert(time_field.to_owned(), time_ms.into());
        signer.authenticate(&mut params, message);
        Self {
            request: Request::new(method, params),
            account_hex: signer.account().to_hex(),
            time_ms,
            key,
        }
    }
}

/// One member's affected messages.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Affected {
    /// Every affected hash, sorted.
    pub hashes: Vec<String>,
    /// For `"all"`, the hashes per namespace.
    pub by_namespace: BTreeMap<i16, Vec<String>>,
}

/// The answer to a bulk request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkResult {
    /// Per member, what it deleted or updated.
    pub members: Members<Affected>,
    /// The entry node's clock and hard fork.
    pub meta: Meta,
}

impl Call for Bulk {
    type Output = BulkResult;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<BulkResult> {
        let members = parse_members(body, |entry| self.entry(entry))?;
        Ok(BulkResult {
            members,
            meta: Meta::from_body(body),
        })
    }
}

impl Bulk {
    /// A member's `{deleted|updated, signature}`, the list or a namespace dict, signed over
    /// `PUBKEY_HEX ‖ time ‖ every hash, totally sorted`.
    fn entry(&self, map: &Map<String, Value>) -> Result<Signed<Affected>> {
        let listed = json::field(map, self.key)?;
        let mut affected = Affected::default();
        match listed {
            Value::Object(by_namespace) => {
                for (namespace, hashes) in by_namespace {
                    let namespace: i16 = namespace
                        .parse()
                        .map_err(|_| malformed("namespace key is not a namespace"))?;
                    let hashes = json::string_list(hashes, self.key)?;
                    affected.hashes.extend(hashes.iter().cloned());
                    affected.by_namespace.insert(namespace, hashes);
                }
            }
            other => affected.hashes = json::string_list(other, self.key)?,
        }
        affected.hashes.sort();
        let mut message = format!("{}{}", self.account_hex, self.time_ms);
        affected
            .hashes
            .iter()
            .for_each(|hash| message.push_str(hash));
        Ok((affected, message.into_bytes()))
    }
}
