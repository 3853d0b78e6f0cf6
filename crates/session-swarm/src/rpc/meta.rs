//! The server's clock and hard fork, which every storage response carries.

use serde_json::Value;

/// `t` (the answering node's clock, ms) and `hf` (its hard fork) of a response. Both are
/// optional: `get_expiries` has neither, and a batch's subresults may lack them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Meta {
    /// The node's time when it answered, in ms since the epoch.
    pub t: Option<u64>,
    /// The hard fork `[major, minor]` the node runs.
    pub hf: Option<(u16, u16)>,
}

impl Meta {
    /// Reads `t` and `hf` from a response body; anything missing or ill-typed is `None`,
    /// since neither decides whether the response itself is usable.
    pub fn from_body(body: &Value) -> Self {
        let t = body.get("t").and_then(Value::as_u64);
        let hf = body.get("hf").and_then(Value::as_array).and_then(|hf| {
            let major = u16::try_from(hf.first()?.as_u64()?).ok()?;
            let minor = u16::try_from(hf.get(1)?.as_u64()?).ok()?;
            Some((major, minor))
        });
        Self { t, hf }
    }

    /// How far the node's clock is ahead of `local_now_ms` (negative: behind), for
    /// learning the network clock offset; `None` without `t`.
    pub fn clock_offset_ms(&self, local_now_ms: u64) -> Option<i64> {
        let t = i128::from(self.t?);
        i64::try_from(t - i128::from(local_now_ms)).ok()
    }
}
