//! Sends one text message on the real Session network (mainnet), through an onion path.
//!
//! ```sh
//! SESSION_MNEMONIC="<13 words>" cargo run -p session-examples --example send_one -- \
//!     --to 05... --text "hello from Rust"
//! cargo run -p session-examples --example send_one -- \
//!     --mnemonic "<13 words>" --to 05... --text "hello from Rust"
//! ```
//!
//! The environment variable keeps the phrase out of the shell history and `ps`; the option
//! wins when both are given. Prints the message's hash and timestamp once the recipient's
//! swarm confirmed it.

use std::error::Error;

use session::swarm::net::Network;
use session::{Client, SessionId};

/// The environment variable read when `--mnemonic` is not given.
const MNEMONIC_VAR: &str = "SESSION_MNEMONIC";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args = Arguments::parse()?;
    let client = Client::builder()
        .network(Network::Mainnet)
        .mnemonic(&args.mnemonic)
        .connect()
        .await?;
    println!("sending as {}", client.session_id());
    let sent = client.send_text(&args.to, args.text).await?;
    println!(
        "stored: hash {}, timestamp {} ms",
        sent.hash, sent.timestamp_ms
    );
    Ok(())
}

/// The command line.
struct Arguments {
    mnemonic: String,
    to: SessionId,
    text: String,
}

impl Arguments {
    fn parse() -> Result<Self, Box<dyn Error>> {
        let mut mnemonic = None;
        let mut to = None;
        let mut text = None;
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let slot = match arg.as_str() {
                "--mnemonic" => &mut mnemonic,
                "--to" => &mut to,
                "--text" => &mut text,
                // Never echoed: it could be a word of an unquoted phrase.
                _ => {
                    return Err(
                        "usage: send_one [--mnemonic \"<13 words>\"] --to 05... --text TEXT".into(),
                    );
                }
            };
            *slot = Some(args.next().ok_or("an option needs a value")?);
        }
        let mnemonic = match mnemonic {
            Some(phrase) => phrase,
            None => std::env::var(MNEMONIC_VAR)
                .map_err(|_| format!("give --mnemonic or set {MNEMONIC_VAR}"))?,
        };
        let to: SessionId = to.ok_or("--to is required")?.parse()?;
        let text = text.ok_or("--text is required")?;
        Ok(Self { mnemonic, to, text })
    }
}
