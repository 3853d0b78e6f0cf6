//! A typed message and its lowering to, and reading from, the protobuf `Content`.

use prost::Message as _;

use crate::proto::{Content, DataMessage, ProMessage};

use super::call::CallMessage;
use super::data_extraction::DataExtractionNotification;
use super::disappearing::Disappearing;
use super::error::ContentError;
use super::expiration_update::{EXPIRATION_TIMER_UPDATE_FLAG, ExpirationTimerUpdate};
use super::group_update::GroupUpdate;
use super::kind::MessageKind;
use super::reaction::Reaction;
use super::receipt::ReadReceipt;
use super::request_response::MessageRequestResponse;
use super::typing::{TypingAction, TypingIndicator};
use super::unsend::UnsendRequest;
use super::visible::VisibleMessage;

/// A message as an app sees it: its kind plus the fields every `Content` shares.
///
/// [`Message::to_content`] / [`Message::encode`] produce the `Content` an official client
/// would; [`Message::from_content`] / [`Message::decode`] read one back, checking what the
/// reference decoders check.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Message {
    /// What the message is.
    pub kind: MessageKind,
    /// When the message was created, in milliseconds since the Unix epoch
    /// (`Content.sigTimestamp`). Senders set it to the envelope timestamp; 0 means absent,
    /// which receivers treat as a legacy sender.
    pub sent_at_ms: u64,
    /// The disappearing-messages setting, or `None` for a kind that never disappears (then
    /// neither field is written). [`Message::new`] picks the right default for the kind.
    pub disappearing: Option<Disappearing>,
    /// Session Pro data (`Content.proMessage`), carried through unchanged; building and
    /// verifying Pro proofs is not part of this layer.
    pub pro: Option<ProMessage>,
    /// The Pro signature of a community post (`Content.proSigForCommunityMessageOnly`),
    /// carried through unchanged.
    pub community_pro_sig: Option<Vec<u8>>,
}

impl Message {
    /// A message of `kind` created at `sent_at_ms`. Kinds that can disappear get
    /// [`Disappearing::OFF`], so that both disappearing fields are written as clients do;
    /// the others get `None`.
    pub fn new(kind: impl Into<MessageKind>, sent_at_ms: u64) -> Self {
        let kind = kind.into();
        let disappearing = kind.can_disappear().then_some(Disappearing::OFF);
        Self {
            kind,
            sent_at_ms,
            disappearing,
            pro: None,
            community_pro_sig: None,
        }
    }

    /// A typing indicator created at `sent_at_ms`; the indicator's own timestamp is the same
    /// value, as receivers require.
    pub fn typing(action: TypingAction, sent_at_ms: u64) -> Self {
        Self::new(TypingIndicator::new(action, sent_at_ms), sent_at_ms)
    }

    /// Sets the disappearing-messages setting.
    #[must_use]
    pub fn with_disappearing(mut self, disappearing: Disappearing) -> Self {
        self.disappearing = Some(disappearing);
        self
    }

    /// Attaches Session Pro data.
    #[must_use]
    pub fn with_pro(mut self, pro: ProMessage) -> Self {
        self.pro = Some(pro);
        self
    }

    /// Lowers to the protobuf `Content`.
    pub fn to_content(&self) -> Content {
        let mut content = Content::default();
        match &self.kind {
            MessageKind::Visible(message) => content.data_message = Some(message.to_proto()),
            MessageKind::Reaction(reaction) => content.data_message = Some(reaction.to_proto()),
            MessageKind::ExpirationTimerUpdate(update) => {
                content.data_message = Some(update.to_proto());
            }
            MessageKind::GroupUpdate(update) => content.data_message = Some(update.to_proto()),
            MessageKind::ReadReceipt(receipt) => content.receipt_message = Some(receipt.to_proto()),
            MessageKind::Typing(typing) => content.typing_message = Some(typing.to_proto()),
            MessageKind::Unsend(request) => content.unsend_request = Some(request.to_proto()),
            MessageKind::MessageRequestResponse(response) => {
                content.message_request_response = Some(response.to_proto());
            }
            MessageKind::DataExtraction(notification) => {
                content.data_extraction_notification = Some(notification.to_proto());
            }
            MessageKind::Call(call) => content.call_message = Some(call.to_proto()),
        }
        if let Some(disappearing) = self.disappearing {
            let (mode, timer) = disappearing.to_proto();
            content.expiration_type = Some(mode);
            content.expiration_timer = Some(timer);
        }
        content.sig_timestamp = (self.sent_at_ms != 0).then_some(self.sent_at_ms);
        content.pro_message = self.pro.clone();
        content.pro_sig_for_community_message_only = self.community_pro_sig.clone();
        content
    }

