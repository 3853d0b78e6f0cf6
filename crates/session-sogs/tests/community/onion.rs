//! A handful of calls onion-routed through a local network's paths to its SOGS double.

use std::time::Duration;

use session_localnet::LocalNet;
use session_sogs::{CommunityClient, Server, Transport};
use session_swarm::client::{ClientOptions, SwarmClient};
use session_swarm::net::{Network, SeedConfig, SeedNode};

use crate::common::keypair;

fn options() -> ClientOptions {
    let mut options = ClientOptions::default();
    options.onion.ignore_subnets = true;
    options.seed = SeedConfig::once(Duration::from_secs(5));
    options.request_timeout = Duration::from_secs(5);
    options.deadline = Duration::from_secs(15);
    options
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_read_react_and_dm_over_onion_paths() {
    let net = LocalNet::builder()
        .nodes(12)
        .swarms(2)
        .seed([9; 32])
        .rate_limit(false)
        .start()
        .await
        .unwrap();
    let network = Network::Custom {
        seeds: vec![SeedNode {
            url: net.seed_url().to_owned(),
            cert_der: Some(net.seed_cert_der().to_vec()),
        }],
    };
    let swarm = SwarmClient::connect(network, options()).await.unwrap();
    let info = net.sogs();
    let server = Server::new(&info.url, info.x25519).unwrap();
    let alice =
        CommunityClient::new(server.clone(), keypair(1), Transport::Onion(swarm.clone())).unwrap();
    let bob = CommunityClient::new(server, keypair(2), Transport::Onion(swarm)).unwrap();

    assert!(alice.capabilities().await.unwrap().requires_blinding());
    let posted = alice.post_text("lobby", "through the onion").await.unwrap();
    let read = bob.message("lobby", posted.id).await.unwrap();
    assert_eq!(read.text.as_deref(), Some("through the onion"));
    assert!(read.signature_valid);
    assert!(
        bob.add_reaction("lobby", posted.id, "🧅")
            .await
            .unwrap()
            .changed
    );
    assert_eq!(
        alice.message("lobby", posted.id).await.unwrap().reactions["🧅"].count,
        1
    );

    let alice_id = alice.blinded_id().await.unwrap();
    bob.send_dm_text(&alice_id, "onion dm").await.unwrap();
    let inbox = alice.inbox(None).await.unwrap();
    assert_eq!(inbox[0].text.as_deref(), Some("onion dm"));
    assert_eq!(inbox[0].sender_session_id, Some(keypair(2).session_id()));

    // A batch through the onion, as the poller sends it.
    let answers = alice
        .batch(vec![
            session_sogs::Request::capabilities(&[]),
            session_sogs::Request::rooms(),
        ])
        .await
        .unwrap();
    assert!(answers.iter().all(|a| a.status == 200));
    net.shutdown().await;
}
