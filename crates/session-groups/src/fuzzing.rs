//! Entry points for the fuzz targets: each feeds arbitrary bytes to one decoder with fixed
//! keys and must never panic (errors are the expected outcome).

use session_crypto::{Ed25519Seed, X25519Secret};
use session_identity::Keypair;

use crate::control::GroupUpdate;
use crate::group_state::Group;
use crate::info::GroupInfo;
use crate::keys::GroupKeys;
use crate::legacy::{self, LegacyKeypair};
use crate::members::GroupMembers;
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

/// The fixed key the group config targets decrypt with.
pub const CONFIG_KEY: [u8; 32] = [0x42; 32];

/// Loads `data` as an Info dump, as a member and as an admin, reads every field, then edits,
/// pushes and dumps.
pub fn group_info_load(data: &[u8]) {
    let group = keypair(2);
    for admin in [None, Some(&group)] {
        if let Ok(mut info) = GroupInfo::load(group.ed25519_public(), admin, data) {
            info.base_mut().add_key(CONFIG_KEY, true);
            let _ = (info.name(), info.description(), info.profile_pic());
            let _ = (
                info.created(),
                info.delete_before(),
                info.delete_attachments_before(),
            );
            let _ = (info.expiry_timer(), info.is_destroyed());
            let _ = info.set_name("fuzz");
            let _ = info.base_mut().push();
            let _ = info.base_mut().dump();
        }
    }
}

/// Loads `data` as a Members dump, as a member and as an admin, reads every member, then
/// edits, pushes and dumps.
pub fn group_members_load(data: &[u8]) {
    let group = keypair(2);
    for admin in [None, Some(&group)] {
        if let Ok(mut members) = GroupMembers::load(group.ed25519_public(), admin, data) {
            members.base_mut().add_key(CONFIG_KEY, true);
            let all: Vec<_> = members.iter().collect();
            let _ = members.key_recipients();
            if let Some(first) = all.first() {
                let _ = members.update(&first.session_id, |m| m.set_removed(true));
            }
            let _ = members.base_mut().push();
            let _ = members.base_mut().dump();
        }
    }
}

/// Merges `data` as a pushed Info and as a pushed Members config (encrypted with
/// [`CONFIG_KEY`], signed by `keypair(2)`), as a member and as an admin.
pub fn group_config_merge(data: &[u8]) {
    let group = keypair(2);
    for admin in [None, Some(&group)] {
        if let Ok(mut info) = GroupInfo::new(group.ed25519_public(), admin) {
            info.base_mut().add_key(CONFIG_KEY, true);
            let _ = info.base_mut().merge(&[("fuzz", data)], 0);
            let _ = (info.name(), info.profile_pic(), info.is_destroyed());
            let _ = info.base_mut().push();
        }
        if let Ok(mut members) = GroupMembers::new(group.ed25519_public(), admin) {
            members.base_mut().add_key(CONFIG_KEY, true);
            let _ = members.base_mut().merge(&[("fuzz", data)], 0);
            let _ = members.iter().count();
            let _ = members.base_mut().push();
        }
    }
}

/// Restores a group state dump from `data`, then ingests `data` in every namespace.
pub fn group_state_load(data: &[u8]) {
    if let Ok(mut group) = Group::load(keypair(1), None, data) {
        for namespace in [11, 12, 13, 14, -11] {
            let _ = group.ingest(namespace, "fuzz", data, 1_700_000_000_000);
        }
        let _ = group.pending_pushes();
        let _ = group.dump();
    }
}
