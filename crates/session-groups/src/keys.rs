//! The group Keys state (namespace 12): the known keys, newest last, the hashes of the key
//! messages that carry them, a pending rekey, and libsession's rules for inserting, expiring
//! and dumping them.
//!
//! The Info (13) and Members (14) configs are encrypted with these keys; this object does
//! not hold them. After [`GroupKeys::rekey`] or a load that reports
//! [`LoadOutcome::Added`], hand [`GroupKeys::group_keys`] to those configs (and, after a
//! rekey, re-push them after the key message).

use rand_core::CryptoRng;
use session_crypto::Ed25519Seed;
use session_identity::{Keypair, SessionId};
use session_protocol::ProSignature;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::constants::KEY_EXPIRY_MS;
use crate::dump::{self, ActiveHashes, Pending};
use crate::envelope::{self, GroupEnvelope};
use crate::error::{KeysError, MessageError, SubaccountError};
use crate::key_info::KeyInfo;
use crate::key_message::{self, Opened, Reader};
use crate::message::{self, DecryptedMessage};
use crate::secret::GroupKey;
use crate::subaccount::{self, AuthData, SubaccountFlags, SubaccountSignature, SubaccountToken};
use crate::{rekey_message, supplement_message};

/// A new key made by [`GroupKeys::rekey`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Rekey {
    /// The key message to store in namespace 12 (before the re-encrypted configs).
    pub message: Vec<u8>,
    /// Its generation.
    pub generation: i64,
    /// The new key, for the Info and Members configs.
    pub key: GroupKey,
}

impl Rekey {
    /// The key message of `generation` for `members` (every member, admins included; IDs are
    /// sorted and de-duplicated), as [`GroupKeys::rekey`] makes it but without a Keys state.
    /// It is deterministic: every admin computes the same message and key.
    ///
    /// # Errors
    ///
    /// [`KeysError::MemberPrefix`] for a non-`05` member, [`KeysError::Malformed`] for a
    /// negative generation.
    pub fn build(
        group: &Keypair,
        members: &[SessionId],
        generation: i64,
    ) -> Result<Self, KeysError> {
        if generation < 0 {
            return Err(KeysError::Malformed("negative generation"));
        }
        let members = rekey_message::sorted_members(members)?;
        let built = rekey_message::build(group, &members, generation)?;
        Ok(Self {
            message: built.message,
            generation,
            key: built.key,
        })
    }
}

/// What loading a valid key message did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadOutcome {
    /// At least one new key was stored: re-apply [`GroupKeys::group_keys`].
    Added,
    /// Every key it held was known already (its hash is then recorded for the
    /// generation), or is older than a generation that has already lapsed.
    Duplicate,
    /// A valid message with no key for us: we are not (or not yet) among its recipients. An
    /// admin gets this for supplements, whose keys it holds; the hash is recorded either way.
    NotForUs,
}

/// The Keys state of one group for one user.
pub struct GroupKeys {
    user: Keypair,
    group_pk: [u8; 32],
    group_x25519: [u8; 32],
    admin: Option<Keypair>,
    keys: Vec<KeyInfo>,
    active: ActiveHashes,
    pending: Option<Pending>,
    needs_dump: bool,
}

impl core::fmt::Debug for GroupKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GroupKeys")
            .field("group", &self.group_id())
            .field("admin", &self.admin.is_some())
            .field("keys", &self.keys.len())
            .field("pending", &self.pending.is_some())
            .finish_non_exhaustive()
    }
}

impl GroupKeys {
    /// An empty state for an admin holding the group key pair. A new group must
    /// [`rekey`](Self::rekey) before anything is encrypted.
    pub fn new_admin(user: Keypair, group: Keypair) -> Result<Self, KeysError> {
        let mut state = Self::new_member(user, *group.ed25519_public())?;
        state.admin = Some(group);
        Ok(state)
    }

    /// An empty state for a member, who knows the group's public key only.
    ///
    /// # Errors
    ///
    /// [`KeysError::InvalidGroupKey`] if `group_pk` is not a usable Ed25519 key.
    pub fn new_member(user: Keypair, group_pk: [u8; 32]) -> Result<Self, KeysError> {
        let group_x25519 = key_message::check_group_key(&group_pk)?;
        Ok(Self {
            user,
            group_pk,
            group_x25519,
            admin: None,
            keys: Vec::new(),
            active: ActiveHashes::new(),
            pending: None,
            needs_dump: false,
        })
    }

