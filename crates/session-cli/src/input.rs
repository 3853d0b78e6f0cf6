//! Turning argument text into seeds, keys, Session IDs and bytes. Error messages name the
//! option, never the secret value.

use session::{IdPrefix, Seed, SessionId};
use zeroize::Zeroizing;

use crate::cli::{AccountSource, SecretSource};
use crate::error::CliError;

/// An account given by its secret, or only by its public Session ID.
pub(crate) enum Account {
    /// The account's seed: everything can be derived.
    Secret(Seed),
    /// A `05` Session ID: only public derivations are possible.
    Public(SessionId),
}

impl SecretSource {
    /// The seed given by `--mnemonic` or `--seed`.
    pub(crate) fn seed(&self) -> Result<Seed, CliError> {
        secret_seed(self.mnemonic.as_deref(), self.seed.as_deref())
    }
}

impl AccountSource {
    /// The account given by `--mnemonic`, `--seed` or `--session-id`.
    pub(crate) fn account(&self) -> Result<Account, CliError> {
        match &self.session_id {
            Some(id) => Ok(Account::Public(standard_session_id("--session-id", id)?)),
            None => Ok(Account::Secret(secret_seed(
                self.mnemonic.as_deref(),
                self.seed.as_deref(),
            )?)),
        }
    }
}

/// The seed of a recovery phrase or of seed hex; clap makes sure exactly one is given.
fn secret_seed(mnemonic: Option<&str>, seed_hex: Option<&str>) -> Result<Seed, CliError> {
    match (mnemonic, seed_hex) {
        (Some(phrase), _) => Ok(Seed::from_mnemonic(phrase)?),
        (None, Some(text)) => seed_from_hex(text),
        (None, None) => Err(CliError::usage("give --mnemonic or --seed")),
    }
}

/// A seed from 16 or 32 bytes of hex. The checks look at the text only, so that the secret
/// is decoded once, by [`Seed::from_hex`], which wipes its copy.
fn seed_from_hex(text: &str) -> Result<Seed, CliError> {
    let text = text.trim();
    if !is_hex(text) {
        return Err(CliError::input("--seed is not valid hex"));
    }
    let bytes = text.len() / 2;
    if bytes != 16 && bytes != 32 {
        return Err(CliError::input(format!(
            "--seed must be 16 or 32 bytes of hex, got {bytes} bytes"
        )));
    }
    Ok(Seed::from_hex(text)?)
}

/// Whether `text` is an even number of hex digits.
fn is_hex(text: &str) -> bool {
    text.len().is_multiple_of(2) && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// A Session ID given by `option` that must be a standard (`05`) one.
pub(crate) fn standard_session_id(option: &str, text: &str) -> Result<SessionId, CliError> {
    let id = SessionId::parse_hex(text.trim())?;
    if id.prefix() != IdPrefix::Standard {
        return Err(CliError::input(format!(
            "{option} must be a {} Session ID, got prefix {}",
            IdPrefix::Standard,
            id.prefix()
        )));
    }
    Ok(id)
}

/// A Session ID given by `option` that must be a closed group's (`03`).
pub(crate) fn group_session_id(option: &str, text: &str) -> Result<SessionId, CliError> {
    let id = SessionId::parse_hex(text.trim())?;
    if id.prefix() != IdPrefix::Group {
        return Err(CliError::input(format!(
            "{option} must be a {} group ID, got prefix {}",
            IdPrefix::Group,
            id.prefix()
        )));
    }
    Ok(id)
}

/// Exactly `N` secret bytes given as hex by `option`, decoded straight into a buffer that is
/// wiped on drop. The message of an error names the option and the length, never the value.
pub(crate) fn secret_hex<const N: usize>(
    option: &str,
    text: &str,
) -> Result<Zeroizing<[u8; N]>, CliError> {
    let text = text.trim();
    if !is_hex(text) {
        return Err(CliError::input(format!("{option} is not valid hex")));
    }
    if text.len() != 2 * N {
        return Err(CliError::input(format!(
            "{option} must be {N} bytes of hex, got {} bytes",
            text.len() / 2
        )));
    }
    let mut bytes = Zeroizing::new([0u8; N]);
    hex::decode_to_slice(text, bytes.as_mut_slice())
        .map_err(|_| CliError::input(format!("{option} is not valid hex")))?;
    Ok(bytes)
}

/// Public bytes given as hex by `option`.
pub(crate) fn hex_bytes(option: &str, text: &str) -> Result<Vec<u8>, CliError> {
    hex::decode(text.trim())
        .map_err(|error| CliError::input(format!("{option} is not valid hex: {error}")))
}

/// A 32-byte public key given as hex by `option`.
pub(crate) fn key32(option: &str, text: &str) -> Result<[u8; 32], CliError> {
    let bytes = hex_bytes(option, text)?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
        CliError::input(format!(
            "{option} must be 32 bytes of hex, got {} bytes",
            bytes.len()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_lengths() {
        assert!(seed_from_hex(&"ab".repeat(16)).is_ok());
        assert!(seed_from_hex(&"AB".repeat(32)).is_ok());
        for bad in ["", "abc", "zz", &"ab".repeat(15), &"ab".repeat(64)] {
            let error = seed_from_hex(bad).err().unwrap();
            assert_eq!(error.exit_code(), 1);
            assert!(error.message().starts_with("--seed"), "{}", error.message());
        }
    }

    #[test]
    fn keys_and_ids() {
        assert_eq!(key32("--k", &"01".repeat(32)).unwrap(), [1; 32]);
        assert!(key32("--k", &"01".repeat(33)).is_err());
        assert!(key32("--k", "0").is_err());
        let id = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69";
        assert!(standard_session_id("--to", id).is_ok());
        let blinded = format!("15{}", &id[2..]);
        let error = standard_session_id("--to", &blinded).err().unwrap();
        assert!(
            error.message().starts_with("--to must be a 05"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn secret_hex_lengths() {
        assert_eq!(*secret_hex::<2>("--k", " 0aFF ").unwrap(), [0x0a, 0xff]);
        for bad in ["", "0a", "0aff00", "zzzz", "0af"] {
            let error = secret_hex::<2>("--k", bad).err().unwrap();
            assert_eq!(error.exit_code(), 1);
            assert!(error.message().starts_with("--k "), "{}", error.message());
            assert!(bad.is_empty() || !error.message().contains(bad));
        }
    }
}
