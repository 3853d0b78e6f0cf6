//! Member swarm access (libsession-util.md §12.5): the admin hands each member 100 bytes of
//! authentication data with which the member signs storage requests as a subaccount of the
//! group's `03` account.
//!
//! - `k = BLAKE2b-64(key = BLAKE2b-32(key = "SessionGroupSubaccountMask", seed),
//!   0x05 || X || 0x03 || group_pk) mod L`, `T = |Ed(X)|` (sign bit cleared), `kT = k·T`;
//! - token `= 0x03 || flags || 0 || 0 || kT` (what the server sees, what revocation names);
//! - auth data `= 0x03 || flags || 0 || 0 || k || Ed25519_group(token)`;
//! - member signature: `t = ±a` (negated when the member's Ed25519 key is negative),
//!   `r = BLAKE2b-64(key = "SubaccountSig", BLAKE2b-32(key = "SubaccountSeed", seed) || kT ||
//!   M) mod L`, then Ed25519 with secret `k·t` and public `kT`.
//!
//! The scalar `k` read from auth data has its top bit cleared before use, as libsodium's
//! `crypto_scalarmult_ed25519_noclamp` does.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::traits::IsIdentity;
use session_crypto::{blake2b, ed25519, xed25519};
use session_identity::{IdPrefix, Keypair, SessionId};
use subtle::{Choice, ConditionallyNegatable};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::constants::{
    SUBACCOUNT_MASK_HASH_KEY, SUBACCOUNT_SEED_HASH_KEY, SUBACCOUNT_SIG_HASH_KEY,
};
use crate::error::SubaccountError;
use crate::secret::seed_hash;

/// The network prefix of group accounts.
const GROUP_PREFIX: u8 = 0x03;

/// The permission bits of a subaccount token (oxen-storage-server's flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SubaccountFlags(pub u8);

impl SubaccountFlags {
    /// May retrieve (always set: a token without it is useless).
    pub const READ: Self = Self(0x01);
    /// May store and extend expiries.
    pub const WRITE: Self = Self(0x02);
    /// May delete and shorten expiries.
    pub const DELETE: Self = Self(0x04);
    /// Valid whatever the account's prefix.
    pub const ANY_PREFIX: Self = Self(0x08);
    /// libsession's default for members: read and write.
    pub const MEMBER: Self = Self(0x03);

    /// libsession's `subacc_flags(write, del)`: read, plus write and delete as asked.
    pub const fn new(write: bool, delete: bool) -> Self {
        Self(0x01 | if write { 0x02 } else { 0 } | if delete { 0x04 } else { 0 })
    }

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for SubaccountFlags {
    type Output = Self;

    fn bitor(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

/// A 36-byte subaccount token `prefix || flags || 0 || 0 || kT`: public, sent with every
/// request and listed by revocations.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubaccountToken(pub [u8; 36]);

impl SubaccountToken {
    /// The flags.
    pub const fn flags(&self) -> SubaccountFlags {
        SubaccountFlags(self.0[1])
    }

    /// The blinded key `kT` that signs the member's requests.
    pub fn signing_key(&self) -> [u8; 32] {
        let mut key = [0u8; 32];
        key.copy_from_slice(&self.0[4..]);
        key
    }
}

impl core::fmt::Debug for SubaccountToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SubaccountToken({})", hex::encode(self.0))
    }
}

/// The 100 bytes an admin gives a member (`GroupUpdateInviteMessage.memberAuthData`,
/// UserGroups `s`). The blinding factor inside is sensitive, so it is wiped on drop and
/// redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct AuthData([u8; 100]);

impl AuthData {
    /// Reads auth data from its 100 bytes.
    ///
    /// # Errors
    ///
    /// [`SubaccountError::AuthDataLength`] for any other length.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, SubaccountError> {
        let bytes: [u8; 100] = bytes
            .try_into()
            .map_err(|_| SubaccountError::AuthDataLength(bytes.len()))?;
        Ok(Self(bytes))
    }

    /// The 100 bytes.
    pub const fn as_bytes(&self) -> &[u8; 100] {
        &self.0
    }

