//! The producer: canonical bencode written straight into a `Vec<u8>`, without building a
//! tree first.
//!
//! Scalars are written by free functions. Lists and dictionaries are written through a
//! closure that receives a [`ListWriter`] or [`DictWriter`]; the closing `e` is written
//! when the closure returns, so containers always balance. Dictionary keys must come in
//! strictly increasing byte order (the canonical order oxenc uses); the writer checks this
//! without allocating and reports the first violation as an [`EncodeError`].

use crate::error::EncodeError;
use crate::value::{Kind, Value};

/// Appends `i<n>e`.
pub fn write_int(out: &mut Vec<u8>, n: i64) {
    out.push(b'i');
    if n < 0 {
        out.push(b'-');
    }
    push_decimal(out, u128::from(n.unsigned_abs()));
    out.push(b'e');
}

/// Appends `i<n>e` for an unsigned integer (bencode integers reach `u64::MAX` in oxenc).
pub fn write_uint(out: &mut Vec<u8>, n: u64) {
    out.push(b'i');
    push_decimal(out, u128::from(n));
    out.push(b'e');
}

/// Appends `<len>:<bytes>`.
pub fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 21);
    push_decimal(out, bytes.len() as u128);
    out.push(b':');
    out.extend_from_slice(bytes);
}

/// Appends a list whose items `items` writes.
///
/// ```
/// let mut out = Vec::new();
/// session_bt::write_list(&mut out, |list| {
///     list.int(-1);
///     list.bytes(b"spam");
///     list.dict(|dict| dict.uint(b"n", 7));
/// })?;
/// assert_eq!(out, b"li-1e4:spamd1:ni7eee");
/// # Ok::<(), session_bt::EncodeError>(())
/// ```
pub fn write_list<F>(out: &mut Vec<u8>, items: F) -> Result<(), EncodeError>
where
    F: FnOnce(&mut ListWriter<'_>),
{
    let mut error = None;
    ListWriter::new(out, &mut error).write(items);
    error.map_or(Ok(()), Err)
}

/// Appends a dictionary whose entries `entries` writes, in increasing key order.
///
/// ```
/// use session_bt::EncodeError;
///
/// let mut out = Vec::new();
/// session_bt::write_dict(&mut out, |dict| {
///     dict.bytes(b"#", b"nonce");
///     dict.list(b"e", |list| list.bytes(b"ct"));
/// })?;
/// assert_eq!(out, b"d1:#5:nonce1:el2:ctee");
///
/// let mut out = Vec::new();
/// let err = session_bt::write_dict(&mut out, |dict| {
///     dict.int(b"b", 1);
///     dict.int(b"a", 2);
/// });
/// assert_eq!(err, Err(EncodeError::UnsortedKey { offset: 7 }));
/// # Ok::<(), EncodeError>(())
/// ```
pub fn write_dict<F>(out: &mut Vec<u8>, entries: F) -> Result<(), EncodeError>
where
    F: FnOnce(&mut DictWriter<'_>),
{
    let mut error = None;
    DictWriter::new(out, &mut error).write(entries);
    error.map_or(Ok(()), Err)
}

/// Appends the canonical encoding of a decoded value, rebuilt from its parts.
///
/// For a value from the decoder this reproduces [`Value::raw`] exactly; copying `raw()`
/// is cheaper when the original bytes are wanted.
pub fn write_value(out: &mut Vec<u8>, value: &Value<'_>) {
    match value.kind() {
        Kind::Int(n) => write_i128(out, *n),
        Kind::Bytes(bytes) => write_bytes(out, bytes),
        Kind::List(items) => {
            out.push(b'l');
            for item in items {
                write_value(out, item);
            }
            out.push(b'e');
        }
        Kind::Dict(dict) => {
            out.push(b'd');
            for (key, item) in dict.iter() {
                write_bytes(out, key);
                write_value(out, item);
            }
            out.push(b'e');
        }
    }
}

/// Writes the items of a list.
#[derive(Debug)]
pub struct ListWriter<'o> {
    out: &'o mut Vec<u8>,
    error: &'o mut Option<EncodeError>,
}

impl<'o> ListWriter<'o> {
    fn new(out: &'o mut Vec<u8>, error: &'o mut Option<EncodeError>) -> Self {
        Self { out, error }
    }

    fn write<F: FnOnce(&mut Self)>(mut self, items: F) {
        self.out.push(b'l');
        items(&mut self);
        self.out.push(b'e');
    }

    /// Appends an integer.
    pub fn int(&mut self, n: i64) {
        write_int(self.out, n);
    }

    /// Appends an unsigned integer.
    pub fn uint(&mut self, n: u64) {
        write_uint(self.out, n);
    }

    /// Appends a byte string.
    pub fn bytes(&mut self, bytes: &[u8]) {
        write_bytes(self.out, bytes);
    }

    /// Appends a UTF-8 string as a byte string.
    pub fn str(&mut self, text: &str) {
        write_bytes(self.out, text.as_bytes());
    }

    /// Appends a nested list.
    pub fn list<F: FnOnce(&mut ListWriter<'_>)>(&mut self, items: F) {
        ListWriter::new(self.out, self.error).write(items);
    }

    /// Appends a nested dictionary.
    pub fn dict<F: FnOnce(&mut DictWriter<'_>)>(&mut self, entries: F) {
        DictWriter::new(self.out, self.error).write(entries);
    }

    /// Appends a decoded value (see [`write_value`]).
    pub fn value(&mut self, value: &Value<'_>) {
        write_value(self.out, value);
    }

    /// The output so far, for callers that need its length (e.g. to size padding).
    pub fn output(&self) -> &[u8] {
        self.out
    }
}

/// Writes the entries of a dictionary; each method takes the key first.
#[derive(Debug)]
pub struct DictWriter<'o> {
    out: &'o mut Vec<u8>,
    error: &'o mut Option<EncodeError>,
    /// Where the previous key's bytes sit in `out`.
    last_key: Option<(usize, usize)>,
}

