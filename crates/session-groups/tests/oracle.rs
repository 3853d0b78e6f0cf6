//! Full key messages and supplements, byte for byte, against an independent re-implementation
//! of libsession's `keys.cpp` over the system libsodium (`data/libsodium_rekey_oracle.json`;
//! libsession's own tests pin no rekey bytes).

// Tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use session_crypto::Ed25519Seed;
use session_groups::{GroupIdentity, GroupKeys, LoadOutcome};
use session_identity::{Keypair, SessionId};

fn user(n: u32) -> Keypair {
    let mut seed = [0u8; 32];
    seed[..4].copy_from_slice(&n.to_le_bytes());
    seed[31] = 0x55;
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(seed))
}

/// An "RNG" that yields 0, 1, 2, ...: the oracle's fixed nonce.
struct FixedNonce(u8);

impl rand_core::TryRng for FixedNonce {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        unreachable!()
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        unreachable!()
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for b in dst {
            *b = self.0;
            self.0 += 1;
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for FixedNonce {}

#[test]
fn rekey_and_supplement_match_the_libsodium_oracle() {
    let oracle: serde_json::Value =
        serde_json::from_str(include_str!("data/libsodium_rekey_oracle.json")).unwrap();
    let field = |k: &str| hex::decode(oracle[k].as_str().unwrap()).unwrap();
    let seed: [u8; 32] = field("group_seed_hex").try_into().unwrap();
    let group = GroupIdentity::from_seed(&Ed25519Seed::from_bytes(seed));
    let ids: Vec<SessionId> = (0..4).map(|n| user(n).session_id()).collect();
    let mut sorted: Vec<String> = ids.iter().map(ToString::to_string).collect();
    sorted.sort();
    let expected: Vec<&str> = oracle["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(sorted, expected);

    let mut admin = GroupKeys::new_admin(user(0), group.keypair().clone()).unwrap();
    let gen0 = admin.rekey(&ids).unwrap();
    assert_eq!(
        hex::encode(&gen0.message),
        oracle["rekey0_hex"].as_str().unwrap()
    );
    assert_eq!(gen0.key.expose_secret().to_vec(), field("key0_hex"));
    admin
        .load_key_message("h0", &gen0.message, 1_700_000_000_000)
        .unwrap();
    let gen1 = admin.rekey(&ids).unwrap();
    assert_eq!(
        hex::encode(&gen1.message),
        oracle["rekey1_hex"].as_str().unwrap()
    );
    admin
        .load_key_message("h1", &gen1.message, 1_700_000_000_005)
        .unwrap();

    let newcomer = user(9);
    assert_eq!(
        newcomer.session_id().to_string(),
        oracle["newcomer"].as_str().unwrap()
    );
    let supplement = admin.key_supplement(&[newcomer.session_id()]).unwrap();
    assert_eq!(
        hex::encode(&supplement),
        oracle["supplement_hex"].as_str().unwrap()
    );
    let mut keys = GroupKeys::new_member(newcomer, *group.public_key()).unwrap();
    assert_eq!(
        keys.load_key_message("hs", &supplement, 1).unwrap(),
        LoadOutcome::Added
    );
    assert_eq!(
        keys.encryption_key().unwrap().expose_secret().to_vec(),
        field("key1_hex")
    );
    let message = keys.decrypt_message(&field("group_message_hex")).unwrap();
    assert_eq!(
        message.sender.to_string(),
        oracle["group_message_sender"].as_str().unwrap()
    );
    assert_eq!(
        message.plaintext,
        oracle["group_message_plaintext_utf8"]
            .as_str()
            .unwrap()
            .as_bytes()
    );
    // Ours, with the same nonce and no compression, is the same bytes.
    let mut nonce_rng = FixedNonce(0);
    let ours = session_groups::message::encrypt(
        &mut nonce_rng,
        &user(1),
        group.public_key(),
        keys.encryption_key().unwrap(),
        b"hello from libsodium",
        false,
        256,
    )
    .unwrap();
    assert_eq!(ours, field("group_message_hex"));
    println!(
        "oracle: data/libsodium_rekey_oracle.json [rekey, supplement, group message]: 4 cases"
    );
}
