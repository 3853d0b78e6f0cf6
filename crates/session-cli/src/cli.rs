//! The command line: clap types, and parsing that never lets a secret into an error.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

use crate::error::CliError;

/// Session messenger tools. Every command prints one JSON object on stdout; errors print
/// {"error": "..."} on stderr with a non-zero exit code.
#[derive(Debug, Parser)]
#[command(name = "session-cli", version)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The command groups.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Accounts: create, restore, blind, sign, show as a QR code.
    #[command(subcommand)]
    Id(IdCommand),
    /// 1:1 messages: encrypt as clients store them on a swarm, decrypt what was retrieved.
    #[command(subcommand)]
    Message(MessageCommand),
    /// Attachment files: encrypt and decrypt with the scheme every client reads.
    #[command(subcommand)]
    Attachment(AttachmentCommand),
    /// Onion requests: build the body to POST to a guard node, decrypt what comes back.
    #[command(subcommand)]
    Onion(OnionCommand),
    /// Run a local Session network (storage nodes, seed endpoint, file server, community
    /// server) on 127.0.0.1 in the foreground; prints one JSON line when ready and serves
    /// until interrupted.
    Localnet(LocalnetArgs),
    /// Send a text message to a Session ID through an onion path, via the network behind
    /// --seed-url; prints the stored message's hash and timestamp.
    Send(SendArgs),
    /// Poll the account's swarm for new messages (until one arrives or --wait-ms passes)
    /// and print them.
    Receive(ReceiveArgs),
    /// Communities (SOGS): list rooms, read, post, react, upload, and blinded DMs; through
    /// onion paths with --seed-url, straight to the server otherwise.
    #[command(subcommand)]
    Community(CommunityCommand),
    /// User configs: read config messages offline, or show the account's configs as its
    /// swarm holds them.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Closed groups (v2): create, post, read and administer them on the network; key
    /// messages, group message decryption and member swarm access offline.
    #[command(subcommand)]
    Group(GroupCommand),
}

/// Which network `send` and `receive` join.
#[derive(Debug, Args)]
pub(crate) struct NetworkArgs {
    /// The seed endpoint to bootstrap from, e.g. the `seed_url` that `localnet` prints.
    #[arg(long, value_name = "URL")]
    pub(crate) seed_url: String,
    /// The seed's certificate (a PEM file) to pin; required for an `https` seed.
    #[arg(long, value_name = "PEM_FILE")]
    pub(crate) seed_cert: Option<PathBuf>,
}

/// An account on the network, for the commands that need both and no more: the network,
/// the account, and the store it remembers its state in.
#[derive(Debug, Args)]
pub(crate) struct AccountArgs {
    /// The network.
    #[command(flatten)]
    pub(crate) network: NetworkArgs,
    /// Keep the account's state (configs, groups, what was read) in this SQLite file
    /// (created if missing). Without it, everything is taken up again from the swarms.
    #[arg(long, value_name = "FILE")]
    pub(crate) store: Option<PathBuf>,
    /// The account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
}

/// `send`
#[derive(Debug, Args)]
pub(crate) struct SendArgs {
    /// The network.
    #[command(flatten)]
    pub(crate) network: NetworkArgs,
    /// The recipient's `05` Session ID.
    #[arg(long, value_name = "ID")]
    pub(crate) to: String,
    /// The message text.
    #[arg(long, value_name = "TEXT")]
    pub(crate) text: String,
    /// The SQLite store `receive --store` uses for this account, so that the copy of this
    /// message kept for the account's other devices is not received back here.
    #[arg(long, value_name = "FILE")]
    pub(crate) store: Option<PathBuf>,
    /// The sender's account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
}

/// `receive`
#[derive(Debug, Args)]
pub(crate) struct ReceiveArgs {
    /// The network.
    #[command(flatten)]
    pub(crate) network: NetworkArgs,
    /// Keep polling for up to this many milliseconds until at least one message arrives
    /// (0: look once).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub(crate) wait_ms: u64,
    /// Remember delivered messages in this SQLite file (created if missing), so that the
    /// next run prints only newer ones. Without it, every run prints every message still
    /// on the swarm.
    #[arg(long, value_name = "FILE")]
    pub(crate) store: Option<PathBuf>,
    /// The recipient's account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
}

