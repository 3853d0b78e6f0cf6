//! Session recovery phrases: 13 English words that encode a 16-byte account seed.
//!
//! The scheme is the Monero/Electrum-style one that Session clients use. The seed is split
//! into four 32-bit little-endian groups. Each group `x` becomes three word indices
//! (with `n` = 1626 words):
//!
//! - `w1 = x mod n`
//! - `w2 = (x / n + w1) mod n`
//! - `w3 = (x / n² + w2) mod n`
//!
//! A 13th checksum word repeats one of the 12: the crc32 of the concatenated 3-letter
//! prefixes, modulo 12, picks which one.
//!
//! Words are identified by their first three letters, so decoding accepts `puffin`, `puf`
//! and `PUFFINS` alike.
//!
//! ```
//! use session_identity::mnemonic;
//!
//! let seed = [0x42; 16];
//! let phrase = mnemonic::encode(&seed);
//! assert_eq!(phrase.words().count(), mnemonic::WORD_COUNT);
//! assert_eq!(*mnemonic::decode(phrase.as_str())?, seed);
//! # Ok::<(), mnemonic::MnemonicError>(())
//! ```

use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::wordlist;

/// Number of words in a recovery phrase: 12 data words and 1 checksum word.
pub const WORD_COUNT: usize = 13;

/// Number of data words (everything except the checksum word).
const DATA_WORDS: usize = WORD_COUNT - 1;

/// Size of the seed that a phrase encodes.
const SEED_LEN: usize = 16;

/// The word-list size as the modulus of the encoding arithmetic.
const N: u32 = wordlist::LEN as u32;

/// A recovery phrase: 13 words separated by single spaces, in lower case.
///
/// The text is wiped from memory on drop. `Debug` is redacted, but `Display` writes the
/// phrase, because showing it to the user is the point. Comparison runs in constant time
/// (it may still reveal the lengths).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RecoveryPhrase(String);

impl RecoveryPhrase {
    /// The phrase as text: lower-case words separated by single spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The words of the phrase, in order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.0.split(' ')
    }
}

impl fmt::Debug for RecoveryPhrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryPhrase(<redacted>)")
    }
}

impl fmt::Display for RecoveryPhrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ConstantTimeEq for RecoveryPhrase {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.as_bytes().ct_eq(other.0.as_bytes())
    }
}

impl PartialEq for RecoveryPhrase {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for RecoveryPhrase {}

/// Why a recovery phrase could not be decoded.
///
/// Messages never contain the phrase or any word of it; [`MnemonicError::UnknownWord`]
/// carries the unknown word in a field for callers that want to show it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MnemonicError {
    /// The phrase does not have exactly [`WORD_COUNT`] words.
    #[error("a recovery phrase has {expected} words, but {found} were given")]
    WrongWordCount {
        /// The required number of words ([`WORD_COUNT`]).
        expected: usize,
        /// The number of words given.
        found: usize,
    },
    /// A word matches no word of the list by its 3-letter prefix. The message names its
    /// position only: the word itself is part of a secret, kept in the field for the caller.
    #[error("word {position} of the recovery phrase is not in the word list")]
    UnknownWord {
        /// The word's 1-based position in the phrase.
        position: usize,
        /// The word as given.
        word: String,
    },
    /// The checksum word does not match the other 12: a word is probably mistyped.
    #[error("the recovery phrase's checksum word does not match; check the words for typos")]
    ChecksumMismatch,
    /// Three words that pass the checksum do not encode any 32-bit value.
    #[error("words {position} to {} do not encode a valid seed", .position + 2)]
    InvalidWordSequence {
        /// The 1-based position of the first word of the offending three-word group.
        position: usize,
    },
}

/// Encodes a 16-byte seed as a recovery phrase.
pub fn encode(seed: &[u8; SEED_LEN]) -> RecoveryPhrase {
    let mut indices = Zeroizing::new([0u16; DATA_WORDS]);
    let (groups, _) = seed.as_chunks::<4>();
    let (slots, _) = indices.as_chunks_mut::<3>();
    for (slot, group) in slots.iter_mut().zip(groups) {
        let x = Zeroizing::new(u32::from_le_bytes(*group));
        let w1 = *x % N;
        let w2 = (*x / N + w1) % N;
        let w3 = (*x / N / N + w2) % N;
        *slot = [to_index(w1), to_index(w2), to_index(w3)];
    }
    let checksum = indices.get(checksum_index(&indices)).copied().unwrap_or(0);

    let all = || {
        indices
            .iter()
            .chain(Some(&checksum))
            .map(|&i| wordlist::word(i))
    };
    // Allocate exactly once so that no partial copy is left behind by a reallocation.
    let len = all().map(str::len).sum::<usize>() + WORD_COUNT - 1;
    let mut phrase = String::with_capacity(len);
    for (i, word) in all().enumerate() {
        if i > 0 {
            phrase.push(' ');
        }
        phrase.push_str(word);
    }
    RecoveryPhrase(phrase)
}

