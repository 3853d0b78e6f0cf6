//! The clock windows signed requests must fall in (`storage-server.md` §5.1).

/// How far a signed timestamp may be from the node's clock, ms.
pub(crate) const SIGNATURE_TOLERANCE_MS: i64 = 60_000;

/// The wider window of a forwarded `delete_all`/`expire_all`, which spent time in transit.
pub(crate) const FORWARDED_TOLERANCE_MS: i64 = 70_000;

/// Whether `time` is more than `tolerance` ms away from `now` (no overflow for any `time`).
pub(crate) const fn outside_window(time: i64, now: i64, tolerance: i64) -> bool {
    time < now - tolerance || time > now + tolerance
}

/// The node's clock as the signed arithmetic above wants it.
pub(crate) fn now_ms(node: &crate::node::Node) -> i64 {
    i64::try_from(node.clock().now_ms()).unwrap_or(i64::MAX)
}

/// Longest TTL outside public inboxes, and the furthest `expire` may push an expiry.
pub(crate) const TTL_MAXIMUM_PRIVATE_MS: i64 = 30 * 24 * 3600 * 1000;
