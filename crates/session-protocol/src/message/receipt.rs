//! Read receipts (`ReceiptMessage` of type `READ`), sent only when the setting is on.

use crate::proto::{ReceiptMessage, receipt_message};

use super::error::ContentError;
use super::field::required_enum;

/// Tells the sender that we read their messages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ReadReceipt {
    /// The sent timestamps of the messages read, in milliseconds.
    pub timestamps_ms: Vec<u64>,
}

impl ReadReceipt {
    /// A receipt for the messages sent at `timestamps_ms`.
    pub fn new(timestamps_ms: impl Into<Vec<u64>>) -> Self {
        Self {
            timestamps_ms: timestamps_ms.into(),
        }
    }

    pub(super) fn to_proto(&self) -> ReceiptMessage {
        ReceiptMessage {
            r#type: Some(receipt_message::Type::Read.into()),
            timestamp: self.timestamps_ms.clone(),
        }
    }

    pub(super) fn from_proto(receipt: ReceiptMessage) -> Result<Self, ContentError> {
        match required_enum(receipt.r#type, "ReceiptMessage.type")? {
            receipt_message::Type::Read => Ok(Self {
                timestamps_ms: receipt.timestamp,
            }),
            // Listed by libsession but sent by no current client; desktop ignores them.
            receipt_message::Type::Delivery => Err(ContentError::Unsupported("delivery receipt")),
        }
    }
}
