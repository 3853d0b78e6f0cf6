//! A moderator's view and control of per-user permissions in a room: `permissions` (the
//! explicit overrides) and `futurePermissions` (changes scheduled by the server clock).

use serde_json::{Map, Value, json};

use super::ctx::{Ctx, parse_session_id, truthy};
use super::reply::{Answer, Reply};
use super::state::{Override, Room, Scheduled, State, Uid};

/// A user's override dict: only what is set explicitly.
fn override_json(settings: &Override) -> Value {
    let mut object = Map::new();
    for (key, value) in [
        ("read", settings.read),
        ("write", settings.write),
        ("upload", settings.upload),
        ("accessible", settings.accessible),
    ] {
        if let Some(value) = value {
            object.insert(key.into(), json!(value));
        }
    }
    if settings.banned {
        object.insert("banned".into(), json!(true));
    }
    if settings.admin {
        object.insert("admin".into(), json!(true));
    } else if settings.moderator {
        object.insert("moderator".into(), json!(true));
    }
    if (settings.admin || settings.moderator) && !settings.visible {
        object.insert("hidden".into(), json!(true));
    }
    Value::Object(object)
}

fn scheduled_json(state: &State, change: &Scheduled, with_id: bool) -> Value {
    let mut object = Map::new();
    if with_id {
        object.insert("session_id".into(), json!(state.session_id(change.user)));
    }
    object.insert("at".into(), json!(change.at));
    for (key, value) in [
        ("read", change.read),
        ("write", change.write),
        ("upload", change.upload),
        ("banned", change.banned),
    ] {
        if let Some(value) = value {
            object.insert(key.into(), json!(value));
        }
    }
    Value::Object(object)
}

/// `GET /room/R/permissions`.
pub(crate) fn list(ctx: &Ctx<'_>, token: &str) -> Answer {
    ctx.require_mod(token, false)?;
    let room = ctx.room(token)?;
    let mut object = Map::new();
    for (uid, settings) in &room.overrides {
        if !settings.is_empty() {
            object.insert(ctx.state.session_id(*uid), override_json(settings));
        }
    }
    Ok(Reply::ok(&Value::Object(object)))
}

fn user_override(room: &Room, uid: Option<Uid>) -> Value {
    uid.and_then(|uid| room.overrides.get(&uid))
        .map_or_else(|| json!({}), override_json)
}

/// `GET /room/R/permissions/{sid}`.
pub(crate) fn get(ctx: &Ctx<'_>, token: &str, sid: &str) -> Answer {
    ctx.require_mod(token, false)?;
    let sid = parse_session_id(sid)?;
    let room = ctx.room(token)?;
    Ok(Reply::ok(&user_override(room, ctx.state.find(&sid))))
}

/// `POST /room/R/permissions/{sid}`.
pub(crate) fn set(ctx: &mut Ctx<'_>, token: &str, sid: &str) -> Answer {
    ctx.require_mod(token, false)?;
    let sid = parse_session_id(sid)?;
    let body = ctx.request.json_object()?;
    // Per permission: `Some(Some(v))` sets it, `Some(None)` (`default_X: true`) clears it.
    let mut changes: Vec<(&str, Option<bool>)> = Vec::new();
    for key in ["accessible", "read", "write", "upload"] {
        let value = body.get(key).filter(|value| !value.is_null());
        let default = body.get(&format!("default_{key}")).is_some_and(truthy);
        match (value, default) {
            (Some(_), true) => return Err(Reply::error_page(400)),
            (Some(value), false) => changes.push((key, Some(truthy(value)))),
            (None, true) => changes.push((key, None)),
            (None, false) => {}
        }
    }
    let uid = ctx.state.target_user(&sid, ctx.now);
    let unschedule = body.get("unschedule") != Some(&Value::Bool(false));
    let room = ctx.room_mut(token)?;
    if unschedule {
        // Scheduled changes of the permissions touched now are cleared.
        for change in room
            .scheduled
            .iter_mut()
            .filter(|change| change.user == uid)
        {
            for (key, _) in &changes {
                match *key {
                    "read" => change.read = None,
                    "write" => change.write = None,
                    "upload" => change.upload = None,
                    _ => {}
                }
            }
        }
        room.scheduled.retain(|change| {
            change.read.is_some()
                || change.write.is_some()
                || change.upload.is_some()
                || change.banned.is_some()
        });
    }
    let settings = room.overrides.entry(uid).or_default();
    for (key, value) in changes {
        match key {
            "read" => settings.read = value,
            "write" => settings.write = value,
            "upload" => settings.upload = value,
            _ => settings.accessible = value,
        }
    }
    let answer = override_json(settings);
    room.overrides.retain(|_, settings| !settings.is_empty());
    Ok(Reply::ok(&answer))
}

/// `GET /room/R/futurePermissions[/{sid}]`.
pub(crate) fn list_future(ctx: &Ctx<'_>, token: &str, sid: Option<&str>) -> Answer {
    ctx.require_mod(token, false)?;
    let only = match sid {
        None => None,
        Some(sid) => Some(ctx.state.find(&parse_session_id(sid)?)),
    };
    let room = ctx.room(token)?;
    let mut changes: Vec<&Scheduled> = room
        .scheduled
        .iter()
        .filter(|change| only.is_none_or(|uid| uid == Some(change.user)))
        .collect();
    changes.sort_by(|a, b| a.at.total_cmp(&b.at));
    let list: Vec<Value> = changes
        .into_iter()
        .map(|change| scheduled_json(ctx.state, change, only.is_none()))
        .collect();
    Ok(Reply::ok(&Value::Array(list)))
}

/// `POST /room/R/futurePermissions/{sid}`: `{read?, write?, upload?, in}`.
pub(crate) fn schedule(ctx: &mut Ctx<'_>, token: &str, sid: &str) -> Answer {
    ctx.require_mod(token, false)?;
    let sid = parse_session_id(sid)?;
    let body = ctx.request.json_object()?;
    let delay = body
        .get("in")
        .and_then(Value::as_f64)
        .filter(|delay| *delay > 0.0 && *delay < 1e9)
        .ok_or_else(|| Reply::error_page(400))?;
    let [read, write, upload] = ["read", "write", "upload"].map(|key| body.get(key).map(truthy));
    if read.is_none() && write.is_none() && upload.is_none() {
        return Err(Reply::error_page(400));
    }
    let uid = ctx.state.target_user(&sid, ctx.now);
    let at = ctx.now + delay;
    let room = ctx.room_mut(token)?;
    room.scheduled.push(Scheduled {
        user: uid,
        at,
        read,
        write,
        upload,
        banned: None,
    });
    let mut changes: Vec<Scheduled> = room
        .scheduled
        .iter()
        .filter(|change| change.user == uid)
        .cloned()
        .collect();
    changes.sort_by(|a, b| a.at.total_cmp(&b.at));
    let list: Vec<Value> = changes
        .iter()
        .map(|change| scheduled_json(ctx.state, change, false))
        .collect();
    Ok(Reply::ok(&Value::Array(list)))
}
