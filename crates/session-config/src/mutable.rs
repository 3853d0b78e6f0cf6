//! A config message being edited: the data can change, and the diff is the difference from
//! the data it started with (libsession's `MutableConfigMessage`).

use session_identity::Keypair;

use crate::diff::{Diff, compute};
use crate::error::Error;
use crate::merge::{Merged, merge};
use crate::message::{ConfigMessage, DEFAULT_LAG, message_hash};
use crate::value::{Dict, prune};

/// A config message whose data may be changed; serializing it prunes the data and records
/// the diff against the data it started from.
#[derive(Clone, PartialEq, Eq)]
pub struct MutableConfigMessage {
    pub(crate) message: ConfigMessage,
    pub(crate) orig: Dict,
}

impl core::fmt::Debug for MutableConfigMessage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MutableConfigMessage")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl Drop for MutableConfigMessage {
    fn drop(&mut self) {
        crate::value::wipe(&mut self.orig);
    }
}

impl MutableConfigMessage {
    /// A new, empty message.
    pub fn new(seqno: i64, lag: i64) -> Self {
        let mut message = ConfigMessage::empty(lag);
        message.seqno = seqno;
        Self {
            message,
            orig: Dict::new(),
        }
    }

    /// A new, empty message with seqno 0 and the default lag.
    pub fn empty() -> Self {
        Self::new(0, DEFAULT_LAG)
    }

    /// Takes a (merged) message as is, without a new seqno: its data becomes the base of the
    /// diff.
    pub fn retain(message: ConfigMessage) -> Self {
        let orig = message.data.clone();
        Self { message, orig }
    }

    /// The message that follows `parent`: seqno + 1, the parent's diff carried as a lagged
    /// diff (and lagged diffs that fall out of the window dropped).
    pub fn following(parent: &ConfigMessage) -> Self {
        let mut message = parent.clone();
        let orig = message.data.clone();
        let lag = message.lag;
        let seqno = message.seqno;
        message
            .lagged
            .retain(|(s, _), _| *s > seqno.saturating_sub(lag) && *s < seqno);
        let diff = core::mem::take(&mut message.diff);
        message.lagged.insert((seqno, message.hash), diff);
        message.seqno = seqno.saturating_add(1);
        message.hash = [0; 32];
        message.signature = None;
        Self { message, orig }
    }

    /// Merges serialized messages into a mutable message. A merge that produced a new message
    /// is kept as is (it already has a new seqno); otherwise the message used is followed
    /// ([`Self::following`]), so the result always has a seqno above every input.
    ///
    /// # Errors
    ///
    /// [`Error::NoValidConfigs`] when no input parses.
    pub fn merge(
        inputs: &[&[u8]],
        verifier: Option<&[u8; 32]>,
        signer: Option<&Keypair>,
        lag: i64,
    ) -> Result<(Self, Merged), Error> {
        let merged = merge(inputs, verifier, signer, lag)?;
        let mutable = if merged.message.merged() {
            Self::retain(merged.message.clone())
        } else {
            let mut next = Self::following(&merged.message);
            next.message.unmerged = merged.message.unmerged;
            next
        };
        Ok((mutable, merged))
    }

    /// The seqno.
    pub fn seqno(&self) -> i64 {
        self.message.seqno
    }

    /// Sets the seqno.
    pub fn set_seqno(&mut self, seqno: i64) {
        self.message.seqno = seqno;
    }

    /// The data.
    pub fn data(&self) -> &Dict {
        &self.message.data
    }

    /// The data, for changing.
    pub fn data_mut(&mut self) -> &mut Dict {
        &mut self.message.data
    }

    /// The message underneath (its diff and hash are only current after a serialize).
    pub fn message(&self) -> &ConfigMessage {
        &self.message
    }

    /// Prunes the data and brings the diff up to date; any signature is dropped.
    fn refresh(&mut self) -> &Diff {
        prune(&mut self.message.data);
        self.message.diff = compute(&self.orig, &self.message.data);
        self.message.signature = None;
        &self.message.diff
    }

    /// Serializes, signed by `signer` if given.
    pub fn serialize(&mut self, signer: Option<&Keypair>) -> Vec<u8> {
        self.refresh();
        self.message.serialize(signer, true)
    }

    /// Serializes without a signature (for local dumps).
    pub fn serialize_unsigned(&mut self) -> Vec<u8> {
        self.refresh();
        self.message.serialize(None, false)
    }

    /// The hash of the message as [`serialize`](Self::serialize) with `signer` writes it.
    pub fn hash(&mut self, signer: Option<&Keypair>) -> [u8; 32] {
        let bytes = self.serialize(signer);
        self.message.hash = message_hash(&bytes);
        self.message.hash
    }

    /// The message that follows this one (this one's hash is computed first, with `signer`).
    pub fn increment(&mut self, signer: Option<&Keypair>) -> Self {
        self.hash(signer);
        let mut next = Self::following(&self.message);
        next.message.unmerged = self.message.unmerged;
        next
    }
}
