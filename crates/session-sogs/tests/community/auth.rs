//! Authentication failures come back as typed errors: 425 (clock, replayed nonce), 401
//! (tampered request), 403 (banned), and the blinding switch.

use session_sogs::{AuthKey, AuthMode, Error, Request, sign_request};

use crate::common::{client, defaults, keypair, sogs};

#[tokio::test]
async fn clock_skew_is_425() {
    let double = sogs(defaults()).await;
    let alice = client(double.info(), 1);
    alice.rooms().await.unwrap();
    double.admin().set_clock_offset_s(2 * 86_400);
    assert!(matches!(alice.rooms().await, Err(Error::ClockOrNonce)));
    double.admin().set_clock_offset_s(-2 * 86_400);
    assert!(matches!(
        alice.post_text("lobby", "x").await,
        Err(Error::ClockOrNonce)
    ));
    double.admin().set_clock_offset_s(3600);
    alice.rooms().await.unwrap();
    double.shutdown().await;
}

#[tokio::test]
async fn replayed_nonce_is_425_and_tampering_401() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let alice = client(info, 1);
    let key = AuthKey::new(&keypair(1), &info.x25519, AuthMode::Blind15);

    let request = Request::rooms();
    let headers = sign_request(
        &key,
        &info.x25519,
        &[0x42; 16],
        alice.now_s(),
        request.method,
        &request.endpoint,
        &request.body_bytes(),
    );
    let signed = request.to_server_request(Some(&headers));
    let first = alice.send_raw(&signed).await.unwrap();
    assert_eq!(first.status, 200);
    let replay = alice.send_raw(&signed).await.unwrap();
    assert!(matches!(replay.check(), Err(Error::ClockOrNonce)));

    // The body changed after signing: its hash no longer matches.
    let request = Request::add_reaction("lobby", 1, "x").unwrap();
    let headers = sign_request(
        &key,
        &info.x25519,
        &[0x43; 16],
        alice.now_s(),
        request.method,
        &request.endpoint,
        &request.body_bytes(),
    );
    let mut tampered = request.to_server_request(Some(&headers));
    tampered.body = Some(br#"{"x":1}"#.to_vec());
    assert!(matches!(
        alice.send_raw(&tampered).await.unwrap().check(),
        Err(Error::Unauthorized)
    ));
    // So did the path.
    let mut moved = Request::rooms().to_server_request(Some(&sign_request(
        &key,
        &info.x25519,
        &[0x44; 16],
        alice.now_s(),
        "GET",
        "/rooms",
        b"",
    )));
    moved.endpoint = "/room/lobby".into();
    assert!(matches!(
        alice.send_raw(&moved).await.unwrap().check(),
        Err(Error::Unauthorized)
    ));
    double.shutdown().await;
}

#[tokio::test]
async fn banned_users_get_403() {
    let double = sogs(defaults()).await;
    let alice = client(double.info(), 1);
    let bob = client(double.info(), 2);
    let alice_id = alice.blinded_id().await.unwrap();
    alice.rooms().await.unwrap();

    // A room ban blocks reading that room.
    double
        .admin()
        .ban(Some("lobby"), &alice_id.to_string())
        .unwrap();
    assert!(matches!(
        alice.messages_recent("lobby", Default::default()).await,
        Err(Error::Forbidden)
    ));
    // A global ban blocks every authenticated request.
    double.admin().ban(None, &alice_id.to_string()).unwrap();
    assert!(matches!(alice.rooms().await, Err(Error::Forbidden)));
    bob.rooms().await.unwrap();
    double.shutdown().await;
}

#[tokio::test]
async fn unblinded_auth_on_a_blinding_server_switches_to_blinding() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let alice = client(info, 1);

    // Signed by hand with the 00 key: the typed 400.
    let key = AuthKey::new(&keypair(1), &info.x25519, AuthMode::Unblinded);
    let request = Request::rooms();
    let headers = sign_request(
        &key,
        &info.x25519,
        &[1; 16],
        alice.now_s(),
        "GET",
        "/rooms",
        b"",
    );
    let answer = alice
        .send_raw(&request.to_server_request(Some(&headers)))
        .await
        .unwrap();
    assert!(matches!(answer.check(), Err(Error::BlindingRequired)));

    // The client forced to 00 retries blinded.
    alice.force_auth_mode(Some(AuthMode::Unblinded));
    let posted = alice.post_text("lobby", "switched").await.unwrap();
    let message = alice.message("lobby", posted.id).await.unwrap();
    assert_eq!(
        message.author.prefix(),
        session_identity::IdPrefix::Blinded15
    );
    assert!(alice.auth_key().await.unwrap().mode().is_blinded());
    double.shutdown().await;
}
