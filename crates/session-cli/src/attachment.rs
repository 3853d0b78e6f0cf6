//! `attachment encrypt` and `attachment decrypt`: files in the attachment scheme every client
//! reads (`session::protocol::attachment`): AES-256-CBC + HMAC-SHA256 under a 64-byte key,
//! with desktop's size padding and a SHA-256 digest of the result.
//!
//! The key, digest and size are what an `AttachmentPointer` carries; `decrypt` takes them back
//! and checks the MAC and the digest before it writes anything.

use std::path::Path;

use serde::Serialize;
use session::protocol::attachment::{self, AttachmentKey, KEY_LEN, Padding};
use zeroize::Zeroizing;

use crate::cli::{AttachmentDecryptArgs, AttachmentEncryptArgs};
use crate::error::CliError;
use crate::input;

/// Length of the IV.
const IV_LEN: usize = attachment::cbc_hmac::IV_LEN;

/// Length of the digest.
const DIGEST_LEN: usize = attachment::cbc_hmac::DIGEST_LEN;

/// What `attachment encrypt` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Encrypted {
    /// The 64-byte key (AES-256 key then HMAC-SHA256 key): `AttachmentPointer.key`.
    key_hex: String,
    /// SHA-256 of the encrypted file: `AttachmentPointer.digest`.
    digest_hex: String,
    /// The plaintext size in bytes: `AttachmentPointer.size`.
    size: usize,
    /// The size of the encrypted file (IV, padded ciphertext and MAC): what is uploaded.
    encrypted_size: usize,
}

/// What `attachment decrypt` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Decrypted {
    /// The size of the decrypted file in bytes.
    size: usize,
    /// The digest of the encrypted file, which matched `--digest`.
    digest_hex: String,
}

/// `attachment encrypt`: a fresh random key and IV from the operating system.
pub(crate) fn encrypt(args: &AttachmentEncryptArgs) -> Result<Encrypted, CliError> {
    let plaintext = read(&args.input)?;
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    let mut iv = [0u8; IV_LEN];
    getrandom::fill(key.as_mut_slice())
        .and_then(|()| getrandom::fill(&mut iv))
        .map_err(|error| {
            CliError::system(format!(
                "the operating system's random number generator failed: {error}"
            ))
        })?;
    let sealed = attachment::encrypt_with(
        AttachmentKey::from_bytes(*key),
        &iv,
        &plaintext,
        Padding::Desktop,
    );
    write(&args.out, &sealed.data)?;
    Ok(Encrypted {
        key_hex: hex::encode(*sealed.key.to_bytes()),
        digest_hex: hex::encode(sealed.digest),
        size: sealed.size,
        encrypted_size: sealed.data.len(),
    })
}

/// `attachment decrypt`: checks the MAC, then the digest, decrypts, cuts to `--size`, and
/// only then writes `--out`.
pub(crate) fn decrypt(args: &AttachmentDecryptArgs) -> Result<Decrypted, CliError> {
    let key = AttachmentKey::from_bytes(*input::secret_hex::<KEY_LEN>("--key", &args.key)?);
    let digest = input::hex_bytes("--digest", &args.digest)?;
    if digest.len() != DIGEST_LEN {
        return Err(CliError::input(format!(
            "--digest must be {DIGEST_LEN} bytes of hex, got {} bytes",
            digest.len()
        )));
    }
    let data = read(&args.input)?;
    let plaintext =
        attachment::decrypt(&data, &key, &digest, args.size).map_err(session::Error::from)?;
    write(&args.out, &plaintext)?;
    Ok(Decrypted {
        size: plaintext.len(),
        digest_hex: hex::encode(digest),
    })
}

/// The contents of `path`.
fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path)
        .map_err(|error| CliError::system(format!("cannot read {}: {error}", path.display())))
}

/// Writes `bytes` to `path`.
fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes)
        .map_err(|error| CliError::system(format!("cannot write {}: {error}", path.display())))
}
