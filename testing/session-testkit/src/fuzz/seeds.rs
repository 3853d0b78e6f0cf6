//! The hand-made seed corpus of the protocol targets: valid inputs made with the fixed keys
//! (so that the fuzzer starts past the MACs), each malformed in the ways the decoders tell
//! apart, and truncated or flipped variants.
//!
//! Everything is deterministic; rerunning rewrites the same files. Each file goes through
//! its target as it is written, so a seed that breaks a contract fails the generator.
//!
//! ```sh
//! cargo test -p session-testkit --lib -- --ignored write_seed_corpus
//! ```

use std::fs;
use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::CompressedEdwardsY;
use hmac::{Hmac, KeyInit, Mac};
use prost::Message as _;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use session_crypto::{Ed25519Seed, SymmetricKey, X25519Secret, aead, blake2b, sealed_box};
use session_identity::blinding::{blind15, blind25};
use session_identity::{Keypair, SessionId};
use session_onion::frame::Frame;
use session_onion::node::{self, Next};
use session_onion::{
    Builder, ChannelKey, EncType, Hop, ServerDestination, ServerRequest, ServerResponse, v4,
};
use session_protocol::attachment::deterministic::{self, Domain};
use session_protocol::attachment::{self, AttachmentKey, Padding, avatar};
use session_protocol::envelope::{self, ProSignature};
use session_protocol::message::{
    AttachmentPointer, CallKind, CallMessage, CommunityInvitation, DataExtractionKind,
    DataExtractionNotification, Disappearing, ExpirationTimerUpdate, GroupUpdate, LinkPreview,
    Message, MessageRequestResponse, Profile, ProfilePicture, Quote, Reaction, ReactionAction,
    ReadReceipt, TypingAction, UnsendRequest, VisibleMessage,
};
use session_protocol::proto::{self, Content};
use session_protocol::{blinded, direct, multi_encrypt, padding};
use sha2::Sha256;

use super::notify::ONS_NO_NONCE;
use super::onion::NOT_FOUND;
use super::{
    ATTACHMENT_KEY, AVATAR_KEY, MULTI_DOMAIN, ONION_FALLBACK_KEY, ONION_NODE_SECRET,
    ONION_RESPONSE_KEY, ONION_SERVER_SECRET, PUSH_KEY, SENDER_SEED, SERVER_PUBKEY, TARGETS, Target,
    recipient, sender,
};
use crate::{VectorFile, str_field};

/// The sent time of every seed message.
const TS: u64 = 1_700_000_000_000;

/// A third account, neither sender nor recipient.
fn third() -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(
        *b"session-fuzz third party    0001",
    ))
}

/// A fourth account.
fn fourth() -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(
        *b"session-fuzz fourth party   0001",
    ))
}

/// One target's corpus directory.
struct Corpus {
    dir: PathBuf,
    target: Target,
}

impl Corpus {
    fn new(name: &str) -> Self {
        let (_, target) = TARGETS
            .into_iter()
            .find(|(target, _)| *target == name)
            .unwrap_or_else(|| panic!("no fuzz target {name}"));
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/corpus")
            .join(name);
        fs::create_dir_all(&dir).unwrap();
        Self { dir, target }
    }

    /// Checks `data` with the target and writes it as `name`.
    fn add(&self, name: &str, data: &[u8]) {
        (self.target)(data);
        fs::write(self.dir.join(name), data).unwrap();
    }

    /// Writes `data`, then the same cut to `cut` bytes and with the byte at `flip` flipped.
    fn add_variants(&self, name: &str, data: &[u8], cut: usize, flip: usize) {
        self.add(name, data);
        self.add(&format!("{name}-truncated"), &data[..cut]);
        let mut flipped = data.to_vec();
        flipped[flip] ^= 0x01;
        self.add(&format!("{name}-flipped"), &flipped);
    }
}

fn concat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

#[test]
#[ignore = "writes fuzz/corpus; run by hand after changing a target or a format"]
fn write_seed_corpus() {
    unpad_seeds();
    content_seeds();
    direct_seeds();
    envelope_seeds();
    blinded_seeds();
    multi_seeds();
    attachment_seeds();
    deterministic_seeds();
    avatar_seeds();
    ons_seeds();
    push_seeds();
    onion_peel_seeds();
    onion_node_response_seeds();
    onion_server_response_seeds();
    onion_v4_decode_seeds();
}

/// One message of every kind, with every optional part somewhere.
fn messages() -> Vec<(&'static str, Message)> {
    let author = sender().session_id();

    let mut pointer = AttachmentPointer::new(7, "https://file.example/f/abc");
    pointer.content_type = Some("image/jpeg".into());
    pointer.key = Some(vec![0x11; 64]);
    pointer.size = Some(1234);
    pointer.digest = Some(vec![0x22; 32]);
    pointer.file_name = Some("photo.jpg".into());
    pointer.voice_message = true;
    pointer.width = Some(640);
    pointer.height = Some(480);
    pointer.caption = Some("caption".into());
    let mut preview = LinkPreview::new("https://getsession.org");
    preview.title = Some("Session".into());
    preview.image = Some(AttachmentPointer::new(8, "https://file.example/f/def"));
    let mut profile = Profile::named("Alice");
    profile.picture = Some(ProfilePicture::new("https://file.example/a", [0x33; 32]));
    profile.updated_at_seconds = Some(1_700_000_000);
    let mut full = VisibleMessage::text("hello with everything");
    full.attachments = vec![pointer];
    full.quote = Some(Quote::new(TS - 3, author));
    full.previews = vec![preview];
    full.profile = Some(profile);
    full.community_invitation = Some(CommunityInvitation::new(
        "https://open.example/room?public_key=00",
        "Room",
    ));
    full.sync_target = Some(recipient().session_id());

    let mut call = CallMessage::new(CallKind::Offer, "4a8f1c2e-uuid");
    call.sdps = vec!["v=0".into()];
    call.sdp_mline_indexes = vec![0];
    call.sdp_mids = vec!["0".into()];

    let invite = proto::GroupUpdateMessage {
        invite_message: Some(proto::GroupUpdateInviteMessage {
            group_session_id: Some(format!("03{}", "ab".repeat(32))),
            name: Some("Group".into()),
            member_auth_data: Some(vec![0x44; 100]),
            admin_signature: Some(vec![0x55; 64]),
        }),
        ..Default::default()
    };
    let pro = proto::ProMessage {
        proof: Some(proto::ProProof {
            revocation_tag: Some(vec![1; 32]),
            rotating_public_key: Some(vec![2; 32]),
            expiry_unix_ts: Some(1_800_000_000),
            sig: Some(vec![3; 64]),
        }),
        profile_bitset: Some(1),
        msg_bitset: Some(2),
    };

    vec![
        (
            "visible-text",
            Message::new(VisibleMessage::text("hello"), TS),
        ),
        (
            "visible-full",
            Message::new(full, TS).with_disappearing(Disappearing::after_send(86_400)),
        ),
        (
            "visible-pro",
            Message::new(VisibleMessage::text("pro"), TS).with_pro(pro),
        ),
        (
            "visible-no-timestamp",
            Message::new(VisibleMessage::text("old"), 0),
        ),
        (
            "reaction",
            Message::new(
                Reaction::new(TS - 1, author, "\u{1f44d}", ReactionAction::React),
                TS,
            ),
        ),
        (
            "reaction-remove",
            Message::new(
                Reaction::new(TS - 1, author, "\u{1f44d}", ReactionAction::Remove),
                TS,
            ),
        ),
        (
            "read-receipt",
            Message::new(ReadReceipt::new([TS - 2, TS - 1]), TS),
        ),
        ("typing-started", Message::typing(TypingAction::Started, TS)),
        ("typing-stopped", Message::typing(TypingAction::Stopped, TS)),
        (
            "unsend",
            Message::new(UnsendRequest::new(TS - 1, author), TS),
        ),
        (
            "expiration-timer-update",
            Message::new(ExpirationTimerUpdate::new(), TS)
                .with_disappearing(Disappearing::after_read(3_600)),
        ),
        (
            "message-request-response",
            Message::new(
                MessageRequestResponse::approve(Some(Profile::named("Bob"))),
                TS,
            ),
        ),
        (
            "data-extraction-screenshot",
            Message::new(
                DataExtractionNotification::new(DataExtractionKind::Screenshot, Some(TS - 5)),
                TS,
            ),
        ),
        (
            "data-extraction-media-saved",
            Message::new(
                DataExtractionNotification::new(DataExtractionKind::MediaSaved, None),
                TS,
            ),
        ),
        ("call-offer", Message::new(call, TS)),
        (
            "group-update-invite",
            Message::new(GroupUpdate::new(invite), TS),
        ),
    ]
}

