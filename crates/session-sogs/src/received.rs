//! Messages as the server lists them, decoded and checked: padded `Content` unpadded and
//! parsed, the poster's signature verified (the server never checks it), tombstones and
//! reaction-only rows told apart.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use prost::Message as _;
use serde::Deserialize;
use session_identity::{IdPrefix, SessionId};
use session_protocol::padding;
use session_protocol::proto::Content;

use crate::error::{Error, Result, json_error};

/// One reaction on a message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reaction {
    /// Display order, from 0.
    pub index: u32,
    /// How many reacted.
    pub count: u64,
    /// The first reactors (as many as the request's `reactors`).
    pub reactors: Vec<SessionId>,
    /// Whether we are among them.
    pub you: bool,
}

/// A message (or a deleted message's tombstone) in a room.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct CommunityMessage {
    /// The message id.
    pub id: u64,
    /// Its seqno (latest change, reactions included).
    pub seqno: u64,
    /// The author's id on this server (`15`/`25`, or `05` on non-blinding servers).
    pub author: SessionId,
    /// Posted, unix seconds.
    pub posted: f64,
    /// Last edit, unix seconds.
    pub edited: Option<f64>,
    /// A tombstone: the message was deleted (no data, no signature).
    pub deleted: bool,
    /// A whisper (to `whisper_to`, or to moderators when `whisper_mods`).
    pub whisper: bool,
    /// A whisper to the moderators.
    pub whisper_mods: bool,
    /// The whisper's recipient.
    pub whisper_to: Option<SessionId>,
    /// The data exactly as signed (padded `Content`); empty for tombstones.
    pub data: Vec<u8>,
    /// The poster's signature.
    pub signature: Option<[u8; 64]>,
    /// The parsed `Content`, if the data unpads and parses.
    pub content: Option<Content>,
    /// The visible message's text.
    pub text: Option<String>,
    /// Whether the signature verified with the author's key.
    pub signature_valid: bool,
    /// Reactions by emoji.
    pub reactions: BTreeMap<String, Reaction>,
}

impl core::fmt::Debug for CommunityMessage {
    // Message text stays out of logs.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CommunityMessage")
            .field("id", &self.id)
            .field("seqno", &self.seqno)
            .field("author", &self.author)
            .field("deleted", &self.deleted)
            .field("signature_valid", &self.signature_valid)
            .field("data_len", &self.data.len())
            .field("reactions", &self.reactions.len())
            .finish_non_exhaustive()
    }
}

/// One row of a message list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MessageRow {
    /// A message, new or edited, or a tombstone (`deleted`).
    Message(Box<CommunityMessage>),
    /// Only the reactions changed (`since?t=r`).
    Reactions {
        /// The message id.
        id: u64,
        /// Its new seqno.
        seqno: u64,
        /// All its reactions now.
        reactions: BTreeMap<String, Reaction>,
    },
}

impl MessageRow {
    /// The row's seqno.
    pub fn seqno(&self) -> u64 {
        match self {
            Self::Message(m) => m.seqno,
            Self::Reactions { seqno, .. } => *seqno,
        }
    }
}

#[derive(Deserialize)]
struct RawReaction {
    #[serde(default)]
    index: u32,
    #[serde(default)]
    count: u64,
    #[serde(default)]
    reactors: Vec<SessionId>,
    #[serde(default)]
    you: bool,
}

#[derive(Deserialize)]
struct RawMessage {
    id: u64,
    #[serde(default)]
    seqno: u64,
    #[serde(default)]
    session_id: Option<SessionId>,
    #[serde(default)]
    posted: Option<f64>,
    #[serde(default)]
    edited: Option<f64>,
    #[serde(default)]
    data: Option<String>,
    #[serde(default)]
    signature: Option<String>,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    whisper: bool,
    #[serde(default)]
    whisper_mods: bool,
    #[serde(default)]
    whisper_to: Option<SessionId>,
    #[serde(default)]
    reactions: Option<BTreeMap<String, RawReaction>>,
}

