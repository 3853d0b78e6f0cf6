//! `community ...`: one community (SOGS) call per command, signed with the account's key
//! blinded for that server, through onion paths (`--seed-url`) or straight to the server.

use std::collections::BTreeMap;

use serde::Serialize;
use session::crypto::Ed25519Seed;
use session::sogs::{
    CommunityClient, DirectOptions, MessageQuery, MessageRow, Request, RoomUrl, Server, Transport,
    decode,
};
use session::{Keypair, SessionId};

use crate::cli::{
    CommunityDmReadArgs, CommunityDmSendArgs, CommunityPostArgs, CommunityReactArgs,
    CommunityReadArgs, CommunityRoomsArgs, CommunityUploadArgs, RouteArgs,
};
use crate::connect;
use crate::error::CliError;
use crate::input;

/// The page size `read` asks for: the most the server gives at once.
const PAGE: u32 = 256;

/// What `rooms` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Rooms {
    /// The rooms, as the server describes them.
    rooms: Vec<session::sogs::Room>,
}

/// One message `read` prints.
#[derive(Debug, Serialize)]
pub(crate) struct ReadMessage {
    /// Its id in the room.
    id: u64,
    /// The room's sequence number of its last change.
    seqno: u64,
    /// The poster's blinded (or, on servers without blinding, `05`) ID.
    author: String,
    /// The text of a visible message.
    text: Option<String>,
    /// Whether the poster's signature over the message is valid (the server never checks).
    signature_valid: bool,
    /// Reaction counts by emoji.
    reactions: BTreeMap<String, u64>,
}

/// What `read` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Read {
    /// The messages in sequence order; deleted ones are left out.
    messages: Vec<ReadMessage>,
}

/// What `post` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Posted {
    /// The new message's id.
    id: u64,
    /// The room's sequence number after the post.
    seqno: u64,
}

/// What `react` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Reacted {
    /// Always true: a refusal is an error.
    ok: bool,
}

/// What `upload` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Uploaded {
    /// The file id.
    id: u64,
    /// Where it downloads from.
    url: String,
}

/// What `dm-send` prints.
#[derive(Debug, Serialize)]
pub(crate) struct DmSent {
    /// The DM's id on the server.
    id: u64,
}

/// One DM `dm-read` prints.
#[derive(Debug, Serialize)]
pub(crate) struct ReadDm {
    /// Its id on the server.
    id: u64,
    /// The sender's blinded ID.
    sender: String,
    /// The sender's `05` Session ID, recovered from the message and checked against the
    /// blinded ID; null when it does not match.
    sender_session_id: Option<String>,
    /// The text of a visible message.
    text: Option<String>,
}

/// What `dm-read` prints.
#[derive(Debug, Serialize)]
pub(crate) struct DmRead {
    /// The DMs, oldest first.
    messages: Vec<ReadDm>,
}

/// `community rooms`, asked without signing (the server lists its public rooms to anyone).
pub(crate) fn rooms(args: &CommunityRoomsArgs) -> Result<Rooms, CliError> {
    let pubkey = input::key32("--server-pubkey", &args.server_pubkey)?;
    let server = Server::new(args.server.trim(), pubkey).map_err(session::Error::from)?;
    run(&args.route, async |transport| {
        // Anonymous requests sign nothing; the client still wants a key.
        let client = CommunityClient::new(server, throwaway_keypair()?, transport)?;
        let answer = client.send_anonymous(&Request::rooms()).await?;
        Ok(Rooms {
            rooms: decode::rooms(&answer)?,
        })
    })
}

/// `community read`: every message after `--since`, page by page.
pub(crate) fn read(args: &CommunityReadArgs) -> Result<Read, CliError> {
    let url = room_url(&args.url)?;
    let keypair = args.source.seed()?.keypair();
    run(&args.route, async |transport| {
        let client = CommunityClient::new(url.server(), keypair, transport)?;
        let mut messages = Vec::new();
        let mut since = args.since;
        loop {
            let rows = client
                .updates_since(url.room(), since, MessageQuery::default().limit(PAGE))
                .await?;
            let full = rows.len() >= PAGE as usize;
            for row in rows {
                let MessageRow::Message(message) = row else {
                    continue;
                };
                since = since.max(message.seqno);
                if message.deleted {
                    continue;
                }
                messages.push(ReadMessage {
                    id: message.id,
                    seqno: message.seqno,
                    author: message.author.to_string(),
                    text: message.text.clone(),
                    signature_valid: message.signature_valid,
                    reactions: message
                        .reactions
                        .iter()
                        .map(|(emoji, reaction)| (emoji.clone(), reaction.count))
                        .collect(),
                });
            }
            if !full {
                return Ok(Read { messages });
            }
        }
    })
}

