//! `POST /batch` and `POST /sequence`: a JSON list of sub-requests run under the outer
//! request's user, answered as a list of `{"code", "headers", "body"}`. A batch runs every
//! sub-request; a sequence stops after the first that fails.

use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::auth::decode_base64;
use super::json::to_flask_json;
use super::reply::{JSON, Reply};
use super::request::SogsRequest;
use super::views::b64;

/// One sub-request from its JSON form, or `None` if it is malformed (pysogs'
/// `parse_batch_request`).
fn sub_request(value: &Value) -> Option<SogsRequest> {
    let object = value.as_object()?;
    let method = object.get("method")?.as_str()?;
    if !matches!(method, "GET" | "POST" | "PUT" | "DELETE") {
        return None;
    }
    let path = object.get("path")?.as_str()?;
    if !path.starts_with('/') {
        return None;
    }
    let mut headers: Vec<(String, String)> = match object.get("headers") {
        None => Vec::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(name, value)| value.as_str().map(|value| (name.clone(), value.to_owned())))
            .collect::<Option<_>>()?,
        Some(_) => return None,
    };
    let bodies = ["json", "b64", "bytes"]
        .iter()
        .filter(|key| object.contains_key(**key))
        .count();
    let has_type = headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    let body = match method {
        "GET" | "DELETE" => {
            if bodies != 0 {
                return None;
            }
            Bytes::new()
        }
        _ => {
            if bodies != 1 {
                return None;
            }
            // As pysogs' `make_subrequest`: a given Content-Type wins, else JSON for
            // `json` and octet-stream for bytes.
            // pysogs only logs bad base64 (and a `null` json): the body is then empty and,
            // without a Content-Type header, so is the content type.
            let (body, default_type) = if let Some(value) = object.get("json") {
                if value.is_null() {
                    (None, "")
                } else {
                    (Some(to_flask_json(value)), JSON)
                }
            } else if let Some(encoded) = object.get("b64") {
                match encoded.as_str().and_then(decode_base64) {
                    Some(bytes) => (Some(bytes), "application/octet-stream"),
                    None => (None, ""),
                }
            } else {
                let bytes = object.get("bytes")?.as_str()?.as_bytes().to_vec();
                (Some(bytes), "application/octet-stream")
            };
            if !has_type && !default_type.is_empty() {
                headers.push(("Content-Type".into(), default_type.into()));
            }
            Bytes::from(body.unwrap_or_default())
        }
    };
    Some(SogsRequest::new(method, path, headers, body))
}

/// One sub-response as the batch lists it.
fn sub_response(reply: &Reply) -> Value {
    let body = if reply.status == 304 {
        json!("")
    } else if reply.content_type() == Some(JSON) {
        serde_json::from_slice(&reply.body).unwrap_or_else(|_| json!(b64(&reply.body)))
    } else {
        json!(b64(&reply.body))
    };
    let headers: Map<String, Value> = reply
        .lower_headers()
        .into_iter()
        .map(|(name, value)| (name, json!(value)))
        .collect();
    json!({"code": reply.status, "headers": headers, "body": body})
}

/// Runs the batch (or, with `sequence`, the sequence) in `request` through `handle`.
pub(crate) fn run(
    request: &SogsRequest,
    sequence: bool,
    mut handle: impl FnMut(&SogsRequest) -> Reply,
) -> Reply {
    if request.method != "POST" {
        return Reply::error_page(405);
    }
    let list = match request.json() {
        Ok(Value::Array(list)) => list,
        Ok(_) => return Reply::error_page(400),
        Err(reply) => return reply,
    };
    let Some(subs) = list.iter().map(sub_request).collect::<Option<Vec<_>>>() else {
        return Reply::error_page(400);
    };
    let mut results = Vec::with_capacity(subs.len());
    for sub in &subs {
        let reply = handle(sub);
        results.push(sub_response(&reply));
        if sequence && !reply.is_success() {
            break;
        }
    }
    Reply::ok(&Value::Array(results))
}
