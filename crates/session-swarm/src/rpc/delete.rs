//! `delete`: remove messages by hash from an account's swarm.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::rpc::auth::Signer;
use crate::rpc::call::Call;
use crate::rpc::json;
use crate::rpc::member::{Members, Signed, parse_members};
use crate::rpc::meta::Meta;
use crate::rpc::request::Request;
use crate::rpc::signed;

/// A `delete` request. Its signature has no timestamp (the server checks none), so it
/// takes no clock.
#[derive(Clone, Debug)]
pub struct Delete {
    request: Request,
    account_hex: String,
    hashes: Vec<String>,
}

impl Delete {
    /// Deletes the messages `hashes` of `signer`'s account.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty list.
    pub fn new<S: AsRef<str>>(signer: &Signer, hashes: &[S]) -> Result<Self> {
        if hashes.is_empty() {
            return Err(Error::InvalidRequest(
                "delete needs message hashes".to_owned(),
            ));
        }
        let hashes: Vec<String> = hashes.iter().map(|h| h.as_ref().to_owned()).collect();
        let mut params = Map::new();
        params.insert("messages".to_owned(), hashes.clone().into());
        signer.authenticate(&mut params, &signed::delete(&hashes));
        Ok(Self {
            request: Request::new("delete", params),
            account_hex: signer.account().to_hex(),
            hashes,
        })
    }

    /// Asks for a 404 if no member deleted anything (`required`).
    #[must_use]
    pub fn required(mut self) -> Self {
        let mut params = self.request.params().clone();
        params.insert("required".to_owned(), true.into());
        self.request = Request::new("delete", params);
        self
    }
}

/// The answer to `delete`: each member's deleted hashes (sorted, as it signed them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteResult {
    /// Per member, the hashes it deleted.
    pub members: Members<Vec<String>>,
    /// The entry node's clock and hard fork.
    pub meta: Meta,
}

impl Call for Delete {
    type Output = DeleteResult;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<DeleteResult> {
        let members = parse_members(body, |entry| self.entry(entry))?;
        Ok(DeleteResult {
            members,
            meta: Meta::from_body(body),
        })
    }
}

impl Delete {
    /// A member's `{deleted, signature}`, signed over
    /// `PUBKEY_HEX ‖ requested hashes… ‖ deleted hashes…`.
    fn entry(&self, map: &Map<String, Value>) -> Result<Signed<Vec<String>>> {
        let deleted = json::strings(map, "deleted")?;
        let mut message = self.account_hex.clone();
        self.hashes.iter().for_each(|hash| message.push_str(hash));
        deleted.iter().for_each(|hash| message.push_str(hash));
        Ok((deleted, message.into_bytes()))
    }
}
