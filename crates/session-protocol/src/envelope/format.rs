//! The two ways 1:1 envelopes are framed, and the constants that tell them apart.

/// How a 1:1 message is framed (clients.md section 4).
///
/// Both are a `WebSocketMessage` of type `REQUEST` whose request body is the `Envelope`,
/// written with `requestId` 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EnvelopeFormat {
    /// libsession's framing (`encode_for_1o1`), what clients send today: empty verb and path;
    /// the envelope has `sourceDevice` 1 and a 64-byte `proSig`.
    #[default]
    Current,
    /// The framing clients used before libsession took over (desktop before Oct 2025,
    /// session.js, session-python): verb `PUT`, path `/api/v1/message`; the envelope has only
    /// type, timestamp and content.
    Legacy,
}

impl EnvelopeFormat {
    /// `"current"` or `"legacy"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Legacy => "legacy",
        }
    }
}

/// The request verb of the legacy framing.
pub const LEGACY_VERB: &str = "PUT";

/// The request path of the legacy framing.
pub const LEGACY_PATH: &str = "/api/v1/message";

/// The `sourceDevice` current senders write (libsession follows iOS's `MessageWrapper`).
pub const SOURCE_DEVICE: u32 = 1;

/// Length of the envelope's `proSig`: an Ed25519 signature.
pub const PRO_SIG_LEN: usize = 64;
