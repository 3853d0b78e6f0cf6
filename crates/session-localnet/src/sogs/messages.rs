//! Message routes: polling (`since`), `recent`, `before`, one message, posting (with its
//! rate limit), editing, deleting, and a moderator's delete-everything-by-a-user.

use serde_json::{Map, Value, json};

use super::auth::decode_base64;
use super::ctx::{Ctx, parse_id, parse_session_id, truthy};
use super::reply::{Answer, Reply};
use super::state::{
    ATTACHED_FILE_EXPIRY_S, FILE_EXPIRY_S, Message, RATE_LIMIT_POSTS, RATE_LIMIT_WINDOW_S, State,
    Uid, strip_padding,
};
use super::views::{b64, message_json, reactions_json, visible_to};

/// `GET /room/R/messages/since/{seqno}[?limit&t=r&reactors]`.
pub(crate) fn since(ctx: &mut Ctx<'_>, token: &str, seqno: &str) -> Answer {
    let since = i64::try_from(parse_id(seqno)?).map_err(|_| Reply::error_page(404))?;
    let perms = ctx.require_read(token)?;
    ctx.touch_room(token);
    let limit = ctx.limit(100, 256)?;
    let reactors = ctx.reactors()?;
    let reaction_updates = ctx
        .request
        .query_param("t")
        .is_some_and(|t| t.contains('r'));
    let room = ctx.room(token)?;
    let mut rows: Vec<(i64, Value)> = Vec::new();
    for message in room.messages.values() {
        if message.seqno() <= since || !visible_to(message, ctx.user, perms) {
            continue;
        }
        if message.seqno_data > since {
            if message.data.is_none() && message.seqno_creation > since {
                // Created and deleted since the caller last looked: nothing to tell.
                continue;
            }
            rows.push((
                message.seqno(),
                message_json(ctx.state, message, ctx.user, reactors),
            ));
        } else if reaction_updates {
            rows.push((
                message.seqno(),
                json!({
                    "id": message.id,
                    "seqno": message.seqno(),
                    "reactions": reactions_json(ctx.state, message, ctx.user, reactors),
                }),
            ));
        }
    }
    rows.sort_by_key(|(seqno, _)| *seqno);
    rows.truncate(limit);
    Ok(Reply::ok(&Value::Array(
        rows.into_iter().map(|(_, row)| row).collect(),
    )))
}

/// `GET /room/R/messages/recent` and `…/before/{id}`: live messages, newest first.
pub(crate) fn recent(ctx: &mut Ctx<'_>, token: &str, before: Option<&str>) -> Answer {
    let before = before.map(parse_id).transpose()?;
    let perms = ctx.require_read(token)?;
    ctx.touch_room(token);
    let limit = ctx.limit(100, 256)?;
    let reactors = ctx.reactors()?;
    let room = ctx.room(token)?;
    let rows: Vec<Value> = room
        .messages
        .values()
        .rev()
        .filter(|message| before.is_none_or(|before| message.id < before))
        .filter(|message| message.data.is_some() && visible_to(message, ctx.user, perms))
        .take(limit)
        .map(|message| message_json(ctx.state, message, ctx.user, reactors))
        .collect();
    Ok(Reply::ok(&Value::Array(rows)))
}

/// `GET /room/R/message/{id}`.
pub(crate) fn one(ctx: &mut Ctx<'_>, token: &str, id: &str) -> Answer {
    let id = parse_id(id)?;
    let perms = ctx.require_read(token)?;
    ctx.touch_room(token);
    let reactors = ctx.reactors()?;
    let room = ctx.room(token)?;
    let message = room
        .messages
        .get(&id)
        .filter(|message| message.data.is_some() && visible_to(message, ctx.user, perms))
        .ok_or_else(|| Reply::error_page(404))?;
    Ok(Reply::ok(&message_json(
        ctx.state, message, ctx.user, reactors,
    )))
}

/// `data` and `signature` of a post or edit body, base64-decoded (the route does this before
/// any permission check).
fn decode_data_and_signature(body: &Map<String, Value>) -> Result<(Vec<u8>, Vec<u8>), Reply> {
    let decode = |key: &str| {
        body.get(key)
            .and_then(Value::as_str)
            .and_then(decode_base64)
            .ok_or_else(|| Reply::error_page(400))
    };
    Ok((decode("data")?, decode("signature")?))
}

/// The signature must be 64 bytes; it is never verified (receiving clients do that).
fn check_signature(signature: &[u8]) -> Result<(), Reply> {
    if signature.len() == 64 {
        Ok(())
    } else {
        Err(Reply::error_page(400))
    }
}

