//! Contacts (namespace 3): per Session ID, what the account knows and decided about them.
//!
//! `c` → {33-byte Session ID → {`n` name (always present, so the entry survives pruning), `N`
//! nickname, `p`/`q` profile picture, `a` approved, `A` approved me, `b` blocked, `+`
//! priority, `@` notifications, `!` muted until (unix s), `e` disappearing mode, `E` timer
//! (s), `j` created (unix s)}}.

use session_crypto::Ed25519Seed;
use session_identity::SessionId;

use super::fields::{
    ProfilePic, check_name, flag, get_int, get_pic, get_str, nonempty_str, nonzero, pic_values,
    positive, put, update_dict,
};
use super::notify::NotifyMode;
use crate::base::ConfigBase;
use crate::error::Result;
use crate::kind::ConfigKind;
use crate::value::{Dict, Value};

/// Disappearing-message mode of a conversation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExpirationMode {
    /// Messages stay.
    #[default]
    None,
    /// Messages disappear a while after sending.
    AfterSend,
    /// Messages disappear a while after being read.
    AfterRead,
}

impl ExpirationMode {
    fn code(self) -> i64 {
        match self {
            Self::None => 0,
            Self::AfterSend => 1,
            Self::AfterRead => 2,
        }
    }

    fn from_code(code: i64) -> Self {
        match code {
            1 => Self::AfterSend,
            2 => Self::AfterRead,
            _ => Self::None,
        }
    }
}

/// One contact.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Contact {
    /// Their Session ID.
    pub session_id: SessionId,
    /// The name they gave themselves (empty if unknown).
    pub name: String,
    /// The name we gave them (empty for none).
    pub nickname: String,
    /// Their profile picture.
    pub profile_pic: Option<ProfilePic>,
    /// We accepted their messages.
    pub approved: bool,
    /// They accepted ours.
    pub approved_me: bool,
    /// We blocked them.
    pub blocked: bool,
    /// Conversation priority: 0 normal, above 0 pinned, −1 hidden.
    pub priority: i64,
    /// Notification setting (mentions-only is stored as all for one-to-one chats).
    pub notifications: NotifyMode,
    /// Muted until this unix time in seconds (0: not muted).
    pub mute_until: i64,
    /// Disappearing-message mode.
    pub expiration_mode: ExpirationMode,
    /// Disappearing-message timer in seconds.
    pub expiration_timer: i64,
    /// When the contact was created, unix seconds (0: unknown).
    pub created: i64,
}

impl Contact {
    /// A contact with nothing set.
    pub fn new(session_id: SessionId) -> Self {
        Self {
            session_id,
            name: String::new(),
            nickname: String::new(),
            profile_pic: None,
            approved: false,
            approved_me: false,
            blocked: false,
            priority: 0,
            notifications: NotifyMode::Default,
            mute_until: 0,
            expiration_mode: ExpirationMode::None,
            expiration_timer: 0,
            created: 0,
        }
    }

    fn load(session_id: SessionId, d: &Dict) -> Self {
        let mut notifications = NotifyMode::from_code(get_int(d, b"@"));
        if notifications == NotifyMode::MentionsOnly {
            notifications = NotifyMode::All;
        }
        let mut expiration_mode = ExpirationMode::from_code(get_int(d, b"e"));
        let mut expiration_timer = get_int(d, b"E");
        if expiration_mode == ExpirationMode::None || expiration_timer <= 0 {
            expiration_mode = ExpirationMode::None;
            expiration_timer = 0;
        }
        Self {
            session_id,
            name: get_str(d, b"n").unwrap_or_default(),
            nickname: get_str(d, b"N").unwrap_or_default(),
            profile_pic: get_pic(d),
            approved: get_int(d, b"a") != 0,
            approved_me: get_int(d, b"A") != 0,
            blocked: get_int(d, b"b") != 0,
            priority: get_int(d, b"+"),
            notifications,
            mute_until: get_int(d, b"!"),
            expiration_mode,
            expiration_timer,
            created: get_int(d, b"j"),
        }
    }

