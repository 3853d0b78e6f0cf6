#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod blinding;
mod error;
mod keypair;
pub mod mnemonic;
mod seed;
pub mod session_id;
mod wordlist;

pub use error::{Error, Result};
pub use keypair::Keypair;
pub use mnemonic::{MnemonicError, RecoveryPhrase};
pub use seed::{RECOVERY_SEED_LEN, Seed};
pub use session_id::{IdPrefix, SessionId, SessionIdError};
