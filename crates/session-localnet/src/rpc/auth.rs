//! Who a request acts for and how it proves it (`storage-server.md` §3 and §5): the account,
//! the optional `pubkey_ed25519` of a `05` account, the request signature and an optional
//! subaccount token, parsed with the server's texts and verified in the server's order.

use serde_json::{Map, Value};

use super::encoding;
use super::params::{self, ParseError, Parsed};
use super::subaccount::{self, Access, SignedToken};
use crate::account::AccountId;
use crate::storage::{Storage, StorageError};

/// The prefix of Session IDs, whose key is X25519.
const SESSION_ID_PREFIX: u8 = 0x05;

/// A parsed (not yet verified) proof of authority over an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    /// The Ed25519 key of a `05` account, which must convert to its X25519 key.
    pub(crate) pubkey_ed25519: Option<[u8; 32]>,
    /// The request signature.
    pub(crate) signature: [u8; 64],
    /// A subaccount acting for the owner.
    pub(crate) subaccount: Option<SignedToken>,
}

/// The account named by `pubkey` text: 66 hex digits, or 33 raw bytes.
pub(crate) fn account_from_text(text: &str) -> Option<AccountId> {
    if text.len() == 66 && encoding::is_hex(text) {
        AccountId::from_hex(text)
    } else {
        let bytes: [u8; 33] = text.as_bytes().try_into().ok()?;
        Some(AccountId::from_bytes(bytes))
    }
}

/// The account of a request, `Pubkey must be 66 hex digits (33 bytes) long` otherwise.
pub(crate) fn load_account(pubkey: Option<&str>) -> Parsed<AccountId> {
    let text = params::require("pubkey", pubkey)?;
    account_from_text(text)
        .ok_or_else(|| ParseError::new("Pubkey must be 66 hex digits (33 bytes) long"))
}

/// Decodes a JSON signature: 86 base64 characters, or 88 ending in `==`.
fn signature_from_text(text: &str) -> Option<[u8; 64]> {
    let shaped = text.len() == 86 || (text.len() == 88 && text.ends_with("=="));
    if !shaped || !encoding::is_base64(text) {
        return None;
    }
    encoding::decode_base64_array(text)
}

/// The account and its signature fields (`load_pk_signature`): the signature is required.
pub(crate) fn load_signed(
    pubkey: Option<&str>,
    pubkey_ed25519: Option<&str>,
    signature: Option<&str>,
) -> Parsed<(AccountId, Credentials)> {
    let account = load_account(pubkey)?;
    let signature = params::require("signature", signature)?;
    let pubkey_ed25519 = match pubkey_ed25519 {
        None => None,
        Some(_) if account.prefix() != SESSION_ID_PREFIX => {
            return Err(ParseError::new(
                "pubkey_ed25519 is only permitted for 05[...] pubkeys",
            ));
        }
        Some(text) if text.len() == 64 => Some(
            encoding::decode_hex_array(text)
                .ok_or_else(|| ParseError::new("invalid pubkey_ed25519: value is not hex"))?,
        ),
        Some(text) => Some(text.as_bytes().try_into().map_err(|_| {
            ParseError::new("Invalid pubkey_ed25519: expected 64 hex char or 32 byte pubkey")
        })?),
    };
    let signature = signature_from_text(signature).ok_or_else(|| {
        ParseError::new("invalid signature: expected base64 encoded Ed25519 signature")
    })?;
    Ok((
        account,
        Credentials {
            pubkey_ed25519,
            signature,
            subaccount: None,
        },
    ))
}

/// The subaccount fields, if a non-empty `subaccount` is given.
pub(crate) fn load_subaccount(
    subaccount: Option<&str>,
    subaccount_sig: Option<&str>,
) -> Parsed<Option<SignedToken>> {
    let Some(token) = subaccount.filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    let Some(signature) = subaccount_sig else {
        return Err(ParseError::new(
            "invalid subaccount: subaccount_sig is required when using subaccount",
        ));
    };
    let token = subaccount::parse_token_text(token).ok_or_else(|| {
        ParseError::new("invalid subaccount: expected base64 or hex-encoded subaccount token")
    })?;
    let signature = signature_from_text(signature).ok_or_else(|| {
        ParseError::new("invalid subaccount signature: expected base64 encoded Ed25519 signature")
    })?;
    Ok(Some(SignedToken { token, signature }))
}

