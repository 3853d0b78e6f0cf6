//! What a poller remembers between polls and across restarts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Result, json_error};

/// Per room: the highest seqno seen and the room's `info_updates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoomPollState {
    /// The highest message seqno delivered; `None` before the first poll (which then
    /// fetches `recent`).
    pub seqno: Option<u64>,
    /// The last `info_updates` seen.
    pub info_updates: u64,
}

/// The poller's saved state: per-room seqnos and info counters, and the last inbox and
/// outbox ids. Save it (JSON) and restore it to resume without redelivery.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PollState {
    /// By room token.
    pub rooms: BTreeMap<String, RoomPollState>,
    /// The last inbox id delivered.
    pub inbox_last_id: Option<u64>,
    /// The last outbox id delivered.
    pub outbox_last_id: Option<u64>,
}

impl PollState {
    /// The state as JSON bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Maps of strings to plain numbers always serialise.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// A state saved by [`PollState::to_bytes`].
    ///
    /// # Errors
    ///
    /// [`crate::Error::Decode`] for bytes that are not a saved state.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        serde_json::from_slice(bytes).map_err(json_error)
    }

    /// The state of `room` (default if never polled).
    pub fn room(&self, room: &str) -> RoomPollState {
        self.rooms.get(room).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut state = PollState::default();
        state.rooms.insert(
            "lobby".into(),
            RoomPollState {
                seqno: Some(4),
                info_updates: 2,
            },
        );
        state.inbox_last_id = Some(9);
        assert_eq!(PollState::from_bytes(&state.to_bytes()).unwrap(), state);
        assert!(PollState::from_bytes(b"[").is_err());
    }
}
