//! The storage server's snode-to-snode relay blob (`message_serialization.json`): version
//! byte `0x01` and a bencoded list of per-message lists, built with the producer from the
//! inputs the vector file describes, asserted byte for byte and decoded back.

use session_bt::{Kind, decode};
use session_testkit::{VectorFile, hex_field, str_field};

/// The account the storage server's `serialization.cpp` test stores to.
const PUBKEY_HEX: &str = "054368520005786b249bcd461d28f75e560ea794014eeb17fcf6003f37d876783e";
const HASH: &[u8] = b"hash\x00\x01\x02\x03";
const TIMESTAMP_MS: u64 = 12_345_678;
/// `timestamp + 3456 s`.
const EXPIRY_MS: u64 = TIMESTAMP_MS + 3_456_000;
const DATA: &[u8] = b"da\x00ta";
const SERIALIZATION_VERSION: u8 = 1;

/// One stored message as the relay blob carries it.
struct Message<'a> {
    pubkey: &'a [u8],
    hash: &'a [u8],
    timestamp: u64,
    expiry: u64,
    data: &'a [u8],
    namespace: Option<i64>,
}

fn serialize(messages: &[Message<'_>]) -> Vec<u8> {
    let mut out = vec![SERIALIZATION_VERSION];
    session_bt::write_list(&mut out, |list| {
        for m in messages {
            list.list(|item| {
                item.bytes(m.pubkey);
                item.bytes(m.hash);
                item.uint(m.timestamp);
                item.uint(m.expiry);
                item.bytes(m.data);
                if let Some(namespace) = m.namespace {
                    item.int(namespace);
                }
            });
        }
    })
    .expect("lists have no keys to misorder");
    out
}

#[test]
fn storage_server_message_serialization() {
    let file = VectorFile::load("storage-server/message_serialization.json");
    let pubkey = hex::decode(PUBKEY_HEX).unwrap();
    let mut ran = 0;
    for case in file.cases() {
        let count = case["messages"].as_u64().unwrap() as usize;
        let namespace = case["namespace"].as_i64().unwrap();
        let version = str_field(case, "version");
        let appended = version.starts_with("newer");
        let message = Message {
            pubkey: &pubkey,
            hash: HASH,
            timestamp: TIMESTAMP_MS,
            expiry: EXPIRY_MS,
            data: DATA,
            namespace: appended.then_some(namespace),
        };
        let messages: Vec<Message<'_>> = (0..count).map(|_| Message { ..message }).collect();
        let expected = hex_field(case, "expected_hex");
        let blob = serialize(&messages);
        assert_eq!(hex::encode(&blob), hex::encode(&expected), "{version}");

        // And back: the version byte, then one list per message.
        assert_eq!(expected[0], SERIALIZATION_VERSION);
        let value = decode(&expected[1..]).unwrap();
        assert_eq!(value.raw(), &expected[1..]);
        let items = value.as_list().unwrap();
        assert_eq!(items.len(), count);
        for item in items {
            let fields = item.as_list().unwrap();
            assert_eq!(fields.len(), if appended { 6 } else { 5 });
            assert_eq!(fields[0].as_bytes(), Some(&pubkey[..]));
            assert_eq!(fields[1].as_bytes(), Some(HASH));
            assert_eq!(fields[2].as_u64(), Some(TIMESTAMP_MS));
            assert_eq!(fields[3].as_u64(), Some(EXPIRY_MS));
            assert_eq!(fields[4].as_bytes(), Some(DATA));
            if appended {
                assert_eq!(fields[5].kind(), &Kind::Int(namespace.into()));
            }
            // Each message's exact bytes are recoverable from the blob.
            let at = 1 + item.offset();
            assert_eq!(&expected[at..at + item.raw().len()], item.raw());
        }
        ran += 1;
    }
    file.report("relay blob", ran);
}
