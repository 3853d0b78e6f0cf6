#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

#[doc(inline)]
pub use session_crypto as crypto;
#[doc(inline)]
pub use session_identity as identity;
#[cfg(feature = "localnet")]
#[doc(inline)]
pub use session_localnet as localnet;
#[cfg(feature = "onion")]
#[doc(inline)]
pub use session_onion as onion;
#[doc(inline)]
pub use session_protocol as protocol;

pub use session_identity::{IdPrefix, Keypair, Seed, SessionId};

use session_identity::{MnemonicError, SessionIdError};
use session_protocol::{AttachmentError, IncomingError, OutgoingError};

/// Any error of the Session libraries. Each variant wraps one crate's error; `?` converts
/// them. Like theirs, its messages never contain seeds, phrases, secret keys or plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A cryptographic primitive failed ([`crypto::Error`]).
    #[error(transparent)]
    Crypto(#[from] session_crypto::Error),
    /// An identity operation failed ([`identity::Error`]): a bad seed, recovery phrase or
    /// Session ID.
    #[error(transparent)]
    Identity(#[from] session_identity::Error),
    /// A message could not be prepared for sending ([`protocol::OutgoingError`]).
    #[error(transparent)]
    Outgoing(#[from] OutgoingError),
    /// A stored message could not be received ([`protocol::IncomingError`]): not an envelope,
    /// not for us, altered, or not a message.
    #[error(transparent)]
    Incoming(#[from] IncomingError),
    /// An attachment could not be encrypted or decrypted ([`protocol::AttachmentError`]).
    #[error(transparent)]
    Attachment(#[from] AttachmentError),
    /// An onion request could not be built, peeled or decrypted ([`onion::Error`]).
    #[cfg(feature = "onion")]
    #[error(transparent)]
    Onion(#[from] session_onion::Error),
    /// The network answered an onion request with a failure ([`onion::Failure`]).
    #[cfg(feature = "onion")]
    #[error(transparent)]
    OnionFailure(#[from] session_onion::Failure),
}

/// A recovery phrase that does not decode is an [`Error::Identity`].
impl From<MnemonicError> for Error {
    fn from(error: MnemonicError) -> Self {
        Self::Identity(error.into())
    }
}

/// A Session ID that does not parse is an [`Error::Identity`].
impl From<SessionIdError> for Error {
    fn from(error: SessionIdError) -> Self {
        Self::Identity(error.into())
    }
}

/// `Result` with the umbrella [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_every_crate_error() {
        let crypto: Error = crypto::Error::InvalidSignature.into();
        assert!(matches!(crypto, Error::Crypto(_)));
        assert_eq!(crypto.to_string(), "invalid signature");

        let identity: Error = identity::Error::SeedHex.into();
        assert!(matches!(identity, Error::Identity(_)));
        assert_eq!(identity.to_string(), "seed is not valid hex");

        let mnemonic: Error = MnemonicError::ChecksumMismatch.into();
        assert!(matches!(
            mnemonic,
            Error::Identity(identity::Error::Mnemonic(_))
        ));

        let id: Error = SessionIdError::InvalidHex.into();
        assert!(matches!(id, Error::Identity(identity::Error::SessionId(_))));

        let outgoing: Error =
            OutgoingError::Encrypt(protocol::direct::EncryptError::InvalidRecipientKey).into();
        assert!(matches!(outgoing, Error::Outgoing(_)));
        assert_eq!(
            outgoing.to_string(),
            "the recipient's X25519 key is not usable"
        );

        let incoming: Error =
            IncomingError::Decrypt(protocol::direct::DecryptError::OpenFailed).into();
        assert!(matches!(incoming, Error::Incoming(_)));
        assert_eq!(
            incoming.to_string(),
            "the message is not addressed to this account, or was altered"
        );

        let attachment: Error = AttachmentError::MacMismatch.into();
        assert!(matches!(attachment, Error::Attachment(_)));
        assert_eq!(attachment.to_string(), "attachment MAC mismatch");
    }

    #[test]
    fn question_mark_converts() {
        fn restore(phrase: &str) -> Result<SessionId> {
            Ok(Seed::from_mnemonic(phrase)?.keypair().session_id())
        }
        assert!(matches!(restore("puffin"), Err(Error::Identity(_))));
    }
}
