//! What moderation calls take: where a change applies, which role, which permissions.

use serde_json::{Map, Value, json};

/// Where a ban or role change applies.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scope {
    /// These rooms (tokens).
    Rooms(Vec<String>),
    /// Every room the caller moderates (`"rooms": ["*"]`).
    AllRooms,
    /// Server-wide (`"global": true`).
    Global,
}

impl Scope {
    /// One room.
    pub fn room(token: &str) -> Self {
        Self::Rooms(vec![token.to_owned()])
    }

    /// The scope's JSON fields, into `body`.
    pub(crate) fn write_into(&self, body: &mut Map<String, Value>) {
        match self {
            Self::Rooms(rooms) => {
                body.insert("rooms".into(), json!(rooms));
            }
            Self::AllRooms => {
                body.insert("rooms".into(), json!(["*"]));
            }
            Self::Global => {
                body.insert("global".into(), json!(true));
            }
        }
    }
}

/// A role to give or take with `POST /user/{sid}/moderator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Role {
    /// No role (removes moderator and admin).
    None,
    /// A moderator; `visible`: listed in the room's `moderators`.
    Moderator {
        /// Listed publicly.
        visible: bool,
    },
    /// An admin (implies moderator).
    Admin {
        /// Listed publicly.
        visible: bool,
    },
}

/// A per-user permission override for `POST /room/R/permissions/{sid}`: `Some(bool)` sets
/// it, `None` leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PermissionChange {
    /// Read.
    pub read: Option<bool>,
    /// Write.
    pub write: Option<bool>,
    /// Upload.
    pub upload: Option<bool>,
    /// Accessible (see the room at all).
    pub accessible: Option<bool>,
}

impl PermissionChange {
    /// Sets write.
    #[must_use]
    pub fn write(mut self, allow: bool) -> Self {
        self.write = Some(allow);
        self
    }

    /// Sets read.
    #[must_use]
    pub fn read(mut self, allow: bool) -> Self {
        self.read = Some(allow);
        self
    }

    /// Sets upload.
    #[must_use]
    pub fn upload(mut self, allow: bool) -> Self {
        self.upload = Some(allow);
        self
    }

    /// Sets accessible.
    #[must_use]
    pub fn accessible(mut self, allow: bool) -> Self {
        self.accessible = Some(allow);
        self
    }

    /// The set fields as JSON (`futurePermissions` takes no `accessible`).
    pub(crate) fn to_map(self, with_accessible: bool) -> Map<String, Value> {
        let mut map = Map::new();
        for (name, value) in [
            ("read", self.read),
            ("write", self.write),
            ("upload", self.upload),
            ("accessible", self.accessible.filter(|_| with_accessible)),
        ] {
            if let Some(value) = value {
                map.insert(name.into(), Value::Bool(value));
            }
        }
        map
    }
}

/// A user's explicit overrides in a room (`GET /room/R/permissions[/{sid}]`): only what
/// differs from the room's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct PermissionOverride {
    /// Read override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<bool>,
    /// Write override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<bool>,
    /// Upload override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<bool>,
    /// Accessibility override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessible: Option<bool>,
    /// Banned from the room.
    #[serde(default)]
    pub banned: bool,
    /// Moderator of the room.
    #[serde(default)]
    pub moderator: bool,
    /// Admin of the room.
    #[serde(default)]
    pub admin: bool,
    /// A hidden moderator/admin.
    #[serde(default)]
    pub hidden: bool,
}

/// A scheduled change (`futurePermissions`, or a timed ban's end).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct FuturePermission {
    /// Whose (in the room-wide list).
    #[serde(default)]
    pub session_id: Option<String>,
    /// When it applies, unix seconds.
    pub at: f64,
    /// Read, then.
    #[serde(default)]
    pub read: Option<bool>,
    /// Write, then.
    #[serde(default)]
    pub write: Option<bool>,
    /// Upload, then.
    #[serde(default)]
    pub upload: Option<bool>,
    /// Banned, then.
    #[serde(default)]
    pub banned: Option<bool>,
}
