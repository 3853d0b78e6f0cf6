//! Polling, sans IO: what one poll asks (`/batch` of capabilities, per-room pollInfo and
//! messages, inbox/outbox), and how its answers become events and a new [`PollState`].
//! The async [`Poller`](crate::Poller) drives it.

mod event;
mod machine;
mod state;

pub use event::PollEvent;
pub use machine::{PollMachine, PollOutcome, PollPlan};
pub use state::{PollState, RoomPollState};
