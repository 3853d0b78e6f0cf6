//! How long the swarm keeps each kind of message (the `ttl` of the `store` request), so that
//! the swarm layer does not hard-code it.
//!
//! The numbers are session-desktop's `TTL_DEFAULT` (`ts/session/constants.ts`) and the rules
//! its outgoing message classes apply (`ts/session/messages/outgoing/`), as summarised in
//! clients.md sections 2 and 6.

use core::time::Duration;

use super::content::Message;
use super::disappearing::DisappearingMode;
use super::kind::MessageKind;

/// Visible messages and most other content: 14 days (desktop `TTL_DEFAULT.CONTENT_MESSAGE`,
/// the storage servers' maximum).
pub const CONTENT_TTL: Duration = Duration::from_secs(14 * 24 * 60 * 60);

/// Typing indicators: 20 seconds (desktop `TTL_DEFAULT.TYPING_MESSAGE`, used by
/// `TypingMessage.ttl()`).
pub const TYPING_TTL: Duration = Duration::from_secs(20);

/// Call signalling: 5 minutes (desktop `TTL_DEFAULT.CALL_MESSAGE`, used by
/// `CallMessage.ttl()` whatever the disappearing setting).
pub const CALL_TTL: Duration = Duration::from_secs(5 * 60);

/// Config messages (namespaces 2 to 5 and the group configs): 30 days (desktop
/// `TTL_DEFAULT.CONFIG_MESSAGE`); not used by any kind here, listed for the config layer.
pub const CONFIG_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);

impl MessageKind {
    /// The TTL of this kind when it does not disappear after send: [`TYPING_TTL`] for typing
    /// indicators, [`CALL_TTL`] for calls and [`CONTENT_TTL`] for everything else (desktop
    /// `ContentMessage.ttl()`: read receipts, unsend requests, message-request responses,
    /// visible messages, ...).
    pub fn default_ttl(&self) -> Duration {
        match self {
            Self::Typing(_) => TYPING_TTL,
            Self::Call(_) => CALL_TTL,
            _ => CONTENT_TTL,
        }
    }
}

impl Message {
    /// The TTL to store this message with in the recipient's swarm.
    ///
    /// Typing indicators and calls keep their fixed TTLs. Otherwise a message that disappears
    /// after send with a non-zero timer is stored for exactly the timer (desktop
    /// `ExpirableMessage.ttl()`, `ttlForExpirationType`); everything else, after-read
    /// messages included, for [`CONTENT_TTL`] (the client shortens after-read expiries with
    /// `expire` once the message is read).
    pub fn ttl(&self) -> Duration {
        match (&self.kind, self.disappearing) {
            (MessageKind::Typing(_) | MessageKind::Call(_), _) => self.kind.default_ttl(),
            (_, Some(disappearing))
                if disappearing.mode == DisappearingMode::AfterSend && disappearing.is_on() =>
            {
                disappearing.timer()
            }
            _ => self.kind.default_ttl(),
        }
    }
}