fn message(name: &str) -> Message {
    messages()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| m)
        .unwrap()
}

fn unpad_seeds() {
    let corpus = Corpus::new("unpad");
    corpus.add("current-hello", &padding::pad(b"hello"));
    corpus.add("legacy-hello", &padding::pad_legacy(b"hello"));
    corpus.add("current-aligned-159", &padding::pad(&[7; 159]));
    corpus.add("legacy-full-158", &padding::pad_legacy(&[7; 158]));
    corpus.add("current-empty-content", &padding::pad(b""));
    corpus.add(
        "current-visible-text",
        &padding::pad(&message("visible-text").encode()),
    );
    corpus.add("empty", b"");
    corpus.add("all-zero-160", &[0; 160]);
    corpus.add("no-terminator", b"hello\0\0");
    corpus.add("bytes-after-terminator", b"hi\x80\0\x01\0");
    corpus.add("terminator-only", b"\x80");
    corpus.add("content-with-terminators", b"a\x80\0b\x80\0\0");
    corpus.add("odd-zero-run", &concat(&[b"hello\x80", &[0; 10]]));
}

fn content_seeds() {
    let corpus = Corpus::new("content_decode");
    for (name, message) in messages() {
        corpus.add(name, &message.encode());
    }
    let full = message("visible-full").encode();
    corpus.add("visible-full-truncated", &full[..full.len() / 2]);

    let author = sender().session_id().to_string();
    let encode = |content: Content| content.encode_to_vec();
    let data = |message: proto::DataMessage| Content {
        data_message: Some(message),
        ..Content::default()
    };
    corpus.add("empty", b"");
    corpus.add("not-protobuf", b"\xff\xff\xff");
    // Field 20, a varint: no field this library knows.
    corpus.add("unknown-field-only", b"\xa0\x01\x01");
    corpus.add(
        "delivery-receipt",
        &encode(Content {
            receipt_message: Some(proto::ReceiptMessage {
                r#type: Some(proto::receipt_message::Type::Delivery.into()),
                timestamp: vec![TS],
            }),
            ..Content::default()
        }),
    );
    corpus.add(
        "shared-config",
        &encode(Content {
            shared_config_message: Some(proto::SharedConfigMessage {
                kind: Some(1),
                seqno: Some(0),
                data: Some(vec![1, 2, 3]),
            }),
            ..Content::default()
        }),
    );
    corpus.add(
        "reaction-missing-id",
        &encode(data(proto::DataMessage {
            reaction: Some(proto::data_message::Reaction {
                id: None,
                author: Some(author.clone()),
                emoji: Some("x".into()),
                action: Some(0),
            }),
            ..Default::default()
        })),
    );
    corpus.add(
        "quote-invalid-author",
        &encode(data(proto::DataMessage {
            body: Some("hi".into()),
            quote: Some(proto::data_message::Quote {
                id: Some(TS),
                author: Some("05zz".into()),
            }),
            ..Default::default()
        })),
    );
    corpus.add(
        "typing-unknown-action",
        &encode(Content {
            typing_message: Some(proto::TypingMessage {
                timestamp: Some(TS),
                action: Some(7),
            }),
            ..Content::default()
        }),
    );
    corpus.add(
        "expiration-type-unknown",
        &encode(Content {
            data_message: Some(proto::DataMessage::default()),
            expiration_type: Some(9),
            expiration_timer: Some(60),
            ..Content::default()
        }),
    );
    let (group, kitchen_sink) = every_field(&author);
    corpus.add(
        "group-update-every-kind",
        &Message::new(GroupUpdate::new(group), TS).encode(),
    );
    corpus.add("every-field", &encode(kitchen_sink));
    let mut both = message("visible-text").to_content();
    both.typing_message = message("typing-started").to_content().typing_message;
    corpus.add("data-and-typing", &encode(both));
    corpus.add(
        "sig-timestamp-zero",
        &encode(Content {
            data_message: Some(proto::DataMessage::default()),
            sig_timestamp: Some(0),
            ..Content::default()
        }),
    );
}

/// A group update with every kind of update, and a `Content` with every field of every
/// message set (it reads as that group update, the first body desktop looks at).
fn every_field(author: &str) -> (proto::GroupUpdateMessage, Content) {
    let pointer = |id| proto::AttachmentPointer {
        deprecated_id: Some(id),
        content_type: Some("image/png".into()),
        key: Some(vec![1; 64]),
        size: Some(10),
        thumbnail: Some(vec![2; 4]),
        digest: Some(vec![3; 32]),
        file_name: Some("a.png".into()),
        flags: Some(1),
        width: Some(1),
        height: Some(2),
        caption: Some("caption".into()),
        url: Some("https://file.example/f/1".into()),
    };
    let profile = || proto::LokiProfile {
        display_name: Some("Sink".into()),
        profile_picture: Some("https://file.example/p".into()),
        last_update_seconds: Some(1_700_000_000),
    };
    let group = proto::GroupUpdateMessage {
        invite_message: Some(proto::GroupUpdateInviteMessage {
            group_session_id: Some(format!("03{}", "cd".repeat(32))),
            name: Some("Group".into()),
            member_auth_data: Some(vec![4; 100]),
            admin_signature: Some(vec![5; 64]),
        }),
        info_change_message: Some(proto::GroupUpdateInfoChangeMessage {
            r#type: Some(1),
            updated_name: Some("New name".into()),
            updated_expiration: Some(60),
            admin_signature: Some(vec![6; 64]),
        }),
        member_change_message: Some(proto::GroupUpdateMemberChangeMessage {
            r#type: Some(1),
            member_session_ids: vec![author.to_owned()],
            history_shared: Some(true),
            admin_signature: Some(vec![7; 64]),
        }),
        promote_message: Some(proto::GroupUpdatePromoteMessage {
            group_identity_seed: Some(vec![8; 32]),
            name: Some("Group".into()),
        }),
        member_left_message: Some(proto::GroupUpdateMemberLeftMessage {}),
        invite_response: Some(proto::GroupUpdateInviteResponseMessage {
            is_approved: Some(true),
        }),
        delete_member_content: Some(proto::GroupUpdateDeleteMemberContentMessage {
            member_session_ids: vec![author.to_owned()],
            message_hashes: vec!["hash".into()],
            admin_signature: Some(vec![9; 64]),
        }),
        member_left_notification_message: Some(proto::GroupUpdateMemberLeftNotificationMessage {}),
    };
    let data = proto::DataMessage {
        body: Some("body".into()),
        attachments: vec![pointer(1), pointer(2)],
        flags: Some(2),
        profile_key: Some(vec![0x33; 32]),
        timestamp: Some(TS),
        quote: Some(proto::data_message::Quote {
            id: Some(TS - 1),
            author: Some(author.to_owned()),
        }),
        preview: vec![proto::data_message::Preview {
            url: Some("https://getsession.org".into()),
            title: Some("Session".into()),
            image: Some(pointer(3)),
        }],
        reaction: Some(proto::data_message::Reaction {
            id: Some(TS - 2),
            author: Some(author.to_owned()),
            emoji: Some("x".into()),
            action: Some(1),
        }),
        profile: Some(profile()),
        community_invitation: Some(proto::data_message::CommunityInvitation {
            url: Some("https://open.example/room".into()),
            name: Some("Room".into()),
        }),
        sync_target: Some(author.to_owned()),
        blocks_community_message_requests: Some(true),
        group_update_message: Some(group.clone()),
    };
    let content = Content {
        data_message: Some(data),
        call_message: Some(proto::CallMessage {
            r#type: Some(1),
            sdps: vec!["v=0".into(), "v=1".into()],
            sdp_m_line_indexes: vec![0, 1],
            sdp_mids: vec!["0".into(), "1".into()],
            uuid: Some("uuid".into()),
        }),
        receipt_message: Some(proto::ReceiptMessage {
            r#type: Some(1),
            timestamp: vec![TS, TS + 1],
        }),
        typing_message: Some(proto::TypingMessage {
            timestamp: Some(TS),
            action: Some(1),
        }),
        data_extraction_notification: Some(proto::DataExtractionNotification {
            r#type: Some(1),
            timestamp: Some(TS),
        }),
        unsend_request: Some(proto::UnsendRequest {
            timestamp: Some(TS),
            author: Some(author.to_owned()),
        }),
        message_request_response: Some(proto::MessageRequestResponse {
            is_approved: Some(true),
            profile_key: Some(vec![0x44; 32]),
            profile: Some(profile()),
        }),
        shared_config_message: Some(proto::SharedConfigMessage {
            kind: Some(1),
            seqno: Some(-1),
            data: Some(vec![1, 2, 3]),
        }),
        expiration_type: Some(2),
        expiration_timer: Some(86_400),
        sig_timestamp: Some(TS),
        pro_message: Some(proto::ProMessage {
            proof: Some(proto::ProProof {
                revocation_tag: Some(vec![1; 32]),
                rotating_public_key: Some(vec![2; 32]),
                expiry_unix_ts: Some(1_800_000_000),
                sig: Some(vec![3; 64]),
            }),
            profile_bitset: Some(1),
            msg_bitset: Some(2),
        }),
        pro_sig_for_community_message_only: Some(vec![0x55; 64]),
    };
    (group, content)
}

