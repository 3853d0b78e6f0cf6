//! Why stored bytes are not a 1:1 envelope, and why a received message fails the timestamp
//! checks.

use session_identity::SessionIdError;

/// Why stored bytes could not be unwrapped into an envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// The stored text is not standard, padded base64.
    #[error("stored message is not valid base64: {0}")]
    Base64(#[from] base64::DecodeError),
    /// The bytes are not a protobuf `WebSocketMessage`.
    #[error("not a WebSocket message: {0}")]
    WebSocket(#[source] prost::DecodeError),
    /// The `WebSocketMessage` is typed something other than `REQUEST`.
    #[error("WebSocket message type {0} is not REQUEST (1)")]
    NotARequest(i32),
    /// The `WebSocketMessage` has no request.
    #[error("WebSocket message has no request")]
    MissingRequest,
    /// The request's verb and path are neither empty (current framing) nor
    /// `PUT /api/v1/message` (legacy framing).
    #[error("WebSocket request is neither the current nor the legacy message framing")]
    UnexpectedRequest,
    /// The request has no body.
    #[error("WebSocket request has no body")]
    MissingBody,
    /// The request body is not a protobuf `Envelope`.
    #[error("request body is not an envelope: {0}")]
    Envelope(#[source] prost::DecodeError),
    /// A field the envelope needs is missing (`Envelope.type`, `Envelope.timestamp`, or
    /// `Envelope.content`).
    #[error("envelope field {0} is missing")]
    MissingField(&'static str),
    /// The envelope's type is not `SESSION_MESSAGE`, the only type 1:1 messages use.
    #[error("envelope type {0} is not SESSION_MESSAGE (6)")]
    UnexpectedType(i32),
    /// The envelope's source is neither empty nor a Session ID.
    #[error("envelope source is not a Session ID: {0}")]
    InvalidSource(#[source] SessionIdError),
    /// The envelope's Pro signature is not 64 bytes long.
    #[error("envelope Pro signature is {0} bytes long, not 64")]
    InvalidProSig(usize),
}

/// Why a received message's timestamps do not agree. Clients drop such messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The envelope timestamp differs from the signed `Content.sigTimestamp`.
    #[error("envelope timestamp {envelope_ms} differs from the signed timestamp {content_ms}")]
    SigTimestampMismatch {
        /// The envelope timestamp, in milliseconds.
        envelope_ms: u64,
        /// `Content.sigTimestamp`, in milliseconds.
        content_ms: u64,
    },
    /// A typing indicator's timestamp differs from the envelope timestamp.
    #[error("envelope timestamp {envelope_ms} differs from the typing timestamp {typing_ms}")]
    TypingTimestampMismatch {
        /// The envelope timestamp, in milliseconds.
        envelope_ms: u64,
        /// `TypingMessage.timestamp`, in milliseconds.
        typing_ms: u64,
    },
    /// A community message's signed timestamp is more than six hours from the time the server
    /// gives it.
    #[error("signed timestamp {content_ms} is more than 6 hours from the server's {server_ms}")]
    OutsideCommunityWindow {
        /// The server's timestamp, in milliseconds.
        server_ms: u64,
        /// `Content.sigTimestamp`, in milliseconds.
        content_ms: u64,
    },
}
