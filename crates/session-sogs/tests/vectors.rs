//! Known-answer vectors: room URLs (libsession), X-SOGS headers (pysogs' auth example) and
//! blind15 signatures (libsession).
#![allow(clippy::unwrap_used)]

use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_identity::blinding::{BlindedKeypair, Blinding};
use session_sogs::{AuthKey, AuthMode, RoomUrl, sign_request};
use session_testkit::{VectorFile, hex_field, str_field};

#[test]
fn community_urls() {
    let file = VectorFile::load("libsession/community_urls.json");
    let mut ran = 0;
    for case in file.cases_of_kind("parse_full_url") {
        let url = RoomUrl::parse(str_field(case, "url")).unwrap();
        assert_eq!(url.base_url(), str_field(case, "expected_base_url"));
        assert_eq!(url.room(), str_field(case, "expected_room"));
        assert_eq!(
            url.canonical_room(),
            str_field(case, "expected_canonical_room")
        );
        assert_eq!(
            url.server_pubkey().as_slice(),
            hex_field(case, "expected_pubkey_hex")
        );
        // The canonical form parses back to the same room.
        assert_eq!(RoomUrl::parse(&url.to_string()).unwrap(), url);
        ran += 1;
    }
    file.report("parse_full_url", ran);
}

fn seed(bytes: &[u8]) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(bytes[..32].try_into().unwrap()))
}

#[test]
fn auth_headers_pysogs_example() {
    let file = VectorFile::load("sogs/auth_headers_pysogs_example.json");
    let mut ran = 0;
    for case in file.cases() {
        let keypair = seed(&hex_field(case, "ed25519_seed"));
        let server: [u8; 32] = hex_field(case, "server_pubkey").try_into().unwrap();
        let nonce: [u8; 16] = hex_field(case, "nonce_hex").try_into().unwrap();
        // pysogs derives the blind15 nonce from the 32-byte seed: session-identity's
        // `Blinding::Blind15Pysogs` flavour.
        let key = if case["blinded"].as_bool().unwrap() {
            AuthKey::Blinded(BlindedKeypair::new(
                &keypair,
                &server,
                Blinding::Blind15Pysogs,
            ))
        } else {
            AuthKey::new(&keypair, &server, AuthMode::Unblinded)
        };
        let body = case["body"].as_str().unwrap_or("").as_bytes().to_vec();
        let headers = sign_request(
            &key,
            &server,
            &nonce,
            case["timestamp"].as_u64().unwrap(),
            str_field(case, "method"),
            str_field(case, "path"),
            &body,
        );
        let want = &case["expected_headers"];
        for (name, value) in headers.pairs() {
            assert_eq!(value, str_field(want, name), "{name}");
        }
        ran += 1;
    }
    file.report("auth headers", ran);
}

#[test]
fn blind15_libsession_signatures() {
    let file = VectorFile::load("sogs/blind15_libsession.json");
    let mut ran = 0;
    for case in file.cases_of_kind("blind15_sign") {
        let keypair = seed(&hex_field(case, "ed25519_secret_key"));
        let server: [u8; 32] = hex_field(case, "server_pubkey").try_into().unwrap();
        // The client's default blind15 key (libsession's nonce) signs request bytes.
        let key = AuthKey::new(&keypair, &server, AuthMode::Blind15);
        let message = str_field(case, "message_utf8").as_bytes();
        assert_eq!(key.sign(message).as_slice(), hex_field(case, "signature"));
        assert!(session_sogs::verify_post_signature(
            &key.session_id(),
            message,
            &key.sign(message)
        ));
        ran += 1;
    }
    file.report("blind15_sign", ran);

    let mut ids = 0;
    for case in file.cases_of_kind("blind15_id") {
        let session_id = str_field(case, "session_id");
        let server: [u8; 32] = hex_field(case, "server_pubkey").try_into().unwrap();
        let candidates = session_identity::blinding::blind15::ids_for_session_id(
            &session_id.parse().unwrap(),
            &server,
        )
        .unwrap();
        assert_eq!(candidates[0].to_string(), str_field(case, "blinded_id"));
        ids += 1;
    }
    file.report("blind15_id", ids);
}
