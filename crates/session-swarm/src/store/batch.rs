//! A list of writes that a store applies all together or not at all.

use core::fmt;

use crate::net::ServiceNode;
use crate::rpc::Account;
use crate::store::error::StoreError;

/// The longest message hash accepted, in bytes. Today's hashes are 43 characters
/// (unpadded base64 of 32 bytes); older servers used longer hex hashes, so there is room.
pub const MAX_HASH_LEN: usize = 256;

/// The longest blob namespace accepted, in bytes.
pub const MAX_BLOB_NAMESPACE_LEN: usize = 64;

/// One write of a [`WriteBatch`].
#[derive(Clone)]
pub(crate) enum Op {
    /// Replaces the whole node pool.
    SetNodePool {
        /// The new pool, in order.
        nodes: Vec<ServiceNode>,
        /// When it was fetched, ms.
        fetched_at_ms: i64,
    },
    /// Replaces an account's swarm.
    SetSwarm {
        /// Whose swarm.
        account: Account,
        /// Members' Ed25519 keys, in order.
        members: Vec<[u8; 32]>,
        /// When it was fetched, ms.
        fetched_at_ms: i64,
    },
    /// Forgets an account's swarm.
    RemoveSwarm {
        /// Whose swarm.
        account: Account,
    },
    /// Sets the hash polling resumes after, for one account, namespace and node.
    SetLastHash {
        /// The polled account.
        account: Account,
        /// The polled namespace.
        namespace: i16,
        /// The polled node's Ed25519 key.
        node: [u8; 32],
        /// The newest hash received.
        hash: String,
    },
    /// Records a message hash as seen, keeping the later of the two expiries if known.
    MarkSeen {
        /// The account the message is for.
        account: Account,
        /// The message hash.
        hash: String,
        /// When the message expires, ms; [`crate::store::Store::prune_seen`] drops it after.
        expiry_ms: i64,
    },
    /// Sets the network clock offset.
    SetClockOffset {
        /// Offset in ms.
        offset_ms: i64,
    },
    /// Stores a blob.
    PutBlob {
        /// What kind of blob (`"config"`, `"group_keys"`, ...).
        namespace: String,
        /// Its key within the namespace.
        key: Vec<u8>,
        /// Its contents.
        value: Vec<u8>,
    },
    /// Deletes a blob.
    DeleteBlob {
        /// What kind of blob.
        namespace: String,
        /// Its key within the namespace.
        key: Vec<u8>,
    },
    /// Forgets an account's swarm, last hashes and seen hashes.
    ForgetAccount {
        /// The account.
        account: Account,
    },
}

/// Writes applied in order, atomically, by [`crate::store::Store::apply`]: after a crash
/// either all of them are in the store or none is.
///
/// Later writes see earlier ones: marking the same hash twice reports it new only once.
#[derive(Clone, Default)]
pub struct WriteBatch {
    /// The writes, in order.
    ops: Vec<Op>,
}

