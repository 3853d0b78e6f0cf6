//! Every endpoint of `sogs.md` §6 as a [`Request`] constructor: exact method, path, query
//! and body. Tokens are checked, reactions and filenames percent-encoded.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};
use session_identity::SessionId;

use crate::error::{Error, Result};
use crate::percent;
use crate::post::SignedPost;
use crate::request::{Body, Request};
use crate::types::{PermissionChange, Role, RoomUpdate, Scope};
use crate::url::check_room_token;

/// The most code points a reaction may have.
const REACTION_MAX_CHARS: usize = 12;

/// Query options of the message-list endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MessageQuery {
    /// `limit` (the server clamps to 1..256, default 100).
    pub limit: Option<u32>,
    /// `reactors`: how many reactor ids per reaction (0..20, default 4).
    pub reactors: Option<u32>,
    /// `t=r`: include reaction-only updates (`since` only).
    pub reaction_updates: bool,
}

impl MessageQuery {
    /// The query the apps poll with: `t=r&reactors=5`.
    pub fn poll() -> Self {
        Self {
            limit: None,
            reactors: Some(5),
            reaction_updates: true,
        }
    }

    /// With `limit`.
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// With `reactors`.
    #[must_use]
    pub fn reactors(mut self, reactors: u32) -> Self {
        self.reactors = Some(reactors);
        self
    }

