//! Round trips: anything the producer writes decodes to the same tree and re-encodes to the
//! same bytes; anything the decoder accepts is canonical (re-encodes to itself).

use std::collections::BTreeMap;

use proptest::prelude::*;
use session_bt::{DictWriter, Kind, ListWriter, Value, decode, decode_prefix, write_value};

/// An owned bencode tree to generate inputs from.
#[derive(Debug, Clone)]
enum Model {
    Int(i64),
    UInt(u64),
    Bytes(Vec<u8>),
    List(Vec<Model>),
    Dict(BTreeMap<Vec<u8>, Model>),
}

fn model() -> impl Strategy<Value = Model> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(Model::Int),
        any::<u64>().prop_map(Model::UInt),
        proptest::collection::vec(any::<u8>(), 0..24).prop_map(Model::Bytes),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Model::List),
            proptest::collection::btree_map(
                proptest::collection::vec(any::<u8>(), 0..6),
                inner,
                0..6
            )
            .prop_map(Model::Dict),
        ]
    })
}

fn write_model(out: &mut Vec<u8>, model: &Model) {
    match model {
        Model::Int(n) => session_bt::write_int(out, *n),
        Model::UInt(n) => session_bt::write_uint(out, *n),
        Model::Bytes(b) => session_bt::write_bytes(out, b),
        Model::List(items) => {
            session_bt::write_list(out, |l| items.iter().for_each(|m| list_item(l, m)))
                .expect("lists cannot misorder")
        }
        Model::Dict(entries) => session_bt::write_dict(out, |d| {
            entries.iter().for_each(|(k, m)| dict_entry(d, k, m))
        })
        .expect("model keys are sorted"),
    }
}

fn list_item(l: &mut ListWriter<'_>, model: &Model) {
    match model {
        Model::Int(n) => l.int(*n),
        Model::UInt(n) => l.uint(*n),
        Model::Bytes(b) => l.bytes(b),
        Model::List(items) => l.list(|l| items.iter().for_each(|m| list_item(l, m))),
        Model::Dict(entries) => l.dict(|d| entries.iter().for_each(|(k, m)| dict_entry(d, k, m))),
    }
}

fn dict_entry(d: &mut DictWriter<'_>, key: &[u8], model: &Model) {
    match model {
        Model::Int(n) => d.int(key, *n),
        Model::UInt(n) => d.uint(key, *n),
        Model::Bytes(b) => d.bytes(key, b),
        Model::List(items) => d.list(key, |l| items.iter().for_each(|m| list_item(l, m))),
        Model::Dict(entries) => d.dict(key, |d| {
            entries.iter().for_each(|(k, m)| dict_entry(d, k, m))
        }),
    }
}

/// Whether a decoded value is the model.
fn same(value: &Value<'_>, model: &Model) -> bool {
    match (value.kind(), model) {
        (Kind::Int(a), Model::Int(b)) => *a == i128::from(*b),
        (Kind::Int(a), Model::UInt(b)) => *a == i128::from(*b),
        (Kind::Bytes(a), Model::Bytes(b)) => a == b,
        (Kind::List(a), Model::List(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, m)| same(v, m))
        }
        (Kind::Dict(a), Model::Dict(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, mb))| ka == kb.as_slice() && same(va, mb))
        }
        _ => false,
    }
}

/// Checks that every nested value's raw span sits at its offset in `input`.
fn spans_hold(value: &Value<'_>, input: &[u8]) -> bool {
    let at = &input[value.offset()..value.offset() + value.raw().len()];
    at == value.raw()
        && match value.kind() {
            Kind::List(items) => items.iter().all(|v| spans_hold(v, input)),
            Kind::Dict(dict) => dict.entries().iter().all(|e| {
                input[e.key_offset()..].starts_with(format!("{}:", e.key().len()).as_bytes())
                    && spans_hold(e.value(), input)
            }),
            _ => true,
        }
}

proptest! {
    #[test]
    fn encode_then_decode(model in model()) {
        let mut bytes = Vec::new();
        write_model(&mut bytes, &model);
        let value = decode(&bytes).unwrap();
        prop_assert!(same(&value, &model));
        prop_assert_eq!(value.raw(), &bytes[..]);
        prop_assert!(spans_hold(&value, &bytes));
        let mut again = Vec::new();
        write_value(&mut again, &value);
        prop_assert_eq!(again, bytes);
    }

    #[test]
    fn accepted_input_is_canonical(bytes in proptest::collection::vec(
        prop_oneof![
            Just(b'i'), Just(b'e'), Just(b'l'), Just(b'd'), Just(b':'), Just(b'-'),
            b'0'..=b'9', any::<u8>(),
        ],
        0..40,
    )) {
        match decode(&bytes) {
            Ok(value) => {
                let mut again = Vec::new();
                write_value(&mut again, &value);
                prop_assert_eq!(&again, &bytes);
                prop_assert!(spans_hold(&value, &bytes));
            }
            Err(e) => prop_assert!(e.offset() <= bytes.len()),
        }
    }

    #[test]
    fn prefix_decoding_agrees(model in model(), tail in proptest::collection::vec(any::<u8>(), 0..8)) {
        let mut bytes = Vec::new();
        write_model(&mut bytes, &model);
        let len = bytes.len();
        bytes.extend_from_slice(&tail);
        let (value, used) = decode_prefix(&bytes, &Default::default()).unwrap();
        prop_assert_eq!(used, len);
        prop_assert!(same(&value, &model));
    }
}
