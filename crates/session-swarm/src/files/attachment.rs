//! Attachments as the clients send them: encrypted (AES-256-CBC + HMAC-SHA256, padded),
//! uploaded, and described by an `AttachmentPointer`; and the way back, checked before
//! anything is handed out.

use session_crypto::SymmetricKey;
use session_protocol::attachment::{self, AttachmentKey, Padding, deterministic};
use session_protocol::message::AttachmentPointer;

use crate::files::client::FileClient;
use crate::files::error::FileError;
use crate::files::progress::{Phase, Progress};
use crate::files::reply::UploadedFile;
use crate::files::url::{FileLocation, legacy_id};
use crate::net::OsRandom;

/// An uploaded attachment: the pointer to put in the message, and the upload itself (its
/// expiry, for re-uploading later).
#[derive(Clone, Debug)]
pub struct UploadedAttachment {
    /// The pointer, filled as desktop fills it: `id` (the legacy numeric id, 0 for today's
    /// ids), `url`, `key`, `digest`, `size` and `content_type`. Set `file_name`, `width`,
    /// `height`, `caption` or `voice_message` on it as the file calls for.
    pub pointer: AttachmentPointer,
    /// The upload.
    pub file: UploadedFile,
}

impl FileClient {
    /// Encrypts `plaintext` with a fresh key, uploads it and returns its pointer.
    /// `padding` is [`Padding::Desktop`] for attachments, [`Padding::None`] for
    /// link-preview images (as desktop). Reports [`Phase::Encrypting`] before encryption,
    /// then the upload's phases with the encrypted size.
    ///
    /// # Errors
    ///
    /// [`FileError::Random`] if the system generator fails, [`FileError::TooLarge`] for more
    /// than the server takes once encrypted, and the errors of [`FileClient::upload`].
    pub async fn upload_attachment(
        &self,
        plaintext: &[u8],
        content_type: Option<&str>,
        padding: Padding,
        mut progress: impl FnMut(Progress) + Send,
    ) -> Result<UploadedAttachment, FileError> {
        let max = crate::files::client::MAX_UPLOAD;
        let size = u32::try_from(plaintext.len())
            .ok()
            .filter(|_| plaintext.len() <= max)
            .ok_or(FileError::TooLarge {
                size: plaintext.len(),
                max,
            })?;
        progress(Progress::new(Phase::Encrypting, 0, plaintext.len()));
        let mut rng = OsRandom::new();
        let sealed = attachment::encrypt(&mut rng, plaintext, padding);
        rng.check().map_err(|_| FileError::Random)?;
        let file = self.upload_file(&sealed.data, false, &mut progress).await?;
        let mut pointer = AttachmentPointer::new(legacy_id(&file.id), file.url.clone());
        pointer.content_type = content_type.map(str::to_owned);
        pointer.key = Some(sealed.key.to_bytes().to_vec());
        pointer.digest = Some(sealed.digest.to_vec());
        pointer.size = Some(size);
        Ok(UploadedAttachment { pointer, file })
    }

    /// Downloads the file `pointer` names, checks it and decrypts it. For the default
    /// scheme the MAC, then the digest, then the size are checked (a pointer without a
    /// digest or size is refused, as desktop does); a URL marked `d` is decrypted with the
    /// deterministic scheme, whose chunks authenticate themselves. Reports the download's
    /// phases, then [`Phase::Decrypting`] and [`Phase::Decrypted`].
    ///
    /// # Errors
    ///
    /// [`FileError::IncompletePointer`] for a pointer without a URL, key or size (before
    /// anything is downloaded); [`FileError::Attachment`] when a check fails
    /// ([`attachment::AttachmentError::MacMismatch`] for altered data,
    /// [`attachment::AttachmentError::DigestMismatch`] for a digest that is not the file's,
    /// [`attachment::AttachmentError::SizeMismatch`] for a size beyond it...); and the
    /// errors of [`FileClient::download`].
    pub async fn download_attachment(
        &self,
        pointer: &AttachmentPointer,
        mut progress: impl FnMut(Progress) + Send,
    ) -> Result<Vec<u8>, FileError> {
        let url = pointer
            .url
            .as_deref()
            .ok_or(FileError::IncompletePointer("url"))?;
        let key = pointer
            .key
            .as_deref()
            .ok_or(FileError::IncompletePointer("key"))?;
        let location = FileLocation::parse(url)?;
        let plaintext = if location.deterministic {
            let key = deterministic_key(key)?;
            let data = self.download_from(&location, &mut progress).await?;
            progress(Progress::new(Phase::Decrypting, 0, data.len()));
            deterministic::decrypt(&data, &key)?
        } else {
            let key = AttachmentKey::from_slice(key)?;
            let size = pointer
                .size
                .filter(|size| *size > 0)
                .and_then(|size| usize::try_from(size).ok())
                .ok_or(FileError::IncompletePointer("size"))?;
            let digest = pointer.digest.as_deref().unwrap_or_default();
            let data = self.download_from(&location, &mut progress).await?;
            progress(Progress::new(Phase::Decrypting, 0, data.len()));
            attachment::decrypt(&data, &key, digest, size)?
        };
        progress(Progress::new(
            Phase::Decrypted,
            plaintext.len(),
            plaintext.len(),
        ));
        Ok(plaintext)
    }
}

/// The 32-byte key of the deterministic scheme.
fn deterministic_key(bytes: &[u8]) -> Result<SymmetricKey, FileError> {
    let bytes: [u8; deterministic::KEY_LEN] =
        bytes
            .try_into()
            .map_err(|_| attachment::AttachmentError::KeyLength {
                expected: deterministic::KEY_LEN,
                found: bytes.len(),
            })?;
    Ok(SymmetricKey::from_bytes(bytes))
}
