//! The group Members config (namespace 14, domain `groups::Members`): who is in the group and
//! where their invitation, promotion or removal stands, signed by the group key and
//! encrypted with the group keys (libsession-util.md §11.8, §12.1).
//!
//! `m` → {33-byte `05` Session ID → {`n` name (always present, so the entry survives
//! pruning), `p` / `q` picture, `I` invite status (1 sent, 2 failed, 3 not sent; absent once
//! accepted), `s` supplement (the member got its keys from a supplemental key message), `A`
//! admin, `P` promotion status (1 sent, 2 failed, 3 not sent; absent once accepted), `R`
//! removed status (1 removed, 2 removed with their messages)}}.
//!
//! As libsession does, an admin has no invite status and a non-admin no promotion status, and
//! the supplement flag only means something while the invite is pending; keys this crate
//! does not know (from newer clients) are kept when a member is rewritten.

use session_config::user::{MAX_NAME_LENGTH, ProfilePic};
use session_config::{ConfigBase, ConfigKind, Dict, Error, Result, Value};
use session_identity::{IdPrefix, Keypair, SessionId};

use crate::fields::{check_len, flag, get_int, get_pic, get_str, pic_values, positive, put};

/// Where an invitation (or a promotion) stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pending {
    /// Nothing pending: accepted (or, for a promotion, never promoted / promoted and accepted).
    #[default]
    None,
    /// Sent, not yet accepted (1).
    Sent,
    /// Sending failed (2).
    Failed,
    /// Not sent yet (3).
    NotSent,
}

impl Pending {
    fn code(self) -> i64 {
        match self {
            Self::None => 0,
            Self::Sent => 1,
            Self::Failed => 2,
            Self::NotSent => 3,
        }
    }

    fn from_code(code: i64) -> Self {
        match code {
            1 => Self::Sent,
            2 => Self::Failed,
            3 => Self::NotSent,
            _ => Self::None,
        }
    }
}

/// Whether (and how) a member was removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RemovedStatus {
    /// A member.
    #[default]
    NotRemoved,
    /// Removed (1).
    Removed,
    /// Removed, and their messages are to be deleted (2).
    RemovedWithMessages,
}

impl RemovedStatus {
    fn code(self) -> i64 {
        match self {
            Self::NotRemoved => 0,
            Self::Removed => 1,
            Self::RemovedWithMessages => 2,
        }
    }

    fn from_code(code: i64) -> Self {
        match code {
            1 => Self::Removed,
            2 => Self::RemovedWithMessages,
            _ => Self::NotRemoved,
        }
    }
}

/// One member.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Member {
    /// Their `05` Session ID.
    pub session_id: SessionId,
    /// Their display name (empty if unknown).
    pub name: String,
    /// Their profile picture.
    pub profile_pic: Option<ProfilePic>,
    /// Whether they are an admin (holding, or being sent, the group seed).
    pub admin: bool,
    /// Their invitation (always [`Pending::None`] for admins).
    pub invite: Pending,
    /// Their promotion (always [`Pending::None`] for non-admins).
    pub promotion: Pending,
    /// Whether they were removed.
    pub removed: RemovedStatus,
    /// Whether they were added through a supplemental key message (with the group's history)
    /// rather than a rekey; only kept while the invite is pending.
    pub supplement: bool,
}

impl Member {
    /// A member with nothing set (not invited yet: [`Pending::None`]).
    pub fn new(session_id: SessionId) -> Self {
        Self {
            session_id,
            name: String::new(),
            profile_pic: None,
            admin: false,
            invite: Pending::None,
            promotion: Pending::None,
            removed: RemovedStatus::NotRemoved,
            supplement: false,
        }
    }

    /// Whether the invitation is still pending (sent, failed or not sent).
    pub fn invite_pending(&self) -> bool {
        self.invite != Pending::None
    }

    /// Whether they were made admin but have not accepted yet.
    pub fn promotion_pending(&self) -> bool {
        self.admin && self.promotion != Pending::None
    }

    /// Whether they are an admin who accepted the promotion (or created the group).
    pub fn promoted(&self) -> bool {
        self.admin && !self.promotion_pending()
    }

    /// Whether they were removed (with or without their messages).
    pub fn is_removed(&self) -> bool {
        self.removed != RemovedStatus::NotRemoved
    }

    /// Marks the invitation sent (libsession's `set_invited`).
    pub fn set_invited(&mut self) {
        self.invite = Pending::Sent;
    }

    /// Marks the invitation accepted; a supplement no longer matters then.
    pub fn set_invite_accepted(&mut self) {
        self.invite = Pending::None;
        self.supplement = false;
    }

    /// Makes them admin with the promotion sent (libsession's `set_promoted`).
    pub fn set_promoted(&mut self) {
        self.admin = true;
        self.invite = Pending::None;
        self.promotion = Pending::Sent;
    }

    /// Marks the promotion accepted: an admin with nothing pending.
    pub fn set_promotion_accepted(&mut self) {
        self.admin = true;
        self.invite = Pending::None;
        self.promotion = Pending::None;
    }

