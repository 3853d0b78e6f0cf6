//! The destination server's side of a v4 onion (what SOGS and the file server do with a POST
//! to `/oxen/v4/lsrpc`).

use rand_core::CryptoRng;
use session_crypto::X25519Secret;

use super::incoming::peel;
use crate::channel::ChannelKey;
use crate::error::Result;
use crate::v4::{ServerRequest, ServerResponse};

/// Opens a v4 onion posted to a server whose X25519 secret is `secret`: the request, and the
/// key that encrypts the answer.
pub fn open_server_request(
    secret: &X25519Secret,
    body: &[u8],
) -> Result<(ServerRequest, ChannelKey)> {
    let layer = peel(secret, body)?;
    let request = ServerRequest::decode(layer.plaintext())?;
    Ok((request, layer.reply_key().clone()))
}

/// The raw bytes a server answers a v4 onion with (sent with HTTP 200 whatever the status).
pub fn seal_server_response<R: CryptoRng + ?Sized>(
    key: &ChannelKey,
    response: &ServerResponse,
    rng: &mut R,
) -> Result<Vec<u8>> {
    key.encrypt(rng, &response.encode())
}