    /// Restores a state from [`dump`](Self::dump); `admin` is the group key pair if we hold
    /// it (dumps never contain it).
    ///
    /// # Errors
    ///
    /// [`KeysError::WrongAdminKey`] if `admin` is another group's; dump errors otherwise.
    pub fn from_dump(
        user: Keypair,
        group_pk: [u8; 32],
        admin: Option<Keypair>,
        dump: &[u8],
    ) -> Result<Self, KeysError> {
        if let Some(group) = &admin
            && group.ed25519_public() != &group_pk
        {
            return Err(KeysError::WrongAdminKey);
        }
        let mut state = Self::new_member(user, group_pk)?;
        state.admin = admin;
        let restored = dump::decode(dump)?;
        state.active = restored.active;
        state.keys = restored.keys;
        state.pending = restored.pending;
        Ok(state)
    }

    /// Upgrades a member to admin with the group seed (from a promotion). Does nothing if we
    /// are admin already.
    ///
    /// # Errors
    ///
    /// [`KeysError::WrongAdminKey`] if the seed is not this group's.
    pub fn load_admin_key(&mut self, seed: &Ed25519Seed) -> Result<(), KeysError> {
        if self.admin.is_some() {
            return Ok(());
        }
        let group = Keypair::from_ed25519_seed(seed);
        if !bool::from(group.ed25519_public().ct_eq(&self.group_pk)) {
            return Err(KeysError::WrongAdminKey);
        }
        self.admin = Some(group);
        Ok(())
    }

    /// Whether we hold the group's secret key.
    pub fn is_admin(&self) -> bool {
        self.admin.is_some()
    }

    /// The group's `03` ID.
    pub fn group_id(&self) -> SessionId {
        SessionId::new(session_identity::IdPrefix::Group, self.group_pk)
    }

    /// The group's Ed25519 public key.
    pub fn group_public_key(&self) -> &[u8; 32] {
        &self.group_pk
    }

    fn admin(&self) -> Result<&Keypair, KeysError> {
        self.admin.as_ref().ok_or(KeysError::NotAdmin)
    }

    /// Makes the next generation's key for `members` (every member, admins included; IDs are
    /// sorted and de-duplicated) and holds it as pending until its message is loaded back.
    ///
    /// # Errors
    ///
    /// [`KeysError::NotAdmin`], or [`KeysError::MemberPrefix`] for a non-`05` member.
    pub fn rekey(&mut self, members: &[SessionId]) -> Result<Rekey, KeysError> {
        let group = self.admin()?;
        let generation = self.keys.last().map_or(0, |k| k.generation + 1);
        let rekey = Rekey::build(group, members, generation)?;
        self.pending = Some(Pending {
            config: rekey.message.clone(),
            generation,
            key: rekey.key.clone(),
        });
        self.needs_dump = true;
        Ok(rekey)
    }

    /// A supplemental key message giving every current key to `members` (in the order given).
    ///
    /// # Errors
    ///
    /// [`KeysError::NotAdmin`], [`KeysError::NoKeys`], [`KeysError::MemberPrefix`], or
    /// [`KeysError::NoRecipients`] if no member key is usable.
    pub fn key_supplement(&self, members: &[SessionId]) -> Result<Vec<u8>, KeysError> {
        supplement_message::build(self.admin()?, &self.keys, members)
    }

    /// The key message of a rekey not yet loaded back, to (re)push.
    pub fn pending_config(&self) -> Option<&[u8]> {
        self.pending.as_ref().map(|p| p.config.as_slice())
    }

    /// The generation of the pending rekey, if one awaits confirmation.
    pub fn pending_generation(&self) -> Option<i64> {
        self.pending.as_ref().map(|p| p.generation)
    }

    /// The pending key, if a rekey awaits confirmation.
    pub fn pending_key(&self) -> Option<&GroupKey> {
        self.pending.as_ref().map(|p| &p.key)
    }

