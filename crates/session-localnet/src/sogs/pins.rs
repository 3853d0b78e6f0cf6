//! Pinning (admins only): pin, unpin one, unpin all. Pins count as room info changes.

use serde_json::json;

use super::ctx::{Ctx, parse_id};
use super::reply::{Answer, Reply};
use super::state::Pin;

/// `POST /room/R/pin/{id}`: (re-)pins at the end of the list.
pub(crate) fn pin(ctx: &mut Ctx<'_>, token: &str, id: &str) -> Answer {
    let id = parse_id(id)?;
    let uid = ctx.require_mod(token, true)?;
    let now = ctx.now;
    let room = ctx.room_mut(token)?;
    let pinnable = room
        .messages
        .get(&id)
        .is_some_and(|message| message.data.is_some() && !message.is_whisper());
    if !pinnable {
        return Err(Reply::error_page(404));
    }
    room.pins.retain(|pin| pin.message != id);
    room.pins.push(Pin {
        message: id,
        at: now,
        by: uid,
    });
    room.info_updates += 1;
    Ok(Reply::ok(&json!({"info_updates": room.info_updates})))
}

/// `POST /room/R/unpin/{id}`.
pub(crate) fn unpin(ctx: &mut Ctx<'_>, token: &str, id: &str) -> Answer {
    let id = parse_id(id)?;
    ctx.require_mod(token, true)?;
    let room = ctx.room_mut(token)?;
    let before = room.pins.len();
    room.pins.retain(|pin| pin.message != id);
    let unpinned = room.pins.len() != before;
    if unpinned {
        room.info_updates += 1;
    }
    Ok(Reply::ok(
        &json!({"unpinned": unpinned, "info_updates": room.info_updates}),
    ))
}

/// `POST /room/R/unpin/all`.
pub(crate) fn unpin_all(ctx: &mut Ctx<'_>, token: &str) -> Answer {
    ctx.require_mod(token, true)?;
    let room = ctx.room_mut(token)?;
    let unpinned = room.pins.len();
    room.pins.clear();
    if unpinned > 0 {
        room.info_updates += 1;
    }
    Ok(Reply::ok(
        &json!({"unpinned": unpinned, "info_updates": room.info_updates}),
    ))
}
