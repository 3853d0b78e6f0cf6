//! Every endpoint over direct HTTP against the standalone double.

use std::time::Duration;

use session_identity::blinding::blind15;
use session_sogs::{Error, MessageQuery, PermissionChange, Post, Request, Role, RoomUpdate, Scope};

use crate::common::{client, defaults, keypair, sogs};

#[tokio::test]
async fn capabilities_rooms_and_identity() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let alice = client(info, 1);

    let caps = alice.capabilities().await.unwrap();
    assert!(caps.has("sogs") && caps.requires_blinding(), "{caps:?}");
    let me = alice.blinded_id().await.unwrap();
    assert_eq!(me, blind15::id(&keypair(1), &info.x25519));

    let rooms = alice.rooms().await.unwrap();
    assert!(rooms.iter().any(|r| r.token == "lobby"));
    let lobby = alice.room("lobby").await.unwrap();
    assert_eq!(lobby.name, "Lobby");
    assert!(lobby.read && lobby.write);
    assert!(matches!(alice.room("nope").await, Err(Error::NotFound)));

    // pollInfo carries details only when info_updates differs.
    let same = alice.poll_info("lobby", lobby.info_updates).await.unwrap();
    assert!(same.details.is_none());
    let other = alice
        .poll_info("lobby", lobby.info_updates + 1)
        .await
        .unwrap();
    assert_eq!(other.details.unwrap().token, "lobby");
    double.shutdown().await;
}

#[tokio::test]
async fn post_read_edit_delete() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let alice = client(info, 1);
    let me = alice.blinded_id().await.unwrap();

    let first = alice.post_text("lobby", "first").await.unwrap();
    let second = alice.post_text("lobby", "second").await.unwrap();
    assert!(second.id > first.id && second.seqno > first.seqno);
    assert_eq!(double.admin().message_count("lobby"), 2);

    let read = alice.message("lobby", first.id).await.unwrap();
    assert_eq!(read.text.as_deref(), Some("first"));
    assert_eq!(read.author, me);
    assert!(read.signature_valid && !read.deleted && read.edited.is_none());

    let recent = alice
        .messages_recent("lobby", MessageQuery::default())
        .await
        .unwrap();
    assert_eq!(
        recent.iter().map(|m| m.id).collect::<Vec<_>>(),
        [second.id, first.id]
    );
    let since = alice
        .messages_since("lobby", first.seqno, MessageQuery::default())
        .await
        .unwrap();
    assert_eq!(since.iter().map(|m| m.id).collect::<Vec<_>>(), [second.id]);
    let before = alice
        .messages_before("lobby", second.id, MessageQuery::default().limit(5))
        .await
        .unwrap();
    assert_eq!(before.iter().map(|m| m.id).collect::<Vec<_>>(), [first.id]);

    alice
        .edit(
            "lobby",
            first.id,
            Post::text("first, edited", alice.now_ms()),
        )
        .await
        .unwrap();
    let edited = alice.message("lobby", first.id).await.unwrap();
    assert_eq!(edited.text.as_deref(), Some("first, edited"));
    assert!(edited.edited.is_some() && edited.signature_valid);

    // Someone else can neither edit nor delete it.
    let bob = client(info, 2);
    assert!(matches!(
        bob.edit("lobby", first.id, Post::text("x", 1)).await,
        Err(Error::Forbidden)
    ));
    assert!(bob.delete_message("lobby", first.id).await.is_err());

    alice.delete_message("lobby", first.id).await.unwrap();
    assert!(matches!(
        alice.message("lobby", first.id).await,
        Err(Error::NotFound)
    ));
    let since = alice
        .messages_since("lobby", second.seqno, MessageQuery::default())
        .await
        .unwrap();
    assert!(since.iter().any(|m| m.id == first.id && m.deleted));

    // Delete-all of one's own posts.
    alice.delete_all_from("lobby", &me).await.unwrap();
    assert_eq!(double.admin().message_count("lobby"), 0);
    double.shutdown().await;
}