/// `plaintext` sealed from [`sender`] to [`recipient`].
fn sealed(plaintext: &[u8]) -> Vec<u8> {
    direct::encrypt_for_recipient_deterministic(sender(), &recipient().session_id(), plaintext)
        .unwrap()
}

/// `inner` (`M || A || SIG`) sealed to [`recipient`] as it is.
fn reseal(inner: &[u8]) -> Vec<u8> {
    sealed_box::seal_with_ephemeral(
        &X25519Secret::from_bytes([0x42; 32]),
        recipient().x25519_public(),
        inner,
    )
    .unwrap()
}

fn direct_seeds() {
    let corpus = Corpus::new("direct_decrypt");
    let visible = padding::pad(&message("visible-text").encode());
    let valid = sealed(&visible);
    corpus.add_variants("valid-visible-text", &valid, valid.len() - 10, 40);
    corpus.add(
        "valid-visible-full",
        &sealed(&padding::pad(&message("visible-full").encode())),
    );
    corpus.add(
        "valid-typing",
        &sealed(&padding::pad(&message("typing-started").encode())),
    );
    corpus.add(
        "valid-legacy-padding",
        &sealed(&padding::pad_legacy(&message("visible-text").encode())),
    );
    corpus.add("valid-unpadded", &sealed(&message("visible-text").encode()));
    corpus.add("valid-empty-plaintext", &sealed(b""));
    corpus.add("valid-bad-padding", &sealed(b"hi\x80\0\x01"));
    corpus.add("valid-padded-garbage", &sealed(&padding::pad(b"\xff\xff")));
    corpus.add("trailing-junk-1", &concat(&[&valid, &[0xa5]]));
    corpus.add("trailing-junk-160", &concat(&[&valid, &[0xa5; 160]]));
    corpus.add("truncated-143", &valid[..143]);
    corpus.add("empty", b"");
    corpus.add(
        "sealed-to-another",
        &direct::encrypt_for_recipient_deterministic(sender(), &third().session_id(), &visible)
            .unwrap(),
    );
    corpus.add("small-order-ephemeral", &concat(&[&[0; 32], &valid[32..]]));

    // Signed for the third party, then re-sealed to us: the signature covers another key.
    let third = third();
    let for_third =
        direct::encrypt_for_recipient_deterministic(sender(), &third.session_id(), &visible)
            .unwrap();
    let inner = sealed_box::open(third.x25519_secret(), &for_third).unwrap();
    corpus.add("invalid-signature", &reseal(&inner));
    // The identity point where the sender's key belongs.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let bad_key = concat(&[&visible, &identity, &[0; 64]]);
    corpus.add("invalid-sender-key", &reseal(&bad_key));
}

fn envelope_seeds() {
    let corpus = Corpus::new("envelope_unwrap");
    let decoy = ProSignature::decoy(&[1; 64]);
    let visible = sealed(&padding::pad(&message("visible-text").encode()));
    let current = envelope::wrap(&visible, TS, &decoy);
    let legacy = envelope::wrap_legacy(&visible, TS);
    corpus.add_variants("current-visible-text", &current, current.len() / 2, 120);
    corpus.add_variants("legacy-visible-text", &legacy, legacy.len() / 2, 120);
    corpus.add(
        "current-visible-text-base64",
        envelope::to_base64(&current).as_bytes(),
    );
    corpus.add(
        "legacy-visible-text-base64",
        envelope::to_base64(&legacy).as_bytes(),
    );
    let typing = sealed(&padding::pad(&message("typing-started").encode()));
    corpus.add("current-typing", &envelope::wrap(&typing, TS, &decoy));
    corpus.add(
        "current-timestamp-mismatch",
        &envelope::wrap(&visible, TS + 1, &decoy),
    );
    corpus.add("current-empty-content", &envelope::wrap(b"", TS, &decoy));
    corpus.add(
        "current-not-for-us",
        &envelope::wrap(&[0x77; 200], TS, &decoy),
    );
    // Real client output (see session-protocol's tests/envelopes.rs for the sources).
    corpus.add(
        "libsession-config-push",
        &hex::decode(LIBSESSION_CONFIG_PUSH).unwrap(),
    );
    corpus.add(
        "old-client-config",
        &hex::decode(OLD_CLIENT_WRAPPED).unwrap(),
    );

    let body = |envelope: proto::Envelope| envelope.encode_to_vec();
    let framed = |verb: Option<&str>, body: Option<Vec<u8>>| {
        proto::WebSocketMessage {
            r#type: Some(proto::web_socket_message::Type::Request.into()),
            request: Some(proto::WebSocketRequestMessage {
                verb: verb.map(Into::into),
                path: None,
                body,
                request_id: Some(0),
                headers: Vec::new(),
            }),
            response: None,
        }
        .encode_to_vec()
    };
    let good = || proto::Envelope {
        r#type: Some(proto::envelope::Type::SessionMessage.into()),
        timestamp: Some(TS),
        content: Some(visible.clone()),
        ..proto::Envelope::default()
    };
    corpus.add(
        "response-not-request",
        &proto::WebSocketMessage {
            r#type: Some(proto::web_socket_message::Type::Response.into()),
            request: None,
            response: Some(proto::WebSocketResponseMessage {
                request_id: Some(1),
                status: Some(200),
                message: Some("OK".into()),
                body: None,
                headers: Vec::new(),
            }),
        }
        .encode_to_vec(),
    );
    corpus.add("request-without-body", &framed(None, None));
    corpus.add("body-not-envelope", &framed(None, Some(vec![0xff, 0xff])));
    corpus.add("verb-only", &framed(Some("PUT"), Some(body(good()))));
    corpus.add(
        "envelope-wrong-type",
        &framed(
            None,
            Some(body(proto::Envelope {
                r#type: Some(1),
                ..good()
            })),
        ),
    );
    corpus.add(
        "envelope-no-timestamp",
        &framed(
            None,
            Some(body(proto::Envelope {
                timestamp: None,
                ..good()
            })),
        ),
    );
    corpus.add(
        "envelope-no-content",
        &framed(
            None,
            Some(body(proto::Envelope {
                content: None,
                ..good()
            })),
        ),
    );
    corpus.add(
        "source-05",
        &framed(
            None,
            Some(body(proto::Envelope {
                source: Some(sender().session_id().to_string()),
                server_timestamp: Some(TS + 10),
                source_device: Some(1),
                ..good()
            })),
        ),
    );
    corpus.add(
        "source-empty",
        &framed(
            None,
            Some(body(proto::Envelope {
                source: Some(String::new()),
                ..good()
            })),
        ),
    );
    corpus.add(
        "source-invalid",
        &framed(
            None,
            Some(body(proto::Envelope {
                source: Some("05abc".into()),
                ..good()
            })),
        ),
    );
    corpus.add(
        "pro-sig-63-bytes",
        &framed(
            None,
            Some(body(proto::Envelope {
                pro_sig: Some(vec![9; 63]),
                ..good()
            })),
        ),
    );
    corpus.add("not-protobuf", b"\xff\xff\xff\xff");
    corpus.add("empty", b"");
    let text = envelope::to_base64(&envelope::wrap_legacy(b"ab", TS));
    assert!(text.ends_with('='));
    corpus.add("base64-unpadded", text.trim_end_matches('=').as_bytes());
    corpus.add("base64-trailing-bits", b"QR==");
    corpus.add("base64-url-safe", b"-_-_");
}

