//! Envelopes: both framings round-trip through base64, real client output unwraps (and
//! re-encodes to the same bytes), every malformed input has its own error, and the receiver's
//! timestamp checks.

use proptest::prelude::*;
use prost::Message as _;
use session_identity::{IdPrefix, SessionId};
use session_protocol::envelope::{
    self, EnvelopeError, EnvelopeFormat, ProSignature, TimestampError, UnwrappedEnvelope,
};
use session_protocol::message::{Message, TypingAction, VisibleMessage};
use session_protocol::proto;

/// libsession's protobuf-wrapped push of an empty UserProfile config (432 bytes): the
/// framing libsession writes (verb "", path "", requestId 0; envelope type 6, timestamp 1, no
/// sourceDevice or proSig). From `config_user_profile.json` case `user_profile_push_empty_seqno0`
/// (libsession-util `tests/test_config_userprofile.cpp` at b57c8a56, re-derived byte for byte
/// in Python by the vector extractor).
const LIBSESSION_CONFIG_PUSH: &[&str] = &[
    "080112ab030a0012001aa20308062801429b0326ec9746282053eb119228e6c36012966e7d2642163169ba39",
    "98af44ca65f967768dd78ee80fffab6f809f6cef49c73a36c82a89622ff0de2ceee06b8c638e2c876fa9047f",
    "449dbe24b1fc89281a264fe90abdeffcdd44f797bd4572a6c5ae8d88bf372c3c717943ebd570222206fabf0e",
    "e9f3c6756f5d71a32616b1df53d12887961f5c129207a79622ccc1a4bba976886d9a6ddf0fe5d570e5075d01",
    "ecd627f656e95f27b4c40d5661b5664cedd3e568206effa1308b0ccd663ca61a6d39c0731891804a8cf5edcf",
    "8b98eaa5580c3d436e22156e38455e403869700956c3c1dd0b4470b663e75c98c5b859b53ccef6559215d804",
    "9f755be9c2d6b3f4a310f97c496fc392f65b6431dd87788ac61074fd8cd409702e1b839b3f774d38cf8b28f0",
    "226c4efa5220ac6ae060793e36e7ef278d42d042f15b21291f3bb29e3158f09d154b93f83fd8a319811a26cb",
    "5240d90cbb360fafec0b7eff4c676ae598540813d062dc9468365c73b4cfa2ffd02d48cdcd8f0c71324c6d0a",
    "60346a7a0e50af3be64684b37f9e6c831115bf112ddd18acde08eaec376f0872a3952000",
];

/// A config message wrapped by an older client (Android or iOS): verb "PUT", path
/// "/api/v1/message", a random requestId, and an envelope with an empty source,
/// sourceDevice 1 and timestamp 1696374203105. From `config_protobuf.json` case
/// `unwrap_config_old_client` (libsession-util `tests/test_proto.cpp` at b57c8a56).
const OLD_CLIENT_WRAPPED: &[&str] = &[
    "080112c2060a03505554120f2f6170692f76312f6d6573736167651a9f060806120028e1c5a0beaf31380142",
    "8f065228bb32b820169e0acb266f02efa007276be0668013a278fc9bfc111a40136f63de4206943c05096155",
    "fa480cd0a7f5d27d6297166f5ed5c2a323ecdf7a754308dd385cdce81e7ed3a0a305577838105a0798dd9254",
    "0f4b8eaa74f8c5720e0a394ce005444322354d6dfe1cb527520145f3794718e42730e15c97f7e45fb53f9f7d",
    "3918ee57e5c8462f80ae0d64792c261feb4b9ce06b18a10b3d8f7af8f791b1368bd4ae9bbe0036dc77f547c0",
    "01e26c9c986269281bc3e8ef38c42ad2a02a9be517fc85c0c8fa4732f79138910f85bba0f898f278d8c2ed3e",
    "7d00cc5b4f1eb32ffc9572ec98fac529bec7ad8560dc06fc986516c00232e9618c372c0f57c19283e0424ec9",
    "1864aad7277e22c085443cc0bfd39c0a83f0a1a8f856850ede7a751bd6206cb6683e462a033ad282e4947adb",
    "be4973e823676ae0a72aa5f0f607f306fe82b91da9b7fe79d4fb4e8a45cb9ad5f20c151a84073cc62d7ac794",
    "fdd2fe57bf49f1089f8644ad9f73d154d14c63d5ca7a07d1b6ab6b5846b2f4785fbf738de23c250a711f54c9",
    "41fd6f5aac4417125bb2d0321cd9f1b97a31f310d4ea8149732276b8df9869fbc5412c9b7772961fab800a35",
    "6155549ef54cefb9407d7f10b4323824aa8ea13facc79003b84dae3e5ef0db275b056f4fbdf54f5f22e62291",
    "af8427fc17c3c1b3985f6ee149729d8a5b794b7e374f408eb8f36a76a89680e3c6106a9d5a82f6f04f5d8b60",
    "3a97140b6469daac0ef32f84cc4ffc05f43c084591b10834b1d16d65ce1415dec77cb5851c338ccbb0d5ae2d",
    "2c1e5bc8ba0f59dfbc4575fd446c8486a1ac5370d5da8eb041f2ed560abc1a6ad6ce6e00369ec5fd5eb0a354",
    "11ed24b36ecbf80f1dc6c18452c4b4bfc59131e04400df8986cac95c51bbd320ba901ff6110dad0c70442286",
    "cf6220a53c6f9693636a42d5523eeb1e5fb3453169581384fb8a8f3914fb6c01900a4f872f55742b117ddd7b",
    "d40c4c5911bb214e28eb9450dbdd0d831a93054c63f9a04bf50cdb9aac0032c484062d7ba7bbe64e07bcd633",
    "eec8378d5d914732693c5e298f015ebde2ae45769ed319e267f0528f5cc6da268343b6647b20bae6e9ee8d92",
    "cca702",
];

