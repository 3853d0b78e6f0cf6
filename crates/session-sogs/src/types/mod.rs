//! The server's objects as typed values: what responses decode into and what moderation
//! calls take.

mod capabilities;
mod moderation;
mod replies;
mod room;
mod room_update;

pub use capabilities::Capabilities;
pub use moderation::{FuturePermission, PermissionChange, PermissionOverride, Role, Scope};
pub use replies::{
    DeletedEverywhere, DownloadedFile, PostedMessage, ReactionChange, Reactor, SentDm, UploadedFile,
};
pub use room::{PinnedMessage, PollInfo, Room};
pub use room_update::RoomUpdate;
