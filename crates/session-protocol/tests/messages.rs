//! Typed messages: every kind survives a round trip through `Content` bytes, the bytes match
//! what clients write, decoding errors are typed, and TTLs and namespaces are the clients'.

use std::time::Duration;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use prost::Message as _;
use session_identity::{IdPrefix, SessionId};
use session_protocol::message::{
    AttachmentPointer, CallKind, CallMessage, CommunityInvitation, ContentError,
    DataExtractionKind, DataExtractionNotification, Disappearing, DisappearingMode,
    ExpirationTimerUpdate, GroupUpdate, LinkPreview, Message, MessageKind, MessageRequestResponse,
    Profile, ProfilePicture, Quote, Reaction, ReactionAction, ReadReceipt, TypingAction,
    TypingIndicator, UnsendRequest, VisibleMessage, namespace, ttl,
};
use session_protocol::proto;

// ---------------------------------------------------------------------------------------------
// Strategies

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..max)
}

fn session_id() -> impl Strategy<Value = SessionId> {
    let prefix = prop_oneof![
        Just(IdPrefix::Standard),
        Just(IdPrefix::Blinded15),
        Just(IdPrefix::Blinded25),
        Just(IdPrefix::Group),
    ];
    (prefix, any::<[u8; 32]>()).prop_map(|(prefix, key)| SessionId::new(prefix, key))
}

fn profile() -> impl Strategy<Value = Profile> {
    (
        option::of(text()),
        option::of((text(), any::<[u8; 32]>())),
        option::of(any::<u64>()),
    )
        .prop_map(|(name, picture, updated)| {
            let mut profile = Profile::default();
            profile.display_name = name;
            profile.picture = picture.map(|(url, key)| ProfilePicture::new(url, key));
            profile.updated_at_seconds = updated;
            profile
        })
}

fn attachment() -> impl Strategy<Value = AttachmentPointer> {
    (
        (any::<u64>(), option::of(text()), option::of(text())),
        (
            option::of(bytes(70)),
            option::of(any::<u32>()),
            option::of(bytes(33)),
        ),
        (option::of(text()), any::<bool>(), option::of(any::<u32>())),
        (option::of(any::<u32>()), option::of(text())),
    )
        .prop_map(
            |(
                (id, url, content_type),
                (key, size, digest),
                (file_name, voice_message, width),
                (height, caption),
            )| {
                let mut pointer = AttachmentPointer::new(id, "");
                pointer.url = url;
                pointer.content_type = content_type;
                pointer.key = key;
                pointer.size = size;
                pointer.digest = digest;
                pointer.file_name = file_name;
                pointer.voice_message = voice_message;
                pointer.width = width;
                pointer.height = height;
                pointer.caption = caption;
                pointer
            },
        )
}

fn visible() -> impl Strategy<Value = VisibleMessage> {
    let quote = (any::<u64>(), session_id()).prop_map(|(ts, author)| Quote::new(ts, author));
    let preview =
        (text(), option::of(text()), option::of(attachment())).prop_map(|(url, title, image)| {
            let mut preview = LinkPreview::new(url);
            preview.title = title;
            preview.image = image;
            preview
        });
    let invitation = (text(), text()).prop_map(|(url, name)| CommunityInvitation::new(url, name));
    (
        option::of(text()),
        vec(attachment(), 0..3),
        option::of(quote),
        vec(preview, 0..2),
        option::of(profile()),
        option::of(invitation),
        option::of(session_id()),
    )
        .prop_map(
            |(body, attachments, quote, previews, profile, invitation, sync_target)| {
                let mut message = VisibleMessage::default();
                message.body = body;
                message.attachments = attachments;
                message.quote = quote;
                message.previews = previews;
                message.profile = profile;
                message.community_invitation = invitation;
                message.sync_target = sync_target;
                message
            },
        )
}

fn reaction() -> impl Strategy<Value = Reaction> {
    (
        any::<u64>(),
        session_id(),
        text(),
        prop_oneof![Just(ReactionAction::React), Just(ReactionAction::Remove)],
        option::of(profile()),
        option::of(session_id()),
    )
        .prop_map(|(ts, author, emoji, action, profile, sync_target)| {
            let mut reaction = Reaction::new(ts, author, emoji, action);
            reaction.profile = profile;
            reaction.sync_target = sync_target;
            reaction
        })
}