fn reactions(raw: Option<BTreeMap<String, RawReaction>>) -> BTreeMap<String, Reaction> {
    raw.unwrap_or_default()
        .into_iter()
        .map(|(emoji, r)| {
            (
                emoji,
                Reaction {
                    index: r.index,
                    count: r.count,
                    reactors: r.reactors,
                    you: r.you,
                },
            )
        })
        .collect()
}

/// Whether `signature` over `data` is `author`'s: Ed25519 by the blinded key for `15`/`25`,
/// XEd25519 by the X25519 key for `05`. Other prefixes never post.
pub fn verify_post_signature(author: &SessionId, data: &[u8], signature: &[u8; 64]) -> bool {
    match author.prefix() {
        IdPrefix::Blinded15 | IdPrefix::Blinded25 => {
            session_crypto::ed25519::verify(signature, author.key_bytes(), data).is_ok()
        }
        IdPrefix::Standard => {
            session_crypto::xed25519::verify(signature, author.key_bytes(), data).is_ok()
        }
        _ => false,
    }
}

/// Unpads and parses a post's data.
pub(crate) fn parse_content(padded: &[u8]) -> Option<Content> {
    let content = padding::unpad(padded).ok()?;
    Content::decode(content).ok()
}

/// The visible text of a `Content`.
pub(crate) fn content_text(content: Option<&Content>) -> Option<String> {
    content?.data_message.as_ref()?.body.clone()
}

fn decode_row(raw: RawMessage) -> Result<MessageRow> {
    let Some(author) = raw.session_id else {
        // Only reaction-only rows come without an author.
        return Ok(MessageRow::Reactions {
            id: raw.id,
            seqno: raw.seqno,
            reactions: reactions(raw.reactions),
        });
    };
    let data = match &raw.data {
        Some(b64) => STANDARD
            .decode(b64)
            .map_err(|_| Error::Decode("message data is not base64".into()))?,
        None => Vec::new(),
    };
    let signature = match &raw.signature {
        Some(b64) => STANDARD
            .decode(b64)
            .ok()
            .and_then(|bytes| <[u8; 64]>::try_from(bytes.as_slice()).ok()),
        None => None,
    };
    let deleted = raw.deleted || raw.data.is_none();
    let signature_valid = !deleted
        && signature
            .as_ref()
            .is_some_and(|sig| verify_post_signature(&author, &data, sig));
    let content = if deleted { None } else { parse_content(&data) };
    let text = content_text(content.as_ref());
    Ok(MessageRow::Message(Box::new(CommunityMessage {
        id: raw.id,
        seqno: raw.seqno,
        author,
        posted: raw.posted.unwrap_or_default(),
        edited: raw.edited,
        deleted,
        whisper: raw.whisper || raw.whisper_mods || raw.whisper_to.is_some(),
        whisper_mods: raw.whisper_mods,
        whisper_to: raw.whisper_to,
        data,
        signature,
        content,
        text,
        signature_valid,
        reactions: reactions(raw.reactions),
    })))
}

/// Decodes a JSON message list (`since`, `recent`, `before`).
///
/// # Errors
///
/// [`Error::Decode`] for anything but a list of message objects.
pub fn decode_message_rows(body: &[u8]) -> Result<Vec<MessageRow>> {
    let raw: Vec<RawMessage> = serde_json::from_slice(body).map_err(json_error)?;
    raw.into_iter().map(decode_row).collect()
}