/// The usual auth fields of a swarm-bound request, read by each method in the alphabetical
/// order the server reads all its fields in (so the first type error is the same).
#[derive(Debug, Clone, Copy)]
pub(crate) struct AuthFields<'a> {
    /// `pubkey`.
    pub(crate) pubkey: Option<&'a str>,
    /// `pubkey_ed25519`.
    pub(crate) pubkey_ed25519: Option<&'a str>,
    /// `signature`.
    pub(crate) signature: Option<&'a str>,
    /// `subaccount`.
    pub(crate) subaccount: Option<&'a str>,
    /// `subaccount_sig`.
    pub(crate) subaccount_sig: Option<&'a str>,
}

impl<'a> AuthFields<'a> {
    /// Reads the five fields in their alphabetical order.
    pub(crate) fn read(params: &'a Map<String, Value>) -> Parsed<Self> {
        Self::read_with(params, |_| Ok(())).map(|(fields, ())| fields)
    }

    /// Reads the five fields and, in its alphabetical place between `pubkey_ed25519` and
    /// `signature`, the method's own field that `between` reads (`required`, `shorten`,
    /// `sig_timestamp`), so that the first type error is still the server's.
    pub(crate) fn read_with<T>(
        params: &'a Map<String, Value>,
        between: impl FnOnce(&'a Map<String, Value>) -> Parsed<T>,
    ) -> Parsed<(Self, T)> {
        let pubkey = params::string(params, "pubkey")?;
        let pubkey_ed25519 = params::string(params, "pubkey_ed25519")?;
        let extra = between(params)?;
        let signature = params::string(params, "signature")?;
        let subaccount = params::string(params, "subaccount")?;
        let subaccount_sig = params::string(params, "subaccount_sig")?;
        let fields = Self {
            pubkey,
            pubkey_ed25519,
            signature,
            subaccount,
            subaccount_sig,
        };
        Ok((fields, extra))
    }

    /// The account and credentials, with the subaccount.
    pub(crate) fn load(&self) -> Parsed<(AccountId, Credentials)> {
        let (account, mut credentials) =
            load_signed(self.pubkey, self.pubkey_ed25519, self.signature)?;
        credentials.subaccount = load_subaccount(self.subaccount, self.subaccount_sig)?;
        Ok((account, credentials))
    }
}

/// Checks `credentials` for `account` over `message` as the server's `verify_signature`:
/// the `05` ed→x conversion, then (for a subaccount) revocation unless `skip_revoke_check`,
/// prefix, flags and owner signature, then the request signature by the acting key.
pub(crate) fn verify(
    storage: &dyn Storage,
    account: &AccountId,
    credentials: &Credentials,
    access: Access,
    skip_revoke_check: bool,
    message: &[u8],
) -> Result<bool, StorageError> {
    let owner_key = match credentials.pubkey_ed25519 {
        Some(ed25519) if account.prefix() == SESSION_ID_PREFIX => {
            match session_crypto::convert::ed25519_pk_to_x25519(&ed25519) {
                Ok(x25519) if x25519 == account.key() => ed25519,
                _ => return Ok(false),
            }
        }
        _ => account.key(),
    };
    let mut signing_key = owner_key;
    if let Some(subaccount) = &credentials.subaccount {
        if !skip_revoke_check && storage.is_revoked(account, &subaccount.token)? {
            return Ok(false);
        }
        if !subaccount.authorises(account.prefix(), access, &owner_key) {
            return Ok(false);
        }
        signing_key = subaccount.subaccount_key();
    }
    Ok(session_crypto::ed25519::verify(&credentials.signature, &signing_key, message).is_ok())
}
