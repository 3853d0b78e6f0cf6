//! Wrapping an already-encrypted 1:1 payload into `Envelope` + `WebSocketMessage`.

use prost::Message as _;

use crate::proto::{
    Envelope, WebSocketMessage, WebSocketRequestMessage, envelope, web_socket_message,
};

use super::format::{EnvelopeFormat, LEGACY_PATH, LEGACY_VERB, SOURCE_DEVICE};
use super::pro_sig::ProSignature;

/// Wraps `ciphertext` (the sealed, padded Content) in the current framing, the default:
///
/// `WebSocketMessage{type REQUEST, request{verb "", path "", body, requestId 0}}` around
/// `Envelope{type SESSION_MESSAGE, timestamp, sourceDevice 1, content, proSig}`, with no
/// `source` (as libsession's `encode_for_1o1` writes it).
///
/// `timestamp_ms` is the message's creation time, the same value as its
/// `Content.sigTimestamp`. `pro_sig` is a Pro signature or, without Pro,
/// [`ProSignature::decoy`] of 64 fresh random bytes.
pub fn wrap(ciphertext: &[u8], timestamp_ms: u64, pro_sig: &ProSignature) -> Vec<u8> {
    let envelope = Envelope {
        r#type: Some(envelope::Type::SessionMessage.into()),
        source: None,
        timestamp: Some(timestamp_ms),
        source_device: Some(SOURCE_DEVICE),
        content: Some(ciphertext.to_vec()),
        server_timestamp: None,
        pro_sig: Some(pro_sig.to_bytes().to_vec()),
    };
    frame(envelope, "", "")
}

/// Wraps `ciphertext` in the legacy framing that desktop used before Oct 2025:
///
/// `WebSocketMessage{type REQUEST, request{verb "PUT", path "/api/v1/message", body,
/// requestId 0}}` around `Envelope{type SESSION_MESSAGE, timestamp, content}`.
pub fn wrap_legacy(ciphertext: &[u8], timestamp_ms: u64) -> Vec<u8> {
    let envelope = Envelope {
        r#type: Some(envelope::Type::SessionMessage.into()),
        timestamp: Some(timestamp_ms),
        content: Some(ciphertext.to_vec()),
        ..Envelope::default()
    };
    frame(envelope, LEGACY_VERB, LEGACY_PATH)
}

/// Wraps `ciphertext` in `format`; `pro_sig` is used by [`EnvelopeFormat::Current`] only.
pub fn wrap_as(
    format: EnvelopeFormat,
    ciphertext: &[u8],
    timestamp_ms: u64,
    pro_sig: &ProSignature,
) -> Vec<u8> {
    match format {
        EnvelopeFormat::Current => wrap(ciphertext, timestamp_ms, pro_sig),
        EnvelopeFormat::Legacy => wrap_legacy(ciphertext, timestamp_ms),
    }
}

/// The `WebSocketMessage` around `envelope`. The verb, path and zero `requestId` are always
/// written, empty or not: proto2 presence, which libsession and desktop both rely on.
fn frame(envelope: Envelope, verb: &str, path: &str) -> Vec<u8> {
    WebSocketMessage {
        r#type: Some(web_socket_message::Type::Request.into()),
        request: Some(WebSocketRequestMessage {
            verb: Some(verb.to_owned()),
            path: Some(path.to_owned()),
            body: Some(envelope.encode_to_vec()),
            request_id: Some(0),
            headers: Vec::new(),
        }),
        response: None,
    }
    .encode_to_vec()
}

#[cfg(test)]
mod tests {
    //! Exact bytes of a small hand-checked example in each framing.
    //!
    //! The input: ciphertext `c0 ff ee`, timestamp 1 700 000 000 000 ms (0x18b_cfe5_6800),
    //! and for the current framing a `proSig` of 64 bytes `5a`.
    //!
    //! Each expected value is written out field by field below: a field key is
    //! `(number << 3) | wire type` (0 = varint, 2 = length-delimited), a length-delimited field
    //! is followed by its length as one varint byte (every length here is below 128), and the
    //! timestamp's varint is its 7-bit groups, lowest first, with the continuation bit set on
    //! all but the last: `80 d0 95 ff bc 31`. Fields appear in field-number order, as the
    //! C++ (libsession) and protobuf.js (desktop) encoders write them. The lengths were added
    //! up by hand: current envelope 2 + 7 + 2 + 5 + 66 = 82, request 2 + 2 + 84 + 2 = 90;
    //! legacy envelope 2 + 7 + 5 = 14, request 5 + 17 + 16 + 2 = 40.

