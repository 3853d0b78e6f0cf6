//! `revoke_subaccount` and `unrevoke_subaccount`: withdraw (or restore) a subaccount token.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::rpc::auth::Signer;
use crate::rpc::call::Call;
use crate::rpc::member::{Members, Signed, parse_members};
use crate::rpc::meta::Meta;
use crate::rpc::request::Request;
use crate::rpc::signed;
use crate::rpc::subaccount_token::SubaccountToken;

/// The most tokens one `revoke_subaccount` may carry.
pub const MAX_REVOKE_TOKENS: usize = 50;

/// A `revoke_subaccount` or `unrevoke_subaccount` request.
#[derive(Clone, Debug)]
pub struct Revocation {
    request: Request,
    /// What members sign: `PUBKEY_HEX ‖ timestamp ‖ raw tokens…`.
    member_signed: Vec<u8>,
}

impl Revocation {
    /// Revokes `tokens` (at most 50), signed by the account owner at `now_ms`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a subaccount signer, no tokens or more than 50.
    pub fn revoke(signer: &Signer, tokens: &[SubaccountToken], now_ms: u64) -> Result<Self> {
        if tokens.len() > MAX_REVOKE_TOKENS {
            return Err(Error::InvalidRequest(format!(
                "at most {MAX_REVOKE_TOKENS} tokens per revoke"
            )));
        }
        let message = signed::revoke_subaccount(now_ms, tokens);
        Self::build(
            signer,
            "revoke_subaccount",
            "revoke",
            tokens,
            now_ms,
            &message,
        )
    }

    /// Restores `tokens`, signed by the account owner at `now_ms`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a subaccount signer or no tokens.
    pub fn unrevoke(signer: &Signer, tokens: &[SubaccountToken], now_ms: u64) -> Result<Self> {
        let message = signed::unrevoke_subaccount(now_ms, tokens);
        Self::build(
            signer,
            "unrevoke_subaccount",
            "unrevoke",
            tokens,
            now_ms,
            &message,
        )
    }

    /// The request; tokens travel as base64.
    fn build(
        signer: &Signer,
        method: &'static str,
        field: &str,
        tokens: &[SubaccountToken],
        now_ms: u64,
        message: &[u8],
    ) -> Result<Self> {
        if signer.is_subaccount() {
            return Err(Error::InvalidRequest(format!(
                "{method} must be signed by the account owner"
            )));
        }
        if tokens.is_empty() {
            return Err(Error::InvalidRequest(format!("{method} needs tokens")));
        }
        let mut params = Map::new();
        let encoded: Vec<Value> = tokens
            .iter()
            .map(|token| STANDARD.encode(token.as_bytes()).into())
            .collect();
        params.insert(field.to_owned(), Value::Array(encoded));
        params.insert("timestamp".to_owned(), now_ms.into());
        signer.authenticate(&mut params, message);
        let mut member_signed = format!("{}{now_ms}", signer.account().to_hex()).into_bytes();
        tokens
            .iter()
            .for_each(|token| member_signed.extend_from_slice(token.as_bytes()));
        Ok(Self {
            request: Request::new(method, params),
            member_signed,
        })
    }
}

/// The answer: which members confirmed (their signatures verified).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevocationResult {
    /// Per member, a confirmation.
    pub members: Members<()>,
    /// The entry node's clock and hard fork.
    pub meta: Meta,
}

impl Call for Revocation {
    type Output = RevocationResult;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<RevocationResult> {
        let members = parse_members(body, |_| -> Result<Signed<()>> {
            Ok(((), self.member_signed.clone()))
        })?;
        Ok(RevocationResult {
            members,
            meta: Meta::from_body(body),
        })
    }
}
