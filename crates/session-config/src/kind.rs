//! What distinguishes one config type from another in the generic machinery: its swarm
//! namespace, encryption domain, protobuf kind and compression level.

use crate::protobuf::Kind;

/// The fixed properties of a config type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigKind {
    /// The swarm namespace its messages are stored in.
    pub namespace: i16,
    /// The encryption domain (1..=24 bytes).
    pub domain: &'static str,
    /// The `SharedConfigMessage.kind` it is wrapped with on push, for the user configs that
    /// older clients still read through protobuf.
    pub protobuf: Option<Kind>,
    /// zstd level (0 disables compression).
    pub compression_level: i32,
    /// How many lagged diffs messages carry.
    pub lag: i64,
}

impl ConfigKind {
    /// A config type with libsession's defaults: compression level 1, lag 5.
    pub const fn new(namespace: i16, domain: &'static str, protobuf: Option<Kind>) -> Self {
        Self {
            namespace,
            domain,
            protobuf,
            compression_level: crate::compress::DEFAULT_LEVEL,
            lag: crate::message::DEFAULT_LAG,
        }
    }

    /// UserProfile: namespace 2.
    pub const USER_PROFILE: Self = Self::new(2, "UserProfile", Some(Kind::UserProfile));
    /// Contacts: namespace 3.
    pub const CONTACTS: Self = Self::new(3, "Contacts", Some(Kind::Contacts));
    /// ConvoInfoVolatile: namespace 4.
    pub const CONVO_INFO_VOLATILE: Self =
        Self::new(4, "ConvoInfoVolatile", Some(Kind::ConvoInfoVolatile));
    /// UserGroups: namespace 5.
    pub const USER_GROUPS: Self = Self::new(5, "UserGroups", Some(Kind::UserGroups));
}
