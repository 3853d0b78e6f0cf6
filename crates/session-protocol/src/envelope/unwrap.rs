//! Unwrapping stored 1:1 messages in either framing.

use prost::Message as _;
use session_identity::SessionId;

use crate::proto::{Envelope, WebSocketMessage, envelope, web_socket_message};

use super::error::EnvelopeError;
use super::format::{EnvelopeFormat, LEGACY_PATH, LEGACY_VERB, PRO_SIG_LEN};

/// A 1:1 envelope taken out of its `WebSocketMessage`; its content is still encrypted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct UnwrappedEnvelope {
    /// Which framing the sender used.
    pub format: EnvelopeFormat,
    /// The envelope timestamp in milliseconds. It is not authenticated: compare it with the
    /// decrypted message using [`super::check_timestamps`].
    pub timestamp_ms: u64,
    /// The encrypted payload (for 1:1 messages, the sealed box of the padded Content).
    pub content: Vec<u8>,
    /// The sender named in the envelope, if any. 1:1 envelopes leave it out or empty; the
    /// real sender comes from decryption.
    pub source: Option<SessionId>,
    /// `sourceDevice`: 1 from current senders and older mobile clients.
    pub source_device: Option<u32>,
    /// `serverTimestamp`, if set.
    pub server_timestamp: Option<u64>,
    /// The Pro signature or decoy of a current envelope.
    pub pro_sig: Option<[u8; PRO_SIG_LEN]>,
}

/// Unwraps the bytes stored on a swarm (after base64 decoding) in either framing, and reports
/// which one the sender used.
///
/// The checks are libsession's `decode_envelope`: the `WebSocketMessage` must hold a request
/// with a body (and, beyond libsession, be typed `REQUEST` when it says a type at all); the `Envelope` must have a type, a timestamp and content; a `source` must be
/// empty or a 66-character Session ID; a `proSig` must be 64 bytes. In addition the type must
/// be `SESSION_MESSAGE`, the only one 1:1 messages use.
///
/// The framing is [`EnvelopeFormat::Current`] when the request's verb and path are both empty
/// or absent, and [`EnvelopeFormat::Legacy`] when they are exactly `PUT /api/v1/message`, the
/// only request legacy senders make. Anything else is refused rather than guessed, so that an
/// altered framing cannot pass for the other format (libsession does not look at them).
///
/// # Errors
///
/// One [`EnvelopeError`] variant per failed check.
pub fn unwrap(bytes: &[u8]) -> Result<UnwrappedEnvelope, EnvelopeError> {
    let message = WebSocketMessage::decode(bytes).map_err(EnvelopeError::WebSocket)?;
    // Every sender marks the message a request; any other type is not a stored message.
    if let Some(kind) = message.r#type
        && kind != i32::from(web_socket_message::Type::Request)
    {
        return Err(EnvelopeError::NotARequest(kind));
    }
    let request = message.request.ok_or(EnvelopeError::MissingRequest)?;
    let body = request.body.ok_or(EnvelopeError::MissingBody)?;
    let is_blank = |field: &Option<String>| field.as_deref().is_none_or(str::is_empty);
    let format = if is_blank(&request.verb) && is_blank(&request.path) {
        EnvelopeFormat::Current
    } else if request.verb.as_deref() == Some(LEGACY_VERB)
        && request.path.as_deref() == Some(LEGACY_PATH)
    {
        EnvelopeFormat::Legacy
    } else {
        return Err(EnvelopeError::UnexpectedRequest);
    };

    let envelope = Envelope::decode(body.as_slice()).map_err(EnvelopeError::Envelope)?;
    let kind = envelope
        .r#type
        .ok_or(EnvelopeError::MissingField("Envelope.type"))?;
    if kind != i32::from(envelope::Type::SessionMessage) {
        return Err(EnvelopeError::UnexpectedType(kind));
    }
    let timestamp_ms = envelope
        .timestamp
        .ok_or(EnvelopeError::MissingField("Envelope.timestamp"))?;
    let content = envelope
        .content
        .ok_or(EnvelopeError::MissingField("Envelope.content"))?;
    let source = match envelope.source.as_deref() {
        None | Some("") => None,
        Some(text) => Some(text.parse().map_err(EnvelopeError::InvalidSource)?),
    };
    let pro_sig = envelope
        .pro_sig
        .map(|sig| {
            <[u8; PRO_SIG_LEN]>::try_from(sig.as_slice())
                .map_err(|_| EnvelopeError::InvalidProSig(sig.len()))
        })
        .transpose()?;

    Ok(UnwrappedEnvelope {
        format,
        timestamp_ms,
        content,
        source,
        source_device: envelope.source_device,
        server_timestamp: envelope.server_timestamp,
        pro_sig,
    })
}