    /// Loads a key message retrieved from namespace 12 with its storage `hash` and swarm
    /// `timestamp_ms`.
    ///
    /// # Errors
    ///
    /// A [`KeysError`] naming why the message is invalid; the state is then unchanged.
    pub fn load_key_message(
        &mut self,
        hash: &str,
        data: &[u8],
        timestamp_ms: i64,
    ) -> Result<LoadOutcome, KeysError> {
        let reader = match &self.admin {
            Some(group) => Reader::Admin(group),
            None => Reader::Member(&self.user),
        };
        let opened = key_message::open(
            data,
            timestamp_ms,
            &self.group_pk,
            &self.group_x25519,
            reader,
        )?;
        match opened {
            Opened::NothingForUs { generation } => {
                self.active
                    .entry(generation)
                    .or_default()
                    .insert(hash.to_owned());
                self.remove_expired();
                self.needs_dump = true;
                Ok(LoadOutcome::NotForUs)
            }
            Opened::Keys(new_keys) => {
                if let (Some(pending), Some(first)) = (&self.pending, new_keys.first())
                    && (first.generation > pending.generation
                        || bool::from(first.key.ct_eq(&pending.key)))
                {
                    self.pending = None;
                    self.needs_dump = true;
                }
                let mut added = false;
                for key in new_keys {
                    added |= self.insert_key(hash, key);
                }
                Ok(if added {
                    LoadOutcome::Added
                } else {
                    LoadOutcome::Duplicate
                })
            }
        }
    }

    /// libsession's `insert_key`: a key already known in its generation only gains the
    /// hash; a key older than everything and already expired is dropped.
    fn insert_key(&mut self, hash: &str, key: KeyInfo) -> bool {
        let known = self
            .keys
            .iter()
            .any(|k| k.generation == key.generation && bool::from(k.key.ct_eq(&key.key)));
        if known {
            self.active
                .entry(key.generation)
                .or_default()
                .insert(hash.to_owned());
            return false;
        }
        let at = self.keys.partition_point(|k| k.order(&key).is_lt());
        if let (Some(front), Some(back)) = (self.keys.first(), self.keys.last())
            && self.keys.len() >= 2
            && at == 0
            && key.generation < front.generation
            && front.timestamp_ms.saturating_add(KEY_EXPIRY_MS) < back.timestamp_ms
        {
            return false;
        }
        self.active
            .entry(key.generation)
            .or_default()
            .insert(hash.to_owned());
        self.keys.insert(at, key);
        self.remove_expired();
        self.needs_dump = true;
        true
    }

    /// Drops every generation that a newer generation superseded more than
    /// [`KEY_EXPIRY_MS`] before the newest key, and the hashes of dropped generations.
    fn remove_expired(&mut self) {
        if let Some(newest) = self.keys.last().map(|k| k.timestamp_ms) {
            let mut keep_from = 0;
            let mut i = 0;
            while i < self.keys.len() {
                let generation = self.keys[i].generation;
                let mut next = i + 1;
                while next < self.keys.len() && self.keys[next].generation == generation {
                    next += 1;
                }
                if next == self.keys.len() {
                    break;
                }
                if self.keys[next].timestamp_ms.saturating_add(KEY_EXPIRY_MS) < newest {
                    keep_from = next;
                } else {
                    break;
                }
                i = next;
            }
            self.keys.drain(..keep_from);
        }
        match self.keys.first().map(|k| k.generation) {
            Some(oldest) => self.active = self.active.split_off(&oldest),
            None => self.active.clear(),
        }
    }

    /// Every key we can decrypt with, newest first, the pending key (if any) leading.
    pub fn group_keys(&self) -> Vec<&GroupKey> {
        self.pending
            .iter()
            .map(|p| &p.key)
            .chain(self.keys.iter().rev().map(|k| &k.key))
            .collect()
    }

    /// How many keys [`group_keys`](Self::group_keys) returns.
    pub fn size(&self) -> usize {
        self.keys.len() + usize::from(self.pending.is_some())
    }

    /// The key new messages are encrypted with: the pending one, else the newest.
    ///
    /// # Errors
    ///
    /// [`KeysError::NoKeys`] before the first key.
    pub fn encryption_key(&self) -> Result<&GroupKey, KeysError> {
        self.pending
            .as_ref()
            .map(|p| &p.key)
            .or_else(|| self.keys.last().map(|k| &k.key))
            .ok_or(KeysError::NoKeys)
    }

    /// The newest generation known (0 before any key).
    pub fn current_generation(&self) -> i64 {
        self.keys.last().map_or(0, |k| k.generation)
    }

    /// Whether two keys share the newest generation (concurrent rekeys): an admin should
    /// rekey again.
    pub fn needs_rekey(&self) -> bool {
        self.admin.is_some()
            && matches!(self.keys.as_slice(), [.., a, b] if a.generation == b.generation)
    }

