//! The sender's public profile that visible messages and message-request responses carry
//! (`LokiProfile` plus the separate `profileKey` field).

use core::fmt;

use crate::proto::LokiProfile;

/// Length of a profile key: the AES-256-GCM key of the avatar.
pub const PROFILE_KEY_LEN: usize = 32;

/// A sender's public profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Profile {
    /// The display name.
    pub display_name: Option<String>,
    /// The avatar: where it is and the key that decrypts it.
    pub picture: Option<ProfilePicture>,
    /// When the profile last changed, in seconds since the Unix epoch. Receivers use it to
    /// ignore outdated profiles.
    pub updated_at_seconds: Option<u64>,
}

impl Profile {
    /// A profile with only a display name.
    pub fn named(display_name: impl Into<String>) -> Self {
        Self {
            display_name: Some(display_name.into()),
            ..Self::default()
        }
    }

    /// Lowers to the `LokiProfile` and the `profileKey` field. The key is present only with a
    /// picture, as desktop sends it.
    pub(super) fn to_proto(&self) -> (LokiProfile, Option<Vec<u8>>) {
        let profile = LokiProfile {
            display_name: self.display_name.clone(),
            profile_picture: self.picture.as_ref().map(|picture| picture.url.clone()),
            last_update_seconds: self.updated_at_seconds,
        };
        let key = self.picture.as_ref().map(|picture| picture.key.to_vec());
        (profile, key)
    }

    /// Reads a `LokiProfile` and the `profileKey` beside it. The picture is kept only when both
    /// its URL and a 32-byte key are present: without them it cannot be downloaded and
    /// decrypted, which is no reason to reject the message around it.
    pub(super) fn from_proto(profile: Option<LokiProfile>, key: Option<&[u8]>) -> Option<Self> {
        let profile = profile?;
        let key = key.and_then(|key| <[u8; PROFILE_KEY_LEN]>::try_from(key).ok());
        let picture = profile
            .profile_picture
            .zip(key)
            .map(|(url, key)| ProfilePicture { url, key });
        Some(Self {
            display_name: profile.display_name,
            picture,
            updated_at_seconds: profile.last_update_seconds,
        })
    }
}

/// Where a profile picture is and the key that decrypts it.
///
/// `Debug` leaves the key out.
#[derive(Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ProfilePicture {
    /// The file-server URL of the encrypted avatar.
    pub url: String,
    /// The 32-byte AES-256-GCM key.
    pub key: [u8; PROFILE_KEY_LEN],
}

impl ProfilePicture {
    /// A picture at `url`, encrypted with `key`.
    pub fn new(url: impl Into<String>, key: [u8; PROFILE_KEY_LEN]) -> Self {
        Self {
            url: url.into(),
            key,
        }
    }
}

impl fmt::Debug for ProfilePicture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfilePicture")
            .field("url", &self.url)
            .field("key", &"<redacted>")
            .finish()
    }
}
