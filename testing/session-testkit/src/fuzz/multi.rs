//! Multi-recipient encryption (group keys and the like).

use session_protocol::MultiEncryptError;
use session_protocol::multi_encrypt::{self, NONCE_LEN};

use super::{MULTI_DOMAIN, recipient, sender};

/// `multi_encrypt::decrypt_for_multiple_simple` of the bytes as a container from
/// [`sender`](super::sender) to [`recipient`](super::recipient) in
/// [`MULTI_DOMAIN`](super::MULTI_DOMAIN).
///
/// The Ed25519 variant (`decrypt_for_multiple_simple_ed25519`, from the sender's Ed25519
/// key) gives the same result. The container read independently with `session_bt` agrees:
/// not bencode is a decode error, a container without a 24-byte nonce or a list of copies
/// is malformed, and otherwise the result is `decrypt_for_multiple` over the string entries
/// before the first non-string one (which is an error only if no earlier copy decrypts). A
/// decrypted plaintext, encrypted again for us under the container's nonce, is the first
/// copy that decrypts.
pub fn multi_decrypt(data: &[u8]) {
    let (me, from) = (recipient(), sender());
    let result = multi_encrypt::decrypt_for_multiple_simple(
        data,
        me.x25519_secret(),
        from.x25519_public(),
        MULTI_DOMAIN,
    );
    let via_ed25519 = multi_encrypt::decrypt_for_multiple_simple_ed25519(
        data,
        me,
        from.ed25519_public(),
        MULTI_DOMAIN,
    );
    assert_eq!(result, via_ed25519, "the Ed25519 variant disagrees");

    let container = match session_bt::decode(data) {
        Ok(container) => container,
        Err(e) => {
            assert_eq!(result, Err(MultiEncryptError::Decode(e)));
            return;
        }
    };
    let nonce: Option<&[u8; NONCE_LEN]> = container
        .get(b"#")
        .and_then(|value| value.as_bytes())
        .and_then(|bytes| bytes.try_into().ok());
    let copies = container.get(b"e").and_then(|value| value.as_list());
    let (Some(nonce), Some(copies)) = (nonce, copies) else {
        assert!(
            matches!(result, Err(MultiEncryptError::Container(_))),
            "a malformed container gave {result:?}"
        );
        return;
    };
    let strings: Vec<&[u8]> = copies.iter().map_while(|copy| copy.as_bytes()).collect();
    let direct = multi_encrypt::decrypt_for_multiple(
        strings.iter().copied(),
        nonce,
        me.x25519_secret(),
        from.x25519_public(),
        MULTI_DOMAIN,
    );
    let plaintext = match (result, direct) {
        (Ok(plaintext), Ok(same)) => {
            assert_eq!(plaintext, same, "the container and its copies disagree");
            plaintext
        }
        (Err(MultiEncryptError::NotARecipient), Err(MultiEncryptError::NotARecipient)) => {
            assert_eq!(strings.len(), copies.len(), "a non-string copy was skipped");
            return;
        }
        (
            Err(MultiEncryptError::Container("ciphertext is not a string")),
            Err(MultiEncryptError::NotARecipient),
        ) => {
            assert!(strings.len() < copies.len(), "no copy is a non-string");
            return;
        }
        (result, direct) => panic!("container gave {result:?}, its copies {direct:?}"),
    };

    let copy = multi_encrypt::encrypt_for_multiple(
        &[&plaintext],
        &[*me.x25519_public()],
        nonce,
        from.x25519_secret(),
        MULTI_DOMAIN,
    )
    .expect("a decrypted plaintext encrypts again")
    .remove(0);
    assert_eq!(copy.len(), plaintext.len() + multi_encrypt::OVERHEAD);
    let at = strings
        .iter()
        .position(|&entry| entry == copy.as_slice())
        .expect("re-encryption is none of the copies");
    assert_eq!(
        multi_encrypt::decrypt_for_multiple(
            strings[..at].iter().copied(),
            nonce,
            me.x25519_secret(),
            from.x25519_public(),
            MULTI_DOMAIN,
        ),
        Err(MultiEncryptError::NotARecipient),
        "an earlier copy decrypts"
    );
}
