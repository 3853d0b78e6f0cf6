//! Session IDs: a one-byte prefix naming the kind of key, followed by a 32-byte public key,
//! written as 66 lower-case hex characters.
//!
//! ```
//! use session_identity::session_id::{IdPrefix, SessionId};
//!
//! let id: SessionId = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69".parse()?;
//! assert_eq!(id.prefix(), IdPrefix::Standard);
//! assert_eq!(id.key_bytes()[0], 0x48);
//! # Ok::<(), session_identity::session_id::SessionIdError>(())
//! ```

use core::fmt;
use core::str::FromStr;

/// Length of a Session ID in bytes: the prefix and a 32-byte key.
const BYTE_LEN: usize = 33;

/// Length of a Session ID written in hex.
const HEX_LEN: usize = 2 * BYTE_LEN;

/// The first byte of a Session ID, which says what kind of key follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
#[repr(u8)]
pub enum IdPrefix {
    /// `00`: an unblinded Ed25519 key, as used by community (SOGS) servers.
    Unblinded = 0x00,
    /// `03`: a closed group's Ed25519 key.
    Group = 0x03,
    /// `05`: a standard account's X25519 key.
    Standard = 0x05,
    /// `07`: a version-blinded Ed25519 key.
    VersionBlinded = 0x07,
    /// `15`: a community-blinded Ed25519 key (legacy blinding).
    Blinded15 = 0x15,
    /// `25`: a community-blinded Ed25519 key.
    Blinded25 = 0x25,
}

impl IdPrefix {
    /// The prefix byte.
    pub const fn byte(self) -> u8 {
        self as u8
    }

    /// The prefix for `byte`, if it is a known one.
    pub const fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            0x00 => Some(Self::Unblinded),
            0x03 => Some(Self::Group),
            0x05 => Some(Self::Standard),
            0x07 => Some(Self::VersionBlinded),
            0x15 => Some(Self::Blinded15),
            0x25 => Some(Self::Blinded25),
            _ => None,
        }
    }
}

/// The prefix as two hex digits, the way it starts a Session ID (`05`, `15`, ...).
impl fmt::Display for IdPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02x}", self.byte())
    }
}

impl From<IdPrefix> for u8 {
    fn from(prefix: IdPrefix) -> Self {
        prefix.byte()
    }
}

/// A Session ID: a prefix and a 32-byte public key.
///
/// It is public information, so `Debug` shows it in full. `Display` writes the 66
/// lower-case hex characters, and parsing accepts either case.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId {
    prefix: IdPrefix,
    key: [u8; 32],
}

impl SessionId {
    /// Builds an ID from its prefix and key.
    pub const fn new(prefix: IdPrefix, key: [u8; 32]) -> Self {
        Self { prefix, key }
    }

    /// The prefix.
    pub const fn prefix(&self) -> IdPrefix {
        self.prefix
    }

    /// The 32-byte key after the prefix.
    pub const fn key_bytes(&self) -> &[u8; 32] {
        &self.key
    }

    /// The 33 bytes: the prefix byte, then the key.
    pub fn to_bytes(&self) -> [u8; BYTE_LEN] {
        let mut bytes = [0u8; BYTE_LEN];
        let (prefix, key) = bytes.split_at_mut(1);
        prefix.fill(self.prefix.byte());
        key.copy_from_slice(&self.key);
        bytes
    }

    /// Reads the 33-byte form.
    ///
    /// # Errors
    ///
    /// [`SessionIdError::WrongLength`] unless `bytes` is 33 bytes long, then
    /// [`SessionIdError::UnknownPrefix`] if the first byte is not a known prefix.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SessionIdError> {
        let bytes: &[u8; BYTE_LEN] = bytes.try_into().map_err(|_| SessionIdError::WrongLength {
            expected: BYTE_LEN,
            found: bytes.len(),
        })?;
        let [prefix, key @ ..] = bytes;
        let prefix = IdPrefix::from_byte(*prefix).ok_or(SessionIdError::UnknownPrefix(*prefix))?;
        let key = *key;
        Ok(Self::new(prefix, key))
    }

    /// Parses the 66-character hex form, in upper or lower case.
    ///
    /// # Errors
    ///
    /// Checked in this order: [`SessionIdError::WrongLength`] (counted in characters)
    /// unless `hex` is 66 characters long, [`SessionIdError::InvalidHex`] if any of them
    /// is not a hex digit (whitespace included), and [`SessionIdError::UnknownPrefix`].
    pub fn parse_hex(hex: &str) -> Result<Self, SessionIdError> {
        let found = hex.chars().count();
        if found != HEX_LEN {
            return Err(SessionIdError::WrongLength {
                expected: HEX_LEN,
                found,
            });
        }
        let mut bytes = [0u8; BYTE_LEN];
        hex::decode_to_slice(hex, &mut bytes).map_err(|_| SessionIdError::InvalidHex)?;
        Self::from_bytes(&bytes)
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_bytes()
            .iter()
            .try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({self})")
    }
}

