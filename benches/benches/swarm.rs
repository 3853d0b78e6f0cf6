//! The swarm client (`session_swarm::client::SwarmClient`) against a local network of 12
//! nodes in 4 swarms, beside the floors it rests on, measured in the same run.
//!
//! - **Throughput.** One element is a pair: a short text sealed as a 1:1 message (a fresh
//!   ephemeral key each time, as clients do, so that no two messages have the same hash and
//!   the nodes store every one), an unauthenticated `store` of it to namespace 0 of an
//!   account, then a signed `retrieve` of that namespace after the previous message's
//!   hash, which must return exactly the message just stored. Each
//!   iteration runs N pairs at once (N = 1, 16, 64), each on its own account and its own
//!   task of a multi-threaded runtime, through one connected client. Over onion paths
//!   (the default) and, as a baseline, straight to the node (`TransportKind::Direct`).
//! - **The crypto floor** of one pair, with no network: the same 1:1 encryption of the
//!   message (`session_protocol::direct`), and for each of the two requests, building its 3-hop
//!   onion with `session_onion` and decrypting a reply of the size the local nodes give.
//!   A second row adds the client's other CPU work per pair, still without network:
//!   rendering and signing the RPCs and parsing the replies (which verifies the three
//!   members' store signatures). The client's throughput divided by the floor's is how
//!   close the client gets to its crypto.
//! - **Memory per in-flight request**, printed before the groups run (criterion measures
//!   time only): the heap the process holds while 64 stores are kept in flight by a delay
//!   on every node, over 64. The heap is counted by `stats_alloc`'s counting wrapper
//!   around the system allocator (the workspace forbids `unsafe`, so the bench cannot
//!   write its own `GlobalAlloc`). The nodes for this measurement run in a child process
//!   (this binary, started again), so that their allocations are not counted as the
//!   client's. The counting wrapper also stays in place while the groups run: a few
//!   atomic additions per allocation, for ours and the floors alike.
//!
//! Run with `cargo bench -p session-benches --bench swarm`; `docs/performance.md` records
//! a run.

use std::alloc::System;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use criterion::{Criterion, Throughput, criterion_group};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use session_crypto::{Ed25519Seed, X25519Secret};
use session_identity::{Keypair, Seed};
use session_localnet::{AccountId, LocalNet};
use session_onion::{Builder, ChannelKey, EncType, Hop, node, response};
use session_protocol::message::{Message, VisibleMessage};
use session_protocol::{direct, padding};
use session_swarm::client::{ClientOptions, SwarmClient, TransportKind};
use session_swarm::net::{Network, SeedConfig, SeedNode};
use session_swarm::rpc::{Account, Auth, Call, Lifetime, Retrieve, Signer, Store};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

#[global_allocator]
static HEAP: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const DAY_MS: u64 = 86_400_000;
const CONCURRENCY: [usize; 3] = [1, 16, 64];
/// Set in the environment of the child process that serves the network for the memory
/// measurement.
const NETWORK_CHILD: &str = "SESSION_BENCH_SWARM_NETWORK_CHILD";
/// How long each node holds every request while memory is measured. Four nodes on the
/// way (three hops and the destination) each hold it, so it must fit the timeouts four
/// times over.
const HOLD: Duration = Duration::from_secs(2);

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn keypair(seed: u32) -> Keypair {
    let mut bytes = [0x5a; 32];
    bytes[..4].copy_from_slice(&seed.to_le_bytes());
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(bytes))
}

/// What is stored: a short text sealed to its recipient, as a client sends it (160 bytes
/// padded), under a fresh ephemeral key.
fn seal_message(rng: &mut ChaCha20Rng, message: &MessageToSend) -> Vec<u8> {
    direct::encrypt_for_recipient(rng, &message.sender, &message.recipient, &message.padded)
        .expect("a valid recipient")
}

