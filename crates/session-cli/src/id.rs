//! `id new`, `id show`, `id blind` and `id sign`.

use serde::Serialize;
use session::Seed;
use session::identity::blinding::{BlindedKeypair, blind15};

use crate::cli::{BlindArgs, Scheme, ShowArgs, SignArgs};
use crate::error::CliError;
use crate::input::{self, Account};

/// An account's secrets and public keys (`id new`, `id show`).
#[derive(Debug, Serialize)]
pub(crate) struct Identity {
    /// The 13-word recovery phrase; only for 16-byte seeds.
    #[serde(skip_serializing_if = "Option::is_none")]
    mnemonic: Option<String>,
    /// The seed hex: 16 bytes for accounts with a phrase, else the 32-byte Ed25519 seed.
    seed: String,
    /// The Ed25519 public key.
    ed25519_pubkey: String,
    /// The X25519 public key.
    x25519_pubkey: String,
    /// The `05` Session ID.
    session_id: String,
}

impl Identity {
    fn of(seed: &Seed) -> Self {
        let keys = seed.keypair();
        let seed_hex = match seed.recovery_bytes() {
            Some(recovery) => hex::encode(recovery),
            None => hex::encode(seed.ed25519_seed().expose_secret()),
        };
        Self {
            mnemonic: seed.mnemonic().map(|phrase| phrase.as_str().to_owned()),
            seed: seed_hex,
            ed25519_pubkey: hex::encode(keys.ed25519_public()),
            x25519_pubkey: hex::encode(keys.x25519_public()),
            session_id: keys.session_id().to_string(),
        }
    }
}

/// `id new`: a new account as the apps make one (16 random bytes).
pub(crate) fn new() -> Result<Identity, CliError> {
    // Drawn straight from the OS so a failing generator is an error, not a panic.
    let mut bytes = [0u8; session::identity::RECOVERY_SEED_LEN];
    getrandom::fill(&mut bytes).map_err(|error| {
        CliError::system(format!(
            "the operating system's random number generator failed: {error}"
        ))
    })?;
    let seed = Seed::from_recovery_bytes(&bytes);
    zeroize::Zeroize::zeroize(&mut bytes);
    Ok(Identity::of(&seed))
}

/// `id show`: everything about an account, from its phrase or seed.
pub(crate) fn show(args: &ShowArgs) -> Result<Identity, CliError> {
    Ok(Identity::of(&args.source.seed()?))
}

/// What `id blind` prints.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Blinded {
    /// From the account's secret: its one blind15 ID and its blind25 ID.
    Own {
        /// The `15` ID.
        blind15_id: String,
        /// The `25` ID.
        blind25_id: String,
    },
    /// From a Session ID: the two `15` IDs it may have (its key's sign is unknown), in
    /// libsession's order.
    Candidates {
        /// Both candidate `15` IDs.
        blind15_ids: [String; 2],
    },
}

/// `id blind`: the IDs an account shows a community server.
pub(crate) fn blind(args: &BlindArgs) -> Result<Blinded, CliError> {
    let server_pk = input::key32("--server-pubkey", &args.server_pubkey)?;
    match args.source.account()? {
        Account::Secret(seed) => {
            let keys = seed.keypair();
            Ok(Blinded::Own {
                blind15_id: BlindedKeypair::blind15(&keys, &server_pk)
                    .session_id()
                    .to_string(),
                blind25_id: BlindedKeypair::blind25(&keys, &server_pk)
                    .session_id()
                    .to_string(),
            })
        }
        Account::Public(id) => {
            let ids = blind15::ids_for_session_id(&id, &server_pk)?;
            Ok(Blinded::Candidates {
                blind15_ids: ids.map(|id| id.to_string()),
            })
        }
    }
}

/// What `id sign` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Signed {
    /// The 64-byte Ed25519 signature.
    signature: String,
    /// The Ed25519 public key that verifies it.
    pubkey: String,
}

/// `id sign`: an Ed25519 signature by the account key or a blinded key.
pub(crate) fn sign(args: &SignArgs) -> Result<Signed, CliError> {
    let message = input::hex_bytes("--message-hex", &args.message_hex)?;
    let server_pk = match (args.scheme, &args.server_pubkey) {
        (Scheme::Ed25519, None) => None,
        (Scheme::Ed25519, Some(_)) => {
            return Err(CliError::input(
                "--server-pubkey is only for the blind15 and blind25 schemes",
            ));
        }
        (Scheme::Blind15 | Scheme::Blind25, Some(text)) => {
            Some(input::key32("--server-pubkey", text)?)
        }
        (Scheme::Blind15 | Scheme::Blind25, None) => {
            return Err(CliError::input(
                "--server-pubkey is required for the blind15 and blind25 schemes",
            ));
        }
    };
    let keys = args.source.seed()?.keypair();
    let (signature, pubkey) = match server_pk {
        None => (keys.sign(&message), *keys.ed25519_public()),
        Some(server_pk) => {
            let blinded = if args.scheme == Scheme::Blind25 {
                BlindedKeypair::blind25(&keys, &server_pk)
            } else {
                BlindedKeypair::blind15(&keys, &server_pk)
            };
            (blinded.sign(&message), *blinded.public_key())
        }
    };
    Ok(Signed {
        signature: hex::encode(signature),
        pubkey: hex::encode(pubkey),
    })
}