/// `community post`.
pub(crate) fn post(args: &CommunityPostArgs) -> Result<Posted, CliError> {
    let url = room_url(&args.url)?;
    let keypair = args.source.seed()?.keypair();
    run(&args.route, async |transport| {
        let client = CommunityClient::new(url.server(), keypair, transport)?;
        let posted = client.post_text(url.room(), &args.text).await?;
        Ok(Posted {
            id: posted.id,
            seqno: posted.seqno,
        })
    })
}

/// `community react`.
pub(crate) fn react(args: &CommunityReactArgs) -> Result<Reacted, CliError> {
    let url = room_url(&args.url)?;
    let keypair = args.source.seed()?.keypair();
    run(&args.route, async |transport| {
        let client = CommunityClient::new(url.server(), keypair, transport)?;
        // Reacting again with the same emoji changes nothing, and is no failure.
        client
            .add_reaction(url.room(), args.message_id, &args.emoji)
            .await?;
        Ok(Reacted { ok: true })
    })
}

/// `community upload`.
pub(crate) fn upload(args: &CommunityUploadArgs) -> Result<Uploaded, CliError> {
    let url = room_url(&args.url)?;
    let keypair = args.source.seed()?.keypair();
    let bytes = std::fs::read(&args.file).map_err(|error| {
        CliError::input(format!(
            "cannot read --file {}: {error}",
            args.file.display()
        ))
    })?;
    let filename = args.file.file_name().and_then(|name| name.to_str());
    run(&args.route, async |transport| {
        let client = CommunityClient::new(url.server(), keypair, transport)?;
        let uploaded = client.upload_file(url.room(), bytes, filename).await?;
        Ok(Uploaded {
            id: uploaded.id,
            url: uploaded.url,
        })
    })
}

/// `community dm-send`.
pub(crate) fn dm_send(args: &CommunityDmSendArgs) -> Result<DmSent, CliError> {
    let url = room_url(&args.url)?;
    let to: SessionId = args.to.trim().parse()?;
    let keypair = args.source.seed()?.keypair();
    run(&args.route, async |transport| {
        let client = CommunityClient::new(url.server(), keypair, transport)?;
        let sent = client.send_dm_text(&to, &args.text).await?;
        Ok(DmSent { id: sent.id })
    })
}

/// `community dm-read`.
pub(crate) fn dm_read(args: &CommunityDmReadArgs) -> Result<DmRead, CliError> {
    let url = room_url(&args.url)?;
    let keypair = args.source.seed()?.keypair();
    run(&args.route, async |transport| {
        let client = CommunityClient::new(url.server(), keypair, transport)?;
        let messages = client
            .inbox(args.since)
            .await?
            .into_iter()
            .map(|dm| ReadDm {
                id: dm.id,
                sender: dm.sender.to_string(),
                sender_session_id: dm.sender_session_id.map(|id| id.to_string()),
                text: dm.text,
            })
            .collect();
        Ok(DmRead { messages })
    })
}

/// `text` as a room URL.
fn room_url(text: &str) -> Result<RoomUrl, CliError> {
    Ok(RoomUrl::parse(text.trim()).map_err(session::Error::from)?)
}

/// A key nobody keeps, for a client that only makes anonymous requests.
fn throwaway_keypair() -> Result<Keypair, CliError> {
    let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut())
        .map_err(|error| CliError::system(format!("no randomness: {error}")))?;
    Ok(Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(*bytes)))
}

/// Runs `call` on a runtime with the transport `route` asks for.
fn run<T>(
    route: &RouteArgs,
    call: impl AsyncFnOnce(Transport) -> Result<T, CliError>,
) -> Result<T, CliError> {
    connect::runtime()?.block_on(async {
        let transport = match &route.seed_url {
            Some(seed_url) => {
                Transport::Onion(connect::swarm_client(seed_url, route.seed_cert.as_deref()).await?)
            }
            None => Transport::Direct(DirectOptions::default()),
        };
        call(transport).await
    })
}