impl WriteBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the saved node pool with `nodes`, fetched at `fetched_at_ms`.
    pub fn set_node_pool(&mut self, nodes: &[ServiceNode], fetched_at_ms: i64) -> &mut Self {
        self.push(Op::SetNodePool {
            nodes: nodes.to_vec(),
            fetched_at_ms,
        })
    }

    /// Replaces `account`'s saved swarm with the members' Ed25519 keys.
    pub fn set_swarm(
        &mut self,
        account: &Account,
        members: &[[u8; 32]],
        fetched_at_ms: i64,
    ) -> &mut Self {
        self.push(Op::SetSwarm {
            account: *account,
            members: members.to_vec(),
            fetched_at_ms,
        })
    }

    /// Forgets `account`'s saved swarm.
    pub fn remove_swarm(&mut self, account: &Account) -> &mut Self {
        self.push(Op::RemoveSwarm { account: *account })
    }

    /// Sets the last hash polled from `node` for `account` in `namespace`.
    pub fn set_last_hash(
        &mut self,
        account: &Account,
        namespace: i16,
        node: &[u8; 32],
        hash: &str,
    ) -> &mut Self {
        self.push(Op::SetLastHash {
            account: *account,
            namespace,
            node: *node,
            hash: hash.to_owned(),
        })
    }

    /// Marks message `hash` of `account` as seen until `expiry_ms`. [`Store::apply`]
    /// reports, for each of these in order, whether the hash was new.
    ///
    /// [`Store::apply`]: crate::store::Store::apply
    pub fn mark_seen(&mut self, account: &Account, hash: &str, expiry_ms: i64) -> &mut Self {
        self.push(Op::MarkSeen {
            account: *account,
            hash: hash.to_owned(),
            expiry_ms,
        })
    }

    /// Sets the saved network clock offset.
    pub fn set_clock_offset(&mut self, offset_ms: i64) -> &mut Self {
        self.push(Op::SetClockOffset { offset_ms })
    }

    /// Stores `value` under (`namespace`, `key`), replacing what was there.
    pub fn put_blob(&mut self, namespace: &str, key: &[u8], value: &[u8]) -> &mut Self {
        self.push(Op::PutBlob {
            namespace: namespace.to_owned(),
            key: key.to_vec(),
            value: value.to_vec(),
        })
    }

    /// Deletes the blob under (`namespace`, `key`), if any.
    pub fn delete_blob(&mut self, namespace: &str, key: &[u8]) -> &mut Self {
        self.push(Op::DeleteBlob {
            namespace: namespace.to_owned(),
            key: key.to_vec(),
        })
    }

    /// Forgets everything kept per account (swarm, last hashes, seen hashes): for a left
    /// group or a removed account. Blobs are not per account and stay.
    pub fn forget_account(&mut self, account: &Account) -> &mut Self {
        self.push(Op::ForgetAccount { account: *account })
    }

    /// How many writes the batch holds.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the batch holds no writes.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The writes, in order, for the stores to apply.
    pub(crate) fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// Checks every write before any is applied, so a refused batch writes nothing in
    /// either store and both refuse the same batches.
    pub(crate) fn validate(&self) -> Result<(), StoreError> {
        for op in &self.ops {
            match op {
                Op::SetLastHash { hash, .. } | Op::MarkSeen { hash, .. } => check_hash(hash)?,
                Op::PutBlob { namespace, .. } | Op::DeleteBlob { namespace, .. } => {
                    check_blob_namespace(namespace)?;
                }
                Op::SetNodePool { .. }
                | Op::SetSwarm { .. }
                | Op::RemoveSwarm { .. }
                | Op::SetClockOffset { .. }
                | Op::ForgetAccount { .. } => {}
            }
        }
        Ok(())
    }

    /// Appends one write.
    fn push(&mut self, op: Op) -> &mut Self {
        self.ops.push(op);
        self
    }
}

/// A hash must be non-empty (an empty last hash would mean "from the start" to the
/// server, silently re-fetching everything) and bounded.
pub(crate) fn check_hash(hash: &str) -> Result<(), StoreError> {
    if hash.is_empty() {
        return Err(StoreError::Invalid("empty message hash"));
    }
    if hash.len() > MAX_HASH_LEN {
        return Err(StoreError::Invalid("message hash longer than MAX_HASH_LEN"));
    }
    Ok(())
}

/// A blob namespace must be non-empty and bounded.
pub(crate) fn check_blob_namespace(namespace: &str) -> Result<(), StoreError> {
    if namespace.is_empty() {
        return Err(StoreError::Invalid("empty blob namespace"));
    }
    if namespace.len() > MAX_BLOB_NAMESPACE_LEN {
        return Err(StoreError::Invalid(
            "blob namespace longer than MAX_BLOB_NAMESPACE_LEN",
        ));
    }
    Ok(())
}

// Only the kind and size of each write: blobs may be group keys.
impl fmt::Debug for WriteBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.ops.iter()).finish()
    }
}

impl fmt::Debug for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SetNodePool { nodes, .. } => write!(f, "SetNodePool({} nodes)", nodes.len()),
            Self::SetSwarm {
                account, members, ..
            } => write!(f, "SetSwarm({account}, {} members)", members.len()),
            Self::RemoveSwarm { account } => write!(f, "RemoveSwarm({account})"),
            Self::SetLastHash {
                account,
                namespace,
                hash,
                ..
            } => write!(f, "SetLastHash({account}, {namespace}, {hash})"),
            Self::MarkSeen { account, hash, .. } => write!(f, "MarkSeen({account}, {hash})"),
            Self::SetClockOffset { offset_ms } => write!(f, "SetClockOffset({offset_ms})"),
            Self::PutBlob {
                namespace, value, ..
            } => write!(f, "PutBlob({namespace}, {} bytes)", value.len()),
            Self::DeleteBlob { namespace, .. } => write!(f, "DeleteBlob({namespace})"),
            Self::ForgetAccount { account } => write!(f, "ForgetAccount({account})"),
        }
    }
}
