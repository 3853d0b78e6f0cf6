//! The config data model: a dictionary of byte-string keys whose values are integers, byte
//! strings, sets of those, or nested dictionaries (libsession-util.md §11.1).
//!
//! Empty sets and dictionaries carry no information and are never serialized: [`prune`]
//! removes them, and the parser refuses them ("unpruned"), so that two devices holding the same
//! data always produce the same bytes (and hence the same hash).

use std::collections::{BTreeMap, BTreeSet};

/// A scalar: a signed 64-bit integer or a byte string.
///
/// The derived order is the one sets are serialized in: every integer (ascending) before every
/// string (bytewise ascending), as libsession's `std::variant<int64_t, std::string>` orders.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scalar {
    /// An integer.
    Int(i64),
    /// A byte string (often UTF-8 text, but not necessarily).
    Bytes(Vec<u8>),
}

/// A set of scalars.
pub type Set = BTreeSet<Scalar>;

/// A dictionary; keys sort bytewise, as bencode requires.
pub type Dict = BTreeMap<Vec<u8>, Value>;

/// One value of a [`Dict`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A scalar.
    Scalar(Scalar),
    /// A set of scalars.
    Set(Set),
    /// A nested dictionary.
    Dict(Dict),
}

impl Value {
    /// Which of the three shapes this is; a change of shape is treated as a new value when
    /// diffing.
    pub(crate) fn shape(&self) -> u8 {
        match self {
            Self::Dict(_) => 0,
            Self::Set(_) => 1,
            Self::Scalar(_) => 2,
        }
    }

    /// The integer, if this is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Self::Scalar(Scalar::Int(n)) => Some(*n),
            _ => None,
        }
    }

    /// The bytes, if this is a string.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Self::Scalar(Scalar::Bytes(b)) => Some(b),
            _ => None,
        }
    }

    /// The set, if this is one.
    pub fn as_set(&self) -> Option<&Set> {
        match self {
            Self::Set(s) => Some(s),
            _ => None,
        }
    }

    /// The dictionary, if this is one.
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Self::Dict(d) => Some(d),
            _ => None,
        }
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Self::Scalar(Scalar::Int(n))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Self::Scalar(Scalar::Bytes(s.as_bytes().to_vec()))
    }
}

impl From<&[u8]> for Value {
    fn from(b: &[u8]) -> Self {
        Self::Scalar(Scalar::Bytes(b.to_vec()))
    }
}

impl From<i64> for Scalar {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Self {
        Self::Bytes(s.as_bytes().to_vec())
    }
}

impl From<&[u8]> for Scalar {
    fn from(b: &[u8]) -> Self {
        Self::Bytes(b.to_vec())
    }
}

/// Removes empty sets and dictionaries, recursively (a dictionary emptied by the removal goes
/// too). Returns whether anything was removed.
pub fn prune(dict: &mut Dict) -> bool {
    let mut removed = false;
    dict.retain(|_, value| {
        let keep = match value {
            Value::Scalar(_) => true,
            Value::Set(set) => !set.is_empty(),
            Value::Dict(inner) => {
                removed |= prune(inner);
                !inner.is_empty()
            }
        };
        removed |= !keep;
        keep
    });
    removed
}

/// Overwrites every byte string in `dict` with zeros (values may be keys or seeds).
pub(crate) fn wipe(dict: &mut Dict) {
    use zeroize::Zeroize;
    for value in dict.values_mut() {
        match value {
            Value::Scalar(Scalar::Bytes(b)) => b.zeroize(),
            Value::Scalar(Scalar::Int(_)) => {}
            // Set items are immutable in place; take them out to wipe them.
            Value::Set(set) => {
                for item in core::mem::take(set) {
                    if let Scalar::Bytes(mut b) = item {
                        b.zeroize();
                    }
                }
            }
            Value::Dict(inner) => wipe(inner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_removes_empty_containers_recursively() {
        let mut d = Dict::new();
        d.insert(b"a".to_vec(), Value::Set(Set::new()));
        let mut inner = Dict::new();
        inner.insert(b"x".to_vec(), Value::Dict(Dict::new()));
        d.insert(b"b".to_vec(), Value::Dict(inner));
        d.insert(b"c".to_vec(), 1.into());
        assert!(prune(&mut d));
        assert_eq!(d.len(), 1);
        assert!(!prune(&mut d));
    }

    #[test]
    fn scalar_order_puts_ints_first() {
        let set: Set = [Scalar::from("a"), Scalar::from(5), Scalar::from(-3)]
            .into_iter()
            .collect();
        let order: Vec<_> = set.into_iter().collect();
        assert_eq!(
            order,
            vec![Scalar::from(-3), Scalar::from(5), Scalar::from("a")]
        );
    }
}