fn call() -> impl Strategy<Value = CallMessage> {
    let kind = prop_oneof![
        Just(CallKind::PreOffer),
        Just(CallKind::Offer),
        Just(CallKind::Answer),
        Just(CallKind::ProvisionalAnswer),
        Just(CallKind::IceCandidates),
        Just(CallKind::EndCall),
    ];
    (
        kind,
        text(),
        vec(text(), 0..3),
        vec(any::<u32>(), 0..3),
        vec(text(), 0..3),
    )
        .prop_map(|(kind, uuid, sdps, indexes, mids)| {
            let mut call = CallMessage::new(kind, uuid);
            call.sdps = sdps;
            call.sdp_mline_indexes = indexes;
            call.sdp_mids = mids;
            call
        })
}

fn group_update() -> impl Strategy<Value = GroupUpdate> {
    let invite = (text(), text(), bytes(100), bytes(64)).prop_map(|(id, name, auth, sig)| {
        proto::GroupUpdateMessage {
            invite_message: Some(proto::GroupUpdateInviteMessage {
                group_session_id: Some(id),
                name: Some(name),
                member_auth_data: Some(auth),
                admin_signature: Some(sig),
            }),
            ..Default::default()
        }
    });
    let member_change = (vec(text(), 0..3), option::of(any::<bool>()), bytes(64)).prop_map(
        |(members, history, sig)| proto::GroupUpdateMessage {
            member_change_message: Some(proto::GroupUpdateMemberChangeMessage {
                r#type: Some(proto::group_update_member_change_message::Type::Added.into()),
                member_session_ids: members,
                history_shared: history,
                admin_signature: Some(sig),
            }),
            ..Default::default()
        },
    );
    let left = Just(proto::GroupUpdateMessage {
        member_left_message: Some(proto::GroupUpdateMemberLeftMessage {}),
        ..Default::default()
    });
    (
        prop_oneof![invite, member_change, left],
        option::of(profile()),
    )
        .prop_map(|(update, profile)| {
            let mut update = GroupUpdate::new(update);
            update.profile = profile;
            update
        })
}

fn kind() -> impl Strategy<Value = MessageKind> {
    prop_oneof![
        visible().prop_map(MessageKind::from),
        reaction().prop_map(MessageKind::from),
        vec(any::<u64>(), 0..5).prop_map(|ts| ReadReceipt::new(ts).into()),
        (
            prop_oneof![Just(TypingAction::Started), Just(TypingAction::Stopped)],
            any::<u64>()
        )
            .prop_map(|(action, ts)| TypingIndicator::new(action, ts).into()),
        (any::<u64>(), session_id()).prop_map(|(ts, author)| UnsendRequest::new(ts, author).into()),
        option::of(session_id()).prop_map(|target| {
            let mut update = ExpirationTimerUpdate::new();
            update.sync_target = target;
            update.into()
        }),
        (any::<bool>(), option::of(profile())).prop_map(|(approved, profile)| {
            let mut response = MessageRequestResponse::approve(profile);
            response.approved = approved;
            response.into()
        }),
        (
            prop_oneof![
                Just(DataExtractionKind::Screenshot),
                Just(DataExtractionKind::MediaSaved)
            ],
            option::of(any::<u64>())
        )
            .prop_map(|(kind, ts)| DataExtractionNotification::new(kind, ts).into()),
        call().prop_map(MessageKind::from),
        group_update().prop_map(MessageKind::from),
    ]
}

fn disappearing() -> impl Strategy<Value = Option<Disappearing>> {
    option::of(
        (prop_oneof![Just(0u8), Just(1), Just(2)], any::<u32>()).prop_map(
            |(mode, timer)| match mode {
                0 => {
                    let mut off = Disappearing::OFF;
                    off.timer_seconds = timer;
                    off
                }
                1 => Disappearing::after_read(timer),
                _ => Disappearing::after_send(timer),
            },
        ),
    )
}

