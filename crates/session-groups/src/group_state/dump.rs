//! Persisting a [`Group`] between runs: a bencoded dictionary of the three objects' own dumps
//! and what the group state adds.
//!
//! | key | value |
//! | --- | --- |
//! | `I` | the Info config's dump |
//! | `K` | the Keys dump (every key: the whole dump is secret) |
//! | `M` | the Members config's dump |
//! | `a` | the member authentication data (100 bytes), if known |
//! | `g` | the group's Ed25519 public key |
//! | `k` | 1 once we were kicked |
//! | `s` | supplemental key messages not yet confirmed |
//!
//! The group seed is never written: admins pass it back to [`Group::load`] (it lives in
//! UserGroups `K`). Config messages kept for lack of a key are not written either; they are
//! retrieved again.

use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::GroupError;
use crate::group::GroupIdentity;
use crate::info::GroupInfo;
use crate::keys::GroupKeys;
use crate::members::GroupMembers;
use crate::subaccount::AuthData;

use super::group::Group;

impl Group {
    /// The state, for [`load`](Self::load). Secret: it holds every group key.
    ///
    /// # Errors
    ///
    /// Only if an encoder refuses its input, which the fixed keys rule out.
    pub fn dump(&mut self) -> Result<Zeroizing<Vec<u8>>, GroupError> {
        let keys = self.keys.dump()?;
        let info = self.info.base_mut().dump();
        let members = self.members.base_mut().dump();
        let mut out = Zeroizing::new(Vec::with_capacity(keys.len() + info.len() + members.len()));
        session_bt::write_dict(&mut out, |d| {
            d.bytes(b"I", &info);
            d.bytes(b"K", &keys);
            d.bytes(b"M", &members);
            if let Some(auth) = &self.auth_data {
                d.bytes(b"a", auth.as_bytes());
            }
            d.bytes(b"g", &self.group_pk);
            if self.kicked {
                d.int(b"k", 1);
            }
            if !self.supplements.is_empty() {
                d.list(b"s", |l| {
                    for supplement in &self.supplements {
                        l.bytes(supplement);
                    }
                });
            }
        })
        .map_err(|_| GroupError::Dump("encoding"))?;
        Ok(out)
    }

    /// Restores a state from [`dump`](Self::dump) for `user`; admins pass the group seed.
    ///
    /// # Errors
    ///
    /// [`GroupError::Dump`] for a malformed dump, [`GroupError::WrongGroup`] for a seed of
    /// another group, and the errors of the parts' own loaders.
    pub fn load(
        user: Keypair,
        admin_seed: Option<&Ed25519Seed>,
        dump: &[u8],
    ) -> Result<Self, GroupError> {
        let value = session_bt::decode(dump).map_err(|_| GroupError::Dump("not bencode"))?;
        let field = |key: &[u8], what: &'static str| {
            value
                .get(key)
                .and_then(|v| v.as_bytes())
                .ok_or(GroupError::Dump(what))
        };
        let group_pk: [u8; 32] = field(b"g", "group key")?
            .try_into()
            .map_err(|_| GroupError::Dump("group key"))?;
        let admin = admin_seed.map(GroupIdentity::from_seed);
        if let Some(identity) = &admin
            && !bool::from(identity.public_key().ct_eq(&group_pk))
        {
            return Err(GroupError::WrongGroup);
        }
        let admin_keypair = admin.as_ref().map(GroupIdentity::keypair);
        let keys = GroupKeys::from_dump(
            user.clone(),
            group_pk,
            admin_keypair.cloned(),
            field(b"K", "keys")?,
        )?;
        let info = GroupInfo::load(&group_pk, admin_keypair, field(b"I", "info")?)?;
        let members = GroupMembers::load(&group_pk, admin_keypair, field(b"M", "members")?)?;
        let auth_data = match value.get(b"a") {
            None => None,
            Some(a) => Some(AuthData::from_slice(
                a.as_bytes().ok_or(GroupError::Dump("auth data"))?,
            )?),
        };
        let supplements = match value.get(b"s") {
            None => Vec::new(),
            Some(list) => list
                .as_list()
                .ok_or(GroupError::Dump("supplements"))?
                .iter()
                .map(|s| {
                    s.as_bytes()
                        .map(<[u8]>::to_vec)
                        .ok_or(GroupError::Dump("supplements"))
                })
                .collect::<Result<_, _>>()?,
        };
        let kicked = value
            .get(b"k")
            .and_then(|k| k.as_i64())
            .is_some_and(|k| k != 0);
        let mut group = Self {
            user,
            group_pk,
            admin,
            keys,
            info,
            members,
            auth_data,
            supplements,
            stash: Vec::new(),
            kicked,
        };
        group.apply_keys(false)?;
        Ok(group)
    }
}
