//! Polling one account's swarm, whoever it belongs to (our own account, a closed group):
//! ask enough members for what is new after each one's last hash, in one `batch` of
//! retrieves per member, merge their answers by hash and drop what the store has seen
//! (`clients.md` §3). The messenger, the config sync and the groups driver each decide
//! what the messages mean.

mod blocking;
mod listing;

pub(crate) use blocking::on_store;
pub(crate) use listing::{Extra, PollError, Target, poll};