fn pro() -> impl Strategy<Value = Option<proto::ProMessage>> {
    option::of(
        (
            option::of((bytes(33), bytes(33), option::of(any::<u64>()), bytes(65))),
            option::of(any::<u64>()),
            option::of(any::<u64>()),
        )
            .prop_map(|(proof, profile_bitset, msg_bitset)| proto::ProMessage {
                proof: proof.map(|(tag, key, expiry, sig)| proto::ProProof {
                    revocation_tag: Some(tag),
                    rotating_public_key: Some(key),
                    expiry_unix_ts: expiry,
                    sig: Some(sig),
                }),
                profile_bitset,
                msg_bitset,
            }),
    )
}

fn message() -> impl Strategy<Value = Message> {
    (
        kind(),
        any::<u64>(),
        disappearing(),
        pro(),
        option::of(bytes(65)),
    )
        .prop_map(|(kind, sent_at, disappearing, pro, community_pro_sig)| {
            let mut message = Message::new(kind, sent_at);
            message.disappearing = disappearing;
            message.pro = pro;
            message.community_pro_sig = community_pro_sig;
            message
        })
}

// ---------------------------------------------------------------------------------------------
// Round trips

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_kind_round_trips_through_content_bytes(message in message()) {
        let bytes = message.encode();
        let decoded = Message::decode(&bytes).unwrap();
        prop_assert_eq!(&decoded, &message);
        // The same bytes again: lowering is a function of the typed message.
        prop_assert_eq!(decoded.encode(), bytes);
        // And through the protobuf struct.
        prop_assert_eq!(Message::try_from(message.to_content()).unwrap(), message);
    }

    #[test]
    fn new_messages_round_trip_with_their_defaults(kind in kind(), sent_at in any::<u64>()) {
        let message = Message::new(kind, sent_at);
        prop_assert_eq!(Message::decode(&message.encode()).unwrap(), message);
    }

    #[test]
    fn decoding_never_panics(input in bytes(300)) {
        let _ = Message::decode(&input);
    }
}

// ---------------------------------------------------------------------------------------------
// Exact bytes

/// A text message as desktop builds it: `Content{dataMessage{body}, expirationType 0,
/// expirationTimer 0, sigTimestamp}`; both disappearing fields are written even when zero.
///
/// Field by field (key = field number << 3 | wire type): `0a 04` dataMessage (1), 4 bytes,
/// holding `0a 02 'h' 'i'` body (1); `60 00` expirationType (12) = UNKNOWN; `68 00`
/// expirationTimer (13) = 0; `78` sigTimestamp (15) then the varint of 1 700 000 000 000
/// (`80 d0 95 ff bc 31`).
#[test]
fn text_message_exact_bytes() {
    let message = Message::new(VisibleMessage::text("hi"), 1_700_000_000_000);
    assert_eq!(
        hex::encode(message.encode()),
        "0a040a026869600068007880d095ffbc31"
    );
}

/// A typing indicator carries no disappearing fields: `32 09` typingMessage (6), 9 bytes,
/// holding `08` timestamp (1) = the varint `80 d0 95 ff bc 31` and `10 00` action (2) =
/// STARTED (written although 0); then `78` sigTimestamp (15) with the same varint.
#[test]
fn typing_indicator_exact_bytes() {
    let message = Message::typing(TypingAction::Started, 1_700_000_000_000);
    assert_eq!(
        hex::encode(message.encode()),
        "3209_0880d095ffbc31_1000_7880d095ffbc31".replace('_', "")
    );
}

// ---------------------------------------------------------------------------------------------
// Errors

fn content_bytes(content: &proto::Content) -> Vec<u8> {
    content.encode_to_vec()
}

#[test]
fn empty_content_is_its_own_error() {
    assert_eq!(Message::decode(&[]), Err(ContentError::Empty));
    // Shared fields without a body are still empty.
    let content = proto::Content {
        sig_timestamp: Some(5),
        expiration_type: Some(0),
        ..Default::default()
    };
    assert_eq!(
        Message::decode(&content_bytes(&content)),
        Err(ContentError::Empty)
    );
}

#[test]
fn unknown_content_is_distinguished_from_empty() {
    // Field 99 (varint 1), not in the schema: key 99 << 3 = 792 = varint 98 06.
    assert_eq!(
        Message::decode(&[0x98, 0x06, 0x01]),
        Err(ContentError::UnknownKind)
    );
    // Alongside a known body it is ignored, as protobuf decoders do.
    let mut bytes = Message::new(ReadReceipt::new(vec![1]), 9).encode();
    bytes.extend_from_slice(&[0x98, 0x06, 0x01]);
    assert!(matches!(
        Message::decode(&bytes).map(|m| m.kind),
        Ok(MessageKind::ReadReceipt(_))
    ));
}