    /// Marks them removed, with their messages if `with_messages`.
    pub fn set_removed(&mut self, with_messages: bool) {
        self.removed = if with_messages {
            RemovedStatus::RemovedWithMessages
        } else {
            RemovedStatus::Removed
        };
    }

    fn load(session_id: SessionId, d: &Dict) -> Self {
        let admin = get_int(d, b"A") != 0;
        let invite = if admin {
            Pending::None
        } else {
            Pending::from_code(get_int(d, b"I"))
        };
        let promotion = if admin {
            Pending::from_code(get_int(d, b"P"))
        } else {
            Pending::None
        };
        Self {
            session_id,
            name: get_str(d, b"n").unwrap_or_default(),
            profile_pic: get_pic(d),
            admin,
            invite,
            promotion,
            removed: RemovedStatus::from_code(get_int(d, b"R")),
            supplement: invite != Pending::None && get_int(d, b"s") != 0,
        }
    }

    fn store(&self, d: &mut Dict) -> Result<()> {
        check_len(&self.name, MAX_NAME_LENGTH, "member name exceeds 100 bytes")?;
        d.insert(b"n".to_vec(), Value::from(self.name.as_str()));
        let (url, key) = pic_values(self.profile_pic.as_ref())?;
        put(d, b"p", url);
        put(d, b"q", key);
        put(d, b"A", flag(self.admin));
        let invite = if self.admin { 0 } else { self.invite.code() };
        let promotion = if self.admin { self.promotion.code() } else { 0 };
        put(d, b"I", positive(invite));
        put(d, b"P", positive(promotion));
        put(d, b"s", flag(self.supplement && invite > 0));
        put(d, b"R", positive(self.removed.code()));
        Ok(())
    }
}

/// The group Members config.
#[derive(Clone, Debug)]
pub struct GroupMembers {
    base: ConfigBase,
}

impl GroupMembers {
    /// Namespace 14, domain `groups::Members`, no protobuf wrapping.
    pub const KIND: ConfigKind = ConfigKind::new(14, "groups::Members", None);

    /// An empty member list for the group `group_pk`, signed by `admin` if we hold the group
    /// key pair, else read-only (see [`GroupInfo::new`](crate::GroupInfo::new)).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidKey`] if `admin` is not the key pair of `group_pk`.
    pub fn new(group_pk: &[u8; 32], admin: Option<&Keypair>) -> Result<Self> {
        let mut base = ConfigBase::new(Self::KIND);
        crate::rekeying::set_signing(&mut base, group_pk, admin)?;
        Ok(Self { base })
    }

    /// Restores a member list from [`ConfigBase::dump`].
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

    /// The member with this ID, if listed.
    pub fn get(&self, id: &SessionId) -> Option<Member> {
        let bytes = id.to_bytes();
        let d = self.base.get(&[b"m", &bytes])?.as_dict()?;
        Some(Member::load(*id, d))
    }

    /// The member with this ID, or a new one.
    pub fn get_or_construct(&self, id: &SessionId) -> Member {
        self.get(id).unwrap_or_else(|| Member::new(*id))
    }

    /// Stores a member, keeping keys of its entry this crate does not know.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a non-`05` ID, a name above 100 bytes or a picture URL
    /// above 223 bytes; [`Error::ReadOnly`] without the group key.
    pub fn set(&mut self, member: &Member) -> Result<()> {
        if member.session_id.prefix() != IdPrefix::Standard {
            return Err(Error::InvalidValue("group members have 05 Session IDs"));
        }
        let bytes = member.session_id.to_bytes();
        let mut dict = self
            .base
            .get(&[b"m", &bytes])
            .and_then(Value::as_dict)
            .cloned()
            .unwrap_or_default();
        member.store(&mut dict)?;
        self.base.set(&[b"m", &bytes], Some(Value::Dict(dict)))
    }

    /// Changes one member through `edit` (creating it if needed).
    ///
    /// # Errors
    ///
    /// As [`Self::set`].
    pub fn update(&mut self, id: &SessionId, edit: impl FnOnce(&mut Member)) -> Result<()> {
        let mut member = self.get_or_construct(id);
        edit(&mut member);
        self.set(&member)
    }

    /// Removes a member from the list; returns whether it was there.
    ///
    /// # Errors
    ///
    /// [`Error::ReadOnly`] without the group key.
    pub fn erase(&mut self, id: &SessionId) -> Result<bool> {
        let bytes = id.to_bytes();
        let existed = self.base.get(&[b"m", &bytes]).is_some();
        self.base.set(&[b"m", &bytes], None)?;
        Ok(existed)
    }