/// The message every pair sends, sealed afresh each time.
struct MessageToSend {
    sender: Keypair,
    recipient: session_identity::SessionId,
    padded: Vec<u8>,
}

impl MessageToSend {
    fn new() -> Self {
        Self {
            sender: sender(),
            recipient: recipient().session_id(),
            padded: padded_message(),
        }
    }
}

fn padded_message() -> Vec<u8> {
    let message = Message::new(
        VisibleMessage::text("Hi Bob! Lunch at noon tomorrow?"),
        1_700_000_000_000,
    );
    padding::pad(&message.encode())
}

fn sender() -> Keypair {
    Seed::from_ed25519_seed(&[0xa1; 32]).keypair()
}

fn recipient() -> Keypair {
    Seed::from_ed25519_seed(&[0xb0; 32]).keypair()
}

async fn start_network() -> LocalNet {
    // Thousands of requests a second from one IP: the real nodes' limit would refuse them.
    LocalNet::builder()
        .nodes(12)
        .swarms(4)
        .seed([11; 32])
        .rate_limit(false)
        .relay_timeout(HOLD * 8)
        .start()
        .await
        .expect("the network starts")
}

fn custom_network(seed_url: String, cert_der: Vec<u8>) -> Network {
    Network::Custom {
        seeds: vec![SeedNode {
            url: seed_url,
            cert_der: Some(cert_der),
        }],
    }
}

fn client_options(transport: TransportKind) -> ClientOptions {
    let mut options = ClientOptions::default();
    options.transport = transport;
    // Every local node is on 127.0.0.1: the /24 rule could never be met.
    options.onion.ignore_subnets = true;
    options.seed = SeedConfig::once(Duration::from_secs(5));
    options
}

/// One pair: seal the message and store it for `signer`'s account, then retrieve what
/// follows `last_hash`, which must be exactly the stored message. Returns the stored
/// message's hash.
async fn store_then_retrieve(
    client: &SwarmClient,
    signer: &Signer,
    rng: &mut ChaCha20Rng,
    message: &MessageToSend,
    last_hash: Option<&str>,
) -> Result<String, String> {
    let sealed = seal_message(rng, message);
    let stored = client
        .store(
            Auth::Anonymous(*signer.account()),
            0,
            &sealed,
            Lifetime::Ttl(DAY_MS),
        )
        .await
        .map_err(|error| format!("store: {error}"))?;
    let inbox = client
        .retrieve(Auth::Signed(signer), 0, last_hash)
        .await
        .map_err(|error| format!("retrieve: {error}"))?;
    match inbox.messages.as_slice() {
        [message] if message.hash == stored.hash => Ok(stored.hash),
        messages => Err(format!(
            "retrieve after {last_hash:?} returned {} messages {:?}, not only the one stored, {}",
            messages.len(),
            messages.iter().map(|m| &m.hash).collect::<Vec<_>>(),
            stored.hash
        )),
    }
}

/// The pairs in flight at once: one account per slot, each remembering its last hash.
struct Slots {
    signers: Vec<Arc<Signer>>,
    last_hashes: Vec<Option<String>>,
    rngs: Vec<Option<ChaCha20Rng>>,
    errors: Arc<Mutex<Vec<String>>>,
}

impl Slots {
    fn new(count: usize, first_seed: u32) -> Self {
        Self {
            signers: (0..count)
                .map(|slot| {
                    let seed = first_seed + u32::try_from(slot).expect("few slots");
                    Arc::new(Signer::user(keypair(seed)))
                })
                .collect(),
            last_hashes: vec![None; count],
            rngs: (0..count)
                .map(|slot| {
                    Some(ChaCha20Rng::seed_from_u64(
                        u64::from(first_seed) << 16 | slot as u64,
                    ))
                })
                .collect(),
            errors: Arc::default(),
        }
    }

