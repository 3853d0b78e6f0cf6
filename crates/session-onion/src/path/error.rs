//! Inputs the path manager refuses.

use super::id::{PathId, TestId};

/// A report about something the manager does not know (any more). Nothing changed;
/// callers usually log and ignore it, since it happens whenever a request outlives its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// No built path has this id: it was dropped, or never existed.
    #[error("no path {0}")]
    UnknownPath(PathId),
    /// No guard test with this id is in flight: it was already answered or timed out.
    #[error("no {0} in flight")]
    UnknownTest(TestId),
}
