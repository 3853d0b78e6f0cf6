//! Multipart configs (libsession-util.md §11.7): a padded plaintext too large for one
//! 76,800-byte message is cut into parts, each `'m' || bencode([final_hash, index, count,
//! chunk])` and encrypted on its own; receivers collect the parts by the BLAKE2b-32 hash of the
//! whole, check it, and then treat the result like a single-part plaintext.
//!
//! Incomplete sets are kept for 7 days after their last part; completed (or self-pushed) sets
//! are remembered for 14 days so that their parts are recognised as already handled. Time
//! comes in as an argument (milliseconds since the Unix epoch).

use std::collections::BTreeMap;

use session_bt::{Kind, write_bytes};
use session_crypto::blake2b;

use crate::compress::decompress;
use crate::encrypt::{ENCRYPT_OVERHEAD, encrypt, strip_padding};
use crate::error::{Error, Result};

/// The storage server's limit on one message, and so on one part.
pub const MAX_MESSAGE_SIZE: usize = 76_800;

/// The largest (padded, compressed) config this crate will split into parts.
pub const MAX_MULTIPART_SIZE: usize = 5_000_000;

/// Part framing: `m`, `l…e`, `32:` + hash, `1:` + index, `1:` + count, and a data length
/// prefix of up to 6 characters.
const ENCODE_OVERHEAD: usize = 1 + 2 + 3 + 32 + 2 + 1 + 2 + 1 + 6;

/// The largest chunk of data in one part.
pub const MAX_CHUNK_SIZE: usize = MAX_MESSAGE_SIZE - ENCODE_OVERHEAD - ENCRYPT_OVERHEAD;

/// How long an incomplete set waits for its other parts.
pub const MAX_WAIT_MS: u64 = 7 * 24 * 3600 * 1000;

/// How long a completed set is remembered.
pub const MAX_REMEMBER_MS: u64 = 14 * 24 * 3600 * 1000;

/// Splits a padded plaintext into encrypted parts, returning them with the final hash.
///
/// # Errors
///
/// [`Error::TooLarge`] above [`MAX_MULTIPART_SIZE`].
pub fn split(
    message: &[u8],
    key_base: &[u8; 32],
    domain: &str,
) -> Result<([u8; 32], Vec<Vec<u8>>)> {
    if message.len() > MAX_MULTIPART_SIZE {
        return Err(Error::TooLarge(message.len()));
    }
    let final_hash = blake2b::hash::<32>(&[message]);
    let chunks: Vec<&[u8]> = message.chunks(MAX_CHUNK_SIZE).collect();
    let count = u8::try_from(chunks.len()).map_err(|_| Error::TooLarge(message.len()))?;
    let mut parts = Vec::with_capacity(chunks.len());
    for (index, chunk) in (0u8..).zip(chunks) {
        let mut part = Vec::with_capacity(chunk.len() + ENCODE_OVERHEAD);
        part.push(b'm');
        part.push(b'l');
        write_bytes(&mut part, &final_hash);
        write_bytes(&mut part, &[index]);
        write_bytes(&mut part, &[count]);
        write_bytes(&mut part, chunk);
        part.push(b'e');
        parts.push(encrypt(&part, key_base, domain)?);
    }
    Ok((final_hash, parts))
}

/// One received part. `Debug` shows the chunk's length, not its bytes (plaintext).
#[derive(Clone, PartialEq, Eq)]
pub struct Part {
    /// Its position, from 0.
    pub index: u8,
    /// The swarm hash of the message that carried it.
    pub message_hash: String,
    /// Its chunk of the padded plaintext.
    pub data: Vec<u8>,
}

impl core::fmt::Debug for Part {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Part")
            .field("index", &self.index)
            .field("message_hash", &self.message_hash)
            .field("len", &self.data.len())
            .finish()
    }
}

/// The parts of one set received so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartialSet {
    /// The number of parts (0 once done).
    pub count: u8,
    /// Parts by increasing index.
    pub parts: Vec<Part>,
    /// Whether the set was completed (or pushed by us); its parts are then dropped.
    pub done: bool,
    /// When the set is forgotten; `None` until the next call that knows the time.
    pub expiry_ms: Option<u64>,
}

