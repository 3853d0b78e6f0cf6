//! The receiver's timestamp checks: the unauthenticated envelope timestamp against the signed
//! one inside the message.
//!
//! 1:1 envelopes are not encrypted, only their content is, so anyone relaying the message could
//! change the envelope timestamp; `Content.sigTimestamp` sits inside the signed payload. desktop
//! (`shouldProcessContentMessage` in `ts/receiver/common.ts`, and `handleTypingMessage`)
//! drops messages whose timestamps disagree; these functions make the same decisions.

use core::time::Duration;

use crate::message::{Message, MessageKind};

use super::error::TimestampError;

/// How far a community message's signed timestamp may be from the server's: 6 hours.
pub const COMMUNITY_TIMESTAMP_WINDOW: Duration = Duration::from_secs(6 * 60 * 60);

/// Checks a message received from a swarm against its envelope timestamp.
///
/// - `Content.sigTimestamp` must equal the envelope timestamp, unless either is 0 (or absent),
///   which marks a sender from before `sigTimestamp` and is accepted.
/// - A typing indicator's own timestamp must equal the envelope timestamp, unless either is 0.
///
/// # Errors
///
/// [`TimestampError::SigTimestampMismatch`] or [`TimestampError::TypingTimestampMismatch`].
pub fn check_timestamps(
    envelope_timestamp_ms: u64,
    message: &Message,
) -> Result<(), TimestampError> {
    let envelope_ms = envelope_timestamp_ms;
    let content_ms = message.sent_at_ms;
    if envelope_ms != 0 && content_ms != 0 && envelope_ms != content_ms {
        return Err(TimestampError::SigTimestampMismatch {
            envelope_ms,
            content_ms,
        });
    }
    if let MessageKind::Typing(typing) = &message.kind {
        let typing_ms = typing.timestamp_ms;
        if envelope_ms != 0 && typing_ms != 0 && typing_ms != envelope_ms {
            return Err(TimestampError::TypingTimestampMismatch {
                envelope_ms,
                typing_ms,
            });
        }
    }
    Ok(())
}

/// Checks a message received through a community (a blinded inbox message, whose timestamp
/// comes from the server rather than an envelope): its signed timestamp must be within
/// [`COMMUNITY_TIMESTAMP_WINDOW`] of the server's, unless either is 0.
///
/// # Errors
///
/// [`TimestampError::OutsideCommunityWindow`].
pub fn check_community_timestamps(
    server_timestamp_ms: u64,
    message: &Message,
) -> Result<(), TimestampError> {
    let server_ms = server_timestamp_ms;
    let content_ms = message.sent_at_ms;
    let window_ms = COMMUNITY_TIMESTAMP_WINDOW.as_millis();
    if server_ms != 0 && content_ms != 0 && u128::from(server_ms.abs_diff(content_ms)) > window_ms {
        return Err(TimestampError::OutsideCommunityWindow {
            server_ms,
            content_ms,
        });
    }
    Ok(())
}
