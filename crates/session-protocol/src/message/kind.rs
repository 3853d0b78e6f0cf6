//! The kinds of message a `Content` can carry.

use super::call::CallMessage;
use super::data_extraction::DataExtractionNotification;
use super::expiration_update::ExpirationTimerUpdate;
use super::group_update::GroupUpdate;
use super::reaction::Reaction;
use super::receipt::ReadReceipt;
use super::request_response::MessageRequestResponse;
use super::typing::TypingIndicator;
use super::unsend::UnsendRequest;
use super::visible::VisibleMessage;

/// What a message is, with its kind-specific fields.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageKind {
    /// Text, attachments, quote, previews, invitation.
    Visible(VisibleMessage),
    /// An emoji reaction.
    Reaction(Reaction),
    /// A read receipt.
    ReadReceipt(ReadReceipt),
    /// A typing indicator.
    Typing(TypingIndicator),
    /// Delete for everyone.
    Unsend(UnsendRequest),
    /// A new disappearing-messages setting.
    ExpirationTimerUpdate(ExpirationTimerUpdate),
    /// Acceptance of a message request.
    MessageRequestResponse(MessageRequestResponse),
    /// A screenshot or media-saved notice.
    DataExtraction(DataExtractionNotification),
    /// Call signalling.
    Call(CallMessage),
    /// A 03-group control message, carried untyped.
    GroupUpdate(GroupUpdate),
}

impl MessageKind {
    /// A short, stable name for the kind (`"visible"`, `"reaction"`, `"read_receipt"`, ...),
    /// for logs and command-line output.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Visible(_) => "visible",
            Self::Reaction(_) => "reaction",
            Self::ReadReceipt(_) => "read_receipt",
            Self::Typing(_) => "typing",
            Self::Unsend(_) => "unsend",
            Self::ExpirationTimerUpdate(_) => "expiration_timer_update",
            Self::MessageRequestResponse(_) => "message_request_response",
            Self::DataExtraction(_) => "data_extraction",
            Self::Call(_) => "call",
            Self::GroupUpdate(_) => "group_update",
        }
    }

    /// Whether desktop sends this kind with the disappearing-messages fields
    /// (`ExpirableMessage` subclasses: visible messages and reactions, timer updates,
    /// data-extraction notices and calls). Typing indicators, read receipts, unsend requests
    /// and message-request responses never disappear and carry neither field.
    pub fn can_disappear(&self) -> bool {
        matches!(
            self,
            Self::Visible(_)
                | Self::Reaction(_)
                | Self::ExpirationTimerUpdate(_)
                | Self::DataExtraction(_)
                | Self::Call(_)
        )
    }
}

impl From<VisibleMessage> for MessageKind {
    fn from(message: VisibleMessage) -> Self {
        Self::Visible(message)
    }
}

impl From<Reaction> for MessageKind {
    fn from(reaction: Reaction) -> Self {
        Self::Reaction(reaction)
    }
}

impl From<ReadReceipt> for MessageKind {
    fn from(receipt: ReadReceipt) -> Self {
        Self::ReadReceipt(receipt)
    }
}

impl From<TypingIndicator> for MessageKind {
    fn from(typing: TypingIndicator) -> Self {
        Self::Typing(typing)
    }
}

impl From<UnsendRequest> for MessageKind {
    fn from(request: UnsendRequest) -> Self {
        Self::Unsend(request)
    }
}

impl From<ExpirationTimerUpdate> for MessageKind {
    fn from(update: ExpirationTimerUpdate) -> Self {
        Self::ExpirationTimerUpdate(update)
    }
}

impl From<MessageRequestResponse> for MessageKind {
    fn from(response: MessageRequestResponse) -> Self {
        Self::MessageRequestResponse(response)
    }
}

impl From<DataExtractionNotification> for MessageKind {
    fn from(notification: DataExtractionNotification) -> Self {
        Self::DataExtraction(notification)
    }
}

impl From<CallMessage> for MessageKind {
    fn from(call: CallMessage) -> Self {
        Self::Call(call)
    }
}

impl From<GroupUpdate> for MessageKind {
    fn from(update: GroupUpdate) -> Self {
        Self::GroupUpdate(update)
    }
}
