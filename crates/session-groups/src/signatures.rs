//! The strings admins sign in control messages, as current clients (desktop
//! `GroupUpdate*Message`, Android `MessageAuthentication`) build and check them: ASCII with
//! decimal numbers and lower-case hex IDs, signed with the group's Ed25519 key. The timestamp
//! is the message's sent (envelope) timestamp in milliseconds.

use session_identity::SessionId;

/// `"INVITE" || member_id || timestamp`.
pub fn invite(member: &SessionId, timestamp_ms: u64) -> Vec<u8> {
    format!("INVITE{member}{timestamp_ms}").into_bytes()
}

/// `"INFO_CHANGE" || type number || timestamp`.
pub fn info_change(kind: i32, timestamp_ms: u64) -> Vec<u8> {
    format!("INFO_CHANGE{kind}{timestamp_ms}").into_bytes()
}

/// `"MEMBER_CHANGE" || type number || timestamp`.
pub fn member_change(kind: i32, timestamp_ms: u64) -> Vec<u8> {
    format!("MEMBER_CHANGE{kind}{timestamp_ms}").into_bytes()
}

/// `"DELETE_CONTENT" || timestamp || member ids... || message hashes...`.
pub fn delete_content(timestamp_ms: u64, members: &[SessionId], hashes: &[String]) -> Vec<u8> {
    let mut text = format!("DELETE_CONTENT{timestamp_ms}");
    for member in members {
        text.push_str(&member.to_string());
    }
    for hash in hashes {
        text.push_str(hash);
    }
    text.into_bytes()
}
