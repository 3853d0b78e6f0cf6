//! ConvoInfoVolatile (namespace 4): per conversation, the last read time and the "marked
//! unread" flag.
//!
//! `1` → {33-byte 05 ID → {`r` last read (unix ms), `u` unread}}; `o` → {base URL → {`#`
//! server key, `R` → {lower-case room → {`r`, `u`}}}}; `g` → {33-byte 03 ID → {`r`, `u`}};
//! `C` → {33-byte legacy group ID → {`r`, `u`}}.
//!
//! Pruning: a last-read time older than 30 days is not recorded for a new entry (moving an
//! existing one back in time is always allowed), and [`ConvoInfoVolatile::push`] first drops
//! entries read more than 45 days ago that are not marked unread. Time comes in as `now_ms`.

use session_crypto::Ed25519Seed;
use session_identity::{IdPrefix, SessionId};

use super::community::{canonical_room, canonical_url};
use super::fields::{flag, get_array, get_int, put, update_dict};
use crate::base::{ConfigBase, Push};
use crate::error::{Error, Result};
use crate::kind::ConfigKind;
use crate::value::{Dict, Scalar, Value};

/// Entries read longer ago than this are not recorded when new.
pub const PRUNE_LOW_MS: i64 = 30 * 24 * 3600 * 1000;

/// Entries read longer ago than this (and not marked unread) are dropped on push.
pub const PRUNE_HIGH_MS: i64 = 45 * 24 * 3600 * 1000;

/// The volatile state of one conversation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ConvoState {
    /// When it was last read, unix milliseconds.
    pub last_read: i64,
    /// Whether it was explicitly marked unread.
    pub unread: bool,
}

impl ConvoState {
    /// A state.
    pub fn new(last_read: i64, unread: bool) -> Self {
        Self { last_read, unread }
    }

    fn load(d: &Dict) -> Self {
        Self {
            last_read: get_int(d, b"r"),
            unread: get_int(d, b"u") != 0,
        }
    }
}

/// The ConvoInfoVolatile config.
#[derive(Clone, Debug)]
pub struct ConvoInfoVolatile {
    base: ConfigBase,
}

fn id_with(id: &SessionId, prefix: IdPrefix) -> Result<[u8; 33]> {
    if id.prefix() != prefix {
        return Err(Error::InvalidValue(
            "Session ID has the wrong prefix for this conversation",
        ));
    }
    Ok(id.to_bytes())
}

impl ConvoInfoVolatile {
    /// The type's namespace, domain and wrapping.
    pub const KIND: ConfigKind = ConfigKind::CONVO_INFO_VOLATILE;

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

    /// The generic config object (merge, dump, state). Push through [`Self::push`], which
    /// prunes first.
    pub fn base(&self) -> &ConfigBase {
        &self.base
    }

    /// The generic config object, mutably.
    pub fn base_mut(&mut self) -> &mut ConfigBase {
        &mut self.base
    }

    fn get_at(&self, path: &[&[u8]]) -> Option<ConvoState> {
        self.base.get(path)?.as_dict().map(ConvoState::load)
    }

    fn set_at(&mut self, path: &[&[u8]], state: ConvoState, now_ms: i64) -> Result<()> {
        update_dict(&mut self.base, path, |d| {
            match d.get(b"r".as_slice()).and_then(Value::as_int) {
                // Moving back in time is deliberate (a reset after deletion): always allowed.
                Some(old) if state.last_read < old => {
                    d.insert(b"r".to_vec(), Value::from(state.last_read));
                }
                _ if state.last_read > now_ms.saturating_sub(PRUNE_LOW_MS) => {
                    d.insert(b"r".to_vec(), Value::from(state.last_read));
                }
                _ => {}
            }
            put(d, b"u", flag(state.unread));
        })
    }

    /// A one-to-one conversation (05 ID).
    pub fn get_one_to_one(&self, id: &SessionId) -> Option<ConvoState> {
        self.get_at(&[b"1", &id.to_bytes()])
    }

