//! UserGroups (namespace 5): the communities, groups and legacy groups the account is in.
//!
//! Every entry has the common keys `+` priority, `j` joined at (unix s), `@` notifications,
//! `!` muted until (unix s) and `i` invited.
//!
//! - `o` → {base URL → {`#` server key, `R` → {lower-case room → {`n` room in display case,
//!   common…}}}}
//! - `g` → {33-byte 03 ID → {`K` group seed (32 bytes, or empty for non-admins), `s` 100-byte
//!   subaccount auth data (only without a seed), `n` name, `r` removed status, common…}}
//! - `C` → {33-byte legacy group ID → {`n` name, `k`/`K` encryption key pair, `m` members,
//!   `a` admins (sets of 33-byte IDs), `E` disappearing timer (s), common…}}

use std::collections::BTreeMap;

use session_crypto::Ed25519Seed;
use session_identity::{IdPrefix, Keypair, SessionId};
use zeroize::Zeroize;

use super::community::{canonical_room, canonical_url};
use super::fields::{
    flag, get_array, get_int, get_str, nonempty_str, nonzero, positive, put, update_dict,
};
use super::notify::NotifyMode;
use crate::base::ConfigBase;
use crate::error::{Error, Result};
use crate::kind::ConfigKind;
use crate::value::{Dict, Scalar, Set, Value};

/// Longest group name, in bytes.
const NAME_MAX_LENGTH: usize = super::fields::MAX_NAME_LENGTH;

/// Removed status: still a member.
pub const NOT_REMOVED: i64 = 0;
/// Removed status: kicked from the group.
pub const KICKED_FROM_GROUP: i64 = 1;
/// Removed status: the group was destroyed.
pub const GROUP_DESTROYED: i64 = 2;

/// The settings every kind of group entry has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Common {
    /// 0 normal, above 0 pinned, −1 hidden.
    pub priority: i64,
    /// When joined, unix seconds.
    pub joined_at: i64,
    /// Notification setting.
    pub notifications: NotifyMode,
    /// Muted until, unix seconds.
    pub mute_until: i64,
    /// Invited but not yet joined.
    pub invited: bool,
}

impl Common {
    fn load(d: &Dict) -> Self {
        Self {
            priority: get_int(d, b"+"),
            joined_at: get_int(d, b"j").max(0),
            notifications: NotifyMode::from_code(get_int(d, b"@")),
            mute_until: get_int(d, b"!"),
            invited: get_int(d, b"i") != 0,
        }
    }

    fn store(&self, d: &mut Dict) {
        put(d, b"+", nonzero(self.priority));
        put(d, b"j", positive(self.joined_at));
        put(d, b"@", positive(self.notifications.code()));
        put(d, b"!", positive(self.mute_until));
        put(d, b"i", flag(self.invited));
    }
}

/// A community (SOGS room).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CommunityInfo {
    /// Canonical base URL.
    pub base_url: String,
    /// The room token in display case (keyed lower case).
    pub room: String,
    /// The server's X25519 key.
    pub pubkey: [u8; 32],
    /// Common settings.
    pub common: Common,
}

impl CommunityInfo {
    /// A community entry (URL canonicalised, room checked).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a malformed URL or room.
    pub fn new(base_url: &str, room: &str, pubkey: [u8; 32]) -> Result<Self> {
        let base_url = canonical_url(base_url)?;
        canonical_room(room)?;
        Ok(Self {
            base_url,
            room: room.to_owned(),
            pubkey,
            common: Common::default(),
        })
    }
}

/// A group (groups v2, 03 ID).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroupInfo {
    /// The group's 03 ID.
    pub id: SessionId,
    /// The group name (as invited).
    pub name: String,
    /// The group's Ed25519 seed, for admins.
    pub secret_key: Option<Ed25519Seed>,
    /// The 100-byte subaccount auth data, for members without the seed.
    pub auth_data: Option<[u8; 100]>,
    /// [`NOT_REMOVED`], [`KICKED_FROM_GROUP`] or [`GROUP_DESTROYED`].
    pub removed_status: i64,
    /// Common settings.
    pub common: Common,
}