/// libsession's push of an empty UserProfile config (session-protocol `tests/envelopes.rs`).
const LIBSESSION_CONFIG_PUSH: &str = concat!(
    "080112ab030a0012001aa20308062801429b0326ec9746282053eb119228e6c36012966e7d2642163169ba39",
    "98af44ca65f967768dd78ee80fffab6f809f6cef49c73a36c82a89622ff0de2ceee06b8c638e2c876fa9047f",
    "449dbe24b1fc89281a264fe90abdeffcdd44f797bd4572a6c5ae8d88bf372c3c717943ebd570222206fabf0e",
    "e9f3c6756f5d71a32616b1df53d12887961f5c129207a79622ccc1a4bba976886d9a6ddf0fe5d570e5075d01",
    "ecd627f656e95f27b4c40d5661b5664cedd3e568206effa1308b0ccd663ca61a6d39c0731891804a8cf5edcf",
    "8b98eaa5580c3d436e22156e38455e403869700956c3c1dd0b4470b663e75c98c5b859b53ccef6559215d804",
    "9f755be9c2d6b3f4a310f97c496fc392f65b6431dd87788ac61074fd8cd409702e1b839b3f774d38cf8b28f0",
    "226c4efa5220ac6ae060793e36e7ef278d42d042f15b21291f3bb29e3158f09d154b93f83fd8a319811a26cb",
    "5240d90cbb360fafec0b7eff4c676ae598540813d062dc9468365c73b4cfa2ffd02d48cdcd8f0c71324c6d0a",
    "60346a7a0e50af3be64684b37f9e6c831115bf112ddd18acde08eaec376f0872a3952000",
);

/// A config message wrapped by an older Android or iOS client (session-protocol
/// `tests/envelopes.rs`).
const OLD_CLIENT_WRAPPED: &str = concat!(
    "080112c2060a03505554120f2f6170692f76312f6d6573736167651a9f060806120028e1c5a0beaf31380142",
    "8f065228bb32b820169e0acb266f02efa007276be0668013a278fc9bfc111a40136f63de4206943c05096155",
    "fa480cd0a7f5d27d6297166f5ed5c2a323ecdf7a754308dd385cdce81e7ed3a0a305577838105a0798dd9254",
    "0f4b8eaa74f8c5720e0a394ce005444322354d6dfe1cb527520145f3794718e42730e15c97f7e45fb53f9f7d",
    "3918ee57e5c8462f80ae0d64792c261feb4b9ce06b18a10b3d8f7af8f791b1368bd4ae9bbe0036dc77f547c0",
    "01e26c9c986269281bc3e8ef38c42ad2a02a9be517fc85c0c8fa4732f79138910f85bba0f898f278d8c2ed3e",
    "7d00cc5b4f1eb32ffc9572ec98fac529bec7ad8560dc06fc986516c00232e9618c372c0f57c19283e0424ec9",
    "1864aad7277e22c085443cc0bfd39c0a83f0a1a8f856850ede7a751bd6206cb6683e462a033ad282e4947adb",
    "be4973e823676ae0a72aa5f0f607f306fe82b91da9b7fe79d4fb4e8a45cb9ad5f20c151a84073cc62d7ac794",
    "fdd2fe57bf49f1089f8644ad9f73d154d14c63d5ca7a07d1b6ab6b5846b2f4785fbf738de23c250a711f54c9",
    "41fd6f5aac4417125bb2d0321cd9f1b97a31f310d4ea8149732276b8df9869fbc5412c9b7772961fab800a35",
    "6155549ef54cefb9407d7f10b4323824aa8ea13facc79003b84dae3e5ef0db275b056f4fbdf54f5f22e62291",
    "af8427fc17c3c1b3985f6ee149729d8a5b794b7e374f408eb8f36a76a89680e3c6106a9d5a82f6f04f5d8b60",
    "3a97140b6469daac0ef32f84cc4ffc05f43c084591b10834b1d16d65ce1415dec77cb5851c338ccbb0d5ae2d",
    "2c1e5bc8ba0f59dfbc4575fd446c8486a1ac5370d5da8eb041f2ed560abc1a6ad6ce6e00369ec5fd5eb0a354",
    "11ed24b36ecbf80f1dc6c18452c4b4bfc59131e04400df8986cac95c51bbd320ba901ff6110dad0c70442286",
    "cf6220a53c6f9693636a42d5523eeb1e5fb3453169581384fb8a8f3914fb6c01900a4f872f55742b117ddd7b",
    "d40c4c5911bb214e28eb9450dbdd0d831a93054c63f9a04bf50cdb9aac0032c484062d7ba7bbe64e07bcd633",
    "eec8378d5d914732693c5e298f015ebde2ae45769ed319e267f0528f5cc6da268343b6647b20bae6e9ee8d92",
    "cca702",
);

/// A blinded message to [`recipient`]'s `15` ID made by hand: `scalar` times our blinded
/// key is the shared point, `claimed` the sender's blinded key in the hash, and `inner`
/// (`M || A`) the plaintext, so that the sender key inside can be anything.
fn blind15_by_hand(scalar: Scalar, claimed: &[u8; 32], inner: &[u8]) -> Vec<u8> {
    let own = blind15::id(recipient(), &SERVER_PUBKEY);
    let point = CompressedEdwardsY(*own.key_bytes()).decompress().unwrap();
    let shared = (point * scalar).compress().to_bytes();
    let key = SymmetricKey::from_bytes(blake2b::hash::<32>(&[&shared, claimed, own.key_bytes()]));
    let nonce = [0x0b; 24];
    let sealed = aead::xchacha20poly1305_encrypt(&key, &nonce, &[], inner).unwrap();
    concat(&[&[blinded::VERSION], &sealed, &nonce])
}

fn blinded_seeds() {
    let corpus = Corpus::new("blinded_decrypt");
    let (me, from) = (recipient(), sender());
    let plaintext = padding::pad(&message("visible-text").encode());
    let nonce = [9u8; 24];
    let encrypt = |by: &Keypair, to: &SessionId| {
        blinded::encrypt_for_blinded_recipient_with_nonce(
            by,
            &SERVER_PUBKEY,
            to,
            &plaintext,
            &nonce,
        )
        .unwrap()
    };
    let seed = |flags: u8, other: &SessionId, ciphertext: &[u8]| {
        concat(&[&[flags], other.key_bytes(), ciphertext])
    };
    let (from15, from25) = (
        blind15::id(from, &SERVER_PUBKEY),
        blind25::id(from, &SERVER_PUBKEY),
    );
    let (own15, own25) = (
        blind15::id(me, &SERVER_PUBKEY),
        blind25::id(me, &SERVER_PUBKEY),
    );

    let incoming15 = encrypt(from, &own15);
    let valid = seed(0, &from15, &incoming15);
    corpus.add_variants("valid-15-incoming", &valid, 33 + 72, 33 + 20);
    corpus.add(
        "valid-25-incoming",
        &seed(1, &from25, &encrypt(from, &own25)),
    );
    corpus.add(
        "valid-15-outgoing",
        &seed(2, &from15, &encrypt(me, &from15)),
    );
    corpus.add(
        "valid-25-outgoing",
        &seed(3, &from25, &encrypt(me, &from25)),
    );
    corpus.add("mismatched-prefixes", &seed(4, &from15, &incoming15));
    corpus.add("not-a-party", &seed(8, &from15, &incoming15));
    corpus.add("unblinded-other", &seed(16, &from15, &incoming15));
    let mut version = incoming15.clone();
    version[0] = 1;
    corpus.add("unsupported-version", &seed(0, &from15, &version));
    let mut identity = [0u8; 32];
    identity[0] = 1;
    corpus.add(
        "invalid-blinded-key",
        &concat(&[&[0], &identity, &incoming15]),
    );
    corpus.add("empty", b"");

    // By hand: the sender's scalar, with its own or the negated blinded key, and with
    // other keys inside.
    let a = Scalar::from_bytes_mod_order(*from.x25519_secret().expose_secret());
    let mut negated = *from15.key_bytes();
    negated[31] ^= 0x80;
    let with_key = |key: &[u8; 32]| concat(&[&plaintext, key]);
    corpus.add(
        "valid-15-negated-sender",
        &concat(&[
            &[0],
            &negated,
            &blind15_by_hand(-a, &negated, &with_key(from.ed25519_public())),
        ]),
    );
    corpus.add(
        "sender-mismatch",
        &concat(&[
            &[0],
            from15.key_bytes(),
            &blind15_by_hand(a, from15.key_bytes(), &with_key(third().ed25519_public())),
        ]),
    );
    corpus.add(
        "invalid-sender-key",
        &concat(&[
            &[0],
            from15.key_bytes(),
            &blind15_by_hand(a, from15.key_bytes(), &with_key(&identity)),
        ]),
    );
}