/// `session-cli community ...`
#[derive(Debug, Subcommand)]
pub(crate) enum CommunityCommand {
    /// The rooms a server lists (asked anonymously).
    Rooms(CommunityRoomsArgs),
    /// A room's messages posted or edited after a sequence number (all of them without
    /// --since), with their reactions and each poster's signature checked.
    Read(CommunityReadArgs),
    /// Post a text message to a room, signed with the account's blinded key.
    Post(CommunityPostArgs),
    /// Add a reaction to a message.
    React(CommunityReactArgs),
    /// Upload a file to a room.
    Upload(CommunityUploadArgs),
    /// Send a blinded DM to another user of the server.
    DmSend(CommunityDmSendArgs),
    /// Read the account's blinded DMs on the server, each sender's Session ID recovered.
    DmRead(CommunityDmReadArgs),
}

/// How community requests travel: through onion paths of the network behind --seed-url,
/// or, without it, straight to the server (which then sees our address).
#[derive(Debug, Args)]
pub(crate) struct RouteArgs {
    /// The seed endpoint of the network whose onion paths carry the requests.
    #[arg(long, value_name = "URL")]
    pub(crate) seed_url: Option<String>,
    /// The seed's certificate (a PEM file) to pin; required for an `https` seed.
    #[arg(long, value_name = "PEM_FILE", requires = "seed_url")]
    pub(crate) seed_cert: Option<PathBuf>,
}

/// `community rooms`
#[derive(Debug, Args)]
pub(crate) struct CommunityRoomsArgs {
    /// The server's base URL, e.g. `http://open.getsession.org`.
    #[arg(long, value_name = "URL")]
    pub(crate) server: String,
    /// The server's X25519 public key (32 bytes of hex).
    #[arg(long, value_name = "HEX")]
    pub(crate) server_pubkey: String,
    /// The route.
    #[command(flatten)]
    pub(crate) route: RouteArgs,
}

/// `community read`
#[derive(Debug, Args)]
pub(crate) struct CommunityReadArgs {
    /// The room URL (`https://host/room?public_key=...`).
    #[arg(long, value_name = "URL")]
    pub(crate) url: String,
    /// Only messages posted or edited after this sequence number (a message's `seqno`
    /// also moves when its reactions change).
    #[arg(long, value_name = "SEQNO", default_value_t = 0)]
    pub(crate) since: u64,
    /// The account that signs the requests.
    #[command(flatten)]
    pub(crate) source: SecretSource,
    /// The route.
    #[command(flatten)]
    pub(crate) route: RouteArgs,
}

/// `community post`
#[derive(Debug, Args)]
pub(crate) struct CommunityPostArgs {
    /// The room URL.
    #[arg(long, value_name = "URL")]
    pub(crate) url: String,
    /// The message text.
    #[arg(long, value_name = "TEXT")]
    pub(crate) text: String,
    /// The poster's account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
    /// The route.
    #[command(flatten)]
    pub(crate) route: RouteArgs,
}

/// `community react`
#[derive(Debug, Args)]
pub(crate) struct CommunityReactArgs {
    /// The room URL.
    #[arg(long, value_name = "URL")]
    pub(crate) url: String,
    /// The message's id in the room.
    #[arg(long, value_name = "ID")]
    pub(crate) message_id: u64,
    /// The reaction (1 to 12 characters, usually one emoji).
    #[arg(long, value_name = "EMOJI")]
    pub(crate) emoji: String,
    /// The reacting account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
    /// The route.
    #[command(flatten)]
    pub(crate) route: RouteArgs,
}

/// `community upload`
#[derive(Debug, Args)]
pub(crate) struct CommunityUploadArgs {
    /// The room URL.
    #[arg(long, value_name = "URL")]
    pub(crate) url: String,
    /// The file to upload (its name goes along).
    #[arg(long, value_name = "PATH")]
    pub(crate) file: PathBuf,
    /// The uploading account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
    /// The route.
    #[command(flatten)]
    pub(crate) route: RouteArgs,
}

/// `community dm-send`
#[derive(Debug, Args)]
pub(crate) struct CommunityDmSendArgs {
    /// A room URL on the server (it names the server and its key).
    #[arg(long, value_name = "URL")]
    pub(crate) url: String,
    /// The recipient's blinded ID on this server (`15...` or `25...`).
    #[arg(long, value_name = "ID")]
    pub(crate) to: String,
    /// The message text.
    #[arg(long, value_name = "TEXT")]
    pub(crate) text: String,
    /// The sender's account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
    /// The route.
    #[command(flatten)]
    pub(crate) route: RouteArgs,
}

/// `community dm-read`
#[derive(Debug, Args)]
pub(crate) struct CommunityDmReadArgs {
    /// A room URL on the server.
    #[arg(long, value_name = "URL")]
    pub(crate) url: String,
    /// Only DMs with a larger id.
    #[arg(long, value_name = "ID")]
    pub(crate) since: Option<u64>,
    /// The recipient's account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
    /// The route.
    #[command(flatten)]
    pub(crate) route: RouteArgs,
}

