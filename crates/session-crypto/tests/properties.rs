//! Property tests for the primitives.

use proptest::prelude::*;
use session_crypto::{Error, SymmetricKey, X25519Secret, aead, sealed_box, xed25519};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn sealed_box_round_trips_and_binds_the_recipient(
        recipient in any::<[u8; 32]>(),
        other in any::<[u8; 32]>(),
        ephemeral in any::<[u8; 32]>(),
        message in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let recipient = X25519Secret::from_bytes(recipient);
        let other = X25519Secret::from_bytes(other);
        prop_assume!(recipient != other);
        let ephemeral = X25519Secret::from_bytes(ephemeral);
        let sealed = sealed_box::seal_with_ephemeral(&ephemeral, &recipient.public_key(), &message).unwrap();
        prop_assert_eq!(sealed.len(), message.len() + sealed_box::OVERHEAD);
        prop_assert_eq!(sealed_box::open(&recipient, &sealed).unwrap(), message);
        prop_assert_eq!(sealed_box::open(&other, &sealed), Err(Error::DecryptionFailed));
    }

    #[test]
    fn xed25519_signatures_verify(
        secret in any::<[u8; 32]>(),
        random in any::<[u8; 32]>(),
        message in proptest::collection::vec(any::<u8>(), 0..100),
    ) {
        let secret = X25519Secret::from_bytes(secret);
        let mut nonce = [0u8; 64];
        nonce[..32].copy_from_slice(&random);
        let signature = xed25519::sign_with_random(&secret, &message, &nonce);
        xed25519::verify(&signature, &secret.public_key(), &message).unwrap();
    }

    #[test]
    fn aeads_round_trip(key in any::<[u8; 32]>(), nonce in any::<[u8; 24]>(), message in proptest::collection::vec(any::<u8>(), 0..300)) {
        let key = SymmetricKey::from_bytes(key);
        let ct = aead::xchacha20poly1305_encrypt(&key, &nonce, b"", &message).unwrap();
        prop_assert_eq!(aead::xchacha20poly1305_decrypt(&key, &nonce, b"", &ct).unwrap(), message.clone());
        let iv: [u8; 12] = nonce[..12].try_into().unwrap();
        let ct = aead::aes256gcm_encrypt(&key, &iv, b"", &message).unwrap();
        prop_assert_eq!(aead::aes256gcm_decrypt(&key, &iv, b"", &ct).unwrap(), message);
    }
}

#[test]
fn sealed_box_with_the_os_rng_round_trips() {
    let mut rng = rand::rng();
    let recipient = X25519Secret::generate(&mut rng);
    let sealed = sealed_box::seal(&mut rng, &recipient.public_key(), b"x").unwrap();
    assert_eq!(sealed_box::open(&recipient, &sealed).unwrap(), b"x");
}

#[test]
fn secrets_are_redacted() {
    let secret = X25519Secret::from_bytes([5; 32]);
    assert_eq!(format!("{secret:?}"), "X25519Secret(<redacted>)");
    let key = SymmetricKey::from_bytes([5; 32]);
    assert_eq!(format!("{key:?}"), "SymmetricKey(<redacted>)");
    let shared = secret.diffie_hellman(&[9; 32]).unwrap();
    assert_eq!(format!("{shared:?}"), "SharedSecret(<redacted>)");
    // Small-order points give an all-zero secret, which libsodium refuses too.
    assert_eq!(
        secret.diffie_hellman(&[0; 32]).unwrap_err(),
        Error::InvalidX25519PublicKey
    );
}
