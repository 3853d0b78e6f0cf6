//! Disappearing-message settings, carried by every `Content` that can disappear
//! (`expirationType` and `expirationTimer`).

use core::time::Duration;

use crate::proto::content::ExpirationType;

use super::error::ContentError;

/// When a disappearing message starts its countdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DisappearingMode {
    /// No mode (`UNKNOWN`): the message does not disappear when the timer is 0; a non-zero
    /// timer comes from a sender too old to name the mode.
    Unknown,
    /// The countdown starts when the recipient reads the message.
    AfterRead,
    /// The countdown starts when the message is sent; the swarm TTL is then the timer.
    AfterSend,
}

/// The disappearing-messages setting of one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Disappearing {
    /// When the countdown starts.
    pub mode: DisappearingMode,
    /// The countdown in seconds; 0 means the message does not disappear.
    pub timer_seconds: u32,
}

impl Disappearing {
    /// Not disappearing: `UNKNOWN` with a zero timer, what clients send when the setting is
    /// off.
    pub const OFF: Self = Self {
        mode: DisappearingMode::Unknown,
        timer_seconds: 0,
    };

    /// Disappears `timer_seconds` after being read.
    pub const fn after_read(timer_seconds: u32) -> Self {
        Self {
            mode: DisappearingMode::AfterRead,
            timer_seconds,
        }
    }

    /// Disappears `timer_seconds` after being sent.
    pub const fn after_send(timer_seconds: u32) -> Self {
        Self {
            mode: DisappearingMode::AfterSend,
            timer_seconds,
        }
    }

    /// The countdown as a duration.
    pub const fn timer(&self) -> Duration {
        Duration::from_secs(self.timer_seconds as u64)
    }

    /// Whether the message disappears at all.
    pub const fn is_on(&self) -> bool {
        self.timer_seconds != 0
    }

    /// Lowers to `(expirationType, expirationTimer)`; both are always written, as desktop does
    /// for every message that can disappear.
    pub(super) fn to_proto(self) -> (i32, u32) {
        let mode = match self.mode {
            DisappearingMode::Unknown => ExpirationType::Unknown,
            DisappearingMode::AfterRead => ExpirationType::DeleteAfterRead,
            DisappearingMode::AfterSend => ExpirationType::DeleteAfterSend,
        };
        (mode.into(), self.timer_seconds)
    }

    /// Reads the two fields; `None` when neither is present (a kind that never disappears, or
    /// a sender from before these fields).
    pub(super) fn from_proto(
        mode: Option<i32>,
        timer_seconds: Option<u32>,
    ) -> Result<Option<Self>, ContentError> {
        if mode.is_none() && timer_seconds.is_none() {
            return Ok(None);
        }
        let mode = match mode {
            None => DisappearingMode::Unknown,
            Some(value) => match ExpirationType::try_from(value) {
                Ok(ExpirationType::Unknown) => DisappearingMode::Unknown,
                Ok(ExpirationType::DeleteAfterRead) => DisappearingMode::AfterRead,
                Ok(ExpirationType::DeleteAfterSend) => DisappearingMode::AfterSend,
                Err(_) => {
                    return Err(ContentError::UnknownEnumValue {
                        field: "Content.expirationType",
                        value,
                    });
                }
            },
        };
        Ok(Some(Self {
            mode,
            timer_seconds: timer_seconds.unwrap_or(0),
        }))
    }
}
