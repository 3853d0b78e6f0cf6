//! Closed groups (v2) over the swarm: the driver that runs `session-groups`' sans-IO keys
//! and control messages against each group's swarm (`clients.md` §8,
//! `libsession-util.md` §12, `storage-server.md` §5.2).
//!
//! A [`GroupDriver`] holds every group of one account. Admins sign for the group's `03`
//! account with its key; members sign as subaccounts with the auth data of their invite.
//! Every change an admin makes is pushed in one `sequence`, the key message (namespace 12)
//! first, then the Info (13) and Members (14) configs, then the deletion of what they make
//! obsolete; a removal also rekeys, revokes the removed members' subaccounts and leaves
//! them a notice in namespace -11, which revoked members can still read. Each poll reads
//! namespaces -11, 11, 13, 14 and 12 in one `batch` per member, applies the keys first and
//! hands out the messages (namespace 11) and control messages as [`GroupEvent`]s; like
//! the user configs, the group's current key, Info and Members messages are extended by an
//! `expire` riding along with the poll when they near the end of their 30 days. Groups
//! are saved in the [`Store`](crate::store::Store) after every change and recorded in the
//! UserGroups config, from which the account's other devices take them up.
//!
//! Invites and promotions travel 1:1, so the app-level API is the messenger's
//! [`Groups`](crate::messaging::Groups), which sends them; this module has everything else.
//!
//! The group state itself (keys, Info, Members, what each operation must store) is
//! `session-groups`' sans-IO [`Group`](session_groups::Group); this driver stores what it
//! asks in the order it asks, feeds it what polls bring, and persists it.

mod admin;
mod codec;
mod error;
mod event;
mod incoming;
mod member;
mod member_key;
mod options;
mod registry;
mod state;
mod swarm;

pub use admin::MAX_MEMBERS;
pub use error::GroupError;
pub use event::{GroupEvent, GroupMessage, GroupSummary, InviteReport, SentGroupMessage};
pub use options::GroupOptions;
pub use registry::GroupDriver;
pub use session_groups::Member as GroupMember;
