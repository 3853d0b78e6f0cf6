//! Keeping the current config messages alive: what we know of each hash's expiry, and the
//! `expire` a poll carries for those close to lapsing (`clients.md` §3, "config expiry
//! bump").

use std::collections::{BTreeSet, HashMap};

use crate::polling::Extra;
use crate::rpc::{Call, Expire, ExpireMode, ExpireResult, Reply, Signer, SubResult};

/// The expiries we know, by hash (from stores, retrieves and earlier extensions).
#[derive(Debug, Default)]
pub(crate) struct Expiries {
    known: HashMap<String, u64>,
}

/// An extension sent with a poll, to read back once answered.
#[derive(Debug)]
pub(crate) struct Refresh {
    expire: Expire,
    hashes: Vec<String>,
    expiry_ms: u64,
}

impl Expiries {
    /// Records that `hash` expires at `expiry_ms` (the later of what we knew and this).
    pub(crate) fn learn(&mut self, hash: &str, expiry_ms: u64) {
        let entry = self.known.entry(hash.to_owned()).or_insert(0);
        *entry = (*entry).max(expiry_ms);
    }

    /// The extension of the `active` hashes that expire before `now_ms + ttl_ms -
    /// margin_ms` or whose expiry is unknown, to `now_ms + ttl_ms`; `None` when none is due.
    /// Forgets hashes no longer active.
    pub(crate) fn due(
        &mut self,
        signer: &Signer,
        active: &BTreeSet<String>,
        now_ms: u64,
        ttl_ms: u64,
        margin_ms: u64,
    ) -> Option<Refresh> {
        self.known.retain(|hash, _| active.contains(hash));
        let threshold = now_ms.saturating_add(ttl_ms.saturating_sub(margin_ms));
        let hashes: Vec<String> = active
            .iter()
            .filter(|hash| self.known.get(*hash).is_none_or(|e| *e < threshold))
            .cloned()
            .collect();
        if hashes.is_empty() {
            return None;
        }
        let expiry_ms = now_ms.saturating_add(ttl_ms);
        // Extend only: an expiry we did not know of may already be later.
        let expire = Expire::new(signer, &hashes, expiry_ms, ExpireMode::Extend).ok()?;
        Some(Refresh {
            expire,
            hashes,
            expiry_ms,
        })
    }

    /// Reads the answer to `refresh`: the hashes a member confirmed now live to the new
    /// expiry (or the later one it reported unchanged).
    pub(crate) fn answered(&mut self, refresh: &Refresh, answer: Option<&SubResult>) {
        let Some(answer) = answer else {
            return;
        };
        match refresh.expire.parse_reply(answer.reply()) {
            Ok(Reply::Ok(ExpireResult { members, .. })) => {
                let Some((_, entry)) = members.verified().next() else {
                    return;
                };
                for hash in &refresh.hashes {
                    let expiry = entry
                        .unchanged
                        .get(hash)
                        .copied()
                        .unwrap_or(refresh.expiry_ms);
                    if entry.updated.contains(hash) || entry.unchanged.contains_key(hash) {
                        self.learn(hash, expiry);
                    }
                }
            }
            Ok(other) => tracing::debug!(?other, "config expiry extension refused"),
            Err(error) => tracing::debug!(%error, "config expiry extension unreadable"),
        }
    }
}

impl Refresh {
    /// The subrequest to send with the poll.
    pub(crate) fn extra(&self) -> Extra {
        Extra(self.expire.request().clone())
    }

    /// The hashes it extends.
    pub(crate) fn hashes(&self) -> &[String] {
        &self.hashes
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use session_crypto::Ed25519Seed;
    use session_identity::Keypair;

    use super::Expiries;
    use crate::rpc::Signer;

    const DAY: u64 = 86_400_000;
    const NOW: u64 = 1_700_000_000_000;

    fn signer() -> Signer {
        Signer::user(Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(
            [1; 32],
        )))
    }

    fn set(hashes: &[&str]) -> BTreeSet<String> {
        hashes.iter().map(|h| (*h).to_owned()).collect()
    }

    #[test]
    fn unknown_and_lapsing_hashes_are_due_and_fresh_ones_are_not() {
        let mut expiries = Expiries::default();
        expiries.learn("fresh", NOW + 30 * DAY);
        expiries.learn("lapsing", NOW + 28 * DAY);
        let active = set(&["fresh", "lapsing", "unknown"]);
        let refresh = expiries
            .due(&signer(), &active, NOW, 30 * DAY, DAY)
            .unwrap();
        assert_eq!(refresh.hashes(), ["lapsing", "unknown"]);
        assert_eq!(refresh.expiry_ms, NOW + 30 * DAY);

        // Learning a later expiry (an earlier one never lowers it) makes them fresh.
        expiries.learn("lapsing", NOW + 30 * DAY);
        expiries.learn("lapsing", NOW);
        expiries.learn("unknown", NOW + 30 * DAY);
        assert!(
            expiries
                .due(&signer(), &active, NOW, 30 * DAY, DAY)
                .is_none()
        );

        // Hashes no longer current are forgotten.
        assert!(
            expiries
                .due(&signer(), &set(&["fresh"]), NOW, 30 * DAY, DAY)
                .is_none()
        );
        assert_eq!(expiries.known.len(), 1);
    }
}
