//! Protocol-layer operations, each in a criterion group beside the bare primitive work it
//! rests on (its "floor"), measured in the same run so that the ratio ours / floor can be
//! read within a group even on a noisy machine.
//!
//! - 1:1 messages: padding, then `direct` encryption and decryption of a short text message
//!   (160 bytes padded). Encryption's floor is one Ed25519 signature and the sealed box's
//!   X25519 work (an ephemeral key pair and one Diffie-Hellman); decryption's is one
//!   Diffie-Hellman and one strict Ed25519 verification (key parsing included). A second
//!   decryption floor adds the checks libsodium's key conversion makes on the sender's key,
//!   which the protocol requires.
//! - Attachments: the default scheme (AES-256-CBC + HMAC-SHA256, SHA-256 digest) at 1 KiB,
//!   1 MiB and 10 MB, beside raw AES-256-CBC + HMAC-SHA256 over the same bytes, and that plus
//!   the scheme's mandatory SHA-256 digest in a pass of its own, in bytes per second of
//!   plaintext.
//!
//! Run with `cargo bench -p session-benches --bench protocol`; `docs/performance.md`
//! records a run.

use std::hint::black_box;
use std::time::Duration;

use aes::Aes256;
use cbc::cipher::array::Array;
use cbc::cipher::consts::U16;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use hmac::{Hmac, KeyInit, Mac};
use session_identity::{Keypair, Seed};
use session_protocol::attachment::{self, AttachmentKey, Padding};
use session_protocol::direct;
use session_protocol::message::{Message, VisibleMessage};
use session_protocol::padding;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};

/// The sender's and recipient's Ed25519 seeds.
const ALICE: [u8; 32] = [0xa1; 32];
const BOB: [u8; 32] = [0xb0; 32];
/// The sealed box's ephemeral seed (deterministic encryption, so the output can be checked).
const EPHEMERAL_SEED: [u8; 32] = [0xe5; 32];

/// A short text message, as a client sends it: `Content` with a `DataMessage` body.
fn padded_content() -> Vec<u8> {
    let message = Message::new(
        VisibleMessage::text("Hi Bob! Lunch at noon tomorrow?"),
        1_700_000_000_000,
    );
    padding::pad(&message.encode())
}

fn keys() -> (Keypair, Keypair) {
    (
        Seed::from_ed25519_seed(&ALICE).keypair(),
        Seed::from_ed25519_seed(&BOB).keypair(),
    )
}

/// The X25519 secret of a `crypto_box_seed_keypair` seed: the first 32 bytes of SHA-512.
fn x25519_secret_of_seed(seed: &[u8; 32]) -> StaticSecret {
    use sha2::Digest;
    let digest = sha2::Sha512::digest(seed);
    let mut secret = [0u8; 32];
    secret.copy_from_slice(&digest[..32]);
    StaticSecret::from(secret)
}

/// Padding a short message, beside allocating, copying and terminating it.
fn message_padding(c: &mut Criterion) {
    let content = Message::new(
        VisibleMessage::text("Hi Bob! Lunch at noon tomorrow?"),
        1_700_000_000_000,
    )
    .encode();
    let padded = padding::pad(&content);
    assert_eq!(padding::unpad(&padded), Ok(&content[..]));
    let mut group = c.benchmark_group("message_padding");
    group.bench_function("ours: pad", |b| {
        b.iter(|| padding::pad(black_box(&content)))
    });
    group.bench_function("ours: unpad", |b| {
        b.iter(|| padding::unpad(black_box(&padded)).map(<[u8]>::len))
    });
    group.bench_function("floor: zeroed 160-byte Vec + copy", |b| {
        b.iter(|| {
            let content = black_box(&content);
            let mut out = vec![0u8; padding::BLOCK];
            out[..content.len()].copy_from_slice(content);
            out[content.len()] = padding::TERMINATOR;
            out
        })
    });
    group.finish();
}