    fn store(&self, d: &mut Dict) -> Result<()> {
        check_name(&self.name)?;
        check_name(&self.nickname)?;
        d.insert(b"n".to_vec(), Value::from(self.name.as_str()));
        put(d, b"N", nonempty_str(&self.nickname));
        let (url, key) = pic_values(self.profile_pic.as_ref())?;
        put(d, b"p", url);
        put(d, b"q", key);
        put(d, b"a", flag(self.approved));
        put(d, b"A", flag(self.approved_me));
        put(d, b"b", flag(self.blocked));
        put(d, b"+", nonzero(self.priority));
        let notify = match self.notifications {
            NotifyMode::MentionsOnly => NotifyMode::All,
            other => other,
        };
        put(d, b"@", positive(notify.code()));
        put(d, b"!", positive(self.mute_until));
        let expires = self.expiration_mode != ExpirationMode::None && self.expiration_timer > 0;
        put(
            d,
            b"e",
            expires.then(|| Value::from(self.expiration_mode.code())),
        );
        put(d, b"E", expires.then(|| Value::from(self.expiration_timer)));
        put(d, b"j", positive(self.created));
        Ok(())
    }
}

/// The Contacts config.
#[derive(Clone, Debug)]
pub struct Contacts {
    base: ConfigBase,
}

impl Contacts {
    /// The type's namespace, domain and wrapping.
    pub const KIND: ConfigKind = ConfigKind::CONTACTS;

    /// An empty contact list encrypted with the account's seed.
    pub fn new(seed: &Ed25519Seed) -> Self {
        let mut base = ConfigBase::new(Self::KIND);
        base.add_key(*seed.expose_secret(), true);
        Self { base }
    }

    /// Restores a contact list from a dump.
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

    /// The contact with this ID, if stored.
    pub fn get(&self, id: &SessionId) -> Option<Contact> {
        let bytes = id.to_bytes();
        let d = self.base.get(&[b"c", &bytes])?.as_dict()?;
        Some(Contact::load(*id, d))
    }

    /// The contact with this ID, or a new empty one.
    pub fn get_or_construct(&self, id: &SessionId) -> Contact {
        self.get(id).unwrap_or_else(|| Contact::new(*id))
    }

    /// Stores a contact.
    ///
    /// # Errors
    ///
    /// [`crate::Error::InvalidValue`] for a name or nickname above 100 bytes or a picture URL
    /// above 223 bytes.
    pub fn set(&mut self, contact: &Contact) -> Result<()> {
        let bytes = contact.session_id.to_bytes();
        let mut result = Ok(());
        update_dict(&mut self.base, &[b"c", &bytes], |d| {
            result = contact.store(d);
        })?;
        result
    }

    /// Changes one contact through `edit` (creating it if needed).
    ///
    /// # Errors
    ///
    /// As [`Self::set`].
    pub fn update(&mut self, id: &SessionId, edit: impl FnOnce(&mut Contact)) -> Result<()> {
        let mut contact = self.get_or_construct(id);
        edit(&mut contact);
        self.set(&contact)
    }

    /// Removes a contact; returns whether it was there.
    ///
    /// # Errors
    ///
    /// [`crate::Error::ReadOnly`] never for user configs; kept for uniformity.
    pub fn erase(&mut self, id: &SessionId) -> Result<bool> {
        let bytes = id.to_bytes();
        let existed = self.base.get(&[b"c", &bytes]).is_some();
        self.base.set(&[b"c", &bytes], None)?;
        Ok(existed)
    }

    /// Every contact, in Session ID byte order (entries that are not 33-byte IDs with a known
    /// prefix holding a dictionary are skipped).
    pub fn iter(&self) -> impl Iterator<Item = Contact> + '_ {
        self.base
            .get(&[b"c"])
            .and_then(Value::as_dict)
            .into_iter()
            .flat_map(|d| d.iter())
            .filter_map(|(key, value)| {
                let id = SessionId::from_bytes(key).ok()?;
                Some(Contact::load(id, value.as_dict()?))
            })
    }

    /// How many contacts are stored.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
