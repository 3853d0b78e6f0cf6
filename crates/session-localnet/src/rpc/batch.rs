//! `batch` and `sequence` (`storage-server.md` §6.14): up to 20 subrequests, all parsed before
//! any runs, answered as `{"results": [{"code", "body"}, …]}`; a sequence stops after the
//! first answer that is not 2xx. Generic over the subrequest type so that this layer does not
//! know the methods.

use serde_json::{Map, Value, json};

use super::join::{BoxedFuture, join_all};
use super::params::{ParseError, Parsed};
use super::reply::{self, ReplyBody, RpcReply};

/// The most subrequests in one batch or sequence.
const BATCH_REQUEST_MAX: usize = 20;

/// How the method table took one subrequest.
#[derive(Debug)]
pub(crate) enum SubParse<S> {
    /// No method of that name.
    UnknownMethod,
    /// The method's own parser rejected the params.
    Rejected(ParseError),
    /// A well-formed batch/sequence/ifelse, which may not nest.
    MetaRequest,
    /// A subrequest ready to run.
    Parsed(S),
}

/// Parses the `requests` list of a batch or sequence with `parse_one`.
pub(crate) fn parse_subrequests<S>(
    params: &Map<String, Value>,
    parse_one: impl Fn(&str, &Map<String, Value>) -> SubParse<S>,
) -> Parsed<Vec<S>> {
    let requests = match params.get("requests") {
        Some(Value::Array(requests)) if !requests.is_empty() => requests,
        _ => {
            return Err(ParseError::new(
                "Invalid batch request: no valid \"requests\" field",
            ));
        }
    };
    if requests.len() > BATCH_REQUEST_MAX {
        return Err(ParseError::new(
            "Invalid batch request: subrequest limit exceeded",
        ));
    }
    let mut parsed = Vec::with_capacity(requests.len());
    for request in requests {
        let Value::Object(request) = request else {
            return Err(ParseError::new(
                "Invalid batch request: requests must be objects",
            ));
        };
        let (Some(Value::String(method)), Some(Value::Object(sub_params))) =
            (request.get("method"), request.get("params"))
        else {
            return Err(ParseError::new(
                "Invalid batch request: subrequests must have method/params keys",
            ));
        };
        match parse_one(method, sub_params) {
            SubParse::UnknownMethod => {
                return Err(ParseError(format!(
                    "Invalid batch subrequest: invalid method \"{method}\""
                )));
            }
            SubParse::Rejected(error) => return Err(error),
            SubParse::MetaRequest => {
                return Err(ParseError::new(
                    "Invalid batch subrequest: subrequests may not contain meta-requests",
                ));
            }
            SubParse::Parsed(sub) => parsed.push(sub),
        }
    }
    Ok(parsed)
}

/// One `{"code", "body"}` result (also `ifelse`'s `result`).
pub(crate) fn result_entry(answer: RpcReply) -> Value {
    let body = match answer.body {
        ReplyBody::Json(value) => value,
        ReplyBody::Text(text) => Value::String(text),
    };
    json!({"code": answer.status, "body": body})
}

/// Runs a batch: every subrequest at once, results in request order.
pub(crate) async fn run_batch(subrequests: Vec<BoxedFuture<'_, RpcReply>>) -> RpcReply {
    let results: Vec<Value> = join_all(subrequests)
        .await
        .into_iter()
        .map(result_entry)
        .collect();
    reply::json(200, json!({"results": results}))
}

/// Runs a sequence: one subrequest after another, stopping after the first failure.
pub(crate) async fn run_sequence<'a, S>(
    subrequests: Vec<S>,
    run_one: impl Fn(S) -> BoxedFuture<'a, RpcReply>,
) -> RpcReply {
    let mut results = Vec::with_capacity(subrequests.len());
    for subrequest in subrequests {
        let answer = run_one(subrequest).await;
        let failed = !answer.is_success();
        results.push(result_entry(answer));
        if failed {
            break;
        }
    }
    reply::json(200, json!({"results": results}))
}
