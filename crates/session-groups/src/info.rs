//! The group Info config (namespace 13, domain `groups::Info`): what the group is called and
//! how it behaves, signed by the group key and encrypted with the group keys
//! (libsession-util.md §11.8, §12.1).
//!
//! Keys: `!` destroyed (1), `c` created (unix s), `d` delete messages before (unix s), `D`
//! delete attachments before (unix s), `E` disappearing timer (after-send, s), `n` name
//! (≤ 100 bytes), `o` description (≤ 2000 bytes), `p` / `q` picture URL and key.
//!
//! Admins (holding the group key pair) may change it; members only verify and read it.
//! The encryption keys come from [`GroupKeys`](crate::GroupKeys); [`crate::rekeying`] hands
//! them over.

use session_config::user::{MAX_NAME_LENGTH, ProfilePic};
use session_config::{ConfigBase, ConfigKind, Result, Value};
use session_identity::Keypair;

use crate::fields::{
    check_len, flag, get_int, get_pic, get_str, nonempty_str, pic_values, positive,
};

/// Longest group description, in bytes.
pub const MAX_DESCRIPTION_LENGTH: usize = 2000;

/// The group Info config.
#[derive(Clone, Debug)]
pub struct GroupInfo {
    base: ConfigBase,
}

impl GroupInfo {
    /// Namespace 13, domain `groups::Info`, no protobuf wrapping.
    pub const KIND: ConfigKind = ConfigKind::new(13, "groups::Info", None);

    /// An empty Info for the group `group_pk`: signed by `admin` (the group key pair) if we
    /// hold it, else read-only and verified against `group_pk`. It has no encryption key
    /// until [`crate::rekeying::replace_keys`] gives it the group's.
    ///
    /// # Errors
    ///
    /// [`session_config::Error::InvalidKey`] if `admin` is not the key pair of `group_pk`.
    pub fn new(group_pk: &[u8; 32], admin: Option<&Keypair>) -> Result<Self> {
        let mut base = ConfigBase::new(Self::KIND);
        crate::rekeying::set_signing(&mut base, group_pk, admin)?;
        Ok(Self { base })
    }

    /// Restores an Info from [`ConfigBase::dump`], with signing keys as for [`Self::new`].
    ///
    /// # Errors
    ///
    /// As [`ConfigBase::load`] and [`Self::new`].
    pub fn load(group_pk: &[u8; 32], admin: Option<&Keypair>, dump: &[u8]) -> Result<Self> {
        let mut base = ConfigBase::load(Self::KIND, dump)?;
        crate::rekeying::set_signing(&mut base, group_pk, admin)?;
        Ok(Self { base })
    }

    /// The generic config object (push, merge, dump, state, keys).
    pub fn base(&self) -> &ConfigBase {
        &self.base
    }

    /// The generic config object, mutably.
    pub fn base_mut(&mut self) -> &mut ConfigBase {
        &mut self.base
    }

    /// The group name.
    pub fn name(&self) -> Option<String> {
        get_str(self.base.data(), b"n")
    }

    /// Sets the name (empty removes it).
    ///
    /// # Errors
    ///
    /// [`session_config::Error::InvalidValue`] above 100 bytes,
    /// [`session_config::Error::ReadOnly`] without the group key.
    pub fn set_name(&mut self, name: &str) -> Result<()> {
        check_len(name, MAX_NAME_LENGTH, "group name exceeds 100 bytes")?;
        self.base.set(&[b"n"], nonempty_str(name))
    }

    /// The group description.
    pub fn description(&self) -> Option<String> {
        get_str(self.base.data(), b"o")
    }

    /// Sets the description (empty removes it).
    ///
    /// # Errors
    ///
    /// [`session_config::Error::InvalidValue`] above 2000 bytes, else as [`Self::set_name`].
    pub fn set_description(&mut self, description: &str) -> Result<()> {
        check_len(
            description,
            MAX_DESCRIPTION_LENGTH,
            "group description exceeds 2000 bytes",
        )?;
        self.base.set(&[b"o"], nonempty_str(description))
    }

    /// The group picture.
    pub fn profile_pic(&self) -> Option<ProfilePic> {
        get_pic(self.base.data())
    }

    /// Sets (or with `None` or an empty URL, removes) the group picture.
    ///
    /// # Errors
    ///
    /// [`session_config::Error::InvalidValue`] for a URL above 223 bytes, else as
    /// [`Self::set_name`].
    pub fn set_profile_pic(&mut self, pic: Option<&ProfilePic>) -> Result<()> {
        let (url, key) = pic_values(pic)?;
        self.base.set(&[b"p"], url)?;
        self.base.set(&[b"q"], key)
    }

    /// When the group was created, unix seconds.
    pub fn created(&self) -> Option<i64> {
        Some(get_int(self.base.data(), b"c")).filter(|t| *t > 0)
    }

    /// Sets the creation time (0 or less removes it).
    ///
    /// # Errors
    ///
    /// As [`Self::set_name`].
    pub fn set_created(&mut self, unix_s: i64) -> Result<()> {
        self.base.set(&[b"c"], positive(unix_s))
    }

    /// Members delete messages sent before this unix time (seconds).
    pub fn delete_before(&self) -> Option<i64> {
        Some(get_int(self.base.data(), b"d")).filter(|t| *t > 0)
    }

