//! How a [`Messenger`](super::Messenger) polls and sends.

use std::time::Duration;

use session_protocol::envelope::EnvelopeFormat;

use crate::configs::ConfigOptions;
use crate::groups::GroupOptions;

/// The messenger's settings, with the official clients' numbers as defaults.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct MessengerOptions {
    /// The pause between polls (5 s, desktop's `SWARM_POLLING_TIMEOUT.ACTIVE`).
    pub poll_interval: Duration,
    /// Namespaces polled on our own swarm, in one `batch` per member (`[0, 2, 3, 4, 5]`:
    /// 1:1 messages and the four user configs, which go to
    /// [`Messenger::configs`](super::Messenger::configs) and are merged before the
    /// messages are handed out).
    pub namespaces: Vec<i16>,
    /// Swarm members each poll must hear from (2, desktop's `RETRIEVE_SNODES_COUNT`).
    /// A poll that hears from fewer delivers nothing and is retried, so that a member
    /// that missed a store can never make a later message overtake an earlier one.
    pub poll_members: usize,
    /// The framing of sent messages (the current, libsession one).
    pub format: EnvelopeFormat,
    /// Store a sync copy of each sent visible message and reaction in our own swarm, for
    /// our other devices (on, as every client does).
    pub sync_copies: bool,
    /// Whether a store needs a majority of the swarm's signed results to count as sent
    /// (on). The official clients accept one; a majority means any two members polled
    /// by a swarm of three hold every message.
    pub majority_confirmation: bool,
    /// How long a send keeps storing the same bytes again after failures (30 s) before it
    /// gives up.
    pub send_timeout: Duration,
    /// How the user configs are stored and kept alive.
    pub configs: ConfigOptions,
    /// How closed groups are polled and joined.
    pub groups: GroupOptions,
}

impl Default for MessengerOptions {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(5),
            namespaces: vec![0, 2, 3, 4, 5],
            poll_members: 2,
            format: EnvelopeFormat::Current,
            sync_copies: true,
            majority_confirmation: true,
            send_timeout: Duration::from_secs(30),
            configs: ConfigOptions::default(),
            groups: GroupOptions::default(),
        }
    }
}
