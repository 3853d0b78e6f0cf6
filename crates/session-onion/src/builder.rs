//! Building onion requests, the way libsession-util's `Builder` lays them out, in one buffer.
//!
//! For a path `h1 (guard) … hn` and a destination `D`, with a fresh ephemeral key `A_i` per
//! layer:
//!
//! ```text
//! guard body = u32(len b1) ‖ b1 ‖ {"enc_type","ephemeral_key":A1}
//! b_i        = Enc(A_i → h_i, u32(len b_i+1) ‖ b_i+1 ‖ {"destination":h_i+1,"enc_type","ephemeral_key":A_i+1})
//! b_n        = Enc(A_n → h_n, u32(len bD) ‖ bD ‖ final route)
//! bD         = Enc(AD → D, u32(len P) ‖ P ‖ {"headers":""})      to a node
//!            = Enc(AD → D, l<json><body>e)                        to a server (v4)
//! ```
//!
//! Every layer's size is known once the keys are, so the whole request is laid out in one
//! buffer, the payload copied into it once, and each layer encrypted where it lies, innermost
//! first: no copy as layers nest.

use rand_core::CryptoRng;
use session_crypto::ephemeral::{self, PeerKey};

use crate::channel::ChannelKey;
use crate::destination::{Hop, ServerDestination};
use crate::enc_type::EncType;
use crate::error::{Error, Result};
use crate::frame::{LEN_PREFIX, MAX_REQUEST_LEN, length_prefix};
use crate::response::ResponseKey;
use crate::routing::{self, SNODE_CONTROL, ToServer, V4_TARGET};
use crate::v4::{self, ServerRequest};

/// Most hops a path may have: nodes refuse to relay past hop 15.
pub const MAX_PATH_HOPS: usize = 15;

/// Builds onion requests over one path.
///
/// ```
/// use rand::SeedableRng;
/// use session_onion::{Builder, EncType, Hop};
///
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
/// let node = |i: u8| Hop::new([i; 32], session_crypto::X25519Secret::from_bytes([i; 32]).public_key());
/// let path = [node(1), node(2), node(3)];
/// let onion = Builder::new(&path)
///     .enc_type(EncType::XChaCha20)
///     .to_node(&node(4), br#"{"method":"info","params":{}}"#, &mut rng)?;
/// assert!(onion.body().len() > 4 * 40);
/// # Ok::<(), session_onion::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Builder<'p> {
    path: &'p [Hop],
    enc_type: EncType,
}

/// A built request: the body to POST to the guard's `/onion_req/v2`, and the key that opens
/// the answer.
#[derive(Debug)]
pub struct BuiltOnion {
    body: Vec<u8>,
    response_key: ResponseKey,
    destination_ephemeral_key: [u8; 32],
}

impl BuiltOnion {
    /// The exact bytes to send to the guard.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The key that opens the destination's answer.
    pub const fn response_key(&self) -> &ResponseKey {
        &self.response_key
    }

    /// The ephemeral public key of the destination's layer.
    pub const fn destination_ephemeral_key(&self) -> &[u8; 32] {
        &self.destination_ephemeral_key
    }

    /// The body and the response key.
    pub fn into_parts(self) -> (Vec<u8>, ResponseKey) {
        (self.body, self.response_key)
    }
}

impl<'p> Builder<'p> {
    /// A builder over `path`, guard first; XChaCha20 unless [`Self::enc_type`] says otherwise.
    pub const fn new(path: &'p [Hop]) -> Self {
        Self {
            path,
            enc_type: EncType::XChaCha20,
        }
    }

    /// Encrypts every layer with `enc_type`.
    #[must_use]
    pub const fn enc_type(mut self, enc_type: EncType) -> Self {
        self.enc_type = enc_type;
        self
    }

    /// A request for a service node: `rpc_body` is its JSON-RPC body, e.g.
    /// `{"method":"retrieve","params":{…}}`.
    pub fn to_node<R: CryptoRng + ?Sized>(
        &self,
        destination: &Hop,
        rpc_body: &[u8],
        rng: &mut R,
    ) -> Result<BuiltOnion> {
        let inner_len = LEN_PREFIX + rpc_body.len() + SNODE_CONTROL.len();
        self.build(
            rng,
            destination.peer_key(),
            inner_len,
            |enc_type, key| routing::to_node(enc_type, destination.ed25519(), key),
            |out| {
                out.extend_from_slice(&length_prefix(rpc_body.len())?);
                out.extend_from_slice(rpc_body);
                out.extend_from_slice(SNODE_CONTROL);
                Ok(())
            },
        )
    }

