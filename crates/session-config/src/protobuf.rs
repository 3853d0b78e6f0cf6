//! The legacy protobuf wrapping user configs still get on push, and its reversal
//! (libsession-util.md §11.6):
//!
//! `WebSocketMessage{REQUEST, WebSocketRequestMessage{verb "", path "", requestId 0, body =
//! Envelope{SESSION_MESSAGE, timestamp 1, content = sealed-to-self(Content{SharedConfigMessage{
//! kind, seqno, data}} || 0x80)}}}`.
//!
//! Unwrapping accepts what older clients wrote too (verb `PUT`, any request id, an envelope
//! source, `0x80` followed by zero padding) and insists the sealed content is from, and to,
//! the account itself.

use prost::Message as _;
use session_identity::Keypair;
use session_protocol::direct;
use session_protocol::proto::{
    Content, Envelope, SharedConfigMessage, WebSocketMessage, WebSocketRequestMessage, envelope,
    web_socket_message,
};

use crate::error::{Error, Result};

/// The `SharedConfigMessage.kind` of each user config.
pub use session_protocol::proto::shared_config_message::Kind;

/// Wraps an encrypted config for the swarm of `keypair`'s account.
pub fn wrap_config(keypair: &Keypair, data: &[u8], seqno: i64, kind: Kind) -> Result<Vec<u8>> {
    let content = Content {
        shared_config_message: Some(SharedConfigMessage {
            kind: Some(kind.into()),
            seqno: Some(seqno),
            data: Some(data.to_vec()),
        }),
        ..Content::default()
    };
    let mut plain = content.encode_to_vec();
    // The data is already 256-aligned; the 0x80 alone satisfies the padding rule.
    plain.push(0x80);
    let sealed =
        direct::encrypt_for_recipient_deterministic(keypair, &keypair.session_id(), &plain)
            .map_err(|_| Error::Protobuf("cannot seal to own key"))?;
    let envelope = Envelope {
        r#type: Some(envelope::Type::SessionMessage.into()),
        timestamp: Some(1),
        content: Some(sealed),
        ..Envelope::default()
    };
    Ok(WebSocketMessage {
        r#type: Some(web_socket_message::Type::Request.into()),
        request: Some(WebSocketRequestMessage {
            verb: Some(String::new()),
            path: Some(String::new()),
            body: Some(envelope.encode_to_vec()),
            request_id: Some(0),
            headers: Vec::new(),
        }),
        response: None,
    }
    .encode_to_vec())
}

/// Unwraps a wrapped config, returning the encrypted config inside.
///
/// # Errors
///
/// [`Error::Protobuf`] if any layer is malformed, not from this account, or of another kind.
pub fn unwrap_config(keypair: &Keypair, wrapped: &[u8], kind: Kind) -> Result<Vec<u8>> {
    let message =
        WebSocketMessage::decode(wrapped).map_err(|_| Error::Protobuf("not a WebSocketMessage"))?;
    if message.r#type != Some(web_socket_message::Type::Request.into()) {
        return Err(Error::Protobuf("not a request"));
    }
    let body = message
        .request
        .and_then(|r| r.body)
        .ok_or(Error::Protobuf("no request body"))?;
    let envelope =
        Envelope::decode(body.as_slice()).map_err(|_| Error::Protobuf("not an Envelope"))?;
    let sealed = envelope.content.unwrap_or_default();
    let opened = direct::decrypt_incoming(keypair, &sealed)
        .map_err(|_| Error::Protobuf("sealed content does not open"))?;
    if &opened.sender_ed25519 != keypair.ed25519_public() {
        return Err(Error::Protobuf("config not from this account"));
    }
    let mut plain = opened.plaintext;
    if !matches!(plain.last(), Some(0x00 | 0x80)) {
        return Err(Error::Protobuf("missing padding"));
    }
    let end = plain
        .iter()
        .rposition(|&b| b != 0)
        .filter(|&i| plain[i] == 0x80)
        .ok_or(Error::Protobuf("invalid padding"))?;
    plain.truncate(end);
    let content =
        Content::decode(plain.as_slice()).map_err(|_| Error::Protobuf("not a Content"))?;
    let shared = content
        .shared_config_message
        .ok_or(Error::Protobuf("no SharedConfigMessage"))?;
    if shared.kind != Some(kind.into()) {
        return Err(Error::Protobuf("wrong SharedConfigMessage kind"));
    }
    Ok(shared.data.unwrap_or_default())
}