/// 1:1 encryption and decryption of a padded short text, each beside its floor.
fn message(c: &mut Criterion) {
    let (alice, bob) = keys();
    let padded = padded_content();
    assert_eq!(padded.len(), 160);
    let sealed = direct::encrypt_for_recipient_with_ephemeral_seed(
        &alice,
        &bob.session_id(),
        &padded,
        &EPHEMERAL_SEED,
    )
    .expect("bob's key is a valid recipient");
    assert_eq!(sealed.len(), padded.len() + direct::OVERHEAD);
    let opened = direct::decrypt_incoming(&bob, &sealed).expect("sealed to bob");
    assert_eq!(opened.plaintext, padded);

    // What the floor signs and verifies: M || A || Y, as the protocol does.
    let mut signed = padded.clone();
    signed.extend_from_slice(alice.ed25519_public());
    signed.extend_from_slice(bob.x25519_public());
    let signing = SigningKey::from_bytes(&ALICE);
    let signature = signing.sign(&signed);
    let ephemeral = x25519_secret_of_seed(&EPHEMERAL_SEED);
    let ephemeral_pk = PublicKey::from(&ephemeral);
    let bob_pk = PublicKey::from(*bob.x25519_public());
    let bob_secret = StaticSecret::from(*bob.x25519_secret().expose_secret());
    assert_eq!(&sealed[..32], ephemeral_pk.as_bytes());
    let inner = session_crypto::sealed_box::open(bob.x25519_secret(), &sealed).expect("to bob");
    assert_eq!(&inner[inner.len() - 64..], &signature.to_bytes());

    let mut group = c.benchmark_group("message_encrypt");
    group.bench_function("ours", |b| {
        b.iter(|| {
            direct::encrypt_for_recipient_with_ephemeral_seed(
                black_box(&alice),
                black_box(&bob.session_id()),
                black_box(&padded),
                black_box(&EPHEMERAL_SEED),
            )
        })
    });
    group.bench_function("floor: ed25519 sign + x25519 keygen + x25519 dh", |b| {
        b.iter(|| {
            let signature = signing.sign(black_box(&signed));
            let ephemeral_pk = PublicKey::from(black_box(&ephemeral));
            let shared = ephemeral.diffie_hellman(black_box(&bob_pk));
            (signature, ephemeral_pk, shared)
        })
    });
    group.finish();

    let mut group = c.benchmark_group("message_decrypt");
    group.bench_function("ours", |b| {
        b.iter(|| direct::decrypt_incoming(black_box(&bob), black_box(&sealed)))
    });
    group.bench_function(
        "floor: x25519 dh + ed25519 key parse + verify_strict",
        |b| {
            b.iter(|| {
                let shared = bob_secret.diffie_hellman(black_box(&ephemeral_pk));
                let key = VerifyingKey::from_bytes(black_box(alice.ed25519_public()))
                    .expect("alice's key");
                let verified = key.verify_strict(black_box(&signed), black_box(&signature));
                (shared, verified)
            })
        },
    );
    // What the protocol requires beyond that, as libsodium's
    // `crypto_sign_ed25519_pk_to_curve25519` does it (and libsession calls it): the sender's
    // key must not be of small order and must lie in the prime-order subgroup (a full scalar
    // multiplication by the group order), and the Session ID needs its X25519 form.
    group.bench_function(
        "floor + sender-key checks: small order, subgroup, to_montgomery",
        |b| {
            b.iter(|| {
                let shared = bob_secret.diffie_hellman(black_box(&ephemeral_pk));
                let key = VerifyingKey::from_bytes(black_box(alice.ed25519_public()))
                    .expect("alice's key");
                let usable = !key.is_weak() && key.to_edwards().is_torsion_free();
                let x25519 = key.to_montgomery();
                let verified = key.verify_strict(black_box(&signed), black_box(&signature));
                (shared, usable, x25519, verified)
            })
        },
    );
    group.finish();
}

/// The attachment sizes measured: 1 KiB, 1 MiB and the 10 MB upload limit.
const SIZES: [(&str, usize); 3] = [("1KiB", 1024), ("1MiB", 1024 * 1024), ("10MB", 10_000_000)];

const ATTACHMENT_KEY: [u8; 64] = [0x4b; 64];
const AES_KEY: [u8; 32] = [0x4b; 32];
const IV: [u8; 16] = [0x1f; 16];

/// HMAC-SHA256 keyed with the attachment key's MAC half.
fn floor_hmac() -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(&ATTACHMENT_KEY[32..]).expect("any key length")
}

/// Raw AES-256-CBC encryption of whole blocks in place, then HMAC-SHA256 over `iv || data`.
fn floor_encrypt(data: &mut [u8]) -> [u8; 32] {
    let mut cipher = cbc::Encryptor::<Aes256>::new((&AES_KEY).into(), (&IV).into());
    let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(data);
    cipher.encrypt_blocks(blocks);
    floor_hmac()
        .chain_update(IV)
        .chain_update(&*data)
        .finalize()
        .into_bytes()
        .into()
}

/// HMAC-SHA256 over `iv || data`, then raw AES-256-CBC decryption of whole blocks in place.
fn floor_decrypt(data: &mut [u8]) -> [u8; 32] {
    let tag = floor_hmac()
        .chain_update(IV)
        .chain_update(&*data)
        .finalize()
        .into_bytes()
        .into();
    let mut cipher = cbc::Decryptor::<Aes256>::new((&AES_KEY).into(), (&IV).into());
    let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(data);
    cipher.decrypt_blocks(blocks);
    tag
}