/// Decodes a recovery phrase into its 16-byte seed.
///
/// The phrase must have exactly [`WORD_COUNT`] words. Any Unicode whitespace separates
/// words, and case does not matter. Each word is matched by its first three letters;
/// a shorter word must equal a list word.
///
/// # Errors
///
/// See [`MnemonicError`]. The checks run in this order: word count, unknown words
/// (first one reported), checksum, then the arithmetic of each three-word group.
pub fn decode(phrase: &str) -> Result<Zeroizing<[u8; SEED_LEN]>, MnemonicError> {
    let words: [&str; WORD_COUNT] = phrase
        .split_whitespace()
        .collect::<Vec<_>>()
        .try_into()
        .map_err(|words: Vec<&str>| MnemonicError::WrongWordCount {
            expected: WORD_COUNT,
            found: words.len(),
        })?;
    let [data_words @ .., checksum_word] = &words;

    let mut indices = Zeroizing::new([0u16; DATA_WORDS]);
    for (position, (slot, word)) in (1..).zip(indices.iter_mut().zip(data_words)) {
        *slot = lookup(position, word)?;
    }
    let checksum = lookup(WORD_COUNT, checksum_word)?;

    if indices.get(checksum_index(&indices)) != Some(&checksum) {
        return Err(MnemonicError::ChecksumMismatch);
    }

    let n = u64::from(N);
    let mut seed = Zeroizing::new([0u8; SEED_LEN]);
    let (out, _) = seed.as_chunks_mut::<4>();
    let (groups, _) = indices.as_chunks::<3>();
    for ((position, out), group) in (1..).step_by(3).zip(out).zip(groups) {
        let [w1, w2, w3] = group.map(u64::from);
        let x = Zeroizing::new(w1 + n * ((n + w2 - w1) % n) + n * n * ((n + w3 - w2) % n));
        // `x mod n == w1` always holds for in-range indices; it mirrors the reference check.
        let x = Zeroizing::new(
            u32::try_from(*x)
                .ok()
                .filter(|x| u64::from(*x) % n == w1)
                .ok_or(MnemonicError::InvalidWordSequence { position })?,
        );
        *out = x.to_le_bytes();
    }
    Ok(seed)
}

/// Converts a value already reduced modulo [`N`] to a word index.
fn to_index(reduced: u32) -> u16 {
    // Lossless: `reduced % N < 1626`.
    (reduced % N) as u16
}

/// Finds a word of the phrase in the list, case-insensitively.
fn lookup(position: usize, word: &str) -> Result<u16, MnemonicError> {
    let lowercase = Zeroizing::new(word.to_lowercase());
    wordlist::lookup(&lowercase).ok_or_else(|| MnemonicError::UnknownWord {
        position,
        word: word.to_owned(),
    })
}

