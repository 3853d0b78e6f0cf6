//! Typed messages above the protobuf `Content`, so that an app never fills protobuf fields by
//! hand.
//!
//! A [`Message`] is a [`MessageKind`] (visible message, reaction, read receipt, typing
//! indicator, unsend request, timer update, message-request response, data-extraction notice,
//! call signalling, group update) plus the fields every `Content` shares: the sent time
//! (`sigTimestamp`), the disappearing-messages setting and Session Pro data. It lowers to the
//! `Content` an official client would send and reads one back with the checks the reference
//! decoders make. Each message also says how long the swarm should keep it ([`Message::ttl`])
//! and where ([`Message::namespace`]).
//!
//! ```
//! use session_protocol::message::{Message, VisibleMessage};
//!
//! let message = Message::new(VisibleMessage::text("hi"), 1_700_000_000_000);
//! let bytes = message.encode();
//! assert_eq!(Message::decode(&bytes)?, message);
//! assert_eq!(message.ttl().as_secs(), 14 * 24 * 60 * 60);
//! assert_eq!(message.namespace(), 0);
//! # Ok::<(), session_protocol::message::ContentError>(())
//! ```

mod attachment;
mod call;
mod content;
mod data_extraction;
mod disappearing;
mod error;
mod expiration_update;
mod field;
mod group_update;
mod kind;
pub mod namespace;
mod profile;
mod reaction;
mod receipt;
mod request_response;
pub mod ttl;
mod typing;
mod unsend;
mod visible;

pub use attachment::AttachmentPointer;
pub use call::{CallKind, CallMessage};
pub use content::Message;
pub use data_extraction::{DataExtractionKind, DataExtractionNotification};
pub use disappearing::{Disappearing, DisappearingMode};
pub use error::ContentError;
pub use expiration_update::ExpirationTimerUpdate;
pub use group_update::GroupUpdate;
pub use kind::MessageKind;
pub use profile::{PROFILE_KEY_LEN, Profile, ProfilePicture};
pub use reaction::{Reaction, ReactionAction};
pub use receipt::ReadReceipt;
pub use request_response::MessageRequestResponse;
pub use typing::{TypingAction, TypingIndicator};
pub use unsend::UnsendRequest;
pub use visible::{CommunityInvitation, LinkPreview, Quote, VisibleMessage};
