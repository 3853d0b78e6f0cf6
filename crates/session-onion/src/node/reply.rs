//! The final node's answer, before encryption: `{"body": …, "status": code}`.

use serde_json::Value;

/// `{"body":<body>,"status":<status>}`, the body as a JSON string, or embedded as JSON when
/// `embed_json` is set and it parses (the control JSON's `"json": true`).
pub fn node_reply_plaintext(status: u16, body: &str, embed_json: bool) -> Vec<u8> {
    let body = embed_json
        .then(|| serde_json::from_str::<Value>(body).ok())
        .flatten()
        .unwrap_or_else(|| Value::String(body.to_owned()));
    format!("{{\"body\":{body},\"status\":{status}}}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_and_embedded_bodies() {
        assert_eq!(
            node_reply_plaintext(200, r#"{"a":1}"#, false),
            br#"{"body":"{\"a\":1}","status":200}"#
        );
        assert_eq!(
            node_reply_plaintext(200, r#"{"a":1}"#, true),
            br#"{"body":{"a":1},"status":200}"#
        );
        assert_eq!(
            node_reply_plaintext(400, "Invalid json", true),
            br#"{"body":"Invalid json","status":400}"#
        );
    }
}
