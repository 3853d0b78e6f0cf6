//! A rendered storage RPC: `{"method": m, "params": {...}}`, ready for any transport.

use serde_json::{Map, Value};

/// One storage RPC, signed and complete. It is the same JSON for `/storage_rpc/v1`, onion
/// requests and batch subrequests.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    method: &'static str,
    params: Map<String, Value>,
}

impl Request {
    /// A request for `method` with `params`.
    pub(crate) const fn new(method: &'static str, params: Map<String, Value>) -> Self {
        Self { method, params }
    }

    /// The method name (`store`, `batch`, ...).
    pub const fn method(&self) -> &'static str {
        self.method
    }

    /// The parameters.
    pub const fn params(&self) -> &Map<String, Value> {
        &self.params
    }

    /// Whether this is a `batch` or `sequence`, which cannot be nested.
    pub fn is_meta(&self) -> bool {
        matches!(self.method, "batch" | "sequence")
    }

    /// `{"method": m, "params": {...}}`.
    pub fn to_json(&self) -> Value {
        let mut body = Map::new();
        body.insert("method".to_owned(), Value::from(self.method));
        body.insert("params".to_owned(), Value::Object(self.params.clone()));
        Value::Object(body)
    }

    /// [`Request::to_json`] serialized: the body to POST.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_json().to_string().into_bytes()
    }
}
