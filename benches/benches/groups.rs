//! Closed groups and config sync, each in a criterion group beside the bare primitive work
//! it rests on (its "floor"), measured in the same run:
//!
//! - `group_rekey_100`: `GroupKeys::rekey` for 100 members (the key message an admin pushes
//!   after a removal), beside 100 X25519 Diffie-Hellmans and 100 XChaCha20-Poly1305
//!   encryptions of a 32-byte key (the member copies) and one Ed25519 signature.
//! - `group_message_encrypt` / `group_message_decrypt`: a short text message as a client
//!   posts it (the whole `Envelope`, zstd when it helps, padded to 256), beside one
//!   Ed25519 signature (verification) and one XChaCha20-Poly1305 pass over the padded
//!   bytes.
//! - `contacts_1000_push` / `contacts_1000_merge`: a Contacts config of 1,000 contacts
//!   pushed (serialised, compressed, padded, encrypted) and merged by another device,
//!   beside zstd level 1 and XChaCha20-Poly1305 over the serialised config (and back).
//!
//! Run with `cargo bench -p session-benches --bench groups`; `docs/performance.md` records
//! a run.
#![allow(
    clippy::unwrap_used,
    reason = "fixed inputs: a failing setup or measurement must stop the bench loudly"
)]

use std::hint::black_box;
use std::time::Duration;

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ed25519_dalek::{Signer, SigningKey, Verifier};
use session_config::Ed25519Seed;
use session_config::user::{Contact, Contacts};
use session_groups::{GroupIdentity, GroupKeys};
use session_identity::{Keypair, SessionId};
use session_protocol::ProSignature;
use session_protocol::message::{Message, VisibleMessage};
use x25519_dalek::{PublicKey, StaticSecret};

/// The deterministic test key `n` (two bytes, so that 1,000 keys differ).
fn keypair(n: u16) -> Keypair {
    let mut seed = [0x5a; 32];
    seed[..2].copy_from_slice(&n.to_be_bytes());
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(seed))
}

fn admin_keys() -> (GroupKeys, Vec<SessionId>) {
    let admin = keypair(0);
    let group = GroupIdentity::from_seed(&Ed25519Seed::from_bytes([0x03; 32]));
    let keys = GroupKeys::new_admin(admin.clone(), group.keypair().clone()).unwrap();
    let members: Vec<SessionId> = (0..100).map(|n| keypair(n).session_id()).collect();
    (keys, members)
}

/// A rekey for 100 members, beside its member-copy encryption and signature.
fn group_rekey(c: &mut Criterion) {
    let (mut keys, members) = admin_keys();
    let secret = StaticSecret::from([0x42; 32]);
    let publics: Vec<PublicKey> = members
        .iter()
        .map(|m| PublicKey::from(*m.key_bytes()))
        .collect();
    let aead = XChaCha20Poly1305::new(&[7u8; 32].into());
    let signing = SigningKey::from_bytes(&[9; 32]);
    let message = keys.rekey(&members).unwrap().message;

    let mut group = c.benchmark_group("group_rekey_100");
    group.bench_function("ours", |b| {
        b.iter(|| keys.rekey(black_box(&members)).unwrap())
    });
    group.bench_function(
        "floor: 100 x (X25519 DH + XChaCha20-Poly1305 of 32 B) + Ed25519 sign",
        |b| {
            b.iter(|| {
                for public in &publics {
                    let shared = secret.diffie_hellman(black_box(public));
                    let nonce = XNonce::from([shared.as_bytes()[0]; 24]);
                    black_box(aead.encrypt(&nonce, [1u8; 32].as_slice()).unwrap());
                }
                signing.sign(black_box(&message))
            })
        },
    );
    group.finish();
}

