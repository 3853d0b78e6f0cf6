//! Everything the double remembers, in memory: users (with their nonces and global roles),
//! rooms (settings, per-user overrides, scheduled changes, messages with their reactions,
//! pins, activity), uploaded files and direct messages; plus the pieces of pysogs' model that
//! act on them (effective permissions, `05` → `15` migration, sequence numbers).
//!
//! Nothing here knows about HTTP: the routes read and change this state under one lock.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use session_identity::SessionId;
use session_identity::blinding::session_id_matches_blinded_id;

/// A user's row id (pysogs' `users.id`, from 1).
pub(crate) type Uid = u64;

/// How long a user counts as active in a room (pysogs' default `active_threshold`, 7 days).
pub(crate) const ACTIVE_CUTOFF_S: f64 = 604_800.0;
/// How long an unreferenced upload lives (1 h).
pub(crate) const FILE_EXPIRY_S: f64 = 3_600.0;
/// How long a referenced upload (post attachment, room image) lives (15 days).
pub(crate) const ATTACHED_FILE_EXPIRY_S: f64 = 15.0 * 86_400.0;
/// How long a direct message is kept (15 days).
pub(crate) const DM_EXPIRY_S: f64 = 15.0 * 86_400.0;
/// Posts allowed per window per non-admin user.
pub(crate) const RATE_LIMIT_POSTS: usize = 5;
/// The rate limit window, seconds.
pub(crate) const RATE_LIMIT_WINDOW_S: f64 = 16.0;

/// The settings that change client-visible behaviour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Config {
    /// `[users] require_blind_keys`.
    pub(crate) require_blind_keys: bool,
    /// Whether `25` ids are accepted (pysogs rejects them).
    pub(crate) blind25: bool,
    /// Whether posts are rate limited.
    pub(crate) rate_limit: bool,
}

/// One user.
#[derive(Debug, Clone)]
pub(crate) struct User {
    /// Row id.
    pub(crate) id: Uid,
    /// `05…`, `15…` (or `25…`) id.
    pub(crate) session_id: String,
    /// When last seen (any authenticated request).
    pub(crate) last_active: f64,
    /// Global moderator.
    pub(crate) global_moderator: bool,
    /// Global admin.
    pub(crate) global_admin: bool,
    /// Whether a global moderator is listed publicly.
    pub(crate) global_visible: bool,
    /// Globally banned.
    pub(crate) banned: bool,
    /// When a global ban ends.
    pub(crate) ban_expires: Option<f64>,
    /// Nonces already used.
    pub(crate) nonces: HashSet<[u8; 16]>,
}

/// A user's explicit settings in one room.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Override {
    /// Read override.
    pub(crate) read: Option<bool>,
    /// Write override.
    pub(crate) write: Option<bool>,
    /// Upload override.
    pub(crate) upload: Option<bool>,
    /// Accessible override.
    pub(crate) accessible: Option<bool>,
    /// Banned from the room.
    pub(crate) banned: bool,
    /// When the ban ends.
    pub(crate) ban_expires: Option<f64>,
    /// Room moderator.
    pub(crate) moderator: bool,
    /// Room admin.
    pub(crate) admin: bool,
    /// Whether the moderator is listed publicly.
    pub(crate) visible: bool,
}

impl Override {
    /// Whether it says nothing (and can be dropped).
    pub(crate) fn is_empty(&self) -> bool {
        Self {
            visible: false,
            ..self.clone()
        } == Self::default()
    }
}

/// A scheduled permission change (`futurePermissions`, or a timed ban's end).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scheduled {
    /// Whose.
    pub(crate) user: Uid,
    /// When it applies.
    pub(crate) at: f64,
    /// New read override.
    pub(crate) read: Option<bool>,
    /// New write override.
    pub(crate) write: Option<bool>,
    /// New upload override.
    pub(crate) upload: Option<bool>,
    /// `Some(false)`: the ban ends.
    pub(crate) banned: Option<bool>,
}

/// One reaction by one user.
#[derive(Debug, Clone)]
pub(crate) struct Reaction {
    /// The reaction string.
    pub(crate) emoji: String,
    /// Who.
    pub(crate) user: Uid,
    /// When.
    pub(crate) at: f64,
    /// Insertion order (pysogs' row id).
    pub(crate) order: u64,
}