    /// Every member, in Session ID byte order (entries that are not `05` IDs holding a
    /// dictionary are skipped).
    pub fn iter(&self) -> impl Iterator<Item = Member> + '_ {
        self.base
            .get(&[b"m"])
            .and_then(Value::as_dict)
            .into_iter()
            .flat_map(|d| d.iter())
            .filter_map(|(key, value)| {
                let id = SessionId::from_bytes(key).ok()?;
                if id.prefix() != IdPrefix::Standard {
                    return None;
                }
                Some(Member::load(id, value.as_dict()?))
            })
    }

    /// The IDs of every member not removed: who a rekey gives the new key to.
    pub fn key_recipients(&self) -> Vec<SessionId> {
        self.iter()
            .filter(|m| !m.is_removed())
            .map(|m| m.session_id)
            .collect()
    }

    /// How many members are listed (removed ones included).
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    fn id(n: u8) -> SessionId {
        Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([n; 32])).session_id()
    }

    fn pair() -> (GroupMembers, GroupMembers) {
        let group = group();
        let mut admin = GroupMembers::new(group.ed25519_public(), Some(&group)).unwrap();
        let mut member = GroupMembers::new(group.ed25519_public(), None).unwrap();
        admin.base_mut().add_key([1; 32], true);
        member.base_mut().add_key([1; 32], true);
        (admin, member)
    }

    #[test]
    fn every_field_round_trips_through_push_and_merge() {
        let (mut admin, mut member) = pair();
        let pic = ProfilePic {
            url: "http://example.org/a".into(),
            key: [3; 32],
        };
        let mut all = Vec::new();
        for (n, invite) in [
            (10, Pending::Sent),
            (11, Pending::Failed),
            (12, Pending::NotSent),
            (13, Pending::None),
        ] {
            let mut m = Member::new(id(n));
            m.name = format!("member {n}");
            m.invite = invite;
            m.supplement = n == 10;
            all.push(m);
        }
        for (n, promotion) in [
            (20, Pending::Sent),
            (21, Pending::Failed),
            (22, Pending::NotSent),
            (23, Pending::None),
        ] {
            let mut m = Member::new(id(n));
            m.admin = true;
            m.promotion = promotion;
            m.profile_pic = Some(pic.clone());
            all.push(m);
        }
        for (n, with_messages) in [(30, false), (31, true)] {
            let mut m = Member::new(id(n));
            m.set_removed(with_messages);
            all.push(m);
        }
        for m in &all {
            admin.set(m).unwrap();
        }
        let push = admin.base_mut().push().unwrap();
        assert!(
            member
                .base_mut()
                .merge(&[("h", &push.messages[0])], 0)
                .contains("h")
        );
        for m in &all {
            assert_eq!(member.get(&m.session_id).as_ref(), Some(m));
        }
        assert_eq!(member.len(), all.len());
        assert_eq!(member.key_recipients().len(), all.len() - 2);
        let raw = |n: u8| {
            member
                .base()
                .get(&[b"m", &id(n).to_bytes()])
                .and_then(Value::as_dict)
                .unwrap()
                .keys()
                .map(|k| String::from_utf8(k.clone()).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(raw(10), ["I", "n", "s"]);
        assert_eq!(raw(20), ["A", "P", "n", "p", "q"]);
        assert_eq!(raw(23), ["A", "n", "p", "q"]);
        assert_eq!(raw(31), ["R", "n"]);
        assert_eq!(
            member.get(&id(31)).unwrap().removed,
            RemovedStatus::RemovedWithMessages
        );
    }

    #[test]
    fn statuses_follow_libsession() {
        let mut m = Member::new(id(1));
        m.set_invited();
        m.supplement = true;
        assert!(m.invite_pending());
        m.set_invite_accepted();
        assert!(!m.invite_pending() && !m.supplement);
        m.set_promoted();
        assert!(m.promotion_pending() && !m.promoted());
        m.set_promotion_accepted();
        assert!(m.promoted());

        // An admin has no invite status and a non-admin no promotion status once stored.
        let (mut admin, _) = pair();
        let mut odd = Member::new(id(2));
        odd.admin = true;
        odd.invite = Pending::Sent;
        odd.supplement = true;
        admin.set(&odd).unwrap();
        let back = admin.get(&id(2)).unwrap();
        assert_eq!(back.invite, Pending::None);
        assert!(!back.supplement);
        let mut plain = Member::new(id(3));
        plain.promotion = Pending::Sent;
        admin.set(&plain).unwrap();
        assert_eq!(admin.get(&id(3)).unwrap().promotion, Pending::None);
    }

    #[test]
    fn unknown_keys_survive_and_bad_members_are_refused() {
        let (mut admin, _) = pair();
        let bytes = id(4).to_bytes();
        admin
            .base_mut()
            .set(&[b"m", &bytes, b"Z"], Some(Value::from(7)))
            .unwrap();
        admin.update(&id(4), |m| m.name = "four".into()).unwrap();
        assert_eq!(
            admin.base().get(&[b"m", &bytes, b"Z"]),
            Some(&Value::from(7))
        );
        assert!(admin.erase(&id(4)).unwrap());
        assert!(!admin.erase(&id(4)).unwrap());
        let group_id = group().group_id();
        assert!(matches!(
            admin.set(&Member::new(group_id)),
            Err(Error::InvalidValue(_))
        ));
        let mut long = Member::new(id(5));
        long.name = "n".repeat(101);
        assert!(admin.set(&long).is_err());
    }
}
