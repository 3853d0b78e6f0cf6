//! Bencode of the data model: writing dictionaries, sets and scalars, and reading them back
//! with libsession's strictness (no empty containers, sets sorted and unique, integers in the
//! signed 64-bit range).

use session_bt::{Kind, Value as Bt, write_bytes, write_int};

use crate::error::ParseError;
use crate::value::{Dict, Scalar, Set, Value};

/// Appends a scalar.
pub(crate) fn write_scalar(out: &mut Vec<u8>, scalar: &Scalar) {
    match scalar {
        Scalar::Int(n) => write_int(out, *n),
        Scalar::Bytes(b) => write_bytes(out, b),
    }
}

/// Appends a set as a list, in set order.
pub(crate) fn write_set(out: &mut Vec<u8>, set: &Set) {
    out.push(b'l');
    for item in set {
        write_scalar(out, item);
    }
    out.push(b'e');
}

/// Appends a dictionary; `BTreeMap` order is bencode's key order.
pub(crate) fn write_dict(out: &mut Vec<u8>, dict: &Dict) {
    out.push(b'd');
    for (key, value) in dict {
        write_bytes(out, key);
        write_value(out, value);
    }
    out.push(b'e');
}

/// Appends any value.
pub(crate) fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Scalar(s) => write_scalar(out, s),
        Value::Set(s) => write_set(out, s),
        Value::Dict(d) => write_dict(out, d),
    }
}

/// The bencode of a dictionary.
pub fn encode_dict(dict: &Dict) -> Vec<u8> {
    let mut out = Vec::new();
    write_dict(&mut out, dict);
    out
}

/// Reads a scalar, if `value` is one.
pub(crate) fn read_scalar(value: &Bt<'_>) -> Result<Option<Scalar>, ParseError> {
    Ok(match value.kind() {
        Kind::Int(n) => Some(Scalar::Int(
            i64::try_from(*n).map_err(|_| ParseError::IntegerOutOfRange)?,
        )),
        Kind::Bytes(b) => Some(Scalar::Bytes(b.to_vec())),
        _ => None,
    })
}

/// Reads a list of scalars in strictly increasing set order (empty allowed).
pub(crate) fn read_sorted_scalars(items: &[Bt<'_>]) -> Result<Vec<Scalar>, ParseError> {
    let mut out: Vec<Scalar> = Vec::with_capacity(items.len());
    for item in items {
        let scalar = read_scalar(item)?.ok_or(ParseError::NonScalarInSet)?;
        if out.last().is_some_and(|last| *last >= scalar) {
            return Err(ParseError::UnsortedSet);
        }
        out.push(scalar);
    }
    Ok(out)
}

/// Reads a data dictionary. Only the top level may be empty.
pub(crate) fn read_dict(dict: &session_bt::Dict<'_>, top_level: bool) -> Result<Dict, ParseError> {
    if !top_level && dict.is_empty() {
        return Err(ParseError::Unpruned);
    }
    let mut out = Dict::new();
    for (key, value) in dict.iter() {
        let parsed = match value.kind() {
            Kind::Dict(inner) => Value::Dict(read_dict(inner, false)?),
            Kind::List(items) => {
                if items.is_empty() {
                    return Err(ParseError::Unpruned);
                }
                Value::Set(read_sorted_scalars(items)?.into_iter().collect())
            }
            _ => Value::Scalar(read_scalar(value)?.ok_or(ParseError::NonScalarInSet)?),
        };
        out.insert(key.to_vec(), parsed);
    }
    Ok(out)
}

/// Decodes a standalone data dictionary (for tests and tools).
pub fn decode_dict(bytes: &[u8]) -> Result<Dict, ParseError> {
    let value = session_bt::decode(bytes)?;
    let dict = value.as_dict().ok_or(ParseError::NotADict)?;
    read_dict(dict, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unpruned_and_unsorted() {
        assert_eq!(decode_dict(b"d1:adee"), Err(ParseError::Unpruned));
        assert_eq!(decode_dict(b"d1:alee"), Err(ParseError::Unpruned));
        assert_eq!(decode_dict(b"d1:ali2ei1eee"), Err(ParseError::UnsortedSet));
        assert_eq!(decode_dict(b"d1:al1:ai1eee"), Err(ParseError::UnsortedSet));
        assert_eq!(decode_dict(b"d1:ali1ei1eee"), Err(ParseError::UnsortedSet));
        assert_eq!(decode_dict(b"d1:alleee"), Err(ParseError::NonScalarInSet));
        assert_eq!(
            decode_dict(b"d1:ai18446744073709551615ee"),
            Err(ParseError::IntegerOutOfRange)
        );
        assert!(decode_dict(b"de").unwrap().is_empty());
    }
}
