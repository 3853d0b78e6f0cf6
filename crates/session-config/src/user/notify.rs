//! How a conversation notifies: the `@` key shared by Contacts and UserGroups entries.

/// Notification setting of a conversation (`@`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotifyMode {
    /// The client default (stored as absent).
    #[default]
    Default,
    /// Every message notifies.
    All,
    /// No notifications.
    Disabled,
    /// Only mentions notify (groups only; treated as `All` for one-to-one chats).
    MentionsOnly,
}

impl NotifyMode {
    pub(crate) fn code(self) -> i64 {
        match self {
            Self::Default => 0,
            Self::All => 1,
            Self::Disabled => 2,
            Self::MentionsOnly => 3,
        }
    }

    pub(crate) fn from_code(code: i64) -> Self {
        match code {
            1 => Self::All,
            2 => Self::Disabled,
            3 => Self::MentionsOnly,
            _ => Self::Default,
        }
    }
}