impl core::fmt::Debug for GroupInfo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GroupInfo")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("admin", &self.secret_key.is_some())
            .field("has_auth_data", &self.auth_data.is_some())
            .field("removed_status", &self.removed_status)
            .field("common", &self.common)
            .finish()
    }
}

impl Drop for GroupInfo {
    fn drop(&mut self) {
        if let Some(auth) = &mut self.auth_data {
            auth.zeroize();
        }
    }
}

impl GroupInfo {
    /// A group entry for a 03 ID.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] unless a 03 ID.
    pub fn new(id: SessionId) -> Result<Self> {
        if id.prefix() != IdPrefix::Group {
            return Err(Error::InvalidValue("group IDs start with 03"));
        }
        Ok(Self {
            id,
            name: String::new(),
            secret_key: None,
            auth_data: None,
            removed_status: NOT_REMOVED,
            common: Common::default(),
        })
    }

    /// Marks us kicked: keys dropped, status kicked (unless destroyed).
    pub fn mark_kicked(&mut self) {
        self.secret_key = None;
        self.auth_data = None;
        if self.removed_status != GROUP_DESTROYED {
            self.removed_status = KICKED_FROM_GROUP;
        }
    }

    /// Marks us invited again after a kick.
    pub fn mark_invited(&mut self) {
        if self.removed_status == KICKED_FROM_GROUP {
            self.removed_status = NOT_REMOVED;
        }
    }

    /// Marks the group destroyed: keys dropped.
    pub fn mark_destroyed(&mut self) {
        self.secret_key = None;
        self.auth_data = None;
        self.removed_status = GROUP_DESTROYED;
    }

    /// Whether the seed's public key is the group's (a seed for another group is not kept).
    fn seed_matches(&self, seed: &Ed25519Seed) -> bool {
        Keypair::from_ed25519_seed(seed).ed25519_public() == self.id.key_bytes()
    }
}

/// A legacy closed group.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LegacyGroupInfo {
    /// The group's 05-shaped ID.
    pub id: SessionId,
    /// The name.
    pub name: String,
    /// The X25519 encryption key pair (public, secret), if known.
    pub enc_keypair: Option<([u8; 32], [u8; 32])>,
    /// Members, `true` for admins.
    pub members: BTreeMap<SessionId, bool>,
    /// Disappearing timer, seconds.
    pub disappearing_timer: i64,
    /// Common settings.
    pub common: Common,
}

impl core::fmt::Debug for LegacyGroupInfo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LegacyGroupInfo")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("has_enc_keypair", &self.enc_keypair.is_some())
            .field("members", &self.members)
            .field("disappearing_timer", &self.disappearing_timer)
            .field("common", &self.common)
            .finish()
    }
}

impl Drop for LegacyGroupInfo {
    fn drop(&mut self) {
        if let Some((_, secret)) = &mut self.enc_keypair {
            secret.zeroize();
        }
    }
}

impl LegacyGroupInfo {
    /// A legacy group entry for a 05 ID.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] unless a 05 ID.
    pub fn new(id: SessionId) -> Result<Self> {
        if id.prefix() != IdPrefix::Standard {
            return Err(Error::InvalidValue("legacy group IDs start with 05"));
        }
        Ok(Self {
            id,
            name: String::new(),
            enc_keypair: None,
            members: BTreeMap::new(),
            disappearing_timer: 0,
            common: Common::default(),
        })
    }
}

/// The UserGroups config.
#[derive(Clone, Debug)]
pub struct UserGroups {
    base: ConfigBase,
}

fn id_set(members: &BTreeMap<SessionId, bool>, admins: bool) -> Option<Value> {
    let set: Set = members
        .iter()
        .filter(|(_, a)| **a == admins)
        .map(|(id, _)| Scalar::Bytes(id.to_bytes().to_vec()))
        .collect();
    (!set.is_empty()).then_some(Value::Set(set))
}

fn check_group_name(name: &str) -> Result<()> {
    if name.len() > NAME_MAX_LENGTH {
        return Err(Error::InvalidValue("group name exceeds 100 bytes"));
    }
    Ok(())
}

impl UserGroups {
    /// The type's namespace, domain and wrapping.
    pub const KIND: ConfigKind = ConfigKind::USER_GROUPS;