#[tokio::test]
async fn reactions() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let alice = client(info, 1);
    let bob = client(info, 2);
    let posted = alice.post_text("lobby", "react to me").await.unwrap();

    let added = bob.add_reaction("lobby", posted.id, "👍").await.unwrap();
    assert!(added.changed && added.seqno > posted.seqno);
    assert!(
        !bob.add_reaction("lobby", posted.id, "👍")
            .await
            .unwrap()
            .changed
    );
    alice.add_reaction("lobby", posted.id, "👍").await.unwrap();
    // Any characters, even '/', in one path segment.
    bob.add_reaction("lobby", posted.id, "a/b").await.unwrap();

    let reactors = alice
        .reactors("lobby", posted.id, "👍", Some(10))
        .await
        .unwrap();
    let bob_id = bob.blinded_id().await.unwrap();
    let alice_id = alice.blinded_id().await.unwrap();
    assert_eq!(
        reactors.iter().map(|r| r.session_id).collect::<Vec<_>>(),
        [bob_id, alice_id]
    );

    let message = alice.message("lobby", posted.id).await.unwrap();
    let thumbs = &message.reactions["👍"];
    assert_eq!(thumbs.count, 2);
    assert!(thumbs.you);
    assert!(message.reactions.contains_key("a/b"));

    let removed = bob.remove_reaction("lobby", posted.id, "👍").await.unwrap();
    assert!(removed.changed);
    assert!(
        !bob.remove_reaction("lobby", posted.id, "👍")
            .await
            .unwrap()
            .changed
    );

    // Clearing needs a moderator.
    assert!(matches!(
        bob.clear_reactions("lobby", posted.id, None).await,
        Err(Error::Forbidden)
    ));
    double
        .admin()
        .add_moderator(Some("lobby"), &alice_id.to_string(), false, true)
        .unwrap();
    assert_eq!(
        alice
            .clear_reactions("lobby", posted.id, Some("a/b"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        alice
            .clear_reactions("lobby", posted.id, None)
            .await
            .unwrap(),
        1
    );
    assert!(
        alice
            .message("lobby", posted.id)
            .await
            .unwrap()
            .reactions
            .is_empty()
    );
    double.shutdown().await;
}

#[tokio::test]
async fn pins_files_and_moderation() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let admin = client(info, 1);
    let user = client(info, 2);
    let admin_id = admin.blinded_id().await.unwrap();
    let user_id = user.blinded_id().await.unwrap();
    double
        .admin()
        .add_moderator(Some("lobby"), &admin_id.to_string(), true, true)
        .unwrap();

    let one = admin.post_text("lobby", "one").await.unwrap();
    let two = admin.post_text("lobby", "two").await.unwrap();
    assert!(matches!(
        user.pin("lobby", one.id).await,
        Err(Error::Forbidden)
    ));
    let after_pin = admin.pin("lobby", one.id).await.unwrap();
    admin.pin("lobby", two.id).await.unwrap();
    let room = admin.room("lobby").await.unwrap();
    assert_eq!(
        room.pinned_messages
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        [one.id, two.id]
    );
    assert!(admin.unpin("lobby", one.id).await.unwrap() > after_pin);
    admin.unpin_all("lobby").await.unwrap();
    assert!(
        admin
            .room("lobby")
            .await
            .unwrap()
            .pinned_messages
            .is_empty()
    );

    // Files.
    let uploaded = user
        .upload_file("lobby", b"file bytes".to_vec(), Some("notes é.txt"))
        .await
        .unwrap();
    assert_eq!(
        uploaded.url,
        format!("{}/room/lobby/file/{}", info.url, uploaded.id)
    );
    let file = admin.download_file("lobby", uploaded.id).await.unwrap();
    assert_eq!(file.bytes, b"file bytes");
    assert_eq!(file.filename.as_deref(), Some("notes é.txt"));
    let unnamed = user
        .upload_file("lobby", vec![0, 1, 2], None)
        .await
        .unwrap();
    assert_eq!(
        admin
            .download_file("lobby", unnamed.id)
            .await
            .unwrap()
            .bytes,
        [0, 1, 2]
    );
    assert!(matches!(
        admin.download_file("lobby", 999_999).await,
        Err(Error::NotFound)
    ));

    // Temporary write revocation: now, and scheduled back.
    admin
        .set_permissions(
            "lobby",
            &user_id,
            PermissionChange::default().write(false),
            Some(Duration::from_secs(3600)),
        )
        .await
        .unwrap();
    assert!(!user.room("lobby").await.unwrap().write);
    assert!(matches!(
        user.post_text("lobby", "muted").await,
        Err(Error::Forbidden)
    ));
    admin
        .set_permissions(
            "lobby",
            &user_id,
            PermissionChange::default().write(true),
            None,
        )
        .await
        .unwrap();
    user.post_text("lobby", "unmuted").await.unwrap();

    // Ban (with a timeout) and unban in the room.
    admin
        .ban(
            &user_id,
            Scope::room("lobby"),
            Some(Duration::from_secs(600)),
        )
        .await
        .unwrap();
    assert!(matches!(
        user.room("lobby").await,
        Err(Error::Forbidden | Error::NotFound)
    ));
    admin.unban(&user_id, Scope::room("lobby")).await.unwrap();
    user.room("lobby").await.unwrap();

    // Roles: the user becomes a (hidden) moderator, then nothing again.
    admin
        .set_moderator(
            &user_id,
            Scope::room("lobby"),
            Role::Moderator { visible: false },
        )
        .await
        .unwrap();
    assert!(user.room("lobby").await.unwrap().moderator);
    admin
        .set_moderator(&user_id, Scope::room("lobby"), Role::None)
        .await
        .unwrap();
    assert!(!user.room("lobby").await.unwrap().moderator);
    // Only admins hand out roles.
    assert!(matches!(
        user.set_moderator(&admin_id, Scope::room("lobby"), Role::None)
            .await,
        Err(Error::Forbidden)
    ));
    double.shutdown().await;
}

