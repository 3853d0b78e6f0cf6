//! Byte-exact strings and numbers of groups v2 (libsession-util.md Appendix A, §12).

/// BLAKE2b key of `H2 = BLAKE2b-32(seed)`, mixed into every derived key and nonce.
pub(crate) const SEED_HASH_KEY: &[u8; 19] = b"SessionGroupKeySeed";
/// BLAKE2b key of the rekey hash `H1` (56 bytes) and of the supplement nonce (24 bytes).
pub(crate) const KEY_GEN_HASH_KEY: &[u8; 18] = b"SessionGroupKeyGen";
/// BLAKE2b key deriving the key that encrypts the admin copy (`K`).
pub(crate) const ADMIN_KEY_HASH_KEY: &[u8; 23] = b"SessionGroupKeyAdminKey";
/// Multi-recipient encryption domain of member key copies.
pub const MEMBER_KEY_DOMAIN: &str = "SessionGroupKeyMemberKey";
/// BLAKE2b key of the seed of the deterministic junk entries.
pub(crate) const JUNK_SEED_HASH_KEY: &[u8; 23] = b"SessionGroupJunkMembers";
/// BLAKE2b key deriving the subaccount blinding mask from the seed.
pub(crate) const SUBACCOUNT_MASK_HASH_KEY: &[u8; 26] = b"SessionGroupSubaccountMask";
/// BLAKE2b key hashing the member's seed for the subaccount signature nonce.
pub(crate) const SUBACCOUNT_SEED_HASH_KEY: &[u8; 14] = b"SubaccountSeed";
/// BLAKE2b key of the subaccount signature nonce.
pub(crate) const SUBACCOUNT_SIG_HASH_KEY: &[u8; 13] = b"SubaccountSig";
/// Multi-recipient encryption domain of kicked notices (namespace -11).
pub const KICKED_DOMAIN: &str = "SessionGroupKickedMessage";

/// The member key list of a full key message is junk-padded to a multiple of this.
///
/// libsession-util.md §12.2 and the snapshot studied use 75; some later libsession heads
/// lowered it to 45, which receivers built against 75 reject (and vice versa).
pub const MEMBER_KEY_MULTIPLE: usize = 75;

/// A generation is dropped once a newer one has existed for longer than this, measured on
/// the swarm timestamps of the keys (never the local clock): libsession's `KEY_EXPIRY`,
/// twice the 30-day config lifetime it protects.
pub const KEY_EXPIRY_MS: i64 = 2 * 30 * 24 * 60 * 60 * 1000;

/// Largest plaintext a group message may carry, before or after compression.
pub const MAX_PLAINTEXT: usize = 1_000_000;

/// The padding multiple libsession uses for group messages.
pub const DEFAULT_PADDING: usize = 256;

/// Length of an encrypted key copy: a 32-byte key and its 16-byte tag.
pub(crate) const KEY_COPY_LEN: usize = 48;

/// Shortest encrypted supplement entry: the smallest key-info list (52 bytes) and the tag.
pub(crate) const MIN_SUPPLEMENT_COPY_LEN: usize = 52 + 16;

/// zstd level libsession compresses group messages with.
pub(crate) const ZSTD_LEVEL: i32 = 1;

/// The group's swarm namespace of messages (group envelopes).
pub const MESSAGES_NAMESPACE: i16 = 11;
/// The group's swarm namespace of key messages.
pub const KEYS_NAMESPACE: i16 = 12;
/// The group's swarm namespace of the Info config.
pub const INFO_NAMESPACE: i16 = 13;
/// The group's swarm namespace of the Members config.
pub const MEMBERS_NAMESPACE: i16 = 14;
/// The group's namespace that revoked members may still read: kicked notices.
pub const REVOKED_NAMESPACE: i16 = -11;
