//! The typed errors of every layer. Messages never carry key material or plaintext.

use session_identity::IdPrefix;

/// Why a key message could not be built, loaded, or a keys dump restored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeysError {
    /// The operation needs the group's secret key (an admin), which this object lacks.
    #[error("this needs the group's admin key")]
    NotAdmin,
    /// A supplement or an encryption was asked of an object that knows no key yet.
    #[error("no group key is known yet")]
    NoKeys,
    /// A member ID that is not a `05` Session ID.
    #[error("group members have 05 Session IDs, not {0}")]
    MemberPrefix(IdPrefix),
    /// None of the IDs given for a supplement had a usable X25519 key.
    #[error("no usable recipient for the supplemental key message")]
    NoRecipients,
    /// The group public key is not a usable Ed25519 key.
    #[error("the group public key is not a valid Ed25519 key")]
    InvalidGroupKey,
    /// A seed or secret key that does not belong to this group.
    #[error("the secret key does not match the group public key")]
    WrongAdminKey,
    /// Bytes that are not canonical bencode.
    #[error("key message is not canonical bencode: {0}")]
    Bencode(#[from] session_bt::DecodeError),
    /// A well-formed bencode value of the wrong shape; the field names what was wrong.
    #[error("malformed key message: {0}")]
    Malformed(&'static str),
    /// The `k` list is not padded to a multiple of the member-key multiple.
    #[error("member key list has {0} entries, not a multiple of 75")]
    BadPadding(usize),
    /// The group signature (`~`) is missing or does not verify.
    #[error("the key message's group signature does not verify")]
    BadSignature,
    /// The admin copy (`K`) does not decrypt with the admin key.
    #[error("the admin key copy does not decrypt")]
    AdminDecryptFailed,
    /// A malformed keys dump; the field names what was wrong.
    #[error("malformed keys dump: {0}")]
    Dump(&'static str),
    /// The bencode writer refused its input (cannot happen with the fixed keys used here).
    #[error(transparent)]
    Encode(#[from] session_bt::EncodeError),
    /// Multi-recipient encryption failed.
    #[error(transparent)]
    MultiEncrypt(#[from] session_protocol::MultiEncryptError),
    /// A primitive refused its input.
    #[error(transparent)]
    Crypto(#[from] session_crypto::Error),
}

/// Why subaccount (member swarm) authentication data could not be made, used or verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SubaccountError {
    /// Making auth data or tokens needs the group's secret key.
    #[error("this needs the group's admin key")]
    NotAdmin,
    /// The member is not a `05` Session ID.
    #[error("subaccounts are for 05 Session IDs, not {0}")]
    MemberPrefix(IdPrefix),
    /// The group ID is not a `03` ID.
    #[error("group IDs have prefix 03, not {0}")]
    GroupPrefix(IdPrefix),
    /// Authentication data that is not 100 bytes.
    #[error("authentication data must be 100 bytes, got {0}")]
    AuthDataLength(usize),
    /// A key the blinded multiplication cannot use (not a point, or small order).
    #[error("unusable key for subaccount blinding")]
    InvalidKey,
    /// Authentication data for another network prefix, without the any-prefix flag.
    #[error("authentication data is for prefix {0:02x}, not 03")]
    WrongPrefix(u8),
    /// Authentication data lacking a permission the caller requires (read is always needed).
    #[error("authentication data lacks flags {missing:#04x}")]
    MissingFlags {
        /// The required flags that are not set.
        missing: u8,
    },
    /// The group's signature over the token does not verify.
    #[error("the group signature over the subaccount token does not verify")]
    BadSignature,
}

/// Why a group message could not be encrypted or decrypted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MessageError {
    /// A plaintext (or decompressed plaintext) above 1,000,000 bytes.
    #[error("message of {0} bytes exceeds the 1000000-byte limit")]
    TooLarge(usize),
    /// Shorter than the 40 bytes of nonce and tag.
    #[error("ciphertext of {0} bytes is too short")]
    TooShort(usize),
    /// Nothing can be encrypted before the first group key is known.
    #[error("no group key is known yet")]
    NoKey,
    /// No known group key decrypts the message.
    #[error("no group key decrypts this message (tried {tried})")]
    NoKeyDecrypts {
        /// How many keys were tried.
        tried: usize,
    },
    /// The decrypted payload is not the signed bencoded dictionary.
    #[error("malformed group message: {0}")]
    Malformed(&'static str),
    /// A version other than 1.
    #[error("unsupported group message version {0}")]
    Version(i128),
    /// The author's key cannot be converted to a Session ID.
    #[error("the author's Ed25519 key is invalid")]
    InvalidAuthor,
    /// The author's signature (over data and group key) does not verify.
    #[error("the author's signature does not verify")]
    BadSignature,
    /// The compressed payload does not inflate (or inflates past the limit).
    #[error("compressed payload does not decompress within the limit")]
    Decompress,
    /// The decrypted envelope is not a group envelope.
    #[error("malformed group envelope: {0}")]
    Envelope(&'static str),
    /// A primitive refused its input.
    #[error(transparent)]
    Crypto(#[from] session_crypto::Error),
}

/// Why a group control message could not be read or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ControlError {
    /// Bytes that are not a `GroupUpdateMessage` protobuf.
    #[error("not a GroupUpdateMessage protobuf")]
    Protobuf,
    /// No (or more than one) update is set.
    #[error("a group update must carry exactly one message, found {0}")]
    UpdateCount(usize),
    /// A required field is missing or out of range; the name says which.
    #[error("invalid field {0}")]
    Field(&'static str),
    /// An ID in the message that does not parse or has the wrong prefix.
    #[error("invalid Session ID in field {0}")]
    SessionId(&'static str),
    /// The admin signature is missing or does not verify with the group key.
    #[error("the admin signature does not verify")]
    BadAdminSignature,
    /// Invites and promotions travel 1:1 and are checked with `Invite::verify` and
    /// `Promote::group`, not against a group's key.
    #[error("invites and promotions are not group-swarm messages")]
    DirectMessage,
    /// The invite's member authentication data is not valid for us.
    #[error(transparent)]
    AuthData(#[from] SubaccountError),
}

/// Why a legacy closed-group message could not be decrypted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LegacyError {
    /// Shorter than sealed box, sender key and signature together.
    #[error("ciphertext of {0} bytes is too short")]
    TooShort(usize),
    /// None of the group's encryption key pairs opens the box.
    #[error("no encryption key pair of the group opens this message")]
    NoKeyPairOpens,
    /// The sender's key inside the box is not valid.
    #[error("the sender's Ed25519 key is invalid")]
    InvalidSender,
    /// The sender's signature does not verify.
    #[error("the sender's signature does not verify")]
    BadSignature,
    /// The content is not padded as Session pads it.
    #[error(transparent)]
    Padding(#[from] session_protocol::PaddingError),
    /// The stored bytes are not a legacy group envelope.
    #[error("malformed legacy group envelope: {0}")]
    Envelope(&'static str),
}

/// Why a kicked notice (namespace -11) could not be built or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KickedError {
    /// A removed member that is not a `05` Session ID.
    #[error("removed members have 05 Session IDs, not {0}")]
    MemberPrefix(IdPrefix),
    /// The notice decrypted but is not `pubkey(32) || ascii generation`.
    #[error("malformed kicked notice")]
    Malformed,
    /// Multi-recipient encryption failed (for a reader: not addressed to us).
    #[error(transparent)]
    MultiEncrypt(#[from] session_protocol::MultiEncryptError),
}

/// Why an operation of the group state ([`crate::Group`]) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupError {
    /// The operation needs the group's admin key, which this member does not hold.
    #[error("this needs the group's admin key")]
    NotAdmin,
    /// The Session ID is not a member of the group (or was removed).
    #[error("{0} is not a member of the group")]
    NotMember(session_identity::SessionId),
    /// A Session ID that cannot be a member (members have `05` IDs).
    #[error("group members have 05 Session IDs, not {0}")]
    MemberPrefix(IdPrefix),
    /// A namespace the group state does not handle.
    #[error("namespace {0} is not a group namespace")]
    Namespace(i16),
    /// A promotion for another group.
    #[error("the promotion is for another group")]
    WrongGroup,
    /// A member operation that needs the member authentication data from the invite, which
    /// an admin-created (or restored) state may lack.
    #[error("no member authentication data is known")]
    NoAuthData,
    /// A malformed group state dump; the field names what was wrong.
    #[error("malformed group dump: {0}")]
    Dump(&'static str),
    /// The Keys state refused the operation or message.
    #[error(transparent)]
    Keys(#[from] KeysError),
    /// The Info or Members config refused the operation.
    #[error(transparent)]
    Config(#[from] session_config::Error),
    /// A group message could not be encrypted or decrypted.
    #[error(transparent)]
    Message(#[from] MessageError),
    /// A control message could not be read or verified.
    #[error(transparent)]
    Control(#[from] ControlError),
    /// A kicked notice could not be built or read.
    #[error(transparent)]
    Kicked(#[from] KickedError),
    /// Member authentication data could not be made or used.
    #[error(transparent)]
    Subaccount(#[from] SubaccountError),
    /// A legacy closed-group message could not be decrypted.
    #[error(transparent)]
    Legacy(#[from] LegacyError),
}
