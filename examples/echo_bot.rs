//! An echo bot: answers every text it receives with the same text, to its sender.
//!
//! ```sh
//! cargo run -p session-examples --example echo_bot            # 3 messages
//! cargo run -p session-examples --example echo_bot -- --count 10
//! ```
//!
//! It runs on a local Session network started here, with a demo client that sends the bot
//! `--count` messages and checks every echo; the bot stops after answering that many, so
//! the example ends on its own (and can run in CI). Against the real network, connect the
//! bot's [`Client`] with `.network(Network::Mainnet)` and a persistent store instead, and
//! drop the limit.

use std::error::Error;
use std::time::Duration;

use session::localnet::LocalNet;
use session::{Client, Inbox, Seed};

/// How long the demo waits for one echo.
const PATIENCE: Duration = Duration::from_secs(15);

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let count = count_argument()?;
    let net = LocalNet::builder()
        .nodes(12)
        .swarms(4)
        .rate_limit(false)
        .start()
        .await?;

    let bot = Client::builder()
        .localnet(&net)
        .seed(&random_seed()?)
        .connect()
        .await?;
    let demo = Client::builder()
        .localnet(&net)
        .seed(&random_seed()?)
        .connect()
        .await?;
    println!("bot:  {}", bot.session_id());
    println!("demo: {}", demo.session_id());

    let bot_task = tokio::spawn(echo(bot.clone(), count));

    let mut replies = demo.messages();
    for i in 1..=count {
        let text = format!("ping {i}");
        demo.send_text(bot.session_id(), text.as_str()).await?;
        let echo = next(&mut replies).await?;
        if echo.sender != *bot.session_id() || echo.text() != Some(text.as_str()) {
            return Err(format!("unexpected echo {:?} from {}", echo.text(), echo.sender).into());
        }
        println!("demo got its echo: {text:?}");
    }

    bot_task.await??;
    net.shutdown().await;
    Ok(())
}

/// The bot: echoes each text message back to its sender, `limit` times. Messages without
/// text (reactions, read receipts, typing indicators) are not answered.
async fn echo(bot: Client, limit: usize) -> Result<(), session::Error> {
    let mut inbox = bot.messages();
    let mut answered = 0;
    while answered < limit {
        let Some(message) = inbox.next().await else {
            break;
        };
        let message = message?;
        let Some(text) = message.text() else {
            continue;
        };
        println!("bot received {text:?} from {}", message.sender);
        bot.send_text(&message.sender, text).await?;
        answered += 1;
    }
    Ok(())
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

/// The next message of `inbox`, or an error after [`PATIENCE`].
async fn next(
    inbox: &mut Inbox,
) -> Result<session::swarm::messaging::IncomingMessage, Box<dyn Error>> {
    match tokio::time::timeout(PATIENCE, inbox.next()).await {
        Ok(Some(message)) => Ok(message?),
        Ok(None) => Err("the inbox closed".into()),
        Err(_) => Err("no echo arrived in time".into()),
    }
}
