#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod attachment;
pub mod blinded;
pub mod direct;
pub mod envelope;
pub mod hash;
pub mod incoming;
pub mod message;
pub mod multi_encrypt;
pub mod ons;
pub mod outgoing;
pub mod padding;
pub mod proto;
pub mod push;

pub use attachment::AttachmentError;
pub use blinded::{BlindedError, DecryptedBlinded};
pub use envelope::{
    EnvelopeError, EnvelopeFormat, ProSignature, TimestampError, UnwrappedEnvelope,
};
pub use hash::{HashError, compute_message_hash};
pub use incoming::{IncomingError, Received};
pub use message::{ContentError, Message, MessageKind};
pub use multi_encrypt::MultiEncryptError;
pub use ons::OnsError;
pub use outgoing::{OutgoingError, OutgoingMessage};
pub use padding::{PaddingError, PaddingFormat};
pub use push::PushError;
