//! The storage server's swarm-mapping unit tests, as known-answer vectors: which swarm
//! stores an account (`swarm_space.json`, `swarm_selection.json`, `swarm_boundaries.json`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use session_localnet::AccountId;
use session_localnet::swarm_space::{closest_swarm, swarm_for, swarm_space};
use session_testkit::{VectorFile, str_field};

fn u64_field(case: &serde_json::Value, key: &str) -> u64 {
    str_field(case, key).parse().unwrap()
}

fn ids(case: &serde_json::Value) -> Vec<u64> {
    case["swarm_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn swarm_space_of_a_pubkey() {
    let file = VectorFile::load("storage-server/swarm_space.json");
    for case in file.cases() {
        let account = AccountId::from_hex(str_field(case, "pubkey_hex")).unwrap();
        assert_eq!(
            swarm_space(&account),
            u64_field(case, "swarm_space_u64"),
            "{case}"
        );
    }
    file.report("swarm space", file.cases().len());
}

#[test]
fn swarm_selection_by_pubkey() {
    let file = VectorFile::load("storage-server/swarm_selection.json");
    for case in file.cases() {
        let account = AccountId::from_hex(str_field(case, "pubkey_hex")).unwrap();
        assert_eq!(
            swarm_for(&ids(case), &account),
            Some(u64_field(case, "expected_swarm_id")),
            "{case}"
        );
    }
    file.report("swarm selection", file.cases().len());
}

#[test]
fn swarm_boundaries_are_where_selection_changes() {
    let file = VectorFile::load("storage-server/swarm_boundaries.json");
    for case in file.cases() {
        let ids = ids(case);
        let swarm = u64_field(case, "swarm_id");
        let (lo, hi) = (u64_field(case, "lo"), u64_field(case, "hi"));
        // (lo, hi] belongs to the swarm: lo itself and hi + 1 belong to its neighbours.
        assert_eq!(
            closest_swarm(&ids, lo.wrapping_add(1)),
            Some(swarm),
            "{case}"
        );
        assert_eq!(closest_swarm(&ids, hi), Some(swarm), "{case}");
        assert_ne!(closest_swarm(&ids, lo), Some(swarm), "{case}");
        assert_ne!(
            closest_swarm(&ids, hi.wrapping_add(1)),
            Some(swarm),
            "{case}"
        );
    }
    file.report("swarm boundaries", file.cases().len());
}
