//! Property tests: devices editing the same config concurrently converge, whatever the
//! edits and whatever order the messages are merged in.

// Test helpers outside `#[test]` functions unwrap too: a failed setup should fail loudly.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use session_config::{ConfigBase, ConfigKind, Scalar, Set, Value, fuzzing};

/// One edit: a path among a few (so that devices collide) and what to do there.
#[derive(Clone, Debug)]
enum Op {
    Put(usize, i64),
    PutStr(usize, u8),
    Remove(usize),
    SetAdd(i64),
    SetRemove(i64),
}

const PATHS: [&[&[u8]]; 5] = [
    &[b"a"],
    &[b"b"],
    &[b"d", b"x"],
    &[b"d", b"y"],
    &[b"e", b"f", b"g"],
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..PATHS.len(), 0..4i64).prop_map(|(p, v)| Op::Put(p, v)),
        (0..PATHS.len(), 0..3u8).prop_map(|(p, v)| Op::PutStr(p, v)),
        (0..PATHS.len()).prop_map(Op::Remove),
        (0..6i64).prop_map(Op::SetAdd),
        (0..6i64).prop_map(Op::SetRemove),
    ]
}

fn apply(config: &mut ConfigBase, op: &Op) {
    let result = match op {
        Op::Put(p, v) => config.set(PATHS[*p], Some(Value::from(*v))),
        Op::PutStr(p, v) => config.set(
            PATHS[*p],
            Some(Value::Scalar(Scalar::Bytes(vec![b'a' + v]))),
        ),
        Op::Remove(p) => config.set(PATHS[*p], None),
        Op::SetAdd(n) | Op::SetRemove(n) => {
            let mut set: Set = config
                .get(&[b"s"])
                .and_then(Value::as_set)
                .cloned()
                .unwrap_or_default();
            if matches!(op, Op::SetAdd(_)) {
                set.insert(Scalar::Int(*n));
            } else {
                set.remove(&Scalar::Int(*n));
            }
            config.set(&[b"s"], Some(Value::Set(set)))
        }
    };
    result.expect("user configs are never read-only");
}

fn device() -> ConfigBase {
    let mut config = ConfigBase::new(ConfigKind::CONTACTS);
    config.add_key([5; 32], true);
    config
}

/// A device synced to `message` (stored under `hash`).
fn synced(message: &[u8], hash: &str) -> ConfigBase {
    let mut config = device();
    config.merge(&[(hash, message)], 0);
    config
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn two_devices_converge(
        base_ops in prop::collection::vec(op(), 0..6),
        a_ops in prop::collection::vec(op(), 0..8),
        b_ops in prop::collection::vec(op(), 0..8),
        a_first in any::<bool>(),
    ) {
        // A common starting point both devices have.
        let mut origin = device();
        for op in &base_ops {
            apply(&mut origin, op);
        }
        let start = origin.push().unwrap();
        origin.confirm_pushed(start.seqno, ["h0".to_owned()]);
        let mut a = synced(&start.messages[0], "h0");
        let mut b = synced(&start.messages[0], "h0");
        prop_assert_eq!(a.data(), origin.data());

        for op in &a_ops {
            apply(&mut a, op);
        }
        for op in &b_ops {
            apply(&mut b, op);
        }
        let pa = a.push().unwrap();
        a.confirm_pushed(pa.seqno, ["ha".to_owned()]);
        let pb = b.push().unwrap();
        b.confirm_pushed(pb.seqno, ["hb".to_owned()]);
        let (ma, mb) = (&pa.messages[0], &pb.messages[0]);

        // Each device merges the other's message.
        a.merge(&[("hb", mb)], 0);
        b.merge(&[("ha", ma)], 0);
        prop_assert_eq!(a.data(), b.data());

        // A third device merging both, in either order (and with duplicates and the stale
        // start message), ends the same.
        let mut c = device();
        let order: Vec<(&str, &[u8])> = if a_first {
            vec![("ha", ma), ("h0", &start.messages[0]), ("hb", mb), ("ha", ma)]
        } else {
            vec![("hb", mb), ("ha", ma)]
        };
        c.merge(&order, 0);
        prop_assert_eq!(c.data(), a.data());

        // After the conflict-resolution pushes everyone agrees on the very same bytes.
        let (ra, rb) = (a.push().unwrap(), b.push().unwrap());
        prop_assert_eq!(ra.seqno, rb.seqno);
        prop_assert_eq!(&ra.messages, &rb.messages);
        let mut d = device();
        d.merge(&[("ra", &ra.messages[0]), ("rb", &rb.messages[0])], 0);
        prop_assert_eq!(d.data(), a.data());
    }

    #[test]
    fn merge_order_does_not_matter(
        ops in prop::collection::vec(prop::collection::vec(op(), 1..5), 2..4),
        rotation in 0usize..4,
    ) {
        // Several devices all edit from the same empty start; every device then merges every
        // message, each in a different order.
        let mut pushes = Vec::new();
        for (i, device_ops) in ops.iter().enumerate() {
            let mut config = device();
            for op in device_ops {
                apply(&mut config, op);
            }
            let push = config.push().unwrap();
            pushes.push((format!("h{i}"), push.messages[0].clone()));
        }
        let mut results = Vec::new();
        for shift in 0..pushes.len() {
            let mut order: Vec<(&str, &[u8])> =
                pushes.iter().map(|(h, m)| (h.as_str(), m.as_slice())).collect();
            order.rotate_left((shift + rotation) % pushes.len());
            if shift % 2 == 1 {
                order.reverse();
            }
            let mut config = device();
            config.merge(&order, 0);
            results.push(config.data().clone());
        }
        for r in &results[1..] {
            prop_assert_eq!(r, &results[0]);
        }
    }
}

/// A valid serialized message and a valid dump to mutate.
fn seeds() -> (Vec<u8>, Vec<u8>) {
    let mut config = device();
    config.set(&[b"c", b"x"], Some(Value::from(1))).unwrap();
    config
        .set(
            &[b"s"],
            Some(Value::Set([Scalar::Int(2)].into_iter().collect())),
        )
        .unwrap();
    let dump = config.dump();
    let message = b"d1:#i3e1:&d1:ai1e1:bli1e1:xee1:<lli2e32:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad1:a0:eee1:=d1:bll1:xeleeee".to_vec();
    assert!(session_config::ConfigMessage::parse(&message, None, 5, false).is_ok());
    (message, dump)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn fuzz_entry_points_survive_random_bytes(data in prop::collection::vec(any::<u8>(), 0..300)) {
        fuzzing::config_message(&data);
        fuzzing::config_merge(&data);
        fuzzing::decrypt_unwrap(&data);
        fuzzing::multipart(&data);
        fuzzing::user_config_load(&data);
    }

    #[test]
    fn fuzz_entry_points_survive_mutated_inputs(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let (message, dump) = seeds();
        for original in [message, dump] {
            let mut data = original.clone();
            for (at, byte) in &edits {
                let i = at.index(data.len());
                data[i] = *byte;
            }
            fuzzing::config_message(&data);
            fuzzing::config_merge(&[original.as_slice(), b"\xff\x00", &data].concat());
            fuzzing::user_config_load(&data);
        }
    }
}
