//! A parsed config message: the bt-encoded dictionary with keys `#` (seqno), `&` (data), `<`
//! (lagged diffs), `=` (this message's diff) and optionally `~` (signature), exactly as
//! libsession's `ConfigMessage` reads and writes it (libsession-util.md §11.2).
//!
//! Unknown keys between the known ones are kept and written back in place, so a message from
//! a newer client survives a round trip. The hash is BLAKE2b-32 of the bytes as received.

use std::collections::BTreeMap;

use session_bt::{Kind, write_bytes, write_int};
use session_crypto::{blake2b, ed25519};
use session_identity::Keypair;

use crate::codec::{read_dict, write_dict};
use crate::diff::{Diff, read_diff, write_diff};
use crate::error::ParseError;
use crate::value::Dict;

/// The default number of lagged diffs carried forward ("lag"): a message keeps the diffs of
/// seqnos in `(seqno - 5, seqno)`.
pub const DEFAULT_LAG: i64 = 5;

/// A message's identity in merges: its seqno and hash, compared in that order.
pub type SeqnoHash = (i64, [u8; 32]);

/// Lagged diffs by the (seqno, hash) of the message that made them.
pub type LaggedDiffs = BTreeMap<SeqnoHash, Diff>;

/// A read-only config message, parsed or merged.
///
/// Its data can hold secrets (UserGroups keeps group seeds), so `Debug` shows only the seqno,
/// hash and size, and the data's byte strings are wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigMessage {
    pub(crate) seqno: i64,
    pub(crate) hash: [u8; 32],
    pub(crate) data: Dict,
    pub(crate) diff: Diff,
    pub(crate) lagged: LaggedDiffs,
    /// Unknown top-level keys and their raw bencoded values.
    pub(crate) unknown: BTreeMap<Vec<u8>, Vec<u8>>,
    pub(crate) signature: Option<[u8; 64]>,
    pub(crate) lag: i64,
    pub(crate) unmerged: Option<usize>,
}

impl core::fmt::Debug for ConfigMessage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ConfigMessage")
            .field("seqno", &self.seqno)
            .field("hash", &hex::encode(self.hash))
            .field("keys", &self.data.len())
            .field("lagged", &self.lagged.len())
            .finish_non_exhaustive()
    }
}

impl Drop for ConfigMessage {
    fn drop(&mut self) {
        crate::value::wipe(&mut self.data);
    }
}

/// BLAKE2b-32 of a serialized message: its hash.
pub fn message_hash(serialized: &[u8]) -> [u8; 32] {
    blake2b::hash::<32>(&[serialized])
}

impl ConfigMessage {
    /// An empty message with seqno 0.
    pub fn empty(lag: i64) -> Self {
        let mut message = Self {
            seqno: 0,
            hash: [0; 32],
            data: Dict::new(),
            diff: Diff::new(),
            lagged: LaggedDiffs::new(),
            unknown: BTreeMap::new(),
            signature: None,
            lag,
            unmerged: None,
        };
        message.hash = message_hash(&message.serialize(None, false));
        message
    }

