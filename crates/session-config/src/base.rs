//! The config object every config type is built on (libsession's `ConfigBase`): keys, the
//! Clean / Dirty / Waiting state machine, push, confirmation, merge and dump
//! (libsession-util.md §11.5, §11.10).
//!
//! ```text
//! Clean --change--> Dirty --push--> Waiting --confirm_pushed(seqno, hashes)--> Clean
//!   \___merge producing a conflict-resolution message___/^
//! ```

use std::collections::BTreeSet;

use session_crypto::{Ed25519Seed, SymmetricKey};
use session_identity::Keypair;
use zeroize::Zeroizing;

use crate::compress::{compress_message, decompress};
use crate::dump::{Dump, State};
use crate::encrypt::{ENCRYPT_OVERHEAD, decrypt, encrypt, pad_message, strip_padding};
use crate::error::{Error, Result};
use crate::kind::ConfigKind;
use crate::merge::{Merged, merge};
use crate::message::{ConfigMessage, message_hash};
use crate::multipart::{MAX_MESSAGE_SIZE, MAX_MULTIPART_SIZE, Multiparts, split};
use crate::mutable::MutableConfigMessage;
use crate::protobuf::{unwrap_config, wrap_config};
use crate::value::{Dict, Value};

/// The current message: read-only when clean after a load or merge, mutable once changed.
#[derive(Clone, Debug)]
enum Current {
    Fixed(ConfigMessage),
    Mutable(MutableConfigMessage),
}

impl Current {
    fn seqno(&self) -> i64 {
        match self {
            Self::Fixed(m) => m.seqno(),
            Self::Mutable(m) => m.seqno(),
        }
    }

    fn data(&self) -> &Dict {
        match self {
            Self::Fixed(m) => m.data(),
            Self::Mutable(m) => m.data(),
        }
    }

    fn serialize(&mut self, signer: Option<&Keypair>) -> Vec<u8> {
        match self {
            Self::Fixed(m) => m.serialize(signer, true),
            Self::Mutable(m) => m.serialize(signer),
        }
    }

    fn serialize_unsigned(&mut self) -> Vec<u8> {
        match self {
            Self::Fixed(m) => m.serialize(None, false),
            Self::Mutable(m) => m.serialize_unsigned(),
        }
    }
}

/// What [`ConfigBase::push`] produced.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Push {
    /// The seqno to confirm with [`ConfigBase::confirm_pushed`].
    pub seqno: i64,
    /// The messages to store (one, or the parts of a multipart config).
    pub messages: Vec<Vec<u8>>,
    /// Hashes of messages the push makes obsolete, to delete from the swarm.
    pub obsolete: Vec<String>,
}

/// A config object: the current message, its keys and its push state.
#[derive(Clone)]
pub struct ConfigBase {
    kind: ConfigKind,
    current: Current,
    state: State,
    keys: Vec<SymmetricKey>,
    current_hashes: BTreeSet<String>,
    old_hashes: BTreeSet<String>,
    multiparts: Multiparts,
    needs_dump: bool,
    verifier: Option<[u8; 32]>,
    signer: Option<Keypair>,
}