/// `localnet`
#[derive(Debug, Args)]
pub(crate) struct LocalnetArgs {
    /// How many storage nodes.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u16).range(1..).map(usize::from))]
    pub(crate) nodes: usize,
    /// How many swarms the nodes form (at most one per node).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..).map(usize::from))]
    pub(crate) swarms: usize,
    /// Fixed ports: the seed endpoint on P, node i on P+1+i, the file server after the last
    /// node and the community server after it. Without it the system picks free ports.
    #[arg(long, value_name = "P", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) port_base: Option<u16>,
    /// Keep messages (SQLite) and the network's keys in this directory, so a restart on the
    /// same directory brings back the same nodes and messages.
    #[arg(long, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}

/// `session-cli id ...`
#[derive(Debug, Subcommand)]
pub(crate) enum IdCommand {
    /// Create a new account from OS randomness.
    New,
    /// Show an account's phrase, seed, keys and Session ID.
    Show(ShowArgs),
    /// Community-blinded IDs of an account (or of someone's Session ID) on a server.
    Blind(BlindArgs),
    /// Sign a message with the account key or a community-blinded key.
    Sign(SignArgs),
    /// Show a Session ID as a QR code (on stderr, or written to an SVG file).
    Qr(QrArgs),
}

/// An account's secret: exactly one of a recovery phrase or a seed.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct SecretSource {
    /// The 13-word recovery phrase, quoted as one argument.
    #[arg(long, value_name = "WORDS")]
    pub(crate) mnemonic: Option<String>,
    /// The seed as hex: 16 bytes (a recovery seed) or 32 bytes (a full Ed25519 seed).
    #[arg(long, value_name = "HEX")]
    pub(crate) seed: Option<String>,
}

/// An account's secret or, when no secret is at hand, its public Session ID.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct AccountSource {
    /// The 13-word recovery phrase, quoted as one argument.
    #[arg(long, value_name = "WORDS")]
    pub(crate) mnemonic: Option<String>,
    /// The seed as hex: 16 bytes (a recovery seed) or 32 bytes (a full Ed25519 seed).
    #[arg(long, value_name = "HEX")]
    pub(crate) seed: Option<String>,
    /// A `05` Session ID (66 hex characters).
    #[arg(long, value_name = "ID")]
    pub(crate) session_id: Option<String>,
}

/// `id show`
#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
}

/// `id blind`
#[derive(Debug, Args)]
pub(crate) struct BlindArgs {
    /// The community server's X25519 public key (32 bytes of hex).
    #[arg(long, value_name = "HEX")]
    pub(crate) server_pubkey: String,
    /// The account.
    #[command(flatten)]
    pub(crate) source: AccountSource,
}

/// Which key signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Scheme {
    /// The account's own Ed25519 key.
    #[value(name = "ed25519")]
    Ed25519,
    /// The blind15 key for a community server (needs --server-pubkey).
    #[value(name = "blind15")]
    Blind15,
    /// The blind25 key for a community server (needs --server-pubkey).
    #[value(name = "blind25")]
    Blind25,
}

/// `id sign`
#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// Which key signs.
    #[arg(long, value_enum)]
    pub(crate) scheme: Scheme,
    /// The community server's X25519 public key (32 bytes of hex); blind schemes only.
    #[arg(long, value_name = "HEX")]
    pub(crate) server_pubkey: Option<String>,
    /// The message to sign, as hex.
    #[arg(long, value_name = "HEX")]
    pub(crate) message_hex: String,
    /// The account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
}

/// `id qr`
#[derive(Debug, Args)]
pub(crate) struct QrArgs {
    /// Write the QR code to this SVG file instead of drawing it on stderr.
    #[arg(long, value_name = "FILE")]
    pub(crate) svg: Option<PathBuf>,
    /// The account.
    #[command(flatten)]
    pub(crate) source: AccountSource,
}

/// `session-cli message ...`
#[derive(Debug, Subcommand)]
pub(crate) enum MessageCommand {
    /// Encrypt a text message from an account to a Session ID, as stored on the recipient's
    /// swarm.
    Encrypt(MessageEncryptArgs),
    /// Decrypt a stored message with the recipient's account.
    Decrypt(MessageDecryptArgs),
}

