//! Profile pictures: AES-256-GCM under the 32-byte profile key (sent with messages as
//! `profileKey`), uploaded like any file; the URL goes in the profile.

use session_crypto::SymmetricKey;
use session_protocol::attachment::avatar;

use crate::files::client::FileClient;
use crate::files::error::FileError;
use crate::files::progress::{Phase, Progress};
use crate::files::reply::UploadedFile;
use crate::files::url::FileLocation;
use crate::net::OsRandom;

impl FileClient {
    /// Encrypts `image` under `profile_key` and uploads it; its URL is the profile
    /// picture's. The clients extend or re-upload it daily ([`FileClient::extend`]).
    ///
    /// # Errors
    ///
    /// [`FileError::Random`], [`FileError::Attachment`] if AES-GCM refuses the length, and
    /// the errors of [`FileClient::upload`].
    pub async fn upload_avatar(
        &self,
        profile_key: &SymmetricKey,
        image: &[u8],
        mut progress: impl FnMut(Progress) + Send,
    ) -> Result<UploadedFile, FileError> {
        progress(Progress::new(Phase::Encrypting, 0, image.len()));
        let mut rng = OsRandom::new();
        let sealed = avatar::encrypt(&mut rng, profile_key, image);
        rng.check().map_err(|_| FileError::Random)?;
        self.upload_file(&sealed?, false, &mut progress).await
    }

    /// Downloads the avatar at `url` and decrypts it with `profile_key`.
    ///
    /// # Errors
    ///
    /// [`FileError::Attachment`] with
    /// [`AttachmentError::AvatarAuthentication`](session_protocol::attachment::AttachmentError::AvatarAuthentication)
    /// for a wrong key or altered data, and the errors of [`FileClient::download`].
    pub async fn download_avatar(
        &self,
        url: &str,
        profile_key: &SymmetricKey,
        mut progress: impl FnMut(Progress) + Send,
    ) -> Result<Vec<u8>, FileError> {
        let location = FileLocation::parse(url)?;
        let data = self.download_from(&location, &mut progress).await?;
        progress(Progress::new(Phase::Decrypting, 0, data.len()));
        let image = avatar::decrypt(profile_key, &data)?;
        progress(Progress::new(Phase::Decrypted, image.len(), image.len()));
        Ok(image)
    }
}
