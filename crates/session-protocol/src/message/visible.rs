//! Visible messages: text, attachments, a quote, link previews and a community invitation, with
//! the sender's profile (a `DataMessage` without reaction, flags or group update).

use session_identity::SessionId;

use crate::proto::{DataMessage, data_message};

use super::attachment::AttachmentPointer;
use super::error::ContentError;
use super::field::{optional_session_id, required, required_session_id};
use super::profile::Profile;

/// A message the recipient sees in the conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct VisibleMessage {
    /// The text (2 000 characters, 10 000 with Session Pro).
    pub body: Option<String>,
    /// Uploaded files.
    pub attachments: Vec<AttachmentPointer>,
    /// The message replied to.
    pub quote: Option<Quote>,
    /// Link previews.
    pub previews: Vec<LinkPreview>,
    /// The sender's profile.
    pub profile: Option<Profile>,
    /// An invitation to a community.
    pub community_invitation: Option<CommunityInvitation>,
    /// On the copy sent to our own swarm: the conversation the message was sent to.
    pub sync_target: Option<SessionId>,
}

impl VisibleMessage {
    /// A text message.
    pub fn text(body: impl Into<String>) -> Self {
        Self {
            body: Some(body.into()),
            ..Self::default()
        }
    }

    pub(super) fn to_proto(&self) -> DataMessage {
        let (profile, profile_key) = self.profile.as_ref().map(Profile::to_proto).unzip();
        DataMessage {
            body: self.body.clone(),
            attachments: self
                .attachments
                .iter()
                .map(AttachmentPointer::to_proto)
                .collect(),
            profile_key: profile_key.flatten(),
            quote: self.quote.map(Quote::to_proto),
            preview: self.previews.iter().map(LinkPreview::to_proto).collect(),
            profile,
            community_invitation: self
                .community_invitation
                .as_ref()
                .map(CommunityInvitation::to_proto),
            sync_target: self.sync_target.map(|id| id.to_string()),
            ..DataMessage::default()
        }
    }

    pub(super) fn from_proto(message: DataMessage) -> Result<Self, ContentError> {
        Ok(Self {
            profile: Profile::from_proto(message.profile, message.profile_key.as_deref()),
            body: message.body,
            attachments: message
                .attachments
                .into_iter()
                .map(AttachmentPointer::from_proto)
                .collect::<Result<_, _>>()?,
            quote: message.quote.map(Quote::from_proto).transpose()?,
            previews: message
                .preview
                .into_iter()
                .map(LinkPreview::from_proto)
                .collect::<Result<_, _>>()?,
            community_invitation: message
                .community_invitation
                .map(CommunityInvitation::from_proto)
                .transpose()?,
            sync_target: optional_session_id(message.sync_target, "DataMessage.syncTarget")?,
        })
    }
}

/// A reference to the message being replied to. Current clients send only its timestamp and
/// author; the receiver looks the message up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Quote {
    /// The sent timestamp of the quoted message, in milliseconds.
    pub timestamp_ms: u64,
    /// Its author.
    pub author: SessionId,
}

impl Quote {
    /// A quote of the message `author` sent at `timestamp_ms`.
    pub fn new(timestamp_ms: u64, author: SessionId) -> Self {
        Self {
            timestamp_ms,
            author,
        }
    }

    fn to_proto(self) -> data_message::Quote {
        data_message::Quote {
            id: Some(self.timestamp_ms),
            author: Some(self.author.to_string()),
        }
    }

    fn from_proto(quote: data_message::Quote) -> Result<Self, ContentError> {
        Ok(Self {
            timestamp_ms: required(quote.id, "Quote.id")?,
            author: required_session_id(quote.author, "Quote.author")?,
        })
    }
}

/// A link preview.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct LinkPreview {
    /// The link.
    pub url: String,
    /// The page title.
    pub title: Option<String>,
    /// The preview image, uploaded like an attachment (but not padded).
    pub image: Option<AttachmentPointer>,
}

impl LinkPreview {
    /// A preview of `url` without title or image.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            title: None,
            image: None,
        }
    }

    fn to_proto(&self) -> data_message::Preview {
        data_message::Preview {
            url: Some(self.url.clone()),
            title: self.title.clone(),
            image: self.image.as_ref().map(AttachmentPointer::to_proto),
        }
    }

    fn from_proto(preview: data_message::Preview) -> Result<Self, ContentError> {
        Ok(Self {
            url: required(preview.url, "Preview.url")?,
            title: preview.title,
            image: preview
                .image
                .map(AttachmentPointer::from_proto)
                .transpose()?,
        })
    }
}

/// An invitation to join a community.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CommunityInvitation {
    /// The community URL (with its room and server key).
    pub url: String,
    /// The community's name.
    pub name: String,
}

impl CommunityInvitation {
    /// An invitation to the community `name` at `url`.
    pub fn new(url: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            name: name.into(),
        }
    }

    fn to_proto(&self) -> data_message::CommunityInvitation {
        data_message::CommunityInvitation {
            url: Some(self.url.clone()),
            name: Some(self.name.clone()),
        }
    }

    fn from_proto(invitation: data_message::CommunityInvitation) -> Result<Self, ContentError> {
        Ok(Self {
            url: required(invitation.url, "CommunityInvitation.url")?,
            name: required(invitation.name, "CommunityInvitation.name")?,
        })
    }
}
