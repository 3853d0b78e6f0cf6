//! Entry points for fuzz targets: each takes arbitrary bytes and must never panic.
//!
//! Several take more than one message out of one input: it is cut at every `0xff 0x00` pair,
//! a sequence rare in the short structured prefixes fuzzers start from.

use session_crypto::Ed25519Seed;

use crate::base::ConfigBase;
use crate::kind::ConfigKind;
use crate::merge::merge;
use crate::message::{ConfigMessage, DEFAULT_LAG};
use crate::multipart::Multiparts;
use crate::mutable::MutableConfigMessage;
use crate::user::{Contacts, ConvoInfoVolatile, UserGroups, UserProfile};

/// The fixed key the pipeline targets decrypt with.
const KEY: [u8; 32] = [0x42; 32];

fn pieces(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < data.len() {
        if data[i] == 0xff && data[i + 1] == 0x00 {
            out.push(&data[start..i]);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    out.push(&data[start..]);
    out
}

/// Parses a config message; a parsed one is re-serialized, re-parsed and incremented.
pub fn config_message(data: &[u8]) {
    if let Ok(message) = ConfigMessage::parse(data, None, DEFAULT_LAG, false) {
        let bytes = message.serialize(None, false);
        let again = ConfigMessage::parse(&bytes, None, DEFAULT_LAG, false);
        assert!(again.is_ok(), "a serialized message must parse");
        let mut next = MutableConfigMessage::following(&message);
        let _ = next.serialize(None);
    }
}

/// Merges the messages cut out of `data` (see the module docs).
pub fn config_merge(data: &[u8]) {
    let inputs = pieces(data);
    if let Ok(merged) = merge(&inputs, None, None, DEFAULT_LAG) {
        let bytes = merged.message.serialize(None, false);
        assert!(
            ConfigMessage::parse(&bytes, None, DEFAULT_LAG, false).is_ok(),
            "a merged message must parse"
        );
    }
}

/// Runs `data` through a user config's whole incoming pipeline: protobuf unwrap (twice),
/// decryption, padding, decompression, multipart, parse and merge.
pub fn decrypt_unwrap(data: &[u8]) {
    let mut base = ConfigBase::new(ConfigKind::USER_PROFILE);
    base.add_key(KEY, true);
    let messages: Vec<(&str, &[u8])> = pieces(data).into_iter().map(|m| ("h", m)).collect();
    let _ = base.merge(&messages, 0);
    let _ = base.push();
    let _ = base.dump();
}

/// Feeds the pieces of `data` to multipart reassembly as decrypted parts.
pub fn multipart(data: &[u8]) {
    let mut parts = Multiparts::default();
    for (i, piece) in pieces(data).into_iter().enumerate() {
        let _ = parts.accept(&i.to_string(), piece, i as u64);
    }
    parts.expire(u64::MAX);
}

/// Loads `data` as a UserProfile dump and reads every field, then pushes.
pub fn user_profile_load(data: &[u8]) {
    if let Ok(mut profile) = UserProfile::load(&seed(), data) {
        let _ = (
            profile.name(),
            profile.profile_pic(),
            profile.nts_priority(),
        );
        let _ = (profile.nts_expiry(), profile.blinded_msgreqs());
        let _ = profile.set_name("fuzz");
        let _ = profile.base_mut().push();
        let _ = profile.base_mut().dump();
    }
}

/// Loads `data` as a Contacts dump and reads every contact, then edits and pushes.
pub fn contacts_load(data: &[u8]) {
    if let Ok(mut contacts) = Contacts::load(&seed(), data) {
        let all: Vec<_> = contacts.iter().collect();
        if let Some(first) = all.first() {
            let _ = contacts.update(&first.session_id, |c| c.blocked = !c.blocked);
        }
        let _ = contacts.base_mut().push();
    }
}

/// Loads `data` as a ConvoInfoVolatile dump and reads every entry, then prunes and pushes.
pub fn convo_info_volatile_load(data: &[u8]) {
    if let Ok(mut convos) = ConvoInfoVolatile::load(&seed(), data) {
        let _ = (
            convos.one_to_ones(),
            convos.groups(),
            convos.legacy_groups(),
        );
        let _ = convos.communities();
        let _ = convos.push(i64::MAX);
    }
}

/// Loads `data` as a UserGroups dump and reads every entry, then pushes.
pub fn user_groups_load(data: &[u8]) {
    if let Ok(mut groups) = UserGroups::load(&seed(), data) {
        let _ = (
            groups.communities(),
            groups.groups(),
            groups.legacy_groups(),
        );
        let _ = groups.base_mut().push();
    }
}

/// All four user config loads.
pub fn user_config_load(data: &[u8]) {
    user_profile_load(data);
    contacts_load(data);
    convo_info_volatile_load(data);
    user_groups_load(data);
}

fn seed() -> Ed25519Seed {
    Ed25519Seed::from_bytes(KEY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survives_odd_inputs() {
        let samples: [&[u8]; 8] = [
            b"",
            b"d1:#i0e1:&de1:<le1:=dee",
            b"d1:#i9223372036854775807e1:&de1:<le1:=dee",
            b"d1:#i-9223372036854775808e1:&de1:<lli-9223372036854775808e32:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaadeee1:=dee",
            b"d1:!i1e1:$23:d1:#i0e1:&de1:<le1:=dee1:(l1:ae1:)le1:*d32:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad1:#i2e1:pld1:#i0e1:M1:x1:d1:zeeeee",
            b"ml32:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1:\x001:\x021:xe\xff\x00ml32:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1:\x011:\x021:ye",
            b"d1:#i5e1:&d1:ai1ee1:=d1:a0:ee\xff\x00d1:#i5e1:&d1:ai2ee1:=d1:a0:ee",
            b"\xff\x00\xff\x00",
        ];
        for sample in samples {
            config_message(sample);
            config_merge(sample);
            decrypt_unwrap(sample);
            multipart(sample);
            user_config_load(sample);
        }
    }
}
