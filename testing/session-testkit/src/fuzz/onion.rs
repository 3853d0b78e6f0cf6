//! Onion requests: the node's layer parser, the inner-request parser, the client's response
//! decoders and the v4 (server) framing.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use serde_json::Value;
use session_crypto::X25519Secret;
use session_onion::frame::Frame;
use session_onion::node::{self, Control, IncomingOnion, Layer, Next};
use session_onion::response::{self, Failure, NodeResponse, ResponseKey};
use session_onion::{ChannelKey, EncType, Error, ServerRequest, ServerResponse, v4};

use super::{ONION_FALLBACK_KEY, ONION_NODE_SECRET, ONION_RESPONSE_KEY, ONION_SERVER_SECRET};

/// The body a peeled `Deliver` layer is answered with.
const REPLY_BODY: &str = "session-fuzz reply";

/// The marker of a hop's "next node not found" error.
pub(super) const NOT_FOUND: &str = "Next node not found: ";

/// The node [`onion_peel`] peels as: [`ONION_NODE_SECRET`].
pub fn onion_node() -> &'static X25519Secret {
    static SECRET: LazyLock<X25519Secret> =
        LazyLock::new(|| X25519Secret::from_bytes(ONION_NODE_SECRET));
    &SECRET
}

/// The server [`onion_server_response`] opens v4 requests as: [`ONION_SERVER_SECRET`].
pub fn onion_server() -> &'static X25519Secret {
    static SECRET: LazyLock<X25519Secret> =
        LazyLock::new(|| X25519Secret::from_bytes(ONION_SERVER_SECRET));
    &SECRET
}

/// The two response keys the response targets open with: an AES-GCM request's (the
/// AES-GCM [`ONION_RESPONSE_KEY`], no fallback), and an XChaCha20 request's (the XChaCha20
/// [`ONION_RESPONSE_KEY`], with the AES-GCM [`ONION_FALLBACK_KEY`] as its fallback).
pub fn onion_response_keys() -> &'static [ResponseKey; 2] {
    static KEYS: LazyLock<[ResponseKey; 2]> = LazyLock::new(|| {
        [
            ResponseKey::new(
                ChannelKey::from_bytes(EncType::AesGcm, ONION_RESPONSE_KEY),
                None,
            ),
            ResponseKey::new(
                ChannelKey::from_bytes(EncType::XChaCha20, ONION_RESPONSE_KEY),
                Some(ChannelKey::from_bytes(EncType::AesGcm, ONION_FALLBACK_KEY)),
            ),
        ]
    });
    &KEYS
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(0)
}

/// `node::peel` by [`onion_node`], and what the layer asks for; then `Next::from_plaintext`
/// and `IncomingOnion::parse` on the raw bytes.
///
/// An onion that parses has its ciphertext where the length prefix says, and its clear part
/// re-encodes (as `Next::relay_body` writes it) to an onion that parses the same. `peel`
/// fails exactly as `parse` does, or, on a parsed onion, only on the key agreement or the
/// MAC; a peeled layer is `overhead` bytes shorter than the ciphertext and its reply key has
/// the onion's enc type. A layer's `Next` follows its JSON: `"headers"` delivers here
/// (never fails) with the framed blob as the request, `"host"` goes to that server with the
/// whole plaintext as the payload, and a relay's body re-parses to the same ciphertext, key
/// and enc type. A delivered layer's reply opens, under the layer's key, to what was sent.
pub fn onion_peel(data: &[u8]) {
    let incoming = check_incoming(data);
    match node::peel(onion_node(), data) {
        Ok(layer) => {
            let onion = incoming.expect("a peeled onion parses");
            assert_eq!(
                layer.plaintext().len() + onion.enc_type.overhead(),
                onion.ciphertext.len()
            );
            assert_eq!(layer.reply_key().enc_type(), onion.enc_type);
            let next = layer.next();
            assert_eq!(next, Next::from_plaintext(layer.plaintext()));
            if let Some(Next::Deliver { control, .. }) = check_layer(layer.plaintext()) {
                check_reply(&layer, control);
            }
        }
        Err(e) => match incoming {
            Ok(_) => assert!(
                matches!(e, Error::DecryptionFailed | Error::InvalidPublicKey),
                "{e:?} for an onion that parses"
            ),
            Err(parse_error) => assert_eq!(e, parse_error, "peel and parse disagree"),
        },
    }
    let _ = check_layer(data);
}