    /// `?…` or empty.
    fn to_query(self) -> String {
        let mut parts = Vec::new();
        if self.reaction_updates {
            parts.push("t=r".to_owned());
        }
        if let Some(reactors) = self.reactors {
            parts.push(format!("reactors={reactors}"));
        }
        if let Some(limit) = self.limit {
            parts.push(format!("limit={limit}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// `/room/{token}` after checking the token.
fn room_path(room: &str) -> Result<String> {
    check_room_token(room)?;
    Ok(format!("/room/{room}"))
}

/// A reaction as one path segment.
fn reaction_segment(reaction: &str) -> Result<String> {
    let chars = reaction.chars().count();
    if chars == 0 || chars > REACTION_MAX_CHARS {
        return Err(Error::InvalidRequest(
            "a reaction is 1 to 12 characters".into(),
        ));
    }
    Ok(percent::encode(reaction))
}

/// A post's JSON body.
fn post_body(post: &SignedPost, allow_whisper: bool) -> Value {
    let mut body = Map::new();
    body.insert("data".into(), Value::from(STANDARD.encode(&post.data)));
    body.insert(
        "signature".into(),
        Value::from(STANDARD.encode(post.signature)),
    );
    if !post.files.is_empty() {
        body.insert("files".into(), json!(post.files));
    }
    if allow_whisper {
        if let Some(to) = &post.whisper_to {
            body.insert("whisper_to".into(), Value::from(to.to_string()));
        }
        if post.whisper_mods {
            body.insert("whisper_mods".into(), Value::Bool(true));
        }
    }
    Value::Object(body)
}

/// Whole seconds of a timeout, at least 1.
fn seconds(timeout: Duration) -> u64 {
    timeout.as_secs().max(1)
}

impl Request {
    /// `GET /capabilities[?required=a,b]`.
    pub fn capabilities(required: &[&str]) -> Self {
        if required.is_empty() {
            Self::new("GET", "/capabilities".into())
        } else {
            Self::new(
                "GET",
                format!("/capabilities?required={}", required.join(",")),
            )
        }
    }

    /// `GET /rooms`.
    pub fn rooms() -> Self {
        Self::new("GET", "/rooms".into())
    }

    /// `GET /room/R`.
    ///
    /// # Errors
    ///
    /// [`Error::Url`] for an invalid room token (as every room endpoint).
    pub fn room(room: &str) -> Result<Self> {
        Ok(Self::new("GET", room_path(room)?))
    }

    /// `PUT /room/R` (admins).
    pub fn update_room(room: &str, update: &RoomUpdate) -> Result<Self> {
        if update.is_empty() {
            return Err(Error::InvalidRequest(
                "a room update changes something".into(),
            ));
        }
        Ok(Self::json_map("PUT", room_path(room)?, update.to_map()))
    }

    /// `GET /room/R/permissions` or, for one user, `GET /room/R/permissions/{sid}`
    /// (moderators).
    pub fn permissions(room: &str, session_id: Option<&SessionId>) -> Result<Self> {
        let base = format!("{}/permissions", room_path(room)?);
        Ok(Self::new(
            "GET",
            match session_id {
                Some(sid) => format!("{base}/{sid}"),
                None => base,
            },
        ))
    }

    /// `GET /room/R/futurePermissions[/{sid}]` (moderators).
    pub fn scheduled_permissions(room: &str, session_id: Option<&SessionId>) -> Result<Self> {
        let base = format!("{}/futurePermissions", room_path(room)?);
        Ok(Self::new(
            "GET",
            match session_id {
                Some(sid) => format!("{base}/{sid}"),
                None => base,
            },
        ))
    }

    /// `DELETE /rooms/all/{sid}`: a user's posts in every room the caller moderates.
    pub fn delete_all_everywhere(session_id: &SessionId) -> Self {
        Self::new("DELETE", format!("/rooms/all/{session_id}"))
    }

    /// `GET /room/R/pollInfo/{info_updates}`.
    pub fn poll_info(room: &str, info_updates: u64) -> Result<Self> {
        Ok(Self::new(
            "GET",
            format!("{}/pollInfo/{info_updates}", room_path(room)?),
        ))
    }

    /// `GET /room/R/messages/since/{seqno}[?t=r&reactors&limit]`.
    pub fn messages_since(room: &str, seqno: u64, query: MessageQuery) -> Result<Self> {
        Ok(Self::new(
            "GET",
            format!(
                "{}/messages/since/{seqno}{}",
                room_path(room)?,
                query.to_query()
            ),
        ))
    }

    /// `GET /room/R/messages/recent[?reactors&limit]` (`t=r` does not apply).
    pub fn messages_recent(room: &str, query: MessageQuery) -> Result<Self> {
        let query = MessageQuery {
            reaction_updates: false,
            ..query
        };
        Ok(Self::new(
            "GET",
            format!("{}/messages/recent{}", room_path(room)?, query.to_query()),
        ))
    }

    /// `GET /room/R/messages/before/{id}[?reactors&limit]`.
    pub fn messages_before(room: &str, id: u64, query: MessageQuery) -> Result<Self> {
        let query = MessageQuery {
            reaction_updates: false,
            ..query
        };
        Ok(Self::new(
            "GET",
            format!(
                "{}/messages/before/{id}{}",
                room_path(room)?,
                query.to_query()
            ),
        ))
    }

    /// `GET /room/R/message/{id}`.
    pub fn message(room: &str, id: u64) -> Result<Self> {
        Ok(Self::new(
            "GET",
            format!("{}/message/{id}", room_path(room)?),
        ))
    }

    /// `POST /room/R/message` with a signed post.
    pub fn post_message(room: &str, post: &SignedPost) -> Result<Self> {
        Ok(Self::json(
            "POST",
            format!("{}/message", room_path(room)?),
            post_body(post, true),
        ))
    }

    /// `PUT /room/R/message/{id}`: a new version (whispers cannot change).
    pub fn edit_message(room: &str, id: u64, post: &SignedPost) -> Result<Self> {
        Ok(Self::json(
            "PUT",
            format!("{}/message/{id}", room_path(room)?),
            post_body(post, false),
        ))
    }

    /// `DELETE /room/R/message/{id}`.
    pub fn delete_message(room: &str, id: u64) -> Result<Self> {
        Ok(Self::new(
            "DELETE",
            format!("{}/message/{id}", room_path(room)?),
        ))
    }

    /// `DELETE /room/R/all/{sid}`: every post of a user in the room.
    pub fn delete_all_from(room: &str, session_id: &SessionId) -> Result<Self> {
        Ok(Self::new(
            "DELETE",
            format!("{}/all/{session_id}", room_path(room)?),
        ))
    }

    /// `POST /room/R/pin/{id}` with `{}`.
    pub fn pin(room: &str, id: u64) -> Result<Self> {
        Ok(Self::json(
            "POST",
            format!("{}/pin/{id}", room_path(room)?),
            json!({}),
        ))
    }

    /// `POST /room/R/unpin/{id}` with `{}`.
    pub fn unpin(room: &str, id: u64) -> Result<Self> {
        Ok(Self::json(
            "POST",
            format!("{}/unpin/{id}", room_path(room)?),
            json!({}),
        ))
    }

    /// `POST /room/R/unpin/all` with `{}`.
    pub fn unpin_all(room: &str) -> Result<Self> {
        Ok(Self::json(
            "POST",
            format!("{}/unpin/all", room_path(room)?),
            json!({}),
        ))
    }

    /// `PUT /room/R/reaction/{id}/{reaction}` with `{}`.
    pub fn add_reaction(room: &str, id: u64, reaction: &str) -> Result<Self> {
        Ok(Self::json(
            "PUT",
            format!(
                "{}/reaction/{id}/{}",
                room_path(room)?,
                reaction_segment(reaction)?
            ),
            json!({}),
        ))
    }

    /// `DELETE /room/R/reaction/{id}/{reaction}`.
    pub fn remove_reaction(room: &str, id: u64, reaction: &str) -> Result<Self> {
        Ok(Self::new(
            "DELETE",
            format!(
                "{}/reaction/{id}/{}",
                room_path(room)?,
                reaction_segment(reaction)?
            ),
        ))
    }

    /// `DELETE /room/R/reactions/{id}[/{reaction}]` (moderators).
    pub fn clear_reactions(room: &str, id: u64, reaction: Option<&str>) -> Result<Self> {
        let base = format!("{}/reactions/{id}", room_path(room)?);
        Ok(Self::new(
            "DELETE",
            match reaction {
                Some(reaction) => format!("{base}/{}", reaction_segment(reaction)?),
                None => base,
            },
        ))
    }

    /// `GET /room/R/reactors/{id}/{reaction}[?limit]`.
    pub fn reactors(room: &str, id: u64, reaction: &str, limit: Option<u32>) -> Result<Self> {
        let query = limit.map(|l| format!("?limit={l}")).unwrap_or_default();
        Ok(Self::new(
            "GET",
            format!(
                "{}/reactors/{id}/{}{query}",
                room_path(room)?,
                reaction_segment(reaction)?
            ),
        ))
    }

    /// `POST /room/R/file`: raw bytes, optionally named (`filename*=UTF-8''…`).
    pub fn upload_file(room: &str, bytes: Vec<u8>, filename: Option<&str>) -> Result<Self> {
        let mut request = Self::new("POST", format!("{}/file", room_path(room)?));
        request.body = Body::Bytes(bytes);
        if let Some(name) = filename {
            request.headers.push((
                "Content-Disposition".into(),
                format!("attachment; filename*=UTF-8''{}", percent::encode(name)),
            ));
        }
        Ok(request)
    }

    /// `GET /room/R/file/{id}`.
    pub fn download_file(room: &str, id: u64) -> Result<Self> {
        Ok(Self::new("GET", format!("{}/file/{id}", room_path(room)?)))
    }

    /// `POST /user/{sid}/ban` with a scope and an optional timeout (seconds).
    pub fn ban(session_id: &SessionId, scope: &Scope, timeout: Option<Duration>) -> Self {
        let mut body = Map::new();
        scope.write_into(&mut body);
        if let Some(timeout) = timeout {
            body.insert("timeout".into(), Value::from(seconds(timeout)));
        }
        Self::json_map("POST", format!("/user/{session_id}/ban"), body)
    }

    /// `POST /user/{sid}/unban`.
    pub fn unban(session_id: &SessionId, scope: &Scope) -> Self {
        let mut body = Map::new();
        scope.write_into(&mut body);
        Self::json_map("POST", format!("/user/{session_id}/unban"), body)
    }

    /// `POST /user/{sid}/moderator`.
    pub fn set_moderator(session_id: &SessionId, scope: &Scope, role: Role) -> Self {
        let mut body = Map::new();
        scope.write_into(&mut body);
        let (moderator, admin, visible) = match role {
            Role::None => (false, false, None),
            Role::Moderator { visible } => (true, false, Some(visible)),
            Role::Admin { visible } => (true, true, Some(visible)),
        };
        body.insert("moderator".into(), Value::Bool(moderator));
        body.insert("admin".into(), Value::Bool(admin));
        if let Some(visible) = visible {
            body.insert("visible".into(), Value::Bool(visible));
        }
        Self::json_map("POST", format!("/user/{session_id}/moderator"), body)
    }

    /// `POST /room/R/permissions/{sid}`: per-user overrides.
    pub fn set_permissions(
        room: &str,
        session_id: &SessionId,
        change: PermissionChange,
    ) -> Result<Self> {
        Ok(Self::json_map(
            "POST",
            format!("{}/permissions/{session_id}", room_path(room)?),
            change.to_map(true),
        ))
    }

    /// `POST /room/R/futurePermissions/{sid}`: a change applied `after` from now.
    pub fn future_permissions(
        room: &str,
        session_id: &SessionId,
        change: PermissionChange,
        after: Duration,
    ) -> Result<Self> {
        let mut body = change.to_map(false);
        body.insert("in".into(), Value::from(seconds(after)));
        Ok(Self::json_map(
            "POST",
            format!("{}/futurePermissions/{session_id}", room_path(room)?),
            body,
        ))
    }

    /// `POST /inbox/{id}` with an encrypted DM.
    pub fn send_dm(to: &SessionId, message: &[u8]) -> Self {
        Self::json(
            "POST",
            format!("/inbox/{to}"),
            json!({ "message": STANDARD.encode(message) }),
        )
    }

    /// `GET /inbox` or `GET /inbox/since/{id}`.
    pub fn inbox(since: Option<u64>) -> Self {
        match since {
            Some(id) => Self::new("GET", format!("/inbox/since/{id}")),
            None => Self::new("GET", "/inbox".into()),
        }
    }

    /// `GET /outbox` or `GET /outbox/since/{id}`.
    pub fn outbox(since: Option<u64>) -> Self {
        match since {
            Some(id) => Self::new("GET", format!("/outbox/since/{id}")),
            None => Self::new("GET", "/outbox".into()),
        }
    }

    /// `DELETE /inbox`.
    pub fn delete_inbox() -> Self {
        Self::new("DELETE", "/inbox".into())
    }

    /// `POST /batch` (run all) of `requests`.
    pub fn batch(requests: &[Request]) -> Self {
        Self::json("POST", "/batch".into(), batch_list(requests))
    }

    /// `POST /sequence` (in order, stop at the first failure) of `requests`.
    pub fn sequence(requests: &[Request]) -> Self {
        Self::json("POST", "/sequence".into(), batch_list(requests))
    }
}

/// The sub-requests as a JSON list.
fn batch_list(requests: &[Request]) -> Value {
    Value::Array(requests.iter().map(Request::to_batch_json).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::signed_message;

    fn sid() -> SessionId {
        SessionId::parse_hex(&format!("15{}", "ab".repeat(32))).unwrap()
    }

    fn line(r: &Request) -> String {
        format!(
            "{} {} {}",
            r.method,
            r.endpoint,
            String::from_utf8(r.body_bytes()).unwrap()
        )
    }

    #[test]
    fn read_endpoints() {
        let q = MessageQuery::poll();
        let cases = [
            (Request::capabilities(&[]), "GET /capabilities "),
            (
                Request::capabilities(&["sogs", "blind"]),
                "GET /capabilities?required=sogs,blind ",
            ),
            (Request::rooms(), "GET /rooms "),
            (Request::room("lobby").unwrap(), "GET /room/lobby "),
            (
                Request::poll_info("lobby", 3).unwrap(),
                "GET /room/lobby/pollInfo/3 ",
            ),
            (
                Request::messages_since("lobby", 7, q).unwrap(),
                "GET /room/lobby/messages/since/7?t=r&reactors=5 ",
            ),
            (
                Request::messages_recent("lobby", q).unwrap(),
                "GET /room/lobby/messages/recent?reactors=5 ",
            ),
            (
                Request::messages_recent("lobby", MessageQuery::default()).unwrap(),
                "GET /room/lobby/messages/recent ",
            ),
            (
                Request::messages_before("lobby", 9, MessageQuery::default().limit(2)).unwrap(),
                "GET /room/lobby/messages/before/9?limit=2 ",
            ),
            (
                Request::message("lobby", 4).unwrap(),
                "GET /room/lobby/message/4 ",
            ),
            (
                Request::download_file("lobby", 8).unwrap(),
                "GET /room/lobby/file/8 ",
            ),
            (Request::inbox(None), "GET /inbox "),
            (Request::inbox(Some(3)), "GET /inbox/since/3 "),
            (Request::outbox(None), "GET /outbox "),
            (Request::outbox(Some(4)), "GET /outbox/since/4 "),
            (Request::delete_inbox(), "DELETE /inbox "),
        ];
        for (request, want) in cases {
            assert_eq!(line(&request), want);
        }
    }

    #[test]
    fn write_endpoints() {
        let s = sid();
        let post = SignedPost {
            data: vec![1, 2, 3],
            signature: [0; 64],
            files: vec![5],
            whisper_to: None,
            whisper_mods: true,
        };
        let sig = STANDARD.encode([0u8; 64]);
        let cases = [
            (
                Request::post_message("r", &post).unwrap(),
                format!(
                    r#"POST /room/r/message {{"data":"AQID","files":[5],"signature":"{sig}","whisper_mods":true}}"#
                ),
            ),
            (
                Request::edit_message("r", 2, &post).unwrap(),
                format!(
                    r#"PUT /room/r/message/2 {{"data":"AQID","files":[5],"signature":"{sig}"}}"#
                ),
            ),
            (
                Request::delete_message("r", 2).unwrap(),
                "DELETE /room/r/message/2 ".into(),
            ),
            (
                Request::pin("r", 2).unwrap(),
                "POST /room/r/pin/2 {}".into(),
            ),
            (
                Request::unpin("r", 2).unwrap(),
                "POST /room/r/unpin/2 {}".into(),
            ),
            (
                Request::unpin_all("r").unwrap(),
                "POST /room/r/unpin/all {}".into(),
            ),
            (
                Request::add_reaction("r", 2, "👍").unwrap(),
                "PUT /room/r/reaction/2/%F0%9F%91%8D {}".into(),
            ),
            (
                Request::remove_reaction("r", 2, "a/b").unwrap(),
                "DELETE /room/r/reaction/2/a%2Fb ".into(),
            ),
            (
                Request::clear_reactions("r", 2, None).unwrap(),
                "DELETE /room/r/reactions/2 ".into(),
            ),
            (
                Request::clear_reactions("r", 2, Some("x")).unwrap(),
                "DELETE /room/r/reactions/2/x ".into(),
            ),
            (
                Request::reactors("r", 2, "x", Some(3)).unwrap(),
                "GET /room/r/reactors/2/x?limit=3 ".into(),
            ),
            (
                Request::ban(&s, &Scope::room("r"), Some(Duration::from_secs(60))),
                format!(r#"POST /user/{s}/ban {{"rooms":["r"],"timeout":60}}"#),
            ),
            (
                Request::ban(&s, &Scope::Global, None),
                format!(r#"POST /user/{s}/ban {{"global":true}}"#),
            ),
            (
                Request::unban(&s, &Scope::AllRooms),
                format!(r#"POST /user/{s}/unban {{"rooms":["*"]}}"#),
            ),
            (
                Request::set_moderator(&s, &Scope::room("r"), Role::Admin { visible: true }),
                format!(
                    r#"POST /user/{s}/moderator {{"admin":true,"moderator":true,"rooms":["r"],"visible":true}}"#
                ),
            ),
            (
                Request::set_moderator(&s, &Scope::Global, Role::None),
                format!(
                    r#"POST /user/{s}/moderator {{"admin":false,"global":true,"moderator":false}}"#
                ),
            ),
            (
                Request::set_permissions("r", &s, PermissionChange::default().write(false))
                    .unwrap(),
                format!(r#"POST /room/r/permissions/{s} {{"write":false}}"#),
            ),
            (
                Request::future_permissions(
                    "r",
                    &s,
                    PermissionChange::default().write(true).accessible(true),
                    Duration::from_secs(30),
                )
                .unwrap(),
                format!(r#"POST /room/r/futurePermissions/{s} {{"in":30,"write":true}}"#),
            ),
            (
                Request::update_room("r", &RoomUpdate::default().name("N").description(None))
                    .unwrap(),
                r#"PUT /room/r {"description":null,"name":"N"}"#.into(),
            ),
            (
                Request::permissions("r", None).unwrap(),
                "GET /room/r/permissions ".into(),
            ),
            (
                Request::permissions("r", Some(&s)).unwrap(),
                format!("GET /room/r/permissions/{s} "),
            ),
            (
                Request::scheduled_permissions("r", Some(&s)).unwrap(),
                format!("GET /room/r/futurePermissions/{s} "),
            ),
            (
                Request::delete_all_everywhere(&s),
                format!("DELETE /rooms/all/{s} "),
            ),
            (
                Request::delete_all_from("r", &s).unwrap(),
                format!("DELETE /room/r/all/{s} "),
            ),
            (
                Request::send_dm(&s, &[0, 1]),
                format!(r#"POST /inbox/{s} {{"message":"AAE="}}"#),
            ),
        ];
        for (request, want) in cases {
            assert_eq!(line(&request), want);
        }
    }

    #[test]
    fn upload_names_the_file() {
        let request = Request::upload_file("r", vec![7; 3], Some("a b.txt")).unwrap();
        assert_eq!(request.endpoint, "/room/r/file");
        assert_eq!(request.content_type(), Some("application/octet-stream"));
        assert_eq!(
            request.headers,
            vec![(
                "Content-Disposition".to_owned(),
                "attachment; filename*=UTF-8''a%20b.txt".to_owned()
            )]
        );
    }

    #[test]
    fn reaction_paths_sign_decoded() {
        let request = Request::add_reaction("r", 5, "👍").unwrap();
        let message = signed_message(
            &[0; 32],
            &[0; 16],
            "1",
            request.method,
            &request.endpoint,
            &request.body_bytes(),
        );
        let text = [b"1PUT/room/r/reaction/5/".as_slice(), "👍".as_bytes()].concat();
        assert_eq!(&message[48..48 + text.len()], text.as_slice());
    }

    #[test]
    fn rejects_bad_tokens_and_reactions() {
        assert!(Request::room("a/b").is_err());
        assert!(Request::update_room("r", &RoomUpdate::default()).is_err());
        assert!(Request::add_reaction("r", 1, "").is_err());
        assert!(Request::add_reaction("r", 1, &"x".repeat(13)).is_err());
    }

    #[test]
    fn batch_and_sequence_bodies() {
        let subs = [Request::capabilities(&[]), Request::pin("r", 1).unwrap()];
        assert_eq!(
            line(&Request::batch(&subs)),
            r#"POST /batch [{"method":"GET","path":"/capabilities"},{"json":{},"method":"POST","path":"/room/r/pin/1"}]"#
        );
        assert_eq!(Request::sequence(&subs).endpoint, "/sequence");
    }
}
