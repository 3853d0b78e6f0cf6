//! The poller: new messages, reactions, deletions, DMs, the stream interface and resuming
//! from a saved state without redelivery.

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;
use session_sogs::{PollEvent, PollOptions, PollState, Poller};

use crate::common::{client, defaults, sogs};

fn fast() -> PollOptions {
    PollOptions::default()
        .with_interval(Duration::from_millis(100))
        .with_backoff(Duration::from_millis(50), Duration::from_millis(200))
}

/// The next event `want` accepts, skipping others (room info...), within 10 s.
async fn next_where(poller: &mut Poller, want: impl Fn(&PollEvent) -> bool) -> PollEvent {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let event = poller.next().await.unwrap();
            if want(&event) {
                return event;
            }
        }
    })
    .await
    .unwrap()
}

/// Whatever events arrive within `window`.
async fn drain(poller: &mut Poller, window: Duration) -> Vec<PollEvent> {
    let mut events = Vec::new();
    let _ = tokio::time::timeout(window, async {
        loop {
            events.push(poller.next().await.unwrap());
        }
    })
    .await;
    events
}

fn is_message(text: &'static str) -> impl Fn(&PollEvent) -> bool {
    move |e| matches!(e, PollEvent::Message { message, .. } if message.text.as_deref() == Some(text))
}

#[tokio::test]
async fn messages_reactions_deletions_and_dms() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let alice = client(info, 1);
    let bob = client(info, 2);
    let old = bob.post_text("lobby", "before polling").await.unwrap();

    let mut poller = alice.poller(&["lobby"], PollState::default(), fast());
    // The first poll fetches `recent`.
    let PollEvent::Message { room, message } =
        next_where(&mut poller, is_message("before polling")).await
    else {
        unreachable!()
    };
    assert_eq!(room, "lobby");
    assert!(message.signature_valid);

    let new = bob.post_text("lobby", "while polling").await.unwrap();
    next_where(&mut poller, is_message("while polling")).await;

    bob.add_reaction("lobby", new.id, "🔥").await.unwrap();
    let event = next_where(&mut poller, |e| {
        matches!(e, PollEvent::Reactions { .. })
            || matches!(e, PollEvent::Message { message, .. } if !message.reactions.is_empty())
    })
    .await;
    match event {
        PollEvent::Reactions { id, reactions, .. } => {
            assert_eq!(id, new.id);
            assert_eq!(reactions["🔥"].count, 1);
        }
        PollEvent::Message { message, .. } => assert_eq!(message.reactions["🔥"].count, 1),
        _ => unreachable!(),
    }

    bob.delete_message("lobby", old.id).await.unwrap();
    next_where(
        &mut poller,
        |e| matches!(e, PollEvent::Deleted { id, .. } if *id == old.id),
    )
    .await;

    // DMs both ways: bob's to alice lands in her inbox, hers in her outbox.
    let alice_id = alice.blinded_id().await.unwrap();
    let bob_id = bob.blinded_id().await.unwrap();
    bob.send_dm_text(&alice_id, "dm for alice").await.unwrap();
    let PollEvent::Dm(dm) = next_where(&mut poller, |e| matches!(e, PollEvent::Dm(_))).await else {
        unreachable!()
    };
    assert_eq!(dm.text.as_deref(), Some("dm for alice"));
    assert_eq!(dm.sender, bob_id);
    assert_eq!(
        dm.sender_session_id,
        Some(crate::common::keypair(2).session_id())
    );
    alice.send_dm_text(&bob_id, "reply").await.unwrap();
    let PollEvent::OutboxDm(dm) =
        next_where(&mut poller, |e| matches!(e, PollEvent::OutboxDm(_))).await
    else {
        unreachable!()
    };
    assert_eq!(dm.text.as_deref(), Some("reply"));
    double.shutdown().await;
}

#[tokio::test]
async fn resumes_from_saved_state_without_redelivery() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let alice = client(info, 1);
    let bob = client(info, 2);
    bob.post_text("lobby", "one").await.unwrap();
    let alice_id = alice.blinded_id().await.unwrap();
    // Alice must have used the server before she can be DMed.
    alice.rooms().await.unwrap();
    bob.send_dm_text(&alice_id, "dm one").await.unwrap();

    let mut poller = alice.poller(&["lobby"], PollState::default(), fast());
    next_where(&mut poller, is_message("one")).await;
    next_where(&mut poller, |e| matches!(e, PollEvent::Dm(_))).await;
    // Let the poll's remaining events (if any) drain so the state covers them all.
    drain(&mut poller, Duration::from_millis(400)).await;
    let saved = poller.state().to_bytes();
    drop(poller);

    bob.post_text("lobby", "two").await.unwrap();
    let state = PollState::from_bytes(&saved).unwrap();
    assert!(state.room("lobby").seqno.is_some());
    assert!(state.inbox_last_id.is_some());
    let mut resumed = alice.poller(&["lobby"], state, fast());
    let events = drain(&mut resumed, Duration::from_millis(800)).await;
    let texts: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            PollEvent::Message { message, .. } => message.text.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["two"]);
    assert!(!events.iter().any(|e| matches!(e, PollEvent::Dm(_))));
    double.shutdown().await;
}

#[tokio::test]
async fn stream_interface_and_backoff() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let alice = client(info, 1);
    alice.post_text("lobby", "streamed").await.unwrap();
    let mut poller = alice.poller(&["lobby"], PollState::default(), fast());
    let event = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let item = poll_fn(|cx| Pin::new(&mut poller).poll_next(cx)).await;
            let event = item.unwrap().unwrap();
            if is_message("streamed")(&event) {
                return event;
            }
        }
    })
    .await
    .unwrap();
    assert!(matches!(event, PollEvent::Message { .. }));

    // A stopped server: polls fail (typed), and keep being retried.
    double.shutdown().await;
    let error = tokio::time::timeout(Duration::from_secs(10), poller.next())
        .await
        .unwrap();
    assert!(error.is_err());
    let again = tokio::time::timeout(Duration::from_secs(10), poller.next())
        .await
        .unwrap();
    assert!(again.is_err());
}
