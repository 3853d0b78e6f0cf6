//! Direct messages between blinded users ("message requests"): send to an inbox, read one's
//! inbox and outbox (all, or newer than an id with 304 when nothing is), empty the inbox.

use serde_json::{Value, json};

use super::auth::decode_base64;
use super::ctx::{Ctx, parse_id, parse_session_id};
use super::reply::{Answer, Reply};
use super::state::{DM_EXPIRY_S, Dm, State};
use super::views::b64;

fn dm_json(state: &State, dm: &Dm, with_message: bool) -> Value {
    let mut value = json!({
        "id": dm.id,
        "posted_at": dm.posted,
        "expires_at": dm.expires,
        "sender": state.session_id(dm.sender),
        "recipient": state.session_id(dm.recipient),
    });
    if with_message && let Value::Object(object) = &mut value {
        object.insert("message".into(), json!(b64(&dm.message)));
    }
    value
}

/// `POST /inbox/{15-id}`: `{"message": b64}`.
pub(crate) fn send(ctx: &mut Ctx<'_>, sid: &str) -> Answer {
    let sid = parse_session_id(sid)?;
    if sid.starts_with("05") {
        return Err(Reply::error_page(404));
    }
    let sender = ctx.require_user()?;
    let recipient = ctx
        .state
        .find(&sid)
        .and_then(|uid| ctx.state.user(uid))
        // pysogs: the recipient's row must exist (made on its first authentication, even
        // one that failed) and not be banned.
        .filter(|user| !user.banned)
        .map(|user| user.id)
        .ok_or_else(|| Reply::error_page(404))?;
    let body = ctx.request.json_object()?;
    let message = body
        .get("message")
        .and_then(Value::as_str)
        .and_then(decode_base64)
        .ok_or_else(|| Reply::error_page(400))?;
    let id = ctx.state.next_dm_id();
    let dm = Dm {
        id,
        sender,
        recipient,
        posted: ctx.now,
        expires: ctx.now + DM_EXPIRY_S,
        message,
    };
    let answer = dm_json(ctx.state, &dm, false);
    ctx.state.dms.push(dm);
    Ok(Reply::json(201, &answer))
}

/// `GET /inbox`, `/outbox`, `/inbox/since/{id}`, `/outbox/since/{id}`.
pub(crate) fn list(ctx: &Ctx<'_>, outbox: bool, since: Option<&str>) -> Answer {
    let since = since.map(parse_id).transpose()?;
    let uid = ctx.require_blind_user()?;
    let limit = ctx.limit(100, 256)?;
    let list: Vec<Value> = ctx
        .state
        .dms
        .iter()
        .filter(|dm| {
            if outbox {
                dm.sender == uid
            } else {
                dm.recipient == uid
            }
        })
        .filter(|dm| since.is_none_or(|since| dm.id > since))
        .take(limit)
        .map(|dm| dm_json(ctx.state, dm, true))
        .collect();
    if since.is_some() && list.is_empty() {
        // Flask's `Response('')`: labelled HTML, no body.
        return Ok(Reply::raw(304, bytes::Bytes::new()));
    }
    Ok(Reply::ok(&Value::Array(list)))
}

/// `DELETE /inbox`.
pub(crate) fn clear(ctx: &mut Ctx<'_>) -> Answer {
    let uid = ctx.require_blind_user()?;
    let before = ctx.state.dms.len();
    ctx.state.dms.retain(|dm| dm.recipient != uid);
    let deleted = before - ctx.state.dms.len();
    Ok(Reply::ok(&json!({"deleted": deleted})))
}
