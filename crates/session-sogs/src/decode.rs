//! Typed decoding of each endpoint's answer. Every decoder takes any [`Response`] and
//! returns a value or a typed error, never panics.

use serde::Deserialize;
use serde_json::Value;
use session_identity::SessionId;

use crate::dm::{RawDm, decode_dm_rows};
use crate::error::{Error, Result};
use crate::percent;
use crate::received::{CommunityMessage, MessageRow, decode_message, decode_message_rows};
use crate::response::Response;
use crate::types::{
    Capabilities, DownloadedFile, PollInfo, PostedMessage, ReactionChange, Reactor, Room, SentDm,
};

fn field_u64(value: &Value, name: &str) -> Result<u64> {
    value
        .get(name)
        .and_then(Value::as_u64)
        .ok_or_else(|| Error::Decode(format!("no integer `{name}`")))
}

fn field_bool(value: &Value, name: &str) -> Result<bool> {
    value
        .get(name)
        .and_then(Value::as_bool)
        .ok_or_else(|| Error::Decode(format!("no boolean `{name}`")))
}

/// `GET /capabilities`.
pub fn capabilities(response: &Response) -> Result<Capabilities> {
    response.json()
}

/// `GET /rooms`.
pub fn rooms(response: &Response) -> Result<Vec<Room>> {
    response.json()
}

/// `GET /room/R`.
pub fn room(response: &Response) -> Result<Room> {
    response.json()
}

/// `GET /room/R/pollInfo/N`.
pub fn poll_info(response: &Response) -> Result<PollInfo> {
    response.json()
}

/// A message list, every row.
pub fn message_rows(response: &Response) -> Result<Vec<MessageRow>> {
    response.check()?;
    decode_message_rows(&response.body)
}

/// A message list without reaction-only rows.
pub fn messages(response: &Response) -> Result<Vec<CommunityMessage>> {
    Ok(message_rows(response)?
        .into_iter()
        .filter_map(|row| match row {
            MessageRow::Message(message) => Some(*message),
            MessageRow::Reactions { .. } => None,
        })
        .collect())
}

/// `GET /room/R/message/{id}`.
pub fn message(response: &Response) -> Result<CommunityMessage> {
    response.check()?;
    decode_message(&response.body)
}