impl FromStr for SessionId {
    type Err = SessionIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_hex(s)
    }
}

impl TryFrom<&str> for SessionId {
    type Error = SessionIdError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse_hex(s)
    }
}

impl TryFrom<&[u8]> for SessionId {
    type Error = SessionIdError;

    fn try_from(bytes: &[u8]) -> Result<Self, Self::Error> {
        Self::from_bytes(bytes)
    }
}

impl From<SessionId> for [u8; BYTE_LEN] {
    fn from(id: SessionId) -> Self {
        id.to_bytes()
    }
}

/// Why bytes or text are not a Session ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionIdError {
    /// The input has the wrong length: 66 hex characters or 33 bytes are required.
    #[error("wrong Session ID length: expected {expected}, found {found}")]
    WrongLength {
        /// The required length (66 characters of hex, or 33 bytes).
        expected: usize,
        /// The length given, in the same unit.
        found: usize,
    },
    /// The text contains a character that is not a hex digit.
    #[error("a Session ID must be hex digits only")]
    InvalidHex,
    /// The first byte is not a known [`IdPrefix`].
    #[error("unknown Session ID prefix {0:02x}")]
    UnknownPrefix(u8),
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::SessionId;
    use core::fmt;
    use serde::de::{self, Deserializer, Visitor};
    use serde::{Deserialize, Serialize, Serializer};

    impl Serialize for SessionId {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self)
        }
    }

    struct HexVisitor;

    impl Visitor<'_> for HexVisitor {
        type Value = SessionId;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a Session ID as 66 hex characters")
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            SessionId::parse_hex(s).map_err(E::custom)
        }
    }

    impl<'de> Deserialize<'de> for SessionId {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_str(HexVisitor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PUFFIN_ID: &str = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69";

    const ALL: [IdPrefix; 6] = [
        IdPrefix::Unblinded,
        IdPrefix::Group,
        IdPrefix::Standard,
        IdPrefix::VersionBlinded,
        IdPrefix::Blinded15,
        IdPrefix::Blinded25,
    ];

    #[test]
    fn prefix_bytes() {
        for prefix in ALL {
            assert_eq!(IdPrefix::from_byte(prefix.byte()), Some(prefix));
            assert_eq!(u8::from(prefix), prefix.byte());
        }
        assert_eq!(IdPrefix::Standard.byte(), 0x05);
        assert_eq!(IdPrefix::Blinded25.byte(), 0x25);
        let known = (0..=u8::MAX).filter(|&b| IdPrefix::from_byte(b).is_some());
        assert_eq!(known.count(), ALL.len());
    }

    #[test]
    fn parses_a_known_id() {
        let id = SessionId::parse_hex(PUFFIN_ID).unwrap();
        assert_eq!(id.prefix(), IdPrefix::Standard);
        assert_eq!(id.key_bytes()[..3], [0x48, 0x30, 0x36]);
        assert_eq!(id.to_string(), PUFFIN_ID);
        assert_eq!(format!("{id:?}"), format!("SessionId({PUFFIN_ID})"));
        assert_eq!(id, PUFFIN_ID.parse().unwrap());
        assert_eq!(id, SessionId::try_from(PUFFIN_ID).unwrap());
        let bytes: [u8; 33] = id.into();
        assert_eq!(bytes[0], 0x05);
        assert_eq!(SessionId::try_from(&bytes[..]).unwrap(), id);
    }

    #[test]
    fn upper_case_is_normalised() {
        let id = SessionId::parse_hex(&PUFFIN_ID.to_uppercase()).unwrap();
        assert_eq!(id.to_string(), PUFFIN_ID);
    }

    #[test]
    fn wrong_length() {
        assert_eq!(
            SessionId::parse_hex(&PUFFIN_ID[..64]).unwrap_err(),
            SessionIdError::WrongLength {
                expected: 66,
                found: 64
            }
        );
        assert_eq!(
            SessionId::parse_hex(&format!(" {PUFFIN_ID}")).unwrap_err(),
            SessionIdError::WrongLength {
                expected: 66,
                found: 67
            }
        );
        assert_eq!(
            SessionId::parse_hex("").unwrap_err(),
            SessionIdError::WrongLength {
                expected: 66,
                found: 0
            }
        );
        // Counted in characters, not bytes.
        let accented = format!("é{}", &PUFFIN_ID[2..]);
        assert_eq!(
            SessionId::parse_hex(&accented).unwrap_err(),
            SessionIdError::WrongLength {
                expected: 66,
                found: 65
            }
        );
        assert_eq!(
            SessionId::from_bytes(&[5; 32]).unwrap_err(),
            SessionIdError::WrongLength {
                expected: 33,
                found: 32
            }
        );
        assert_eq!(
            SessionId::from_bytes(&[]).unwrap_err(),
            SessionIdError::WrongLength {
                expected: 33,
                found: 0
            }
        );
    }

    #[test]
    fn invalid_hex() {
        for bad in [
            format!(" {}", &PUFFIN_ID[1..]),
            format!("{} ", &PUFFIN_ID[..65]),
            format!("05 {}", &PUFFIN_ID[3..]),
            format!("0g{}", &PUFFIN_ID[2..]),
            format!("é{}", &PUFFIN_ID[1..]),
        ] {
            assert_eq!(
                SessionId::parse_hex(&bad).unwrap_err(),
                SessionIdError::InvalidHex,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn unknown_prefix() {
        let text = format!("06{}", &PUFFIN_ID[2..]);
        assert_eq!(
            SessionId::parse_hex(&text).unwrap_err(),
            SessionIdError::UnknownPrefix(0x06)
        );
        let mut bytes = [0u8; 33];
        bytes[0] = 0xff;
        assert_eq!(
            SessionId::from_bytes(&bytes).unwrap_err(),
            SessionIdError::UnknownPrefix(0xff)
        );
        assert_eq!(
            SessionIdError::UnknownPrefix(0x06).to_string(),
            "unknown Session ID prefix 06"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trip() {
        let id = SessionId::parse_hex(PUFFIN_ID).unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{PUFFIN_ID}\""));
        assert_eq!(serde_json::from_str::<SessionId>(&json).unwrap(), id);

        let upper = format!("\"{}\"", PUFFIN_ID.to_uppercase());
        assert_eq!(serde_json::from_str::<SessionId>(&upper).unwrap(), id);

        let ids = vec![id, SessionId::new(IdPrefix::Blinded15, [7; 32])];
        let json = serde_json::to_string(&ids).unwrap();
        assert_eq!(serde_json::from_str::<Vec<SessionId>>(&json).unwrap(), ids);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_errors_name_the_problem() {
        let err = serde_json::from_str::<SessionId>(&format!("\"06{}\"", &PUFFIN_ID[2..]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&SessionIdError::UnknownPrefix(0x06).to_string()),
            "{err}"
        );
        let err = serde_json::from_str::<SessionId>("\"05\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("66"), "{err}");
        assert!(serde_json::from_str::<SessionId>("5").is_err());
    }

    proptest! {
        #[test]
        fn hex_round_trip(prefix in prop::sample::select(&ALL[..]), key in any::<[u8; 32]>()) {
            let id = SessionId::new(prefix, key);
            let text = id.to_string();
            prop_assert_eq!(text.len(), 66);
            prop_assert!(text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
            prop_assert_eq!(SessionId::parse_hex(&text), Ok(id));
            prop_assert_eq!(SessionId::parse_hex(&text.to_uppercase()), Ok(id));
            prop_assert_eq!(SessionId::from_bytes(&id.to_bytes()), Ok(id));
            prop_assert_eq!(id.prefix(), prefix);
            prop_assert_eq!(id.key_bytes(), &key);
        }
    }
}