/// The `files` of a post or edit (pysogs' `_own_files`): the caller's own unclaimed uploads
/// to this room from the last hour become the post's and live 15 days; others are ignored.
fn attach_files(
    state: &mut State,
    token: &str,
    uid: Uid,
    message: u64,
    body: &Map<String, Value>,
    now: f64,
) -> Result<(), Reply> {
    let Some(files) = body.get("files") else {
        return Ok(());
    };
    let ids = files.as_array().ok_or_else(|| Reply::error_page(400))?;
    for id in ids {
        let id = id.as_u64().ok_or_else(|| Reply::error_page(400))?;
        if let Some(file) = state.files.get_mut(&id)
            && file.room == token
            && file.uploader == uid
            && file.message.is_none()
            && file.uploaded >= now - FILE_EXPIRY_S
            && file.expiry.is_some()
        {
            file.message = Some(message);
            file.expiry = Some(now + ATTACHED_FILE_EXPIRY_S);
        }
    }
    Ok(())
}

/// `POST /room/R/message`.
pub(crate) fn post(ctx: &mut Ctx<'_>, token: &str) -> Answer {
    let uid = ctx.require_user()?;
    let body = ctx.request.json_object()?;
    let (data, signature) = decode_data_and_signature(&body)?;
    // pysogs' `add_post`: write permission, then a 64-byte signature.
    let (_, perms) = ctx.require_write(token)?;
    check_signature(&signature)?;
    let whisper_to = match body.get("whisper_to") {
        None | Some(Value::Null) => None,
        Some(Value::String(sid)) if sid.is_empty() => None,
        Some(Value::String(sid)) => Some(sid.clone()),
        Some(_) => return Err(Reply::error_page(400)),
    };
    let whisper_mods = body.get("whisper_mods").is_some_and(truthy);
    if (whisper_to.is_some() || whisper_mods) && !perms.moderator {
        return Err(Reply::error_page(403));
    }
    let whisper_uid: Option<Uid> = match &whisper_to {
        None => None,
        Some(sid) => Some(ctx.state.target_user(&parse_session_id(sid)?, ctx.now)),
    };
    let now = ctx.now;
    let rate_limit = ctx.state.config.rate_limit && !perms.admin;
    {
        let room = ctx.room_mut(token)?;
        let recent = room.recent_posts.entry(uid).or_default();
        recent.retain(|at| *at > now - RATE_LIMIT_WINDOW_S);
        if rate_limit && recent.len() >= RATE_LIMIT_POSTS {
            return Err(Reply::raw(429, "Rate limited"));
        }
        recent.push(now);
    }
    let id = ctx.state.next_message_id();
    attach_files(ctx.state, token, uid, id, &body, now)?;
    let session_id = ctx.state.session_id(uid);
    let room = ctx.room_mut(token)?;
    let seqno = room.bump_sequence();
    room.activity.insert(uid, now);
    room.messages.insert(
        id,
        Message {
            id,
            user: uid,
            posted: now,
            edited: None,
            seqno_data: seqno,
            seqno_reactions: 0,
            seqno_creation: seqno,
            data_size: data.len(),
            data: Some(strip_padding(&data)),
            signature: Some(signature.clone()),
            whisper_to: whisper_uid,
            whisper_mods,
            reactions: Vec::new(),
        },
    );
    let mut object = Map::new();
    object.insert("id".into(), json!(id));
    object.insert("session_id".into(), json!(session_id));
    object.insert("posted".into(), json!(now));
    object.insert("seqno".into(), json!(seqno));
    object.insert("data".into(), json!(b64(&data)));
    object.insert("signature".into(), json!(b64(&signature)));
    object.insert("reactions".into(), json!({}));
    if whisper_to.is_some() || whisper_mods {
        object.insert("whisper".into(), json!(true));
        object.insert("whisper_mods".into(), json!(whisper_mods));
        if let Some(sid) = whisper_to {
            object.insert("whisper_to".into(), json!(sid.to_ascii_lowercase()));
        }
    }
    Ok(Reply::json(201, &Value::Object(object)))
}