    /// Parses a serialized message.
    ///
    /// With a `verifier` (Ed25519 public key) the message must carry a valid signature. With
    /// `trust_signature` a signature is kept without checking (for reloading our own dumps).
    /// Lagged diffs at or below `seqno - lag` are dropped.
    pub fn parse(
        bytes: &[u8],
        verifier: Option<&[u8; 32]>,
        lag: i64,
        trust_signature: bool,
    ) -> Result<Self, ParseError> {
        let value = session_bt::decode(bytes)?;
        let dict = value.as_dict().ok_or(ParseError::NotADict)?;
        let mut entries = dict.iter().peekable();

        let seqno = match entries.next() {
            Some((b"#", v)) => v.as_i64().ok_or(ParseError::MissingSeqno)?,
            _ => return Err(ParseError::MissingSeqno),
        };
        let mut message = Self {
            seqno,
            hash: message_hash(bytes),
            data: Dict::new(),
            diff: Diff::new(),
            lagged: LaggedDiffs::new(),
            unknown: BTreeMap::new(),
            signature: None,
            lag,
            unmerged: None,
        };
        let mut have_data = false;
        let mut signature = None;
        for (key, v) in entries {
            if signature.is_some() {
                return Err(ParseError::KeyAfterSignature);
            }
            match key {
                b"&" => {
                    let d = v.as_dict().ok_or(ParseError::MissingData)?;
                    message.data = read_dict(d, true)?;
                    have_data = true;
                }
                _ if !have_data => {
                    // Unknown keys may come before `&`, but `&` must come.
                    if key > b"&".as_slice() {
                        return Err(ParseError::MissingData);
                    }
                    message.unknown.insert(key.to_vec(), v.raw().to_vec());
                }
                b"<" => {
                    let items = v.as_list().ok_or(ParseError::WrongType("<"))?;
                    message.lagged = read_lagged(items, seqno, lag)?;
                }
                b"=" => {
                    if !matches!(v.kind(), Kind::Dict(_)) {
                        return Err(ParseError::WrongType("="));
                    }
                    message.diff = read_diff(v)?;
                }
                b"~" => {
                    let sig = v.as_bytes().ok_or(ParseError::SignatureLength)?;
                    let sig: [u8; 64] = sig.try_into().map_err(|_| ParseError::SignatureLength)?;
                    signature = Some(sig);
                }
                _ if key > b"~".as_slice() => return Err(ParseError::KeyAfterSignature),
                _ => {
                    message.unknown.insert(key.to_vec(), v.raw().to_vec());
                }
            }
        }
        if !have_data {
            return Err(ParseError::MissingData);
        }
        match (signature, verifier) {
            (Some(sig), verifier) => {
                let signed = value.dict_prefix(b"~").unwrap_or_default();
                if let Some(key) = verifier {
                    ed25519::verify(&sig, key, signed).map_err(|_| ParseError::BadSignature)?;
                }
                if verifier.is_some() || trust_signature {
                    message.signature = Some(sig);
                }
            }
            (None, Some(_)) => return Err(ParseError::MissingSignature),
            (None, None) => {}
        }
        Ok(message)
    }

    /// The seqno.
    pub fn seqno(&self) -> i64 {
        self.seqno
    }

    /// The hash: BLAKE2b-32 of the message as received (or as produced by the merge).
    pub fn hash(&self) -> &[u8; 32] {
        &self.hash
    }

    /// (seqno, hash), the message's order in merges.
    pub fn seqno_hash(&self) -> SeqnoHash {
        (self.seqno, self.hash)
    }

    /// The data.
    pub fn data(&self) -> &Dict {
        &self.data
    }

    /// This message's own diff.
    pub fn diff(&self) -> &Diff {
        &self.diff
    }

    /// The lagged diffs it carries (all of them, including any outside the serialized window).
    pub fn lagged_diffs(&self) -> &LaggedDiffs {
        &self.lagged
    }

    /// The verified (or trusted) signature it was parsed with.
    pub fn signature(&self) -> Option<&[u8; 64]> {
        self.signature.as_ref()
    }

    /// The lag setting.
    pub fn lag(&self) -> i64 {
        self.lag
    }

    /// After a merge: the index of the input used as-is, or `None` if a new merged message was
    /// produced.
    pub fn unmerged_index(&self) -> Option<usize> {
        self.unmerged
    }

    /// Whether this message was produced by merging several (as opposed to parsed, or taken
    /// as-is from a merge's inputs).
    pub fn merged(&self) -> bool {
        self.unmerged.is_none()
    }

    /// Serializes the message. A kept signature is written back; otherwise, with a `signer`
    /// and `enable_signing`, a fresh signature is appended.
    pub fn serialize(&self, signer: Option<&Keypair>, enable_signing: bool) -> Vec<u8> {
        self.serialize_with(&self.diff, signer, enable_signing)
    }

    /// Serializes with `diff` as the `=` value.
    pub(crate) fn serialize_with(
        &self,
        diff: &Diff,
        signer: Option<&Keypair>,
        enable_signing: bool,
    ) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.push(b'd');
        write_bytes(&mut out, b"#");
        write_int(&mut out, self.seqno);
        let mut unknown = self.unknown.iter().peekable();
        let mut unknown_before = |out: &mut Vec<u8>, bound: &[u8]| {
            while let Some((key, raw)) = unknown.next_if(|(k, _)| k.as_slice() < bound) {
                write_bytes(out, key);
                out.extend_from_slice(raw);
            }
        };
        unknown_before(&mut out, b"&");
        write_bytes(&mut out, b"&");
        write_dict(&mut out, &self.data);
        unknown_before(&mut out, b"<");
        write_bytes(&mut out, b"<");
        out.push(b'l');
        let low = self.seqno.saturating_sub(self.lag);
        for ((seqno, hash), lagged) in &self.lagged {
            if *seqno <= low || *seqno >= self.seqno {
                continue;
            }
            out.push(b'l');
            write_int(&mut out, *seqno);
            write_bytes(&mut out, hash);
            write_diff(&mut out, lagged);
            out.push(b'e');
        }
        out.push(b'e');
        unknown_before(&mut out, b"=");
        write_bytes(&mut out, b"=");
        write_diff(&mut out, diff);
        unknown_before(&mut out, b"~");
        if let Some(sig) = &self.signature {
            write_bytes(&mut out, b"~");
            write_bytes(&mut out, sig);
        } else if let (Some(signer), true) = (signer, enable_signing) {
            // The signature covers everything before its own key.
            let sig = signer.sign(&out);
            write_bytes(&mut out, b"~");
            write_bytes(&mut out, &sig);
        }
        out.push(b'e');
        out
    }
}