/// How a message is framed for the swarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// What clients send today (libsession): empty verb and path, `sourceDevice` 1, a
    /// 64-byte `proSig` decoy; padded to a multiple of 160 bytes.
    #[value(name = "current")]
    Current,
    /// What older clients sent: `PUT /api/v1/message`, no `proSig`; padded to 160k - 1 bytes.
    #[value(name = "legacy")]
    Legacy,
}

/// `message encrypt`
#[derive(Debug, Args)]
pub(crate) struct MessageEncryptArgs {
    /// The recipient's `05` Session ID.
    #[arg(long, value_name = "ID")]
    pub(crate) to: String,
    /// The message text.
    #[arg(long, value_name = "TEXT")]
    pub(crate) text: String,
    /// When the message is sent, in milliseconds since the Unix epoch (the envelope
    /// timestamp and the signed `sigTimestamp`).
    #[arg(long, value_name = "MS")]
    pub(crate) timestamp: u64,
    /// The framing.
    #[arg(long, value_enum, default_value_t = Format::Current)]
    pub(crate) format: Format,
    /// 32 bytes of hex that make the output deterministic: the seed of the sealed box's
    /// ephemeral key (and of the current format's proSig decoy). Whoever knows it can
    /// decrypt the message; never use one twice. Without it, fresh OS randomness is used.
    #[arg(long, value_name = "HEX")]
    pub(crate) eph_seed: Option<String>,
    /// The sender's account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
}

/// `message decrypt`
#[derive(Debug, Args)]
pub(crate) struct MessageDecryptArgs {
    /// The stored message: standard base64, as a swarm returns it.
    #[arg(long, value_name = "BASE64")]
    pub(crate) data: String,
    /// The recipient's account.
    #[command(flatten)]
    pub(crate) source: SecretSource,
}

/// `session-cli attachment ...`
#[derive(Debug, Subcommand)]
pub(crate) enum AttachmentCommand {
    /// Encrypt a file with a fresh random key (AES-256-CBC + HMAC-SHA256, size-padded as
    /// desktop pads), ready to upload.
    Encrypt(AttachmentEncryptArgs),
    /// Check and decrypt a downloaded attachment with its pointer's key, digest and size.
    Decrypt(AttachmentDecryptArgs),
}

/// `attachment encrypt`
#[derive(Debug, Args)]
pub(crate) struct AttachmentEncryptArgs {
    /// The file to encrypt.
    #[arg(long = "in", value_name = "FILE")]
    pub(crate) input: PathBuf,
    /// Where to write the encrypted attachment.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
}

/// `attachment decrypt`
#[derive(Debug, Args)]
pub(crate) struct AttachmentDecryptArgs {
    /// The encrypted attachment.
    #[arg(long = "in", value_name = "FILE")]
    pub(crate) input: PathBuf,
    /// Where to write the decrypted file.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// The attachment key: 64 bytes of hex.
    #[arg(long, value_name = "HEX")]
    pub(crate) key: String,
    /// The SHA-256 digest of the encrypted attachment: 32 bytes of hex.
    #[arg(long, value_name = "HEX")]
    pub(crate) digest: String,
    /// The plaintext size in bytes, as the attachment pointer gives it.
    #[arg(long, value_name = "BYTES")]
    pub(crate) size: usize,
}

/// `session-cli onion ...`
#[derive(Debug, Subcommand)]
pub(crate) enum OnionCommand {
    /// Build an onion request over a path of service nodes to a service node (a JSON-RPC
    /// payload) or to a server (an onion v4 HTTP request), with fresh OS randomness.
    Build(OnionBuildArgs),
    /// Decrypt the guard's answer to a built request with the printed response key.
    DecryptResponse(OnionDecryptArgs),
}

/// How every layer of an onion (and the answer) is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OnionEncType {
    /// AES-256-GCM with a 12-byte IV (alias `gcm`).
    #[value(name = "aes-gcm", alias = "gcm")]
    AesGcm,
    /// XChaCha20-Poly1305 with a 24-byte nonce, what libsession sends (alias
    /// `xchacha20-poly1305`).
    #[value(name = "xchacha20", alias = "xchacha20-poly1305")]
    XChaCha20,
}