#[test]
fn invalid_protobuf_is_a_decode_error() {
    assert!(matches!(
        Message::decode(&[0xff, 0xff, 0xff]),
        Err(ContentError::Decode(_))
    ));
    // A truncated length-delimited field.
    assert!(matches!(
        Message::decode(&[0x0a, 0x05, 0x0a]),
        Err(ContentError::Decode(_))
    ));
}

#[test]
fn shared_config_and_delivery_receipts_are_unsupported() {
    let content = proto::Content {
        shared_config_message: Some(proto::SharedConfigMessage {
            kind: Some(1),
            seqno: Some(0),
            data: Some(vec![1, 2, 3]),
        }),
        ..Default::default()
    };
    assert_eq!(
        Message::decode(&content_bytes(&content)),
        Err(ContentError::Unsupported("sharedConfigMessage"))
    );
    let content = proto::Content {
        receipt_message: Some(proto::ReceiptMessage {
            r#type: Some(proto::receipt_message::Type::Delivery.into()),
            timestamp: vec![1],
        }),
        ..Default::default()
    };
    assert_eq!(
        Message::decode(&content_bytes(&content)),
        Err(ContentError::Unsupported("delivery receipt"))
    );
}

#[test]
fn missing_required_fields_are_reported_by_name() {
    let content = proto::Content {
        typing_message: Some(proto::TypingMessage {
            timestamp: None,
            action: Some(0),
        }),
        ..Default::default()
    };
    assert_eq!(
        Message::decode(&content_bytes(&content)),
        Err(ContentError::MissingField("TypingMessage.timestamp"))
    );
    let content = proto::Content {
        data_message: Some(proto::DataMessage {
            attachments: vec![proto::AttachmentPointer::default()],
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        Message::decode(&content_bytes(&content)),
        Err(ContentError::MissingField("AttachmentPointer.deprecatedId"))
    );
}

#[test]
fn unknown_enum_values_are_reported() {
    let content = proto::Content {
        call_message: Some(proto::CallMessage {
            r#type: Some(42),
            uuid: Some("call".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        Message::decode(&content_bytes(&content)),
        Err(ContentError::UnknownEnumValue {
            field: "CallMessage.type",
            value: 42
        })
    );
    let mut content = Message::new(VisibleMessage::text("x"), 1).to_content();
    content.expiration_type = Some(3);
    assert_eq!(
        Message::from_content(content),
        Err(ContentError::UnknownEnumValue {
            field: "Content.expirationType",
            value: 3
        })
    );
}

#[test]
fn malformed_session_ids_are_reported() {
    let content = proto::Content {
        unsend_request: Some(proto::UnsendRequest {
            timestamp: Some(1),
            author: Some("05abc".into()),
        }),
        ..Default::default()
    };
    assert!(matches!(
        Message::decode(&content_bytes(&content)),
        Err(ContentError::InvalidSessionId {
            field: "UnsendRequest.author",
            ..
        })
    ));
}

#[test]
fn dispatch_follows_desktop_order() {
    // A data message wins over a typing message, as desktop handles dataMessage first.
    let mut content = Message::new(VisibleMessage::text("a"), 1).to_content();
    content.typing_message = Message::typing(TypingAction::Started, 1)
        .to_content()
        .typing_message;
    assert!(matches!(
        Message::from_content(content).map(|m| m.kind),
        Ok(MessageKind::Visible(_))
    ));
}

#[test]
fn a_bad_avatar_does_not_reject_the_message() {
    let mut content = Message::new(VisibleMessage::text("a"), 1).to_content();
    let data = content.data_message.as_mut().unwrap();
    data.profile = Some(proto::LokiProfile {
        display_name: Some("Bob".into()),
        profile_picture: Some("http://example.org/1".into()),
        last_update_seconds: None,
    });
    data.profile_key = Some(vec![1; 31]);
    let message = Message::from_content(content).unwrap();
    let MessageKind::Visible(visible) = message.kind else {
        panic!("not visible")
    };
    let profile = visible.profile.unwrap();
    assert_eq!(profile.display_name.as_deref(), Some("Bob"));
    assert_eq!(profile.picture, None);
}

// ---------------------------------------------------------------------------------------------
// TTLs and namespaces

fn author() -> SessionId {
    SessionId::new(IdPrefix::Standard, [7; 32])
}

#[test]
fn ttls_are_the_clients() {
    const DAY: u64 = 24 * 60 * 60;
    let cases: [(Message, u64); 10] = [
        (Message::new(VisibleMessage::text("a"), 1), 14 * DAY),
        (Message::typing(TypingAction::Started, 1), 20),
        (
            Message::new(CallMessage::new(CallKind::Offer, "u"), 1),
            5 * 60,
        ),
        (Message::new(ReadReceipt::new(vec![1]), 1), 14 * DAY),
        (Message::new(UnsendRequest::new(1, author()), 1), 14 * DAY),
        (
            Message::new(MessageRequestResponse::approve(None), 1),
            14 * DAY,
        ),
        (
            Message::new(VisibleMessage::text("a"), 1)
                .with_disappearing(Disappearing::after_send(3600)),
            3600,
        ),
        (
            Message::new(VisibleMessage::text("a"), 1)
                .with_disappearing(Disappearing::after_read(3600)),
            14 * DAY,
        ),
        (
            Message::new(ExpirationTimerUpdate::new(), 1)
                .with_disappearing(Disappearing::after_send(60)),
            60,
        ),
        // Calls keep 5 minutes whatever the setting (desktop CallMessage.ttl()).
        (
            Message::new(CallMessage::new(CallKind::EndCall, "u"), 1)
                .with_disappearing(Disappearing::after_send(3600)),
            5 * 60,
        ),
    ];
    for (message, seconds) in cases {
        assert_eq!(
            message.ttl(),
            Duration::from_secs(seconds),
            "{}",
            message.kind.name()
        );
    }
    // After-send with a zero timer is not disappearing.
    let off =
        Message::new(VisibleMessage::text("a"), 1).with_disappearing(Disappearing::after_send(0));
    assert_eq!(off.ttl(), ttl::CONTENT_TTL);
    assert_eq!(ttl::CONFIG_TTL, Duration::from_secs(30 * DAY));
}

#[test]
fn namespaces_are_the_clients() {
    assert_eq!(Message::new(VisibleMessage::text("a"), 1).namespace(), 0);
    assert_eq!(
        Message::typing(TypingAction::Stopped, 1).namespace(),
        namespace::DEFAULT
    );
    let invite = GroupUpdate::new(proto::GroupUpdateMessage {
        invite_message: Some(proto::GroupUpdateInviteMessage::default()),
        ..Default::default()
    });
    assert_eq!(Message::new(invite, 1).namespace(), namespace::DEFAULT);
    let left = GroupUpdate::new(proto::GroupUpdateMessage {
        member_left_message: Some(proto::GroupUpdateMemberLeftMessage {}),
        ..Default::default()
    });
    assert_eq!(Message::new(left, 1).namespace(), namespace::GROUP_MESSAGES);
    assert_eq!(namespace::GROUP_MESSAGES, 11);
    assert_eq!(namespace::REVOKED_RETRIEVABLE_GROUP_MESSAGES, -11);
}

#[test]
fn defaults_follow_desktop() {
    // Kinds desktop sends as ExpirableMessage get both disappearing fields; the others none.
    let visible = Message::new(VisibleMessage::text("a"), 1).to_content();
    assert_eq!(
        (visible.expiration_type, visible.expiration_timer),
        (Some(0), Some(0))
    );
    for kind in [
        MessageKind::from(ReadReceipt::new(vec![1])),
        UnsendRequest::new(1, author()).into(),
        MessageRequestResponse::approve(None).into(),
    ] {
        let content = Message::new(kind, 1).to_content();
        assert_eq!(
            (content.expiration_type, content.expiration_timer),
            (None, None)
        );
    }
    let typing = Message::typing(TypingAction::Started, 77);
    let MessageKind::Typing(indicator) = typing.kind else {
        panic!("not typing")
    };
    assert_eq!(indicator.timestamp_ms, 77);
    let disappearing = Disappearing::after_send(10);
    assert_eq!(disappearing.mode, DisappearingMode::AfterSend);
    assert!(disappearing.is_on());
    assert!(!Disappearing::OFF.is_on());
}