/// `IncomingOnion::parse`, checked against the framing and re-encoded.
fn check_incoming(data: &[u8]) -> Result<IncomingOnion<'_>, Error> {
    let onion = IncomingOnion::parse(data)?;
    let frame = Frame::parse(data).expect("a parsed onion is framed");
    assert_eq!(onion.ciphertext, frame.blob);
    let relay = Next::Relay {
        destination: [0; 32],
        ephemeral_key: onion.ephemeral_key,
        enc_type: onion.enc_type,
        ciphertext: onion.ciphertext.to_vec(),
    };
    let body = relay.relay_body().expect("a relay has a body");
    assert_eq!(
        IncomingOnion::parse(&body),
        Ok(onion),
        "the re-encoded onion parses otherwise"
    );
    Ok(onion)
}

/// `Next::from_plaintext` on a layer's plaintext, checked against its frame and JSON.
fn check_layer(plaintext: &[u8]) -> Option<Next> {
    let result = Next::from_plaintext(plaintext);
    let json = Frame::parse(plaintext).ok().and_then(|frame| {
        match serde_json::from_slice::<Value>(frame.json) {
            Ok(Value::Object(json)) => Some((frame, json)),
            _ => None,
        }
    });
    let Ok(next) = result else {
        if let Some((_, json)) = json {
            assert!(
                !json.contains_key("headers"),
                "a delivery failed: {result:?}"
            );
        }
        return None;
    };
    let (frame, json) = json.expect("an accepted layer is framed around a JSON object");
    match &next {
        Next::Deliver { request, control } => {
            assert!(json.contains_key("headers"));
            assert_eq!(request, frame.blob, "the request is not the framed blob");
            let flag = |key: &str| json.get(key).and_then(Value::as_bool);
            assert_eq!(control.json, flag("json").unwrap_or(false));
            assert_eq!(control.base64, flag("base64").unwrap_or(true));
            assert_eq!(next.relay_body(), None);
        }
        Next::Server {
            host,
            port,
            protocol,
            target,
            payload,
        } => {
            assert!(!json.contains_key("headers"));
            assert_eq!(payload, plaintext, "the payload is not the whole layer");
            assert_eq!(
                json.get("host").and_then(Value::as_str),
                Some(host.as_str())
            );
            assert_eq!(
                json.get("target").and_then(Value::as_str),
                Some(target.as_str())
            );
            match json.get("port") {
                None => assert_eq!(*port, protocol.default_port()),
                Some(value) => assert_eq!(value.as_u64(), Some(u64::from(*port))),
            }
            if node::is_allowed_target(target) {
                assert!(target.ends_with("/lsrpc") && !target.contains('?'));
            }
            assert_eq!(next.relay_body(), None);
        }
        Next::Relay {
            destination,
            ephemeral_key,
            enc_type,
            ciphertext,
        } => {
            assert!(!json.contains_key("headers") && !json.contains_key("host"));
            assert_eq!(
                ciphertext, frame.blob,
                "the next layer is not the framed blob"
            );
            let named = json.get("destination").and_then(Value::as_str);
            assert!(
                named.is_some_and(|text| text.eq_ignore_ascii_case(&hex::encode(destination))),
                "destination {named:?} read as {}",
                hex::encode(destination)
            );
            let body = next.relay_body().expect("a relay has a body");
            let again = IncomingOnion::parse(&body).expect("a relay body parses");
            assert_eq!(again.ciphertext, ciphertext.as_slice());
            assert_eq!(again.ephemeral_key, *ephemeral_key);
            assert_eq!(again.enc_type, *enc_type);
        }
        other => panic!("unexpected {other:?}"),
    }
    Some(next)
}

