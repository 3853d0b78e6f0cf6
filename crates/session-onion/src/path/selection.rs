//! Random choices from an explicit RNG, and the /24-diverse draw that picks relays.

use rand_core::Rng;

use super::node::{Node, Subnet24};

/// A uniformly random index below `len`; `None` when `len` is 0.
pub(crate) fn random_index<R: Rng + ?Sized>(rng: &mut R, len: usize) -> Option<usize> {
    let n = u64::try_from(len).ok().filter(|&n| n > 0)?;
    // Plain `x % n` would favour small indices; rejecting the top partial block of
    // `u64` values removes that bias (it is hit with probability below n / 2^64).
    let limit = u64::MAX - u64::MAX % n;
    loop {
        let x = rng.next_u64();
        if x < limit {
            return usize::try_from(x % n).ok();
        }
    }
}

/// A uniformly random element.
pub(crate) fn choose<'a, T, R: Rng + ?Sized>(rng: &mut R, items: &'a [T]) -> Option<&'a T> {
    items.get(random_index(rng, items.len())?)
}

/// Draws `count` nodes, no two in one /24 and none in `exclude`, or `None` if the
/// candidates cannot supply that many /24s.
///
/// Each draw is uniform over the remaining nodes, so a /24 is chosen with a weight equal to
/// its number of candidates, which is what desktop's one-random-node-per-subnet list gives.
/// Drawing greedily never fails when an answer exists, since each pick removes exactly one
/// /24 from play.
pub(crate) fn pick_diverse<R: Rng + ?Sized>(
    rng: &mut R,
    mut candidates: Vec<&Node>,
    exclude: &[Subnet24],
    count: usize,
) -> Option<Vec<Node>> {
    let mut taken = exclude.to_vec();
    let mut picked = Vec::with_capacity(count);
    for _ in 0..count {
        candidates.retain(|n| !taken.contains(&n.subnet24()));
        let node = candidates.swap_remove(random_index(rng, candidates.len())?);
        taken.push(node.subnet24());
        picked.push(node.clone());
    }
    Some(picked)
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    use super::*;

    fn node(i: u8, subnet: u8) -> Node {
        Node {
            ed25519: [i; 32],
            x25519: [i; 32],
            ip: Ipv4Addr::new(10, 0, subnet, i),
            https_port: 1,
            quic_port: 2,
            swarm_id: 0,
        }
    }

    #[test]
    fn indices_stay_in_range_and_cover_it() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        assert_eq!(random_index(&mut rng, 0), None);
        let mut seen = [false; 5];
        for _ in 0..200 {
            let i = random_index(&mut rng, 5).unwrap();
            seen[i] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn diverse_draw_uses_distinct_subnets_or_fails() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let nodes = [node(1, 1), node(2, 1), node(3, 2), node(4, 3)];
        let refs: Vec<&Node> = nodes.iter().collect();
        for _ in 0..50 {
            let picked = pick_diverse(&mut rng, refs.clone(), &[node(9, 3).subnet24()], 2).unwrap();
            assert_ne!(picked[0].subnet24(), picked[1].subnet24());
            assert!(picked.iter().all(|n| n.ip.octets()[2] != 3));
        }
        assert_eq!(
            pick_diverse(&mut rng, refs, &[node(9, 3).subnet24()], 3),
            None
        );
    }
}
