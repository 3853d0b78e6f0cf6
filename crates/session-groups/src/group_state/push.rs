//! Pushing: what the group state wants stored in namespaces 12, 13 and 14, and the
//! confirmations that make it current.

use crate::constants::KEYS_NAMESPACE;
use crate::error::GroupError;
use crate::info::GroupInfo;
use crate::keys::LoadOutcome;
use crate::members::GroupMembers;

use super::group::Group;
use super::outputs::ConfigPush;

impl Group {
    /// Everything not yet confirmed: the pending key message (or supplements) first, then
    /// Info and Members if they changed. Pushing moves the configs to "waiting"; calling
    /// again before [`confirm_pushed`](Self::confirm_pushed) returns the same messages (the
    /// obsolete hashes are only returned once).
    ///
    /// # Errors
    ///
    /// [`GroupError::Config`] if a config is too large or has no key yet.
    pub fn pending_pushes(&mut self) -> Result<Vec<ConfigPush>, GroupError> {
        let mut pushes = Vec::new();
        if let Some(message) = self.keys.pending_config() {
            pushes.push(ConfigPush {
                namespace: KEYS_NAMESPACE,
                messages: vec![message.to_vec()],
                seqno: self.keys.pending_generation().unwrap_or(0),
                obsolete_hashes: Vec::new(),
            });
        }
        for supplement in &self.supplements {
            pushes.push(ConfigPush {
                namespace: KEYS_NAMESPACE,
                messages: vec![supplement.clone()],
                seqno: -1,
                obsolete_hashes: Vec::new(),
            });
        }
        if self.admin.is_none() {
            return Ok(pushes);
        }
        for base in [self.info.base_mut(), self.members.base_mut()] {
            if base.needs_push() {
                let namespace = base.kind().namespace;
                let push = base.push()?;
                pushes.push(ConfigPush {
                    namespace,
                    messages: push.messages,
                    seqno: push.seqno,
                    obsolete_hashes: push.obsolete,
                });
            }
        }
        Ok(pushes)
    }

    /// Records that `push` was stored under `hashes` (one per message) at the swarm
    /// timestamp `timestamp_ms`. A key message is loaded back into the Keys state (which
    /// makes its key current); a config becomes clean unless it changed since.
    ///
    /// # Errors
    ///
    /// [`GroupError::Namespace`] for a push that is not the group's; [`GroupError::Keys`] if
    /// a key message does not load back.
    pub fn confirm_pushed(
        &mut self,
        push: &ConfigPush,
        hashes: &[String],
        timestamp_ms: i64,
    ) -> Result<(), GroupError> {
        match push.namespace {
            KEYS_NAMESPACE => {
                let (Some(message), Some(hash)) = (push.messages.first(), hashes.first()) else {
                    return Ok(());
                };
                self.supplements.retain(|s| s != message);
                let outcome = self.keys.load_key_message(hash, message, timestamp_ms)?;
                if outcome == LoadOutcome::Added {
                    self.apply_keys(false)?;
                }
            }
            n if n == GroupInfo::KIND.namespace => {
                self.info
                    .base_mut()
                    .confirm_pushed(push.seqno, hashes.iter().cloned());
            }
            n if n == GroupMembers::KIND.namespace => {
                self.members
                    .base_mut()
                    .confirm_pushed(push.seqno, hashes.iter().cloned());
            }
            other => return Err(GroupError::Namespace(other)),
        }
        Ok(())
    }
}