fn joined(parts: &[&str]) -> Vec<u8> {
    hex::decode(parts.concat()).expect("vector hex")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn current_framing_round_trips(
        ciphertext in proptest::collection::vec(any::<u8>(), 0..400),
        timestamp in any::<u64>(),
        random in proptest::array::uniform32(any::<u8>()),
    ) {
        let mut random64 = [0u8; 64];
        random64[..32].copy_from_slice(&random);
        random64[32..].copy_from_slice(&random);
        let pro_sig = ProSignature::decoy(&random64);
        let stored = envelope::to_base64(&envelope::wrap(&ciphertext, timestamp, &pro_sig));
        let unwrapped = envelope::unwrap(&envelope::from_base64(&stored).unwrap()).unwrap();
        prop_assert_eq!(unwrapped.format, EnvelopeFormat::Current);
        prop_assert_eq!(unwrapped.timestamp_ms, timestamp);
        prop_assert_eq!(&unwrapped.content, &ciphertext);
        prop_assert_eq!(unwrapped.source, None);
        prop_assert_eq!(unwrapped.source_device, Some(1));
        prop_assert_eq!(unwrapped.pro_sig, Some(pro_sig.to_bytes()));
    }

    #[test]
    fn legacy_framing_round_trips(
        ciphertext in proptest::collection::vec(any::<u8>(), 0..400),
        timestamp in any::<u64>(),
    ) {
        let stored = envelope::to_base64(&envelope::wrap_legacy(&ciphertext, timestamp));
        let unwrapped = envelope::unwrap(&envelope::from_base64(&stored).unwrap()).unwrap();
        prop_assert_eq!(unwrapped.format, EnvelopeFormat::Legacy);
        prop_assert_eq!(unwrapped.timestamp_ms, timestamp);
        prop_assert_eq!(&unwrapped.content, &ciphertext);
        prop_assert_eq!(unwrapped.source_device, None);
        prop_assert_eq!(unwrapped.pro_sig, None);
    }

    #[test]
    fn unwrapping_never_panics(input in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = envelope::unwrap(&input);
    }
}

#[test]
fn libsession_framing_unwraps_and_reencodes_identically() {
    let bytes = joined(LIBSESSION_CONFIG_PUSH);
    assert_eq!(bytes.len(), 432);
    let unwrapped = envelope::unwrap(&bytes).unwrap();
    assert_eq!(unwrapped.format, EnvelopeFormat::Current);
    assert_eq!(unwrapped.timestamp_ms, 1);
    assert_eq!(unwrapped.source_device, None);
    assert_eq!(unwrapped.pro_sig, None);
    assert_eq!(unwrapped.content.len(), 411);

    // Our schema and prost write exactly what libsession's C++ protobuf wrote: the empty verb
    // and path and the zero requestId are kept, and the fields come in the same order.
    let message = proto::WebSocketMessage::decode(bytes.as_slice()).unwrap();
    assert_eq!(message.encode_to_vec(), bytes);
    let request = message.request.unwrap();
    assert_eq!(request.verb.as_deref(), Some(""));
    assert_eq!(request.path.as_deref(), Some(""));
    assert_eq!(request.request_id, Some(0));
    let body = request.body.unwrap();
    assert_eq!(
        proto::Envelope::decode(body.as_slice())
            .unwrap()
            .encode_to_vec(),
        body
    );
}

