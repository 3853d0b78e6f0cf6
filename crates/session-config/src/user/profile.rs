//! UserProfile (namespace 2): the account's own name, picture and Note-to-Self settings.
//!
//! Keys: `n` name, `p` picture URL, `q` picture key, `+` Note-to-Self priority (−1 hidden),
//! `e` Note-to-Self disappearing timer in seconds, `M` whether blinded (community) message
//! requests are accepted (1 / 0 / absent for the default).

use session_crypto::Ed25519Seed;

use super::fields::{
    ProfilePic, check_name, get_int, get_pic, get_str, nonempty_str, nonzero, pic_values, positive,
};
use crate::base::ConfigBase;
use crate::error::Result;
use crate::kind::ConfigKind;
use crate::value::Value;

/// The UserProfile config.
#[derive(Clone, Debug)]
pub struct UserProfile {
    base: ConfigBase,
}

impl UserProfile {
    /// The type's namespace, domain and wrapping.
    pub const KIND: ConfigKind = ConfigKind::USER_PROFILE;

    /// An empty profile encrypted with the account's seed.
    pub fn new(seed: &Ed25519Seed) -> Self {
        let mut base = ConfigBase::new(Self::KIND);
        base.add_key(*seed.expose_secret(), true);
        Self { base }
    }

    /// Restores a profile from a dump.
    ///
    /// # Errors
    ///
    /// See [`ConfigBase::load`].
    pub fn load(seed: &Ed25519Seed, dump: &[u8]) -> Result<Self> {
        let mut base = ConfigBase::load(Self::KIND, dump)?;
        base.add_key(*seed.expose_secret(), true);
        Ok(Self { base })
    }

    /// The generic config object (push, merge, dump, state).
    pub fn base(&self) -> &ConfigBase {
        &self.base
    }

    /// The generic config object, mutably.
    pub fn base_mut(&mut self) -> &mut ConfigBase {
        &mut self.base
    }

    /// The display name.
    pub fn name(&self) -> Option<String> {
        get_str(self.base.data(), b"n")
    }

    /// Sets the display name (empty removes it).
    ///
    /// # Errors
    ///
    /// [`crate::Error::InvalidValue`] above 100 bytes.
    pub fn set_name(&mut self, name: &str) -> Result<()> {
        check_name(name)?;
        self.base.set(&[b"n"], nonempty_str(name))
    }

    /// The profile picture.
    pub fn profile_pic(&self) -> Option<ProfilePic> {
        get_pic(self.base.data())
    }

    /// Sets (or with `None` or an empty URL, removes) the profile picture.
    ///
    /// # Errors
    ///
    /// [`crate::Error::InvalidValue`] for a URL above 223 bytes.
    pub fn set_profile_pic(&mut self, pic: Option<&ProfilePic>) -> Result<()> {
        let (url, key) = pic_values(pic)?;
        self.base.set(&[b"p"], url)?;
        self.base.set(&[b"q"], key)
    }

    /// The Note-to-Self conversation's priority: 0 normal, above 0 pinned, −1 hidden.
    pub fn nts_priority(&self) -> i64 {
        get_int(self.base.data(), b"+")
    }

    /// Sets the Note-to-Self priority.
    ///
    /// # Errors
    ///
    /// [`crate::Error::ReadOnly`] never for user configs; kept for uniformity.
    pub fn set_nts_priority(&mut self, priority: i64) -> Result<()> {
        self.base.set(&[b"+"], nonzero(priority))
    }

    /// The Note-to-Self disappearing-message timer in seconds, if set.
    pub fn nts_expiry(&self) -> Option<i64> {
        Some(get_int(self.base.data(), b"e")).filter(|e| *e > 0)
    }

    /// Sets the Note-to-Self timer (0 or less turns it off).
    ///
    /// # Errors
    ///
    /// As [`Self::set_nts_priority`].
    pub fn set_nts_expiry(&mut self, seconds: i64) -> Result<()> {
        self.base.set(&[b"e"], positive(seconds))
    }

    /// Whether blinded message requests are accepted; `None` for the client default.
    pub fn blinded_msgreqs(&self) -> Option<bool> {
        self.base
            .data()
            .get(b"M".as_slice())
            .and_then(Value::as_int)
            .map(|m| m != 0)
    }

    /// Sets the blinded message requests flag (`None` for the default).
    ///
    /// # Errors
    ///
    /// As [`Self::set_nts_priority`].
    pub fn set_blinded_msgreqs(&mut self, value: Option<bool>) -> Result<()> {
        self.base
            .set(&[b"M"], value.map(|v| Value::from(i64::from(v))))
    }
}