/// A completed set: the hashes of its messages and the reassembled plaintext (unpadded and
/// decompressed, starting with `d`). `Debug` shows the plaintext's length only.
#[derive(Clone, PartialEq, Eq)]
pub struct Completed {
    /// The swarm hashes of the parts, in part order.
    pub message_hashes: Vec<String>,
    /// The config message.
    pub plaintext: Vec<u8>,
}

impl core::fmt::Debug for Completed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Completed")
            .field("message_hashes", &self.message_hashes)
            .field("len", &self.plaintext.len())
            .finish()
    }
}

/// The multipart sets being collected, by final hash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Multiparts {
    /// The sets.
    pub sets: BTreeMap<[u8; 32], PartialSet>,
}

/// A parsed part: final hash, index, count, chunk.
type ParsedPart<'a> = ([u8; 32], u8, u8, &'a [u8]);

/// Parses a decrypted, unpadded part (starting with `m`).
pub fn parse_part(plaintext: &[u8]) -> Result<ParsedPart<'_>> {
    if plaintext.len() > MAX_MESSAGE_SIZE {
        return Err(Error::Multipart("part exceeds the message size limit"));
    }
    let body = plaintext
        .strip_prefix(b"m")
        .ok_or(Error::Multipart("not a part"))?;
    let value = session_bt::decode(body).map_err(|_| Error::Multipart("not a bt list"))?;
    let Kind::List(items) = value.kind() else {
        return Err(Error::Multipart("not a bt list"));
    };
    let [hash, index, count, data] = items.as_slice() else {
        return Err(Error::Multipart("expected 4 elements"));
    };
    let hash: [u8; 32] = hash
        .as_bytes()
        .and_then(|b| b.try_into().ok())
        .ok_or(Error::Multipart("final hash must be 32 bytes"))?;
    let (Some(&[index]), Some(&[count])) = (index.as_bytes(), count.as_bytes()) else {
        return Err(Error::Multipart("part numbers must be 1-byte strings"));
    };
    if count <= 1 || index >= count {
        return Err(Error::Multipart("invalid part numbering"));
    }
    let data = data
        .as_bytes()
        .filter(|d| !d.is_empty())
        .ok_or(Error::Multipart("empty data"))?;
    Ok((hash, index, count, data))
}

impl Multiparts {
    /// Takes a decrypted, unpadded part. `Ok(None)`: stored, or a duplicate of something already
    /// handled (either way the message is accepted); `Ok(Some)`: it completed a set.
    ///
    /// # Errors
    ///
    /// [`Error::Multipart`] for a malformed part, a count that disagrees with earlier parts,
    /// or a completed set whose hash or contents are wrong; [`Error::DecompressionFailed`].
    pub fn accept(
        &mut self,
        message_hash: &str,
        plaintext: &[u8],
        now_ms: u64,
    ) -> Result<Option<Completed>> {
        let (final_hash, index, count, data) = parse_part(plaintext)?;
        let set = self.sets.entry(final_hash).or_default();
        if set.done {
            return Ok(None);
        }
        if set.parts.is_empty() {
            set.count = count;
        } else if set.count != count {
            return Err(Error::Multipart("part count differs from earlier parts"));
        }
        let at = set.parts.partition_point(|p| p.index < index);
        if set.parts.get(at).is_some_and(|p| p.index == index) {
            return Ok(None);
        }
        set.parts.insert(
            at,
            Part {
                index,
                message_hash: message_hash.to_owned(),
                data: data.to_vec(),
            },
        );
        if set.parts.len() < usize::from(set.count) {
            set.expiry_ms = Some(now_ms.saturating_add(MAX_WAIT_MS));
            return Ok(None);
        }

        let whole: Vec<u8> = set
            .parts
            .iter()
            .flat_map(|p| p.data.iter().copied())
            .collect();
        if blake2b::hash::<32>(&[&whole]) != final_hash {
            return Err(Error::Multipart("reassembled hash mismatch"));
        }
        let message_hashes = set.parts.drain(..).map(|p| p.message_hash).collect();
        set.done = true;
        set.count = 0;
        set.expiry_ms = Some(now_ms.saturating_add(MAX_REMEMBER_MS));

        let unpadded = strip_padding(&whole);
        let plaintext = match unpadded.split_first() {
            Some((b'z', frame)) => {
                let inflated = decompress(frame)?;
                if inflated.is_empty() {
                    return Err(Error::DecompressionFailed);
                }
                inflated
            }
            _ => unpadded.to_vec(),
        };
        if plaintext.first() != Some(&b'd') {
            return Err(Error::UnsupportedPlaintext);
        }
        Ok(Some(Completed {
            message_hashes,
            plaintext,
        }))
    }

