//! JSON laid out as Python's `json.dumps` does by default (`{"id": "x", "expires": 1.5}`:
//! a space after every `,` and `:`), which is what the real file server sends, so that
//! bodies match it byte for byte.

use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

/// Python's default separators `", "` and `": "`.
struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }
}

/// `value` as Python would dump it. Floats use the shortest representation that reads
/// back exactly, as Python's `repr` does.
pub(crate) fn to_python_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    // Serialising plain structs, maps and numbers into a Vec cannot fail; an empty body
    // would be the worst outcome.
    if value.serialize(&mut serializer).is_err() {
        out.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_python_separators() {
        #[derive(Serialize)]
        struct Upload<'a> {
            id: &'a str,
            expires: f64,
            list: [u8; 2],
        }
        let body = to_python_json(&Upload {
            id: "x",
            expires: 1_700_000_000.25,
            list: [1, 2],
        });
        assert_eq!(
            body,
            br#"{"id": "x", "expires": 1700000000.25, "list": [1, 2]}"#
        );
        assert_eq!(
            to_python_json(&serde_json::json!({"status_code": 404})),
            br#"{"status_code": 404}"#
        );
        assert_eq!(to_python_json(&1_700_000_000.0_f64), b"1700000000.0");
    }
}
