//! What the config sync announces.

use crate::configs::user_configs::UserConfig;

/// A config changed by another device of the account (a merge brought new data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigEvent {
    /// Which config.
    pub config: UserConfig,
    /// Its seqno after the merge.
    pub seqno: i64,
}
