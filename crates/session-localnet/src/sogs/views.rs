//! The JSON shapes clients read: the room object (`/rooms`, `/room/R`, `pollInfo.details`),
//! the message object with its reactions, and HTTP dates for file headers.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::state::{Message, Perms, Room, State, Uid};

/// Base64 (standard, padded) as pysogs encodes bytes in JSON.
pub(crate) fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// The visible and hidden moderators and admins of `room` (room and global ones), sorted:
/// `(mods, admins, hidden_mods, hidden_admins)`.
pub(crate) fn moderators(
    state: &State,
    room: &Room,
) -> (Vec<String>, Vec<String>, Vec<String>, Vec<String>) {
    let mut lists: [Vec<String>; 4] = Default::default();
    let mut add = |session_id: String, admin: bool, visible: bool| {
        let slot = usize::from(admin) + if visible { 0 } else { 2 };
        if !lists.iter().any(|list| list.contains(&session_id)) {
            lists[slot].push(session_id);
        }
    };
    for (uid, settings) in &room.overrides {
        if settings.admin || settings.moderator {
            add(state.session_id(*uid), settings.admin, settings.visible);
        }
    }
    for user in &state.users {
        if user.global_admin || user.global_moderator {
            add(
                user.session_id.clone(),
                user.global_admin,
                user.global_visible,
            );
        }
    }
    for list in &mut lists {
        list.sort();
    }
    let [mods, admins, hidden_mods, hidden_admins] = lists;
    (mods, admins, hidden_mods, hidden_admins)
}

/// The keys that only moderators (and admins, and global ones) get, added to `object`.
pub(crate) fn add_role_keys(
    object: &mut Map<String, Value>,
    state: &State,
    room: &Room,
    user: Option<Uid>,
    perms: Perms,
) {
    if perms.moderator {
        object.insert("moderator".into(), json!(true));
        object.insert("default_read".into(), json!(room.default_read));
        object.insert("default_accessible".into(), json!(room.default_accessible));
        object.insert("default_write".into(), json!(room.default_write));
        object.insert("default_upload".into(), json!(room.default_upload));
    }
    if perms.admin {
        object.insert("admin".into(), json!(true));
    }
    if let Some(user) = user.and_then(|uid| state.user(uid)) {
        if user.global_moderator || user.global_admin {
            object.insert("global_moderator".into(), json!(true));
        }
        if user.global_admin {
            object.insert("global_admin".into(), json!(true));
        }
    }
}

/// The room object for `user`.
pub(crate) fn room_json(state: &State, room: &Room, user: Option<Uid>, now: f64) -> Value {
    let perms = state.perms(room, user);
    let (mods, admins, hidden_mods, hidden_admins) = moderators(state, room);
    let mut object = Map::new();
    object.insert("token".into(), json!(room.token));
    object.insert("name".into(), json!(room.name));
    if let Some(description) = &room.description {
        object.insert("description".into(), json!(description));
    }
    object.insert("info_updates".into(), json!(room.info_updates));
    object.insert("message_sequence".into(), json!(room.message_sequence));
    object.insert("created".into(), json!(room.created));
    object.insert("active_users".into(), json!(room.active_users(now)));
    object.insert(
        "active_users_cutoff".into(),
        json!(super::state::ACTIVE_CUTOFF_S as i64),
    );
    if let Some(image) = room.image {
        object.insert("image_id".into(), json!(image));
    }
    if !room.pins.is_empty() {
        let pins: Vec<Value> = room
            .pins
            .iter()
            .map(|pin| {
                json!({"id": pin.message, "pinned_at": pin.at, "pinned_by": state.session_id(pin.by)})
            })
            .collect();
        object.insert("pinned_messages".into(), Value::Array(pins));
    }
    object.insert("moderators".into(), json!(mods));
    object.insert("admins".into(), json!(admins));
    if perms.moderator {
        if !hidden_mods.is_empty() {
            object.insert("hidden_moderators".into(), json!(hidden_mods));
        }
        if !hidden_admins.is_empty() {
            object.insert("hidden_admins".into(), json!(hidden_admins));
        }
    }
    object.insert("read".into(), json!(perms.read));
    object.insert("write".into(), json!(perms.write));
    object.insert("upload".into(), json!(perms.upload));
    add_role_keys(&mut object, state, room, user, perms);
    Value::Object(object)
}

