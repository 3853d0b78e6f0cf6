//! Entry points for the fuzz targets: each feeds arbitrary bytes to one decoder with fixed
//! keys and must never panic (errors are the expected outcome).

use session_crypto::{Ed25519Seed, X25519Secret};
use session_identity::Keypair;

use crate::control::GroupUpdate;
use crate::keys::GroupKeys;
use crate::legacy::{self, LegacyKeypair};
use crate::message;
use crate::secret::GroupKey;

fn keypair(byte: u8) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
}

/// Loads `data` as a key message into a member's state.
pub fn load_key_message_as_member(data: &[u8]) {
    if let Ok(mut keys) = GroupKeys::new_member(keypair(1), *keypair(2).ed25519_public()) {
        let _ = keys.load_key_message("fuzz", data, 1_700_000_000_000);
        let _ = keys.dump();
    }
}

/// Loads `data` as a key message into an admin's state.
pub fn load_key_message_as_admin(data: &[u8]) {
    if let Ok(mut keys) = GroupKeys::new_admin(keypair(1), keypair(2)) {
        let _ = keys.load_key_message("fuzz", data, 1_700_000_000_000);
        let _ = keys.needs_rekey();
    }
}

/// Restores a Keys dump from `data`.
pub fn load_keys_dump(data: &[u8]) {
    if let Ok(mut keys) = GroupKeys::from_dump(keypair(1), *keypair(2).ed25519_public(), None, data)
    {
        let _ = keys.dump();
    }
}

/// Decrypts `data` as a group message (and as a group envelope) with two fixed keys.
pub fn decrypt_group_message(data: &[u8]) {
    let keys = [GroupKey::from_bytes([3; 32]), GroupKey::from_bytes([4; 32])];
    let group = *keypair(2).ed25519_public();
    let _ = message::decrypt(&keys, &group, data);
    let _ = crate::envelope::decrypt(&keys, &group, data);
}

/// Parses `data` as a `GroupUpdateMessage` and checks its signatures.
pub fn parse_control_message(data: &[u8]) {
    if let Ok(update) = GroupUpdate::decode(data) {
        let _ = update.verify(keypair(2).ed25519_public(), 1_700_000_000_000);
        if let GroupUpdate::Invite(invite) = &update {
            let _ = invite.verify(&keypair(1), 1_700_000_000_000);
        }
        let _ = update.encode();
    }
}

/// Decrypts `data` as a stored legacy group message and as bare legacy content.
pub fn decrypt_legacy_message(data: &[u8]) {
    let pairs = [LegacyKeypair::new(X25519Secret::from_bytes([5; 32]))];
    let group = keypair(6).session_id();
    let _ = legacy::decrypt_stored(&group, &pairs, data);
    let _ = legacy::decrypt_content(&pairs, data);
}