    /// The hashes of every key message still in use (to extend their expiry).
    pub fn active_hashes(&self) -> Vec<&str> {
        let mut hashes: Vec<&str> = self.active.values().flatten().map(String::as_str).collect();
        hashes.sort_unstable();
        hashes.dedup();
        hashes
    }

    /// Whether the state changed since the last [`dump`](Self::dump).
    pub fn needs_dump(&self) -> bool {
        self.needs_dump
    }

    /// The state, in libsession's dump format (secret: it holds every key).
    ///
    /// # Errors
    ///
    /// Only if the bencode writer fails, which its fixed keys rule out.
    pub fn dump(&mut self) -> Result<Zeroizing<Vec<u8>>, KeysError> {
        let out = dump::encode(&self.active, &self.keys, self.pending.as_ref())?;
        self.needs_dump = false;
        Ok(out)
    }

    /// Encrypts a group message as the user, under [`encryption_key`](Self::encryption_key).
    ///
    /// # Errors
    ///
    /// [`MessageError::TooLarge`], or [`MessageError::NoKey`] before the first key.
    pub fn encrypt_message<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        plaintext: &[u8],
        compress: bool,
        padding: usize,
    ) -> Result<Vec<u8>, MessageError> {
        let key = self.encryption_key().map_err(|_| MessageError::NoKey)?;
        message::encrypt(
            rng,
            &self.user,
            &self.group_pk,
            key,
            plaintext,
            compress,
            padding,
        )
    }

    /// Decrypts a group message with every known key.
    ///
    /// # Errors
    ///
    /// As [`message::decrypt`].
    pub fn decrypt_message(&self, ciphertext: &[u8]) -> Result<DecryptedMessage, MessageError> {
        message::decrypt(self.group_keys(), &self.group_pk, ciphertext)
    }

    /// Encrypts `content` as a group envelope for namespace 11.
    ///
    /// # Errors
    ///
    /// As [`encrypt_message`](Self::encrypt_message).
    pub fn encrypt_envelope<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        content: &[u8],
        sent_timestamp_ms: u64,
        pro_sig: &ProSignature,
    ) -> Result<Vec<u8>, MessageError> {
        let key = self.encryption_key().map_err(|_| MessageError::NoKey)?;
        envelope::encrypt(
            rng,
            &self.user,
            &self.group_pk,
            key,
            content,
            sent_timestamp_ms,
            pro_sig,
        )
    }

    /// Decrypts a namespace-11 message with every known key.
    ///
    /// # Errors
    ///
    /// As [`envelope::decrypt`].
    pub fn decrypt_envelope(&self, ciphertext: &[u8]) -> Result<GroupEnvelope, MessageError> {
        envelope::decrypt(self.group_keys(), &self.group_pk, ciphertext)
    }

    /// The auth data for `member` (admin only).
    ///
    /// # Errors
    ///
    /// [`SubaccountError::NotAdmin`], else as [`subaccount::make_auth_data`].
    pub fn make_subaccount(
        &self,
        member: &SessionId,
        flags: SubaccountFlags,
    ) -> Result<AuthData, SubaccountError> {
        let group = self.admin.as_ref().ok_or(SubaccountError::NotAdmin)?;
        subaccount::make_auth_data(group, member, flags)
    }

    /// The token of `member` (admin only), for revocation.
    ///
    /// # Errors
    ///
    /// As [`make_subaccount`](Self::make_subaccount).
    pub fn subaccount_token(
        &self,
        member: &SessionId,
        flags: SubaccountFlags,
    ) -> Result<SubaccountToken, SubaccountError> {
        let group = self.admin.as_ref().ok_or(SubaccountError::NotAdmin)?;
        subaccount::make_token(group, member, flags)
    }

    /// Signs a storage request as the user with its auth data.
    ///
    /// # Errors
    ///
    /// As [`subaccount::sign`].
    pub fn sign_as_subaccount(
        &self,
        auth: &AuthData,
        message: &[u8],
    ) -> Result<SubaccountSignature, SubaccountError> {
        subaccount::sign(&self.user, auth, message)
    }

    /// Checks that `auth` is valid for the user in this group with `required` flags.
    ///
    /// # Errors
    ///
    /// As [`subaccount::verify`].
    pub fn verify_subaccount(
        &self,
        auth: &AuthData,
        required: SubaccountFlags,
    ) -> Result<(), SubaccountError> {
        subaccount::verify(&self.group_id(), &self.user, auth, required)
    }
}
