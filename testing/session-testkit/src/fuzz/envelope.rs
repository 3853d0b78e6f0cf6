//! Stored 1:1 messages: base64, the `WebSocketMessage` and `Envelope` around the sealed box.

use session_protocol::envelope::{
    self, EnvelopeError, EnvelopeFormat, ProSignature, SOURCE_DEVICE,
};
use session_protocol::hash;

use super::{direct, recipient};

/// The `proSig` that re-wrapping writes for an envelope that had none.
const DECOY_RANDOMNESS: [u8; 64] = [0x5a; 64];

/// `envelope::unwrap` on the bytes, and, if they are UTF-8, `envelope::from_base64` on the
/// text (with `unwrap` on what it decodes).
///
/// Accepted base64 is canonical (it re-encodes to the same text) and hashes as its bytes do
/// (`hash::compute_message_hash_base64`). An unwrapped envelope re-wraps, in the format it
/// was found in, to bytes that unwrap to the same format, timestamp and content (and, for
/// the current format, the same `proSig` and `sourceDevice` 1), and wrapping that again
/// gives the same bytes. A content that is a valid 1:1 message to
/// [`recipient`](super::recipient) goes on through [`direct_decrypt`](super::direct_decrypt)'s
/// checks, and the message's timestamps through the receiver's checks.
pub fn envelope_unwrap(data: &[u8]) {
    check_stored(data);
    if let Ok(text) = core::str::from_utf8(data) {
        check_base64(text);
    }
}

/// The stored text form.
fn check_base64(text: &str) {
    let hashed = hash::compute_message_hash_base64(&recipient().session_id(), 0, text);
    match envelope::from_base64(text) {
        Ok(bytes) => {
            assert_eq!(
                envelope::to_base64(&bytes),
                text,
                "accepted non-canonical base64"
            );
            let expected = hash::compute_message_hash(&recipient().session_id(), 0, &bytes);
            assert_eq!(hashed, Ok(expected), "the hash reads the base64 otherwise");
            check_stored(&bytes);
        }
        Err(e) => assert!(matches!(e, EnvelopeError::Base64(_)), "{e:?}"),
    }
}

/// The wrapped bytes.
fn check_stored(bytes: &[u8]) {
    let Ok(unwrapped) = envelope::unwrap(bytes) else {
        return;
    };
    let format = unwrapped.format;
    let pro_sig = unwrapped.pro_sig.map_or_else(
        || ProSignature::decoy(&DECOY_RANDOMNESS),
        ProSignature::from_bytes,
    );
    let rewrapped = envelope::wrap_as(format, &unwrapped.content, unwrapped.timestamp_ms, &pro_sig);
    let again = envelope::unwrap(&rewrapped).expect("a re-wrapped envelope unwraps");
    assert_eq!(again.format, format, "re-wrapping changed the format");
    assert_eq!(again.timestamp_ms, unwrapped.timestamp_ms);
    assert_eq!(
        again.content, unwrapped.content,
        "re-wrapping changed the payload"
    );
    assert_eq!((again.source, again.server_timestamp), (None, None));
    if format == EnvelopeFormat::Current {
        assert_eq!(again.pro_sig, Some(pro_sig.to_bytes()));
        assert_eq!(again.source_device, Some(SOURCE_DEVICE));
    } else {
        assert_eq!((again.pro_sig, again.source_device), (None, None));
    }
    let twice = envelope::wrap_as(format, &again.content, again.timestamp_ms, &pro_sig);
    assert_eq!(twice, rewrapped, "wrapping is not stable");

    if let Some(message) = direct::check_direct(&unwrapped.content) {
        let _ = envelope::check_timestamps(unwrapped.timestamp_ms, &message);
    }
}