#[tokio::test]
async fn direct_messages() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let alice = client(info, 1);
    let bob = client(info, 2);
    let bob_id = bob.blinded_id().await.unwrap();
    let alice_id = alice.blinded_id().await.unwrap();
    // Bob has to have used the server before anyone can DM him.
    assert!(matches!(
        alice.send_dm_text(&bob_id, "too early").await,
        Err(Error::NotFound)
    ));
    bob.rooms().await.unwrap();

    let sent = alice.send_dm_text(&bob_id, "hello bob").await.unwrap();
    let second = alice.send_dm_text(&bob_id, "again").await.unwrap();
    let inbox = bob.inbox(None).await.unwrap();
    assert_eq!(inbox.len(), 2);
    assert_eq!(inbox[0].id, sent.id);
    assert_eq!(inbox[0].sender, alice_id);
    assert_eq!(inbox[0].recipient, bob_id);
    assert_eq!(inbox[0].sender_session_id, Some(keypair(1).session_id()));
    assert_eq!(inbox[0].text.as_deref(), Some("hello bob"));
    assert_eq!(bob.inbox(Some(sent.id)).await.unwrap().len(), 1);
    // Nothing newer: 304, an empty list.
    assert!(bob.inbox(Some(second.id)).await.unwrap().is_empty());

    let outbox = alice.outbox(None).await.unwrap();
    assert_eq!(outbox.len(), 2);
    assert_eq!(outbox[1].text.as_deref(), Some("again"));
    assert!(alice.outbox(Some(second.id)).await.unwrap().is_empty());

    assert_eq!(bob.delete_inbox().await.unwrap(), 2);
    assert!(bob.inbox(None).await.unwrap().is_empty());

    // Only blinded ids take DMs.
    assert!(matches!(
        alice.send_dm_text(&keypair(2).session_id(), "x").await,
        Err(Error::InvalidRequest(_))
    ));
    double.shutdown().await;
}

