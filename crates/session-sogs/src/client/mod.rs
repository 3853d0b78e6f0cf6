//! The async driver: transports, the [`CommunityClient`] with one method per endpoint, and
//! the [`Poller`].

mod community;
mod poller;
mod transport;

pub use community::CommunityClient;
pub use poller::{PollOptions, Poller};
pub use transport::{DirectOptions, Transport};
