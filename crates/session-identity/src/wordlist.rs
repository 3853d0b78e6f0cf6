//! The English recovery-phrase word list (1626 words, 3-letter unique prefixes).
//!
//! The list is embedded from `data/mnemonic-english.txt` (see `data/README.md` for its
//! provenance). Its line count is checked at compile time, so every index below
//! [`LEN`] names a real word.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Number of words in the list (the `n` of the encoding arithmetic).
pub(crate) const LEN: usize = 1626;

/// Length of the unique prefix that identifies a word.
pub(crate) const PREFIX_LEN: usize = 3;

const RAW: &str = include_str!("../data/mnemonic-english.txt");

/// Counts the non-empty lines of `text` at compile time.
const fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let is_break = bytes[i] == b'\n' || bytes[i] == b'\r';
        if !is_break && !in_word {
            count += 1;
        }
        in_word = !is_break;
        i += 1;
    }
    count
}

const _: () = assert!(
    count_words(RAW) == LEN,
    "the word list must have 1626 words"
);

/// The words, in index order.
pub(crate) static WORDS: LazyLock<[&'static str; LEN]> = LazyLock::new(|| {
    let mut words = [""; LEN];
    for (slot, word) in words
        .iter_mut()
        .zip(RAW.lines().map(str::trim).filter(|w| !w.is_empty()))
    {
        *slot = word;
    }
    words
});

/// Maps each word's prefix (the whole word if it is shorter than [`PREFIX_LEN`]) to its index.
static BY_PREFIX: LazyLock<HashMap<&'static str, u16>> = LazyLock::new(|| {
    WORDS
        .iter()
        .zip(0u16..)
        .map(|(word, index)| (prefix(word), index))
        .collect()
});

/// The identifying prefix of `word`: its first [`PREFIX_LEN`] characters, or all of it if
/// it is shorter. Never splits a character.
pub(crate) fn prefix(word: &str) -> &str {
    match word.char_indices().nth(PREFIX_LEN) {
        Some((end, _)) => &word[..end],
        None => word,
    }
}

/// The word at `index`, which must be below [`LEN`].
pub(crate) fn word(index: u16) -> &'static str {
    WORDS.get(usize::from(index)).copied().unwrap_or("")
}

/// Finds the index of a lower-case word by its prefix.
pub(crate) fn lookup(lowercase_word: &str) -> Option<u16> {
    BY_PREFIX.get(prefix(lowercase_word)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn list_is_well_formed() {
        assert_eq!(WORDS.len(), LEN);
        assert_eq!(WORDS[0], "abbey");
        assert_eq!(WORDS[LEN - 1], "zoom");
        assert!(WORDS.iter().all(|w| w.len() >= PREFIX_LEN));
        assert!(
            WORDS
                .iter()
                .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
        );
        let prefixes: HashSet<_> = WORDS.iter().map(|w| prefix(w)).collect();
        assert_eq!(prefixes.len(), LEN, "prefixes must be unique");
        assert_eq!(BY_PREFIX.len(), LEN);
    }

    #[test]
    fn lookup_by_prefix() {
        let puffin = lookup("puffin").unwrap();
        assert_eq!(word(puffin), "puffin");
        assert_eq!(lookup("puf"), Some(puffin));
        assert_eq!(lookup("puffins"), Some(puffin));
        assert_eq!(lookup("pu"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("xqzzy"), None);
        assert_eq!(lookup("pü"), None);
        assert_eq!(prefix("éàü!"), "éàü");
    }

    #[test]
    fn word_out_of_range_is_empty() {
        assert_eq!(word(u16::MAX), "");
    }
}
