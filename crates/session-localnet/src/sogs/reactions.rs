//! Reaction routes: add and remove one's own reaction, a moderator clearing reactions, and
//! the list of who reacted.

use serde_json::{Value, json};

use super::ctx::{Ctx, parse_id};
use super::reply::{Answer, Reply};
use super::state::{Message, Reaction, Room};

/// The longest reaction, in code points.
const MAX_REACTION_CHARS: usize = 12;

/// A reaction path segment (already percent-decoded): 1..=12 code points.
fn parse_reaction(text: &str) -> Result<&str, Reply> {
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_REACTION_CHARS {
        return Err(Reply::error_page(400));
    }
    Ok(text)
}

/// The message reactions may be put on: live and not a whisper.
fn reactable(room: &mut Room, id: u64) -> Result<&mut Message, Reply> {
    room.messages
        .get_mut(&id)
        .filter(|message| message.data.is_some() && !message.is_whisper())
        .ok_or_else(|| Reply::error_page(404))
}

/// `PUT /room/R/reaction/{id}/{reaction}`.
pub(crate) fn add(ctx: &mut Ctx<'_>, token: &str, id: &str, reaction: &str) -> Answer {
    let id = parse_id(id)?;
    let uid = ctx.require_user()?;
    ctx.require_read(token)?;
    let reaction = parse_reaction(reaction)?;
    let order = ctx.state.next_reaction_order();
    let now = ctx.now;
    let room = ctx.room_mut(token)?;
    let next = room.message_sequence + 1;
    let message = reactable(room, id)?;
    let present = message
        .reactions
        .iter()
        .any(|r| r.user == uid && r.emoji == reaction);
    if !present {
        message.reactions.push(Reaction {
            emoji: reaction.to_owned(),
            user: uid,
            at: now,
            order,
        });
        message.seqno_reactions = next;
    }
    let seqno = message.seqno();
    if !present {
        room.message_sequence = next;
    }
    Ok(Reply::ok(&json!({"added": !present, "seqno": seqno})))
}

/// `DELETE /room/R/reaction/{id}/{reaction}`.
pub(crate) fn remove(ctx: &mut Ctx<'_>, token: &str, id: &str, reaction: &str) -> Answer {
    let id = parse_id(id)?;
    let uid = ctx.require_user()?;
    ctx.require_read(token)?;
    let reaction = parse_reaction(reaction)?;
    let room = ctx.room_mut(token)?;
    let next = room.message_sequence + 1;
    let message = reactable(room, id)?;
    let before = message.reactions.len();
    message
        .reactions
        .retain(|r| !(r.user == uid && r.emoji == reaction));
    let removed = message.reactions.len() != before;
    if removed {
        message.seqno_reactions = next;
    }
    let seqno = message.seqno();
    if removed {
        room.message_sequence = next;
    }
    Ok(Reply::ok(&json!({"removed": removed, "seqno": seqno})))
}

/// `DELETE /room/R/reactions/{id}[/{reaction}]` (moderator).
pub(crate) fn clear(ctx: &mut Ctx<'_>, token: &str, id: &str, reaction: Option<&str>) -> Answer {
    let id = parse_id(id)?;
    ctx.require_mod(token, false)?;
    let reaction = reaction.map(parse_reaction).transpose()?;
    let room = ctx.room_mut(token)?;
    let next = room.message_sequence + 1;
    let message = reactable(room, id)?;
    let before = message.reactions.len();
    message
        .reactions
        .retain(|r| reaction.is_some_and(|emoji| r.emoji != emoji));
    let removed = before - message.reactions.len();
    if removed > 0 {
        message.seqno_reactions = next;
    }
    let seqno = message.seqno();
    if removed > 0 {
        room.message_sequence = next;
    }
    Ok(Reply::ok(&json!({"removed": removed, "seqno": seqno})))
}

/// `GET /room/R/reactors/{id}/{reaction}[?limit]`: `[[session_id, at], …]`, oldest first.
pub(crate) fn reactors(ctx: &Ctx<'_>, token: &str, id: &str, reaction: &str) -> Answer {
    let id = parse_id(id)?;
    ctx.require_read(token)?;
    let reaction = parse_reaction(reaction)?;
    let limit = ctx.limit(100, 256)?;
    let room = ctx.room(token)?;
    let message = room
        .messages
        .get(&id)
        .filter(|message| message.data.is_some() && !message.is_whisper())
        .ok_or_else(|| Reply::error_page(404))?;
    let mut by: Vec<&Reaction> = message
        .reactions
        .iter()
        .filter(|r| r.emoji == reaction)
        .collect();
    by.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.order.cmp(&b.order)));
    let list: Vec<Value> = by
        .into_iter()
        .take(limit)
        .map(|r| json!([ctx.state.session_id(r.user), r.at]))
        .collect();
    Ok(Reply::ok(&Value::Array(list)))
}
