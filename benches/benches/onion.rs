//! Onion requests, each in a criterion group beside its floor, measured in the same run.
//!
//! - Building a request over a 3-hop path to a service node, for payloads of 100 B, 1 KiB,
//!   64 KiB and 1 MiB and both enc types. The floor is the bare primitive work of the four
//!   layers with the crates we build on: per layer an x25519-dalek key pair and
//!   Diffie-Hellman, and the RustCrypto AEAD over that layer's bytes, in one buffer encrypted
//!   in place (no JSON, no key derivation, no copying). "ours, hops decoded per request"
//!   includes decoding the four node keys, which a client does once per path.
//! - Peeling the guard's layer of the same requests, beside one Diffie-Hellman and the AEAD
//!   over the layer.
//! - Decrypting a 1 KiB response (v4 and service node), beside the floor the peers pay (a
//!   Diffie-Hellman and an AEAD pass) and the AEAD pass alone.
//! - The X25519 candidates for the ephemeral client keys, side by side: the x25519-dalek
//!   ladder and key generation, *ring*'s ephemeral agreement, and ours (Edwards arithmetic on
//!   pre-decoded keys, batched inversion).
//!
//! Run with `cargo bench -p session-benches --bench onion`; `docs/performance.md` records a
//! run.

use std::hint::black_box;
use std::time::Duration;

use aes_gcm::Aes256Gcm;
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use session_crypto::X25519Secret;
use session_crypto::ephemeral::{self, PeerKey};
use session_onion::node;
use session_onion::response;
use session_onion::{Builder, ChannelKey, EncType, Hop, ServerResponse};
use x25519_dalek::{PublicKey, StaticSecret};

const SIZES: [(usize, &str); 4] = [
    (100, "100B"),
    (1024, "1KiB"),
    (64 * 1024, "64KiB"),
    (1024 * 1024, "1MiB"),
];

const ENC_TYPES: [EncType; 2] = [EncType::XChaCha20, EncType::AesGcm];

struct Network {
    secrets: Vec<X25519Secret>,
    hops: Vec<Hop>,
    destination: Hop,
}

fn network() -> Network {
    let secrets: Vec<X25519Secret> = (1..=4u8)
        .map(|i| X25519Secret::from_bytes([i; 32]))
        .collect();
    let mut hops: Vec<Hop> = secrets
        .iter()
        .enumerate()
        .map(|(i, secret)| Hop::new([i as u8 + 0x10; 32], secret.public_key()))
        .collect();
    let destination = hops.pop().expect("four nodes");
    Network {
        secrets,
        hops,
        destination,
    }
}

/// The bare work of one layer: an ephemeral key pair, a Diffie-Hellman, and the AEAD over
/// `region` in place.
fn floor_layer(
    rng: &mut ChaCha20Rng,
    peer: &PublicKey,
    enc: EncType,
    region: &mut [u8],
) -> [u8; 32] {
    let mut secret_bytes = [0u8; 32];
    rng.fill_bytes(&mut secret_bytes);
    let secret = StaticSecret::from(secret_bytes);
    let public = PublicKey::from(&secret);
    let shared = secret.diffie_hellman(peer);
    aead_in_place(rng, shared.as_bytes(), enc, region);
    *public.as_bytes()
}

fn aead_in_place(rng: &mut ChaCha20Rng, key: &[u8; 32], enc: EncType, region: &mut [u8]) {
    let nonce_len = enc.nonce_len();
    let body_len = region.len() - nonce_len - 16;
    let (nonce, rest) = region.split_at_mut(nonce_len);
    let (body, tag_room) = rest.split_at_mut(body_len);
    rng.fill_bytes(nonce);
    let tag = match enc {
        EncType::XChaCha20 => XChaCha20Poly1305::new(key.into())
            .encrypt_inout_detached(nonce[..].try_into().expect("24 bytes"), b"", body.into())
            .expect("encrypts"),
        EncType::AesGcm => Aes256Gcm::new(key.into())
            .encrypt_inout_detached(nonce[..].try_into().expect("12 bytes"), b"", body.into())
            .expect("encrypts"),
    };
    tag_room.copy_from_slice(&tag);
}