/// `onion build`: exactly one destination, a service node (`--snode` and `--payload`) or a
/// server (`--server`, `--server-pubkey`, `--method`, `--endpoint` and maybe `--body`).
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("destination")
        .required(true)
        .multiple(false)
        .args(["snode", "server"])
))]
pub(crate) struct OnionBuildArgs {
    /// A service node of the path, guard first: its Ed25519 and X25519 public keys as hex,
    /// `<ed25519>:<x25519>`. Repeat for every hop (1 to 15).
    #[arg(long = "hop", value_name = "ED25519:X25519")]
    pub(crate) hops: Vec<String>,
    /// The destination service node: `<ed25519>:<x25519>` public keys as hex.
    #[arg(long, value_name = "ED25519:X25519", requires = "payload")]
    pub(crate) snode: Option<String>,
    /// The JSON-RPC body for the service node, e.g. `{"method":"info","params":{}}`; sent
    /// byte for byte as given.
    #[arg(long, value_name = "JSON", requires = "snode")]
    pub(crate) payload: Option<String>,
    /// The destination server: `http://` or `https://` host, with an optional port (any path
    /// is ignored: the last hop always posts to `/oxen/v4/lsrpc`).
    #[arg(
        long,
        value_name = "URL",
        requires_all = ["server_pubkey", "method", "endpoint"]
    )]
    pub(crate) server: Option<String>,
    /// The server's X25519 public key (32 bytes of hex).
    #[arg(long, value_name = "HEX", requires = "server")]
    pub(crate) server_pubkey: Option<String>,
    /// The HTTP method of the request to the server: GET, POST, PUT, DELETE...
    #[arg(long, value_name = "METHOD", requires = "server")]
    pub(crate) method: Option<String>,
    /// The path (and query) of the request to the server, starting with `/`.
    #[arg(long, value_name = "PATH", requires = "server")]
    pub(crate) endpoint: Option<String>,
    /// The body of the request to the server, as text (sent with `Content-Type:
    /// application/json`).
    #[arg(long, value_name = "TEXT", requires = "server")]
    pub(crate) body: Option<String>,
    /// How every layer is encrypted.
    #[arg(long, value_enum, default_value_t = OnionEncType::XChaCha20)]
    pub(crate) enc_type: OnionEncType,
}

/// What kind of destination answered: exactly one of `--v4` or `--snode`.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct ResponseKind {
    /// The request went to a server (onion v4): the data is the raw ciphertext.
    #[arg(long)]
    pub(crate) v4: bool,
    /// The request went to a service node: the data is base64 text, bare or inside
    /// `{"result": ...}`.
    #[arg(long)]
    pub(crate) snode: bool,
}

/// `onion decrypt-response`
#[derive(Debug, Args)]
pub(crate) struct OnionDecryptArgs {
    /// The `response_key_hex` that `onion build` printed: 32 bytes of hex.
    #[arg(long, value_name = "HEX")]
    pub(crate) response_key: String,
    /// The enc type the request was built with.
    #[arg(long, value_enum)]
    pub(crate) enc_type: OnionEncType,
    /// The kind of destination.
    #[command(flatten)]
    pub(crate) kind: ResponseKind,
    /// The body of the guard's HTTP 200 response, exactly as received, as hex.
    #[arg(long, value_name = "HEX")]
    pub(crate) data_hex: String,
}

/// What the command line asks for.
#[derive(Debug)]
pub(crate) enum Invocation {
    /// A command to run.
    Run(Cli),
    /// `--help` or `--version`: clap's text, to print as it is.
    Info(clap::Error),
}

/// `session-cli config ...`
#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Merge config messages as the account's swarm stores them and print the config.
    Read(ConfigReadArgs),
    /// The account's profile, contacts, groups and communities, synced from its swarm.
    Show(ConfigShowArgs),
}

/// `config show`
#[derive(Debug, Args)]
pub(crate) struct ConfigShowArgs {
    /// The account and its network.
    #[command(flatten)]
    pub(crate) account: AccountArgs,
}

/// The user configs `config read` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConfigKindArg {
    /// UserProfile (namespace 2).
    UserProfile,
    /// Contacts (namespace 3).
    Contacts,
    /// UserGroups (namespace 5).
    UserGroups,
    /// ConvoInfoVolatile (namespace 4).
    ConvoInfoVolatile,
}

/// `config read`
#[derive(Debug, Args)]
pub(crate) struct ConfigReadArgs {
    /// Which config the messages are.
    #[arg(long, value_enum)]
    pub(crate) kind: ConfigKindArg,
    /// The account's 32-byte Ed25519 seed, hex (the configs' encryption key).
    #[arg(long, value_name = "HEX")]
    pub(crate) seed: String,
    /// A stored config message, standard base64 (as retrieved from the swarm); repeat for
    /// each message to merge.
    #[arg(long = "data-base64", value_name = "BASE64", required = true)]
    pub(crate) data_base64: Vec<String>,
}

