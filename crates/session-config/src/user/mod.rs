//! The four user configs, each a typed API over [`ConfigBase`](crate::ConfigBase), stored in
//! the account's own swarm and encrypted with its Ed25519 seed.

mod community;
mod contacts;
mod convo_info_volatile;
mod fields;
mod notify;
mod profile;
mod user_groups;

pub use community::{ROOM_MAX_LENGTH, canonical_room, canonical_url};
pub use contacts::{Contact, Contacts, ExpirationMode};
pub use convo_info_volatile::{ConvoInfoVolatile, ConvoState, PRUNE_HIGH_MS, PRUNE_LOW_MS};
pub use fields::{MAX_NAME_LENGTH, MAX_URL_LENGTH, ProfilePic};
pub use notify::NotifyMode;
pub use profile::UserProfile;
pub use user_groups::{
    Common, CommunityInfo, GROUP_DESTROYED, GroupInfo, KICKED_FROM_GROUP, LegacyGroupInfo,
    NOT_REMOVED, UserGroups,
};
