//! libsodium's `crypto_secretstream_xchacha20poly1305`, the chunked stream cipher under
//! libsession's deterministic attachments, with the header supplied by the caller (libsession
//! derives it from the content instead of drawing it at random).
//!
//! State: a ChaCha20 key (HChaCha20 of the key and the header's first 16 bytes) and a
//! 12-byte IETF nonce = 4-byte little-endian counter (starting at 1) || 8 bytes (the header's
//! last 8). Each chunk: block 0 of the keystream keys Poly1305; `[tag, 0 x 63]` encrypted
//! with block 1 gives the tag byte sent and the first 64 bytes authenticated; the message is
//! encrypted from block 2; the MAC covers that 64-byte block, the ciphertext, `mlen % 16`
//! zero bytes (libsodium's quirk, see [`finish`]) and the lengths `0 || 64 + mlen` (64-bit
//! little-endian). After each chunk the first 8 MAC
//! bytes are XORed into the nonce's last 8, the counter is incremented, and the key is
//! re-derived when the tag has the REKEY bit or the counter wraps.
//!
//! Wire layout of a chunk: `encrypted tag (1) || ciphertext || MAC (16)`.
//!
//! Reference: libsodium `src/libsodium/crypto_secretstream/xchacha20poly1305/
//! secretstream_xchacha20poly1305.c` (read in the index; counter reset to 1 as in released
//! libsodium, which libsession's own `init_push` copy also does). Checked against the
//! system libsodium in `tests/attachments.rs`.

use chacha20::cipher::{KeyIvInit, StreamCipher};
use chacha20::{ChaCha20, R20, hchacha};
use poly1305::universal_hash::{KeyInit, UniversalHash};
use poly1305::{Block, Poly1305};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Header length (the XChaCha20 nonce).
pub(crate) const HEADER_LEN: usize = 24;
/// Bytes a chunk adds to its message: the tag byte and the MAC.
pub(crate) const ABYTES: usize = 1 + 16;
/// Tag of an ordinary chunk.
pub(crate) const TAG_MESSAGE: u8 = 0;
/// Tag bit asking for a key change after the chunk.
const TAG_REKEY: u8 = 2;
/// Tag of the last chunk (`PUSH | REKEY`).
pub(crate) const TAG_FINAL: u8 = 3;

/// One direction of a stream.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct SecretStream {
    key: [u8; 32],
    nonce: [u8; 12],
}

/// A chunk that does not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Forged;

impl SecretStream {
    /// `init_push` / `init_pull` (identical once the header is known).
    pub(crate) fn new(key: &[u8; 32], header: &[u8; HEADER_LEN]) -> Self {
        let (head, tail) = header.split_at(16);
        let mut input = [0u8; 16];
        input.copy_from_slice(head);
        let mut subkey = hchacha::<R20>(key.into(), (&input).into());
        let mut stream = Self {
            key: [0; 32],
            nonce: [0; 12],
        };
        stream.key.copy_from_slice(&subkey);
        subkey.as_mut_slice().zeroize();
        stream.nonce[4..].copy_from_slice(tail);
        stream.reset_counter();
        stream
    }

    /// Encrypts one chunk in place. `chunk` is `[tag slot, message.., 16 MAC bytes]`: the
    /// message sits at `1..len - 16`, the rest is overwritten.
    pub(crate) fn push(&mut self, chunk: &mut [u8], tag: u8) {
        let mlen = chunk.len().saturating_sub(ABYTES);
        let (mut poly, mut cipher) = self.chunk_cipher();
        let mut block = [0u8; 64];
        block[0] = tag;
        cipher.apply_keystream(&mut block);
        poly.update_padded(&block);
        let (head, rest) = chunk.split_at_mut(1);
        head[0] = block[0];
        let (message, mac_out) = rest.split_at_mut(mlen);
        cipher.apply_keystream(message);
        let mac = finish(poly, message);
        mac_out.copy_from_slice(&mac);
        self.advance(&mac, tag);
    }

