//! What every route gets: the state (locked), the authenticated user, the time and the
//! request; and pysogs' checks (`require_user`, `read_required`, `require_mod`, …) with
//! their exact answers.

use super::reply::Reply;
use super::request::SogsRequest;
use super::state::{Perms, Room, State, Uid};

/// One request being answered.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    /// The server state.
    pub(crate) state: &'a mut State,
    /// The authenticated user, if any.
    pub(crate) user: Option<Uid>,
    /// The server time.
    pub(crate) now: f64,
    /// The request.
    pub(crate) request: &'a SogsRequest,
}

impl Ctx<'_> {
    /// pysogs' `require_user`.
    pub(crate) fn require_user(&self) -> Result<Uid, Reply> {
        self.user
            .ok_or_else(|| Reply::text(401, "X-SOGS-* request authentication required"))
    }

    /// pysogs' `require_blind_user`.
    pub(crate) fn require_blind_user(&self) -> Result<Uid, Reply> {
        let uid = self.require_user()?;
        if self.state.session_id(uid).starts_with("05") {
            return Err(Reply::text(
                401,
                "This endpoint requires blinded pubkeys be used",
            ));
        }
        Ok(uid)
    }

    /// The room, or Flask's 404 page (the `<Room:room>` converter's answer).
    pub(crate) fn room(&self, token: &str) -> Result<&Room, Reply> {
        self.state
            .rooms
            .get(token)
            .ok_or_else(|| Reply::error_page(404))
    }

    /// The room, mutable.
    pub(crate) fn room_mut(&mut self, token: &str) -> Result<&mut Room, Reply> {
        self.state
            .rooms
            .get_mut(token)
            .ok_or_else(|| Reply::error_page(404))
    }

    /// The caller's permissions in `token` (404 for an unknown room).
    pub(crate) fn perms(&self, token: &str) -> Result<Perms, Reply> {
        let room = self.room(token)?;
        Ok(self.state.perms(room, self.user))
    }

    /// pysogs' `accessible_required`: 404 unless the room is visible to the caller.
    pub(crate) fn require_accessible(&self, token: &str) -> Result<Perms, Reply> {
        let perms = self.perms(token)?;
        if !perms.accessible {
            return Err(Reply::error_page(404));
        }
        Ok(perms)
    }

    /// pysogs' `read_required`.
    pub(crate) fn require_read(&self, token: &str) -> Result<Perms, Reply> {
        let perms = self.perms(token)?;
        if !perms.read {
            return Err(Reply::text(
                403,
                "This endpoint requires room message 'read' permission",
            ));
        }
        Ok(perms)
    }

    /// pysogs' `require_mod(room, admin=…)`.
    pub(crate) fn require_mod(&self, token: &str, admin: bool) -> Result<Uid, Reply> {
        let perms = self.perms(token)?;
        let uid = self.require_user()?;
        if !(if admin { perms.admin } else { perms.moderator }) {
            let what = if admin { "admin" } else { "moderator" };
            return Err(Reply::text(
                403,
                format!("This endpoint requires {what} room permissions"),
            ));
        }
        Ok(uid)
    }

    /// A user and write permission (pysogs' posting checks answer a bare 403).
    pub(crate) fn require_write(&self, token: &str) -> Result<(Uid, Perms), Reply> {
        let perms = self.perms(token)?;
        let uid = self.require_user()?;
        if !perms.write {
            return Err(Reply::error_page(403));
        }
        Ok((uid, perms))
    }

    /// The `limit` query parameter clamped to `1..=max` (default `default`); a non-integer
    /// is a 400.
    pub(crate) fn limit(&self, default: i64, max: i64) -> Result<usize, Reply> {
        let value = self.int_param("limit", default)?;
        Ok(usize::try_from(value.clamp(1, max)).unwrap_or(1))
    }

    /// The `reactors` query parameter clamped to `0..=20` (default 4).
    pub(crate) fn reactors(&self) -> Result<usize, Reply> {
        let value = self.int_param("reactors", 4)?;
        Ok(usize::try_from(value.clamp(0, 20)).unwrap_or(0))
    }

    fn int_param(&self, name: &str, default: i64) -> Result<i64, Reply> {
        match self.request.query_param(name) {
            None => Ok(default),
            Some(text) => text
                .trim()
                .parse::<i64>()
                .map_err(|_| Reply::error_page(400)),
        }
    }

    /// Records the caller's activity in `token`.
    pub(crate) fn touch_room(&mut self, token: &str) {
        let now = self.now;
        if let (Some(uid), Some(room)) = (self.user, self.state.rooms.get_mut(token)) {
            room.activity.insert(uid, now);
        }
    }
}

/// Python's truthiness of a JSON value (`bool(x)`).
pub(crate) fn truthy(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A session id path segment (`05`/`15`/`25` + 64 hex, as pysogs' `AnySessionID`
/// converter), lower-cased; anything else is Flask's 404.
pub(crate) fn parse_session_id(text: &str) -> Result<String, Reply> {
    let valid = text.len() == 66
        && text.bytes().all(|b| b.is_ascii_hexdigit())
        && matches!(&text[..2], "05" | "15" | "25");
    if valid {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(Reply::error_page(404))
    }
}

/// A message id path segment (Flask's `<int:…>`; anything else is a 404).
pub(crate) fn parse_id(text: &str) -> Result<u64, Reply> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Reply::error_page(404));
    }
    text.parse().map_err(|_| Reply::error_page(404))
}
