//! Envelopes of 1:1 messages: wrapping an encrypted payload into `Envelope` and
//! `WebSocketMessage` the way clients store it on a swarm, unwrapping either framing, base64 for
//! storage, and the receiver's timestamp checks.
//!
//! Sending uses the current framing ([`wrap()`]); [`wrap_legacy`] writes the framing older
//! clients used, and [`unwrap()`] reads both and says which it found.
//!
//! ```
//! use session_protocol::envelope::{self, EnvelopeFormat, ProSignature};
//!
//! let ciphertext = [0xc0, 0xff, 0xee]; // from the 1:1 encryption
//! let pro_sig = ProSignature::decoy(&[0x42; 64]); // 64 fresh random bytes in real use
//! let stored = envelope::to_base64(&envelope::wrap(&ciphertext, 1_700_000_000_000, &pro_sig));
//!
//! let unwrapped = envelope::unwrap(&envelope::from_base64(&stored)?)?;
//! assert_eq!(unwrapped.format, EnvelopeFormat::Current);
//! assert_eq!(unwrapped.timestamp_ms, 1_700_000_000_000);
//! assert_eq!(unwrapped.content, ciphertext);
//! # Ok::<(), envelope::EnvelopeError>(())
//! ```

mod error;
mod format;
mod pro_sig;
mod storage;
mod timestamps;
mod unwrap;
mod wrap;

pub use error::{EnvelopeError, TimestampError};
pub use format::{EnvelopeFormat, LEGACY_PATH, LEGACY_VERB, PRO_SIG_LEN, SOURCE_DEVICE};
pub use pro_sig::ProSignature;
pub use storage::{from_base64, to_base64};
pub use timestamps::{COMMUNITY_TIMESTAMP_WINDOW, check_community_timestamps, check_timestamps};
pub use unwrap::{UnwrappedEnvelope, unwrap};
pub use wrap::{wrap, wrap_as, wrap_legacy};