    /// An empty config encrypted with the account's seed.
    pub fn new(seed: &Ed25519Seed) -> Self {
        let mut base = ConfigBase::new(Self::KIND);
        base.add_key(*seed.expose_secret(), true);
        Self { base }
    }

    /// Restores from a dump.
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

    /// A community by base URL and room (any case).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a malformed URL or room.
    pub fn get_community(&self, base_url: &str, room: &str) -> Result<Option<CommunityInfo>> {
        let url = canonical_url(base_url)?;
        let key = canonical_room(room)?;
        let Some(server) = self
            .base
            .get(&[b"o", url.as_bytes()])
            .and_then(Value::as_dict)
        else {
            return Ok(None);
        };
        Ok(Self::load_community(&url, server, key.as_bytes()))
    }

    fn load_community(url: &str, server: &Dict, key: &[u8]) -> Option<CommunityInfo> {
        let info = server
            .get(b"R".as_slice())
            .and_then(Value::as_dict)?
            .get(key)?
            .as_dict()?;
        let lower = core::str::from_utf8(key).ok()?;
        // The display-case name is used only if it is the same room.
        let room = get_str(info, b"n")
            .filter(|n| n.eq_ignore_ascii_case(lower))
            .unwrap_or_else(|| lower.to_owned());
        Some(CommunityInfo {
            base_url: url.to_owned(),
            room,
            pubkey: get_array::<32>(server, b"#").unwrap_or([0; 32]),
            common: Common::load(info),
        })
    }

    /// Stores a community.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a malformed URL or room.
    pub fn set_community(&mut self, info: &CommunityInfo) -> Result<()> {
        let url = canonical_url(&info.base_url)?;
        let key = canonical_room(&info.room)?;
        update_dict(
            &mut self.base,
            &[b"o", url.as_bytes(), b"R", key.as_bytes()],
            |d| {
                info.common.store(d);
                d.insert(b"n".to_vec(), Value::from(info.room.as_str()));
            },
        )?;
        self.base.set(
            &[b"o", url.as_bytes(), b"#"],
            Some(Value::Scalar(Scalar::Bytes(info.pubkey.to_vec()))),
        )
    }

    /// Removes a community (and its server, with the last room); returns whether it was there.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a malformed URL or room.
    pub fn erase_community(&mut self, base_url: &str, room: &str) -> Result<bool> {
        let url = canonical_url(base_url)?;
        let key = canonical_room(room)?;
        let path: [&[u8]; 4] = [b"o", url.as_bytes(), b"R", key.as_bytes()];
        let existed = self.base.get(&path).is_some();
        self.base.set(&path, None)?;
        if existed && self.base.get(&[b"o", url.as_bytes(), b"R"]).is_none() {
            self.base.set(&[b"o", url.as_bytes()], None)?;
        }
        Ok(existed)
    }

    /// A group by 03 ID.
    pub fn get_group(&self, id: &SessionId) -> Option<GroupInfo> {
        let d = self.base.get(&[b"g", &id.to_bytes()])?.as_dict()?;
        let mut info = GroupInfo::new(*id).ok()?;
        info.name = get_str(d, b"n").unwrap_or_default();
        info.secret_key = get_array::<32>(d, b"K")
            .map(Ed25519Seed::from_bytes)
            .filter(|seed| info.seed_matches(seed));
        info.auth_data = get_array::<100>(d, b"s");
        info.removed_status = get_int(d, b"r");
        info.common = Common::load(d);
        Some(info)
    }

    /// Stores a group. A seed is stored only if it is the group's; without one, `K` is empty
    /// and the auth data (if any) is stored.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a name above 100 bytes.
    pub fn set_group(&mut self, info: &GroupInfo) -> Result<()> {
        check_group_name(&info.name)?;
        let seed = info.secret_key.as_ref().filter(|s| info.seed_matches(s));
        update_dict(&mut self.base, &[b"g", &info.id.to_bytes()], |d| {
            info.common.store(d);
            put(d, b"n", nonempty_str(&info.name));
            put(d, b"r", positive(info.removed_status));
            match seed {
                Some(seed) => {
                    d.insert(b"K".to_vec(), Value::from(seed.expose_secret().as_slice()));
                }
                None => {
                    d.insert(b"K".to_vec(), Value::from(b"".as_slice()));
                    put(d, b"s", info.auth_data.map(|a| Value::from(a.as_slice())));
                }
            }
        })
    }

