//! The umbrella error: every layer's error behind one type, so that `?` works across layers.

use session_identity::{MnemonicError, SessionIdError};
use session_protocol::{AttachmentError, IncomingError, OutgoingError};

/// Any error of the Session libraries. Each variant wraps one crate's error; `?` converts
/// them. Like theirs, its messages never contain seeds, phrases, secret keys or plaintext.
///
/// It is neither `Clone` nor `PartialEq`: the network layers' errors are not (they carry
/// transport and database failures), and a type that gained or lost those traits with a
/// cargo feature would break whoever enabled the feature. Compare with `matches!`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A cryptographic primitive failed ([`crypto::Error`](crate::crypto::Error)).
    #[error(transparent)]
    Crypto(#[from] session_crypto::Error),
    /// An identity operation failed ([`identity::Error`](crate::identity::Error)): a bad
    /// seed, recovery phrase or Session ID.
    #[error(transparent)]
    Identity(#[from] session_identity::Error),
    /// A message could not be prepared for sending
    /// ([`protocol::OutgoingError`](crate::protocol::OutgoingError)).
    #[error(transparent)]
    Outgoing(#[from] OutgoingError),
    /// A stored message could not be received
    /// ([`protocol::IncomingError`](crate::protocol::IncomingError)): not an envelope, not
    /// for us, altered, or not a message.
    #[error(transparent)]
    Incoming(#[from] IncomingError),
    /// An attachment could not be encrypted or decrypted
    /// ([`protocol::AttachmentError`](crate::protocol::AttachmentError)).
    #[error(transparent)]
    Attachment(#[from] AttachmentError),
    /// An onion request could not be built, peeled or decrypted
    /// ([`onion::Error`](crate::onion::Error)).
    #[cfg(feature = "onion")]
    #[error(transparent)]
    Onion(#[from] session_onion::Error),
    /// The network answered an onion request with a failure
    /// ([`onion::Failure`](crate::onion::Failure)).
    #[cfg(feature = "onion")]
    #[error(transparent)]
    OnionFailure(#[from] session_onion::Failure),
    /// Talking to the swarms failed ([`swarm::Error`](crate::swarm::Error)): no seed or
    /// node answered, a path could not be built, a deadline passed.
    #[cfg(feature = "swarm")]
    #[error(transparent)]
    Swarm(#[from] session_swarm::Error),
    /// Sending or receiving a message failed for a reason of its own
    /// ([`swarm::messaging::MessagingError`](crate::swarm::messaging::MessagingError)):
    /// too few confirmations, an unsendable message. Its network and store failures
    /// become [`Error::Swarm`] and [`Error::Store`], so that each kind of failure has one
    /// variant.
    #[cfg(feature = "swarm")]
    #[error(transparent)]
    Messaging(session_swarm::messaging::MessagingError),
    /// The persistent store could not be opened or used
    /// ([`swarm::store::StoreError`](crate::swarm::store::StoreError)).
    #[cfg(feature = "swarm")]
    #[error(transparent)]
    Store(#[from] session_swarm::store::StoreError),
    /// A community server request failed ([`sogs::Error`](crate::sogs::Error)): the
    /// server refused it (401, 403, 404, 425, 429), could not be reached, or answered
    /// something that does not decode.
    #[cfg(feature = "sogs")]
    #[error(transparent)]
    Sogs(#[from] session_sogs::Error),
    /// A config message or user config could not be read, merged or changed
    /// ([`config::Error`](crate::config::Error)).
    #[cfg(feature = "config")]
    #[error(transparent)]
    Config(#[from] session_config::Error),
    /// A closed-group operation failed ([`groups::GroupError`](crate::groups::GroupError)):
    /// a key message, group message, control message, kicked notice, subaccount or group
    /// state operation; each of session-groups' errors converts into it.
    #[cfg(feature = "groups")]
    #[error(transparent)]
    Groups(#[from] session_groups::GroupError),
    /// A [`ClientBuilder`](crate::ClientBuilder) was asked to connect without an account
    /// (give a recovery phrase, a seed or a key pair).
    #[cfg(feature = "swarm")]
    #[error("no account given: set a mnemonic, seed or key pair before connecting")]
    NoAccount,
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

/// A messaging failure: the network's and the store's go to their own variants.
#[cfg(feature = "swarm")]
impl From<session_swarm::messaging::MessagingError> for Error {
    fn from(error: session_swarm::messaging::MessagingError) -> Self {
        use session_swarm::messaging::MessagingError;
        match error {
            MessagingError::Swarm(error) => Self::Swarm(error),
            MessagingError::Store(error) => Self::Store(error),
            other => Self::Messaging(other),
        }
    }
}

/// session-groups' errors of one layer are [`Error::Groups`], through its `GroupError`.
#[cfg(feature = "groups")]
macro_rules! groups_error {
    ($($error:ident),*) => {$(
        #[doc = concat!("A [`groups::", stringify!($error), "`](crate::groups::", stringify!($error), ") is an [`Error::Groups`].")]
        impl From<session_groups::$error> for Error {
            fn from(error: session_groups::$error) -> Self {
                Self::Groups(error.into())
            }
        }
    )*};
}

#[cfg(feature = "groups")]
groups_error!(
    KeysError,
    MessageError,
    SubaccountError,
    ControlError,
    KickedError,
    LegacyError
);

/// `Result` with the umbrella [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