    /// Records a one-to-one conversation's state.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] unless a 05 ID.
    pub fn set_one_to_one(&mut self, id: &SessionId, state: ConvoState, now_ms: i64) -> Result<()> {
        let key = id_with(id, IdPrefix::Standard)?;
        self.set_at(&[b"1", &key], state, now_ms)
    }

    /// A group conversation (03 ID).
    pub fn get_group(&self, id: &SessionId) -> Option<ConvoState> {
        self.get_at(&[b"g", &id.to_bytes()])
    }

    /// Records a group conversation's state.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] unless a 03 ID.
    pub fn set_group(&mut self, id: &SessionId, state: ConvoState, now_ms: i64) -> Result<()> {
        let key = id_with(id, IdPrefix::Group)?;
        self.set_at(&[b"g", &key], state, now_ms)
    }

    /// A legacy group conversation (05-shaped ID).
    pub fn get_legacy_group(&self, id: &SessionId) -> Option<ConvoState> {
        self.get_at(&[b"C", &id.to_bytes()])
    }

    /// Records a legacy group conversation's state.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] unless a 05 ID.
    pub fn set_legacy_group(
        &mut self,
        id: &SessionId,
        state: ConvoState,
        now_ms: i64,
    ) -> Result<()> {
        let key = id_with(id, IdPrefix::Standard)?;
        self.set_at(&[b"C", &key], state, now_ms)
    }

    /// A community conversation and its server's key.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a malformed URL or room.
    pub fn get_community(
        &self,
        base_url: &str,
        room: &str,
    ) -> Result<Option<(ConvoState, Option<[u8; 32]>)>> {
        let url = canonical_url(base_url)?;
        let room = canonical_room(room)?;
        let state = self.get_at(&[b"o", url.as_bytes(), b"R", room.as_bytes()]);
        let pubkey = self
            .base
            .get(&[b"o", url.as_bytes()])
            .and_then(Value::as_dict)
            .and_then(|d| get_array::<32>(d, b"#"));
        Ok(state.map(|s| (s, pubkey)))
    }

    /// Records a community conversation's state, with its server's key.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a malformed URL or room.
    pub fn set_community(
        &mut self,
        base_url: &str,
        room: &str,
        pubkey: &[u8; 32],
        state: ConvoState,
        now_ms: i64,
    ) -> Result<()> {
        let url = canonical_url(base_url)?;
        let room = canonical_room(room)?;
        self.set_at(
            &[b"o", url.as_bytes(), b"R", room.as_bytes()],
            state,
            now_ms,
        )?;
        // Only name the server if the room entry survived (a too-old state records nothing).
        if self.base.get(&[b"o", url.as_bytes(), b"R"]).is_some() {
            self.base.set(
                &[b"o", url.as_bytes(), b"#"],
                Some(Value::Scalar(Scalar::Bytes(pubkey.to_vec()))),
            )?;
        }
        Ok(())
    }

    /// Forgets a one-to-one conversation; returns whether it was there.
    ///
    /// # Errors
    ///
    /// Never for user configs; kept for uniformity.
    pub fn erase_one_to_one(&mut self, id: &SessionId) -> Result<bool> {
        self.erase_at(&[b"1", &id.to_bytes()])
    }

    /// Forgets a group conversation.
    ///
    /// # Errors
    ///
    /// As [`Self::erase_one_to_one`].
    pub fn erase_group(&mut self, id: &SessionId) -> Result<bool> {
        self.erase_at(&[b"g", &id.to_bytes()])
    }

    /// Forgets a legacy group conversation.
    ///
    /// # Errors
    ///
    /// As [`Self::erase_one_to_one`].
    pub fn erase_legacy_group(&mut self, id: &SessionId) -> Result<bool> {
        self.erase_at(&[b"C", &id.to_bytes()])
    }

