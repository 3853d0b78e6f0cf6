//! Quickstart: two accounts talk through onion paths on a local Session network.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! Starts 12 storage nodes in 4 swarms on 127.0.0.1, makes Alice and Bob from fresh random
//! seeds, sends Bob a message from Alice, prints it as Bob receives it (with the sender
//! verified from its signature), sends a reply and prints it as Alice receives it.

use std::error::Error;
use std::time::Duration;

use session::localnet::LocalNet;
use session::{Client, Inbox, Seed};

/// How long to wait for a message before giving up (the loopback network delivers in
/// well under a second).
const PATIENCE: Duration = Duration::from_secs(15);

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // All clients share 127.0.0.1, so the per-IP rate limit of real nodes is off.
    let net = LocalNet::builder()
        .nodes(12)
        .swarms(4)
        .rate_limit(false)
        .start()
        .await?;
    println!("local network: 12 nodes, seed at {}", net.seed_url());

    let alice = Client::builder()
        .localnet(&net)
        .seed(&random_seed()?)
        .connect()
        .await?;
    let bob = Client::builder()
        .localnet(&net)
        .seed(&random_seed()?)
        .connect()
        .await?;
    println!("Alice: {}", alice.session_id());
    println!("Bob:   {}", bob.session_id());

    let sent = alice
        .send_text(
            bob.session_id(),
            "Hi Bob! This went through three onion hops.",
        )
        .await?;
    println!("Alice sent a message (hash {})", sent.hash);

    let mut bob_inbox = bob.messages();
    let message = next(&mut bob_inbox).await?;
    // `sender` comes from the signature inside the encrypted message, not from the swarm.
    println!(
        "Bob received from {}: {:?}",
        message.sender,
        message.text().unwrap_or_default()
    );
    if message.sender != *alice.session_id() {
        return Err("the message was not signed by Alice".into());
    }

    bob.send_text(&message.sender, "Hi Alice, got it!").await?;
    let mut alice_inbox = alice.messages();
    let reply = next(&mut alice_inbox).await?;
    println!(
        "Alice received from {}: {:?}",
        reply.sender,
        reply.text().unwrap_or_default()
    );

    net.shutdown().await;
    Ok(())
}

/// A new account, as the apps make one: 16 random bytes (the recovery phrase's seed).
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
        Err(_) => Err("no message arrived in time".into()),
    }
}