impl<'o> DictWriter<'o> {
    fn new(out: &'o mut Vec<u8>, error: &'o mut Option<EncodeError>) -> Self {
        Self {
            out,
            error,
            last_key: None,
        }
    }

    fn write<F: FnOnce(&mut Self)>(mut self, entries: F) {
        self.out.push(b'd');
        entries(&mut self);
        self.out.push(b'e');
    }

    /// Writes `key`, checking it sorts after the previous key.
    fn key(&mut self, key: &[u8]) {
        let offset = self.out.len();
        write_bytes(self.out, key);
        let start = self.out.len() - key.len();
        if let Some((from, to)) = self.last_key
            && self.error.is_none()
        {
            let previous = self.out.get(from..to).unwrap_or_default();
            match previous.cmp(key) {
                core::cmp::Ordering::Less => {}
                core::cmp::Ordering::Equal => {
                    *self.error = Some(EncodeError::DuplicateKey { offset });
                }
                core::cmp::Ordering::Greater => {
                    *self.error = Some(EncodeError::UnsortedKey { offset });
                }
            }
        }
        self.last_key = Some((start, self.out.len()));
    }

    /// Appends `key` with an integer.
    pub fn int(&mut self, key: &[u8], n: i64) {
        self.key(key);
        write_int(self.out, n);
    }

    /// Appends `key` with an unsigned integer.
    pub fn uint(&mut self, key: &[u8], n: u64) {
        self.key(key);
        write_uint(self.out, n);
    }

    /// Appends `key` with a byte string.
    pub fn bytes(&mut self, key: &[u8], bytes: &[u8]) {
        self.key(key);
        write_bytes(self.out, bytes);
    }

    /// Appends `key` with a UTF-8 string.
    pub fn str(&mut self, key: &[u8], text: &str) {
        self.key(key);
        write_bytes(self.out, text.as_bytes());
    }

    /// Appends `key` with a nested list.
    pub fn list<F: FnOnce(&mut ListWriter<'_>)>(&mut self, key: &[u8], items: F) {
        self.key(key);
        ListWriter::new(self.out, self.error).write(items);
    }