    /// Checks one chunk (`encrypted tag || ciphertext || MAC`) and decrypts its message
    /// into `out`, which must be `chunk.len() - ABYTES` long; returns the tag. On failure
    /// the state is unchanged and `out` holds no plaintext.
    pub(crate) fn pull(&mut self, chunk: &[u8], out: &mut [u8]) -> Result<u8, Forged> {
        let Some(mlen) = chunk.len().checked_sub(ABYTES) else {
            return Err(Forged);
        };
        if out.len() != mlen {
            return Err(Forged);
        }
        let (mut poly, mut cipher) = self.chunk_cipher();
        let (head, rest) = chunk.split_at(1);
        let mut block = [0u8; 64];
        block[0] = head[0];
        cipher.apply_keystream(&mut block);
        let tag = block[0];
        block[0] = head[0];
        poly.update_padded(&block);
        let (message, stored) = rest.split_at(mlen);
        let mac = finish(poly, message);
        if !bool::from(mac.as_slice().ct_eq(stored)) {
            return Err(Forged);
        }
        out.copy_from_slice(message);
        cipher.apply_keystream(out);
        self.advance(&mac, tag);
        Ok(tag)
    }

    /// Poly1305 keyed by keystream block 0, and the cipher positioned at block 1.
    fn chunk_cipher(&self) -> (Poly1305, ChaCha20) {
        let mut cipher = ChaCha20::new((&self.key).into(), (&self.nonce).into());
        let mut block0 = Zeroizing::new([0u8; 64]);
        cipher.apply_keystream(block0.as_mut_slice());
        let mut poly_key = Zeroizing::new([0u8; 32]);
        poly_key.copy_from_slice(&block0[..32]);
        (Poly1305::new((&*poly_key).into()), cipher)
    }

    /// The state update after a chunk.
    fn advance(&mut self, mac: &[u8; 16], tag: u8) {
        for (n, m) in self.nonce[4..].iter_mut().zip(mac) {
            *n ^= m;
        }
        let counter =
            u32::from_le_bytes([self.nonce[0], self.nonce[1], self.nonce[2], self.nonce[3]])
                .wrapping_add(1);
        self.nonce[..4].copy_from_slice(&counter.to_le_bytes());
        if tag & TAG_REKEY != 0 || counter == 0 {
            self.rekey();
        }
    }

    /// `crypto_secretstream_xchacha20poly1305_rekey`: key || inonce XORed with the keystream.
    fn rekey(&mut self) {
        let mut fresh = Zeroizing::new([0u8; 40]);
        fresh[..32].copy_from_slice(&self.key);
        fresh[32..].copy_from_slice(&self.nonce[4..]);
        ChaCha20::new((&self.key).into(), (&self.nonce).into())
            .apply_keystream(fresh.as_mut_slice());
        self.key.copy_from_slice(&fresh[..32]);
        self.nonce[4..].copy_from_slice(&fresh[32..]);
        self.reset_counter();
    }

    fn reset_counter(&mut self) {
        self.nonce[..4].copy_from_slice(&1u32.to_le_bytes());
    }
}

