//! The account's four user configs kept in sync with its other devices: UserProfile
//! (namespace 2), Contacts (3), ConvoInfoVolatile (4) and UserGroups (5), as
//! `session-config` models them, over the swarm (`clients.md` §2-3, `libsession-util.md`
//! §11).
//!
//! [`ConfigSync`] holds them for one account. Local changes ([`ConfigSync::edit`] and the
//! typed setters) are pushed in one `sequence`: every dirty config's messages are stored
//! (signed by the account, 30-day TTL), then the hashes they make obsolete are deleted,
//! and the stored hashes are confirmed. What other devices push arrives with the
//! messenger's poll (one round covers namespaces 0, 2, 3, 4 and 5) or with
//! [`ConfigSync::sync`], is merged, and announced as a [`ConfigEvent`]. The current hashes
//! are kept alive: when a poll knows one is within a day of its 30 days, or does not know
//! its expiry, an `expire` rides along with the poll. Dumps go to the
//! [`Store`](crate::store::Store) at every change, so a restart resumes.
//!
//! ```no_run
//! # async fn demo(messenger: session_swarm::messaging::Messenger, bob: session_identity::SessionId)
//! # -> Result<(), session_swarm::configs::ConfigError> {
//! let configs = messenger.configs();
//! configs.set_profile_name("Alice").await?;
//! configs.update_contact(&bob, |c| c.approved = true).await?;
//! configs.push().await?; // or let the messenger's poll loop push it
//! let mut changes = configs.events(); // what the other devices change
//! # let _ = changes.recv().await;
//! # Ok(())
//! # }
//! ```

mod error;
mod event;
mod expiries;
mod options;
mod push;
mod sync;
mod typed;
mod user_configs;

pub use error::ConfigError;
pub use event::ConfigEvent;
pub use options::ConfigOptions;
pub use sync::ConfigSync;
pub use user_configs::{UserConfig, UserConfigs};

pub(crate) use expiries::{Expiries, Refresh};