/// One post (or its tombstone).
#[derive(Debug, Clone)]
pub(crate) struct Message {
    /// Id (unique across rooms, as pysogs' `messages.id`).
    pub(crate) id: u64,
    /// Poster.
    pub(crate) user: Uid,
    /// When posted.
    pub(crate) posted: f64,
    /// When last edited (or deleted).
    pub(crate) edited: Option<f64>,
    /// Sequence number of the last data change.
    pub(crate) seqno_data: i64,
    /// Sequence number of the last reaction change.
    pub(crate) seqno_reactions: i64,
    /// Sequence number when it was created.
    pub(crate) seqno_creation: i64,
    /// The data with Session padding stripped; `None` once deleted.
    pub(crate) data: Option<Vec<u8>>,
    /// The length of the data as posted (padding included).
    pub(crate) data_size: usize,
    /// The signature; `None` once deleted.
    pub(crate) signature: Option<Vec<u8>>,
    /// Whisper recipient.
    pub(crate) whisper_to: Option<Uid>,
    /// Whisper to the moderators.
    pub(crate) whisper_mods: bool,
    /// Reactions, in insertion order.
    pub(crate) reactions: Vec<Reaction>,
}

impl Message {
    /// `max(data seqno, reaction seqno)`.
    pub(crate) fn seqno(&self) -> i64 {
        self.seqno_data.max(self.seqno_reactions)
    }

    /// Whether this is a whisper of any kind.
    pub(crate) const fn is_whisper(&self) -> bool {
        self.whisper_to.is_some() || self.whisper_mods
    }

    /// The data as posted: the stripped padding put back.
    pub(crate) fn padded_data(&self) -> Option<Vec<u8>> {
        let data = self.data.as_ref()?;
        let mut out = data.clone();
        if self.data_size > data.len() {
            out.push(0x80);
            out.resize(self.data_size, 0);
        }
        Some(out)
    }
}

/// Strips Session padding (`… 0x80 0x00*`) as pysogs' `remove_session_message_padding` does.
pub(crate) fn strip_padding(data: &[u8]) -> Vec<u8> {
    let end = data.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    match end.checked_sub(1).and_then(|last| data.get(last)) {
        Some(0x80) => data[..end - 1].to_vec(),
        _ => data.to_vec(),
    }
}

/// A pinned message.
#[derive(Debug, Clone)]
pub(crate) struct Pin {
    /// The message.
    pub(crate) message: u64,
    /// When pinned.
    pub(crate) at: f64,
    /// By whom.
    pub(crate) by: Uid,
}

/// One room.
#[derive(Debug, Clone)]
pub(crate) struct Room {
    /// Token.
    pub(crate) token: String,
    /// Display name.
    pub(crate) name: String,
    /// Description.
    pub(crate) description: Option<String>,
    /// Created.
    pub(crate) created: f64,
    /// Metadata change counter.
    pub(crate) info_updates: i64,
    /// Message change counter.
    pub(crate) message_sequence: i64,
    /// Room image file id.
    pub(crate) image: Option<u64>,
    /// Default read.
    pub(crate) default_read: bool,
    /// Default accessible.
    pub(crate) default_accessible: bool,
    /// Default write.
    pub(crate) default_write: bool,
    /// Default upload.
    pub(crate) default_upload: bool,
    /// Pins, oldest first.
    pub(crate) pins: Vec<Pin>,
    /// Per-user settings.
    pub(crate) overrides: BTreeMap<Uid, Override>,
    /// Scheduled changes.
    pub(crate) scheduled: Vec<Scheduled>,
    /// Posts by id.
    pub(crate) messages: BTreeMap<u64, Message>,
    /// Last activity per user.
    pub(crate) activity: HashMap<Uid, f64>,
    /// Recent post times per user (rate limit).
    pub(crate) recent_posts: HashMap<Uid, Vec<f64>>,
}

/// An uploaded file.
#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    /// The room token.
    pub(crate) room: String,
    /// Who uploaded it.
    pub(crate) uploader: Uid,
    /// The post it is attached to, once one claims it.
    pub(crate) message: Option<u64>,
    /// The bytes.
    pub(crate) data: Bytes,
    /// The filename, if one was given.
    pub(crate) filename: Option<String>,
    /// Upload time.
    pub(crate) uploaded: f64,
    /// Expiry (`None`: never).
    pub(crate) expiry: Option<f64>,
}