fn multi_seeds() {
    let corpus = Corpus::new("multi_decrypt");
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let (me, from) = (*recipient().x25519_public(), sender().x25519_secret());
    let (third, fourth) = (*third().x25519_public(), *fourth().x25519_public());
    let nonce = [7u8; 24];
    let mut encrypt = |messages: &[&[u8]], recipients: &[[u8; 32]], domain: &str, pad: usize| {
        multi_encrypt::encrypt_for_multiple_simple(
            &mut rng,
            messages,
            recipients,
            from,
            domain,
            Some(&nonce),
            pad,
        )
        .unwrap()
    };
    let valid = encrypt(&[b"group key 0001"], &[me], MULTI_DOMAIN, 0);
    corpus.add_variants(
        "valid-one-recipient",
        &valid,
        valid.len() - 1,
        valid.len() - 5,
    );
    corpus.add(
        "valid-middle-of-three",
        &encrypt(&[b"group key 0002"], &[third, me, fourth], MULTI_DOMAIN, 0),
    );
    corpus.add(
        "valid-one-message-each",
        &encrypt(
            &[b"for third", b"for me", b"for fourth"],
            &[third, me, fourth],
            MULTI_DOMAIN,
            0,
        ),
    );
    corpus.add(
        "valid-padded-to-5",
        &encrypt(&[b"group key 0003"], &[third, me], MULTI_DOMAIN, 5),
    );
    corpus.add(
        "valid-empty-message",
        &encrypt(&[b""], &[me], MULTI_DOMAIN, 0),
    );
    corpus.add(
        "valid-from-ed25519-keypair",
        &multi_encrypt::encrypt_for_multiple_simple_ed25519(
            &mut rng,
            &[b"group key 0004"],
            &[me],
            sender(),
            MULTI_DOMAIN,
            Some(&nonce),
            0,
        )
        .unwrap(),
    );
    corpus.add(
        "not-a-recipient",
        &multi_encrypt::encrypt_for_multiple_simple(
            &mut rng,
            &[b"group key"],
            &[third, fourth],
            from,
            MULTI_DOMAIN,
            Some(&nonce),
            0,
        )
        .unwrap(),
    );
    corpus.add(
        "wrong-domain",
        &multi_encrypt::encrypt_for_multiple_simple(
            &mut rng,
            &[b"group key"],
            &[me],
            from,
            "SessionGroupKeyGen",
            Some(&nonce),
            0,
        )
        .unwrap(),
    );

    let copy = multi_encrypt::encrypt_for_multiple(&[b"key"], &[me], &nonce, from, MULTI_DOMAIN)
        .unwrap()
        .remove(0);
    let container = |nonce: &[u8], entries: &dyn Fn(&mut session_bt::ListWriter<'_>)| {
        let mut out = Vec::new();
        session_bt::write_dict(&mut out, |dict| {
            dict.bytes(b"#", nonce);
            dict.list(b"e", |list| entries(list));
        })
        .unwrap();
        out
    };
    corpus.add(
        "non-string-before-copy",
        &container(&nonce, &|list| {
            list.int(1);
            list.bytes(&copy);
        }),
    );
    corpus.add(
        "non-string-after-copy",
        &container(&nonce, &|list| {
            list.bytes(&copy);
            list.int(1);
        }),
    );
    corpus.add(
        "nonce-23-bytes",
        &container(&nonce[..23], &|list| list.bytes(&copy)),
    );
    corpus.add("no-copies", &container(&nonce, &|_| {}));
    let mut unsorted = b"d1:el".to_vec();
    session_bt::write_bytes(&mut unsorted, &copy);
    unsorted.extend_from_slice(b"e1:#24:");
    unsorted.extend_from_slice(&nonce);
    unsorted.push(b'e');
    corpus.add("unsorted-keys", &unsorted);
    corpus.add("no-nonce", b"d1:ele");
    corpus.add(
        "copies-not-a-list",
        b"d1:#24:aaaaaaaaaaaaaaaaaaaaaaaa1:e0:e",
    );
    corpus.add("not-a-dict", b"le");
    corpus.add("empty", b"");
}

/// Attachment seed: `flags || size || blob`.
fn attachment_input(flags: u8, size: u32, blob: &[u8]) -> Vec<u8> {
    concat(&[&[flags], &size.to_le_bytes(), blob])
}

/// `iv || ciphertext` with a correct MAC under [`ATTACHMENT_KEY`] (only a key holder can
/// make one whose ciphertext is malformed).
fn remac(iv_and_ciphertext: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&ATTACHMENT_KEY[32..]).unwrap();
    mac.update(iv_and_ciphertext);
    concat(&[iv_and_ciphertext, &mac.finalize().into_bytes()])
}

fn attachment_seeds() {
    let corpus = Corpus::new("attachment_decrypt");
    let key = || AttachmentKey::from_bytes(ATTACHMENT_KEY);
    let iv = [0x11u8; 16];
    let desktop = attachment::encrypt_with(key(), &iv, b"holiday photo", Padding::Desktop);
    let valid = attachment_input(0, 13, &desktop.data);
    corpus.add_variants("valid-desktop-padding", &valid, valid.len() - 1, 5 + 20);
    let plain = attachment::encrypt_with(key(), &iv, b"link preview image", Padding::None);
    corpus.add("valid-no-padding", &attachment_input(0, 18, &plain.data));
    let aligned = attachment::encrypt_with(key(), &iv, &[0x5a; 32], Padding::None);
    corpus.add(
        "valid-block-aligned",
        &attachment_input(0, 32, &aligned.data),
    );
    let empty = attachment::encrypt_with(key(), &iv, b"", Padding::None);
    corpus.add("valid-empty", &attachment_input(0, 0, &empty.data));
    corpus.add("valid-size-zero", &attachment_input(0, 0, &desktop.data));
    corpus.add("valid-size-541", &attachment_input(0, 541, &desktop.data));
    corpus.add(
        "valid-size-too-large",
        &attachment_input(0, 542, &desktop.data),
    );
    corpus.add(
        "valid-size-max",
        &attachment_input(0, u32::MAX, &desktop.data),
    );
    corpus.add("missing-digest", &attachment_input(1, 13, &desktop.data));
    corpus.add("wrong-digest", &attachment_input(2, 13, &desktop.data));
    corpus.add("short-digest", &attachment_input(3, 13, &desktop.data));
    corpus.add("too-short-47", &attachment_input(0, 0, &desktop.data[..47]));
    corpus.add("empty", b"");

    let body = &desktop.data[..desktop.data.len() - 32];
    corpus.add(
        "ciphertext-not-whole-blocks",
        &attachment_input(0, 13, &remac(&body[..body.len() - 1])),
    );
    corpus.add(
        "invalid-pkcs7",
        &attachment_input(0, 13, &remac(&body[..body.len() - 16])),
    );
    corpus.add("no-ciphertext", &attachment_input(0, 0, &remac(&iv)));
}

