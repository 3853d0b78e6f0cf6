//! `get_swarm`: which nodes hold an account (any node answers, for any account).

use serde_json::{Map, Value};

use crate::error::Result;
use crate::rpc::account::Account;
use crate::rpc::call::Call;
use crate::rpc::request::Request;
use crate::rpc::snode::SwarmResult;

/// A `get_swarm` request (unsigned, no clock).
#[derive(Clone, Debug)]
pub struct GetSwarm {
    request: Request,
}

impl GetSwarm {
    /// The swarm of `account`.
    pub fn new(account: &Account) -> Self {
        let mut params = Map::new();
        params.insert("pubkey".to_owned(), account.to_hex().into());
        Self {
            request: Request::new("get_swarm", params),
        }
    }
}

impl Call for GetSwarm {
    type Output = SwarmResult;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<SwarmResult> {
        SwarmResult::from_body(body)
    }
}