    use super::*;

    const CIPHERTEXT: [u8; 3] = [0xc0, 0xff, 0xee];
    const TIMESTAMP_MS: u64 = 1_700_000_000_000;
    const TIMESTAMP_VARINT: [u8; 6] = [0x80, 0xd0, 0x95, 0xff, 0xbc, 0x31];

    fn concat(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    #[test]
    fn current_framing_exact_bytes() {
        let pro_sig = [0x5a; 64];
        let envelope = concat(&[
            &[0x08, 0x06],     // 1 type: SESSION_MESSAGE (6)
            &[0x28],           // 5 timestamp (varint)
            &TIMESTAMP_VARINT, //
            &[0x38, 0x01],     // 7 sourceDevice: 1
            &[0x42, 0x03],     // 8 content, 3 bytes
            &CIPHERTEXT,       //
            &[0x5a, 0x40],     // 11 proSig, 64 bytes
            &pro_sig,          //
        ]);
        assert_eq!(envelope.len(), 82);
        let request = concat(&[
            &[0x0a, 0x00], // 1 verb: "" (present, empty)
            &[0x12, 0x00], // 2 path: "" (present, empty)
            &[0x1a, 0x52], // 3 body: the envelope, 82 bytes
            &envelope,     //
            &[0x20, 0x00], // 4 requestId: 0 (present)
        ]);
        assert_eq!(request.len(), 90);
        let expected = concat(&[
            &[0x08, 0x01], // 1 type: REQUEST (1)
            &[0x12, 0x5a], // 2 request, 90 bytes
            &request,
        ]);

        let wrapped = wrap(
            &CIPHERTEXT,
            TIMESTAMP_MS,
            &ProSignature::from_bytes(pro_sig),
        );
        assert_eq!(hex::encode(&wrapped), hex::encode(&expected));
        assert_eq!(wrapped.len(), 94);
        // The same bytes as one literal (assembled separately, with Python).
        assert_eq!(
            hex::encode(&wrapped),
            format!(
                "0801125a0a0012001a5208062880d095ffbc3138014203c0ffee5a40{}2000",
                "5a".repeat(64)
            )
        );
    }

    #[test]
    fn legacy_framing_exact_bytes() {
        let envelope = concat(&[
            &[0x08, 0x06],     // 1 type: SESSION_MESSAGE (6)
            &[0x28],           // 5 timestamp (varint)
            &TIMESTAMP_VARINT, //
            &[0x42, 0x03],     // 8 content, 3 bytes
            &CIPHERTEXT,
        ]);
        assert_eq!(envelope.len(), 14);
        let request = concat(&[
            &[0x0a, 0x03],      // 1 verb, 3 bytes
            b"PUT",             //
            &[0x12, 0x0f],      // 2 path, 15 bytes
            b"/api/v1/message", //
            &[0x1a, 0x0e],      // 3 body: the envelope, 14 bytes
            &envelope,          //
            &[0x20, 0x00],      // 4 requestId: 0 (present)
        ]);
        assert_eq!(request.len(), 40);
        let expected = concat(&[
            &[0x08, 0x01], // 1 type: REQUEST (1)
            &[0x12, 0x28], // 2 request, 40 bytes
            &request,
        ]);

        let wrapped = wrap_legacy(&CIPHERTEXT, TIMESTAMP_MS);
        assert_eq!(hex::encode(&wrapped), hex::encode(&expected));
        assert_eq!(
            hex::encode(&wrapped),
            "080112280a03505554120f2f6170692f76312f6d6573736167651a0e08062880d095ffbc314203c0ffee2000"
        );
    }

    #[test]
    fn wrap_as_picks_the_framing() {
        let sig = ProSignature::from_bytes([7; 64]);
        assert_eq!(
            wrap_as(EnvelopeFormat::Current, &CIPHERTEXT, 5, &sig),
            wrap(&CIPHERTEXT, 5, &sig)
        );
        assert_eq!(
            wrap_as(EnvelopeFormat::Legacy, &CIPHERTEXT, 5, &sig),
            wrap_legacy(&CIPHERTEXT, 5)
        );
    }
}
