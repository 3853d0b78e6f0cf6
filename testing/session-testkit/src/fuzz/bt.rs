//! The bencode decoder.

/// `session_bt::decode` (and `decode_prefix`) on the bytes.
///
/// An accepted document is canonical: rebuilding it from the tree gives back exactly the
/// input, the root's raw span is the whole input, and every nested value's and key's span
/// sits at its recorded offset. A refused one reports an offset inside the input (or just
/// past it), and a prefix decode agrees with the full decode up to trailing bytes.
pub fn bt_decode(data: &[u8]) {
    match session_bt::decode(data) {
        Ok(value) => {
            let mut again = Vec::with_capacity(data.len());
            session_bt::write_value(&mut again, &value);
            assert_eq!(again, data, "accepted input is not canonical");
            assert_eq!(value.raw(), data);
            check_spans(&value, data);
        }
        Err(e) => {
            assert!(e.offset() <= data.len(), "error offset past the input");
            if let Ok((value, used)) =
                session_bt::decode_prefix(data, &session_bt::Limits::default())
            {
                assert_eq!(e.kind(), session_bt::DecodeErrorKind::TrailingBytes);
                assert_eq!((e.offset(), value.raw().len()), (used, used));
            }
        }
    }
}

/// Checks that `value` and everything in it sit at their offsets in `input`.
fn check_spans(value: &session_bt::Value<'_>, input: &[u8]) {
    let start = value.offset();
    assert_eq!(
        input.get(start..start + value.raw().len()),
        Some(value.raw())
    );
    match value.kind() {
        session_bt::Kind::List(items) => items.iter().for_each(|v| check_spans(v, input)),
        session_bt::Kind::Dict(dict) => {
            for entry in dict.entries() {
                let prefix = format!("{}:", entry.key().len());
                let key_at = &input[entry.key_offset()..];
                assert!(key_at.starts_with(prefix.as_bytes()));
                assert!(key_at[prefix.len()..].starts_with(entry.key()));
                check_spans(entry.value(), input);
            }
        }
        _ => {}
    }
}