    /// Forgets a community conversation (and the server, with its last room).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a malformed URL or room.
    pub fn erase_community(&mut self, base_url: &str, room: &str) -> Result<bool> {
        let url = canonical_url(base_url)?;
        let room = canonical_room(room)?;
        let gone = self.erase_at(&[b"o", url.as_bytes(), b"R", room.as_bytes()])?;
        if gone && self.base.get(&[b"o", url.as_bytes(), b"R"]).is_none() {
            self.base.set(&[b"o", url.as_bytes()], None)?;
        }
        Ok(gone)
    }

    fn erase_at(&mut self, path: &[&[u8]]) -> Result<bool> {
        let existed = self.base.get(path).is_some();
        self.base.set(path, None)?;
        Ok(existed)
    }

    /// Every one-to-one conversation.
    pub fn one_to_ones(&self) -> Vec<(SessionId, ConvoState)> {
        self.entries(b"1", IdPrefix::Standard)
    }

    /// Every group conversation.
    pub fn groups(&self) -> Vec<(SessionId, ConvoState)> {
        self.entries(b"g", IdPrefix::Group)
    }

    /// Every legacy group conversation.
    pub fn legacy_groups(&self) -> Vec<(SessionId, ConvoState)> {
        self.entries(b"C", IdPrefix::Standard)
    }

    /// Every community conversation: base URL, room (lower case), server key, state.
    pub fn communities(&self) -> Vec<(String, String, [u8; 32], ConvoState)> {
        let mut out = Vec::new();
        let Some(servers) = self.base.get(&[b"o"]).and_then(Value::as_dict) else {
            return out;
        };
        for (url, server) in servers {
            let Some(server) = server.as_dict() else {
                continue;
            };
            let (Ok(url), Some(pubkey)) =
                (core::str::from_utf8(url), get_array::<32>(server, b"#"))
            else {
                continue;
            };
            let Some(rooms) = server.get(b"R".as_slice()).and_then(Value::as_dict) else {
                continue;
            };
            for (room, state) in rooms {
                if let (Ok(room), Some(state)) = (core::str::from_utf8(room), state.as_dict()) {
                    out.push((
                        url.to_owned(),
                        room.to_owned(),
                        pubkey,
                        ConvoState::load(state),
                    ));
                }
            }
        }
        out
    }

    fn entries(&self, key: &[u8], prefix: IdPrefix) -> Vec<(SessionId, ConvoState)> {
        self.base
            .get(&[key])
            .and_then(Value::as_dict)
            .into_iter()
            .flat_map(|d| d.iter())
            .filter_map(|(k, v)| {
                let id = SessionId::from_bytes(k)
                    .ok()
                    .filter(|id| id.prefix() == prefix)?;
                Some((id, ConvoState::load(v.as_dict()?)))
            })
            .collect()
    }

    /// Drops one-to-one, legacy group and community entries read before `now_ms − 45 days`
    /// that are not marked unread. (Groups are not pruned, as in libsession.)
    ///
    /// # Errors
    ///
    /// Never for user configs; kept for uniformity.
    pub fn prune_stale(&mut self, now_ms: i64) -> Result<()> {
        let cutoff = now_ms.saturating_sub(PRUNE_HIGH_MS);
        let stale = |s: &ConvoState| !s.unread && s.last_read < cutoff;
        for (id, s) in self.one_to_ones() {
            if stale(&s) {
                self.erase_one_to_one(&id)?;
            }
        }
        for (id, s) in self.legacy_groups() {
            if stale(&s) {
                self.erase_legacy_group(&id)?;
            }
        }
        for (url, room, _, s) in self.communities() {
            if stale(&s) {
                self.erase_community(&url, &room)?;
            }
        }
        Ok(())
    }

    /// Prunes stale entries, then pushes (see [`ConfigBase::push`]).
    ///
    /// # Errors
    ///
    /// As [`ConfigBase::push`].
    pub fn push(&mut self, now_ms: i64) -> Result<Push> {
        self.prune_stale(now_ms)?;
        self.base.push()
    }
}
