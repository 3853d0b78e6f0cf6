//! How the groups driver polls, stores and answers invites.

/// The groups driver's settings, with the official clients' numbers as defaults.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GroupOptions {
    /// Swarm members each group poll must hear from (2, as for our own swarm).
    pub poll_members: usize,
    /// Whether a store needs a majority of the group swarm's signed results (on).
    pub majority_confirmation: bool,
    /// Join groups as soon as a verified invite arrives (off: the application calls
    /// `accept`; clients ask the user, and auto-accept only from approved contacts).
    pub auto_accept_invites: bool,
    /// Invites and promotions sent at once (8).
    pub send_concurrency: usize,
}

impl Default for GroupOptions {
    fn default() -> Self {
        Self {
            poll_members: 2,
            majority_confirmation: true,
            auto_accept_invites: false,
            send_concurrency: 8,
        }
    }
}
