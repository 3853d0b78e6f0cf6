//! Transfer progress as (bytes done, bytes total) per phase.
//!
//! Granularity is coarse: an onion request carries its whole body at once, so each phase
//! reports when it starts and when it ends, not as individual bytes move.

use tokio::sync::watch;

/// The step a transfer is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Phase {
    /// The plaintext is being encrypted.
    Encrypting,
    /// The upload request has been handed to the transport.
    Uploading,
    /// The server stored the file.
    Uploaded,
    /// The download request has been handed to the transport.
    Downloading,
    /// The encrypted (or raw) file has arrived.
    Downloaded,
    /// The file is being checked and decrypted.
    Decrypting,
    /// The plaintext is ready.
    Decrypted,
}

/// One progress report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Progress {
    /// What is happening.
    pub phase: Phase,
    /// Bytes of this phase done.
    pub done: u64,
    /// Bytes this phase handles; 0 while unknown (a download before it arrives).
    pub total: u64,
}

impl Progress {
    /// A report of `done` of `total` bytes in `phase`.
    pub(crate) fn new(phase: Phase, done: usize, total: usize) -> Self {
        Self {
            phase,
            done: u64::try_from(done).unwrap_or(u64::MAX),
            total: u64::try_from(total).unwrap_or(u64::MAX),
        }
    }
}

/// A progress callback that publishes every report on `sender`, for callers that would
/// rather watch than be called.
pub fn to_watch(sender: watch::Sender<Option<Progress>>) -> impl FnMut(Progress) + Send {
    move |progress| {
        sender.send_replace(Some(progress));
    }
}

/// A progress callback that ignores every report.
pub fn ignore(_progress: Progress) {}
