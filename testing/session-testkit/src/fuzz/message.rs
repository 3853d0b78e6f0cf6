//! What is inside every decrypted payload: the padding, and the `Content` under it.

use prost::Message as _;
use session_protocol::ContentError;
use session_protocol::envelope::{check_community_timestamps, check_timestamps};
use session_protocol::message::{Message, MessageKind};
use session_protocol::padding::{self, PaddingError, PaddingFormat, TERMINATOR};
use session_protocol::proto::Content;

/// `padding::unpad` on the bytes.
///
/// Accepted data is content, the `0x80` terminator and zeros: the content is a prefix of
/// the input; if [`PaddingFormat::identify`] names a layout, padding the content in it gives
/// back exactly the input (and if it names none, neither layout does); the content padded
/// either way unpads to itself. A refusal names the right reason: no `0x80` before the
/// trailing zeros, or the offset just past the last `0x80` that non-zero bytes follow.
pub fn unpad(data: &[u8]) {
    let _ = check_unpad(data);
}

/// [`unpad`]'s checks; returns the content if the data unpads.
pub(super) fn check_unpad(data: &[u8]) -> Option<&[u8]> {
    let last_non_zero = data.iter().rposition(|&byte| byte != 0);
    match padding::unpad(data) {
        Ok(content) => {
            let last = last_non_zero.expect("all-zero data was unpadded");
            assert_eq!(
                data[last], TERMINATOR,
                "content accepted without terminator"
            );
            assert_eq!(
                content,
                &data[..last],
                "content is not all before the terminator"
            );
            assert!(
                core::ptr::eq(content.as_ptr(), data.as_ptr()),
                "content is not a prefix of the input"
            );
            match PaddingFormat::identify(content.len(), data.len()) {
                Some(format) => {
                    assert_eq!(format.padded_len(content.len()), Some(data.len()));
                    assert_eq!(
                        format.pad(content),
                        data,
                        "re-padding in the identified format ({format:?}) differs"
                    );
                }
                None => {
                    assert_ne!(padding::pad(content), data, "current layout not identified");
                    assert_ne!(padding::pad_legacy(content), data, "legacy layout missed");
                }
            }
            assert_eq!(padding::unpad(&padding::pad(content)), Ok(content));
            assert_eq!(padding::unpad(&padding::pad_legacy(content)), Ok(content));
            Some(content)
        }
        Err(PaddingError::MissingTerminator) => {
            if let Some(last) = last_non_zero {
                assert!(
                    !data[..=last].contains(&TERMINATOR),
                    "a terminator was overlooked"
                );
            }
            None
        }
        Err(PaddingError::BytesAfterTerminator { offset }) => {
            let last = last_non_zero.expect("all-zero data has bytes after a terminator");
            assert!((1..=last).contains(&offset), "offset {offset} out of range");
            assert_eq!(
                data[offset - 1],
                TERMINATOR,
                "offset not after a terminator"
            );
            assert!(
                !data[offset..=last].contains(&TERMINATOR),
                "offset not after the last terminator"
            );
            None
        }
        Err(e) => panic!("unexpected padding error {e:?}"),
    }
}

/// `Message::decode` on the bytes, as `Content`.
///
/// It must agree with `Content::decode` followed by `Message::from_content` (an empty
/// content with fields this library does not know being `UnknownKind`). A decoded message
/// lowers to a `Content` (the same by `From` and `to_content`) whose encoding decodes to an
/// equal message and encodes again to the same bytes; its TTL, namespace and kind name are
/// defined; and its own timestamps pass the receiver's checks.
pub fn content_decode(data: &[u8]) {
    let _ = check_content(data);
}

/// [`content_decode`]'s checks; returns the message if the bytes decode to one.
pub(super) fn check_content(data: &[u8]) -> Option<Message> {
    let decoded = Message::decode(data);
    match Content::decode(data) {
        Err(e) => assert_eq!(decoded, Err(ContentError::Decode(e)), "decoders disagree"),
        Ok(content) => {
            let unknown_fields = content.encoded_len() < data.len();
            let expected = match Message::from_content(content) {
                Err(ContentError::Empty) if unknown_fields => Err(ContentError::UnknownKind),
                other => other,
            };
            assert_eq!(decoded, expected, "decode disagrees with from_content");
        }
    }
    let message = decoded.ok()?;
    check_message(&message);
    Some(message)
}

/// The round trips and checks of a message that decoded (see [`content_decode`]).
fn check_message(message: &Message) {
    let content = message.to_content();
    assert!(Content::from(message) == content, "From<&Message> differs");
    let bytes = message.encode();
    assert_eq!(
        bytes,
        content.encode_to_vec(),
        "encode differs from to_content"
    );
    let again = Message::decode(&bytes).expect("a lowered message decodes");
    assert_eq!(&again, message, "the lowered message decodes to another");
    assert_eq!(again.encode(), bytes, "lowering is not stable");
    assert_eq!(Message::from_content(content).as_ref(), Ok(message));

    let _ = (message.ttl(), message.namespace(), message.kind.name());
    assert_eq!(check_timestamps(0, message), Ok(()));
    assert_eq!(
        check_community_timestamps(message.sent_at_ms, message),
        Ok(())
    );
    // A typing indicator carries a second timestamp, which may differ from the signed one.
    if !matches!(message.kind, MessageKind::Typing(_)) {
        assert_eq!(check_timestamps(message.sent_at_ms, message), Ok(()));
    }
}
