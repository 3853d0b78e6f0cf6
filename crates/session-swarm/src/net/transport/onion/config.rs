//! Settings of the onion transport.

use session_onion::EncType;
use session_onion::path::PathConfig;

/// How the onion transport builds paths and retries.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct OnionConfig {
    /// Path selection (2 paths of 3 nodes, strike thresholds 3, guard tests 10 s).
    pub paths: PathConfig,
    /// Layer encryption (XChaCha20, as libsession).
    pub enc_type: EncType,
    /// Attempts per request, each on a path chosen afresh, for failures on the path
    /// (3: desktop's pRetry r=2). Destination answers are never retried here.
    pub max_attempts: u32,
    /// Treat every node as if it were alone in its /24. Only for test networks whose
    /// nodes share one address (a local network on 127.0.0.1), where subnet diversity
    /// could never be met; never for the real network.
    pub ignore_subnets: bool,
}

impl Default for OnionConfig {
    fn default() -> Self {
        Self {
            paths: PathConfig::default(),
            enc_type: EncType::XChaCha20,
            max_attempts: 3,
            ignore_subnets: false,
        }
    }
}