    /// Sets the delete-before time (0 or less removes it).
    ///
    /// # Errors
    ///
    /// As [`Self::set_name`].
    pub fn set_delete_before(&mut self, unix_s: i64) -> Result<()> {
        self.base.set(&[b"d"], positive(unix_s))
    }

    /// Members delete attachments sent before this unix time (seconds).
    pub fn delete_attachments_before(&self) -> Option<i64> {
        Some(get_int(self.base.data(), b"D")).filter(|t| *t > 0)
    }

    /// Sets the delete-attachments-before time (0 or less removes it).
    ///
    /// # Errors
    ///
    /// As [`Self::set_name`].
    pub fn set_delete_attachments_before(&mut self, unix_s: i64) -> Result<()> {
        self.base.set(&[b"D"], positive(unix_s))
    }

    /// The disappearing-messages timer (after send), in seconds, if on.
    pub fn expiry_timer(&self) -> Option<i64> {
        Some(get_int(self.base.data(), b"E")).filter(|t| *t > 0)
    }

    /// Sets the disappearing-messages timer (0 or less turns it off).
    ///
    /// # Errors
    ///
    /// As [`Self::set_name`].
    pub fn set_expiry_timer(&mut self, seconds: i64) -> Result<()> {
        self.base.set(&[b"E"], positive(seconds))
    }

    /// Whether an admin destroyed the group (members should delete it).
    pub fn is_destroyed(&self) -> bool {
        self.base
            .data()
            .get(b"!".as_slice())
            .and_then(Value::as_int)
            .is_some_and(|d| d != 0)
    }

    /// Marks the group destroyed, for good: libsession offers no way back.
    ///
    /// # Errors
    ///
    /// As [`Self::set_name`].
    pub fn destroy_group(&mut self) -> Result<()> {
        self.base.set(&[b"!"], flag(true))
    }
}

#[cfg(test)]
mod tests {
    // Tests: a failed unwrap is a failed test.
    #![allow(clippy::unwrap_used)]

    use session_crypto::Ed25519Seed;

    use super::*;

    fn group() -> Keypair {
        Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([5; 32]))
    }

    fn pair() -> (GroupInfo, GroupInfo) {
        let group = group();
        let mut admin = GroupInfo::new(group.ed25519_public(), Some(&group)).unwrap();
        let mut member = GroupInfo::new(group.ed25519_public(), None).unwrap();
        admin.base_mut().add_key([1; 32], true);
        member.base_mut().add_key([1; 32], true);
        (admin, member)
    }

    #[test]
    fn every_field_round_trips_through_push_and_merge() {
        let (mut admin, mut member) = pair();
        let pic = ProfilePic {
            url: "http://example.org/pic".into(),
            key: [9; 32],
        };
        admin.set_name("Group").unwrap();
        admin.set_description("About the group").unwrap();
        admin.set_profile_pic(Some(&pic)).unwrap();
        admin.set_created(1_700_000_000).unwrap();
        admin.set_delete_before(1_700_000_100).unwrap();
        admin.set_delete_attachments_before(1_700_000_200).unwrap();
        admin.set_expiry_timer(86_400).unwrap();
        admin.destroy_group().unwrap();
        let push = admin.base_mut().push().unwrap();
        let accepted = member.base_mut().merge(&[("h", &push.messages[0])], 0);
        assert!(accepted.contains("h"));
        assert_eq!(member.name().as_deref(), Some("Group"));
        assert_eq!(member.description().as_deref(), Some("About the group"));
        assert_eq!(member.profile_pic(), Some(pic));
        assert_eq!(member.created(), Some(1_700_000_000));
        assert_eq!(member.delete_before(), Some(1_700_000_100));
        assert_eq!(member.delete_attachments_before(), Some(1_700_000_200));
        assert_eq!(member.expiry_timer(), Some(86_400));
        assert!(member.is_destroyed());
        // The keys libsession-util.md §11.8 names, and nothing else.
        let keys: Vec<&[u8]> = member.base().data().keys().map(Vec::as_slice).collect();
        assert_eq!(
            keys,
            [&b"!"[..], b"D", b"E", b"c", b"d", b"n", b"o", b"p", b"q"]
        );
    }

    #[test]
    fn clearing_removes_fields_and_limits_hold() {
        let (mut admin, _) = pair();
        admin.set_name("x").unwrap();
        admin.set_expiry_timer(10).unwrap();
        admin.set_name("").unwrap();
        admin.set_expiry_timer(0).unwrap();
        assert!(admin.base().data().is_empty());
        assert!(admin.set_name(&"n".repeat(101)).is_err());
        assert!(admin.set_description(&"d".repeat(2001)).is_err());
        admin.set_description(&"d".repeat(2000)).unwrap();
        assert!(
            admin
                .set_profile_pic(Some(&ProfilePic {
                    url: "u".repeat(224),
                    key: [0; 32]
                }))
                .is_err()
        );
    }

    #[test]
    fn members_cannot_write_and_wrong_keys_are_refused() {
        let (_, mut member) = pair();
        assert_eq!(
            member.set_name("x").unwrap_err(),
            session_config::Error::ReadOnly
        );
        let other = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([6; 32]));
        assert!(matches!(
            GroupInfo::new(group().ed25519_public(), Some(&other)),
            Err(session_config::Error::InvalidKey(_))
        ));
    }
}