/// Authenticates the ciphertext and the lengths and returns the MAC.
///
/// libsodium follows the ciphertext with `(0x10 - 64 + mlen) & 0xf` zero bytes, which is
/// `mlen % 16`, not the padding to a 16-byte boundary that expression seems meant to
/// compute; the lengths (`0` for the absent associated data, then `64 + mlen`, 64-bit
/// little-endian) therefore usually start mid-block, and Poly1305 finishes the last partial
/// block the standard way. Whole ciphertext blocks go straight in; the unaligned tail is
/// assembled in a small buffer.
fn finish(mut poly: Poly1305, ciphertext: &[u8]) -> [u8; 16] {
    let (blocks, rest) = Block::slice_as_chunks(ciphertext);
    poly.update(blocks);
    let zeros = ciphertext.len() % 16;
    let mut tail = [0u8; 15 + 15 + 16];
    tail[..rest.len()].copy_from_slice(rest);
    let lengths_at = rest.len() + zeros;
    tail[lengths_at + 8..lengths_at + 16]
        .copy_from_slice(&(64 + ciphertext.len() as u64).to_le_bytes());
    poly.compute_unpadded(&tail[..lengths_at + 16]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_then_pull() {
        let key = [5u8; 32];
        let header = [9u8; HEADER_LEN];
        let mut sender = SecretStream::new(&key, &header);
        let mut receiver = SecretStream::new(&key, &header);
        for (i, tag) in [TAG_MESSAGE, TAG_REKEY, 1, TAG_MESSAGE, TAG_FINAL]
            .into_iter()
            .enumerate()
        {
            let message = vec![i as u8; i * 10];
            let mut chunk = vec![0u8; message.len() + ABYTES];
            chunk[1..1 + message.len()].copy_from_slice(&message);
            sender.push(&mut chunk, tag);
            if !message.is_empty() {
                assert_ne!(&chunk[1..1 + message.len()], &message[..], "encrypted");
            }
            let mut out = vec![0u8; message.len()];
            for i in [0, chunk.len() / 2, chunk.len() - 1] {
                let mut tampered = chunk.clone();
                tampered[i] ^= 1;
                assert_eq!(receiver.pull(&tampered, &mut out), Err(Forged));
            }
            assert_eq!(receiver.pull(&chunk, &mut out), Ok(tag));
            assert_eq!(out, message);
        }
    }

    #[test]
    fn matches_libsodium() {
        // Produced by the system libsodium 1.0.18 through ctypes:
        // `crypto_secretstream_xchacha20poly1305_init_pull(header = [9; 24], key = [5; 32])`
        // (the same state `init_push` with that header gives), then `push` of each message
        // with its tag; the REKEY and PUSH tags exercise the key change.
        const CHUNKS: [(&[u8], u8, &str); 5] = [
            (
                b"abc",
                TAG_MESSAGE,
                "907953e06a9e29b02f0a0d0f74f5430820183f28",
            ),
            (
                b"defg",
                TAG_REKEY,
                "fc6fc7aaa7cb237de94ac19044c0d7fc44aac5888d",
            ),
            (b"", TAG_MESSAGE, "3784f51994f3b6074623e2b3fcf27c30b0"),
            (
                &[b'x'; 70],
                1,
                "856b026a64d32a492776824af7903d530110b620ac653c401c370c3e8630b127d1e94d4d8b2d50e\
                 f16e5db5f5009a14bf04a8f89cbbb5487a290501c3e3ea070022a45b4d115173443210c5da9f316\
                 5edc970254b689d7",
            ),
            (b"hi", TAG_FINAL, "e6f56869a513a7f0e9cc0980012338405ad3bb"),
        ];
        let mut sender = SecretStream::new(&[5; 32], &[9; HEADER_LEN]);
        let mut receiver = SecretStream::new(&[5; 32], &[9; HEADER_LEN]);
        for (message, tag, expected) in CHUNKS {
            let mut chunk = vec![0u8; message.len() + ABYTES];
            chunk[1..1 + message.len()].copy_from_slice(message);
            sender.push(&mut chunk, tag);
            assert_eq!(hex::encode(&chunk), expected);
            let mut out = vec![0u8; message.len()];
            assert_eq!(receiver.pull(&chunk, &mut out), Ok(tag));
            assert_eq!(out, message);
        }
    }

    #[test]
    fn counter_wrap_rekeys() {
        let mut a = SecretStream::new(&[1; 32], &[2; HEADER_LEN]);
        let mut b = SecretStream::new(&[1; 32], &[2; HEADER_LEN]);
        a.nonce[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        b.nonce[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        let mut chunk = [0u8; ABYTES + 3];
        a.push(&mut chunk, TAG_MESSAGE);
        assert_eq!(&a.nonce[..4], &1u32.to_le_bytes());
        assert_eq!(b.pull(&chunk, &mut [0; 3]), Ok(TAG_MESSAGE));
        assert_eq!(a.key, b.key);
        assert_ne!(a.key, SecretStream::new(&[1; 32], &[2; HEADER_LEN]).key);
    }
}