    /// The encoded `Content`: the bytes to pad and encrypt.
    pub fn encode(&self) -> Vec<u8> {
        self.to_content().encode_to_vec()
    }

    /// Reads a protobuf `Content`.
    ///
    /// The body is chosen as desktop dispatches it: the first present of `dataMessage`,
    /// `receiptMessage`, `typingMessage`, `dataExtractionNotification`, `unsendRequest`,
    /// `callMessage` and `messageRequestResponse`. A `dataMessage` is a group update if it has
    /// one, else a reaction if it has one, else a timer update if its flags say so, else a
    /// visible message.
    ///
    /// # Errors
    ///
    /// [`ContentError::Empty`] without any body, [`ContentError::Unsupported`] for a
    /// `sharedConfigMessage` (libsession's config wrapping) or a delivery receipt, and
    /// [`ContentError::MissingField`], [`ContentError::UnknownEnumValue`] or
    /// [`ContentError::InvalidSessionId`] for a malformed body.
    pub fn from_content(content: Content) -> Result<Self, ContentError> {
        let kind = if let Some(message) = content.data_message {
            data_message_kind(message)?
        } else if let Some(receipt) = content.receipt_message {
            ReadReceipt::from_proto(receipt)?.into()
        } else if let Some(typing) = content.typing_message {
            TypingIndicator::from_proto(typing)?.into()
        } else if let Some(notification) = content.data_extraction_notification {
            DataExtractionNotification::from_proto(notification)?.into()
        } else if let Some(request) = content.unsend_request {
            UnsendRequest::from_proto(request)?.into()
        } else if let Some(call) = content.call_message {
            CallMessage::from_proto(call)?.into()
        } else if let Some(response) = content.message_request_response {
            MessageRequestResponse::from_proto(response)?.into()
        } else if content.shared_config_message.is_some() {
            return Err(ContentError::Unsupported("sharedConfigMessage"));
        } else {
            return Err(ContentError::Empty);
        };
        Ok(Self {
            kind,
            sent_at_ms: content.sig_timestamp.unwrap_or(0),
            disappearing: Disappearing::from_proto(
                content.expiration_type,
                content.expiration_timer,
            )?,
            pro: content.pro_message,
            community_pro_sig: content.pro_sig_for_community_message_only,
        })
    }

    /// Decodes the bytes of a `Content` (already decrypted and unpadded) and reads it.
    ///
    /// # Errors
    ///
    /// [`ContentError::Decode`] if the bytes are not a protobuf `Content`;
    /// [`ContentError::UnknownKind`] if they hold fields but none this library knows as a
    /// body; otherwise as [`Message::from_content`].
    pub fn decode(bytes: &[u8]) -> Result<Self, ContentError> {
        let content = Content::decode(bytes)?;
        // prost drops fields it does not know; if re-encoding what it kept is shorter than the
        // input, the input had such fields.
        let had_unknown_fields = content.encoded_len() < bytes.len();
        match Self::from_content(content) {
            Err(ContentError::Empty) if had_unknown_fields => Err(ContentError::UnknownKind),
            result => result,
        }
    }
}

impl From<&Message> for Content {
    fn from(message: &Message) -> Self {
        message.to_content()
    }
}

impl TryFrom<Content> for Message {
    type Error = ContentError;

    fn try_from(content: Content) -> Result<Self, Self::Error> {
        Self::from_content(content)
    }
}

/// The kind of a `DataMessage`.
fn data_message_kind(mut message: DataMessage) -> Result<MessageKind, ContentError> {
    if let Some(update) = message.group_update_message.take() {
        return Ok(GroupUpdate::from_proto(message, update).into());
    }
    if let Some(reaction) = message.reaction.take() {
        return Ok(Reaction::from_proto(message, reaction)?.into());
    }
    if message
        .flags
        .is_some_and(|flags| flags & EXPIRATION_TIMER_UPDATE_FLAG != 0)
    {
        return Ok(ExpirationTimerUpdate::from_proto(message)?.into());
    }
    Ok(VisibleMessage::from_proto(message)?.into())
}