/// A direct message.
#[derive(Debug, Clone)]
pub(crate) struct Dm {
    /// Id.
    pub(crate) id: u64,
    /// Sender.
    pub(crate) sender: Uid,
    /// Recipient.
    pub(crate) recipient: Uid,
    /// Posted.
    pub(crate) posted: f64,
    /// Expires.
    pub(crate) expires: f64,
    /// The encrypted payload.
    pub(crate) message: Vec<u8>,
}

/// A user's effective permissions in a room.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub(crate) struct Perms {
    /// Banned (room or global).
    pub(crate) banned: bool,
    /// Can read.
    pub(crate) read: bool,
    /// Can see the room.
    pub(crate) accessible: bool,
    /// Can post.
    pub(crate) write: bool,
    /// Can upload.
    pub(crate) upload: bool,
    /// Room or global moderator.
    pub(crate) moderator: bool,
    /// Room or global admin.
    pub(crate) admin: bool,
}

/// The whole server state.
#[derive(Debug)]
pub(crate) struct State {
    /// The server's X25519 public key.
    pub(crate) server_pk: [u8; 32],
    /// Settings.
    pub(crate) config: Config,
    /// Clock skew, seconds.
    pub(crate) offset_s: i64,
    /// Users by id − 1.
    pub(crate) users: Vec<User>,
    by_session: HashMap<String, Uid>,
    /// Rooms by token.
    pub(crate) rooms: BTreeMap<String, Room>,
    /// Files by id.
    pub(crate) files: BTreeMap<u64, StoredFile>,
    /// Direct messages, oldest first.
    pub(crate) dms: Vec<Dm>,
    /// `05` users whose settings wait for their `15` self.
    needs_blinding: Vec<Uid>,
    next_message: u64,
    next_file: u64,
    next_dm: u64,
    next_reaction: u64,
}

impl State {
    /// An empty server.
    pub(crate) fn new(server_pk: [u8; 32], config: Config) -> Self {
        Self {
            server_pk,
            config,
            offset_s: 0,
            users: Vec::new(),
            by_session: HashMap::new(),
            rooms: BTreeMap::new(),
            files: BTreeMap::new(),
            dms: Vec::new(),
            needs_blinding: Vec::new(),
            next_message: 1,
            next_file: 1,
            next_dm: 1,
            next_reaction: 1,
        }
    }