/// A short text message as a group envelope, encrypted and decrypted.
fn group_message(c: &mut Criterion) {
    let (mut admin, members) = admin_keys();
    let rekey = admin.rekey(&members).unwrap();
    admin
        .load_key_message("h", &rekey.message, 1_700_000_000_000)
        .unwrap();
    let content = Message::new(
        VisibleMessage::text("Hi everyone! Lunch at noon tomorrow?"),
        1_700_000_000_000,
    )
    .encode();
    let pro_sig = ProSignature::decoy(&[1; 64]);
    let mut rng = rand::rng();
    let ciphertext = admin
        .encrypt_envelope(&mut rng, &content, 1_700_000_000_000, &pro_sig)
        .unwrap();
    assert_eq!(
        admin.decrypt_envelope(&ciphertext).unwrap().content,
        content
    );
    let padded_len = ciphertext.len() - 24 - 16;
    let plain = vec![0x33u8; padded_len];
    let aead = XChaCha20Poly1305::new(&[7u8; 32].into());
    let nonce = XNonce::from([2u8; 24]);
    let sealed = aead.encrypt(&nonce, plain.as_slice()).unwrap();
    let signing = SigningKey::from_bytes(&[9; 32]);
    let verifying = signing.verifying_key();
    let signature = signing.sign(&content);

    let mut group = c.benchmark_group("group_message_encrypt");
    group.bench_function("ours", |b| {
        b.iter(|| {
            admin
                .encrypt_envelope(&mut rng, black_box(&content), 1_700_000_000_000, &pro_sig)
                .unwrap()
        })
    });
    group.bench_function(
        "floor: Ed25519 sign + XChaCha20-Poly1305 of the padded bytes",
        |b| {
            b.iter(|| {
                black_box(signing.sign(black_box(&content)));
                aead.encrypt(&nonce, black_box(plain.as_slice())).unwrap()
            })
        },
    );
    group.finish();

    let mut group = c.benchmark_group("group_message_decrypt");
    group.bench_function("ours", |b| {
        b.iter(|| admin.decrypt_envelope(black_box(&ciphertext)).unwrap())
    });
    group.bench_function("floor: XChaCha20-Poly1305 open + Ed25519 verify", |b| {
        b.iter(|| {
            black_box(aead.decrypt(&nonce, black_box(sealed.as_slice())).unwrap());
            verifying.verify(black_box(&content), &signature).unwrap()
        })
    });
    group.finish();
}

/// A dirty Contacts config of 1,000 contacts.
fn contacts_1000(seed: &Ed25519Seed) -> Contacts {
    let mut contacts = Contacts::new(seed);
    for n in 0..1000u16 {
        let mut contact = Contact::new(keypair(n).session_id());
        contact.name = format!("Contact number {n}");
        contact.approved = true;
        contact.approved_me = n % 2 == 0;
        contacts.set(&contact).unwrap();
    }
    contacts
}

/// Pushing and merging a 1,000-contact config, beside compressing and encrypting it.
fn contacts_sync(c: &mut Criterion) {
    let seed = Ed25519Seed::from_bytes([0x11; 32]);
    let dirty = contacts_1000(&seed);
    let mut pushed = dirty.clone();
    let push = pushed.base_mut().push().unwrap();
    assert_eq!(push.messages.len(), 1);
    let data = push.messages[0].clone();
    // The serialised config, as its dump carries it (the same bytes and a few more).
    let serialised = dirty.clone().base_mut().dump();
    let aead = XChaCha20Poly1305::new(&[7u8; 32].into());
    let nonce = XNonce::from([2u8; 24]);
    let compressed = zstd::bulk::compress(&serialised, 1).unwrap();
    let sealed = aead.encrypt(&nonce, compressed.as_slice()).unwrap();
    {
        let mut other = Contacts::new(&seed);
        let accepted = other.base_mut().merge(&[("h", &data)], 1_700_000_000_000);
        assert!(accepted.contains("h"));
        assert_eq!(other.len(), 1000);
    }
    eprintln!(
        "contacts_1000: serialised {} B, compressed {} B, pushed {} B",
        serialised.len(),
        compressed.len(),
        data.len()
    );

    let mut group = c.benchmark_group("contacts_1000_push");
    group.bench_function("ours", |b| {
        b.iter_batched(
            || dirty.clone(),
            |mut contacts| contacts.base_mut().push().unwrap(),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("floor: zstd level 1 + XChaCha20-Poly1305", |b| {
        b.iter(|| {
            let compressed = zstd::bulk::compress(black_box(&serialised), 1).unwrap();
            aead.encrypt(&nonce, compressed.as_slice()).unwrap()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("contacts_1000_merge");
    group.bench_function("ours", |b| {
        b.iter_batched(
            || Contacts::new(&seed),
            |mut contacts| {
                contacts
                    .base_mut()
                    .merge(&[("h", black_box(&data))], 1_700_000_000_000)
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("floor: XChaCha20-Poly1305 open + zstd inflate", |b| {
        b.iter(|| {
            let compressed = aead.decrypt(&nonce, black_box(sealed.as_slice())).unwrap();
            zstd::bulk::decompress(&compressed, 1 << 20).unwrap()
        })
    });
    group.finish();
}

criterion_group! {
    name = groups;
    // Modest, so that a full run takes about a minute on a shared 2-core machine.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    targets = group_rekey, group_message, contacts_sync
}
criterion_main!(groups);