/// The reactions dict of `message` for `user`, with up to `reactors` reactor ids each.
pub(crate) fn reactions_json(
    state: &State,
    message: &Message,
    user: Option<Uid>,
    reactors: usize,
) -> Value {
    let mut order: Vec<&str> = Vec::new();
    let mut sorted: Vec<_> = message.reactions.iter().collect();
    sorted.sort_by_key(|reaction| reaction.order);
    for reaction in &sorted {
        if !order.contains(&reaction.emoji.as_str()) {
            order.push(&reaction.emoji);
        }
    }
    let mut object = Map::new();
    for (index, emoji) in order.into_iter().enumerate() {
        let mut by: Vec<_> = sorted.iter().filter(|r| r.emoji == emoji).collect();
        by.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.order.cmp(&b.order)));
        let mut entry = Map::new();
        entry.insert("index".into(), json!(index));
        entry.insert("count".into(), json!(by.len()));
        if reactors > 0 {
            let ids: Vec<String> = by
                .iter()
                .take(reactors)
                .map(|r| state.session_id(r.user))
                .collect();
            entry.insert("reactors".into(), json!(ids));
        }
        if user.is_some_and(|uid| by.iter().any(|r| r.user == uid)) {
            entry.insert("you".into(), json!(true));
        }
        object.insert(emoji.to_owned(), Value::Object(entry));
    }
    Value::Object(object)
}

/// The message object (or deletion tombstone) for `user`.
pub(crate) fn message_json(
    state: &State,
    message: &Message,
    user: Option<Uid>,
    reactors: usize,
) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(message.id));
    object.insert("session_id".into(), json!(state.session_id(message.user)));
    object.insert("posted".into(), json!(message.posted));
    object.insert("seqno".into(), json!(message.seqno()));
    if let Some(edited) = message.edited {
        object.insert("edited".into(), json!(edited));
    }
    match (message.padded_data(), &message.signature) {
        (Some(data), Some(signature)) => {
            object.insert("data".into(), json!(b64(&data)));
            object.insert("signature".into(), json!(b64(signature)));
            object.insert(
                "reactions".into(),
                reactions_json(state, message, user, reactors),
            );
        }
        _ => {
            object.insert("data".into(), Value::Null);
            object.insert("deleted".into(), json!(true));
        }
    }
    if message.is_whisper() {
        object.insert("whisper".into(), json!(true));
        object.insert("whisper_mods".into(), json!(message.whisper_mods));
        if let Some(to) = message.whisper_to {
            object.insert("whisper_to".into(), json!(state.session_id(to)));
        }
    }
    Value::Object(object)
}

/// Whether `user` (with `perms` in the room) may see `message` (whispers).
pub(crate) fn visible_to(message: &Message, user: Option<Uid>, perms: Perms) -> bool {
    if !message.is_whisper() {
        return true;
    }
    // As pysogs' whisper clause: moderators also see moderator whispers and their own;
    // everyone else only whispers addressed to them.
    if perms.moderator {
        return message.whisper_mods
            || user.is_some_and(|uid| message.user == uid || message.whisper_to == Some(uid));
    }
    user.is_some_and(|uid| message.whisper_to == Some(uid))
}

/// An HTTP date (`Wed, 02 Dec 2026 15:04:05 GMT`) for unix seconds.
pub(crate) fn http_date(seconds: f64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    #[allow(clippy::cast_possible_truncation)] // dates are far inside i64
    let secs = seconds.floor() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = DAYS[usize::try_from(days.rem_euclid(7)).unwrap_or(0)];
    let month_name = MONTHS[usize::try_from(month - 1).unwrap_or(0)];
    format!(
        "{weekday}, {day:02} {month_name} {year} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(http_date(0.0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(1_700_000_000.5), "Tue, 14 Nov 2023 22:13:20 GMT");
    }
}
