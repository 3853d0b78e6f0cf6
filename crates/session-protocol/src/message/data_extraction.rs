//! Screenshot and media-saved notices (`DataExtractionNotification`), 1:1 only.

use crate::proto::{self, data_extraction_notification};

use super::error::ContentError;
use super::field::required_enum;

/// What the recipient did with our media.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DataExtractionKind {
    /// Took a screenshot (mobile clients only).
    Screenshot,
    /// Saved an attachment.
    MediaSaved,
}

/// Tells the other side that we captured or saved its media.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DataExtractionNotification {
    /// Screenshot or saved media.
    pub kind: DataExtractionKind,
    /// The sent timestamp of the message whose media was saved, in milliseconds.
    pub timestamp_ms: Option<u64>,
}

impl DataExtractionNotification {
    /// A notice of `kind` about the message sent at `timestamp_ms`.
    pub fn new(kind: DataExtractionKind, timestamp_ms: Option<u64>) -> Self {
        Self { kind, timestamp_ms }
    }

    pub(super) fn to_proto(self) -> proto::DataExtractionNotification {
        let kind = match self.kind {
            DataExtractionKind::Screenshot => data_extraction_notification::Type::Screenshot,
            DataExtractionKind::MediaSaved => data_extraction_notification::Type::MediaSaved,
        };
        proto::DataExtractionNotification {
            r#type: Some(kind.into()),
            timestamp: self.timestamp_ms,
        }
    }

    pub(super) fn from_proto(
        notification: proto::DataExtractionNotification,
    ) -> Result<Self, ContentError> {
        let kind = match required_enum(notification.r#type, "DataExtractionNotification.type")? {
            data_extraction_notification::Type::Screenshot => DataExtractionKind::Screenshot,
            data_extraction_notification::Type::MediaSaved => DataExtractionKind::MediaSaved,
        };
        Ok(Self {
            kind,
            timestamp_ms: notification.timestamp,
        })
    }
}