    /// Appends `key` with a nested dictionary.
    pub fn dict<F: FnOnce(&mut DictWriter<'_>)>(&mut self, key: &[u8], entries: F) {
        self.key(key);
        DictWriter::new(self.out, self.error).write(entries);
    }

    /// Appends `key` with a decoded value (see [`write_value`]).
    pub fn value(&mut self, key: &[u8], value: &Value<'_>) {
        self.key(key);
        write_value(self.out, value);
    }

    /// The output so far.
    pub fn output(&self) -> &[u8] {
        self.out
    }
}

/// Appends `i<n>e` for any integer the decoder produces.
fn write_i128(out: &mut Vec<u8>, n: i128) {
    out.push(b'i');
    if n < 0 {
        out.push(b'-');
    }
    push_decimal(out, n.unsigned_abs());
    out.push(b'e');
}

/// Appends the decimal digits of `n` without going through `fmt`.
fn push_decimal(out: &mut Vec<u8>, mut n: u128) {
    let mut digits = [0u8; 39];
    let mut start = digits.len();
    loop {
        start -= 1;
        // `n % 10` is below 10, so the cast keeps every bit.
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars() {
        let mut out = Vec::new();
        write_int(&mut out, 0);
        write_int(&mut out, -42);
        write_int(&mut out, i64::MIN);
        write_uint(&mut out, u64::MAX);
        write_bytes(&mut out, b"");
        write_bytes(&mut out, b"0123456789");
        assert_eq!(
            out,
            b"i0ei-42ei-9223372036854775808ei18446744073709551615e0:10:0123456789"
        );
    }

    #[test]
    fn containers_balance() {
        let mut out = Vec::new();
        write_list(&mut out, |l| {
            l.list(|_| {});
            l.dict(|_| {});
            l.dict(|d| {
                d.list(b"a", |l| l.str("x"));
                d.dict(b"b", |d| d.int(b"", 0));
            });
        })
        .unwrap();
        assert_eq!(out, b"lleded1:al1:xe1:bd0:i0eeee");
    }

    #[test]
    fn key_order_is_checked_without_stopping_the_output() {
        let mut out = Vec::new();
        let result = write_dict(&mut out, |d| {
            d.int(b"a", 1);
            d.int(b"a", 2);
            d.int(b"0", 3);
        });
        assert_eq!(result, Err(EncodeError::DuplicateKey { offset: 7 }));
        assert_eq!(out, b"d1:ai1e1:ai2e1:0i3ee");

        let mut out = Vec::new();
        let result = write_list(&mut out, |l| {
            l.dict(|d| {
                d.int(b"aa", 1);
                d.int(b"a", 2);
            });
        });
        assert_eq!(result, Err(EncodeError::UnsortedKey { offset: 9 }));

        // Each dictionary has its own order; a key equal to the parent's is fine.
        let mut out = Vec::new();
        write_dict(&mut out, |d| {
            d.dict(b"k", |d| d.int(b"k", 1));
            d.int(b"l", 2);
        })
        .unwrap();
        assert_eq!(out, b"d1:kd1:ki1ee1:li2ee");
    }

    #[test]
    fn prefix_keys_sort_first() {
        let mut out = Vec::new();
        write_dict(&mut out, |d| {
            d.int(b"", 0);
            d.int(b"a", 1);
            d.int(b"aa", 2);
            d.int(b"b", 3);
            d.int(b"\xff", 4);
        })
        .unwrap();
        assert_eq!(out, b"d0:i0e1:ai1e2:aai2e1:bi3e1:\xffi4ee");
    }

    #[test]
    fn rebuilt_values_match_their_raw_bytes() {
        let input = b"d1:ali-9223372036854775808ei18446744073709551615ee1:bd0:0:ee";
        let value = crate::decode(input).unwrap();
        let mut out = Vec::new();
        write_value(&mut out, &value);
        assert_eq!(out, input);
    }
}