/// `session-cli group ...`
#[derive(Debug, Subcommand)]
pub(crate) enum GroupCommand {
    /// The key message of one generation for a member list (deterministic).
    Rekey(GroupRekeyArgs),
    /// The group keys a user gets from key messages, newest first.
    LoadKeys(GroupLoadKeysArgs),
    /// Decrypt a group message (namespace 11) with the keys of key messages.
    Decrypt(GroupDecryptArgs),
    /// A member's subaccount authentication data and token.
    Subaccount(GroupSubaccountArgs),
    /// Sign a storage request as a member, with the authentication data of its invite.
    SignRequest(GroupSignRequestArgs),
    /// Create a group with us as admin, push its configs and invite the members.
    Create(GroupCreateArgs),
    /// Post a text message to a group.
    Send(GroupSendArgs),
    /// Read a group's messages (accepting a pending invite to it first).
    Read(GroupReadArgs),
    /// Add members to a group and invite them (admins only).
    Invite(GroupMembersArgs),
    /// Remove members from a group: a new key for the others, their access revoked.
    Remove(GroupRemoveArgs),
    /// Make a member an admin of a group (admins only).
    Promote(GroupPromoteArgs),
}

/// `group create`
#[derive(Debug, Args)]
pub(crate) struct GroupCreateArgs {
    /// The group's name (at most 100 bytes).
    #[arg(long, value_name = "NAME")]
    pub(crate) name: String,
    /// A member's `05` Session ID; repeat for each (at most 99).
    #[arg(long, value_name = "ID")]
    pub(crate) member: Vec<String>,
    /// The admin's account and its network.
    #[command(flatten)]
    pub(crate) account: AccountArgs,
}

/// `group send`
#[derive(Debug, Args)]
pub(crate) struct GroupSendArgs {
    /// The group's `03` ID.
    #[arg(long, value_name = "ID")]
    pub(crate) group_id: String,
    /// The message text.
    #[arg(long, value_name = "TEXT")]
    pub(crate) text: String,
    /// The poster's account and its network.
    #[command(flatten)]
    pub(crate) account: AccountArgs,
}

/// `group read`
#[derive(Debug, Args)]
pub(crate) struct GroupReadArgs {
    /// The group's `03` ID.
    #[arg(long, value_name = "ID")]
    pub(crate) group_id: String,
    /// Keep polling for up to this many milliseconds until the invite and at least one
    /// message arrive (0: look once).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub(crate) wait_ms: u64,
    /// The reader's account and its network.
    #[command(flatten)]
    pub(crate) account: AccountArgs,
}

/// `group invite`
#[derive(Debug, Args)]
pub(crate) struct GroupMembersArgs {
    /// The group's `03` ID.
    #[arg(long, value_name = "ID")]
    pub(crate) group_id: String,
    /// A member's `05` Session ID; repeat for each.
    #[arg(long, value_name = "ID", required = true)]
    pub(crate) member: Vec<String>,
    /// The admin's account and its network.
    #[command(flatten)]
    pub(crate) account: AccountArgs,
}

/// `group remove`
#[derive(Debug, Args)]
pub(crate) struct GroupRemoveArgs {
    /// The group and the members to remove.
    #[command(flatten)]
    pub(crate) members: GroupMembersArgs,
    /// Also ask every client to delete the messages the removed members sent.
    #[arg(long)]
    pub(crate) delete_messages: bool,
}

/// `group promote`
#[derive(Debug, Args)]
pub(crate) struct GroupPromoteArgs {
    /// The group's `03` ID.
    #[arg(long, value_name = "ID")]
    pub(crate) group_id: String,
    /// The member's `05` Session ID.
    #[arg(long, value_name = "ID")]
    pub(crate) member: String,
    /// The admin's account and its network.
    #[command(flatten)]
    pub(crate) account: AccountArgs,
}

/// `group rekey`
#[derive(Debug, Args)]
pub(crate) struct GroupRekeyArgs {
    /// The group's 32-byte Ed25519 seed, hex.
    #[arg(long, value_name = "HEX")]
    pub(crate) group_seed: String,
    /// A member's `05` Session ID (admins included); repeat for each.
    #[arg(long, value_name = "ID", required = true)]
    pub(crate) member: Vec<String>,
    /// The key generation (0 for a new group).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(0..))]
    pub(crate) generation: i64,
}

