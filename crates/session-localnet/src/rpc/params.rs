//! Reading typed fields out of a request's `params` object with the storage server's exact
//! rules and error texts (nlohmann's type predicates: a non-negative integer is "unsigned",
//! any integer is "integer", floats are neither, `null` counts as absent).

use serde_json::{Map, Number, Value};

use super::namespace::NamespaceChoice;

/// A malformed request: the text after `invalid request: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError(pub(crate) String);

impl ParseError {
    /// An error with this text.
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }
}

/// The result of reading a field.
pub(crate) type Parsed<T> = Result<T, ParseError>;

/// The server keeps times as nanosecond `system_clock` points, so a millisecond count that
/// does not fit wraps around there; passing it through the same arithmetic keeps such values
/// (and the signatures over them) behaving as they do on a real node.
pub(crate) const fn through_system_clock(ms: i64) -> i64 {
    ms.wrapping_mul(1_000_000) / 1_000_000
}

/// Times below this many milliseconds were almost certainly sent in seconds.
const MIN_MILLISECOND_TIMESTAMP: i64 = 1_000_000_000;

fn present<'a>(params: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    params.get(name).filter(|value| !value.is_null())
}

fn wrong_type(name: &str, expected: &str) -> ParseError {
    ParseError(format!(
        "Invalid value given for '{name}': expected {expected}"
    ))
}

fn is_unsigned(value: &Value) -> bool {
    matches!(value, Value::Number(number) if number.is_u64())
}

fn is_integer(value: &Value) -> bool {
    matches!(value, Value::Number(number) if number.is_u64() || number.is_i64())
}

/// An integer as nlohmann's `get<int64_t>()` gives it: unsigned values above `i64::MAX` wrap.
fn as_wrapped_i64(number: &Number) -> i64 {
    number
        .as_i64()
        .or_else(|| number.as_u64().map(|value| value as i64))
        .unwrap_or(0)
}

fn as_wrapped_i64_value(value: &Value) -> i64 {
    match value {
        Value::Number(number) => as_wrapped_i64(number),
        _ => 0,
    }
}

/// A string field.
pub(crate) fn string<'a>(params: &'a Map<String, Value>, name: &str) -> Parsed<Option<&'a str>> {
    match present(params, name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(wrong_type(name, "string")),
    }
}

/// A boolean field.
pub(crate) fn boolean(params: &Map<String, Value>, name: &str) -> Parsed<Option<bool>> {
    match present(params, name) {
        None => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(_) => Err(wrong_type(name, "boolean")),
    }
}

/// A non-negative integer field.
pub(crate) fn unsigned(params: &Map<String, Value>, name: &str) -> Parsed<Option<u64>> {
    match present(params, name) {
        None => Ok(None),
        Some(Value::Number(number)) if number.is_u64() => Ok(number.as_u64()),
        Some(_) => Err(wrong_type(name, "positive integer")),
    }
}

/// A 64-bit signed integer field.
pub(crate) fn integer(params: &Map<String, Value>, name: &str) -> Parsed<Option<i64>> {
    match present(params, name) {
        None => Ok(None),
        Some(value) if is_integer(value) => Ok(Some(as_wrapped_i64_value(value))),
        Some(_) => Err(wrong_type(name, "integer")),
    }
}

/// A C `int` field: any integer, truncated to its low 32 bits as a C++ conversion does.
pub(crate) fn int32(params: &Map<String, Value>, name: &str) -> Parsed<Option<i32>> {
    Ok(integer(params, name)?.map(|value| value as i32))
}

/// A millisecond timestamp: an unsigned integer of at least 10⁹ (after the clock's wrap).
pub(crate) fn timestamp(params: &Map<String, Value>, name: &str) -> Parsed<Option<i64>> {
    match present(params, name) {
        None => Ok(None),
        Some(value) if is_unsigned(value) => {
            let ms = through_system_clock(as_wrapped_i64_value(value));
            if ms < MIN_MILLISECOND_TIMESTAMP {
                return Err(ParseError(format!(
                    "Invalid timestamp for '{name}': timestamp must be in milliseconds"
                )));
            }
            Ok(Some(ms))
        }
        Some(_) => Err(wrong_type(name, "integer timestamp (in milliseconds)")),
    }
}

