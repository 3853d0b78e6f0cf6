//! `send`: one text message to a Session ID, through an onion path.

use serde::Serialize;

use crate::cli::SendArgs;
use crate::connect;
use crate::error::CliError;
use crate::input;

/// What `send` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Sent {
    /// The message's hash in the recipient's swarm.
    hash: String,
    /// Its sent timestamp (envelope and `sigTimestamp`), ms: what replies and reactions
    /// name it by.
    timestamp: u64,
}

/// `send`.
pub(crate) fn run(args: &SendArgs) -> Result<Sent, CliError> {
    let to = input::standard_session_id("--to", &args.to)?;
    connect::runtime()?.block_on(async {
        let client = connect::connect(&args.network, &args.source, args.store.as_deref()).await?;
        let sent = client.send_text(&to, args.text.as_str()).await?;
        Ok(Sent {
            hash: sent.hash,
            timestamp: sent.timestamp_ms,
        })
    })
}
