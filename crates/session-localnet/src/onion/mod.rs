//! Onion requests at a node (`POST /onion_req/v2`), as the storage server processes them
//! (`storage-server.md` §11.3–11.5): read the clear part, refuse paths past 15 hops, open
//! this node's layer, then run the request here, relay it to the next node, or proxy it to
//! a server.
//!
//! Errors before the layer is open are plain text (400 `Error parsing onion request: …`,
//! 400 `Invalid ciphertext`); a layer that opens but makes no sense is answered encrypted
//! with that layer's key (`{"body":"Invalid json","status":400}`, `Invalid url`).

mod entry;
mod proxy;
mod relay;
mod status;

#[cfg(test)]
mod tests;

use bytes::Bytes;
use hyper::Response;
use rand_core::UnwrapErr;
use session_onion::node::{Control, Layer, Next, is_allowed_target, peel};

use crate::http::{Clients, text_reply};
use crate::network::Network;
use crate::node::Node;
use crate::rpc::{self, ReplyBody};
use entry::{MAX_ONION_HOPS, parse_entry};
use proxy::{ProxyRequest, proxy};
use relay::{RelayRequest, relay};

/// Answers one onion request `body` arriving at `node`.
pub(crate) async fn handle_onion(
    network: &Network,
    node: &Node,
    clients: &Clients,
    body: &[u8],
) -> Response<Bytes> {
    let entry = match parse_entry(body) {
        Ok(entry) => entry,
        Err(what) => return text_reply(400, format!("Error parsing onion request: {what}")),
    };
    if entry.hop_no > MAX_ONION_HOPS {
        return text_reply(400, "onion request max path length exceeded");
    }
    let layer = match peel(node.keypair().x25519_secret(), body) {
        Ok(layer) => layer,
        Err(session_onion::Error::DecryptionFailed | session_onion::Error::InvalidPublicKey) => {
            return text_reply(400, "Invalid ciphertext");
        }
        Err(error) => return text_reply(400, format!("Error parsing onion request: {error}")),
    };
    let Ok(next) = layer.next() else {
        return sealed(&layer, 400, "Invalid json", false, Control::default());
    };
    match next {
        Next::Deliver { request, control } => {
            let reply = rpc::handle_request(network, node, &request).await;
            let embed = control.json && matches!(reply.body, ReplyBody::Json(_));
            sealed(&layer, reply.status, &reply.body_text(), embed, control)
        }
        Next::Relay {
            destination,
            ephemeral_key,
            enc_type,
            ciphertext,
        } => {
            let request = RelayRequest {
                destination,
                ephemeral_key,
                enc_type,
                ciphertext: &ciphertext,
                hop_no: entry.hop_no,
            };
            relay(network, clients, request).await
        }
        Next::Server {
            host,
            port,
            protocol,
            target,
            payload,
        } => {
            if !is_allowed_target(&target) {
                return sealed(&layer, 400, "Invalid url", false, Control::default());
            }
            let request = ProxyRequest {
                host,
                port,
                protocol,
                target,
                payload,
            };
            proxy(clients, network.config().proxy_timeout, request).await
        }
        // A kind of layer this node does not know: the server's parser has exactly the
        // three above, so anything else is a layer it could not read.
        _ => sealed(&layer, 400, "Invalid json", false, Control::default()),
    }
}

/// The final node's answer `{"body","status"}` sealed with the layer's key, sent with HTTP
/// 200 whatever `status` is; the body is embedded as JSON only when `embed` (the control
/// asked for it and the body is JSON).
fn sealed(
    layer: &Layer,
    status: u16,
    body: &str,
    embed: bool,
    control: Control,
) -> Response<Bytes> {
    let control = Control {
        json: embed,
        base64: control.base64,
    };
    let mut rng = UnwrapErr(getrandom::SysRng);
    match layer.reply(status, body, control, &mut rng) {
        Ok(sealed) => text_reply(200, sealed),
        // Encryption fails only past the AEAD's length limit, far beyond any reply.
        Err(_) => text_reply(500, "Internal Server Error\n"),
    }
}