impl core::fmt::Debug for ConfigBase {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ConfigBase")
            .field("kind", &self.kind.domain)
            .field("seqno", &self.current.seqno())
            .field("state", &self.state)
            .field("keys", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl ConfigBase {
    /// An empty config of `kind` (seqno 0, clean, no keys).
    pub fn new(kind: ConfigKind) -> Self {
        Self {
            kind,
            current: Current::Fixed(ConfigMessage::empty(kind.lag)),
            state: State::Clean,
            keys: Vec::new(),
            current_hashes: BTreeSet::new(),
            old_hashes: BTreeSet::new(),
            multiparts: Multiparts::default(),
            needs_dump: false,
            verifier: None,
            signer: None,
        }
    }

    /// Restores a config from [`dump`](Self::dump). A dirty dump reloads as a new message
    /// (one seqno higher), as libsession does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDump`], or [`Error::Parse`] if the dumped message does not parse.
    pub fn load(kind: ConfigKind, dump: &[u8]) -> Result<Self> {
        let dump = Dump::decode(dump)?;
        let current = if dump.state == State::Dirty {
            let message = ConfigMessage::parse(&dump.config, None, kind.lag, true)?;
            Current::Mutable(MutableConfigMessage::following(&message))
        } else {
            Current::Fixed(ConfigMessage::parse(&dump.config, None, kind.lag, true)?)
        };
        Ok(Self {
            current,
            state: dump.state,
            current_hashes: dump.current,
            old_hashes: dump.old,
            multiparts: dump.multiparts,
            ..Self::new(kind)
        })
    }

    /// The config type.
    pub fn kind(&self) -> &ConfigKind {
        &self.kind
    }

    /// The state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The current seqno.
    pub fn seqno(&self) -> i64 {
        self.current.seqno()
    }

    /// Whether there are changes to push.
    pub fn needs_push(&self) -> bool {
        self.state != State::Clean
    }

    /// Whether something changed since the last dump.
    pub fn needs_dump(&self) -> bool {
        self.needs_dump
    }

    /// The data.
    pub fn data(&self) -> &Dict {
        self.current.data()
    }

    /// The hash of the current message (BLAKE2b-32 of it as [`push`](Self::push) writes it,
    /// signed when a signing key is set): the hash merges order messages by, and the same on
    /// every device holding the same config.
    pub fn current_hash(&mut self) -> [u8; 32] {
        message_hash(&self.current.serialize(self.signer.as_ref()))
    }

    /// The hashes of the messages making up the current config.
    pub fn current_hashes(&self) -> &BTreeSet<String> {
        &self.current_hashes
    }

    /// The hashes of the current config plus those of incomplete multipart sets.
    pub fn active_hashes(&self) -> BTreeSet<String> {
        let mut hashes = self.current_hashes.clone();
        hashes.extend(self.multiparts.pending_hashes().map(str::to_owned));
        hashes
    }

    /// Obsolete hashes not yet returned by a push.
    pub fn old_hashes(&self) -> &BTreeSet<String> {
        &self.old_hashes
    }

    /// Adds an encryption key; a high-priority key goes first and is the one pushes use.
    pub fn add_key(&mut self, key: [u8; 32], high_priority: bool) {
        let key = SymmetricKey::from_bytes(key);
        if self.keys.first() == Some(&key) || (!high_priority && self.keys.contains(&key)) {
            return;
        }
        if high_priority {
            self.keys.retain(|k| k != &key);
            self.keys.insert(0, key);
        } else {
            self.keys.push(key);
        }
    }

    /// Removes every encryption key.
    pub fn clear_keys(&mut self) {
        self.keys.clear();
    }

    /// How many encryption keys are set.
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// Signing keys: messages are signed with `keypair` and must verify with its public key.
    pub fn set_sig_keys(&mut self, keypair: Keypair) {
        self.verifier = Some(*keypair.ed25519_public());
        self.signer = Some(keypair);
    }

    /// A verifying key only: incoming messages must be signed by it; the config is read-only.
    pub fn set_sig_pubkey(&mut self, public_key: [u8; 32]) {
        self.verifier = Some(public_key);
        self.signer = None;
    }

    /// Removes signing and verifying keys.
    pub fn clear_sig_keys(&mut self) {
        self.verifier = None;
        self.signer = None;
    }

    /// Whether changes are refused (a verifying key without a signing key).
    pub fn is_readonly(&self) -> bool {
        self.verifier.is_some() && self.signer.is_none()
    }

    fn set_state(&mut self, state: State) {
        if self.state == State::Clean && !self.current_hashes.is_empty() {
            let current = core::mem::take(&mut self.current_hashes);
            self.old_hashes.extend(current);
        }
        self.state = state;
        self.needs_dump = true;
    }

    /// Makes the config dirty (starting a new message if it was not) and returns its data.
    ///
    /// # Errors
    ///
    /// [`Error::ReadOnly`] without a signing key for a signed type.
    pub fn dirty(&mut self) -> Result<&mut Dict> {
        if self.is_readonly() {
            return Err(Error::ReadOnly);
        }
        if self.state != State::Dirty {
            self.set_state(State::Dirty);
            let next = match &mut self.current {
                Current::Fixed(m) => MutableConfigMessage::following(m),
                Current::Mutable(m) => m.increment(self.signer.as_ref()),
            };
            self.current = Current::Mutable(next);
        } else {
            self.needs_dump = true;
        }
        match &mut self.current {
            Current::Mutable(m) => Ok(m.data_mut()),
            // `current` was made mutable just above.
            Current::Fixed(_) => Err(Error::ReadOnly),
        }
    }

    /// The value at `path` (nested dictionary keys).
    pub fn get(&self, path: &[&[u8]]) -> Option<&Value> {
        let (last, parents) = path.split_last()?;
        let mut dict = self.data();
        for key in parents {
            dict = dict.get(*key)?.as_dict()?;
        }
        dict.get(*last)
    }

    /// Sets (or, with `None`, removes) the value at `path`, creating dictionaries on the way
    /// and removing ones left empty. Nothing happens, and the state stays as it is, when the
    /// value is already that.
    ///
    /// # Errors
    ///
    /// [`Error::ReadOnly`].
    pub fn set(&mut self, path: &[&[u8]], value: Option<Value>) -> Result<()> {
        let value = value.filter(|v| match v {
            Value::Set(s) => !s.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Scalar(_) => true,
        });
        if self.get(path) == value.as_ref() {
            return Ok(());
        }
        let data = self.dirty()?;
        set_in(data, path, value);
        Ok(())
    }

    /// Serializes, compresses, pads and encrypts the current config (wrapping it in protobuf
    /// for types that use it, or cutting it into parts when too large), and moves a dirty
    /// config to waiting.
    ///
    /// # Errors
    ///
    /// [`Error::NoKeys`], or [`Error::TooLarge`] beyond the multipart limit.
    pub fn push(&mut self) -> Result<Push> {
        let key = Zeroizing::new(*self.keys.first().ok_or(Error::NoKeys)?.expose_secret());
        let seqno = self.current.seqno();
        let mut message = self.current.serialize(self.signer.as_ref());
        compress_message(&mut message, self.kind.compression_level);
        pad_message(&mut message);
        if message.len() > MAX_MULTIPART_SIZE {
            return Err(Error::TooLarge(message.len()));
        }
        let messages = if message.len() + ENCRYPT_OVERHEAD > MAX_MESSAGE_SIZE {
            let (final_hash, parts) = split(&message, &key, self.kind.domain)?;
            self.multiparts.mark_done(final_hash);
            parts
        } else {
            let mut encrypted = encrypt(&message, &key, self.kind.domain)?;
            if let Some(kind) = self.kind.protobuf {
                let keypair = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(*key));
                let wrapped = wrap_config(&keypair, &encrypted, seqno, kind)?;
                // Older clients, which need the wrapper, cannot read multipart either: skip it
                // rather than exceed the limit.
                if wrapped.len() <= MAX_MESSAGE_SIZE {
                    encrypted = wrapped;
                }
            }
            vec![encrypted]
        };
        if self.state == State::Dirty {
            self.set_state(State::Waiting);
        }
        let obsolete = core::mem::take(&mut self.old_hashes);
        let obsolete = if self.is_readonly() {
            Vec::new()
        } else {
            obsolete.into_iter().collect()
        };
        Ok(Push {
            seqno,
            messages,
            obsolete,
        })
    }

    /// Records that the push of `seqno` was stored under `hashes`. Ignored unless waiting on
    /// exactly that seqno (a later change makes the confirmation stale).
    pub fn confirm_pushed<I: IntoIterator<Item = String>>(&mut self, seqno: i64, hashes: I) {
        if self.state == State::Waiting && seqno == self.current.seqno() {
            self.set_state(State::Clean);
            self.current_hashes = hashes.into_iter().collect();
            self.needs_dump = true;
        }
    }

    /// Merges messages fetched from the swarm, as `(hash, data)`, and returns the hashes that
    /// were accepted (decrypted and parsed, or stored as a multipart part). `now_ms` ages out
    /// multipart sets.
    pub fn merge(&mut self, messages: &[(&str, &[u8])], now_ms: u64) -> BTreeSet<String> {
        let mut good = BTreeSet::new();
        if self.keys.is_empty() {
            return good;
        }
        let old_seqno = self.current.seqno();
        let mut all_hashes: Vec<Vec<String>> = Vec::new();
        let mut all_confs: Vec<Vec<u8>> = Vec::new();
        // Our own config joins the merge as if it were already on the swarm.
        let mine = old_seqno != 0 || self.state == State::Dirty;
        if mine {
            all_confs.push(self.current.serialize(self.signer.as_ref()));
            all_hashes.push(self.current_hashes.iter().cloned().collect());
        }

        for (hash, data) in messages {
            let Some(plain) = self.open(data) else {
                continue;
            };
            let plain = strip_padding(&plain);
            match plain.first() {
                None => continue,
                Some(b'm') => {
                    match self.multiparts.accept(hash, plain, now_ms) {
                        Ok(completed) => {
                            good.insert((*hash).to_owned());
                            self.needs_dump = true;
                            if let Some(done) = completed {
                                all_hashes.push(done.message_hashes);
                                all_confs.push(done.plaintext);
                            }
                        }
                        Err(_) => continue,
                    }
                    continue;
                }
                Some(b'z') => match decompress(&plain[1..]) {
                    Ok(inflated) if inflated.first() == Some(&b'd') => {
                        all_confs.push(inflated);
                    }
                    _ => continue,
                },
                Some(b'd') => all_confs.push(plain.to_vec()),
                Some(_) => continue,
            }
            good.insert((*hash).to_owned());
            all_hashes.push(vec![(*hash).to_owned()]);
        }
        self.multiparts.expire(now_ms);
        if all_hashes.is_empty() {
            return good;
        }

        let inputs: Vec<&[u8]> = all_confs.iter().map(Vec::as_slice).collect();
        let verifier = self.verifier;
        let signer = self.signer.as_ref();
        let lag = self.kind.lag;
        let result: Result<(Current, Merged)> = if self.state == State::Dirty {
            MutableConfigMessage::merge(&inputs, verifier.as_ref(), signer, lag)
                .map(|(m, merged)| (Current::Mutable(m), merged))
        } else {
            merge(&inputs, verifier.as_ref(), signer, lag)
                .map(|merged| (Current::Fixed(merged.message.clone()), merged))
        };
        let Ok((new_current, merged)) = result else {
            // Nothing parsed (not even our own message): nothing was accepted.
            for hashes in all_hashes.iter().skip(usize::from(mine)) {
                for h in hashes {
                    good.remove(h);
                }
            }
            return good;
        };
        let bad: BTreeSet<usize> = merged.rejected.iter().map(|(i, _)| *i).collect();
        let superseding = merged.message.unmerged_index();
        for (i, hashes) in all_hashes.iter().enumerate() {
            if Some(i) != superseding && !bad.contains(&i) {
                self.old_hashes.extend(hashes.iter().cloned());
            }
        }

        let new_seqno = new_current.seqno();
        if new_seqno != old_seqno {
            if merged.message.merged() {
                self.current = match new_current {
                    Current::Fixed(m) => Current::Mutable(MutableConfigMessage::retain(m)),
                    mutable => mutable,
                };
                self.set_state(State::Dirty);
            } else if self.state == State::Dirty
                && superseding == Some(0)
                && new_seqno == old_seqno.saturating_add(1)
            {
                // Every other message was ignored: keep our own, unchanged.
            } else {
                self.current = new_current;
                self.set_state(State::Clean);
                self.current_hashes = superseding
                    .and_then(|i| all_hashes.get(i))
                    .map(|h| h.iter().cloned().collect())
                    .unwrap_or_default();
            }
        } else {
            for h in &self.current_hashes {
                self.old_hashes.remove(h);
            }
        }
        for (i, hashes) in all_hashes.iter().enumerate().skip(usize::from(mine)) {
            if bad.contains(&i) {
                for h in hashes {
                    good.remove(h);
                }
            }
        }
        good
    }

    /// Unwraps (protobuf, possibly twice for an old client bug) and decrypts with any key.
    fn open(&self, data: &[u8]) -> Option<Vec<u8>> {
        let mut data = data.to_vec();
        if let (Some(kind), Some(first)) = (self.kind.protobuf, self.keys.first()) {
            let keypair =
                Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(*first.expose_secret()));
            if let Ok(once) = unwrap_config(&keypair, &data, kind) {
                data = unwrap_config(&keypair, &once, kind).unwrap_or(once);
            }
        }
        self.keys
            .iter()
            .find_map(|key| decrypt(&data, key.expose_secret(), self.kind.domain).ok())
    }

