//! Handles for built paths and guard tests.

use core::fmt;

/// Identifies a built path for as long as it exists, including across repairs.
///
/// Ids are never reused within one [`PathManager`](super::PathManager), so a report about
/// a path that was dropped cannot land on a newer one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PathId(pub(crate) u64);

impl PathId {
    /// The raw counter value, for logs.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for PathId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "path#{}", self.0)
    }
}

/// Identifies one guard test, from [`Action::TestGuard`](super::Action::TestGuard) to its
/// result. Never reused within one manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TestId(pub(crate) u64);

impl TestId {
    /// The raw counter value, for logs.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for TestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "guard-test#{}", self.0)
    }
}
