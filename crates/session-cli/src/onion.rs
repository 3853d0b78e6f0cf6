//! `onion build` and `onion decrypt-response`: onion requests through the library's builder
//! (`session::onion::Builder`) and the reading of their answers (`session::onion::response`).
//!
//! Building draws every ephemeral key and nonce from the operating system's random number
//! generator. The printed response key is the 32-byte key of the destination's layer, for the
//! request's enc type: it opens the answer and nothing else (the hops' layers have keys of
//! their own). Since it is the derived key and not the X25519 result, the AES-GCM fallback
//! the library tries for XChaCha20 requests (some old servers answer in AES-GCM whatever was
//! asked) cannot be derived from it.

use std::collections::BTreeMap;
use std::convert::Infallible;

use serde::Serialize;
use session::onion::rand_core::{TryCryptoRng, TryRng};
use session::onion::response::{open_node_response, open_server_response};
use session::onion::{
    Builder, BuiltOnion, ChannelKey, EncType, Hop, ResponseKey, ServerDestination, ServerRequest,
};

use crate::cli::{OnionBuildArgs, OnionDecryptArgs, OnionEncType};
use crate::error::CliError;
use crate::input;

/// Length of the response key.
const RESPONSE_KEY_LEN: usize = 32;

/// What `onion build` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Built {
    /// The exact body to POST to the guard's `/onion_req/v2`.
    guard_request_hex: String,
    /// The ephemeral X25519 public key of the destination's layer.
    final_ephemeral_pubkey: String,
    /// The 32-byte key that decrypts the destination's answer (`onion decrypt-response`).
    response_key_hex: String,
}

/// What `onion decrypt-response` prints: the destination's answer, whatever its status.
#[derive(Debug, Serialize)]
pub(crate) struct Response {
    /// The destination's status: the RPC status of a node, the HTTP status of a server.
    status: u16,
    /// The destination's headers (often none).
    headers: BTreeMap<String, String>,
    /// The body as text; not valid UTF-8 is replaced by U+FFFD, and `body_hex` is added.
    body: String,
    /// The exact body, only when it is not valid UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    body_hex: Option<String>,
}

impl OnionEncType {
    /// The library's enc type.
    pub(crate) const fn enc_type(self) -> EncType {
        match self {
            Self::AesGcm => EncType::AesGcm,
            Self::XChaCha20 => EncType::XChaCha20,
        }
    }
}

/// `onion build`.
pub(crate) fn build(args: &OnionBuildArgs) -> Result<Built, CliError> {
    let hops = args
        .hops
        .iter()
        .enumerate()
        .map(|(i, text)| hop(&format!("--hop {}", i + 1), text))
        .collect::<Result<Vec<_>, _>>()?;
    let builder = Builder::new(&hops).enc_type(args.enc_type.enc_type());
    let mut rng = OsRandom::default();
    let built = match (&args.snode, &args.server) {
        (Some(snode), None) => {
            let destination = hop("--snode", snode)?;
            let payload = args
                .payload
                .as_deref()
                .ok_or_else(|| CliError::usage("--snode needs --payload"))?;
            serde_json::from_str::<serde::de::IgnoredAny>(payload)
                .map_err(|error| CliError::input(format!("--payload is not JSON: {error}")))?;
            builder.to_node(&destination, payload.as_bytes(), &mut rng)?
        }
        (None, Some(url)) => {
            let (Some(server_pubkey), Some(method), Some(endpoint)) =
                (&args.server_pubkey, &args.method, &args.endpoint)
            else {
                return Err(CliError::usage(
                    "--server needs --server-pubkey, --method and --endpoint",
                ));
            };
            let destination =
                ServerDestination::from_url(url, input::key32("--server-pubkey", server_pubkey)?)?;
            check_method(method)?;
            check_endpoint(endpoint)?;
            let mut request = ServerRequest::new(method.as_str(), endpoint.as_str());
            if let Some(body) = &args.body {
                request = request.with_body(body.as_bytes());
            }
            builder.to_server(&destination, &request, &mut rng)?
        }
        _ => return Err(CliError::usage("give either --snode or --server")),
    };
    rng.check()?;
    Ok(Built::of(&built))
}

impl Built {
    fn of(built: &BuiltOnion) -> Self {
        Self {
            guard_request_hex: hex::encode(built.body()),
            final_ephemeral_pubkey: hex::encode(built.destination_ephemeral_key()),
            response_key_hex: hex::encode(built.response_key().primary().expose_secret()),
        }
    }
}

/// `onion decrypt-response`. A status outside 2xx is printed, not an error: only an answer
/// that does not decrypt or parse is.
pub(crate) fn decrypt_response(args: &OnionDecryptArgs) -> Result<Response, CliError> {
    let key = input::secret_hex::<RESPONSE_KEY_LEN>("--response-key", &args.response_key)?;
    let key = ResponseKey::new(ChannelKey::from_bytes(args.enc_type.enc_type(), *key), None);
    let data = input::hex_bytes("--data-hex", &args.data_hex)?;
    let (status, headers, body) = if args.kind.snode {
        let response = open_node_response(&key, &data)?;
        (response.status, response.headers, response.body)
    } else {
        let response = open_server_response(&key, &data)?;
        (response.status, response.headers, response.body)
    };
    let (body, body_hex) = match String::from_utf8(body) {
        Ok(text) => (text, None),
        Err(error) => {
            let bytes = error.into_bytes();
            (
                String::from_utf8_lossy(&bytes).into_owned(),
                Some(hex::encode(&bytes)),
            )
        }
    };
    Ok(Response {
        status,
        headers,
        body,
        body_hex,
    })
}