/// The key messages `group load-keys` and `group decrypt` read.
#[derive(Debug, Args)]
pub(crate) struct KeyMessageArgs {
    /// The user's 32-byte Ed25519 seed, hex; the group's seed reads as admin.
    #[arg(long, value_name = "HEX")]
    pub(crate) seed: String,
    /// The group's `03` ID.
    #[arg(long, value_name = "ID")]
    pub(crate) group_id: String,
    /// A key message from namespace 12 as `<base64>:<hash>:<timestamp_ms>` (its storage hash
    /// and swarm timestamp); repeat for each.
    #[arg(long, value_name = "B64:HASH:MS", required = true)]
    pub(crate) key_message_base64: Vec<String>,
}

/// `group load-keys`
#[derive(Debug, Args)]
pub(crate) struct GroupLoadKeysArgs {
    /// The user and key messages.
    #[command(flatten)]
    pub(crate) keys: KeyMessageArgs,
}

/// `group decrypt`
#[derive(Debug, Args)]
pub(crate) struct GroupDecryptArgs {
    /// The user and key messages.
    #[command(flatten)]
    pub(crate) keys: KeyMessageArgs,
    /// The stored group message, standard base64.
    #[arg(long = "data-base64", value_name = "BASE64")]
    pub(crate) data_base64: String,
}

/// `group subaccount`
#[derive(Debug, Args)]
pub(crate) struct GroupSubaccountArgs {
    /// The group's 32-byte Ed25519 seed, hex.
    #[arg(long, value_name = "HEX")]
    pub(crate) group_seed: String,
    /// The member's `05` Session ID.
    #[arg(long, value_name = "ID")]
    pub(crate) member: String,
    /// Also allow deleting (and shortening expiries); read and write are always granted.
    #[arg(long)]
    pub(crate) delete: bool,
}

/// `group sign-request`
#[derive(Debug, Args)]
pub(crate) struct GroupSignRequestArgs {
    /// The member's 32-byte Ed25519 seed, hex.
    #[arg(long, value_name = "HEX")]
    pub(crate) seed: String,
    /// The member's 100-byte authentication data, hex (from `group subaccount` or the invite).
    #[arg(long, value_name = "HEX")]
    pub(crate) auth_data_hex: String,
    /// The request's signed bytes, hex (e.g. `retrieve` || namespace || timestamp).
    #[arg(long, value_name = "HEX")]
    pub(crate) message_hex: String,
}

/// Options whose values are secrets or plaintext, redacted from error messages: account
/// secrets, the ephemeral seed (it decrypts the message), attachment and onion response keys,
/// message text, and the plaintext of onion requests.
const SECRET_OPTIONS: [&str; 10] = [
    "--mnemonic",
    "--seed",
    "--eph-seed",
    "--key",
    "--text",
    "--response-key",
    "--payload",
    "--body",
    "--group-seed",
    "--auth-data-hex",
];

/// Parses the process arguments.
pub(crate) fn parse() -> Result<Invocation, CliError> {
    parse_from(std::env::args_os().collect())
}

/// Parses `args` (the program name first).
fn parse_from(args: Vec<OsString>) -> Result<Invocation, CliError> {
    match Cli::try_parse_from(&args) {
        Ok(cli) => Ok(Invocation::Run(cli)),
        Err(error)
            if matches!(
                error.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            Ok(Invocation::Info(error))
        }
        Err(error) => Err(CliError::usage(usage_message(&error, &args))),
    }
}

