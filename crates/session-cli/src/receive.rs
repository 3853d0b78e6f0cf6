//! `receive`: polls the account's swarm until a message arrives or the wait is over.

use std::time::Duration;

use serde::Serialize;
use session::swarm::messaging::IncomingMessage;
use tokio::time::Instant;

use crate::cli::ReceiveArgs;
use crate::connect;
use crate::error::CliError;

/// The pause between two polls while waiting.
const POLL_PAUSE: Duration = Duration::from_millis(250);

/// One received message.
#[derive(Debug, Serialize)]
pub(crate) struct Received {
    /// The sender's `05` Session ID, from the key that signed the message.
    sender: String,
    /// When the sender sent it (the signed envelope timestamp), ms.
    timestamp: u64,
    /// What the message is: `visible`, `reaction`, `read_receipt`, `typing`, ...
    kind: &'static str,
    /// The text of a visible message; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    /// Its hash on the swarm.
    hash: String,
}

/// What `receive` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Inbox {
    /// The new messages, oldest first per sender.
    messages: Vec<Received>,
}

impl From<IncomingMessage> for Received {
    fn from(message: IncomingMessage) -> Self {
        Self {
            sender: message.sender.to_string(),
            timestamp: message.sent_at_ms,
            kind: message.message.kind.name(),
            text: message.text().map(str::to_owned),
            hash: message.hash,
        }
    }
}

/// `receive`.
pub(crate) fn run(args: &ReceiveArgs) -> Result<Inbox, CliError> {
    connect::runtime()?.block_on(async {
        let client = connect::connect(&args.network, &args.source, args.store.as_deref()).await?;
        let deadline = Instant::now() + Duration::from_millis(args.wait_ms);
        loop {
            match client.receive_once().await {
                Ok(messages) if !messages.is_empty() => {
                    return Ok(Inbox {
                        messages: messages.into_iter().map(Received::from).collect(),
                    });
                }
                Ok(_) => {}
                // A network failure may pass while there is time left; anything else
                // (the store) will not.
                Err(session::Error::Swarm(_)) if Instant::now() + POLL_PAUSE < deadline => {}
                Err(error) => return Err(error.into()),
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(Inbox {
                    messages: Vec::new(),
                });
            }
            tokio::time::sleep(POLL_PAUSE.min(deadline - now)).await;
        }
    })
}