/// A service node given by `option` as `<ed25519 hex>:<x25519 hex>`.
fn hop(option: &str, text: &str) -> Result<Hop, CliError> {
    let (ed25519, x25519) = text.trim().split_once(':').ok_or_else(|| {
        CliError::input(format!(
            "{option} must be <ed25519 hex>:<x25519 hex>, with a colon between the two keys"
        ))
    })?;
    Ok(Hop::new(
        input::key32(&format!("{option}'s Ed25519 key"), ed25519)?,
        input::key32(&format!("{option}'s X25519 key"), x25519)?,
    ))
}

/// An HTTP method is a token (RFC 9110): letters, digits and ``!#$%&'*+-.^_`|~``.
fn check_method(method: &str) -> Result<(), CliError> {
    let token = |byte: u8| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte);
    if method.is_empty() || !method.bytes().all(token) {
        return Err(CliError::input(
            "--method must be an HTTP method such as GET or POST",
        ));
    }
    Ok(())
}

/// The endpoint is a path with any query: it starts with `/` and has no spaces or control
/// characters.
fn check_endpoint(endpoint: &str) -> Result<(), CliError> {
    if !endpoint.starts_with('/') {
        return Err(CliError::input(
            "--endpoint must start with '/' (a path, with any query)",
        ));
    }
    if endpoint
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(CliError::input(
            "--endpoint must not contain spaces or control characters",
        ));
    }
    Ok(())
}

/// The operating system's random number generator as the `CryptoRng` the builder takes.
///
/// A failure of the generator is kept (the bytes asked for are zeroed) and reported by
/// [`OsRandom::check`] once the onion is built, so that it is an error rather than a panic,
/// and nothing built from the zeroes is ever printed.
#[derive(Debug, Default)]
struct OsRandom {
    failure: Option<getrandom::Error>,
}

impl OsRandom {
    /// Fails if any draw failed.
    fn check(&self) -> Result<(), CliError> {
        match self.failure {
            None => Ok(()),
            Some(error) => Err(CliError::system(format!(
                "the operating system's random number generator failed: {error}"
            ))),
        }
    }
}

impl TryRng for OsRandom {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut bytes = [0u8; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut bytes = [0u8; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        if let Err(error) = getrandom::fill(dst) {
            dst.fill(0);
            self.failure.get_or_insert(error);
        }
        Ok(())
    }
}

impl TryCryptoRng for OsRandom {}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;
    use session::onion::rand_core::Rng;

    #[test]
    fn enc_type_names_are_the_library_names() {
        for value in OnionEncType::value_variants() {
            let possible = value.to_possible_value().unwrap();
            let names: Vec<&str> = possible.get_name_and_aliases().collect();
            assert_eq!(names.len(), 2);
            for name in names {
                assert_eq!(EncType::from_name(name), Some(value.enc_type()), "{name}");
            }
        }
    }

    #[test]
    fn hops_parse() {
        let ed = "01".repeat(32);
        let x = "AB".repeat(32);
        let parsed = hop("--hop 1", &format!(" {ed}:{x} ")).unwrap();
        assert_eq!((parsed.ed25519(), parsed.x25519()), (&[1; 32], &[0xab; 32]));
        for (bad, says) in [
            (ed.clone(), "colon"),
            (format!("{ed}{x}"), "colon"),
            (format!("{ed}:"), "--hop 1's X25519 key must be 32 bytes"),
            (format!("01:{x}"), "--hop 1's Ed25519 key must be 32 bytes"),
            (format!("{ed}:{x}:00"), "X25519 key is not valid hex"),
        ] {
            let error = hop("--hop 1", &bad).unwrap_err();
            assert_eq!(error.exit_code(), 1);
            assert!(error.message().contains(says), "{}", error.message());
        }
    }

    #[test]
    fn methods_and_endpoints() {
        for good in ["GET", "POST", "DELETE", "M-SEARCH"] {
            assert!(check_method(good).is_ok(), "{good}");
        }
        for bad in ["", "GET /", "P\u{e9}"] {
            assert!(check_method(bad).is_err(), "{bad}");
        }
        for good in [
            "/",
            "/capabilities",
            "/room/x/messages/since/1?t=r&reactors=5",
        ] {
            assert!(check_endpoint(good).is_ok(), "{good}");
        }
        for bad in ["", "capabilities", "http://x/y", "/a b", "/a\nb"] {
            assert!(check_endpoint(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn os_random_draws() {
        let mut rng = OsRandom::default();
        let mut bytes = [0u8; 64];
        rng.fill_bytes(&mut bytes);
        assert_ne!(bytes, [0; 64]);
        assert_ne!(rng.next_u64(), rng.next_u64());
        assert!(rng.check().is_ok());
    }
}
