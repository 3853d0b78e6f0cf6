//! Accepting a message request (`MessageRequestResponse`).

use crate::proto;

use super::error::ContentError;
use super::field::required;
use super::profile::Profile;

/// Sent when we accept a message request; it carries our profile.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct MessageRequestResponse {
    /// Whether the request was accepted. Clients only ever send `true`, and desktop drops a
    /// response that is not.
    pub approved: bool,
    /// Our profile.
    pub profile: Option<Profile>,
}

impl MessageRequestResponse {
    /// An acceptance carrying `profile`.
    pub fn approve(profile: Option<Profile>) -> Self {
        Self {
            approved: true,
            profile,
        }
    }

    pub(super) fn to_proto(&self) -> proto::MessageRequestResponse {
        let (profile, profile_key) = self.profile.as_ref().map(Profile::to_proto).unzip();
        proto::MessageRequestResponse {
            is_approved: Some(self.approved),
            profile_key: profile_key.flatten(),
            profile,
        }
    }

    pub(super) fn from_proto(
        response: proto::MessageRequestResponse,
    ) -> Result<Self, ContentError> {
        Ok(Self {
            approved: required(response.is_approved, "MessageRequestResponse.isApproved")?,
            profile: Profile::from_proto(response.profile, response.profile_key.as_deref()),
        })
    }
}
