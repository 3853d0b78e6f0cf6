//! Which swarm stores an account: the storage server's `pubkey_to_swarm_space` and
//! `get_swarm_by_pk` (`storage-server.md` §10), pinned by `swarm_space.json`,
//! `swarm_selection.json` and `swarm_boundaries.json`.

use crate::account::AccountId;

/// The swarm id of decommissioned nodes, never a real swarm.
pub const INVALID_SWARM_ID: u64 = u64::MAX;

/// XOR of the four big-endian 64-bit words of the key (the prefix byte does not count).
pub fn swarm_space(account: &AccountId) -> u64 {
    account.key().chunks_exact(8).fold(0u64, |acc, word| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        acc ^ u64::from_be_bytes(bytes)
    })
}

/// The swarm closest to `space` on the 64-bit ring, ties to the left; `None` without swarms.
/// `sorted_ids` must be ascending.
pub fn closest_swarm(sorted_ids: &[u64], space: u64) -> Option<u64> {
    let (&first, &last) = (sorted_ids.first()?, sorted_ids.last()?);
    if sorted_ids.len() == 1 {
        return Some(first);
    }
    let right_index = sorted_ids.partition_point(|&id| id < space);
    let (right, left) = match sorted_ids.get(right_index) {
        Some(&right) if right_index > 0 => (right, sorted_ids[right_index - 1]),
        Some(&right) => (right, last),
        None => (first, last),
    };
    let to_right = right.wrapping_sub(space);
    let to_left = space.wrapping_sub(left);
    Some(if to_right < to_left { right } else { left })
}

/// The swarm of `account` among `sorted_ids`.
pub fn swarm_for(sorted_ids: &[u64], account: &AccountId) -> Option<u64> {
    closest_swarm(sorted_ids, swarm_space(account))
}

/// Renders a swarm id as the storage server does: lowercase hex without zero padding.
pub fn swarm_id_hex(id: u64) -> String {
    format!("{id:x}")
}

/// `count` swarm ids spread evenly over the ring, offset by `offset` so that they do not
/// look synthetic (the real ids are arbitrary 64-bit numbers).
pub fn spread_swarm_ids(count: usize, offset: u64) -> Vec<u64> {
    let count = count.max(1) as u64;
    let step = u64::MAX / count;
    let mut ids: Vec<u64> = (0..count)
        .map(|i| (i * step).wrapping_add(offset))
        .filter(|&id| id != INVALID_SWARM_ID)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_swarm_takes_everything() {
        assert_eq!(closest_swarm(&[7], 0), Some(7));
        assert_eq!(closest_swarm(&[], 0), None);
    }

    #[test]
    fn spread_ids_are_distinct() {
        let ids = spread_swarm_ids(4, 12345);
        assert_eq!(ids.len(), 4);
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
