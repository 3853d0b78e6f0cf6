//! Reading a key message (libsession-util.md §12.4): the shape is validated in full (nonce,
//! 48-byte `K` and `k` entries padded to a multiple of 75, or supplement entries of at least
//! 68 bytes, the generation), then the group signature, and only then is our copy decrypted.
//!
//! Admins open the admin copy `K` of full messages and ignore supplements (they hold every
//! key already); members try each copy with their X25519 key.

use session_bt::Value;
use session_crypto::aead;
use session_identity::Keypair;
use session_protocol::MultiEncryptError;
use session_protocol::multi_encrypt;
use zeroize::Zeroizing;

use crate::constants::{
    ADMIN_KEY_HASH_KEY, KEY_COPY_LEN, MEMBER_KEY_DOMAIN, MEMBER_KEY_MULTIPLE,
    MIN_SUPPLEMENT_COPY_LEN,
};
use crate::error::KeysError;
use crate::key_info::{self, KeyInfo};
use crate::secret::{GroupKey, seed_hash};
use crate::signed_dict;

/// Who is reading: an admin (with the group key pair) or a member (with their own).
#[derive(Clone, Copy)]
pub(crate) enum Reader<'a> {
    /// The group key pair.
    Admin(&'a Keypair),
    /// The member's own key pair.
    Member(&'a Keypair),
}

/// What a valid key message held for us.
pub(crate) enum Opened {
    /// Keys we could decrypt (one for a full message, the list of a supplement).
    Keys(Vec<KeyInfo>),
    /// A valid message with nothing for us; it still belongs to this generation.
    NothingForUs {
        /// `G` of the message.
        generation: i64,
    },
}

/// The validated shape of a key message.
enum Shape<'a> {
    Full {
        generation: i64,
        admin_copy: &'a [u8],
        copies: Vec<&'a [u8]>,
    },
    Supplement {
        max_generation: i64,
        copies: Vec<&'a [u8]>,
    },
}

/// Validates, verifies and decrypts a key message received at `timestamp_ms`.
pub(crate) fn open(
    data: &[u8],
    timestamp_ms: i64,
    group_pk: &[u8; 32],
    group_x25519: &[u8; 32],
    reader: Reader<'_>,
) -> Result<Opened, KeysError> {
    let dict = session_bt::decode(data)?;
    if dict.as_dict().is_none() {
        return Err(KeysError::Malformed("not a dict"));
    }
    let nonce: [u8; 24] = dict
        .get(b"#")
        .and_then(Value::as_bytes)
        .and_then(|n| n.try_into().ok())
        .ok_or(KeysError::Malformed("# must be a 24-byte nonce"))?;
    let shape = shape(&dict)?;
    signed_dict::verify(&dict, group_pk)?;

    match (shape, reader) {
        (
            Shape::Full {
                generation,
                admin_copy,
                ..
            },
            Reader::Admin(group),
        ) => {
            let admin_key =
                GroupKey::from_bytes(*seed_hash(ADMIN_KEY_HASH_KEY, &group.ed25519_seed()));
            let plain = Zeroizing::new(
                aead::xchacha20poly1305_decrypt(&admin_key, &nonce, &[], admin_copy)
                    .map_err(|_| KeysError::AdminDecryptFailed)?,
            );
            Ok(Opened::Keys(vec![key_info(
                &plain,
                generation,
                timestamp_ms,
            )?]))
        }
        (Shape::Supplement { max_generation, .. }, Reader::Admin(_)) => Ok(Opened::NothingForUs {
            generation: max_generation,
        }),
        (
            Shape::Full {
                generation, copies, ..
            },
            Reader::Member(user),
        ) => match member_copy(&copies, &nonce, user, group_x25519)? {
            Some(plain) => Ok(Opened::Keys(vec![key_info(
                &plain,
                generation,
                timestamp_ms,
            )?])),
            None => Ok(Opened::NothingForUs { generation }),
        },
        (
            Shape::Supplement {
                max_generation,
                copies,
            },
            Reader::Member(user),
        ) => match member_copy(&copies, &nonce, user, group_x25519)? {
            Some(plain) => {
                let list = session_bt::decode(&plain)?;
                let keys = key_info::read_list(&list).map_err(KeysError::Malformed)?;
                Ok(Opened::Keys(keys))
            }
            None => Ok(Opened::NothingForUs {
                generation: max_generation,
            }),
        },
    }
}

