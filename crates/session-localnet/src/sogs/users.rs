//! User moderation routes: ban, unban, and granting or revoking moderator and admin
//! status, in a list of rooms (`["*"]` = every room the caller moderates) or globally.

use serde_json::{Map, Value, json};

use super::ctx::{Ctx, parse_session_id, truthy};
use super::reply::{Answer, Reply};
use super::state::Scheduled;

/// Where an action applies.
enum Scope {
    /// These rooms.
    Rooms(Vec<String>),
    /// The whole server.
    Global,
}

/// pysogs' `extract_rooms_or_global`: exactly one of `rooms` / `global`, and the caller's
/// rights (moderator, or admin when `admin`) in each.
fn scope(ctx: &Ctx<'_>, body: &Map<String, Value>, admin: bool) -> Result<Scope, Reply> {
    let uid = ctx.require_user()?;
    let rooms = body.get("rooms").filter(|rooms| truthy(rooms));
    let global = body.get("global").is_some_and(truthy);
    match (rooms, global) {
        (None, false) | (Some(_), true) => Err(Reply::error_page(400)),
        (None, true) => {
            let user = ctx.state.user(uid).ok_or_else(|| Reply::error_page(403))?;
            let allowed = if admin {
                user.global_admin
            } else {
                user.global_moderator || user.global_admin
            };
            if allowed {
                Ok(Scope::Global)
            } else {
                Err(Reply::error_page(403))
            }
        }
        (Some(rooms), false) => {
            let tokens = rooms.as_array().ok_or_else(|| Reply::error_page(400))?;
            let tokens: Vec<String> = tokens
                .iter()
                .map(|token| token.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or_else(|| Reply::error_page(400))?;
            if tokens.len() > 1 && tokens.iter().any(|token| token == "*") {
                return Err(Reply::error_page(400));
            }
            let has_right = |token: &str| {
                ctx.state.rooms.get(token).is_some_and(|room| {
                    let perms = ctx.state.perms(room, Some(uid));
                    if admin { perms.admin } else { perms.moderator }
                })
            };
            if tokens == ["*"] {
                let mine: Vec<String> = ctx
                    .state
                    .rooms
                    .keys()
                    .filter(|token| has_right(token))
                    .cloned()
                    .collect();
                if mine.is_empty() {
                    return Err(Reply::error_page(403));
                }
                return Ok(Scope::Rooms(mine));
            }
            for token in &tokens {
                ctx.room(token)?;
                if !has_right(token) {
                    return Err(Reply::error_page(403));
                }
            }
            Ok(Scope::Rooms(tokens))
        }
    }
}

/// `POST /user/{sid}/ban`: `{rooms | global, timeout?}`.
pub(crate) fn ban(ctx: &mut Ctx<'_>, sid: &str) -> Answer {
    let sid = parse_session_id(sid)?;
    let body = ctx.request.json_object()?;
    let scope = scope(ctx, &body, false)?;
    // Any number (zero or negative bans and lifts at once, as pysogs allows for tests).
    let timeout = match body.get("timeout") {
        None | Some(Value::Null) => None,
        Some(value) => Some(value.as_f64().ok_or_else(|| Reply::error_page(400))?),
    };
    let now = ctx.now;
    let target = ctx.state.target_user(&sid, now);
    let expires = timeout.map(|timeout| now + timeout);
    // pysogs' `ban_user`: no self-bans, global moderators cannot be banned, and only an
    // admin may ban a room moderator.
    let banner = ctx.require_user()?;
    let target_global_mod = ctx
        .state
        .user(target)
        .is_some_and(|user| user.global_moderator || user.global_admin);
    if target == banner || target_global_mod {
        return Err(Reply::error_page(403));
    }
    match scope {
        Scope::Global => {
            if let Some(user) = ctx.state.user_mut(target) {
                user.banned = true;
                user.ban_expires = expires;
            }
        }
        Scope::Rooms(tokens) => {
            for token in &tokens {
                let room = ctx.room(token)?;
                let theirs = ctx.state.perms(room, Some(target));
                let mine = ctx.state.perms(room, Some(banner));
                if theirs.moderator && !mine.admin {
                    return Err(Reply::error_page(403));
                }
            }
            for token in tokens {
                let room = ctx.room_mut(&token)?;
                let settings = room.overrides.entry(target).or_default();
                settings.banned = true;
                settings.ban_expires = expires;
                room.scheduled
                    .retain(|change| !(change.user == target && change.banned.is_some()));
                if let Some(at) = expires {
                    room.scheduled.push(Scheduled {
                        user: target,
                        at,
                        read: None,
                        write: None,
                        upload: None,
                        banned: Some(false),
                    });
                }
            }
        }
    }
    Ok(Reply::ok(&json!({})))
}

/// `POST /user/{sid}/unban`: `{rooms | global}`.
pub(crate) fn unban(ctx: &mut Ctx<'_>, sid: &str) -> Answer {
    let sid = parse_session_id(sid)?;
    let body = ctx.request.json_object()?;
    let scope = scope(ctx, &body, false)?;
    let target = ctx.state.target_user(&sid, ctx.now);
    match scope {
        Scope::Global => {
            if let Some(user) = ctx.state.user_mut(target) {
                user.banned = false;
                user.ban_expires = None;
            }
        }
        Scope::Rooms(tokens) => {
            for token in tokens {
                let room = ctx.room_mut(&token)?;
                if let Some(settings) = room.overrides.get_mut(&target) {
                    settings.banned = false;
                    settings.ban_expires = None;
                }
                room.scheduled
                    .retain(|change| !(change.user == target && change.banned.is_some()));
                room.overrides.retain(|_, settings| !settings.is_empty());
            }
        }
    }
    Ok(Reply::ok(&json!({})))
}

/// `POST /user/{sid}/moderator`: `{rooms | global, moderator?, admin?, visible?}`.
pub(crate) fn moderator(ctx: &mut Ctx<'_>, sid: &str) -> Answer {
    let sid = parse_session_id(sid)?;
    let body = ctx.request.json_object()?;
    let scope = scope(ctx, &body, true)?;
    let [moderator, admin, visible] = ["moderator", "admin", "visible"]
        .map(|key| body.get(key).filter(|v| !v.is_null()).map(truthy));
    if (admin, moderator) == (Some(true), Some(false)) || (admin.is_none() && moderator.is_none()) {
        return Err(Reply::error_page(400));
    }
    let target = ctx.state.target_user(&sid, ctx.now);
    // pysogs' cases: add admin; add moderator (an admin stays one); remove both; remove
    // admin only; or demote to moderator. `visible` (default: shown in rooms, hidden
    // globally) applies when adding; a full removal resets it.
    let apply = |is_mod: &mut bool, is_admin: &mut bool, is_visible: &mut bool, global: bool| {
        let visible = visible.unwrap_or(!global);
        match (admin, moderator) {
            (Some(true), _) => {
                *is_admin = true;
                *is_mod = true;
                *is_visible = visible;
            }
            (_, Some(false)) => {
                *is_admin = false;
                *is_mod = false;
                *is_visible = true;
            }
            (Some(false), None) => *is_admin = false,
            (admin, _) => {
                if admin == Some(false) {
                    *is_admin = false;
                }
                *is_mod = true;
                *is_visible = visible;
            }
        }
    };
    let mut updates = Map::new();
    match scope {
        Scope::Global => {
            ctx.state.set_global(target, |user| {
                apply(
                    &mut user.global_moderator,
                    &mut user.global_admin,
                    &mut user.global_visible,
                    true,
                );
            });
            for room in ctx.state.rooms.values() {
                updates.insert(room.token.clone(), json!(room.info_updates));
            }
        }
        Scope::Rooms(tokens) => {
            for token in tokens {
                let room = ctx.room_mut(&token)?;
                let settings = room.overrides.entry(target).or_default();
                apply(
                    &mut settings.moderator,
                    &mut settings.admin,
                    &mut settings.visible,
                    false,
                );
                room.overrides.retain(|_, settings| !settings.is_empty());
                room.info_updates += 1;
                updates.insert(token, json!(room.info_updates));
            }
        }
    }
    Ok(Reply::ok(&json!({"info_updates": updates})))
}
