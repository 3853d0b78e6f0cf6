//! Diffs: what one config message changed relative to its parent, which is what lets
//! concurrent messages be merged (libsession-util.md §11.2).
//!
//! Encoding: a changed or added scalar is `""`, a removed key `"-"`, a set change
//! `[[added…], [removed…]]` and a dictionary change a nested diff. The diff names keys only;
//! the values come from the data of the message that carried the diff.

use std::collections::BTreeMap;

use session_bt::{Kind, Value as Bt, write_bytes};

use crate::codec::{read_sorted_scalars, write_scalar};
use crate::error::ParseError;
use crate::value::{Dict, Scalar, Set, Value};

/// A diff: per changed key, what happened to it.
pub type Diff = BTreeMap<Vec<u8>, Change>;

/// What happened to one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A scalar was set or changed (`""`).
    Assigned,
    /// The key was removed (`"-"`).
    Removed,
    /// A set gained and lost these items.
    Set {
        /// Items added, in set order.
        added: Vec<Scalar>,
        /// Items removed, in set order.
        removed: Vec<Scalar>,
    },
    /// Changes inside a dictionary.
    Dict(Diff),
}

/// The diff from `old` to `new`; empty when they are equal.
pub fn compute(old: &Dict, new: &Dict) -> Diff {
    let mut diff = Diff::new();
    for (key, value) in old {
        match new.get(key) {
            // Same shape: compare inside.
            Some(now) if now.shape() == value.shape() => {
                let change = match (value, now) {
                    (Value::Scalar(a), Value::Scalar(b)) => (a != b).then_some(Change::Assigned),
                    (Value::Dict(a), Value::Dict(b)) => Some(compute(a, b))
                        .filter(|d| !d.is_empty())
                        .map(Change::Dict),
                    (Value::Set(a), Value::Set(b)) => set_change(a, b),
                    _ => None,
                };
                if let Some(change) = change {
                    diff.insert(key.clone(), change);
                }
            }
            // A new shape counts as a new value (handled with the additions below).
            Some(_) => {}
            None => {
                let change = match value {
                    Value::Dict(d) => Change::Dict(compute(d, &Dict::new())),
                    Value::Set(s) => set_change(s, &Set::new()).unwrap_or(Change::Removed),
                    Value::Scalar(_) => Change::Removed,
                };
                diff.insert(key.clone(), change);
            }
        }
    }
    for (key, value) in new {
        let is_new = old.get(key).is_none_or(|was| was.shape() != value.shape());
        if !is_new {
            continue;
        }
        let change = match value {
            Value::Dict(d) => {
                let inner = compute(&Dict::new(), d);
                if inner.is_empty() {
                    continue;
                }
                Change::Dict(inner)
            }
            Value::Set(s) => match set_change(&Set::new(), s) {
                Some(change) => change,
                None => continue,
            },
            Value::Scalar(_) => Change::Assigned,
        };
        diff.insert(key.clone(), change);
    }
    diff
}

/// The set change from `old` to `new`, if any.
fn set_change(old: &Set, new: &Set) -> Option<Change> {
    let added: Vec<Scalar> = new.difference(old).cloned().collect();
    let removed: Vec<Scalar> = old.difference(new).cloned().collect();
    (!added.is_empty() || !removed.is_empty()).then_some(Change::Set { added, removed })
}

/// Applies `diff` to `data`, taking the new values from `source` (the data of the message
/// that carried the diff). Empty containers are left for a later [`crate::value::prune`].
///
/// A key whose value in `source` is missing or of another shape than the diff says is
/// removed: a later diff either removes it too or gives it its new shape, and removing it now
/// keeps `{dict} -> 42 -> {dict2}` from merging the two dictionaries.
pub fn apply(data: &mut Dict, diff: &Diff, source: &Dict) {
    for (key, change) in diff {
        let source_value = source.get(key);
        let matches = match (change, source_value) {
            (_, None) => false,
            (Change::Assigned | Change::Removed, Some(v)) => matches!(v, Value::Scalar(_)),
            (Change::Set { .. }, Some(v)) => matches!(v, Value::Set(_)),
            (Change::Dict(_), Some(v)) => matches!(v, Value::Dict(_)),
        };
        let Some(source_value) = source_value.filter(|_| matches) else {
            data.remove(key);
            continue;
        };
        match (change, source_value) {
            (Change::Removed, _) => {
                data.remove(key);
            }
            (Change::Assigned, value) => {
                data.insert(key.clone(), value.clone());
            }
            (Change::Dict(inner), Value::Dict(source_inner)) => {
                let slot = data
                    .entry(key.clone())
                    .or_insert_with(|| Value::Dict(Dict::new()));
                if !matches!(slot, Value::Dict(_)) {
                    *slot = Value::Dict(Dict::new());
                }
                if let Value::Dict(target) = slot {
                    apply(target, inner, source_inner);
                }
            }
            (Change::Set { added, removed }, Value::Set(_)) => {
                let slot = data
                    .entry(key.clone())
                    .or_insert_with(|| Value::Set(Set::new()));
                if !matches!(slot, Value::Set(_)) {
                    *slot = Value::Set(Set::new());
                }
                if let Value::Set(target) = slot {
                    target.extend(added.iter().cloned());
                    for item in removed {
                        target.remove(item);
                    }
                }
            }
            // Shapes were matched above.
            _ => {}
        }
    }
}

/// Appends the bencode of a diff.
pub(crate) fn write_diff(out: &mut Vec<u8>, diff: &Diff) {
    out.push(b'd');
    for (key, change) in diff {
        write_bytes(out, key);
        match change {
            Change::Assigned => write_bytes(out, b""),
            Change::Removed => write_bytes(out, b"-"),
            Change::Set { added, removed } => {
                out.push(b'l');
                for list in [added, removed] {
                    out.push(b'l');
                    for item in list {
                        write_scalar(out, item);
                    }
                    out.push(b'e');
                }
                out.push(b'e');
            }
            Change::Dict(inner) => write_diff(out, inner),
        }
    }
    out.push(b'e');
}

/// Reads a diff dictionary, validating it as libsession's `load_diff` does.
pub(crate) fn read_diff(value: &Bt<'_>) -> Result<Diff, ParseError> {
    let dict = value
        .as_dict()
        .ok_or(ParseError::InvalidDiff("not a dict"))?;
    let mut diff = Diff::new();
    for (key, item) in dict.iter() {
        let change = match item.kind() {
            Kind::Bytes(b"") => Change::Assigned,
            Kind::Bytes(b"-") => Change::Removed,
            Kind::Bytes(_) => return Err(ParseError::InvalidDiff("scalar change not '' or '-'")),
            Kind::List(parts) => {
                let [added, removed] = parts.as_slice() else {
                    return Err(ParseError::InvalidDiff("set change needs 2 lists"));
                };
                let (Some(added), Some(removed)) = (added.as_list(), removed.as_list()) else {
                    return Err(ParseError::InvalidDiff("set change needs 2 lists"));
                };
                Change::Set {
                    added: read_sorted_scalars(added)?,
                    removed: read_sorted_scalars(removed)?,
                }
            }
            Kind::Dict(_) => Change::Dict(read_diff(item)?),
            Kind::Int(_) => return Err(ParseError::InvalidDiff("integer in diff")),
        };
        diff.insert(key.to_vec(), change);
    }
    Ok(diff)
}
