//! Pointers to uploaded, encrypted files (`AttachmentPointer`), as carried by visible messages
//! and link previews. Encrypting and uploading the file itself is not done here.

use core::fmt;

use crate::proto;

use super::error::ContentError;
use super::field::required;

/// The `flags` bit that marks a voice message.
const VOICE_MESSAGE_FLAG: u32 = proto::attachment_pointer::Flags::VoiceMessage as u32;

/// Where an encrypted file is and how to decrypt and check it.
///
/// `Debug` leaves the key out.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct AttachmentPointer {
    /// The legacy numeric file id (`deprecatedId`, still required on the wire). desktop derives
    /// it from the numeric id at the end of the URL, or 0.
    pub id: u64,
    /// The MIME type.
    pub content_type: Option<String>,
    /// The decryption key: 64 bytes (AES-256 key then HMAC-SHA256 key) for the default scheme.
    pub key: Option<Vec<u8>>,
    /// The plaintext size in bytes; the padded plaintext is truncated to it.
    pub size: Option<u32>,
    /// SHA-256 of the encrypted blob.
    pub digest: Option<Vec<u8>>,
    /// The original file name.
    pub file_name: Option<String>,
    /// Whether this is a voice message (`flags` bit 1).
    pub voice_message: bool,
    /// Image or video width in pixels.
    pub width: Option<u32>,
    /// Image or video height in pixels.
    pub height: Option<u32>,
    /// A caption.
    pub caption: Option<String>,
    /// The download URL.
    pub url: Option<String>,
}

impl AttachmentPointer {
    /// A pointer to the file at `url` with the legacy id `id`; set the other fields as needed.
    pub fn new(id: u64, url: impl Into<String>) -> Self {
        Self {
            id,
            url: Some(url.into()),
            ..Self::default()
        }
    }

    pub(super) fn to_proto(&self) -> proto::AttachmentPointer {
        proto::AttachmentPointer {
            deprecated_id: Some(self.id),
            content_type: self.content_type.clone(),
            key: self.key.clone(),
            size: self.size,
            thumbnail: None,
            digest: self.digest.clone(),
            file_name: self.file_name.clone(),
            flags: self.voice_message.then_some(VOICE_MESSAGE_FLAG),
            width: self.width,
            height: self.height,
            caption: self.caption.clone(),
            url: self.url.clone(),
        }
    }

    pub(super) fn from_proto(pointer: proto::AttachmentPointer) -> Result<Self, ContentError> {
        Ok(Self {
            id: required(pointer.deprecated_id, "AttachmentPointer.deprecatedId")?,
            content_type: pointer.content_type,
            key: pointer.key,
            size: pointer.size,
            digest: pointer.digest,
            file_name: pointer.file_name,
            voice_message: pointer
                .flags
                .is_some_and(|flags| flags & VOICE_MESSAGE_FLAG != 0),
            width: pointer.width,
            height: pointer.height,
            caption: pointer.caption,
            url: pointer.url,
        })
    }
}

impl fmt::Debug for AttachmentPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttachmentPointer")
            .field("id", &self.id)
            .field("content_type", &self.content_type)
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .field("size", &self.size)
            .field("digest", &self.digest.as_ref().map(hex::encode))
            .field("file_name", &self.file_name)
            .field("voice_message", &self.voice_message)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("caption", &self.caption)
            .field("url", &self.url)
            .finish()
    }
}
