//! Entry points for the fuzz targets: each feeds arbitrary bytes to one decoder, which
//! must return (a value or an error) and never panic.

use std::collections::BTreeMap;

use crate::response::Response;

fn ok(data: &[u8]) -> Response {
    Response {
        status: 200,
        headers: BTreeMap::new(),
        body: data.to_vec(),
    }
}

/// A message list.
pub fn messages(data: &[u8]) {
    let _ = crate::decode::message_rows(&ok(data));
}

/// A room object.
pub fn room(data: &[u8]) {
    let _ = crate::decode::room(&ok(data));
    let _ = crate::decode::rooms(&ok(data));
}

/// A poll info object.
pub fn poll_info(data: &[u8]) {
    let _ = crate::decode::poll_info(&ok(data));
}

/// A `/batch` answer, then every sub-response as a message list and a DM list.
pub fn batch(data: &[u8]) {
    if let Ok(subs) = crate::response::decode_batch(&ok(data)) {
        for sub in subs {
            let _ = crate::decode::message_rows(&sub);
            let _ = crate::decode::dm_rows(&sub);
        }
    }
}

/// An inbox/outbox list, opened with a fixed key.
pub fn dms(data: &[u8]) {
    let keypair = session_identity::Keypair::from_ed25519_seed(
        &session_crypto::Ed25519Seed::from_bytes([1; 32]),
    );
    if let Ok(rows) = crate::decode::dm_rows(&ok(data)) {
        for raw in rows {
            let _ = crate::dm::open_dm(&keypair, &[2; 32], raw);
        }
    }
}

/// A room URL, as text if it is UTF-8.
pub fn room_url(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(url) = crate::RoomUrl::parse(text)
    {
        // The canonical form parses back to the same URL.
        assert_eq!(crate::RoomUrl::parse(&url.to_string()).ok(), Some(url));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn survive_garbage() {
        let inputs: [&[u8]; 6] = [
            b"",
            b"\xff\xfe",
            b"[{\"id\":1}]",
            b"[{\"code\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":[{\"id\":1,\"seqno\":1}]}]",
            b"[{\"id\":1,\"posted_at\":1,\"sender\":\"15aa\",\"recipient\":\"15bb\",\"message\":\"AAAA\"}]",
            b"http://a/b?public_key=",
        ];
        for input in inputs {
            super::messages(input);
            super::room(input);
            super::poll_info(input);
            super::batch(input);
            super::dms(input);
            super::room_url(input);
        }
    }
}
