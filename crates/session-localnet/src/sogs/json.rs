//! JSON laid out as pysogs sends it: Flask's `jsonify` sorts object keys, uses the compact
//! separators `,` and `:`, and escapes every character outside printable ASCII as `\uXXXX`
//! (`ensure_ascii`), so that bodies match the real server byte for byte.

use std::fmt::Write as _;

use serde_json::Value;

/// `value` as Flask's `jsonify` writes it.
pub(crate) fn to_flask_json(value: &Value) -> Vec<u8> {
    let mut out = String::new();
    write_value(&mut out, value);
    out.into_bytes()
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => out.push_str(&number.to_string()),
        Value::String(text) => write_string(out, text),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (index, key) in keys.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                if let Some(item) = map.get(key) {
                    write_value(out, item);
                }
            }
            out.push('}');
        }
    }
}

/// `text` as a JSON string literal, as Python's `ensure_ascii` encoder writes it.
pub(crate) fn py_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(&mut out, text);
    out
}

/// A string as Python's `ensure_ascii` encoder writes it.
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(ch),
            _ => {
                let mut units = [0u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorted_compact_ascii() {
        let value = json!({"b": 1.5, "a": [true, null], "é": "👍\n"});
        assert_eq!(
            to_flask_json(&value),
            br#"{"a":[true,null],"b":1.5,"\u00e9":"\ud83d\udc4d\n"}"#
        );
        assert_eq!(to_flask_json(&json!(1_700_000_000.0)), b"1700000000.0");
    }
}