/// A delivered layer's answer opens under its own key to what was sent.
fn check_reply(layer: &Layer, control: Control) {
    let sealed = layer
        .reply(200, REPLY_BODY, control, &mut rng())
        .expect("a reply encrypts");
    if control.base64 {
        let key = ResponseKey::new(layer.reply_key().clone(), None);
        assert_eq!(
            response::open_node_response(&key, &sealed),
            Ok(NodeResponse {
                status: 200,
                headers: BTreeMap::new(),
                body: REPLY_BODY.as_bytes().to_vec(),
            })
        );
    } else {
        assert_eq!(
            layer.reply_key().decrypt(&sealed),
            Ok(node::node_reply_plaintext(200, REPLY_BODY, control.json))
        );
    }
}

/// `response::open_node_response` under both [`onion_response_keys`], and
/// `decode_node_response` with guard statuses 200, 502 and 504.
///
/// An opened answer's body is text, and re-sealed (as a node would send that status and
/// body) it opens to the same status and body. `decode_node_response` with 200 agrees with
/// `open_node_response` (a status outside 2xx becomes the destination's failure); with any
/// other status it is `path_failure`, which names a node only when the text has one after
/// `Next node not found: `, times out only on 504 or a `504 Gateway Timeout` text, and
/// otherwise keeps the status and the text.
pub fn onion_node_response(data: &[u8]) {
    for key in onion_response_keys() {
        let opened = response::open_node_response(key, data);
        if let Ok(answer) = &opened {
            check_node_answer(key, answer);
        }
        assert_eq!(
            response::decode_node_response(key, 200, data),
            opened.and_then(destination_status),
            "decode_node_response disagrees with open_node_response"
        );
    }
    for status in [502, 504] {
        let failure = response::path_failure(status, data);
        check_path_failure(status, data, &failure);
        for key in onion_response_keys() {
            assert_eq!(
                response::decode_node_response(key, status, data),
                Err(failure.clone())
            );
        }
    }
}

/// What `decode_*_response` makes of an opened answer with `status` and `body`.
fn destination_status<T: HasStatus>(answer: T) -> Result<T, Failure> {
    let status = answer.status();
    if (200..300).contains(&status) {
        Ok(answer)
    } else {
        Err(Failure::from_destination(status, answer.into_body()))
    }
}

trait HasStatus {
    fn status(&self) -> u16;
    fn into_body(self) -> Vec<u8>;
}

impl HasStatus for NodeResponse {
    fn status(&self) -> u16 {
        self.status
    }
    fn into_body(self) -> Vec<u8> {
        self.body
    }
}

impl HasStatus for ServerResponse {
    fn status(&self) -> u16 {
        self.status
    }
    fn into_body(self) -> Vec<u8> {
        self.body
    }
}

/// An opened node answer is text, and sealing it again gives the same status and body.
fn check_node_answer(key: &ResponseKey, answer: &NodeResponse) {
    let body = core::str::from_utf8(&answer.body).expect("a node answer's body is text");
    let plaintext = node::node_reply_plaintext(answer.status, body, false);
    let sealed = key
        .primary()
        .encrypt(&mut rng(), &plaintext)
        .expect("an answer encrypts");
    let again = response::open_node_response(key, STANDARD.encode(sealed).as_bytes())
        .expect("a re-sealed answer opens");
    assert_eq!(
        (again.status, &again.body),
        (answer.status, &answer.body),
        "the re-sealed answer reads otherwise"
    );
    assert!(again.headers.is_empty());
}

/// `path_failure(status, data)`'s reading of the text.
fn check_path_failure(status: u16, data: &[u8], failure: &Failure) {
    let text = String::from_utf8_lossy(data);
    match failure {
        Failure::NextNodeNotFound { ed25519 } => {
            let named = format!("{}{}", NOT_FOUND.to_ascii_lowercase(), hex::encode(ed25519));
            assert!(text.contains(NOT_FOUND));
            assert!(
                text.to_ascii_lowercase().contains(&named),
                "{failure:?} from {text:?}"
            );
            assert_eq!(failure.status(), Some(502));
        }
        Failure::HopTimeout => {
            assert!(status == 504 || text.starts_with("504 Gateway Timeout"));
            assert_eq!(failure.status(), Some(504));
        }
        Failure::Path {
            status: found,
            body,
        } => {
            assert_eq!(*found, status);
            assert_eq!(*body, text);
            assert!(status != 504 && !text.starts_with("504 Gateway Timeout"));
            assert_eq!(failure.status(), Some(status));
        }
        other => panic!("path_failure gave {other:?}"),
    }
}

