//! A blind25 server and a server without blinding (`00` auth, `05` posters).

use session_identity::IdPrefix;
use session_identity::blinding::blind25;
use session_sogs::AuthMode;

use crate::common::{client, defaults, keypair, sogs};

#[tokio::test]
async fn blind25_server() {
    let double = sogs(defaults().blind25(true)).await;
    let info = double.info();
    let alice = client(info, 1);
    let bob = client(info, 2);
    assert!(alice.capabilities().await.unwrap().has("blind25"));
    let alice_id = alice.blinded_id().await.unwrap();
    assert_eq!(alice_id, blind25::id(&keypair(1), &info.x25519));

    let posted = alice.post_text("lobby", "twenty-five").await.unwrap();
    let read = bob.message("lobby", posted.id).await.unwrap();
    assert_eq!(read.author, alice_id);
    assert!(read.signature_valid);
    assert!(
        bob.add_reaction("lobby", posted.id, "👍")
            .await
            .unwrap()
            .changed
    );

    let bob_id = bob.blinded_id().await.unwrap();
    assert_eq!(bob_id.prefix(), IdPrefix::Blinded25);
    alice.send_dm_text(&bob_id, "25 to 25").await.unwrap();
    let inbox = bob.inbox(None).await.unwrap();
    assert_eq!(inbox[0].text.as_deref(), Some("25 to 25"));
    assert_eq!(inbox[0].sender_session_id, Some(keypair(1).session_id()));
    double.shutdown().await;
}

#[tokio::test]
async fn server_without_blinding_uses_00() {
    let double = sogs(defaults().require_blind_keys(false)).await;
    let info = double.info();
    let alice = client(info, 1);
    let caps = alice.capabilities().await.unwrap();
    assert!(!caps.requires_blinding());
    assert_eq!(alice.auth_key().await.unwrap().mode(), AuthMode::Unblinded);
    // The server shows us as our 05 id.
    assert_eq!(alice.blinded_id().await.unwrap(), keypair(1).session_id());

    let posted = alice.post_text("lobby", "unblinded").await.unwrap();
    let read = client(info, 2).message("lobby", posted.id).await.unwrap();
    assert_eq!(read.author, keypair(1).session_id());
    // XEd25519 by the X25519 key.
    assert!(read.signature_valid);
    assert_eq!(read.text.as_deref(), Some("unblinded"));
    double.shutdown().await;
}
