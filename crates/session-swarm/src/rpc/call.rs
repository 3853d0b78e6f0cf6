//! What every typed request offers: its rendered form and a parser for its answer.

use serde_json::Value;

use crate::error::Result;
use crate::rpc::reply::Reply;
use crate::rpc::request::Request;

/// A typed storage RPC: the rendered [`Request`] and the parser of its response body, which
/// knows what was asked (to verify swarm members' signatures over it).
pub trait Call {
    /// The typed response.
    type Output;

    /// The rendered request.
    fn request(&self) -> &Request;

    /// Parses a successful response body (or a batch subresult's body).
    ///
    /// # Errors
    ///
    /// [`crate::Error::Malformed`] when the body does not have the server's shape.
    fn parse(&self, body: &Value) -> Result<Self::Output>;

    /// Classifies `status` and `body` and parses a success with [`Call::parse`].
    ///
    /// # Errors
    ///
    /// [`crate::Error::Malformed`] for a 2xx body that is not this method's answer.
    fn parse_http(&self, status: u16, body: &[u8]) -> Result<Reply<Self::Output>> {
        Reply::from_http(status, body)?.try_map(|value| self.parse(&value))
    }

    /// Like [`Call::parse_http`], for an already classified reply (a batch subresult).
    ///
    /// # Errors
    ///
    /// As [`Call::parse`].
    fn parse_reply(&self, reply: Reply) -> Result<Reply<Self::Output>> {
        reply.try_map(|value| self.parse(&value))
    }
}