    /// The flags granted.
    pub const fn flags(&self) -> SubaccountFlags {
        SubaccountFlags(self.0[1])
    }

    fn header(&self) -> [u8; 4] {
        [self.0[0], self.0[1], self.0[2], self.0[3]]
    }

    /// `k`, top bit cleared (see the module notes), reduced.
    fn blinding(&self) -> Zeroizing<Scalar> {
        let mut k = Zeroizing::new([0u8; 32]);
        k.copy_from_slice(&self.0[4..36]);
        k[31] &= 0x7f;
        Zeroizing::new(Scalar::from_bytes_mod_order(*k))
    }

    fn group_signature(&self) -> [u8; 64] {
        let mut sig = [0u8; 64];
        sig.copy_from_slice(&self.0[36..]);
        sig
    }
}

impl core::fmt::Debug for AuthData {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AuthData(flags {:#04x}, <redacted>)", self.0[1])
    }
}

/// The three authentication parameters of a member's storage request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubaccountSignature {
    /// `subaccount`: the token.
    pub subaccount: SubaccountToken,
    /// `subaccount_sig`: the group's signature over the token.
    pub subaccount_sig: [u8; 64],
    /// `signature`: the member's signature over the request.
    pub signature: [u8; 64],
}

impl SubaccountSignature {
    /// The parameters base64-encoded, as the storage RPC takes them (`subaccount`,
    /// `subaccount_sig`, `signature`).
    pub fn to_base64(&self) -> [String; 3] {
        [
            STANDARD.encode(self.subaccount.0),
            STANDARD.encode(self.subaccount_sig),
            STANDARD.encode(self.signature),
        ]
    }
}

/// The member's X25519 key, which must come from a `05` ID.
fn member_x25519(member: &SessionId) -> Result<&[u8; 32], SubaccountError> {
    match member.prefix() {
        IdPrefix::Standard => Ok(member.key_bytes()),
        other => Err(SubaccountError::MemberPrefix(other)),
    }
}

/// The blinding factor `k` of `member` in the group of `group`.
fn blinding_factor(group: &Keypair, member_x25519: &[u8; 32]) -> Zeroizing<Scalar> {
    let mask = seed_hash(SUBACCOUNT_MASK_HASH_KEY, &group.ed25519_seed());
    let wide = Zeroizing::new(blake2b::hash_keyed::<64, 32>(
        &mask,
        &[
            &[0x05],
            member_x25519,
            &[GROUP_PREFIX],
            group.ed25519_public(),
        ],
    ));
    Zeroizing::new(Scalar::from_bytes_mod_order_wide(&wide))
}

/// `k·P` for a point given as bytes, refused (as libsodium does) when `P` is not a point, is
/// of small order, or the product is the identity.
fn blind(k: &Scalar, point: &[u8; 32]) -> Result<[u8; 32], SubaccountError> {
    let p = CompressedEdwardsY(*point)
        .decompress()
        .ok_or(SubaccountError::InvalidKey)?;
    if p.is_small_order() {
        return Err(SubaccountError::InvalidKey);
    }
    let product: EdwardsPoint = p * k;
    if product.is_identity() {
        return Err(SubaccountError::InvalidKey);
    }
    Ok(product.compress().to_bytes())
}

/// `prefix || flags || 0 || 0 || kT` for `member`.
fn token_for(
    group: &Keypair,
    member: &SessionId,
    flags: SubaccountFlags,
) -> Result<(Zeroizing<Scalar>, SubaccountToken), SubaccountError> {
    let x = member_x25519(member)?;
    let k = blinding_factor(group, x);
    let t = xed25519::public_key(x).map_err(|_| SubaccountError::InvalidKey)?;
    let kt = blind(&k, &t)?;
    let mut token = [0u8; 36];
    token[0] = GROUP_PREFIX;
    token[1] = (flags | SubaccountFlags::READ).0;
    token[4..].copy_from_slice(&kt);
    Ok((k, SubaccountToken(token)))
}