#[test]
fn older_client_framing_unwraps_and_reencodes_identically() {
    let bytes = joined(OLD_CLIENT_WRAPPED);
    let unwrapped = envelope::unwrap(&bytes).unwrap();
    assert_eq!(unwrapped.format, EnvelopeFormat::Legacy);
    assert_eq!(unwrapped.timestamp_ms, 1_696_374_203_105);
    // The source is present but empty, which means "none".
    assert_eq!(unwrapped.source, None);
    assert_eq!(unwrapped.source_device, Some(1));
    assert_eq!(unwrapped.pro_sig, None);

    let message = proto::WebSocketMessage::decode(bytes.as_slice()).unwrap();
    assert_eq!(message.encode_to_vec(), bytes);
    let request = message.request.unwrap();
    assert_eq!(request.verb.as_deref(), Some(envelope::LEGACY_VERB));
    assert_eq!(request.path.as_deref(), Some(envelope::LEGACY_PATH));
    assert_eq!(request.request_id, Some(166_405_109_991_502_650));
    let body = request.body.unwrap();
    let parsed = proto::Envelope::decode(body.as_slice()).unwrap();
    assert_eq!(parsed.source.as_deref(), Some(""));
    assert_eq!(parsed.encode_to_vec(), body);
}

#[test]
fn legacy_base64_is_standard_and_padded() {
    // The bytes of `wrap.rs`'s legacy example, base64-encoded by Python's base64.b64encode.
    let wrapped = envelope::wrap_legacy(&[0xc0, 0xff, 0xee], 1_700_000_000_000);
    assert_eq!(
        envelope::to_base64(&wrapped),
        "CAESKAoDUFVUEg8vYXBpL3YxL21lc3NhZ2UaDggGKIDQlf+8MUIDwP/uIAA="
    );
    assert!(matches!(
        envelope::from_base64("CAESKAoDUFVUEg8vYXBpL3YxL21lc3NhZ2UaDggGKIDQlf+8MUIDwP/uIAA"),
        Err(EnvelopeError::Base64(_))
    ));
    assert!(matches!(
        envelope::from_base64("!!!!"),
        Err(EnvelopeError::Base64(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Malformed input, one error each

fn framed(request: Option<proto::WebSocketRequestMessage>) -> Vec<u8> {
    proto::WebSocketMessage {
        r#type: Some(1),
        request,
        response: None,
    }
    .encode_to_vec()
}

fn with_envelope(envelope: &proto::Envelope) -> Vec<u8> {
    framed(Some(proto::WebSocketRequestMessage {
        verb: Some(String::new()),
        path: Some(String::new()),
        body: Some(envelope.encode_to_vec()),
        request_id: Some(0),
        headers: Vec::new(),
    }))
}

fn good_envelope() -> proto::Envelope {
    proto::Envelope {
        r#type: Some(6),
        timestamp: Some(10),
        content: Some(vec![1, 2, 3]),
        ..Default::default()
    }
}

fn unwrap_err(bytes: &[u8]) -> EnvelopeError {
    envelope::unwrap(bytes).expect_err("malformed input must be rejected")
}

#[test]
fn malformed_wrappers_are_rejected_with_distinct_errors() {
    assert!(matches!(
        unwrap_err(&[0xff, 0xff]),
        EnvelopeError::WebSocket(_)
    ));
    assert_eq!(unwrap_err(&framed(None)), EnvelopeError::MissingRequest);
    assert_eq!(
        unwrap_err(&framed(Some(proto::WebSocketRequestMessage::default()))),
        EnvelopeError::MissingBody
    );
    let bad_body = framed(Some(proto::WebSocketRequestMessage {
        body: Some(vec![0xff, 0xff]),
        ..Default::default()
    }));
    assert!(matches!(unwrap_err(&bad_body), EnvelopeError::Envelope(_)));
}

#[test]
fn malformed_envelopes_are_rejected_with_distinct_errors() {
    let mut envelope = good_envelope();
    envelope.r#type = None;
    assert_eq!(
        unwrap_err(&with_envelope(&envelope)),
        EnvelopeError::MissingField("Envelope.type")
    );

    let mut envelope = good_envelope();
    envelope.r#type = Some(7);
    assert_eq!(
        unwrap_err(&with_envelope(&envelope)),
        EnvelopeError::UnexpectedType(7)
    );

    let mut envelope = good_envelope();
    envelope.timestamp = None;
    assert_eq!(
        unwrap_err(&with_envelope(&envelope)),
        EnvelopeError::MissingField("Envelope.timestamp")
    );

    let mut envelope = good_envelope();
    envelope.content = None;
    assert_eq!(
        unwrap_err(&with_envelope(&envelope)),
        EnvelopeError::MissingField("Envelope.content")
    );

    let mut envelope = good_envelope();
    envelope.source = Some("05nothex".into());
    assert!(matches!(
        unwrap_err(&with_envelope(&envelope)),
        EnvelopeError::InvalidSource(_)
    ));

    let mut envelope = good_envelope();
    envelope.pro_sig = Some(vec![0; 63]);
    assert_eq!(
        unwrap_err(&with_envelope(&envelope)),
        EnvelopeError::InvalidProSig(63)
    );
}

#[test]
fn a_full_source_is_read() {
    let id = SessionId::new(IdPrefix::Standard, [9; 32]);
    let mut envelope = good_envelope();
    envelope.source = Some(id.to_string());
    let unwrapped: UnwrappedEnvelope = envelope::unwrap(&with_envelope(&envelope)).unwrap();
    assert_eq!(unwrapped.source, Some(id));
    assert_eq!(unwrapped.format, EnvelopeFormat::Current);
}

#[test]
fn absent_verb_and_path_count_as_current() {
    let bytes = framed(Some(proto::WebSocketRequestMessage {
        body: Some(good_envelope().encode_to_vec()),
        ..Default::default()
    }));
    assert_eq!(
        envelope::unwrap(&bytes).unwrap().format,
        EnvelopeFormat::Current
    );
}

// ---------------------------------------------------------------------------------------------
// Timestamp checks

#[test]
fn signed_timestamp_must_match_the_envelope() {
    let message = Message::new(VisibleMessage::text("hi"), 1_000);
    assert_eq!(envelope::check_timestamps(1_000, &message), Ok(()));
    assert_eq!(
        envelope::check_timestamps(1_001, &message),
        Err(TimestampError::SigTimestampMismatch {
            envelope_ms: 1_001,
            content_ms: 1_000
        })
    );
    // A zero on either side marks a legacy sender: accepted.
    assert_eq!(envelope::check_timestamps(0, &message), Ok(()));
    let legacy = Message::new(VisibleMessage::text("hi"), 0);
    assert_eq!(envelope::check_timestamps(1_001, &legacy), Ok(()));
}

#[test]
fn typing_timestamp_must_match_the_envelope() {
    let typing = Message::typing(TypingAction::Started, 2_000);
    assert_eq!(envelope::check_timestamps(2_000, &typing), Ok(()));

    // The signed timestamp is checked first.
    assert!(matches!(
        envelope::check_timestamps(2_001, &typing),
        Err(TimestampError::SigTimestampMismatch { .. })
    ));

    // A legacy sender (no sigTimestamp) whose indicator disagrees with the envelope.
    let mut legacy = Message::typing(TypingAction::Started, 2_000);
    legacy.sent_at_ms = 0;
    assert_eq!(
        envelope::check_timestamps(2_001, &legacy),
        Err(TimestampError::TypingTimestampMismatch {
            envelope_ms: 2_001,
            typing_ms: 2_000
        })
    );
}

#[test]
fn community_messages_get_a_six_hour_window() {
    const HOUR: u64 = 60 * 60 * 1_000;
    let message = Message::new(VisibleMessage::text("hi"), 100 * HOUR);
    assert_eq!(
        envelope::check_community_timestamps(106 * HOUR, &message),
        Ok(())
    );
    assert_eq!(
        envelope::check_community_timestamps(94 * HOUR, &message),
        Ok(())
    );
    assert_eq!(
        envelope::check_community_timestamps(106 * HOUR + 1, &message),
        Err(TimestampError::OutsideCommunityWindow {
            server_ms: 106 * HOUR + 1,
            content_ms: 100 * HOUR
        })
    );
    assert_eq!(envelope::check_community_timestamps(0, &message), Ok(()));
}

#[test]
fn wrapped_message_end_to_end_without_encryption() {
    // The envelope does not care what the payload is; here it is the encoded Content itself.
    let message = Message::new(VisibleMessage::text("hi"), 1_700_000_000_000);
    let stored = envelope::to_base64(&envelope::wrap(
        &message.encode(),
        message.sent_at_ms,
        &ProSignature::decoy(&[3; 64]),
    ));
    let unwrapped = envelope::unwrap(&envelope::from_base64(&stored).unwrap()).unwrap();
    let received = Message::decode(&unwrapped.content).unwrap();
    assert_eq!(
        envelope::check_timestamps(unwrapped.timestamp_ms, &received),
        Ok(())
    );
    assert_eq!(received, message);
}