/// clap's message for `error` on one line: without the usage footer or the tips that could
/// quote a value back, and with every value that followed one of [`SECRET_OPTIONS`] (or
/// any stray positional argument) redacted.
fn usage_message(error: &clap::Error, args: &[OsString]) -> String {
    if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return "a subcommand is required (try --help)".to_owned();
    }
    let rendered = error.render().to_string();
    let mut message = rendered
        .lines()
        .take_while(|line| !line.starts_with("Usage:"))
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("For more information"))
        // Tips may quote a value back ("to pass 'x' as a value..."); the ones that suggest a
        // similar name only quote the tool's own names.
        .filter(|line| !line.starts_with("tip:") || line.contains("similar"))
        .map(|line| match line.strip_prefix("tip: ") {
            Some(tip) => format!("({tip})"),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(rest) = message.strip_prefix("error: ") {
        message = rest.to_owned();
    }
    let mut secrets = secret_values(args);
    // No positional argument is valid here, so an unexpected one may be a stray secret.
    if let Some(ContextValue::String(stray)) = error.get(ContextKind::InvalidArg)
        && error.kind() == ErrorKind::UnknownArgument
        && !stray.starts_with('-')
    {
        secrets.push(stray.clone());
    }
    for secret in &secrets {
        message = message.replace(&format!("'{secret}'"), "'<redacted>'");
    }
    let gave_phrase = args
        .iter()
        .any(|arg| arg.to_string_lossy().starts_with("--mnemonic"));
    if error.kind() == ErrorKind::UnknownArgument && gave_phrase {
        message.push_str(" (quote the recovery phrase as one argument)");
    }
    if message.is_empty() {
        message = error.kind().to_string();
    }
    message.push_str(" (try --help)");
    message
}

/// Every argument that is, or may be part of, a secret: the values after one of
/// [`SECRET_OPTIONS`] up to the next option (an unquoted phrase or text spreads over several
/// arguments). `--` does not end the run.
fn secret_values(args: &[OsString]) -> Vec<String> {
    let mut secrets = Vec::new();
    let mut in_secret = false;
    for arg in args.iter().map(|arg| arg.to_string_lossy()) {
        if arg == "--" {
            // Everything after `--` is a value; a phrase may go on.
        } else if arg.starts_with('-') {
            in_secret = false;
            for option in SECRET_OPTIONS {
                if arg == option {
                    in_secret = true;
                } else if let Some(value) = arg
                    .strip_prefix(option)
                    .and_then(|rest| rest.strip_prefix('='))
                {
                    secrets.push(value.to_owned());
                    // An unquoted phrase continues after `--mnemonic=first`.
                    in_secret = true;
                }
            }
        } else if in_secret {
            secrets.push(arg.into_owned());
        }
    }
    secrets.retain(|secret| !secret.is_empty());
    secrets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &[&str]) -> Vec<OsString> {
        std::iter::once("session-cli")
            .chain(line.iter().copied())
            .map(OsString::from)
            .collect()
    }

    fn usage_error(line: &[&str]) -> CliError {
        parse_from(args(line)).unwrap_err()
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn help_and_version_are_info() {
        for line in [&["--help"][..], &["--version"], &["id", "show", "--help"]] {
            assert!(matches!(parse_from(args(line)), Ok(Invocation::Info(_))));
        }
    }

    #[test]
    fn unquoted_phrase_is_redacted() {
        let error = usage_error(&["id", "show", "--mnemonic", "puffin", "luxury", "annoyed"]);
        assert_eq!(error.exit_code(), 2);
        let message = error.message();
        assert!(!message.contains("luxury"), "{message}");
        assert!(!message.contains("puffin"), "{message}");
        assert!(message.contains("quote"), "{message}");

        for line in [
            &["id", "show", "--mnemonic=puffin", "luxury"][..],
            &["id", "show", "--mnemonic", "puffin", "--", "luxury"],
            &["id", "show", "luxury", "--mnemonic", "puffin"],
            &["id", "show", "--", "luxury"],
        ] {
            let error = usage_error(line);
            assert!(!error.message().contains("luxury"), "{}", error.message());
        }
    }

    #[test]
    fn two_sources_conflict() {
        let error = usage_error(&["id", "show", "--seed", "00", "--mnemonic", "kiwi"]);
        assert!(
            error.message().contains("cannot be used with"),
            "{}",
            error.message()
        );
        assert!(!error.message().contains("kiwi"));
    }

    #[test]
    fn missing_source_and_subcommand() {
        let error = usage_error(&["id", "show"]);
        assert!(
            error.message().contains("--mnemonic"),
            "{}",
            error.message()
        );
        assert!(error.message().contains("required"), "{}", error.message());
        assert!(usage_error(&[]).message().contains("subcommand"));
        assert!(usage_error(&["id"]).message().contains("subcommand"));
    }

    #[test]
    fn secret_values_stop_at_the_next_option() {
        let found = secret_values(&args(&[
            "id",
            "sign",
            "--seed",
            "abcd",
            "--scheme",
            "ed25519",
            "--mnemonic=a",
            "b",
        ]));
        assert_eq!(found, ["abcd", "a", "b"]);
    }

    #[test]
    fn message_and_key_values_are_redacted() {
        for line in [
            &["message", "encrypt", "--text", "hello", "world"][..],
            &["message", "encrypt", "--eph-seed", "hello", "world"],
            &["attachment", "decrypt", "--key", "hello", "world"],
            &[
                "onion",
                "decrypt-response",
                "--response-key",
                "hello",
                "world",
            ],
            &["onion", "decrypt-response", "--response-key=hello", "world"],
            &["onion", "build", "--payload", "hello", "world"],
            &["onion", "build", "--body", "hello", "world"],
        ] {
            let message = usage_error(line).message().to_owned();
            assert!(!message.contains("hello"), "{message}");
            assert!(!message.contains("world"), "{message}");
        }
    }
}
