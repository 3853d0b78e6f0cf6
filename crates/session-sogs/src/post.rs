//! Outgoing posts: padded `Content` and the poster's signature over exactly those bytes
//! (`sogs.md` §5).

use prost::Message as _;
use session_identity::SessionId;
use session_protocol::message::{Message, VisibleMessage};
use session_protocol::padding;
use session_protocol::proto::Content;

use crate::auth::AuthKey;

/// A post (or an edit's new version) before signing.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// The Session message.
    pub content: Content,
    /// Ids of files uploaded to the room that the post references (keeps them alive).
    pub files: Vec<u64>,
    /// Whisper to one user (moderators only).
    pub whisper_to: Option<SessionId>,
    /// Whisper to the room's moderators (moderators only).
    pub whisper_mods: bool,
}

impl Post {
    /// A post carrying `content`.
    pub fn new(content: Content) -> Self {
        Self {
            content,
            files: Vec::new(),
            whisper_to: None,
            whisper_mods: false,
        }
    }

    /// A text message sent at `sent_at_ms` (unix milliseconds).
    pub fn text(text: &str, sent_at_ms: u64) -> Self {
        Self::new(Message::new(VisibleMessage::text(text), sent_at_ms).to_content())
    }

    /// The post with file references.
    #[must_use]
    pub fn with_files(mut self, files: Vec<u64>) -> Self {
        self.files = files;
        self
    }
}

/// A post ready to send: padded data and its signature.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedPost {
    /// The padded `Content`, as the server stores and returns it.
    pub data: Vec<u8>,
    /// The poster's signature over `data`.
    pub signature: [u8; 64],
    /// File references.
    pub files: Vec<u64>,
    /// Whisper target.
    pub whisper_to: Option<SessionId>,
    /// Whisper to moderators.
    pub whisper_mods: bool,
}

impl core::fmt::Debug for SignedPost {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignedPost")
            .field("data_len", &self.data.len())
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

/// Pads and signs `post`: a blinded key signs with its blinded key (verifies with the
/// `15`/`25` id), the unblinded key with XEd25519 by its X25519 key (verifies with the
/// `05` id the server shows). `random` feeds XEd25519's nonce and is unused otherwise.
pub fn sign_post(key: &AuthKey, post: &Post, random: &[u8; 64]) -> SignedPost {
    let data = padding::pad(&post.content.encode_to_vec());
    let signature = match key {
        AuthKey::Blinded(_) => key.sign(&data),
        AuthKey::Unblinded(keypair) => {
            session_crypto::xed25519::sign_with_random(keypair.x25519_secret(), &data, random)
        }
    };
    SignedPost {
        data,
        signature,
        files: post.files.clone(),
        whisper_to: post.whisper_to,
        whisper_mods: post.whisper_mods,
    }
}