/// Decodes one message object (`GET /room/R/message/{id}`, a post's answer).
///
/// # Errors
///
/// [`Error::Decode`] for anything but a message with an author.
pub fn decode_message(body: &[u8]) -> Result<CommunityMessage> {
    let raw: RawMessage = serde_json::from_slice(body).map_err(json_error)?;
    match decode_row(raw)? {
        MessageRow::Message(message) => Ok(*message),
        MessageRow::Reactions { .. } => Err(Error::Decode("message without an author".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{AuthKey, AuthMode};
    use crate::post::{Post, sign_post};
    use session_crypto::Ed25519Seed;
    use session_identity::Keypair;

    fn keypair() -> Keypair {
        Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([5; 32]))
    }

    fn row_json(author: &SessionId, data: &[u8], signature: &[u8; 64]) -> String {
        format!(
            r#"{{"id":1,"session_id":"{author}","posted":1.5,"seqno":3,"data":"{}","signature":"{}","reactions":{{"👍":{{"index":0,"count":2,"reactors":["{author}"],"you":true}}}}}}"#,
            STANDARD.encode(data),
            STANDARD.encode(signature)
        )
    }

    #[test]
    fn good_and_bad_signatures_for_every_mode() {
        let server = [8u8; 32];
        for mode in [AuthMode::Blind15, AuthMode::Blind25, AuthMode::Unblinded] {
            let key = AuthKey::new(&keypair(), &server, mode);
            let post = sign_post(&key, &Post::text("hello", 1_700_000_000_000), &[1; 64]);
            // Unblinded posters appear as their 05 id.
            let author = match mode {
                AuthMode::Unblinded => keypair().session_id(),
                _ => key.session_id(),
            };
            let good =
                decode_message(row_json(&author, &post.data, &post.signature).as_bytes()).unwrap();
            assert!(good.signature_valid, "{mode:?}");
            assert_eq!(good.text.as_deref(), Some("hello"));
            assert_eq!(good.data, post.data);
            let reaction = &good.reactions["👍"];
            assert_eq!((reaction.count, reaction.you), (2, true));

            let mut tampered = post.data.clone();
            tampered[0] ^= 1;
            let bad =
                decode_message(row_json(&author, &tampered, &post.signature).as_bytes()).unwrap();
            assert!(!bad.signature_valid);
            let mut sig = post.signature;
            sig[10] ^= 1;
            let bad = decode_message(row_json(&author, &post.data, &sig).as_bytes()).unwrap();
            assert!(!bad.signature_valid);
        }
    }

    #[test]
    fn tombstones_and_reaction_rows() {
        let id = format!("15{}", "11".repeat(32));
        let body = format!(
            r#"[{{"id":4,"session_id":"{id}","posted":1.0,"seqno":9,"edited":2.0,"data":null,"deleted":true}},
                {{"id":5,"seqno":10,"reactions":{{"❤":{{"index":0,"count":1}}}}}}]"#
        );
        let rows = decode_message_rows(body.as_bytes()).unwrap();
        let MessageRow::Message(tomb) = &rows[0] else {
            panic!("not a tombstone")
        };
        assert!(tomb.deleted && !tomb.signature_valid && tomb.content.is_none());
        assert_eq!(rows[0].seqno(), 9);
        assert!(
            matches!(&rows[1], MessageRow::Reactions { id: 5, seqno: 10, reactions } if reactions["❤"].count == 1)
        );
    }

    #[test]
    fn whispers_and_shapes() {
        let id = format!("15{}", "11".repeat(32));
        let body = format!(
            r#"[{{"id":1,"session_id":"{id}","posted":1.0,"seqno":1,"data":"gA==","signature":"AA==","whisper":true,"whisper_mods":true,"reactions":{{}}}}]"#
        );
        let rows = decode_message_rows(body.as_bytes()).unwrap();
        let MessageRow::Message(m) = &rows[0] else {
            panic!()
        };
        assert!(m.whisper && m.whisper_mods && m.signature.is_none() && !m.signature_valid);
        for bad in [
            "",
            "{}",
            "[{}]",
            r#"[{"id":1,"session_id":"zz"}]"#,
            r#"[{"id":1,"session_id":"15ab","data":"!"}]"#,
        ] {
            assert!(decode_message_rows(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