/// Which of the data words the checksum word repeats.
fn checksum_index(indices: &[u16; DATA_WORDS]) -> usize {
    let mut crc = crc32fast::Hasher::new();
    for &index in indices {
        crc.update(wordlist::prefix(wordlist::word(index)).as_bytes());
    }
    // Lossless: the remainder is below 12.
    (crc.finalize() % DATA_WORDS as u32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// From the `@session.js/mnemonic` tests and README.
    const PUFFIN: &str =
        "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
    const PUFFIN_SEED: &str = "39038c8988db02c1af44e8c847bd9713";

    /// Seed of 13 × "session" ("session" is word 1244 = 0x04dc, so every group is 1244).
    /// The key-derivation tests pin its Session ID, `0512742f…664b12`.
    const SESSION_SEED: &str = "dc040000dc040000dc040000dc040000";

    fn seed(hex_seed: &str) -> [u8; 16] {
        let mut out = [0u8; 16];
        hex::decode_to_slice(hex_seed, &mut out).unwrap();
        out
    }

    /// Builds a phrase from 12 data indices plus their correct checksum word.
    fn phrase_from_indices(indices: [u16; DATA_WORDS]) -> String {
        let checksum = indices[checksum_index(&indices)];
        indices
            .iter()
            .chain(Some(&checksum))
            .map(|&i| wordlist::word(i))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn puffin_vector_encodes() {
        let phrase = encode(&seed(PUFFIN_SEED));
        assert_eq!(phrase.as_str(), PUFFIN);
        assert_eq!(phrase.to_string(), PUFFIN);
        assert_eq!(phrase.words().count(), WORD_COUNT);
        assert_eq!(phrase.words().next(), Some("puffin"));
        assert_eq!(phrase.words().last(), Some("kiwi"));
    }

    #[test]
    fn puffin_vector_decodes() {
        assert_eq!(*decode(PUFFIN).unwrap(), seed(PUFFIN_SEED));
    }

    #[test]
    fn thirteen_sessions_decode() {
        let phrase = ["session"; WORD_COUNT].join(" ");
        let decoded = decode(&phrase).unwrap();
        assert_eq!(*decoded, seed(SESSION_SEED));
        assert_eq!(encode(&decoded).as_str(), phrase);
    }

    #[test]
    fn more_session_js_vectors_decode() {
        // Same test file as `PUFFIN`; the Session IDs are pinned by the key-derivation tests.
        let love = ["love"; WORD_COUNT].join(" ");
        assert_eq!(
            *decode(&love).unwrap(),
            seed("37030000370300003703000037030000")
        );
        let ab0ba = "unknown number jukebox pledge lipstick sieve tumbling federal \
                     womanly outbreak tapestry gorilla sieve";
        assert_eq!(
            *decode(ab0ba).unwrap(),
            seed("ec45addd629e84472edbfab1f7deee83")
        );
        assert_eq!(
            encode(&seed("ec45addd629e84472edbfab1f7deee83")).as_str(),
            ab0ba
        );
    }

    #[test]
    fn prefixes_case_and_whitespace_are_accepted() {
        let sloppy = "  PUF\tluxuries annoy rust\u{3000}MEMO fax smidgens pud kiwi nyl \
                      uto zin\n kiwis ";
        assert_eq!(*decode(sloppy).unwrap(), seed(PUFFIN_SEED));
    }

    #[test]
    fn wrong_word_count() {
        let twelve = PUFFIN.rsplit_once(' ').unwrap().0;
        assert_eq!(
            decode(twelve).unwrap_err(),
            MnemonicError::WrongWordCount {
                expected: 13,
                found: 12
            }
        );
        assert_eq!(
            decode("").unwrap_err(),
            MnemonicError::WrongWordCount {
                expected: 13,
                found: 0
            }
        );
        let fourteen = format!("{PUFFIN} kiwi");
        assert_eq!(
            decode(&fourteen).unwrap_err(),
            MnemonicError::WrongWordCount {
                expected: 13,
                found: 14
            }
        );
    }

    #[test]
    fn unknown_word_is_reported_with_its_position() {
        let phrase = PUFFIN.replace("rustled", "xqzzy");
        assert_eq!(
            decode(&phrase).unwrap_err(),
            MnemonicError::UnknownWord {
                position: 4,
                word: "xqzzy".into()
            }
        );
        // Too short to have a prefix, and no list word is that short.
        let phrase = PUFFIN.replacen("puffin", "pu", 1);
        assert_eq!(
            decode(&phrase).unwrap_err(),
            MnemonicError::UnknownWord {
                position: 1,
                word: "pu".into()
            }
        );
        // The checksum word is looked up too; non-ASCII input does not panic.
        let phrase = format!("{} ÿéß", PUFFIN.rsplit_once(' ').unwrap().0);
        assert_eq!(
            decode(&phrase).unwrap_err(),
            MnemonicError::UnknownWord {
                position: 13,
                word: "ÿéß".into()
            }
        );
    }

    #[test]
    fn changed_checksum_word_is_rejected() {
        let phrase = format!("{} luxury", PUFFIN.rsplit_once(' ').unwrap().0);
        assert_eq!(
            decode(&phrase).unwrap_err(),
            MnemonicError::ChecksumMismatch
        );
    }

    #[test]
    fn changed_data_word_is_rejected() {
        let phrase = PUFFIN.replace("memoir", "session");
        assert_eq!(
            decode(&phrase).unwrap_err(),
            MnemonicError::ChecksumMismatch
        );
    }

    #[test]
    fn group_beyond_u32_is_rejected() {
        // w1 = n-1 with both differences n-1 gives x = n³ - 1 > u32::MAX.
        let last = wordlist::LEN as u16 - 1;
        let mut indices = [0u16; DATA_WORDS];
        indices[6..9].copy_from_slice(&[last, last - 1, last - 2]);
        let phrase = phrase_from_indices(indices);
        assert_eq!(
            decode(&phrase).unwrap_err(),
            MnemonicError::InvalidWordSequence { position: 7 }
        );
    }

    #[test]
    fn largest_group_round_trips() {
        let phrase = encode(&[0xff; 16]);
        assert_eq!(*decode(phrase.as_str()).unwrap(), [0xff; 16]);
    }

    #[test]
    fn debug_is_redacted_and_errors_do_not_leak_the_phrase() {
        let phrase = encode(&seed(PUFFIN_SEED));
        assert_eq!(format!("{phrase:?}"), "RecoveryPhrase(<redacted>)");
        let err = decode(&PUFFIN.replace("faxed", "xqzzy")).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("word 6"));
        assert!(!message.contains("xqzzy"));
        assert!(!message.contains("puffin"));
        assert!(!format!("{err:?}").contains("puffin"));
    }

    #[test]
    fn equality() {
        let a = encode(&seed(PUFFIN_SEED));
        assert_eq!(a, a.clone());
        assert_ne!(a, encode(&seed(SESSION_SEED)));
    }

    proptest! {
        #[test]
        fn round_trip(seed in any::<[u8; 16]>()) {
            let phrase = encode(&seed);
            prop_assert_eq!(phrase.words().count(), WORD_COUNT);
            prop_assert_eq!(*decode(phrase.as_str()).unwrap(), seed);
        }

        #[test]
        fn round_trip_upper_case_and_extra_whitespace(seed in any::<[u8; 16]>()) {
            let phrase = encode(&seed);
            let sloppy = format!(
                " \t{}\n ",
                phrase.as_str().to_uppercase().replace(' ', "  \t ")
            );
            prop_assert_eq!(*decode(&sloppy).unwrap(), seed);
        }
    }
}
