//! One known group key with its generation and swarm timestamp, ordered as libsession keeps
//! them, and the bencoded `[{"g", "k", "t"}, ...]` list that supplements and dumps share.

use core::cmp::Ordering;

use session_bt::{ListWriter, Value};
use subtle::ConstantTimeEq;

use crate::secret::GroupKey;

/// A group key as the Keys state holds it.
#[derive(Clone, Debug)]
pub(crate) struct KeyInfo {
    /// The key generation (`G` of the message that carried it).
    pub(crate) generation: i64,
    /// The swarm timestamp of the message that carried it, in milliseconds.
    pub(crate) timestamp_ms: i64,
    /// The key.
    pub(crate) key: GroupKey,
}

impl KeyInfo {
    /// libsession's order: generation, then timestamp, then key bytes. The byte comparison
    /// only breaks ties between two keys of one generation and instant (a rekey collision);
    /// it is not constant-time, which the reference does not attempt either.
    pub(crate) fn order(&self, other: &Self) -> Ordering {
        self.generation
            .cmp(&other.generation)
            .then(self.timestamp_ms.cmp(&other.timestamp_ms))
            .then_with(|| {
                if bool::from(self.key.ct_eq(&other.key)) {
                    Ordering::Equal
                } else {
                    self.key.expose_secret().cmp(other.key.expose_secret())
                }
            })
    }

    /// Appends `{"g": gen, "k": key, "t": timestamp}` to a list.
    pub(crate) fn write(&self, list: &mut ListWriter<'_>) {
        list.dict(|d| {
            d.int(b"g", self.generation);
            d.bytes(b"k", self.key.expose_secret());
            d.int(b"t", self.timestamp_ms);
        });
    }

    /// Reads one `{"g", "k", "t"}` dictionary.
    pub(crate) fn read(value: &Value<'_>) -> Result<Self, &'static str> {
        let generation = value
            .get(b"g")
            .and_then(Value::as_i64)
            .ok_or("key info without integer g")?;
        let key: [u8; 32] = value
            .get(b"k")
            .and_then(Value::as_bytes)
            .and_then(|k| k.try_into().ok())
            .ok_or("key info without 32-byte k")?;
        let timestamp_ms = value
            .get(b"t")
            .and_then(Value::as_i64)
            .ok_or("key info without integer t")?;
        Ok(Self {
            generation,
            timestamp_ms,
            key: GroupKey::from_bytes(key),
        })
    }
}

/// Reads a bencoded list of key infos.
pub(crate) fn read_list(value: &Value<'_>) -> Result<Vec<KeyInfo>, &'static str> {
    value
        .as_list()
        .ok_or("key list is not a list")?
        .iter()
        .map(KeyInfo::read)
        .collect()
}