/// `PUT /room/R/message/{id}`: the author replaces data and signature.
pub(crate) fn edit(ctx: &mut Ctx<'_>, token: &str, id: &str) -> Answer {
    let id = parse_id(id)?;
    let uid = ctx.require_user()?;
    let body = ctx.request.json_object()?;
    let (data, signature) = decode_data_and_signature(&body)?;
    ctx.require_write(token)?;
    check_signature(&signature)?;
    let now = ctx.now;
    {
        let room = ctx.room(token)?;
        let message = room
            .messages
            .get(&id)
            .filter(|message| message.data.is_some())
            .ok_or_else(|| Reply::error_page(404))?;
        if message.user != uid {
            return Err(Reply::error_page(403));
        }
    }
    attach_files(ctx.state, token, uid, id, &body, now)?;
    let room = ctx.room_mut(token)?;
    let seqno = room.bump_sequence();
    if let Some(message) = room.messages.get_mut(&id) {
        message.data_size = data.len();
        message.data = Some(strip_padding(&data));
        message.signature = Some(signature);
        message.edited = Some(now);
        message.seqno_data = seqno;
    }
    Ok(Reply::ok(&json!({})))
}

/// `DELETE /room/R/message/{id}`: one's own post, or any as a moderator.
pub(crate) fn delete(ctx: &mut Ctx<'_>, token: &str, id: &str) -> Answer {
    let id = parse_id(id)?;
    let (uid, perms) = ctx.require_write(token)?;
    let now = ctx.now;
    let room = ctx.room_mut(token)?;
    let allowed = room
        .messages
        .get(&id)
        .filter(|message| message.data.is_some())
        .map(|message| message.user == uid || perms.moderator);
    match allowed {
        None => Err(Reply::error_page(404)),
        Some(false) => Err(Reply::error_page(403)),
        Some(true) => {
            room.delete_message(id, now);
            Ok(Reply::ok(&json!({})))
        }
    }
}

/// Deletes every live post by `target` in `token`; how many.
fn delete_all_by(state: &mut State, token: &str, target: Uid, now: f64) -> usize {
    let Some(room) = state.rooms.get_mut(token) else {
        return 0;
    };
    let ids: Vec<u64> = room
        .messages
        .values()
        .filter(|message| message.user == target && message.data.is_some())
        .map(|message| message.id)
        .collect();
    for id in &ids {
        room.delete_message(*id, now);
    }
    // Their uploads go too, except the room image.
    let image = room.image;
    state
        .files
        .retain(|id, file| file.room != token || file.uploader != target || Some(*id) == image);
    ids.len()
}

/// Whether the caller may delete everything `target` posted in `token`: themselves, or a
/// moderator (an admin to hit another admin).
fn may_delete_all(ctx: &Ctx<'_>, token: &str, uid: Uid, target: Uid) -> Result<bool, Reply> {
    if uid == target {
        return Ok(true);
    }
    let room = ctx.room(token)?;
    let mine = ctx.state.perms(room, Some(uid));
    let theirs = ctx.state.perms(room, Some(target));
    Ok(mine.moderator && (!theirs.admin || mine.admin))
}

/// `DELETE /room/R/all/{sid}`.
pub(crate) fn delete_all(ctx: &mut Ctx<'_>, token: &str, sid: &str) -> Answer {
    let sid = parse_session_id(sid)?;
    ctx.room(token)?;
    let uid = ctx.require_user()?;
    let target = ctx.state.find(&sid).ok_or_else(|| Reply::error_page(404))?;
    if !may_delete_all(ctx, token, uid, target)? {
        return Err(Reply::error_page(403));
    }
    let now = ctx.now;
    if delete_all_by(ctx.state, token, target, now) == 0 {
        return Err(Reply::error_page(404));
    }
    Ok(Reply::ok(&json!({})))
}

/// `DELETE /rooms/all/{sid}`: in every room where the caller may.
pub(crate) fn delete_everywhere(ctx: &mut Ctx<'_>, sid: &str) -> Answer {
    let sid = parse_session_id(sid)?;
    let uid = ctx.require_user()?;
    let target = ctx.state.find(&sid).ok_or_else(|| Reply::error_page(404))?;
    let tokens: Vec<String> = ctx.state.rooms.keys().cloned().collect();
    let now = ctx.now;
    let mut rooms = Map::new();
    let mut total = 0;
    for token in tokens {
        // pysogs walks the rooms the caller can see and lists each one it may act in,
        // zero counts included.
        let visible = ctx
            .state
            .rooms
            .get(&token)
            .is_some_and(|room| ctx.state.perms(room, Some(uid)).accessible);
        if !visible || !may_delete_all(ctx, &token, uid, target)? {
            continue;
        }
        let count = delete_all_by(ctx.state, &token, target, now);
        total += count;
        rooms.insert(token, json!(count));
    }
    Ok(Reply::ok(&json!({"total": total, "rooms": rooms})))
}
