//! Room routes: the room list, one room, `pollInfo`, and the admin's `PUT /room/R`.

use serde_json::{Map, Value, json};

use super::ctx::{Ctx, parse_id, truthy};
use super::reply::{Answer, Reply};
use super::views::{add_role_keys, room_json};

/// `GET /rooms`: every room the caller can see, by token.
pub(crate) fn list(ctx: &Ctx<'_>) -> Answer {
    let rooms: Vec<Value> = ctx
        .state
        .rooms
        .values()
        .filter(|room| ctx.state.perms(room, ctx.user).accessible)
        .map(|room| room_json(ctx.state, room, ctx.user, ctx.now))
        .collect();
    Ok(Reply::ok(&Value::Array(rooms)))
}

/// `GET /room/R`.
pub(crate) fn get(ctx: &Ctx<'_>, token: &str) -> Answer {
    ctx.require_accessible(token)?;
    let room = ctx.room(token)?;
    Ok(Reply::ok(&room_json(ctx.state, room, ctx.user, ctx.now)))
}

/// `GET /room/R/pollInfo/{info_updated}`.
pub(crate) fn poll_info(ctx: &mut Ctx<'_>, token: &str, info_updated: &str) -> Answer {
    // Werkzeug's `<int:…>`: digits only.
    let known = i64::try_from(parse_id(info_updated)?).map_err(|_| Reply::error_page(404))?;
    let perms = ctx.require_read(token)?;
    ctx.touch_room(token);
    let room = ctx.room(token)?;
    let mut body = Map::new();
    body.insert("token".into(), json!(room.token));
    body.insert("active_users".into(), json!(room.active_users(ctx.now)));
    body.insert("read".into(), json!(perms.read));
    body.insert("write".into(), json!(perms.write));
    body.insert("upload".into(), json!(perms.upload));
    if room.info_updates != known {
        body.insert(
            "details".into(),
            room_json(ctx.state, room, ctx.user, ctx.now),
        );
    }
    add_role_keys(&mut body, ctx.state, room, ctx.user, perms);
    Ok(Reply::ok(&Value::Object(body)))
}

/// `PUT /room/R` (admin): name, description, default permissions, image.
pub(crate) fn update(ctx: &mut Ctx<'_>, token: &str) -> Answer {
    ctx.require_mod(token, true)?;
    let body = ctx.request.json_object()?;
    let image = match body.get("image") {
        None => None,
        Some(value) => {
            // pysogs: not an integer is a 400, an unknown file (or another room's) a 406.
            let id = value
                .as_i64()
                .filter(|_| !value.is_f64())
                .ok_or_else(|| Reply::error_page(400))?;
            let valid = u64::try_from(id)
                .ok()
                .and_then(|id| ctx.state.files.get(&id));
            if valid.is_none_or(|file| file.room != token) {
                return Err(Reply::error_page(406));
            }
            u64::try_from(id).ok()
        }
    };
    let name = match body.get("name") {
        None => None,
        Some(Value::String(name)) => Some(name.chars().filter(|c| *c >= ' ').collect::<String>()),
        Some(_) => return Err(Reply::error_page(400)),
    };
    let description = match body.get("description") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(text)) => {
            let text: String = text
                .chars()
                .filter(|c| *c >= ' ' || *c == '\t' || *c == '\n')
                .collect();
            Some((!text.is_empty()).then_some(text))
        }
        Some(_) => return Err(Reply::error_page(400)),
    };
    let mut defaults = [None; 4];
    for (slot, key) in defaults.iter_mut().zip([
        "default_read",
        "default_accessible",
        "default_write",
        "default_upload",
    ]) {
        match body.get(key) {
            None | Some(Value::Null) => {}
            Some(value @ Value::Bool(_)) => *slot = Some(truthy(value)),
            Some(value @ Value::Number(n)) if n.is_i64() || n.is_u64() => {
                *slot = Some(truthy(value));
            }
            Some(_) => return Err(Reply::error_page(400)),
        }
    }
    if name.is_none()
        && description.is_none()
        && image.is_none()
        && defaults.iter().all(Option::is_none)
    {
        return Err(Reply::error_page(400));
    }
    if let Some(id) = image
        && let Some(file) = ctx.state.files.get_mut(&id)
    {
        // A room image never expires.
        file.expiry = None;
    }
    let room = ctx.room_mut(token)?;
    if let Some(name) = name
        && name != room.name
    {
        room.name = name;
        room.info_updates += 1;
    }
    if let Some(description) = description
        && description != room.description
    {
        room.description = description;
        room.info_updates += 1;
    }
    if let Some(id) = image
        && room.image != Some(id)
    {
        room.image = Some(id);
        room.info_updates += 1;
    }
    let [read, accessible, write, upload] = defaults;
    if let Some(read) = read {
        room.default_read = read;
    }
    if let Some(accessible) = accessible {
        room.default_accessible = accessible;
    }
    if let Some(write) = write {
        room.default_write = write;
    }
    if let Some(upload) = upload {
        room.default_upload = upload;
    }
    Ok(Reply::ok(&json!({"info_updates": room.info_updates})))
}
