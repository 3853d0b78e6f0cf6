//! A group's saved state: one blob per group, secret (it holds the group keys, the seed of
//! admins and the auth data of members), in a small versioned layout:
//!
//! `2 || flags || [seed 32] || name || group dump`
//!
//! with flags bit 0 admin (seed present), bit 1 invited, bit 2 answered, each variable
//! field prefixed by its length as 4 bytes big-endian, and the group dump
//! `session_groups::Group::dump`'s.

use session_crypto::Ed25519Seed;
use session_groups::Group;
use session_identity::{Keypair, SessionId};
use zeroize::Zeroizing;

use crate::groups::error::GroupError;
use crate::groups::state::GroupState;

const VERSION: u8 = 2;
const ADMIN: u8 = 1;
const INVITED: u8 = 2;
const ANSWERED: u8 = 4;

/// The state's bytes.
pub(crate) fn encode(state: &mut GroupState) -> Result<Zeroizing<Vec<u8>>, GroupError> {
    let dump = state.group.dump()?;
    let mut out = Zeroizing::new(Vec::with_capacity(dump.len() + 128));
    let seed = state
        .group
        .identity()
        .map(session_groups::GroupIdentity::seed);
    let mut flags = 0;
    if seed.is_some() {
        flags |= ADMIN;
    }
    if state.invited {
        flags |= INVITED;
    }
    if state.answered {
        flags |= ANSWERED;
    }
    out.push(VERSION);
    out.push(flags);
    if let Some(seed) = &seed {
        out.extend_from_slice(seed.expose_secret());
    }
    for field in [state.invite_name.as_bytes(), &dump] {
        let len = u32::try_from(field.len()).map_err(|_| GroupError::Corrupt("field too long"))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(field);
    }
    Ok(out)
}

/// Reads what [`encode`] wrote, for `user` in group `id`.
pub(crate) fn decode(
    user: &Keypair,
    id: SessionId,
    bytes: &[u8],
) -> Result<GroupState, GroupError> {
    let mut reader = Reader(bytes);
    if reader.take(1)? != [VERSION] {
        return Err(GroupError::Corrupt("unknown version"));
    }
    let flags = reader.take(1)?[0];
    let seed = if flags & ADMIN != 0 {
        let seed: [u8; 32] = reader
            .take(32)?
            .try_into()
            .map_err(|_| GroupError::Corrupt("seed"))?;
        Some(Ed25519Seed::from_bytes(seed))
    } else {
        None
    };
    let name =
        String::from_utf8(reader.field()?.to_vec()).map_err(|_| GroupError::Corrupt("name"))?;
    let group = Group::load(user.clone(), seed.as_ref(), reader.field()?)?;
    if group.group_id() != id {
        return Err(GroupError::Corrupt("state of another group"));
    }
    let mut state = GroupState::new(group, name, flags & INVITED != 0);
    state.answered = flags & ANSWERED != 0;
    Ok(state)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], GroupError> {
        let (head, rest) = self
            .0
            .split_at_checked(n)
            .ok_or(GroupError::Corrupt("truncated"))?;
        self.0 = rest;
        Ok(head)
    }

    fn field(&mut self) -> Result<&'a [u8], GroupError> {
        let len: [u8; 4] = self
            .take(4)?
            .try_into()
            .map_err(|_| GroupError::Corrupt("length"))?;
        let len =
            usize::try_from(u32::from_be_bytes(len)).map_err(|_| GroupError::Corrupt("length"))?;
        self.take(len)
    }
}

#[cfg(test)]
mod tests {
    use session_crypto::Ed25519Seed;
    use session_groups::Group;
    use session_identity::Keypair;

    use super::{decode, encode};
    use crate::groups::error::GroupError;
    use crate::groups::state::GroupState;

    fn keypair(byte: u8) -> Keypair {
        Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
    }

    #[test]
    fn admin_and_member_states_round_trip() {
        let (me, bob) = (keypair(1), keypair(2));
        let mut rng = rand::rng();
        let (group, _pushes) = Group::create(
            &mut rng,
            me.clone(),
            "Name",
            &[bob.session_id()],
            1_700_000_000_000,
        )
        .unwrap();
        let id = group.group_id();
        let mut admin = GroupState::new(group, String::new(), false);
        let bytes = encode(&mut admin).unwrap();
        let back = decode(&me, id, &bytes).unwrap();
        assert!(back.is_admin());
        assert!(back.answered);
        assert_eq!(back.name(), "Name");
        assert_eq!(back.group.members().len(), 2);

        let member = Group::new_member(bob.clone(), &id, None).unwrap();
        let mut member = GroupState::new(member, "Invite".into(), true);
        let bytes = encode(&mut member).unwrap();
        let back = decode(&bob, id, &bytes).unwrap();
        assert!(!back.is_admin());
        assert!(back.invited);
        assert!(!back.answered);
        assert_eq!(back.name(), "Invite");

        let cut = &bytes[..bytes.len() - 3];
        assert!(decode(&bob, id, cut).is_err());
        let other = Group::new_member(bob.clone(), &keypair(9).group_id(), None).unwrap();
        let wrong = GroupState::new(other, String::new(), false).id;
        assert!(matches!(
            decode(&bob, wrong, &bytes),
            Err(GroupError::Corrupt(_))
        ));
    }
}
