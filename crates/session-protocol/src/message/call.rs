//! WebRTC call signalling (`CallMessage`), 1:1 only.

use crate::proto::{self, call_message};

use super::error::ContentError;
use super::field::{required, required_enum};

/// The step of the call set-up a [`CallMessage`] carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallKind {
    /// Announces an offer (no SDP yet).
    PreOffer,
    /// The caller's SDP offer.
    Offer,
    /// The callee's SDP answer.
    Answer,
    /// A provisional answer.
    ProvisionalAnswer,
    /// A batch of ICE candidates.
    IceCandidates,
    /// Hang up.
    EndCall,
}

/// A call signalling message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CallMessage {
    /// The step.
    pub kind: CallKind,
    /// SDP blobs (the offer or answer, or one per ICE candidate).
    pub sdps: Vec<String>,
    /// The `sdpMLineIndex` of each ICE candidate.
    pub sdp_mline_indexes: Vec<u32>,
    /// The `sdpMid` of each ICE candidate.
    pub sdp_mids: Vec<String>,
    /// Identifies the call.
    pub uuid: String,
}

impl CallMessage {
    /// A message of `kind` for the call `uuid`, without SDPs or candidates.
    pub fn new(kind: CallKind, uuid: impl Into<String>) -> Self {
        Self {
            kind,
            sdps: Vec::new(),
            sdp_mline_indexes: Vec::new(),
            sdp_mids: Vec::new(),
            uuid: uuid.into(),
        }
    }

    pub(super) fn to_proto(&self) -> proto::CallMessage {
        let kind = match self.kind {
            CallKind::PreOffer => call_message::Type::PreOffer,
            CallKind::Offer => call_message::Type::Offer,
            CallKind::Answer => call_message::Type::Answer,
            CallKind::ProvisionalAnswer => call_message::Type::ProvisionalAnswer,
            CallKind::IceCandidates => call_message::Type::IceCandidates,
            CallKind::EndCall => call_message::Type::EndCall,
        };
        proto::CallMessage {
            r#type: Some(kind.into()),
            sdps: self.sdps.clone(),
            sdp_m_line_indexes: self.sdp_mline_indexes.clone(),
            sdp_mids: self.sdp_mids.clone(),
            uuid: Some(self.uuid.clone()),
        }
    }

    pub(super) fn from_proto(call: proto::CallMessage) -> Result<Self, ContentError> {
        let kind = match required_enum(call.r#type, "CallMessage.type")? {
            call_message::Type::PreOffer => CallKind::PreOffer,
            call_message::Type::Offer => CallKind::Offer,
            call_message::Type::Answer => CallKind::Answer,
            call_message::Type::ProvisionalAnswer => CallKind::ProvisionalAnswer,
            call_message::Type::IceCandidates => CallKind::IceCandidates,
            call_message::Type::EndCall => CallKind::EndCall,
        };
        Ok(Self {
            kind,
            sdps: call.sdps,
            sdp_mline_indexes: call.sdp_m_line_indexes,
            sdp_mids: call.sdp_mids,
            uuid: required(call.uuid, "CallMessage.uuid")?,
        })
    }
}