    /// Runs one pair per slot at once, each on its own task.
    async fn run_all(&mut self, client: &SwarmClient, message: &Arc<MessageToSend>) {
        let mut tasks = JoinSet::new();
        for (slot, signer) in self.signers.iter().enumerate() {
            let (client, signer, message) =
                (client.clone(), Arc::clone(signer), Arc::clone(message));
            let last_hash = self.last_hashes[slot].take();
            let mut rng = self.rngs[slot].take().expect("returned by the last run");
            tasks.spawn(async move {
                let outcome =
                    store_then_retrieve(&client, &signer, &mut rng, &message, last_hash.as_deref())
                        .await;
                (slot, rng, last_hash, outcome)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let (slot, rng, previous, outcome) = joined.expect("a pair does not panic");
            self.rngs[slot] = Some(rng);
            match outcome {
                Ok(hash) => self.last_hashes[slot] = Some(hash),
                Err(error) => {
                    // A failed store leaves the account where it was.
                    self.last_hashes[slot] = previous;
                    self.errors.lock().expect("not poisoned").push(error);
                }
            }
        }
    }
}

/// Reports the failed pairs of a benchmark loudly: they are the client's, not noise.
fn report_errors(label: &str, slots: &Slots) {
    let errors = slots.errors.lock().expect("not poisoned");
    if errors.is_empty() {
        return;
    }
    eprintln!("{label}: {} pairs failed; first errors:", errors.len());
    let mut distinct: Vec<&String> = errors.iter().collect();
    distinct.sort();
    distinct.dedup();
    for error in distinct.iter().take(5) {
        eprintln!("  {error}");
    }
}

fn store_and_retrieve(c: &mut Criterion) {
    let runtime = runtime();
    let net = runtime.block_on(start_network());
    let message = Arc::new(MessageToSend::new());
    let mut group = c.benchmark_group("swarm store+retrieve");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for (transport, label) in [
        (TransportKind::Onion, "onion"),
        (TransportKind::Direct, "direct"),
    ] {
        let client = runtime
            .block_on(SwarmClient::connect(
                custom_network(net.seed_url().to_owned(), net.seed_cert_der().to_vec()),
                client_options(transport),
            ))
            .expect("the client connects");
        for (index, concurrency) in CONCURRENCY.into_iter().enumerate() {
            let name = format!("{label}, {concurrency} at once");
            // Accounts of their own per benchmark, so no retrieve reads another's messages.
            let transport_accounts = if transport == TransportKind::Onion {
                1_000
            } else {
                2_000
            };
            let first_seed = transport_accounts + 100 * u32::try_from(index).expect("three");
            let mut slots = Slots::new(concurrency, first_seed);
            group.throughput(Throughput::Elements(concurrency as u64));
            group.bench_function(&name, |b| {
                b.iter_custom(|iterations| {
                    runtime.block_on(async {
                        let started = Instant::now();
                        for _ in 0..iterations {
                            slots.run_all(&client, &message).await;
                        }
                        started.elapsed()
                    })
                });
            });
            report_errors(&name, &slots);
        }
    }

    let floor = CryptoFloor::new(&runtime, &net);
    group.throughput(Throughput::Elements(1));
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    group.bench_function("floor: message + onion crypto, 1 core", |b| {
        b.iter(|| floor.crypto(&mut rng));
    });
    group.bench_function("floor + RPC rendering, signing and parsing, 1 core", |b| {
        b.iter(|| floor.crypto_and_rpc(&mut rng));
    });
    group.finish();
    runtime.block_on(net.shutdown());
}

/// The CPU work of one pair without the network, on one request and reply of each kind
/// taken from the local network.
struct CryptoFloor {
    message: MessageToSend,
    hops: Vec<Hop>,
    destination: Hop,
    signer: Signer,
    store_call: Store,
    store_body: Vec<u8>,
    store_reply: OnionReply,
    retrieve_call: Retrieve,
    retrieve_body: Vec<u8>,
    retrieve_reply: OnionReply,
}

/// A node's onion reply to one built request, and the key that opens it.
struct OnionReply {
    key: session_onion::ResponseKey,
    http_body: Vec<u8>,
}

impl CryptoFloor {
    fn new(runtime: &Runtime, net: &LocalNet) -> Self {
        let signer = Signer::user(keypair(9999));
        let now_ms = now_ms();
        let message = MessageToSend::new();
        let data = seal_message(&mut ChaCha20Rng::seed_from_u64(1), &message);
        let store_call = Store::new(
            Auth::Anonymous(*signer.account()),
            0,
            &data,
            Lifetime::Ttl(DAY_MS),
            now_ms,
        )
        .expect("a store");
        let retrieve_call = Retrieve::new(Auth::Signed(&signer), 0, now_ms).expect("a retrieve");
        let store_body = store_call.request().to_bytes();
        let retrieve_body = retrieve_call.request().to_bytes();
        let (store_answer, retrieve_answer) = runtime.block_on(async {
            let store = post_rpc(net, signer.account(), &store_body).await;
            (store, post_rpc(net, signer.account(), &retrieve_body).await)
        });

        // Synthetic node keys: the floor only needs keys of the right kind.
        let secrets: Vec<X25519Secret> = (1..=4u8)
            .map(|i| X25519Secret::from_bytes([i; 32]))
            .collect();
        let mut hops: Vec<Hop> = secrets
            .iter()
            .enumerate()
            .map(|(i, secret)| Hop::new([i as u8 + 0x10; 32], secret.public_key()))
            .collect();
        let destination = hops.pop().expect("four nodes");
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let mut reply_to = |body: &[u8], answer: &str| {
            let built = Builder::new(&hops)
                .enc_type(EncType::XChaCha20)
                .to_node(&destination, body, &mut rng)
                .expect("builds");
            let key = ChannelKey::for_node(
                EncType::XChaCha20,
                &secrets[3],
                built.destination_ephemeral_key(),
            )
            .expect("a key");
            let plaintext = node::node_reply_plaintext(200, answer, false);
            let sealed = key.encrypt(&mut rng, &plaintext).expect("seals");
            OnionReply {
                key: built.response_key().clone(),
                http_body: STANDARD.encode(sealed).into_bytes(),
            }
        };
        let store_reply = reply_to(&store_body, &store_answer);
        let retrieve_reply = reply_to(&retrieve_body, &retrieve_answer);
        let floor = Self {
            message,
            hops,
            destination,
            signer,
            store_call,
            store_body,
            store_reply,
            retrieve_call,
            retrieve_body,
            retrieve_reply,
        };
        let (stored, retrieved) = floor.parse_replies();
        assert_eq!(stored.members.verified().count(), 3, "three members signed");
        assert_eq!(retrieved.messages.len(), 1, "the message stored");
        floor
    }

    fn onion_round(&self, rng: &mut ChaCha20Rng, body: &[u8], reply: &OnionReply) -> Vec<u8> {
        let built = Builder::new(&self.hops)
            .enc_type(EncType::XChaCha20)
            .to_node(&self.destination, black_box(body), rng)
            .expect("builds");
        black_box(built.body());
        // The reply was sealed for another build of the same request: the work is the same.
        response::decode_node_response(&reply.key, 200, black_box(&reply.http_body))
            .expect("opens")
            .body
    }

    fn crypto(&self, rng: &mut ChaCha20Rng) -> usize {
        let sealed = seal_message(rng, &self.message);
        let stored = self.onion_round(rng, &self.store_body, &self.store_reply);
        let retrieved = self.onion_round(rng, &self.retrieve_body, &self.retrieve_reply);
        sealed.len() + stored.len() + retrieved.len()
    }

    fn crypto_and_rpc(&self, rng: &mut ChaCha20Rng) -> usize {
        let sealed = seal_message(rng, &self.message);
        let now_ms = now_ms();
        let store = Store::new(
            Auth::Anonymous(*self.signer.account()),
            0,
            &sealed,
            Lifetime::Ttl(DAY_MS),
            now_ms,
        )
        .expect("a store");
        let retrieve = Retrieve::new(Auth::Signed(&self.signer), 0, now_ms)
            .expect("a retrieve")
            .last_hash("previous-message-hash-of-43-characters-xxxx");
        let stored = self.onion_round(rng, &store.request().to_bytes(), &self.store_reply);
        let retrieved = self.onion_round(rng, &retrieve.request().to_bytes(), &self.retrieve_reply);
        // The signatures in the captured replies are over the captured requests.
        let store_result = self
            .store_call
            .parse(&serde_json::from_slice(&stored).expect("JSON"))
            .expect("parses");
        let retrieve_result = self
            .retrieve_call
            .parse(&serde_json::from_slice(&retrieved).expect("JSON"))
            .expect("parses");
        store_result.hash.len() + retrieve_result.messages.len()
    }

    fn parse_replies(
        &self,
    ) -> (
        session_swarm::rpc::StoreResult,
        session_swarm::rpc::RetrieveResult,
    ) {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let stored = self.onion_round(&mut rng, &self.store_body, &self.store_reply);
        let retrieved = self.onion_round(&mut rng, &self.retrieve_body, &self.retrieve_reply);
        (
            self.store_call
                .parse(&serde_json::from_slice(&stored).expect("JSON"))
                .expect("a store result"),
            self.retrieve_call
                .parse(&serde_json::from_slice(&retrieved).expect("JSON"))
                .expect("a retrieve result"),
        )
    }
}

/// POSTs `body` straight to a member of `account`'s swarm; returns the answer's text.
async fn post_rpc(net: &LocalNet, account: &Account, body: &[u8]) -> String {
    let tls = session_localnet::tls::accept_any_certificate().expect("a TLS config");
    let http = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .build()
        .expect("a client");
    let member = net
        .swarm_nodes(&AccountId::from_bytes(*account.as_bytes()))
        .into_iter()
        .next()
        .expect("a swarm member");
    let response = http
        .post(format!("{}/storage_rpc/v1", member.url()))
        .body(body.to_vec())
        .send()
        .await
        .expect("the node answers");
    assert_eq!(response.status(), 200);
    response.text().await.expect("a body")
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}

/// The network for the memory measurement, in a child process that the parent steers
/// over its standard input: `hold` delays every request on every node by [`HOLD`],
/// `release` clears that, and the end of input shuts the network down.
fn serve_network_to_parent() {
    let runtime = runtime();
    let net = runtime.block_on(start_network());
    println!("{} {}", net.seed_url(), hex::encode(net.seed_cert_der()));
    for line in std::io::stdin().lock().lines() {
        match line.expect("the parent's pipe").as_str() {
            "hold" => net.nodes().iter().for_each(|n| n.delay_requests(1.0, HOLD)),
            "release" => net.nodes().iter().for_each(|n| n.clear_faults()),
            other => panic!("unknown command {other:?}"),
        }
        println!("ok");
    }
    runtime.block_on(net.shutdown());
}

struct NetworkChild {
    process: Child,
    commands: ChildStdin,
    answers: BufReader<std::process::ChildStdout>,
}

impl NetworkChild {
    fn start() -> (Self, Network) {
        let mut process = Command::new(std::env::current_exe().expect("this binary"))
            .env(NETWORK_CHILD, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the child starts");
        let commands = process.stdin.take().expect("piped");
        let mut answers = BufReader::new(process.stdout.take().expect("piped"));
        let mut line = String::new();
        answers.read_line(&mut line).expect("the child's seed");
        let (url, cert_hex) = line.trim().split_once(' ').expect("url and certificate");
        let network = custom_network(url.to_owned(), hex::decode(cert_hex).expect("hex"));
        (
            Self {
                process,
                commands,
                answers,
            },
            network,
        )
    }

    fn command(&mut self, command: &str) {
        writeln!(self.commands, "{command}").expect("the child listens");
        let mut line = String::new();
        self.answers
            .read_line(&mut line)
            .expect("the child answers");
        assert_eq!(line.trim(), "ok");
    }

    fn stop(self) {
        let Self {
            mut process,
            commands,
            ..
        } = self;
        drop(commands);
        process.wait().expect("the child exits");
    }
}

/// Net heap bytes allocated in `region` so far (freed and reallocated bytes accounted).
fn net_heap_bytes(region: &Region<'_, System>) -> i64 {
    let change = region.change();
    let allocated = i64::try_from(change.bytes_allocated).expect("fits");
    let freed = i64::try_from(change.bytes_deallocated).expect("fits");
    allocated - freed + i64::try_from(change.bytes_reallocated).expect("fits")
}

/// The heap held by `in_flight` stores while the nodes hold them, and how many failed.
async fn heap_while_held(
    client: &SwarmClient,
    child: &mut NetworkChild,
    in_flight: usize,
    first_seed: u32,
) -> (i64, usize) {
    let message = Arc::new(MessageToSend::new());
    let signers = Slots::new(in_flight, first_seed).signers;
    let finished = Arc::new(AtomicUsize::new(0));
    child.command("hold");
    let region = Region::new(HEAP);
    let mut tasks = JoinSet::new();
    for (index, signer) in signers.into_iter().enumerate() {
        let (client, message, finished) =
            (client.clone(), Arc::clone(&message), Arc::clone(&finished));
        let mut rng = ChaCha20Rng::seed_from_u64(u64::from(first_seed) << 32 | index as u64);
        tasks.spawn(async move {
            let sealed = seal_message(&mut rng, &message);
            let stored = client
                .store(
                    Auth::Anonymous(*signer.account()),
                    0,
                    &sealed,
                    Lifetime::Ttl(DAY_MS),
                )
                .await;
            finished.fetch_add(1, Ordering::SeqCst);
            stored
                .map(|_| ())
                .map_err(|error| format!("store while held: {error}"))
        });
    }
    // Long enough to reach the guard, well before the guard lets go.
    tokio::time::sleep(HOLD / 2).await;
    let held = net_heap_bytes(&region);
    assert_eq!(
        finished.load(Ordering::SeqCst),
        0,
        "every store is still in flight when measured"
    );
    child.command("release");
    let mut failed = 0;
    while let Some(joined) = tasks.join_next().await {
        if let Err(error) = joined.expect("a store does not panic") {
            eprintln!("{error}");
            failed += 1;
        }
    }
    (held, failed)
}

fn memory_per_request(_: &mut Criterion) {
    let runtime = runtime();
    let (mut child, network) = NetworkChild::start();
    let mut options = client_options(TransportKind::Onion);
    options.request_timeout = HOLD * 8;
    options.deadline = HOLD * 10;
    let client = runtime
        .block_on(SwarmClient::connect(network, options))
        .expect("the client connects");
    runtime.block_on(async {
        // Fill the swarm cache, connections and paths first: the steady state of a client.
        let mut warm = Slots::new(64, 50_000);
        warm.run_all(&client, &Arc::new(MessageToSend::new())).await;
        report_errors("memory warm-up", &warm);
        let (one, one_failed) = heap_while_held(&client, &mut child, 1, 50_000).await;
        let (many, many_failed) = heap_while_held(&client, &mut child, 64, 50_000).await;
        println!(
            "swarm client memory: 1 store in flight holds {one} B of heap ({one_failed} failed); \
             64 in flight hold {many} B ({many_failed} failed): {} B per request, \
             {} B per request beyond the first",
            many / 64,
            (many - one) / 63,
        );
    });
    drop(client);
    child.stop();
}

criterion_group!(benches, memory_per_request, store_and_retrieve);

fn main() {
    if std::env::var_os(NETWORK_CHILD).is_some() {
        serve_network_to_parent();
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