    /// A dump of the whole object (see [`crate::dump`]) for [`load`](Self::load).
    pub fn dump(&mut self) -> Vec<u8> {
        if self.is_readonly() {
            self.old_hashes.clear();
        }
        let dump = Dump {
            state: self.state,
            config: self.current.serialize_unsigned(),
            current: self.current_hashes.clone(),
            old: self.old_hashes.clone(),
            multiparts: self.multiparts.clone(),
        };
        self.needs_dump = false;
        dump.encode()
    }
}

/// Sets or removes `path` in `data`, removing dictionaries a removal leaves empty.
fn set_in(data: &mut Dict, path: &[&[u8]], value: Option<Value>) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match value {
            Some(v) => {
                data.insert(first.to_vec(), v);
            }
            None => {
                data.remove(*first);
            }
        }
        return;
    }
    if value.is_none() && !matches!(data.get(*first), Some(Value::Dict(_))) {
        return;
    }
    let slot = data
        .entry(first.to_vec())
        .or_insert_with(|| Value::Dict(Dict::new()));
    if !matches!(slot, Value::Dict(_)) {
        *slot = Value::Dict(Dict::new());
    }
    if let Value::Dict(inner) = slot {
        set_in(inner, rest, value);
        if inner.is_empty() {
            data.remove(*first);
        }
    }
}