#[tokio::test]
async fn batch_and_sequence() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let alice = client(info, 1);
    let posted = alice.post_text("lobby", "batched").await.unwrap();

    let answers = alice
        .batch(vec![
            Request::capabilities(&[]),
            Request::room("nope").unwrap(),
            Request::messages_recent("lobby", MessageQuery::default()).unwrap(),
            Request::add_reaction("lobby", posted.id, "🎉").unwrap(),
            Request::inbox(Some(1_000)),
        ])
        .await
        .unwrap();
    assert_eq!(answers.len(), 5);
    assert!(
        session_sogs::decode::capabilities(&answers[0])
            .unwrap()
            .has("sogs")
    );
    assert!(matches!(answers[1].check(), Err(Error::NotFound)));
    let messages = session_sogs::decode::messages(&answers[2]).unwrap();
    assert_eq!(messages[0].text.as_deref(), Some("batched"));
    assert!(
        session_sogs::decode::reaction_change(&answers[3], "added")
            .unwrap()
            .changed
    );
    assert!(
        session_sogs::decode::dm_rows(&answers[4])
            .unwrap()
            .is_empty()
    );

    // A sequence stops after the first failure.
    let answers = alice
        .sequence(vec![
            Request::room("lobby").unwrap(),
            Request::room("nope").unwrap(),
            Request::rooms(),
        ])
        .await
        .unwrap();
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[1].status, 404);
    double.shutdown().await;
}

#[tokio::test]
async fn room_admin_and_permission_lists() {
    let double = sogs(defaults()).await;
    let info = double.info();
    let admin = client(info, 1);
    let user = client(info, 2);
    let admin_id = admin.blinded_id().await.unwrap();
    let user_id = user.blinded_id().await.unwrap();
    double
        .admin()
        .add_moderator(Some("lobby"), &admin_id.to_string(), true, true)
        .unwrap();

    let before = admin.room("lobby").await.unwrap().info_updates;
    let after = admin
        .update_room(
            "lobby",
            &RoomUpdate::default()
                .name("Renamed")
                .description(Some("About")),
        )
        .await
        .unwrap();
    assert!(after > before);
    let room = user.room("lobby").await.unwrap();
    assert_eq!(room.name, "Renamed");
    assert_eq!(room.description.as_deref(), Some("About"));
    assert!(matches!(
        user.update_room("lobby", &RoomUpdate::default().name("x"))
            .await,
        Err(Error::Forbidden)
    ));

    admin
        .set_permissions(
            "lobby",
            &user_id,
            PermissionChange::default().write(false),
            None,
        )
        .await
        .unwrap();
    let all = admin.permissions("lobby").await.unwrap();
    assert_eq!(all[&user_id.to_string()].write, Some(false));
    assert_eq!(
        admin
            .user_permissions("lobby", &user_id)
            .await
            .unwrap()
            .write,
        Some(false)
    );
    let scheduled = admin
        .schedule_permissions(
            "lobby",
            &user_id,
            PermissionChange::default().write(true),
            Duration::from_secs(3600),
        )
        .await
        .unwrap();
    assert_eq!(scheduled.len(), 1);
    assert_eq!(scheduled[0].write, Some(true));
    assert_eq!(
        admin
            .scheduled_permissions("lobby", None)
            .await
            .unwrap()
            .len(),
        1
    );
    admin
        .set_permissions(
            "lobby",
            &user_id,
            PermissionChange::default().write(true),
            None,
        )
        .await
        .unwrap();

    user.post_text("lobby", "a").await.unwrap();
    user.post_text("lobby", "b").await.unwrap();
    let deleted = admin.delete_all_everywhere(&user_id).await.unwrap();
    assert_eq!(deleted.total, 2);
    assert_eq!(deleted.rooms["lobby"], 2);
    double.shutdown().await;
}