/// The auth data for `member` (admin only: needs the group key pair). `flags` always gains
/// [`SubaccountFlags::READ`].
///
/// # Errors
///
/// [`SubaccountError::MemberPrefix`] for a non-`05` member; [`SubaccountError::InvalidKey`]
/// for a member key the blinding cannot use.
pub fn make_auth_data(
    group: &Keypair,
    member: &SessionId,
    flags: SubaccountFlags,
) -> Result<AuthData, SubaccountError> {
    let (k, token) = token_for(group, member, flags)?;
    let signature = group.sign(&token.0);
    let mut out = [0u8; 100];
    out[..4].copy_from_slice(&token.0[..4]);
    out[4..36].copy_from_slice(k.as_bytes());
    out[36..].copy_from_slice(&signature);
    let data = AuthData(out);
    out.zeroize();
    Ok(data)
}

/// The token of `member` (admin only), as revocations list it.
///
/// # Errors
///
/// As [`make_auth_data`].
pub fn make_token(
    group: &Keypair,
    member: &SessionId,
    flags: SubaccountFlags,
) -> Result<SubaccountToken, SubaccountError> {
    Ok(token_for(group, member, flags)?.1)
}

/// Signs `message` (a storage request's signed string) as `member` with its auth data.
///
/// # Errors
///
/// [`SubaccountError::InvalidKey`] if the blinded key cannot be formed.
pub fn sign(
    member: &Keypair,
    auth: &AuthData,
    message: &[u8],
) -> Result<SubaccountSignature, SubaccountError> {
    let k = auth.blinding();
    let mut big_t = *member.ed25519_public();
    let negative = Choice::from(big_t[31] >> 7);
    big_t[31] &= 0x7f;
    let kt_point = blind(&k, &big_t)?;

    let mut t = Zeroizing::new(Scalar::from_bytes_mod_order(
        *member.x25519_secret().expose_secret(),
    ));
    t.conditional_negate(negative);
    let secret = Zeroizing::new(*k * *t);

    let seed = member.ed25519_seed();
    let hseed = Zeroizing::new(blake2b::hash_keyed::<32, 14>(
        SUBACCOUNT_SEED_HASH_KEY,
        &[seed.expose_secret()],
    ));
    let wide = Zeroizing::new(blake2b::hash_keyed::<64, 13>(
        SUBACCOUNT_SIG_HASH_KEY,
        &[hseed.as_slice(), &kt_point, message],
    ));
    let r = Zeroizing::new(Scalar::from_bytes_mod_order_wide(&wide));
    let signature = ed25519::sign_with_nonce(&secret, &kt_point, &r, message);

    let mut token = [0u8; 36];
    token[..4].copy_from_slice(&auth.header());
    token[4..].copy_from_slice(&kt_point);
    Ok(SubaccountSignature {
        subaccount: SubaccountToken(token),
        subaccount_sig: auth.group_signature(),
        signature,
    })
}

/// Checks that `auth` is valid for `member` in `group` and grants `required` (read is always
/// required): libsession's `swarm_verify_subaccount`.
///
/// # Errors
///
/// The first failed check, in libsession's order: group prefix, token prefix, flags, then
/// the group signature.
pub fn verify(
    group: &SessionId,
    member: &Keypair,
    auth: &AuthData,
    required: SubaccountFlags,
) -> Result<(), SubaccountError> {
    if group.prefix() != IdPrefix::Group {
        return Err(SubaccountError::GroupPrefix(group.prefix()));
    }
    let header = auth.header();
    let flags = SubaccountFlags(header[1]);
    if header[0] != GROUP_PREFIX && !flags.contains(SubaccountFlags::ANY_PREFIX) {
        return Err(SubaccountError::WrongPrefix(header[0]));
    }
    let required = required | SubaccountFlags::READ;
    let missing = required.0 & !flags.0 & 0x07;
    if missing != 0 {
        return Err(SubaccountError::MissingFlags { missing });
    }
    let mut big_t = *member.ed25519_public();
    big_t[31] &= 0x7f;
    let kt = blind(&auth.blinding(), &big_t)?;
    let mut signed = [0u8; 36];
    signed[..4].copy_from_slice(&header);
    signed[4..].copy_from_slice(&kt);
    ed25519::verify(&auth.group_signature(), group.key_bytes(), &signed)
        .map_err(|_| SubaccountError::BadSignature)
}
