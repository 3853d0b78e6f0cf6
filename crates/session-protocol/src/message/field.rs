//! Reading individual protobuf fields with the checks the reference decoders make: presence
//! of `required` fields, known enum values and well-formed Session IDs.

use session_identity::SessionId;

use super::error::ContentError;

/// The value of a field the reference schemas mark `required`.
pub(super) fn required<T>(value: Option<T>, field: &'static str) -> Result<T, ContentError> {
    value.ok_or(ContentError::MissingField(field))
}

/// A `required` enum field, as the generated enum type.
pub(super) fn required_enum<E>(value: Option<i32>, field: &'static str) -> Result<E, ContentError>
where
    E: TryFrom<i32>,
{
    let value = required(value, field)?;
    E::try_from(value).map_err(|_| ContentError::UnknownEnumValue { field, value })
}

/// A `required` string field holding a Session ID in hex.
pub(super) fn required_session_id(
    value: Option<String>,
    field: &'static str,
) -> Result<SessionId, ContentError> {
    session_id(&required(value, field)?, field)
}

/// An optional string field holding a Session ID in hex.
pub(super) fn optional_session_id(
    value: Option<String>,
    field: &'static str,
) -> Result<Option<SessionId>, ContentError> {
    value.map(|text| session_id(&text, field)).transpose()
}

fn session_id(text: &str, field: &'static str) -> Result<SessionId, ContentError> {
    text.parse()
        .map_err(|source| ContentError::InvalidSessionId { field, source })
}