    /// The server clock: the host's plus the test's offset, in float seconds.
    #[allow(clippy::cast_precision_loss)] // second offsets are far below 2^52
    pub(crate) fn now(&self) -> f64 {
        let host = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |elapsed| elapsed.as_secs_f64());
        // Whole milliseconds, as pysogs' timestamps come out of SQLite.
        ((host + self.offset_s as f64) * 1000.0).round() / 1000.0
    }

    /// The user row.
    pub(crate) fn user(&self, uid: Uid) -> Option<&User> {
        usize::try_from(uid)
            .ok()
            .and_then(|index| index.checked_sub(1))
            .and_then(|index| self.users.get(index))
    }

    /// The user row, mutable.
    pub(crate) fn user_mut(&mut self, uid: Uid) -> Option<&mut User> {
        usize::try_from(uid)
            .ok()
            .and_then(|index| index.checked_sub(1))
            .and_then(|index| self.users.get_mut(index))
    }

    /// A user's session id (empty for an unknown one).
    pub(crate) fn session_id(&self, uid: Uid) -> String {
        self.user(uid)
            .map(|user| user.session_id.clone())
            .unwrap_or_default()
    }

    /// The user with exactly this session id, if known.
    pub(crate) fn find(&self, session_id: &str) -> Option<Uid> {
        self.by_session
            .get(&session_id.to_ascii_lowercase())
            .copied()
    }

    /// The user with this id, created if new (pysogs' `autovivify`); a new blinded user
    /// takes over the settings of a waiting `05` user it blinds.
    pub(crate) fn vivify(&mut self, session_id: &str, now: f64) -> Uid {
        let session_id = session_id.to_ascii_lowercase();
        if let Some(uid) = self.by_session.get(&session_id) {
            return *uid;
        }
        let id = self.users.len() as Uid + 1;
        self.users.push(User {
            id,
            session_id: session_id.clone(),
            last_active: now,
            global_moderator: false,
            global_admin: false,
            global_visible: false,
            banned: false,
            ban_expires: None,
            nonces: HashSet::new(),
        });
        self.by_session.insert(session_id.clone(), id);
        if !session_id.starts_with("05") {
            self.migrate_to(id, &session_id);
        }
        id
    }

    /// The user an admin action on `session_id` applies to: with blinding required, a `05`
    /// id means its known `15` user, or a `05` row whose settings move over on first sight.
    pub(crate) fn target_user(&mut self, session_id: &str, now: f64) -> Uid {
        let session_id = session_id.to_ascii_lowercase();
        if self.config.require_blind_keys && session_id.starts_with("05") {
            if let Ok(unblinded) = SessionId::parse_hex(&session_id) {
                let blinded = self
                    .users
                    .iter()
                    .filter(|user| !user.session_id.starts_with("05"))
                    .find(|user| {
                        SessionId::parse_hex(&user.session_id).is_ok_and(|id| {
                            session_id_matches_blinded_id(&unblinded, &id, &self.server_pk)
                                .unwrap_or(false)
                        })
                    })
                    .map(|user| user.id);
                if let Some(uid) = blinded {
                    return uid;
                }
            }
            let uid = self.vivify(&session_id, now);
            if !self.needs_blinding.contains(&uid) {
                self.needs_blinding.push(uid);
            }
            return uid;
        }
        self.vivify(&session_id, now)
    }

    /// Moves the settings of a waiting `05` user that `blinded_id` blinds to `uid`.
    fn migrate_to(&mut self, uid: Uid, blinded_id: &str) {
        let Ok(blinded) = SessionId::parse_hex(blinded_id) else {
            return;
        };
        let server_pk = self.server_pk;
        let matched: Vec<Uid> = self
            .needs_blinding
            .iter()
            .copied()
            .filter(|old| {
                self.user(*old)
                    .and_then(|user| SessionId::parse_hex(&user.session_id).ok())
                    .is_some_and(|unblinded| {
                        session_id_matches_blinded_id(&unblinded, &blinded, &server_pk)
                            .unwrap_or(false)
                    })
            })
            .collect();
        for old in matched {
            self.needs_blinding.retain(|waiting| *waiting != old);
            if let Some(from) = self.user(old).cloned()
                && let Some(to) = self.user_mut(uid)
            {
                to.global_moderator |= from.global_moderator;
                to.global_admin |= from.global_admin;
                to.global_visible |= from.global_visible;
                to.banned |= from.banned;
                to.ban_expires = to.ban_expires.or(from.ban_expires);
            }
            if let Some(from) = self.user_mut(old) {
                from.global_moderator = false;
                from.global_admin = false;
                from.banned = false;
            }
            for room in self.rooms.values_mut() {
                if let Some(settings) = room.overrides.remove(&old) {
                    room.overrides.insert(uid, settings);
                }
                for change in &mut room.scheduled {
                    if change.user == old {
                        change.user = uid;
                    }
                }
            }
        }
    }

    /// Applies scheduled changes and ends timed bans that are due at `now`.
    pub(crate) fn apply_due(&mut self, now: f64) {
        for user in &mut self.users {
            if user.ban_expires.is_some_and(|at| at <= now) {
                user.banned = false;
                user.ban_expires = None;
            }
        }
        for room in self.rooms.values_mut() {
            let (due, later): (Vec<Scheduled>, Vec<Scheduled>) = room
                .scheduled
                .drain(..)
                .partition(|change| change.at <= now);
            room.scheduled = later;
            for change in due {
                let settings = room.overrides.entry(change.user).or_default();
                if change.read.is_some() {
                    settings.read = change.read;
                }
                if change.write.is_some() {
                    settings.write = change.write;
                }
                if change.upload.is_some() {
                    settings.upload = change.upload;
                }
                if change.banned == Some(false) {
                    settings.banned = false;
                    settings.ban_expires = None;
                }
            }
            room.overrides.retain(|_, settings| !settings.is_empty());
        }
        self.files
            .retain(|_, file| file.expiry.is_none_or(|expiry| expiry > now));
        self.dms.retain(|dm| dm.expires > now);
    }

    /// `user`'s effective permissions in `room` (anonymous: the room defaults).
    pub(crate) fn perms(&self, room: &Room, user: Option<Uid>) -> Perms {
        let defaults = Perms {
            banned: false,
            read: room.default_read,
            accessible: room.default_read || room.default_accessible,
            write: room.default_write,
            upload: room.default_write && room.default_upload,
            moderator: false,
            admin: false,
        };
        let Some(uid) = user else {
            return defaults;
        };
        let global = self.user(uid);
        let settings = room.overrides.get(&uid).cloned().unwrap_or_default();
        let admin = settings.admin || global.is_some_and(|u| u.global_admin);
        let moderator = admin || settings.moderator || global.is_some_and(|u| u.global_moderator);
        if moderator {
            return Perms {
                banned: false,
                read: true,
                accessible: true,
                write: true,
                upload: true,
                moderator,
                admin,
            };
        }
        if settings.banned || global.is_some_and(|u| u.banned) {
            return Perms {
                banned: true,
                ..Perms::default()
            };
        }
        let read = settings.read.unwrap_or(room.default_read);
        let write = settings.write.unwrap_or(room.default_write);
        Perms {
            banned: false,
            read,
            accessible: read || settings.accessible.unwrap_or(room.default_accessible),
            write,
            // pysogs' `check_upload` asks for write as well.
            upload: write && settings.upload.unwrap_or(room.default_upload),
            moderator: false,
            admin: false,
        }
    }

    /// Adds a room (default permissions: everyone reads, writes and uploads).
    pub(crate) fn add_room(&mut self, token: &str, name: &str, now: f64) {
        self.rooms.insert(
            token.to_owned(),
            Room {
                token: token.to_owned(),
                name: name.to_owned(),
                description: None,
                created: now,
                info_updates: 0,
                message_sequence: 0,
                image: None,
                default_read: true,
                default_accessible: true,
                default_write: true,
                default_upload: true,
                pins: Vec::new(),
                overrides: BTreeMap::new(),
                scheduled: Vec::new(),
                messages: BTreeMap::new(),
                activity: HashMap::new(),
                recent_posts: HashMap::new(),
            },
        );
    }

    /// A fresh message id.
    pub(crate) fn next_message_id(&mut self) -> u64 {
        let id = self.next_message;
        self.next_message += 1;
        id
    }

    /// A fresh file id.
    pub(crate) fn next_file_id(&mut self) -> u64 {
        let id = self.next_file;
        self.next_file += 1;
        id
    }

    /// A fresh DM id.
    pub(crate) fn next_dm_id(&mut self) -> u64 {
        let id = self.next_dm;
        self.next_dm += 1;
        id
    }

    /// A fresh reaction order number.
    pub(crate) fn next_reaction_order(&mut self) -> u64 {
        let id = self.next_reaction;
        self.next_reaction += 1;
        id
    }

    /// Sets a global role or ban for `uid`.
    pub(crate) fn set_global(&mut self, uid: Uid, change: impl FnOnce(&mut User)) {
        if let Some(user) = self.user_mut(uid) {
            change(user);
        }
        // A change of moderators is a change of every room's info.
        for room in self.rooms.values_mut() {
            room.info_updates += 1;
        }
    }
}