/// Reads the `<` list: `[[seqno, hash32, diff], …]`, strictly increasing by (seqno, hash),
/// every seqno below the message's; entries at or below `seqno - lag` are dropped.
fn read_lagged(
    items: &[session_bt::Value<'_>],
    seqno: i64,
    lag: i64,
) -> Result<LaggedDiffs, ParseError> {
    let mut lagged = LaggedDiffs::new();
    for item in items {
        let parts = item
            .as_list()
            .ok_or(ParseError::InvalidLaggedDiff("entry is not a list"))?;
        let lag_seqno = parts
            .first()
            .and_then(|v| v.as_i64())
            .ok_or(ParseError::InvalidLaggedDiff("seqno is not an integer"))?;
        if lag_seqno >= seqno {
            return Err(ParseError::InvalidLaggedDiff(
                "lagged seqno >= current seqno",
            ));
        }
        if lag_seqno <= seqno.saturating_sub(lag) {
            continue;
        }
        let hash: [u8; 32] = parts
            .get(1)
            .and_then(|v| v.as_bytes())
            .and_then(|b| b.try_into().ok())
            .ok_or(ParseError::InvalidLaggedDiff("hash must be 32 bytes"))?;
        let key = (lag_seqno, hash);
        if lagged
            .last_key_value()
            .is_some_and(|(last, _)| *last >= key)
        {
            return Err(ParseError::InvalidLaggedDiff(
                "unsorted or duplicate entries",
            ));
        }
        let diff = parts
            .get(2)
            .filter(|v| matches!(v.kind(), Kind::Dict(_)))
            .ok_or(ParseError::InvalidLaggedDiff("diff is not a dict"))
            .and_then(read_diff)?;
        if parts.len() != 3 {
            return Err(ParseError::InvalidLaggedDiff("expected 3 elements"));
        }
        lagged.insert(key, diff);
    }
    Ok(lagged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_message_bytes() {
        let m = ConfigMessage::empty(DEFAULT_LAG);
        assert_eq!(m.serialize(None, true), b"d1:#i0e1:&de1:<le1:=dee");
    }

    #[test]
    fn unknown_keys_round_trip() {
        let bytes = b"d1:#i3e1:$i9e1:&d1:ai1ee1:<le1:=de1:>3:xyz1:}i1ee";
        let m = ConfigMessage::parse(bytes, None, DEFAULT_LAG, false).unwrap();
        assert_eq!(m.serialize(None, false), bytes);
    }

    #[test]
    fn rejects_bad_layouts() {
        for (bytes, err) in [
            (&b"d1:!i1e1:#i1e1:&dee"[..], ParseError::MissingSeqno),
            (b"d1:#i1ee", ParseError::MissingData),
            (b"d1:#i1e1:&i1ee", ParseError::MissingData),
            (b"d1:#i1e1:&de1:~3:abce", ParseError::SignatureLength),
            (
                b"d1:#i1e1:&de1:=d1:a1:xee",
                ParseError::InvalidDiff("scalar change not '' or '-'"),
            ),
            (
                b"d1:#i1e1:&de1:<lli1e32:0123456789abcdef0123456789abcdefdeeee",
                ParseError::InvalidLaggedDiff("lagged seqno >= current seqno"),
            ),
        ] {
            assert_eq!(
                ConfigMessage::parse(bytes, None, DEFAULT_LAG, false),
                Err(err)
            );
        }
        assert_eq!(
            ConfigMessage::parse(b"d1:#i1e1:&dee", Some(&[0; 32]), DEFAULT_LAG, false),
            Err(ParseError::MissingSignature)
        );
    }
}