/// The layers' (start, length) in a request like ours, innermost last.
fn layer_ranges(payload: usize, enc: EncType) -> (usize, Vec<(usize, usize)>) {
    // Routing JSON of a hop naming the next node: 186 or 188 bytes; the guard's: 105 or 107.
    let route = if enc == EncType::XChaCha20 { 188 } else { 186 };
    let outer = route - 81;
    let overhead = enc.overhead();
    let mut lens = vec![overhead + 4 + payload + 14];
    for _ in 0..3 {
        let inner = *lens.last().expect("one layer");
        lens.push(overhead + 4 + inner + route);
    }
    lens.reverse();
    let total = 4 + lens[0] + outer;
    let ranges = lens
        .iter()
        .enumerate()
        .map(|(i, len)| (4 + i * (enc.nonce_len() + 4), *len))
        .collect();
    (total, ranges)
}

fn onion_build(c: &mut Criterion) {
    let net = network();
    let peers: Vec<PublicKey> = net
        .hops
        .iter()
        .chain([&net.destination])
        .map(|hop| PublicKey::from(*hop.x25519()))
        .collect();
    for enc in ENC_TYPES {
        let mut group = c.benchmark_group(format!("onion_build/{enc}"));
        for (size, label) in SIZES {
            if size >= 64 * 1024 {
                group
                    .sample_size(20)
                    .measurement_time(Duration::from_secs(4));
            }
            group.throughput(Throughput::Bytes(size as u64));
            let payload = vec![0x42u8; size];
            let mut rng = ChaCha20Rng::seed_from_u64(1);
            let built = Builder::new(&net.hops)
                .enc_type(enc)
                .to_node(&net.destination, &payload, &mut rng)
                .expect("builds");
            let (total, ranges) = layer_ranges(size, enc);
            assert_eq!(
                built.body().len(),
                total,
                "the floor encrypts the same bytes"
            );
            group.bench_function(BenchmarkId::new("ours", label), |b| {
                b.iter(|| {
                    Builder::new(&net.hops)
                        .enc_type(enc)
                        .to_node(&net.destination, black_box(&payload), &mut rng)
                        .expect("builds")
                })
            });
            if size <= 1024 {
                group.bench_function(
                    BenchmarkId::new("ours, hops decoded per request", label),
                    |b| {
                        b.iter(|| {
                            let hops: Vec<Hop> = net
                                .hops
                                .iter()
                                .map(|hop| Hop::new(*hop.ed25519(), *hop.x25519()))
                                .collect();
                            let destination =
                                Hop::new(*net.destination.ed25519(), *net.destination.x25519());
                            Builder::new(&hops)
                                .enc_type(enc)
                                .to_node(&destination, black_box(&payload), &mut rng)
                                .expect("builds")
                        })
                    },
                );
            }
            group.bench_function(BenchmarkId::new("floor", label), |b| {
                b.iter(|| {
                    let mut buffer = vec![0u8; total];
                    let inner = ranges[3].0 + enc.nonce_len() + 4;
                    buffer[inner..inner + size].copy_from_slice(black_box(&payload));
                    for ((start, len), peer) in ranges.iter().zip(&peers).rev() {
                        floor_layer(&mut rng, peer, enc, &mut buffer[*start..start + len]);
                    }
                    buffer
                })
            });
        }
        group.finish();
    }
}

fn onion_peel(c: &mut Criterion) {
    let net = network();
    for enc in ENC_TYPES {
        let mut group = c.benchmark_group(format!("onion_peel/{enc}"));
        for (size, label) in SIZES {
            if size >= 64 * 1024 {
                group
                    .sample_size(20)
                    .measurement_time(Duration::from_secs(4));
            }
            group.throughput(Throughput::Bytes(size as u64));
            let mut rng = ChaCha20Rng::seed_from_u64(2);
            let built = Builder::new(&net.hops)
                .enc_type(enc)
                .to_node(&net.destination, &vec![7u8; size], &mut rng)
                .expect("builds");
            let guard_secret = &net.secrets[0];
            let incoming = node::IncomingOnion::parse(built.body()).expect("parses");
            group.bench_function(BenchmarkId::new("ours", label), |b| {
                b.iter(|| {
                    let layer = node::peel(guard_secret, black_box(built.body())).expect("peels");
                    layer.next().expect("relays")
                })
            });
            let secret = StaticSecret::from(*guard_secret.expose_secret());
            let ephemeral = PublicKey::from(incoming.ephemeral_key);
            let key =
                ChannelKey::for_node(enc, guard_secret, &incoming.ephemeral_key).expect("key");
            group.bench_function(BenchmarkId::new("floor", label), |b| {
                b.iter(|| {
                    let shared = secret.diffie_hellman(black_box(&ephemeral));
                    black_box(shared.as_bytes());
                    key.decrypt(black_box(incoming.ciphertext)).expect("opens")
                })
            });
        }
        group.finish();
    }
}