/// Checks the fields of a full or supplemental message.
fn shape<'a>(dict: &Value<'a>) -> Result<Shape<'a>, KeysError> {
    let generation = dict
        .get(b"G")
        .ok_or(KeysError::Malformed("G is missing"))?
        .as_i64()
        .ok_or(KeysError::Malformed("G must be an integer"))?;
    if let Some(list) = dict.get(b"+") {
        let copies = byte_list(list, "+ must be a list of strings")?;
        if copies.iter().any(|c| c.len() < MIN_SUPPLEMENT_COPY_LEN) {
            return Err(KeysError::Malformed("supplement entry is too short"));
        }
        return Ok(Shape::Supplement {
            max_generation: generation,
            copies,
        });
    }
    if generation < 0 {
        return Err(KeysError::Malformed("G must not be negative"));
    }
    let admin_copy = dict
        .get(b"K")
        .and_then(Value::as_bytes)
        .filter(|k| k.len() == KEY_COPY_LEN)
        .ok_or(KeysError::Malformed("K must be a 48-byte string"))?;
    let copies = byte_list(
        dict.get(b"k").ok_or(KeysError::Malformed("k is missing"))?,
        "k must be a list of strings",
    )?;
    if copies.iter().any(|c| c.len() != KEY_COPY_LEN) {
        return Err(KeysError::Malformed("k entries must be 48 bytes"));
    }
    if copies.len() % MEMBER_KEY_MULTIPLE != 0 {
        return Err(KeysError::BadPadding(copies.len()));
    }
    Ok(Shape::Full {
        generation,
        admin_copy,
        copies,
    })
}

/// The strings of a list, or `what` if it is anything else.
fn byte_list<'a>(value: &Value<'a>, what: &'static str) -> Result<Vec<&'a [u8]>, KeysError> {
    value
        .as_list()
        .ok_or(KeysError::Malformed(what))?
        .iter()
        .map(|v| v.as_bytes().ok_or(KeysError::Malformed(what)))
        .collect()
}

/// Our copy among `copies`, if one decrypts.
fn member_copy(
    copies: &[&[u8]],
    nonce: &[u8; 24],
    user: &Keypair,
    group_x25519: &[u8; 32],
) -> Result<Option<Zeroizing<Vec<u8>>>, KeysError> {
    match multi_encrypt::decrypt_for_multiple(
        copies.iter().copied(),
        nonce,
        user.x25519_secret(),
        group_x25519,
        MEMBER_KEY_DOMAIN,
    ) {
        Ok(plain) => Ok(Some(Zeroizing::new(plain))),
        Err(MultiEncryptError::NotARecipient) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// A decrypted 32-byte key as a key info.
fn key_info(plain: &[u8], generation: i64, timestamp_ms: i64) -> Result<KeyInfo, KeysError> {
    let key: [u8; 32] = plain
        .try_into()
        .map_err(|_| KeysError::Malformed("decrypted key is not 32 bytes"))?;
    Ok(KeyInfo {
        generation,
        timestamp_ms,
        key: GroupKey::from_bytes(key),
    })
}

/// The X25519 form of `group_pk`, refused (as libsodium's conversion refuses it) when the
/// key is not a point, has small order or lies outside the prime-order subgroup; checked once
/// when a state is made.
pub(crate) fn check_group_key(group_pk: &[u8; 32]) -> Result<[u8; 32], KeysError> {
    session_crypto::convert::ed25519_pk_to_x25519(group_pk).map_err(|_| KeysError::InvalidGroupKey)
}
