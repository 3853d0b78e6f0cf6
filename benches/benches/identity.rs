//! Identity-layer operations, each in a criterion group beside the bare primitive work it
//! rests on (its "floor"), measured in the same run so that the ratio ours / floor can be
//! read within a group even on a noisy machine.
//!
//! Run with `cargo bench -p session-benches --bench identity`; `docs/performance.md`
//! records a run.

use std::hint::black_box;
use std::time::Duration;

use blake2::{Blake2b512, Digest};
use criterion::{Criterion, criterion_group, criterion_main};
use curve25519_dalek::{EdwardsPoint, Scalar};
use ed25519_dalek::{Signer, SigningKey};
use session_identity::Seed;
use session_identity::blinding::BlindedKeypair;
use x25519_dalek::{X25519_BASEPOINT_BYTES, x25519};

/// A valid recovery phrase (from the `@session.js/mnemonic` tests).
const PHRASE: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";

/// A community server's X25519 key (open.getsession.org).
const SERVER_PK: &str = "a03c383cf63c3c4efe67acc52112a6dd734b3a946b9545f488aaa93da7991238";

/// About the size of what SOGS request signing signs: server key, nonce, timestamp,
/// method, path and a body hash.
const MESSAGE: [u8; 160] = [0x5a; 160];

fn server_pk() -> [u8; 32] {
    let mut pk = [0u8; 32];
    hex::decode_to_slice(SERVER_PK, &mut pk).expect("SERVER_PK is 32 bytes of hex");
    pk
}

fn seed() -> Seed {
    Seed::from_mnemonic(PHRASE).expect("PHRASE is a valid phrase")
}

fn ed25519_seed_bytes() -> [u8; 32] {
    *seed().ed25519_seed().expose_secret()
}

/// Phrase decode: 13 word lookups, a CRC32 checksum and the base-1626 arithmetic. It rests
/// on no single primitive; the floor is the CRC32 of the 12 three-letter prefixes.
fn phrase_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("phrase_decode");
    group.bench_function("ours", |b| {
        b.iter(|| Seed::from_mnemonic(black_box(PHRASE)))
    });
    let prefixes: Vec<u8> = PHRASE
        .split(' ')
        .take(12)
        .flat_map(|word| word.bytes().take(3))
        .collect();
    assert_eq!(prefixes.len(), 36);
    group.bench_function("floor: crc32 of 36 bytes", |b| {
        b.iter(|| crc32fast::hash(black_box(&prefixes)))
    });
    group.finish();
}

/// Keypair derivation: the Ed25519 key (SHA-512 and a base-point multiplication) and the
/// X25519 key read off it (the birational map: one field inversion).
fn keypair_derive(c: &mut Criterion) {
    let seed = seed();
    let seed_bytes = ed25519_seed_bytes();
    let expected = *seed.keypair().x25519_public();
    let via_map = SigningKey::from_bytes(&seed_bytes)
        .verifying_key()
        .to_montgomery()
        .to_bytes();
    assert_eq!(via_map, expected);
    let mut group = c.benchmark_group("keypair_derive");
    group.bench_function("ours", |b| b.iter(|| black_box(&seed).keypair()));
    group.bench_function("floor: ed25519 key + to_montgomery", |b| {
        b.iter(|| {
            let signing = SigningKey::from_bytes(black_box(&seed_bytes));
            let x25519_public = signing.verifying_key().to_montgomery().to_bytes();
            (signing.verifying_key(), x25519_public)
        })
    });
    // How libsodium-based clients derive it: a second scalar multiplication, the X25519
    // ladder on the clamped secret. Kept to show what the map saves.
    group.bench_function("previous: ed25519 key + x25519 base mul", |b| {
        b.iter(|| {
            let signing = SigningKey::from_bytes(black_box(&seed_bytes));
            let x25519_public = x25519(black_box(seed_bytes), X25519_BASEPOINT_BYTES);
            (signing.verifying_key(), x25519_public)
        })
    });
    group.finish();
}

/// The floor of a blinded key derivation: `k = BLAKE2b-512(32 bytes) mod L`, then one
/// base-point multiplication of `k·a`, compressed to the 32-byte public key.
fn blinding_floor(a: &Scalar, server_pk: &[u8; 32]) -> [u8; 32] {
    let wide: [u8; 64] = Blake2b512::digest(server_pk).into();
    let k = Scalar::from_bytes_mod_order_wide(&wide);
    EdwardsPoint::mul_base(&(k * a)).compress().to_bytes()
}

fn blinding(c: &mut Criterion) {
    let keypair = seed().keypair();
    let server_pk = server_pk();
    let a = Scalar::from_bytes_mod_order(*keypair.x25519_secret().expose_secret());
    let signing = SigningKey::from_bytes(&ed25519_seed_bytes());
    const FLOOR_DERIVE: &str = "floor: mul_base + blake2b-512";
    const FLOOR_SIGN: &str = "floor: ed25519 sign";

    let mut group = c.benchmark_group("blind15_derive");
    group.bench_function("ours", |b| {
        b.iter(|| BlindedKeypair::blind15(black_box(&keypair), black_box(&server_pk)))
    });
    group.bench_function(FLOOR_DERIVE, |b| {
        b.iter(|| blinding_floor(black_box(&a), black_box(&server_pk)))
    });
    group.finish();

    let blinded = BlindedKeypair::blind15(&keypair, &server_pk);
    let mut group = c.benchmark_group("blind15_sign");
    group.bench_function("ours", |b| b.iter(|| blinded.sign(black_box(&MESSAGE))));
    // libsession's `blind15_sign` takes the account key and derives the blinded key on
    // every call; this is that shape, for comparison with its figure.
    group.bench_function("ours: derive + sign", |b| {
        b.iter(|| {
            BlindedKeypair::blind15(black_box(&keypair), black_box(&server_pk))
                .sign(black_box(&MESSAGE))
        })
    });
    group.bench_function(FLOOR_SIGN, |b| b.iter(|| signing.sign(black_box(&MESSAGE))));
    group.bench_function(
        "floor (derive + sign): mul_base + blake2b-512 + ed25519 sign",
        |b| {
            b.iter(|| {
                (
                    blinding_floor(black_box(&a), black_box(&server_pk)),
                    signing.sign(black_box(&MESSAGE)),
                )
            })
        },
    );
    group.finish();

    let mut group = c.benchmark_group("blind25_derive");
    group.bench_function("ours", |b| {
        b.iter(|| BlindedKeypair::blind25(black_box(&keypair), black_box(&server_pk)))
    });
    group.bench_function(FLOOR_DERIVE, |b| {
        b.iter(|| blinding_floor(black_box(&a), black_box(&server_pk)))
    });
    group.finish();

    let blinded = BlindedKeypair::blind25(&keypair, &server_pk);
    let mut group = c.benchmark_group("blind25_sign");
    group.bench_function("ours", |b| b.iter(|| blinded.sign(black_box(&MESSAGE))));
    group.bench_function(FLOOR_SIGN, |b| b.iter(|| signing.sign(black_box(&MESSAGE))));
    group.finish();
}

criterion_group! {
    name = identity;
    // Modest, so that a full run takes a few minutes on a shared 2-core machine.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = phrase_decode, keypair_derive, blinding
}
criterion_main!(identity);