fn onion_response(c: &mut Criterion) {
    let net = network();
    let server_secret = &net.secrets[3];
    for enc in ENC_TYPES {
        let mut group = c.benchmark_group(format!("onion_response/{enc}"));
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let built = Builder::new(&net.hops)
            .enc_type(enc)
            .to_node(&net.destination, b"{}", &mut rng)
            .expect("builds");
        let node_key = ChannelKey::for_node(enc, server_secret, built.destination_ephemeral_key())
            .expect("key");
        let answer = ServerResponse {
            status: 200,
            headers: Default::default(),
            body: vec![b'x'; 1024],
        };
        let v4_reply = node::seal_server_response(&node_key, &answer, &mut rng).expect("seals");
        let layer_body = String::from_utf8(vec![b'x'; 1024]).expect("ASCII");
        let plaintext = node::node_reply_plaintext(200, &layer_body, false);
        let node_reply = {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD
                .encode(node_key.encrypt(&mut rng, &plaintext).expect("seals"))
        };
        group.throughput(Throughput::Bytes(1024));
        group.bench_function("ours: v4, 1KiB", |b| {
            b.iter(|| {
                response::decode_server_response(built.response_key(), 200, black_box(&v4_reply))
                    .expect("opens")
            })
        });
        group.bench_function("ours: service node (base64, JSON), 1KiB", |b| {
            b.iter(|| {
                response::decode_node_response(
                    built.response_key(),
                    200,
                    black_box(node_reply.as_bytes()),
                )
                .expect("opens")
            })
        });
        let client_secret = StaticSecret::from([9u8; 32]);
        let server_public = PublicKey::from(server_secret.public_key());
        group.bench_function("floor: Diffie-Hellman + AEAD, 1KiB", |b| {
            b.iter(|| {
                black_box(
                    client_secret
                        .diffie_hellman(black_box(&server_public))
                        .as_bytes(),
                );
                built
                    .response_key()
                    .primary()
                    .decrypt(black_box(&v4_reply))
                    .expect("opens")
            })
        });
        group.bench_function("floor: AEAD alone, 1KiB", |b| {
            b.iter(|| {
                built
                    .response_key()
                    .primary()
                    .decrypt(black_box(&v4_reply))
                    .expect("opens")
            })
        });
        group.finish();
    }
}

fn x25519_candidates(c: &mut Criterion) {
    let net = network();
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let peer_bytes = *net.destination.x25519();
    let peer = PublicKey::from(peer_bytes);
    let prepared = PeerKey::new(peer_bytes);
    let prepared4 = [&prepared; 4];
    let mut group = c.benchmark_group("x25519_ephemeral_agreement");
    group.bench_function("x25519-dalek: key pair + DH", |b| {
        b.iter(|| {
            let mut secret_bytes = [0u8; 32];
            rng.fill_bytes(&mut secret_bytes);
            let secret = StaticSecret::from(secret_bytes);
            (
                PublicKey::from(&secret),
                secret.diffie_hellman(black_box(&peer)),
            )
        })
    });
    group.bench_function("ours: key pair + DH, batch of 4, per agreement x4", |b| {
        b.iter(|| ephemeral::agree_ephemeral(&mut rng, black_box(&prepared4)).expect("agrees"))
    });
    group.bench_function("ours: key pair + DH, single", |b| {
        b.iter(|| ephemeral::agree_ephemeral(&mut rng, black_box(&[&prepared])).expect("agrees"))
    });
    let ring_rng = ring::rand::SystemRandom::new();
    let ring_peer = ring::agreement::UnparsedPublicKey::new(&ring::agreement::X25519, peer_bytes);
    group.bench_function("ring: ephemeral key pair + DH (OS randomness)", |b| {
        b.iter(|| {
            let secret =
                ring::agreement::EphemeralPrivateKey::generate(&ring::agreement::X25519, &ring_rng)
                    .expect("generates");
            let public = secret.compute_public_key().expect("public");
            let shared = ring::agreement::agree_ephemeral(secret, black_box(&ring_peer), |s| s[0])
                .expect("agrees");
            (public.as_ref()[0], shared)
        })
    });
    group.bench_function("x25519-dalek: DH alone (ladder)", |b| {
        let secret = StaticSecret::from([5u8; 32]);
        b.iter(|| secret.diffie_hellman(black_box(&peer)))
    });
    group.finish();
}

criterion_group!(
    benches,
    onion_build,
    onion_peel,
    onion_response,
    x25519_candidates
);
criterion_main!(benches);
