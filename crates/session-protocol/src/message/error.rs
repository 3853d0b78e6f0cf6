//! Why a `Content` could not be read as a typed message.

use session_identity::SessionIdError;

/// Why decoded bytes or a [`crate::proto::Content`] are not a message this library can type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContentError {
    /// The bytes are not a valid protobuf `Content`.
    #[error("content is not a valid protobuf message: {0}")]
    Decode(#[from] prost::DecodeError),
    /// The content carries no message body at all (no data, receipt, typing, ... field).
    #[error("content carries no message")]
    Empty,
    /// The content carries only fields this library does not know, for example a message kind
    /// newer than this schema.
    #[error("content carries only fields this library does not know")]
    UnknownKind,
    /// The content is a kind of message this typed layer does not handle.
    #[error("unsupported content: {0}")]
    Unsupported(&'static str),
    /// A field the reference schemas mark `required` is missing.
    #[error("required field {0} is missing")]
    MissingField(&'static str),
    /// An enum field holds a value the schema does not list.
    #[error("field {field} has the unknown value {value}")]
    UnknownEnumValue {
        /// The field, as `Message.field`.
        field: &'static str,
        /// The value found.
        value: i32,
    },
    /// A field that must hold a Session ID does not.
    #[error("field {field} is not a Session ID: {source}")]
    InvalidSessionId {
        /// The field, as `Message.field`.
        field: &'static str,
        /// Why it is not a Session ID.
        #[source]
        source: SessionIdError,
    },
}