    /// A v4 request for a server.
    pub fn to_server<R: CryptoRng + ?Sized>(
        &self,
        destination: &ServerDestination,
        request: &ServerRequest,
        rng: &mut R,
    ) -> Result<BuiltOnion> {
        let meta = request.meta_json();
        let body = request.body.as_deref();
        self.build(
            rng,
            destination.peer_key(),
            v4::parts_len(&meta, body),
            |enc_type, key| {
                routing::to_json(&ToServer {
                    enc_type: enc_type.as_str(),
                    ephemeral_key: &hex::encode(key),
                    host: destination.host(),
                    method: "POST",
                    port: destination.port(),
                    protocol: destination.scheme().as_str(),
                    target: V4_TARGET,
                })
            },
            |out| {
                v4::write_parts(out, &meta, body);
                Ok(())
            },
        )
    }

    fn build<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        destination: &PeerKey,
        inner_len: usize,
        final_route: impl FnOnce(EncType, &[u8; 32]) -> Vec<u8>,
        write_inner: impl FnOnce(&mut Vec<u8>) -> Result<()>,
    ) -> Result<BuiltOnion> {
        let hops = self.path.len();
        if !(1..=MAX_PATH_HOPS).contains(&hops) {
            return Err(Error::PathLength {
                hops,
                max: MAX_PATH_HOPS,
            });
        }
        let enc_type = self.enc_type;
        let peers: Vec<&PeerKey> = self
            .path
            .iter()
            .map(Hop::peer_key)
            .chain([destination])
            .collect();
        let agreements = ephemeral::agree_ephemeral(rng, &peers)?;
        let keys: Vec<ChannelKey> = agreements
            .iter()
            .zip(&peers)
            .map(|(agreement, peer)| {
                ChannelKey::derive(
                    enc_type,
                    agreement.shared_secret(),
                    agreement.public_key(),
                    peer.as_bytes(),
                )
            })
            .collect();

        // routes[i] is what hop i reads after decrypting: where to send the next blob.
        let mut routes: Vec<Vec<u8>> = self.path[1..]
            .iter()
            .zip(&agreements[1..])
            .map(|(next, agreement)| {
                routing::to_node(enc_type, next.ed25519(), agreement.public_key())
            })
            .collect();
        routes.push(final_route(enc_type, agreements[hops].public_key()));
        let outer = routing::outer(enc_type, agreements[0].public_key());

        // blob_lens[i] = length of the ciphertext hop i receives; blob_lens[hops] = destination's.
        let overhead = enc_type.overhead();
        let mut blob_lens = vec![0usize; hops + 1];
        blob_lens[hops] = overhead + inner_len;
        for i in (0..hops).rev() {
            blob_lens[i] = overhead + LEN_PREFIX + blob_lens[i + 1] + routes[i].len();
        }
        let total = LEN_PREFIX + blob_lens[0] + outer.len();
        if total > MAX_REQUEST_LEN {
            return Err(Error::TooLarge {
                size: total,
                max: MAX_REQUEST_LEN,
            });
        }

        let nonce_len = enc_type.nonce_len();
        let tag_room = [0u8; session_crypto::aead::TAG_LEN];
        let mut out = Vec::with_capacity(total);
        let mut blob_starts = Vec::with_capacity(hops + 1);
        out.extend_from_slice(&length_prefix(blob_lens[0])?);
        for len in &blob_lens[1..] {
            blob_starts.push(out.len());
            out.resize(out.len() + nonce_len, 0);
            out.extend_from_slice(&length_prefix(*len)?);
        }
        blob_starts.push(out.len());
        out.resize(out.len() + nonce_len, 0);
        write_inner(&mut out)?;
        out.extend_from_slice(&tag_room);
        for route in routes.iter().rev() {
            out.extend_from_slice(route);
            out.extend_from_slice(&tag_room);
        }
        out.extend_from_slice(&outer);
        if out.len() != total {
            return Err(Error::EncryptionFailed);
        }

        for ((key, start), len) in keys.iter().zip(&blob_starts).zip(&blob_lens).rev() {
            let layer = out
                .get_mut(*start..start + len)
                .ok_or(Error::EncryptionFailed)?;
            key.seal_in_place(rng, layer)?;
        }

        let destination_agreement = &agreements[hops];
        let fallback = (enc_type == EncType::XChaCha20).then(|| {
            ChannelKey::derive(
                EncType::AesGcm,
                destination_agreement.shared_secret(),
                destination_agreement.public_key(),
                destination.as_bytes(),
            )
        });
        let primary = keys
            .into_iter()
            .next_back()
            .ok_or(Error::EncryptionFailed)?;
        Ok(BuiltOnion {
            body: out,
            response_key: ResponseKey::new(primary, fallback),
            destination_ephemeral_key: *destination_agreement.public_key(),
        })
    }
}