/// One timestamp or a list of them (no seconds check: the server has none for lists).
pub(crate) fn timestamp_list(params: &Map<String, Value>, name: &str) -> Parsed<Option<Vec<i64>>> {
    match present(params, name) {
        None => Ok(None),
        Some(value) if is_unsigned(value) => Ok(Some(vec![through_system_clock(
            as_wrapped_i64_value(value),
        )])),
        Some(Value::Array(items)) if items.iter().all(is_unsigned) => Ok(Some(
            items
                .iter()
                .map(|item| through_system_clock(as_wrapped_i64_value(item)))
                .collect(),
        )),
        Some(_) => Err(wrong_type(name, "timestamp array")),
    }
}

/// One string or a list of strings.
pub(crate) fn string_list(params: &Map<String, Value>, name: &str) -> Parsed<Option<Vec<String>>> {
    match present(params, name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(vec![text.clone()])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(text) => Ok(text.clone()),
                _ => Err(wrong_type(name, "string array")),
            })
            .collect::<Parsed<Vec<String>>>()
            .map(Some),
        Some(_) => Err(wrong_type(name, "string array")),
    }
}

fn namespace_in_range(name: &str, value: &Value) -> Parsed<i16> {
    i16::try_from(as_wrapped_i64_value(value)).map_err(|_| {
        ParseError(format!(
            "Invalid value given for '{name}': value out of range"
        ))
    })
}

/// A namespace: an integer in −32768..=32767.
pub(crate) fn namespace(params: &Map<String, Value>, name: &str) -> Parsed<Option<i16>> {
    match present(params, name) {
        None => Ok(None),
        Some(value) if is_integer(value) => namespace_in_range(name, value).map(Some),
        Some(_) => Err(wrong_type(name, "16-bit integer")),
    }
}

/// A namespace or the string `"all"`.
pub(crate) fn namespace_choice(
    params: &Map<String, Value>,
    name: &str,
) -> Parsed<Option<NamespaceChoice>> {
    match present(params, name) {
        None => Ok(None),
        Some(value) if is_integer(value) => {
            namespace_in_range(name, value).map(|ns| Some(NamespaceChoice::One(ns)))
        }
        Some(Value::String(text)) if text == "all" => Ok(Some(NamespaceChoice::All)),
        Some(_) => Err(wrong_type(name, "integer or \"all\"")),
    }
}

/// Parses decimal digits as C++ `from_chars` does: optional `-` for signed types, no `+`,
/// no spaces, the whole text.
fn parse_decimal<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.starts_with('+') {
        return None;
    }
    text.parse().ok()
}

/// A field that may be an integer or, for old clients, a decimal string (`store`'s
/// `timestamp`).
pub(crate) fn stringified_integer(params: &Map<String, Value>, name: &str) -> Parsed<Option<i64>> {
    match params.get(name) {
        Some(Value::String(text)) => parse_decimal::<i64>(text)
            .map(Some)
            .ok_or_else(|| stringified_error(name, text)),
        _ => integer(params, name),
    }
}

/// As [`stringified_integer`], unsigned (`store`'s `ttl`).
pub(crate) fn stringified_unsigned(params: &Map<String, Value>, name: &str) -> Parsed<Option<u64>> {
    match params.get(name) {
        Some(Value::String(text)) => parse_decimal::<u64>(text)
            .map(Some)
            .ok_or_else(|| stringified_error(name, text)),
        _ => unsigned(params, name),
    }
}

fn stringified_error(name: &str, text: &str) -> ParseError {
    ParseError(format!(
        "Invalid value given for '{name}': {}",
        Value::String(text.to_owned())
    ))
}

/// `Required field 'NAME' missing` unless `value` is there.
pub(crate) fn require<T>(name: &str, value: Option<T>) -> Parsed<T> {
    value.ok_or_else(|| ParseError(format!("Required field '{name}' missing")))
}

/// Rejects a request that gives both spellings of one field.
pub(crate) fn at_most_one_of<T>(
    first: &str,
    a: &Option<T>,
    second: &str,
    b: &Option<T>,
) -> Parsed<()> {
    if a.is_some() && b.is_some() {
        return Err(ParseError(format!(
            "Cannot specify both '{first}' and '{second}'"
        )));
    }
    Ok(())
}

/// The one of `pubkey`/`pubKey` that is given (an alias pair: the error names only the first).
pub(crate) fn one_of_alias<T>(first: &str, a: Option<T>, second: &str, b: Option<T>) -> Parsed<T> {
    at_most_one_of(first, &a, second, &b)?;
    a.or(b)
        .ok_or_else(|| ParseError(format!("Required field '{first}' missing")))
}