/// `response::open_server_response` under both [`onion_response_keys`], and
/// `node::open_server_request` by [`onion_server`].
///
/// An opened answer is the v4 decoding of the decrypted bytes and goes through
/// [`onion_v4_decode`]'s response checks; `decode_server_response` agrees with it (200) or is
/// the path failure (502). An opened request is the v4 decoding of the peeled layer, goes
/// through the request checks, and the key it comes with seals a response that the client's
/// key of the same agreement opens.
pub fn onion_server_response(data: &[u8]) {
    for key in onion_response_keys() {
        let opened = response::open_server_response(key, data);
        if let Ok(answer) = &opened {
            let plaintext = key.decrypt(data).expect("an opened answer decrypts");
            assert_eq!(ServerResponse::decode(&plaintext).as_ref(), Ok(answer));
            check_server_response(answer);
        }
        assert_eq!(
            response::decode_server_response(key, 200, data),
            opened.and_then(destination_status)
        );
        assert_eq!(
            response::decode_server_response(key, 502, data),
            Err(response::path_failure(502, data))
        );
    }

    if let Ok((request, key)) = node::open_server_request(onion_server(), data) {
        let onion = IncomingOnion::parse(data).expect("an opened request parses");
        assert_eq!(key.enc_type(), onion.enc_type);
        let plaintext = key
            .decrypt(onion.ciphertext)
            .expect("the request's key opens it");
        assert_eq!(ServerRequest::decode(&plaintext).as_ref(), Ok(&request));
        check_server_request(&request);

        let answer = ServerResponse {
            status: 200,
            headers: BTreeMap::new(),
            body: REPLY_BODY.as_bytes().to_vec(),
        };
        let sealed = node::seal_server_response(&key, &answer, &mut rng())
            .expect("a server answer encrypts");
        assert_eq!(
            response::open_server_response(&ResponseKey::new(key, None), &sealed),
            Ok(answer)
        );
    }
}

/// `ServerRequest::decode`, `ServerResponse::decode` and `v4::decode_parts` on the bytes.
///
/// Accepted parts are canonical bencode (`encode_parts` gives back the input); neither
/// message decodes without them. A decoded response re-encodes to bytes that decode to the
/// same response. A decoded request re-encodes (dropping any `User-Agent` and adding
/// `Content-Type: application/json` to a body without a content type, by design) to bytes
/// that decode to the same method, endpoint and body and those headers, and encode again to
/// the same bytes.
pub fn onion_v4_decode(data: &[u8]) {
    let parts = v4::decode_parts(data);
    if let Ok((meta, body)) = parts {
        assert_eq!(
            v4::encode_parts(meta, body),
            data,
            "accepted non-canonical parts"
        );
    }
    let response = ServerResponse::decode(data);
    let request = ServerRequest::decode(data);
    if parts.is_err() {
        assert!(
            response.is_err() && request.is_err(),
            "decoded without parts"
        );
    }
    if let Ok(response) = response {
        check_server_response(&response);
    }
    if let Ok(request) = request {
        check_server_request(&request);
    }
}

fn check_server_response(response: &ServerResponse) {
    let encoded = response.encode();
    assert_eq!(
        ServerResponse::decode(&encoded).as_ref(),
        Ok(response),
        "a re-encoded response decodes otherwise"
    );
}

fn check_server_request(request: &ServerRequest) {
    let encoded = request.encode();
    let again = ServerRequest::decode(&encoded).expect("a re-encoded request decodes");
    assert_eq!(again.method, request.method);
    assert_eq!(again.endpoint, request.endpoint);
    assert_eq!(again.body, request.body);
    let mut headers: BTreeMap<String, String> = request
        .headers
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("user-agent"))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    if request.body.is_some()
        && !headers
            .keys()
            .any(|name| name.eq_ignore_ascii_case("content-type"))
    {
        headers.insert("Content-Type".into(), "application/json".into());
    }
    assert_eq!(again.headers, headers, "re-encoding changed other headers");
    assert_eq!(again.encode(), encoded, "request encoding is not stable");
}