fn deterministic_seeds() {
    let corpus = Corpus::new("attachment_deterministic_decrypt");
    let seed = Ed25519Seed::from_bytes(SENDER_SEED);
    let input = |sealed: &deterministic::DeterministicAttachment| {
        concat(&[sealed.key.expose_secret(), &sealed.data])
    };
    let hello = deterministic::encrypt(&seed, b"hello attachment", Domain::Attachment).unwrap();
    let valid = input(&hello);
    corpus.add_variants("valid-attachment", &valid, valid.len() - 1, 32 + 100);
    corpus.add(
        "valid-profile-picture",
        &input(&deterministic::encrypt(&seed, b"avatar", Domain::ProfilePicture).unwrap()),
    );
    corpus.add(
        "valid-empty",
        &input(&deterministic::encrypt(&seed, b"", Domain::Attachment).unwrap()),
    );
    // Two chunks: the padded stream is longer than 32 KiB.
    let two = deterministic::encrypt(&seed, &[0x61; 33_000], Domain::Attachment).unwrap();
    let two_chunks = input(&two);
    corpus.add("valid-two-chunks", &two_chunks);
    let first_chunk = 32 + 25 + deterministic::ENCRYPTED_CHUNK;
    corpus.add("first-of-two-chunks", &two_chunks[..first_chunk]);
    // The shortest blob that gets past the length check, with another format byte.
    let mut format = valid[..32 + 43].to_vec();
    format[32] = b'T';
    corpus.add("unknown-format", &format);
    corpus.add("too-short", &valid[..32 + 25]);
    corpus.add("empty", b"");
}

fn avatar_seeds() {
    let corpus = Corpus::new("avatar_decrypt");
    let key = SymmetricKey::from_bytes(AVATAR_KEY);
    let valid = avatar::encrypt_with_iv(&key, &[3; 12], b"\x89PNG\r\n\x1a\nimage").unwrap();
    corpus.add_variants("valid-png", &valid, valid.len() - 1, 14);
    corpus.add(
        "valid-one-byte",
        &avatar::encrypt_with_iv(&key, &[4; 12], b"x").unwrap(),
    );
    let other = SymmetricKey::from_bytes([0x99; 32]);
    corpus.add(
        "other-key",
        &avatar::encrypt_with_iv(&other, &[3; 12], b"image").unwrap(),
    );
    corpus.add("iv-and-tag-only", &valid[..28]);
    corpus.add("empty", b"");
}

/// An ONS seed: `name length || name || nonce length || nonce || ciphertext`, with the
/// current (nonce) encryption of `value` under `name`'s key.
fn ons_record(name: &str, key_name: &str, value: &[u8]) -> Vec<u8> {
    let nonce = [4u8; 24];
    let name_hash = blake2b::hash::<32>(&[key_name.as_bytes()]);
    let key = SymmetricKey::from_bytes(blake2b::hash_keyed::<32, 32>(
        &name_hash,
        &[key_name.as_bytes()],
    ));
    let ciphertext = aead::xchacha20poly1305_encrypt(&key, &nonce, &[], value).unwrap();
    concat(&[
        &[u8::try_from(name.len()).unwrap()],
        name.as_bytes(),
        &[24],
        &nonce,
        &ciphertext,
    ])
}

fn ons_seeds() {
    let corpus = Corpus::new("ons_decrypt");
    let id = sender().session_id().to_bytes();
    let valid = ons_record("session", "session", &id);
    corpus.add_variants("valid-session", &valid, valid.len() - 1, valid.len() - 3);
    corpus.add(
        "valid-long-name",
        &ons_record(
            "a-very-long-ons-name-0123",
            "a-very-long-ons-name-0123",
            &id,
        ),
    );
    corpus.add("other-name", &ons_record("session", "sessions", &id));
    corpus.add(
        "value-32-bytes",
        &ons_record("session", "session", &id[1..]),
    );
    let mut unknown = id;
    unknown[0] = 0x99;
    corpus.add(
        "value-unknown-prefix",
        &ons_record("session", "session", &unknown),
    );
    let mut nonce_23 = valid.clone();
    nonce_23[8] = 23;
    corpus.add("nonce-23-bytes", &nonce_23);
    corpus.add(
        "legacy-truncated",
        &concat(&[b"\x07session", &[ONS_NO_NONCE], &[0xee; 15]]),
    );
    corpus.add(
        "legacy-skipped",
        &concat(&[b"\x07session", &[ONS_NO_NONCE], &[0xee; 49]]),
    );
    corpus.add("ciphertext-15-bytes", &valid[..1 + 7 + 1 + 24 + 15]);
    corpus.add("empty", b"");
}

fn push_seeds() {
    let corpus = Corpus::new("push_decrypt");
    let key = SymmetricKey::from_bytes(PUSH_KEY);
    let nonce = [5u8; 24];
    let payload = |plaintext: &[u8], key: &SymmetricKey| {
        concat(&[
            &nonce,
            &aead::xchacha20poly1305_encrypt(key, &nonce, &[], plaintext).unwrap(),
        ])
    };
    let notification = b"d1:#24:aaaaaaaaaaaaaaaaaaaaaaaa1:@66:05aa1:n1:01:si1ee";
    let mut padded = notification.to_vec();
    padded.resize(256, 0);
    let valid = payload(&padded, &key);
    corpus.add_variants("valid-padded", &valid, valid.len() - 1, 30);
    corpus.add("valid-unpadded", &payload(notification, &key));
    corpus.add("valid-all-zero", &payload(&[0; 32], &key));
    corpus.add("valid-empty", &payload(b"", &key));
    corpus.add(
        "other-key",
        &payload(notification, &SymmetricKey::from_bytes([0x99; 32])),
    );
    corpus.add("truncated-39", &valid[..39]);
    corpus.add("empty", b"");
}

/// An onion hop: its Ed25519 name and X25519 secret.
struct OnionHop {
    hop: Hop,
    secret: X25519Secret,
}

impl OnionHop {
    fn new(ed25519: u8, secret: X25519Secret) -> Self {
        Self {
            hop: Hop::new([ed25519; 32], secret.public_key()),
            secret,
        }
    }
}

/// The node [`onion_peel`](super::onion_peel) peels as.
fn fixed_node() -> OnionHop {
    OnionHop::new(0xf1, X25519Secret::from_bytes(ONION_NODE_SECRET))
}

/// Another node, whose key the seeds hold but the targets do not.
fn other_node() -> OnionHop {
    OnionHop::new(0xf2, X25519Secret::from_bytes([0x22; 32]))
}

/// A destination node neither target holds.
fn far_node() -> OnionHop {
    OnionHop::new(0xf3, X25519Secret::from_bytes([0x33; 32]))
}

/// The server [`onion_server_response`](super::onion_server_response) opens requests as.
fn fixed_server(url: &str) -> ServerDestination {
    ServerDestination::from_url(
        url,
        X25519Secret::from_bytes(ONION_SERVER_SECRET).public_key(),
    )
    .unwrap()
}

const RPC: &[u8] = br#"{"method":"info","params":{}}"#;

/// `plaintext` as one onion layer to `to`, from the ephemeral secret `[ephemeral; 32]`,
/// with the clear JSON `outer(hex key, base64 key)`.
fn onion_layer(
    rng: &mut ChaCha20Rng,
    to: &X25519Secret,
    enc: EncType,
    ephemeral: u8,
    plaintext: &[u8],
    outer: impl Fn(&str, &str) -> String,
) -> Vec<u8> {
    let secret = X25519Secret::from_bytes([ephemeral; 32]);
    let key = ChannelKey::for_client(enc, &secret, &to.public_key()).unwrap();
    let sealed = key.encrypt(rng, plaintext).unwrap();
    let public = secret.public_key();
    let json = outer(&hex::encode(public), &STANDARD.encode(public));
    Frame::encode(&sealed, json.as_bytes()).unwrap()
}