/// `POST /room/R/message` (201 + the message).
pub fn posted(response: &Response) -> Result<PostedMessage> {
    let value: Value = response.json()?;
    Ok(PostedMessage {
        id: field_u64(&value, "id")?,
        seqno: field_u64(&value, "seqno")?,
        posted: value
            .get("posted")
            .and_then(Value::as_f64)
            .unwrap_or_default(),
        filtered: value
            .get("filtered")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

/// An answer whose body does not matter (`{}`).
pub fn empty(response: &Response) -> Result<()> {
    response.check().map(|_| ())
}

/// A reaction add (`"added"`) or remove (`"removed"`).
pub fn reaction_change(response: &Response, key: &str) -> Result<ReactionChange> {
    let value: Value = response.json()?;
    Ok(ReactionChange {
        changed: field_bool(&value, key)?,
        seqno: field_u64(&value, "seqno")?,
    })
}

/// `DELETE /room/R/reactions/...`: how many were removed.
pub fn reactions_cleared(response: &Response) -> Result<u64> {
    field_u64(&response.json::<Value>()?, "removed")
}

/// `GET /room/R/reactors/...`: `[[id, ts], …]`.
pub fn reactors(response: &Response) -> Result<Vec<Reactor>> {
    let raw: Vec<(SessionId, f64)> = response.json()?;
    Ok(raw
        .into_iter()
        .map(|(session_id, at)| Reactor { session_id, at })
        .collect())
}

/// Pin / unpin: the new `info_updates`.
pub fn info_updates(response: &Response) -> Result<u64> {
    field_u64(&response.json::<Value>()?, "info_updates")
}

/// `POST /room/R/file`: the file id.
pub fn uploaded(response: &Response) -> Result<u64> {
    field_u64(&response.json::<Value>()?, "id")
}

/// `GET /room/R/file/{id}`: the bytes and the name from `Content-Disposition`.
pub fn downloaded(response: &Response) -> Result<DownloadedFile> {
    response.check()?;
    let filename = response
        .header("content-disposition")
        .and_then(disposition_filename);
    Ok(DownloadedFile {
        bytes: response.body.clone(),
        filename,
    })
}

/// The filename of `attachment; filename*=UTF-8''…` (or a plain `filename="…"`).
fn disposition_filename(header: &str) -> Option<String> {
    header.split(';').map(str::trim).find_map(|part| {
        if let Some(encoded) = part.strip_prefix("filename*=") {
            let encoded = encoded.strip_prefix("UTF-8''").unwrap_or(encoded);
            String::from_utf8(percent::decode(encoded)).ok()
        } else {
            part.strip_prefix("filename=")
                .map(|name| name.trim_matches('"').to_owned())
        }
    })
}

/// `POST /inbox/{id}`.
pub fn sent_dm(response: &Response) -> Result<SentDm> {
    response.json()
}

/// An inbox/outbox list; 304 means nothing newer.
pub fn dm_rows(response: &Response) -> Result<Vec<RawDm>> {
    response.check()?;
    if response.status == 304 {
        return Ok(Vec::new());
    }
    decode_dm_rows(&response.body)
}

/// `DELETE /inbox`: how many were deleted.
pub fn deleted_count(response: &Response) -> Result<u64> {
    field_u64(&response.json::<Value>()?, "deleted")
}

/// Any JSON answer as `T`.
pub fn json<T: for<'de> Deserialize<'de>>(response: &Response) -> Result<T> {
    response.json()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: BTreeMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn real_shapes() {
        let caps = capabilities(&response(
            200,
            r#"{"capabilities":["blind","reactions","sogs"]}"#,
        ))
        .unwrap();
        assert!(caps.requires_blinding() && caps.has("reactions"));

        let mod_id = format!("15{}", "33".repeat(32));
        let room_json = format!(
            r#"{{"token":"lobby","name":"Lobby","info_updates":3,"message_sequence":12,"created":1.5,
               "active_users":2,"active_users_cutoff":604800,"image_id":4,
               "pinned_messages":[{{"id":1,"pinned_at":2.0,"pinned_by":"ff{}"}}],
               "moderators":["{mod_id}"],"admins":[],"read":true,"write":true,"upload":false}}"#,
            "00".repeat(32)
        );
        let r = room(&response(200, &room_json)).unwrap();
        assert_eq!(
            (r.info_updates, r.message_sequence, r.image_id),
            (3, 12, Some(4))
        );
        assert_eq!(r.pinned_messages.len(), 1);
        assert!(r.description.is_none() && !r.moderator);
        assert_eq!(
            rooms(&response(200, &format!("[{room_json}]")))
                .unwrap()
                .len(),
            1
        );

        let info = poll_info(&response(
            200,
            &format!(r#"{{"token":"lobby","active_users":1,"read":true,"write":false,"upload":false,"details":{room_json}}}"#),
        ))
        .unwrap();
        assert!(info.details.is_some() && info.read && !info.write);

        let posted = posted(&response(
            201,
            r#"{"id":5,"seqno":9,"posted":1.25,"session_id":"x","reactions":{}}"#,
        ))
        .unwrap();
        assert_eq!((posted.id, posted.seqno, posted.filtered), (5, 9, false));
        let added =
            reaction_change(&response(200, r#"{"added":true,"seqno":10}"#), "added").unwrap();
        assert_eq!(
            added,
            ReactionChange {
                changed: true,
                seqno: 10
            }
        );
        assert_eq!(
            reactions_cleared(&response(200, r#"{"removed":3,"seqno":11}"#)).unwrap(),
            3
        );
        let who = reactors(&response(200, &format!(r#"[["{mod_id}",1.5]]"#))).unwrap();
        assert_eq!(who[0].at, 1.5);
        assert_eq!(
            info_updates(&response(200, r#"{"unpinned":true,"info_updates":4}"#)).unwrap(),
            4
        );
        assert_eq!(uploaded(&response(201, r#"{"id":77}"#)).unwrap(), 77);
        assert_eq!(
            deleted_count(&response(200, r#"{"deleted":2}"#)).unwrap(),
            2
        );
        let dm = sent_dm(&response(201, &format!(r#"{{"id":1,"posted_at":1.0,"expires_at":2.0,"sender":"{mod_id}","recipient":"{mod_id}"}}"#))).unwrap();
        assert_eq!(dm.id, 1);
    }

    #[test]
    fn not_modified_inbox_is_empty() {
        assert!(dm_rows(&response(304, "")).unwrap().is_empty());
    }

    #[test]
    fn files_keep_their_names() {
        let mut r = response(200, "abc");
        r.headers.insert(
            "content-disposition".into(),
            "attachment; filename*=UTF-8''caf%C3%A9.txt".into(),
        );
        let file = downloaded(&r).unwrap();
        assert_eq!(file.bytes, b"abc");
        assert_eq!(file.filename.as_deref(), Some("café.txt"));
        assert_eq!(disposition_filename("attachment"), None);
        assert_eq!(
            disposition_filename(r#"attachment; filename="a.txt""#).as_deref(),
            Some("a.txt")
        );
    }

    #[test]
    fn errors_are_typed() {
        assert!(matches!(room(&response(404, "")), Err(Error::NotFound)));
        assert!(matches!(room(&response(200, "[")), Err(Error::Decode(_))));
        assert!(matches!(
            posted(&response(201, "{}")),
            Err(Error::Decode(_))
        ));
        assert!(matches!(
            capabilities(&response(412, r#"{"missing":["x"]}"#)),
            Err(Error::MissingCapabilities)
        ));
    }
}
