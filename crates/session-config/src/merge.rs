//! Merging several config messages into one, exactly as libsession's
//! `ConfigMessage(vector<configs>)` does (libsession-util.md §11.3).
//!
//! 1. Parse each input (with signature checks if a verifier is given); inputs that fail are
//!    reported by index and skipped.
//! 2. Drop duplicates (same seqno and hash), inputs already included in another input's
//!    lagged diffs, and inputs `lag` or more seqnos behind the newest.
//! 3. If one input is left it is the result, unchanged. If a verifier is set but we cannot
//!    sign, the highest (seqno, hash) input is the result.
//! 4. Otherwise the result gets seqno `max + 1`, starts from the data of the highest
//!    (seqno, hash) input and replays every diff (each input's own and its lagged ones, the
//!    first copy of each (seqno, hash) kept) in ascending (seqno, hash) order against the
//!    data of the input that carried it, so conflicting values resolve to the higher
//!    (seqno, hash). All replayed diffs become the result's lagged diffs.

use std::collections::BTreeMap;

use session_identity::Keypair;

use crate::diff::{Diff, apply};
use crate::error::{Error, ParseError};
use crate::message::{ConfigMessage, LaggedDiffs, SeqnoHash, message_hash};
use crate::value::{Dict, prune};

/// The outcome of a merge.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Merged {
    /// The resulting message; see [`ConfigMessage::unmerged_index`].
    pub message: ConfigMessage,
    /// The inputs that failed to parse, with why.
    pub rejected: Vec<(usize, ParseError)>,
}

/// Merges serialized config messages.
///
/// `verifier` is the Ed25519 key signatures must verify with (signed config types); `signer`
/// signs the merged result's hash (and, when absent with a verifier present, stops a merge).
///
/// # Errors
///
/// [`Error::NoValidConfigs`] when no input parses.
pub fn merge(
    inputs: &[&[u8]],
    verifier: Option<&[u8; 32]>,
    signer: Option<&Keypair>,
    lag: i64,
) -> Result<Merged, Error> {
    let mut rejected = Vec::new();
    // (index in `inputs`, message, redundant)
    let mut configs: Vec<(usize, ConfigMessage, bool)> = Vec::new();
    for (i, bytes) in inputs.iter().enumerate() {
        match ConfigMessage::parse(bytes, verifier, lag, false) {
            Ok(m) => configs.push((i, m, false)),
            Err(e) => rejected.push((i, e)),
        }
    }
    if configs.is_empty() {
        return Err(Error::NoValidConfigs);
    }

    let max_seqno = configs.iter().map(|c| c.1.seqno).max().unwrap_or(i64::MIN);
    for i in 0..configs.len() {
        let key = configs[i].1.seqno_hash();
        let redundant = configs.iter().enumerate().any(|(j, (_, other, _))| {
            j != i && (other.lagged.contains_key(&key) || (j < i && other.seqno_hash() == key))
        });
        let too_old = configs[i].1.seqno.saturating_add(lag) <= max_seqno;
        configs[i].2 = redundant || too_old;
    }

    let live = configs.iter().filter(|c| !c.2).count();
    if live == 1 || (verifier.is_some() && signer.is_none()) {
        // Either one input supersedes all others, or we may not sign a merge: the best one wins.
        let best = configs
            .into_iter()
            .max_by(|a, b| (!a.2, a.1.seqno_hash()).cmp(&(!b.2, b.1.seqno_hash())));
        let Some((index, mut message, _)) = best else {
            return Err(Error::NoValidConfigs);
        };
        message.unmerged = Some(index);
        return Ok(Merged { message, rejected });
    }

    let mut live: Vec<ConfigMessage> = configs.into_iter().filter(|c| !c.2).map(|c| c.1).collect();
    // Descending, so that the first copy of a shared diff kept is the higher message's.
    live.sort_by_key(|m| core::cmp::Reverse(m.seqno_hash()));

    let mut replay: BTreeMap<SeqnoHash, (&Dict, &Diff)> = BTreeMap::new();
    for m in &live {
        replay.entry(m.seqno_hash()).or_insert((&m.data, &m.diff));
        for (key, diff) in &m.lagged {
            replay.entry(*key).or_insert((&m.data, diff));
        }
    }

    let mut data = live.first().map(|m| m.data.clone()).unwrap_or_default();
    let mut lagged = LaggedDiffs::new();
    for (key, (source, diff)) in &replay {
        apply(&mut data, diff, source);
        lagged.insert(*key, (*diff).clone());
    }
    prune(&mut data);

    let mut message = ConfigMessage {
        seqno: max_seqno.saturating_add(1),
        hash: [0; 32],
        data,
        diff: Diff::new(),
        lagged,
        unknown: BTreeMap::new(),
        signature: None,
        lag,
        unmerged: None,
    };
    message.hash = message_hash(&message.serialize(signer, true));
    Ok(Merged { message, rejected })
}
