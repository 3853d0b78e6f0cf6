//! Per-member results of recursive requests (`{"swarm": {"<ed25519 hex>": {...}}}`) and the
//! verification of each member's signature with the member's own key (the dict key).

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::rpc::json;

/// One swarm member's part of a recursive response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member<T> {
    /// The member's Ed25519 key.
    pub ed25519: [u8; 32],
    /// What it reported.
    pub outcome: MemberOutcome<T>,
}

/// What one member reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberOutcome<T> {
    /// It did the work and signed the result; the signature verified.
    Ok(T),
    /// It reported a failure (`"failed": true`).
    Failed(MemberFailure),
    /// Its entry was well-formed but its signature did not verify with its key.
    BadSignature,
    /// Its entry (or its key) did not have the server's shape.
    Malformed(String),
}

/// Why a member failed, as the entry node relays it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberFailure {
    /// It did not answer in time (or is down).
    pub timeout: bool,
    /// The status it answered with (`"code"`, a string or integer).
    pub code: Option<u16>,
    /// Its error text (`"reason"`).
    pub reason: Option<String>,
    /// Its answer could not be read.
    pub bad_peer_response: bool,
    /// Its storage failed (e.g. full).
    pub query_failure: bool,
}

/// The members' results of one recursive request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Members<T>(pub Vec<Member<T>>);

impl<T> Members<T> {
    /// Every member.
    pub fn iter(&self) -> core::slice::Iter<'_, Member<T>> {
        self.0.iter()
    }

    /// How many members reported.
    pub const fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no member reported.
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The verified results, with the member keys.
    pub fn verified(&self) -> impl Iterator<Item = (&[u8; 32], &T)> {
        self.0.iter().filter_map(|member| match &member.outcome {
            MemberOutcome::Ok(value) => Some((&member.ed25519, value)),
            _ => None,
        })
    }

    /// The member `ed25519`'s entry.
    pub fn get(&self, ed25519: &[u8; 32]) -> Option<&Member<T>> {
        self.0.iter().find(|member| &member.ed25519 == ed25519)
    }

    /// `Ok` if no member's signature was bad or its entry malformed (failures are allowed).
    ///
    /// # Errors
    ///
    /// [`Error::BadMemberSignature`] naming the first such member.
    pub fn check_signatures(&self) -> Result<()> {
        match self.0.iter().find(|member| {
            matches!(
                member.outcome,
                MemberOutcome::BadSignature | MemberOutcome::Malformed(_)
            )
        }) {
            Some(member) => Err(Error::BadMemberSignature {
                member: hex::encode(member.ed25519),
            }),
            None => Ok(()),
        }
    }
}

/// What a method-specific parser gives for one successful entry: the value and the exact
/// bytes the member must have signed.
pub(crate) type Signed<T> = (T, Vec<u8>);

/// Reads `body["swarm"]`, parsing each successful entry with `entry` and verifying its
/// `signature` over the bytes `entry` says were signed.
///
/// # Errors
///
/// [`Error::Malformed`] only if `swarm` itself is missing or not an object; a bad entry
/// is that member's [`MemberOutcome::Malformed`].
pub(crate) fn parse_members<T>(
    body: &Value,
    entry: impl Fn(&Map<String, Value>) -> Result<Signed<T>>,
) -> Result<Members<T>> {
    let swarm = json::object(
        json::field(json::object(body, "response")?, "swarm")?,
        "swarm",
    )?;
    let members = swarm
        .iter()
        .map(|(key, value)| match json::key32(key, "member key") {
            Ok(ed25519) => Member {
                ed25519,
                outcome: outcome(&ed25519, value, &entry),
            },
            Err(error) => Member {
                ed25519: [0; 32],
                outcome: MemberOutcome::Malformed(error.to_string()),
            },
        })
        .collect();
    Ok(Members(members))
}

/// One member's outcome.
fn outcome<T>(
    ed25519: &[u8; 32],
    value: &Value,
    entry: &impl Fn(&Map<String, Value>) -> Result<Signed<T>>,
) -> MemberOutcome<T> {
    let Some(map) = value.as_object() else {
        return MemberOutcome::Malformed("member entry is not an object".to_owned());
    };
    if json::flag(map, "failed") {
        return MemberOutcome::Failed(failure(map));
    }
    let checked = entry(map).and_then(|(parsed, signed)| {
        let signature = json::signature(json::str_field(map, "signature")?)?;
        Ok((parsed, signed, signature))
    });
    match checked {
        Ok((parsed, signed, signature)) => {
            if session_crypto::ed25519::verify(&signature, ed25519, &signed).is_ok() {
                MemberOutcome::Ok(parsed)
            } else {
                MemberOutcome::BadSignature
            }
        }
        Err(error) => MemberOutcome::Malformed(error.to_string()),
    }
}

/// A `"failed": true` entry's details.
fn failure(map: &Map<String, Value>) -> MemberFailure {
    let code = map.get("code").and_then(|code| match code {
        Value::String(text) => text.parse().ok(),
        Value::Number(number) => number.as_u64().and_then(|n| u16::try_from(n).ok()),
        _ => None,
    });
    MemberFailure {
        timeout: json::flag(map, "timeout"),
        code,
        reason: map.get("reason").and_then(Value::as_str).map(str::to_owned),
        bad_peer_response: json::flag(map, "bad_peer_response"),
        query_failure: json::flag(map, "query_failure"),
    }
}
