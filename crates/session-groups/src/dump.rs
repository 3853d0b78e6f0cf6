//! The Keys state's dump, byte-compatible with libsession's:
//! `{"A": [[gen, hash, ...], ...], "L": [{"g", "k", "t"}, ...], "P": {"c": config, "g", "k"}}`
//! (`P` only while a rekey awaits confirmation). Dumps hold every key: keep them secret.

use std::collections::{BTreeMap, BTreeSet};

use session_bt::Value;
use zeroize::Zeroizing;

use crate::error::KeysError;
use crate::key_info::{self, KeyInfo};
use crate::secret::GroupKey;

/// Message hashes of the key messages seen, by generation.
pub(crate) type ActiveHashes = BTreeMap<i64, BTreeSet<String>>;

/// A rekey not yet seen back from the swarm.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    /// The key message to push.
    pub(crate) config: Vec<u8>,
    /// Its generation.
    pub(crate) generation: i64,
    /// The key it distributes.
    pub(crate) key: GroupKey,
}

/// The restored pieces of a dump.
pub(crate) struct Restored {
    pub(crate) active: ActiveHashes,
    pub(crate) keys: Vec<KeyInfo>,
    pub(crate) pending: Option<Pending>,
}

/// Encodes the state.
pub(crate) fn encode(
    active: &ActiveHashes,
    keys: &[KeyInfo],
    pending: Option<&Pending>,
) -> Result<Zeroizing<Vec<u8>>, KeysError> {
    let mut out = Zeroizing::new(Vec::new());
    session_bt::write_dict(&mut out, |d| {
        d.list(b"A", |list| {
            for (generation, hashes) in active {
                list.list(|entry| {
                    entry.int(*generation);
                    for hash in hashes {
                        entry.bytes(hash.as_bytes());
                    }
                });
            }
        });
        d.list(b"L", |list| {
            for info in keys {
                info.write(list);
            }
        });
        if let Some(pending) = pending {
            d.dict(b"P", |p| {
                p.bytes(b"c", &pending.config);
                p.int(b"g", pending.generation);
                p.bytes(b"k", pending.key.expose_secret());
            });
        }
    })?;
    Ok(out)
}

/// Decodes a dump, checking that its keys are in strictly increasing order.
pub(crate) fn decode(dump: &[u8]) -> Result<Restored, KeysError> {
    let root = session_bt::decode(dump)?;
    let mut active = ActiveHashes::new();
    for entry in root
        .get(b"A")
        .and_then(Value::as_list)
        .ok_or(KeysError::Dump("A must be a list"))?
    {
        let (first, hashes) = entry
            .as_list()
            .and_then(<[Value<'_>]>::split_first)
            .ok_or(KeysError::Dump("A entries must be non-empty lists"))?;
        let generation = first.as_i64().ok_or(KeysError::Dump("A generation"))?;
        let set = active.entry(generation).or_default();
        for hash in hashes {
            set.insert(
                hash.as_str()
                    .ok_or(KeysError::Dump("A hashes must be strings"))?
                    .to_owned(),
            );
        }
    }
    let keys = key_info::read_list(root.get(b"L").ok_or(KeysError::Dump("L is missing"))?)
        .map_err(KeysError::Dump)?;
    if keys.windows(2).any(|w| w[0].order(&w[1]).is_ge()) {
        return Err(KeysError::Dump("keys are not in sorted order"));
    }
    let pending = match root.get(b"P") {
        None => None,
        Some(p) => {
            let config = p
                .get(b"c")
                .and_then(Value::as_bytes)
                .ok_or(KeysError::Dump("P without c"))?
                .to_vec();
            let generation = p
                .get(b"g")
                .and_then(Value::as_i64)
                .ok_or(KeysError::Dump("P without g"))?;
            let key: [u8; 32] = p
                .get(b"k")
                .and_then(Value::as_bytes)
                .and_then(|k| k.try_into().ok())
                .ok_or(KeysError::Dump("P without 32-byte k"))?;
            Some(Pending {
                config,
                generation,
                key: GroupKey::from_bytes(key),
            })
        }
    };
    Ok(Restored {
        active,
        keys,
        pending,
    })
}