    /// Marks a set as handled (we pushed it), to be remembered from the next timed call.
    pub fn mark_done(&mut self, final_hash: [u8; 32]) {
        self.sets.insert(
            final_hash,
            PartialSet {
                done: true,
                ..PartialSet::default()
            },
        );
    }

    /// Forgets expired sets; sets without an expiry get the remember period from `now_ms`.
    pub fn expire(&mut self, now_ms: u64) {
        for set in self.sets.values_mut() {
            if set.expiry_ms.is_none() {
                set.expiry_ms = Some(now_ms.saturating_add(MAX_REMEMBER_MS));
            }
        }
        self.sets
            .retain(|_, set| set.expiry_ms.is_some_and(|expiry| expiry >= now_ms));
    }

    /// The message hashes of incomplete sets (which may hold a newer config).
    pub fn pending_hashes(&self) -> impl Iterator<Item = &str> {
        self.sets
            .values()
            .filter(|s| !s.done)
            .flat_map(|s| s.parts.iter().map(|p| p.message_hash.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encrypt::{decrypt, pad_message};

    fn big_message() -> Vec<u8> {
        // Incompressible-ish data so that it needs parts.
        let mut data = b"d1:#i1e1:&d1:x".to_vec();
        let blob: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        data.extend_from_slice(format!("{}:", blob.len()).as_bytes());
        data.extend_from_slice(&blob);
        data.extend_from_slice(b"e1:<le1:=dee");
        data
    }

    #[test]
    fn split_and_reassemble_in_any_order() {
        let key = [9u8; 32];
        let mut message = big_message();
        let plain = message.clone();
        pad_message(&mut message);
        let (hash, parts) = split(&message, &key, "Contacts").unwrap();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.len() <= MAX_MESSAGE_SIZE));
        let decrypted: Vec<Vec<u8>> = parts
            .iter()
            .map(|p| decrypt(p, &key, "Contacts").unwrap())
            .collect();
        let mut multi = Multiparts::default();
        assert_eq!(multi.accept("h2", &decrypted[2], 0).unwrap(), None);
        assert_eq!(multi.accept("h2", &decrypted[2], 0).unwrap(), None);
        assert_eq!(multi.accept("h0", &decrypted[0], 0).unwrap(), None);
        assert_eq!(multi.pending_hashes().count(), 2);
        let done = multi.accept("h1", &decrypted[1], 0).unwrap().unwrap();
        assert_eq!(done.message_hashes, ["h0", "h1", "h2"]);
        assert_eq!(done.plaintext, plain);
        // Parts of a completed set are recognised, not reassembled again.
        assert_eq!(multi.accept("h1", &decrypted[1], 1).unwrap(), None);
        assert!(multi.sets[&hash].done);
        multi.expire(MAX_REMEMBER_MS + 1);
        assert!(multi.sets.is_empty());
    }

    #[test]
    fn bad_parts_are_refused() {
        let h = [1u8; 32];
        let part = |idx: u8, count: u8, data: &[u8]| {
            let mut p = b"ml".to_vec();
            write_bytes(&mut p, &h);
            write_bytes(&mut p, &[idx]);
            write_bytes(&mut p, &[count]);
            write_bytes(&mut p, data);
            p.push(b'e');
            p
        };
        let mut multi = Multiparts::default();
        assert!(multi.accept("a", &part(0, 1, b"x"), 0).is_err());
        assert!(multi.accept("a", &part(2, 2, b"x"), 0).is_err());
        assert!(multi.accept("a", &part(0, 2, b""), 0).is_err());
        assert!(multi.accept("a", b"mle", 0).is_err());
        assert_eq!(multi.accept("a", &part(0, 2, b"x"), 0).unwrap(), None);
        assert!(multi.accept("b", &part(1, 3, b"y"), 0).is_err());
        // Complete, but the hash is wrong.
        assert_eq!(
            multi.accept("b", &part(1, 2, b"y"), 0),
            Err(Error::Multipart("reassembled hash mismatch"))
        );
    }
}
