//! `batch` and `sequence`: up to 20 subrequests in one round trip.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::rpc::call::Call;
use crate::rpc::json::{self, malformed};
use crate::rpc::meta::Meta;
use crate::rpc::reply::Reply;
use crate::rpc::request::Request;

/// The most subrequests a batch may hold.
pub const MAX_SUBREQUESTS: usize = 20;

/// A `batch` (every subrequest runs) or `sequence` (stops after the first non-2xx).
#[derive(Clone, Debug)]
pub struct Batch {
    request: Request,
    count: usize,
}

impl Batch {
    /// A `batch` of `requests`, run independently.
    ///
    /// # Errors
    ///
    /// [`Error::BatchSize`] unless 1..=20 requests; [`Error::InvalidRequest`] if one is
    /// itself a batch or sequence.
    #[allow(
        clippy::self_named_constructors,
        reason = "the server's method name, beside `sequence`"
    )]
    pub fn batch(requests: Vec<Request>) -> Result<Self> {
        Self::build("batch", requests)
    }

    /// A `sequence` of `requests`: run in order, stopping after the first failure.
    ///
    /// # Errors
    ///
    /// As [`Batch::batch`].
    pub fn sequence(requests: Vec<Request>) -> Result<Self> {
        Self::build("sequence", requests)
    }

    /// The request, checked as the server checks it.
    fn build(method: &'static str, requests: Vec<Request>) -> Result<Self> {
        let count = requests.len();
        if !(1..=MAX_SUBREQUESTS).contains(&count) {
            return Err(Error::BatchSize { count });
        }
        if requests.iter().any(Request::is_meta) {
            return Err(Error::InvalidRequest(
                "batch and sequence cannot be nested".to_owned(),
            ));
        }
        let mut params = Map::new();
        params.insert(
            "requests".to_owned(),
            Value::Array(requests.iter().map(Request::to_json).collect()),
        );
        Ok(Self {
            request: Request::new(method, params),
            count,
        })
    }
}

/// One subrequest's `{code, body}`.
#[derive(Clone, Debug, PartialEq)]
pub struct SubResult {
    /// Its status.
    pub code: u16,
    /// Its body: JSON on success, usually a string on failure.
    pub body: Value,
}

impl SubResult {
    /// Classified like a top-level response; parse a success with the subrequest's
    /// [`Call::parse_reply`].
    pub fn reply(&self) -> Reply {
        Reply::from_value(self.code, self.body.clone())
    }
}

/// The answer to a batch or sequence: one result per subrequest that ran, in order (a
/// sequence may have fewer than it sent).
#[derive(Clone, Debug, PartialEq)]
pub struct BatchResult {
    /// The subresults.
    pub results: Vec<SubResult>,
    /// The node's clock and hard fork, if given at the top level.
    pub meta: Meta,
}

impl Call for Batch {
    type Output = BatchResult;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<BatchResult> {
        let map = json::object(body, "batch response")?;
        let entries = json::field(map, "results")?
            .as_array()
            .ok_or_else(|| malformed("`results` is not an array"))?;
        if entries.len() > self.count {
            return Err(malformed("more results than subrequests"));
        }
        let results = entries
            .iter()
            .map(|entry| {
                let entry = json::object(entry, "batch result")?;
                let code = u16::try_from(json::u64_field(entry, "code")?)
                    .map_err(|_| malformed("`code` is not a status"))?;
                let body = entry.get("body").cloned().unwrap_or(Value::Null);
                Ok(SubResult { code, body })
            })
            .collect::<Result<Vec<_>>>()?;
        // A batch's meta lives in the subresults; fall back to the first one's `t`.
        let mut meta = Meta::from_body(body);
        if meta.t.is_none() {
            meta = results
                .iter()
                .map(|result| Meta::from_body(&result.body))
                .find(|sub| sub.t.is_some())
                .unwrap_or_default();
        }
        Ok(BatchResult { results, meta })
    }
}
