//! Property tests: every account's keys, IDs and blinded signatures hang together.

use proptest::prelude::*;
use session_identity::blinding::{
    BlindedKeypair, Blinding, blind15, blind25, session_id_matches_blinded_id,
};
use session_identity::{Error, IdPrefix, Seed, SessionId};

fn any_seed() -> impl Strategy<Value = Seed> {
    prop_oneof![
        any::<[u8; 16]>().prop_map(|b| Seed::from_recovery_bytes(&b)),
        any::<[u8; 32]>().prop_map(|b| Seed::from_ed25519_seed(&b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn blinded_signatures_verify_and_ids_match(
        seed in any_seed(),
        server in any::<[u8; 32]>(),
        message in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let keys = seed.keypair();
        let id = keys.session_id();
        for blinding in [Blinding::Blind15, Blinding::Blind15Pysogs, Blinding::Blind25] {
            let blinded = BlindedKeypair::new(&keys, &server, blinding);
            let signature = blinded.sign(&message);
            session_crypto::ed25519::verify(&signature, blinded.public_key(), &message).unwrap();
            prop_assert!(session_id_matches_blinded_id(&id, &blinded.session_id(), &server).unwrap());
            // Deterministic.
            prop_assert_eq!(signature, blinded.sign(&message));
        }
        // What others compute from the 05 ID agrees with what the owner computes.
        let own15 = blind15::id(&keys, &server);
        prop_assert!(blind15::ids_for_session_id(&id, &server).unwrap().contains(&own15));
        prop_assert_eq!(blind15::id_for_ed25519(keys.ed25519_public(), &server).unwrap(), own15);
        let own25 = blind25::id(&keys, &server);
        prop_assert_eq!(blind25::id_for_session_id(&id, &server).unwrap(), own25);
        prop_assert_eq!(blind25::id_for_ed25519(keys.ed25519_public(), &server).unwrap(), own25);
    }

    #[test]
    fn another_account_never_matches(a in any_seed(), b in any_seed(), server in any::<[u8; 32]>()) {
        let (a, b) = (a.keypair(), b.keypair());
        prop_assume!(a.session_id() != b.session_id());
        for blinded in [blind15::id(&b, &server), blind25::id(&b, &server)] {
            prop_assert!(!session_id_matches_blinded_id(&a.session_id(), &blinded, &server).unwrap());
        }
    }

    #[test]
    fn seeds_round_trip_through_hex_and_phrase(bytes in any::<[u8; 16]>()) {
        let seed = Seed::from_recovery_bytes(&bytes);
        prop_assert_eq!(&Seed::from_hex(&hex::encode(bytes)).unwrap(), &seed);
        let phrase = seed.mnemonic().unwrap();
        prop_assert_eq!(&Seed::from_mnemonic(phrase.as_str()).unwrap(), &seed);
        let libsodium = seed.keypair().libsodium_secret_key();
        let from_sk = Seed::from_slice(libsodium.as_ref()).unwrap();
        prop_assert_eq!(from_sk.keypair().session_id(), seed.keypair().session_id());
    }
}

#[test]
fn seed_errors_are_typed() {
    assert_eq!(Seed::from_hex("abc").unwrap_err(), Error::SeedHex);
    assert_eq!(Seed::from_hex("zz").unwrap_err(), Error::SeedHex);
    assert_eq!(
        Seed::from_slice(&[0; 20]).unwrap_err(),
        Error::SeedLength { found: 20 }
    );
    let mut sk = *Seed::from_ed25519_seed(&[1; 32])
        .keypair()
        .libsodium_secret_key();
    sk[63] ^= 1;
    assert_eq!(Seed::from_slice(&sk).unwrap_err(), Error::SecretKeyMismatch);
    assert!(matches!(
        Seed::from_mnemonic("abbey abbey").unwrap_err(),
        Error::Mnemonic(_)
    ));
}

#[test]
fn full_seeds_have_no_phrase_and_secrets_stay_out_of_debug() {
    let seed = Seed::from_ed25519_seed(&[7; 32]);
    assert!(seed.mnemonic().is_none());
    assert!(seed.recovery_bytes().is_none());
    assert_eq!(format!("{seed:?}"), "Seed(<redacted>)");
    let keys = seed.keypair();
    let debug = format!("{keys:?}");
    assert!(!debug.contains(&hex::encode(keys.x25519_secret().expose_secret())));
    let blinded = BlindedKeypair::blind15(&keys, &[1; 32]);
    assert!(format!("{blinded:?}").starts_with("BlindedKeypair { id: SessionId(15"));
}

#[test]
fn blinding_rejects_ids_of_the_wrong_kind() {
    let keys = Seed::from_ed25519_seed(&[3; 32]).keypair();
    let server = [9; 32];
    let group = SessionId::new(IdPrefix::Group, *keys.ed25519_public());
    assert_eq!(
        blind15::ids_for_session_id(&group, &server).unwrap_err(),
        Error::WrongPrefix {
            expected: IdPrefix::Standard,
            found: IdPrefix::Group
        }
    );
    assert!(blind25::id_for_session_id(&group, &server).is_err());
    // Matching takes a 05 ID and a 15/25 ID, nothing else (libsession's prefix check is
    // looser; see the notes).
    let blinded = blind15::id(&keys, &server);
    assert!(session_id_matches_blinded_id(&group, &blinded, &server).is_err());
    assert!(
        session_id_matches_blinded_id(&keys.session_id(), &keys.session_id(), &server).is_err()
    );
    let version = SessionId::new(IdPrefix::VersionBlinded, *blinded.key_bytes());
    assert!(session_id_matches_blinded_id(&keys.session_id(), &version, &server).is_err());
}
