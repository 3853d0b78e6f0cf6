//! How the Keys state reaches the Info and Members configs (libsession's
//! `ConfigBase::replace_keys` and `ConfigSig`): the group keys, the encryption key first, and
//! the group key pair (admins) or public key (members) for signatures.
//!
//! After a rekey the configs are dirtied so that they are pushed again under the new key
//! (after the key message, so that readers can decrypt them); after loading a key message
//! they only learn the new list.

use session_config::{ConfigBase, Error, Result};
use session_identity::Keypair;
use subtle::ConstantTimeEq;

use crate::secret::GroupKey;

/// Gives `base` the signing keys of the group `group_pk`: the key pair when we are admin
/// (then it signs what it pushes and verifies what it merges), else only the public key
/// (then it is read-only and refuses unsigned or wrongly signed messages).
///
/// # Errors
///
/// [`Error::InvalidKey`] if `admin` is not the key pair of `group_pk`.
pub fn set_signing(
    base: &mut ConfigBase,
    group_pk: &[u8; 32],
    admin: Option<&Keypair>,
) -> Result<()> {
    match admin {
        Some(keypair) if bool::from(keypair.ed25519_public().ct_eq(group_pk)) => {
            base.set_sig_keys(keypair.clone());
        }
        Some(_) => return Err(Error::InvalidKey("the signing key is not the group's")),
        None => base.set_sig_pubkey(*group_pk),
    }
    Ok(())
}

/// Replaces the encryption keys of `base` with `keys` (as
/// [`GroupKeys::group_keys`](crate::GroupKeys::group_keys) lists them: the first encrypts,
/// all decrypt). With `rekeyed`, a config that had keys before and may be changed is made
/// dirty so that its next push re-encrypts it under the new first key; returns whether it
/// was.
///
/// # Errors
///
/// As [`ConfigBase::dirty`] (never, since read-only configs are skipped).
pub fn replace_keys(base: &mut ConfigBase, keys: &[&GroupKey], rekeyed: bool) -> Result<bool> {
    let had_keys = base.key_count() > 0;
    base.clear_keys();
    for key in keys {
        base.add_key(*key.expose_secret(), false);
    }
    let dirty = rekeyed && had_keys && !base.is_readonly() && !keys.is_empty();
    if dirty {
        base.dirty()?;
    }
    Ok(dirty)
}

#[cfg(test)]
mod tests {
    // Tests: a failed unwrap is a failed test.
    #![allow(clippy::unwrap_used)]

    use session_config::State;
    use session_crypto::Ed25519Seed;

    use super::*;
    use crate::info::GroupInfo;

    fn group() -> Keypair {
        Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([5; 32]))
    }

    #[test]
    fn a_rekey_dirties_and_re_encrypts_with_the_first_key() {
        let group = group();
        let (old, new) = (GroupKey::from_bytes([1; 32]), GroupKey::from_bytes([2; 32]));
        let mut info = GroupInfo::new(group.ed25519_public(), Some(&group)).unwrap();
        // The first keys of a new config do not dirty it (there is nothing to re-encrypt).
        assert!(!replace_keys(info.base_mut(), &[&old], true).unwrap());
        info.set_name("g").unwrap();
        let first = info.base_mut().push().unwrap();
        info.base_mut()
            .confirm_pushed(first.seqno, ["h1".to_owned()]);
        assert_eq!(info.base().state(), State::Clean);

        assert!(replace_keys(info.base_mut(), &[&new, &old], true).unwrap());
        assert_eq!(info.base().state(), State::Dirty);
        let second = info.base_mut().push().unwrap();
        assert_eq!(second.seqno, first.seqno + 1);
        assert_eq!(second.obsolete, ["h1"]);

        // A member who only knows the new key reads the re-encrypted push, not the old one.
        let mut member = GroupInfo::new(group.ed25519_public(), None).unwrap();
        replace_keys(member.base_mut(), &[&new], false).unwrap();
        assert!(
            member
                .base_mut()
                .merge(&[("h1", &first.messages[0])], 0)
                .is_empty()
        );
        assert!(
            member
                .base_mut()
                .merge(&[("h2", &second.messages[0])], 0)
                .contains("h2")
        );
        assert_eq!(member.name().as_deref(), Some("g"));
        // Loading keys (no rekey) never dirties, and read-only configs never are.
        assert!(!replace_keys(member.base_mut(), &[&old, &new], true).unwrap());
        assert!(!replace_keys(info.base_mut(), &[&old, &new], false).unwrap());
        assert_eq!(member.base().key_count(), 2);
    }
}