    /// Removes a group; returns whether it was there.
    ///
    /// # Errors
    ///
    /// Never for user configs; kept for uniformity.
    pub fn erase_group(&mut self, id: &SessionId) -> Result<bool> {
        let bytes = id.to_bytes();
        let existed = self.base.get(&[b"g", &bytes]).is_some();
        self.base.set(&[b"g", &bytes], None)?;
        Ok(existed)
    }

    /// A legacy group by ID.
    pub fn get_legacy_group(&self, id: &SessionId) -> Option<LegacyGroupInfo> {
        let d = self.base.get(&[b"C", &id.to_bytes()])?.as_dict()?;
        let mut info = LegacyGroupInfo::new(*id).ok()?;
        info.name = get_str(d, b"n").unwrap_or_default();
        info.enc_keypair = get_array::<32>(d, b"k").zip(get_array::<32>(d, b"K"));
        info.disappearing_timer = get_int(d, b"E").max(0);
        info.common = Common::load(d);
        for (key, admin) in [(b"m", false), (b"a", true)] {
            let Some(set) = d.get(key.as_slice()).and_then(Value::as_set) else {
                continue;
            };
            for item in set {
                if let Scalar::Bytes(b) = item
                    && let Ok(member) = SessionId::from_bytes(b)
                    && member.prefix() == IdPrefix::Standard
                {
                    info.members.insert(member, admin);
                }
            }
        }
        Some(info)
    }

    /// Stores a legacy group.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a name above 100 bytes.
    pub fn set_legacy_group(&mut self, info: &LegacyGroupInfo) -> Result<()> {
        check_group_name(&info.name)?;
        update_dict(&mut self.base, &[b"C", &info.id.to_bytes()], |d| {
            info.common.store(d);
            d.insert(b"n".to_vec(), Value::from(info.name.as_str()));
            put(
                d,
                b"k",
                info.enc_keypair.map(|(p, _)| Value::from(p.as_slice())),
            );
            put(
                d,
                b"K",
                info.enc_keypair.map(|(_, s)| Value::from(s.as_slice())),
            );
            put(d, b"m", id_set(&info.members, false));
            put(d, b"a", id_set(&info.members, true));
            put(d, b"E", positive(info.disappearing_timer));
        })
    }

    /// Removes a legacy group; returns whether it was there.
    ///
    /// # Errors
    ///
    /// Never for user configs; kept for uniformity.
    pub fn erase_legacy_group(&mut self, id: &SessionId) -> Result<bool> {
        let bytes = id.to_bytes();
        let existed = self.base.get(&[b"C", &bytes]).is_some();
        self.base.set(&[b"C", &bytes], None)?;
        Ok(existed)
    }

    /// Every community.
    pub fn communities(&self) -> Vec<CommunityInfo> {
        let mut out = Vec::new();
        let Some(servers) = self.base.get(&[b"o"]).and_then(Value::as_dict) else {
            return out;
        };
        for (url, server) in servers {
            let (Ok(url), Some(server)) = (core::str::from_utf8(url), server.as_dict()) else {
                continue;
            };
            let Some(rooms) = server.get(b"R".as_slice()).and_then(Value::as_dict) else {
                continue;
            };
            out.extend(
                rooms
                    .keys()
                    .filter_map(|k| Self::load_community(url, server, k)),
            );
        }
        out
    }

    /// Every group.
    pub fn groups(&self) -> Vec<GroupInfo> {
        self.ids(b"g")
            .filter_map(|id| self.get_group(&id))
            .collect()
    }

    /// Every legacy group.
    pub fn legacy_groups(&self) -> Vec<LegacyGroupInfo> {
        self.ids(b"C")
            .filter_map(|id| self.get_legacy_group(&id))
            .collect()
    }

    fn ids(&self, key: &[u8]) -> impl Iterator<Item = SessionId> + '_ {
        self.base
            .get(&[key])
            .and_then(Value::as_dict)
            .into_iter()
            .flat_map(|d| d.keys())
            .filter_map(|k| SessionId::from_bytes(k).ok())
    }
}