/// [`floor_encrypt`], then the scheme's SHA-256 digest of `iv || data || tag` in a pass of
/// its own.
fn floor_encrypt_and_digest(data: &mut [u8]) -> ([u8; 32], [u8; 32]) {
    use sha2::Digest;
    let tag = floor_encrypt(data);
    let digest = Sha256::new()
        .chain_update(IV)
        .chain_update(&*data)
        .chain_update(tag)
        .finalize()
        .into();
    (tag, digest)
}

/// [`floor_decrypt`], with the digest's pass before it.
fn floor_decrypt_and_digest(data: &mut [u8]) -> ([u8; 32], [u8; 32]) {
    use sha2::Digest;
    let tag = floor_hmac()
        .chain_update(IV)
        .chain_update(&*data)
        .finalize()
        .into_bytes();
    let digest = Sha256::new()
        .chain_update(IV)
        .chain_update(&*data)
        .chain_update(tag)
        .finalize()
        .into();
    let mut cipher = cbc::Decryptor::<Aes256>::new((&AES_KEY).into(), (&IV).into());
    let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(data);
    cipher.decrypt_blocks(blocks);
    (tag.into(), digest)
}

/// Attachment encryption and decryption at each size, beside raw AES-CBC + HMAC.
fn attachments(c: &mut Criterion) {
    for (name, size) in SIZES {
        let plaintext: Vec<u8> = (0..size).map(|i| (i * 7 + 3) as u8).collect();
        let key = || AttachmentKey::from_bytes(ATTACHMENT_KEY);
        let sealed = attachment::encrypt_with(key(), &IV, &plaintext, Padding::Desktop);
        let opened = attachment::decrypt(&sealed.data, &key(), &sealed.digest, size)
            .expect("a fresh blob decrypts");
        assert_eq!(opened, plaintext);
        // The floor's bytes: the plaintext, whole blocks (every size here is a multiple of 16).
        assert_eq!(size % 16, 0);
        let mut floor_buffer = plaintext.clone();
        let large = size > 64 * 1024;

        let mut group = c.benchmark_group(format!("attachment_encrypt_{name}"));
        group.throughput(Throughput::Bytes(size as u64));
        if large {
            group.sample_size(10);
        }
        group.bench_function("ours: encrypt_with", |b| {
            b.iter(|| attachment::encrypt_with(key(), &IV, black_box(&plaintext), Padding::Desktop))
        });
        group.bench_function("ours: encrypt_in_place", |b| {
            b.iter_batched_ref(
                || {
                    let mut buffer = Vec::with_capacity(size + size / 16 + 64);
                    buffer.extend_from_slice(&plaintext);
                    buffer
                },
                |buffer| attachment::encrypt_in_place(&key(), &IV, buffer, Padding::Desktop),
                BatchSize::LargeInput,
            )
        });
        group.bench_function("ours: encrypt_with, no size padding", |b| {
            b.iter(|| attachment::encrypt_with(key(), &IV, black_box(&plaintext), Padding::None))
        });
        group.bench_function("floor: aes-256-cbc + hmac-sha256", |b| {
            b.iter(|| floor_encrypt(black_box(&mut floor_buffer)))
        });
        group.bench_function("floor + sha-256 digest", |b| {
            b.iter(|| floor_encrypt_and_digest(black_box(&mut floor_buffer)))
        });
        group.finish();

        let mut group = c.benchmark_group(format!("attachment_decrypt_{name}"));
        group.throughput(Throughput::Bytes(size as u64));
        if large {
            group.sample_size(10);
        }
        let unpadded = attachment::encrypt_with(key(), &IV, &plaintext, Padding::None);
        group.bench_function("ours: decrypt", |b| {
            b.iter(|| attachment::decrypt(black_box(&sealed.data), &key(), &sealed.digest, size))
        });
        group.bench_function("ours: decrypt, no size padding", |b| {
            b.iter(|| {
                attachment::decrypt(black_box(&unpadded.data), &key(), &unpadded.digest, size)
            })
        });
        group.bench_function("floor: hmac-sha256 + aes-256-cbc", |b| {
            b.iter(|| floor_decrypt(black_box(&mut floor_buffer)))
        });
        group.bench_function("floor + sha-256 digest", |b| {
            b.iter(|| floor_decrypt_and_digest(black_box(&mut floor_buffer)))
        });
        group.finish();
    }
}

criterion_group! {
    name = protocol;
    // Modest, so that a full run takes a few minutes on a shared 2-core machine.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = message_padding, message, attachments
}
criterion_main!(protocol);