/// The routing JSON the builder writes in the clear.
fn outer_json(enc: EncType) -> impl Fn(&str, &str) -> String {
    move |key, _| format!(r#"{{"enc_type":"{enc}","ephemeral_key":"{key}"}}"#)
}

/// The onion `from` relays on to the next node.
fn relayed(from: &OnionHop, body: &[u8]) -> Vec<u8> {
    node::peel(&from.secret, body)
        .unwrap()
        .next()
        .unwrap()
        .relay_body()
        .unwrap()
}

/// The v4 requests of pysogs' handler docstring, encoded.
fn pysogs_encoded(kind: &str) -> Vec<Vec<u8>> {
    let file = VectorFile::load("sogs/onion_v4_pysogs.json");
    file.cases_of_kind(kind)
        .map(|case| str_field(case, "encoded").as_bytes().to_vec())
        .collect()
}

fn onion_peel_seeds() {
    let corpus = Corpus::new("onion_peel");
    let mut rng = ChaCha20Rng::seed_from_u64(0x0410);
    let (fixed, other, far) = (fixed_node(), other_node(), far_node());

    // Built onions whose guard is the fixed node: it relays, or proxies to a server.
    let relay = Builder::new(&[fixed.hop.clone(), other.hop.clone()])
        .enc_type(EncType::XChaCha20)
        .to_node(&far.hop, RPC, &mut rng)
        .unwrap();
    let relay = relay.body();
    corpus.add_variants("xchacha20-relay", relay, relay.len() - 1, 40);
    let to_destination = Builder::new(std::slice::from_ref(&fixed.hop))
        .enc_type(EncType::AesGcm)
        .to_node(&far.hop, RPC, &mut rng)
        .unwrap();
    corpus.add("aes-gcm-relay-to-destination", to_destination.body());
    let request = ServerRequest::new("POST", "/room/fuzz/message")
        .with_header("X-SOGS-Nonce", "bm9uY2U=")
        .with_body(&br#"{"data":"aGk="}"#[..]);
    let to_server = Builder::new(std::slice::from_ref(&fixed.hop))
        .to_server(&fixed_server("https://open.example"), &request, &mut rng)
        .unwrap();
    corpus.add("xchacha20-server", to_server.body());
    corpus.add(
        "aes-gcm-server-http-port",
        Builder::new(std::slice::from_ref(&fixed.hop))
            .enc_type(EncType::AesGcm)
            .to_server(
                &fixed_server("http://127.0.0.1:8080"),
                &ServerRequest::new("GET", "/capabilities"),
                &mut rng,
            )
            .unwrap()
            .body(),
    );
    // The fixed node as the destination: what the hop before it relays.
    let mut delivered = |name: &str, enc: EncType| {
        let onion = Builder::new(std::slice::from_ref(&other.hop))
            .enc_type(enc)
            .to_node(&fixed.hop, RPC, &mut rng)
            .unwrap();
        let body = relayed(&other, onion.body());
        corpus.add(name, &body);
        body
    };
    let deliver = delivered("xchacha20-deliver", EncType::XChaCha20);
    delivered("aes-gcm-deliver", EncType::AesGcm);

    // The layers' plaintexts, for the inner-request parser.
    for (name, onion) in [
        ("plaintext-relay", relay),
        ("plaintext-server", to_server.body()),
        ("plaintext-deliver", &deliver),
    ] {
        corpus.add(name, node::peel(&fixed.secret, onion).unwrap().plaintext());
    }

    // Layers made by hand: the other forms of the JSON a node accepts, and layers that
    // decrypt but ask for nothing valid.
    let mut layer =
        |name: &str, enc: EncType, inner: &[u8], outer: &dyn Fn(&str, &str) -> String| {
            let onion = onion_layer(&mut rng, &fixed.secret, enc, 0x40, inner, outer);
            corpus.add(name, &onion);
        };
    let next_key = STANDARD.encode(X25519Secret::from_bytes([0x41; 32]).public_key());
    layer(
        "deliver-raw-json-control-no-enc-type-base64-key",
        EncType::AesGcm,
        &Frame::encode(RPC, br#"{"base64":false,"headers":{},"json":true}"#).unwrap(),
        &|_, key| format!(r#"{{"ephemeral_key":"{key}"}}"#),
    );
    layer(
        "relay-base64-key-aliases",
        EncType::XChaCha20,
        &Frame::encode(
            &[0x77; 64],
            format!(
                r#"{{"destination":"{}","enc_type":"gcm","ephemeral_key":"{next_key}"}}"#,
                "AB".repeat(32)
            )
            .as_bytes(),
        )
        .unwrap(),
        &|key, _| format!(r#"{{"enc_type":"xchacha20-poly1305","ephemeral_key":"{key}"}}"#),
    );
    layer(
        "server-http-default-port",
        EncType::XChaCha20,
        &Frame::encode(
            &[0x78; 48],
            br#"{"host":"127.0.0.1","protocol":"http","target":"/oxen/v4/lsrpc?x=1"}"#,
        )
        .unwrap(),
        &outer_json(EncType::XChaCha20),
    );
    layer(
        "layer-not-framed-json",
        EncType::XChaCha20,
        b"Invalid json",
        &outer_json(EncType::XChaCha20),
    );
    layer(
        "layer-port-out-of-range",
        EncType::AesGcm,
        &Frame::encode(
            b"",
            br#"{"host":"h","port":70000,"protocol":"https","target":"/oxen/v4/lsrpc"}"#,
        )
        .unwrap(),
        &outer_json(EncType::AesGcm),
    );
    layer(
        "layer-relay-unknown-enc-type",
        EncType::XChaCha20,
        &Frame::encode(
            b"",
            format!(
                r#"{{"destination":"{}","enc_type":"aes-cbc","ephemeral_key":"{}"}}"#,
                "ab".repeat(32),
                "cd".repeat(32)
            )
            .as_bytes(),
        )
        .unwrap(),
        &outer_json(EncType::XChaCha20),
    );
    layer(
        "unknown-outer-enc-type",
        EncType::XChaCha20,
        b"",
        &|key, _| format!(r#"{{"enc_type":"aes-cbc","ephemeral_key":"{key}"}}"#),
    );
    let zero_key = format!(r#"{{"ephemeral_key":"{}"}}"#, "00".repeat(32));
    corpus.add(
        "small-order-ephemeral-key",
        &Frame::encode(&[0x55; 60], zero_key.as_bytes()).unwrap(),
    );
    corpus.add("length-beyond-input", b"\x05\0\0\0ab{}");
    corpus.add("json-not-an-object", b"\x02\0\0\0ab[]");
    corpus.add("empty", b"");
}

/// A node's answer: `plaintext` sealed under `key`, in base64.
fn node_answer(rng: &mut ChaCha20Rng, key: &ChannelKey, plaintext: &[u8]) -> String {
    STANDARD.encode(key.encrypt(rng, plaintext).unwrap())
}

fn onion_node_response_seeds() {
    let corpus = Corpus::new("onion_node_response");
    let mut rng = ChaCha20Rng::seed_from_u64(0x0411);
    let xchacha = ChannelKey::from_bytes(EncType::XChaCha20, ONION_RESPONSE_KEY);
    let gcm = ChannelKey::from_bytes(EncType::AesGcm, ONION_RESPONSE_KEY);
    let fallback = ChannelKey::from_bytes(EncType::AesGcm, ONION_FALLBACK_KEY);
    let reply = |status, body: &str| node::node_reply_plaintext(status, body, false);

    let ok = node_answer(&mut rng, &xchacha, &reply(200, r#"{"version":[2,8,0]}"#));
    corpus.add_variants("xchacha20-200", ok.as_bytes(), ok.len() - 4, 10);
    corpus.add(
        "xchacha20-200-result-wrapped",
        format!(r#"{{"result":"{ok}"}}"#).as_bytes(),
    );
    corpus.add(
        "aes-gcm-200",
        node_answer(&mut rng, &gcm, &reply(200, "{}")).as_bytes(),
    );
    corpus.add(
        "aes-gcm-fallback-200",
        node_answer(&mut rng, &fallback, &reply(200, "{}")).as_bytes(),
    );
    let swarm = r#"{"snodes":[],"swarm":"1f","t":1700000000000,"hf":[19,3]}"#;
    corpus.add(
        "xchacha20-421-swarm",
        node_answer(&mut rng, &xchacha, &reply(421, swarm)).as_bytes(),
    );
    corpus.add(
        "aes-gcm-406-clock",
        node_answer(
            &mut rng,
            &gcm,
            &reply(406, "Timestamp error: check your clock"),
        )
        .as_bytes(),
    );
    let all_failed = r#"{"results":[{"code":401,"body":"no"},{"code":401,"body":"no"}]}"#;
    corpus.add(
        "xchacha20-batch-all-401",
        node_answer(&mut rng, &xchacha, &reply(200, all_failed)).as_bytes(),
    );
    let mixed = r#"{"results":[{"code":200,"body":{}},{"code":401,"body":"no"}]}"#;
    corpus.add(
        "xchacha20-batch-mixed",
        node_answer(
            &mut rng,
            &xchacha,
            &node::node_reply_plaintext(200, mixed, true),
        )
        .as_bytes(),
    );
    corpus.add(
        "xchacha20-status-code-headers",
        node_answer(
            &mut rng,
            &xchacha,
            br#"{"body":{"hash":"abc"},"headers":{"content-type":"application/json","x-n":5},"status_code":201}"#,
        )
        .as_bytes(),
    );
    corpus.add(
        "xchacha20-no-body-field",
        node_answer(&mut rng, &xchacha, br#"{"status":200,"t":1700000000000}"#).as_bytes(),
    );
    let unpadded = node_answer(&mut rng, &xchacha, &reply(200, "ok"));
    corpus.add(
        "xchacha20-unpadded-newline",
        format!("{}\n", unpadded.trim_end_matches('=')).as_bytes(),
    );
    corpus.add(
        "xchacha20-not-json",
        node_answer(&mut rng, &xchacha, b"hello").as_bytes(),
    );
    corpus.add(
        "xchacha20-status-out-of-range",
        node_answer(&mut rng, &xchacha, br#"{"body":"","status":70000}"#).as_bytes(),
    );
    corpus.add("result-not-a-string", br#"{"result":5}"#);
    corpus.add("not-base64", b"!!!!");

    // A hop's plain-text errors.
    let hex_key = hex::encode(far_node().hop.ed25519());
    corpus.add(
        "next-node-not-found",
        format!("{NOT_FOUND}{hex_key}").as_bytes(),
    );
    corpus.add(
        "bad-gateway-next-node-not-found",
        format!("502 Bad Gateway\n\n{NOT_FOUND}{}", hex_key.to_uppercase()).as_bytes(),
    );
    corpus.add(
        "next-node-not-found-short",
        format!("{NOT_FOUND}abcd").as_bytes(),
    );
    corpus.add("request-time-out", b"Request time out");
    corpus.add("gateway-timeout", b"504 Gateway Timeout");
    corpus.add("invalid-ciphertext", b"Invalid ciphertext");
    corpus.add("empty", b"");
}

fn onion_server_response_seeds() {
    let corpus = Corpus::new("onion_server_response");
    let mut rng = ChaCha20Rng::seed_from_u64(0x0412);
    let xchacha = ChannelKey::from_bytes(EncType::XChaCha20, ONION_RESPONSE_KEY);
    let gcm = ChannelKey::from_bytes(EncType::AesGcm, ONION_RESPONSE_KEY);
    let fallback = ChannelKey::from_bytes(EncType::AesGcm, ONION_FALLBACK_KEY);

    // Answers.
    let pysogs = &pysogs_encoded("response")[0];
    let valid = xchacha.encrypt(&mut rng, pysogs).unwrap();
    corpus.add_variants("xchacha20-pysogs-200", &valid, valid.len() - 1, 30);
    let created = ServerResponse {
        status: 201,
        headers: [("content-type".to_owned(), "application/json".to_owned())].into(),
        body: br#"{"id":1}"#.to_vec(),
    };
    corpus.add(
        "xchacha20-201-headers",
        &xchacha.encrypt(&mut rng, &created.encode()).unwrap(),
    );
    corpus.add(
        "aes-gcm-fallback-200",
        &fallback
            .encrypt(
                &mut rng,
                &ServerResponse {
                    status: 200,
                    ..created.clone()
                }
                .encode(),
            )
            .unwrap(),
    );
    let clock = ServerResponse {
        status: 425,
        ..ServerResponse::default()
    };
    corpus.add(
        "aes-gcm-425-clock",
        &gcm.encrypt(&mut rng, &clock.encode()).unwrap(),
    );
    corpus.add(
        "xchacha20-no-body",
        &xchacha
            .encrypt(&mut rng, &v4::encode_parts(br#"{"code":200}"#, None))
            .unwrap(),
    );
    corpus.add(
        "xchacha20-not-v4",
        &xchacha.encrypt(&mut rng, b"hello").unwrap(),
    );

    // Requests, as the last hop posts them to the fixed server.
    let other = other_node();
    let requests = [
        (
            "request-xchacha20-get",
            EncType::XChaCha20,
            ServerRequest::new("GET", "/capabilities"),
        ),
        (
            "request-aes-gcm-post-user-agent",
            EncType::AesGcm,
            ServerRequest::new("POST", "/room/fuzz/message")
                .with_header("User-Agent", "WhatsApp")
                .with_header("X-SOGS-Pubkey", "00aa")
                .with_body(&br#"{"data":"aGk="}"#[..]),
        ),
    ];
    for (name, enc, request) in requests {
        let onion = Builder::new(std::slice::from_ref(&other.hop))
            .enc_type(enc)
            .to_server(&fixed_server("https://open.example"), &request, &mut rng)
            .unwrap();
        let Next::Server { payload, .. } = node::peel(&other.secret, onion.body())
            .unwrap()
            .next()
            .unwrap()
        else {
            panic!("the last hop should proxy to the server")
        };
        corpus.add(name, &payload);
    }
    let server = X25519Secret::from_bytes(ONION_SERVER_SECRET);
    for (i, encoded) in pysogs_encoded("request").iter().enumerate() {
        corpus.add(
            &format!("request-pysogs-{i}"),
            &onion_layer(
                &mut rng,
                &server,
                EncType::XChaCha20,
                0x50,
                encoded,
                outer_json(EncType::XChaCha20),
            ),
        );
    }
    corpus.add(
        "request-not-v4",
        &onion_layer(
            &mut rng,
            &server,
            EncType::AesGcm,
            0x51,
            b"not v4",
            outer_json(EncType::AesGcm),
        ),
    );
    corpus.add("empty", b"");
}

fn onion_v4_decode_seeds() {
    let corpus = Corpus::new("onion_v4_decode");
    for (i, encoded) in pysogs_encoded("request").iter().enumerate() {
        corpus.add(&format!("pysogs-request-{i}"), encoded);
    }
    corpus.add("pysogs-response", &pysogs_encoded("response")[0]);
    corpus.add(
        "request-get",
        &ServerRequest::new("GET", "/capabilities").encode(),
    );
    corpus.add(
        "request-post-user-agent",
        &ServerRequest::new("POST", "/room/fuzz/message")
            .with_header("User-Agent", "WhatsApp")
            .with_header("X-SOGS-Signature", "c2ln")
            .with_body(&br#"{"data":"aGk="}"#[..])
            .encode(),
    );
    corpus.add(
        "request-lower-case-user-agent-content-type",
        &v4::encode_parts(
            br#"{"endpoint":"/file","headers":{"content-type":"application/octet-stream","user-agent":"x"},"method":"POST"}"#,
            Some(&[0, 1, 2, 0xff]),
        ),
    );
    corpus.add(
        "response-201",
        &ServerResponse {
            status: 201,
            headers: [("content-type".to_owned(), "application/json".to_owned())].into(),
            body: br#"{"id":1}"#.to_vec(),
        }
        .encode(),
    );
    corpus.add("response-empty", &ServerResponse::default().encode());
    corpus.add(
        "headers-not-strings",
        &v4::encode_parts(
            br#"{"code":200,"endpoint":"/","headers":{"a":1,"b":null,"c":[true]},"method":"GET"}"#,
            None,
        ),
    );
    corpus.add(
        "headers-null",
        &v4::encode_parts(br#"{"code":204,"headers":null}"#, Some(b"")),
    );
    corpus.add(
        "headers-array",
        &v4::encode_parts(br#"{"code":200,"headers":[]}"#, None),
    );
    corpus.add(
        "code-out-of-range",
        &v4::encode_parts(br#"{"code":65536}"#, None),
    );
    corpus.add(
        "method-not-a-string",
        &v4::encode_parts(br#"{"endpoint":"/","method":1}"#, None),
    );
    corpus.add("meta-not-an-object", b"l2:[]e");
    corpus.add("meta-not-json", b"l3:abce");
    corpus.add("three-items", b"l2:{}1:a1:be");
    corpus.add("empty-list", b"le");
    corpus.add("nested-list", b"ll2:{}ee");
    corpus.add("integer-item", b"li1ee");
    corpus.add("non-canonical-length", b"l02:{}e");
    corpus.add("trailing-byte", b"l2:{}ex");
    corpus.add("dict", b"d1:a1:be");
    corpus.add("empty", b"");
}
