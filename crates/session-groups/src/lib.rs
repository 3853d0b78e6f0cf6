#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

// Layers, bottom up: constants, errors and secrets; bencode and crypto building blocks
// (junk, key_info, signed_dict, subaccount, message); message formats (rekey_message,
// supplement_message, key_message, dump, envelope, kicked, revoke, signatures); the
// Keys state (keys); control messages (control); the Info and Members configs (fields,
// rekeying, info, members); the group state over all of them (group_state); legacy
// decryption; fuzzing entry points.
pub mod constants;
pub mod control;
mod dump;
pub mod envelope;
mod error;
mod fields;
mod group;
mod group_state;
pub mod info;
mod junk;
mod key_info;
mod key_message;
mod keys;
pub mod kicked;
pub mod legacy;
pub mod members;
pub mod message;
mod rekey_message;
pub mod rekeying;
pub mod revoke;
mod secret;
pub mod signatures;
mod signed_dict;
pub mod subaccount;
mod supplement_message;

#[doc(hidden)]
pub mod fuzzing;

pub use error::{
    ControlError, GroupError, KeysError, KickedError, LegacyError, MessageError, SubaccountError,
};
pub use group::GroupIdentity;
pub use group_state::{
    ConfigPush, DirectUpdate, Group, GroupEvent, InfoUpdate, Invitation, Promotion,
    ReceivedMessage, Removal, SwarmAuth,
};
pub use info::GroupInfo;
pub use keys::{GroupKeys, LoadOutcome, Rekey};
pub use members::{GroupMembers, Member, Pending, RemovedStatus};
pub use secret::GroupKey;
