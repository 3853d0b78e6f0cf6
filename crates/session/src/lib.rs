#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

#[cfg(feature = "swarm")]
mod client;
mod error;

#[cfg(feature = "config")]
#[doc(inline)]
pub use session_config as config;
#[doc(inline)]
pub use session_crypto as crypto;
#[cfg(feature = "groups")]
#[doc(inline)]
pub use session_groups as groups;
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
#[cfg(feature = "sogs")]
#[doc(inline)]
pub use session_sogs as sogs;
#[cfg(feature = "swarm")]
#[doc(inline)]
pub use session_swarm as swarm;

#[cfg(feature = "swarm")]
pub use client::{Client, ClientBuilder, Inbox, Storage};
pub use error::{Error, Result};
pub use session_identity::{IdPrefix, Keypair, Seed, SessionId};

#[cfg(test)]
mod tests {
    use super::*;
    use session_identity::{MnemonicError, SessionIdError};
    use session_protocol::{AttachmentError, IncomingError, OutgoingError};

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

    #[cfg(feature = "swarm")]
    #[test]
    fn converts_swarm_errors() {
        let swarm: Error = swarm::Error::NoPath.into();
        assert!(matches!(swarm, Error::Swarm(_)));
        assert_eq!(swarm.to_string(), "no onion path is available");

        let messaging: Error = swarm::messaging::MessagingError::Random.into();
        assert!(matches!(messaging, Error::Messaging(_)));
        let network: Error = swarm::messaging::MessagingError::Swarm(swarm::Error::NoNodes).into();
        assert!(matches!(network, Error::Swarm(swarm::Error::NoNodes)));
        let stored: Error =
            swarm::messaging::MessagingError::Store(swarm::store::StoreError::Invalid("x")).into();
        assert!(matches!(stored, Error::Store(_)));

        let store: Error = swarm::store::StoreError::Corrupt("seen").into();
        assert!(matches!(store, Error::Store(_)));
        assert_eq!(store.to_string(), "corrupt stored data in seen");
    }

    #[cfg(feature = "sogs")]
    #[test]
    fn converts_sogs_errors() {
        let refused: Error = sogs::Error::RateLimited.into();
        assert!(matches!(refused, Error::Sogs(sogs::Error::RateLimited)));
    }

    #[cfg(feature = "config")]
    #[test]
    fn converts_config_errors() {
        let config: Error = config::Error::NoKeys.into();
        assert!(matches!(config, Error::Config(config::Error::NoKeys)));
        assert_eq!(config.to_string(), "no encryption key set");
    }

    #[cfg(feature = "groups")]
    #[test]
    fn converts_groups_errors() {
        let keys: Error = groups::KeysError::NotAdmin.into();
        assert!(matches!(
            keys,
            Error::Groups(groups::GroupError::Keys(groups::KeysError::NotAdmin))
        ));
        let message: Error = groups::MessageError::NoKey.into();
        assert!(matches!(
            message,
            Error::Groups(groups::GroupError::Message(_))
        ));
        let subaccount: Error = groups::SubaccountError::BadSignature.into();
        assert!(matches!(
            subaccount,
            Error::Groups(groups::GroupError::Subaccount(_))
        ));
        let control: Error = groups::ControlError::Protobuf.into();
        assert!(matches!(
            control,
            Error::Groups(groups::GroupError::Control(_))
        ));
        let kicked: Error = groups::KickedError::Malformed.into();
        assert!(matches!(
            kicked,
            Error::Groups(groups::GroupError::Kicked(_))
        ));
        let legacy: Error = groups::LegacyError::NoKeyPairOpens.into();
        assert!(matches!(
            legacy,
            Error::Groups(groups::GroupError::Legacy(_))
        ));
        let group: Error = groups::GroupError::NotAdmin.into();
        assert_eq!(group.to_string(), "this needs the group's admin key");
        // A config error met inside the group state stays a groups error.
        let inner: Error = groups::GroupError::Config(config::Error::ReadOnly).into();
        assert!(matches!(inner, Error::Groups(_)));
    }

    #[test]
    fn question_mark_converts() {
        fn restore(phrase: &str) -> Result<SessionId> {
            Ok(Seed::from_mnemonic(phrase)?.keypair().session_id())
        }
        assert!(matches!(restore("puffin"), Err(Error::Identity(_))));
    }
}
