//! Attachment and avatar encryption.
//!
//! - [`cbc_hmac`] (re-exported here as [`encrypt`] / [`decrypt`]): the scheme every client
//!   reads, AES-256-CBC + HMAC-SHA256 with a random 64-byte key and IV, a SHA-256 digest, and
//!   desktop's size padding ([`padding`]).
//! - [`deterministic`]: libsession's content-derived encryption (chunked XChaCha20-Poly1305
//!   secretstream), which newer clients use so re-uploads de-duplicate.
//! - [`avatar`]: profile pictures under the profile key, AES-256-GCM.
//!
//! All are sans-IO: bytes in, bytes out, randomness from the caller.

pub mod avatar;
pub mod cbc_hmac;
pub mod deterministic;
mod error;
mod key;
pub mod padding;
mod secretstream;

pub use cbc_hmac::{
    EncryptedAttachment, Padding, decrypt, decrypt_in_place, encrypt, encrypt_in_place,
    encrypt_with,
};
pub use error::AttachmentError;
pub use key::{AttachmentKey, KEY_LEN};