impl Room {
    /// Bumps and returns the message sequence.
    pub(crate) fn bump_sequence(&mut self) -> i64 {
        self.message_sequence += 1;
        self.message_sequence
    }

    /// Users active since `now − cutoff`.
    pub(crate) fn active_users(&self, now: f64) -> usize {
        self.activity
            .values()
            .filter(|at| **at >= now - ACTIVE_CUTOFF_S)
            .count()
    }

    /// Deletes message `id`: tombstone, reactions and pin gone.
    pub(crate) fn delete_message(&mut self, id: u64, now: f64) -> bool {
        let seqno = self.message_sequence + 1;
        let Some(message) = self.messages.get_mut(&id) else {
            return false;
        };
        if message.data.is_none() {
            return false;
        }
        message.data = None;
        message.signature = None;
        message.data_size = 0;
        message.edited = Some(now);
        message.seqno_data = seqno;
        message.reactions.clear();
        self.message_sequence = seqno;
        let pinned = self.pins.len();
        self.pins.retain(|pin| pin.message != id);
        if self.pins.len() != pinned {
            self.info_updates += 1;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_round_trips() {
        let padded = [1u8, 2, 0x80, 0, 0, 0];
        assert_eq!(strip_padding(&padded), vec![1, 2]);
        assert_eq!(strip_padding(&[1, 2, 3, 0]), vec![1, 2, 3, 0]);
        assert_eq!(strip_padding(&[0x80]), Vec::<u8>::new());
        let message = Message {
            id: 1,
            user: 1,
            posted: 0.0,
            edited: None,
            seqno_data: 1,
            seqno_reactions: 0,
            seqno_creation: 1,
            data: Some(vec![1, 2]),
            data_size: 6,
            signature: None,
            whisper_to: None,
            whisper_mods: false,
            reactions: Vec::new(),
        };
        assert_eq!(message.padded_data().unwrap(), padded.to_vec());
    }
}
