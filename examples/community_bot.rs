//! A community bot: joins a room, reads it, answers every message that mentions it and
//! reacts to each one it answers.
//!
//! ```sh
//! cargo run -p session-examples --example community_bot            # 3 mentions
//! cargo run -p session-examples --example community_bot -- --count 5
//! ```
//!
//! It runs on a local Session network started here, whose community server (a SOGS double)
//! has the room `lobby`; everything goes through onion paths, as the apps send it. A demo
//! user chats in the room, mentioning the bot `--count` times among other messages, and
//! checks each answer and reaction; the bot stops after that many, so the example ends on
//! its own. Against a real community, parse the room URL users share (for example
//! `https://open.getsession.org/session?public_key=a03c...`) and connect the [`Client`]
//! with `.network(Network::Mainnet)`.

use std::error::Error;
use std::time::Duration;

use session::localnet::{LocalNet, SogsOptions};
use session::sogs::{CommunityClient, PollEvent, PollOptions, PollState, Poller, RoomUrl};
use session::{Client, Seed, SessionId};

/// How often both sides poll the room (the apps take 10 s).
const POLL_EVERY: Duration = Duration::from_millis(300);
/// How long the demo waits for one answer.
const PATIENCE: Duration = Duration::from_secs(20);
/// What the bot adds to every message it answers.
const REACTION: &str = "👋";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let count = count_argument()?;
    let net = LocalNet::builder()
        .nodes(12)
        .swarms(4)
        .rate_limit(false)
        // The demo and the bot post from one address faster than 5 posts in 16 s.
        .sogs(SogsOptions::default().rate_limit(false))
        .start()
        .await?;
    let sogs = net.sogs();
    let room: RoomUrl = format!("{}/lobby?public_key={}", sogs.url, hex(&sogs.x25519)).parse()?;
    println!("room: {room}");

    let bot = Client::builder()
        .localnet(&net)
        .seed(&random_seed()?)
        .connect()
        .await?
        .community(&room)?;
    let demo = Client::builder()
        .localnet(&net)
        .seed(&random_seed()?)
        .connect()
        .await?
        .community(&room)?;
    // In a community everyone appears under an ID blinded for that server.
    let bot_id = bot.blinded_id().await?;
    let demo_id = demo.blinded_id().await?;
    println!("bot:  {bot_id}");
    println!("demo: {demo_id}");

    // A poller's first look at a room reads its recent messages, so the bot sees what was
    // posted before it started too.
    let bot_poller = poller(&bot, &room);
    let bot_task = tokio::spawn(answer_mentions(bot, bot_poller, room.clone(), count));

    let mut demo_poller = poller(&demo, &room);
    for i in 1..=count {
        demo.post_text(room.room(), &format!("small talk {i}"))
            .await?;
        let mention = demo
            .post_text(room.room(), &format!("@{bot_id} question {i}?"))
            .await?;
        let answer = wait_for_answer(&mut demo_poller, &bot_id, mention.id).await?;
        println!("demo got {answer:?} and a {REACTION} on question {i}");
    }

    bot_task.await??;
    net.shutdown().await;
    Ok(())
}

/// A poller for `room` that starts from nothing and polls every [`POLL_EVERY`].
fn poller(client: &CommunityClient, room: &RoomUrl) -> Poller {
    client.poller(
        &[room.room()],
        PollState::default(),
        PollOptions::default().with_interval(POLL_EVERY),
    )
}

/// The bot: answers each message that mentions its blinded ID (`@15...`, as the apps write
/// mentions) with a reply and a reaction, `limit` times. Messages whose poster's signature
/// does not verify are ignored: the server never checks them.
async fn answer_mentions(
    bot: CommunityClient,
    mut poller: Poller,
    room: RoomUrl,
    limit: usize,
) -> Result<(), session::Error> {
    let me = bot.blinded_id().await?;
    let mention = format!("@{me}");
    let mut answered = 0;
    while answered < limit {
        let PollEvent::Message { message, .. } = poller.next().await? else {
            continue;
        };
        let Some(text) = message.text.as_deref() else {
            continue;
        };
        // Our own answers quote the mention: never answer ourselves.
        if message.author == me || !message.signature_valid || !text.contains(&mention) {
            continue;
        }
        println!("bot read {text:?} from {}", message.author);
        let question = text.replace(&mention, "");
        let answer = format!("@{} you asked:{question} Good question!", message.author);
        bot.post_text(room.room(), &answer).await?;
        bot.add_reaction(room.room(), message.id, REACTION).await?;
        answered += 1;
    }
    Ok(())
}

/// Polls until the bot's answer to the message `question` is seen and the bot's reaction
/// is on it; returns the answer's text.
async fn wait_for_answer(
    poller: &mut Poller,
    bot_id: &SessionId,
    question: u64,
) -> Result<String, Box<dyn Error>> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let mut answer = None;
    let mut reacted = false;
    while answer.is_none() || !reacted {
        let event = tokio::time::timeout_at(deadline, poller.next())
            .await
            .map_err(|_| "the bot did not answer in time")??;
        match event {
            PollEvent::Message { message, .. } if message.id == question => {
                reacted |= message.reactions.contains_key(REACTION);
            }
            PollEvent::Message { message, .. } if message.author == *bot_id => {
                if !message.signature_valid {
                    return Err("the bot's answer has a bad signature".into());
                }
                answer = message.text;
            }
            PollEvent::Reactions { id, reactions, .. } if id == question => {
                reacted |= reactions.contains_key(REACTION);
            }
            _ => {}
        }
    }
    answer.ok_or_else(|| "no answer".into())
}

/// `--count N` (3 when absent).
fn count_argument() -> Result<usize, Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let mut count = 3;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--count" => {
                count = args.next().ok_or("--count needs a number")?.parse()?;
            }
            other => return Err(format!("unknown argument {other:?} (try --count N)").into()),
        }
    }
    Ok(count)
}

/// A new account: 16 random bytes, as the apps make them.
fn random_seed() -> Result<Seed, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(Seed::from_recovery_bytes(&bytes))
}

/// Lowercase hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
