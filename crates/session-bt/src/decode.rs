//! The strict decoder: accepts exactly the canonical encoding and nothing else.
//!
//! Rejected: leading zeros in integers and lengths, `-0`, empty integers, integers outside
//! `i64::MIN..=u64::MAX`, lengths past the end of the input, non-string or unsorted or
//! duplicate dictionary keys, and (for [`decode`]) trailing bytes. Nesting, value count and
//! input length are bounded by [`Limits`].

use crate::error::{DecodeError, DecodeErrorKind};
use crate::limits::Limits;
use crate::value::{Dict, Entry, Kind, Value};

/// Decodes one complete document with the default [`Limits`].
///
/// ```
/// use session_bt::{decode, DecodeErrorKind};
///
/// assert_eq!(decode(b"i42e")?.as_i64(), Some(42));
/// assert_eq!(decode(b"i042e").unwrap_err().kind(), DecodeErrorKind::LeadingZero);
/// assert_eq!(decode(b"d1:b0:1:a0:e").unwrap_err().kind(), DecodeErrorKind::UnsortedKey);
/// assert_eq!(decode(b"0:x").unwrap_err().offset(), 2);
/// # Ok::<(), session_bt::DecodeError>(())
/// ```
pub fn decode(input: &[u8]) -> Result<Value<'_>, DecodeError> {
    decode_with(input, &Limits::default())
}

/// Decodes one complete document: `input` must hold exactly one value.
pub fn decode_with<'a>(input: &'a [u8], limits: &Limits) -> Result<Value<'a>, DecodeError> {
    if input.len() > limits.max_len() {
        return Err(DecodeError::new(
            limits.max_len(),
            DecodeErrorKind::TooLong(limits.max_len()),
        ));
    }
    let (value, end) = decode_prefix(input, limits)?;
    if end != input.len() {
        return Err(DecodeError::new(end, DecodeErrorKind::TrailingBytes));
    }
    Ok(value)
}

/// Decodes the value at the start of `input` and returns it with the number of bytes it
/// took; whatever follows is left alone.
///
/// ```
/// let (value, used) = session_bt::decode_prefix(b"i7etail", &Default::default())?;
/// assert_eq!((value.as_i64(), used), (Some(7), 3));
/// # Ok::<(), session_bt::DecodeError>(())
/// ```
pub fn decode_prefix<'a>(
    input: &'a [u8],
    limits: &Limits,
) -> Result<(Value<'a>, usize), DecodeError> {
    let truncated = input.len() > limits.max_len();
    let view = input.get(..limits.max_len()).unwrap_or(input);
    let mut parser = Parser {
        input: view,
        pos: 0,
        values: 0,
        limits,
    };
    match parser.value(0) {
        Ok(value) => Ok((value, parser.pos)),
        // Running out of a view we cut short means the value is longer than allowed.
        Err(e)
            if truncated
                && matches!(
                    e.kind(),
                    DecodeErrorKind::UnexpectedEnd | DecodeErrorKind::LengthPastEnd(_)
                ) =>
        {
            Err(DecodeError::new(
                limits.max_len(),
                DecodeErrorKind::TooLong(limits.max_len()),
            ))
        }
        Err(e) => Err(e),
    }
}

/// A cursor over the input.
struct Parser<'a, 'l> {
    input: &'a [u8],
    pos: usize,
    values: usize,
    limits: &'l Limits,
}

impl<'a> Parser<'a, '_> {
    fn error(&self, offset: usize, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(offset, kind)
    }

    fn peek(&self) -> Result<u8, DecodeError> {
        self.input
            .get(self.pos)
            .copied()
            .ok_or_else(|| self.error(self.pos, DecodeErrorKind::UnexpectedEnd))
    }

    /// The value starting at the cursor; `depth` counts the containers around it.
    fn value(&mut self, depth: usize) -> Result<Value<'a>, DecodeError> {
        let start = self.pos;
        self.values += 1;
        if self.values > self.limits.max_values() {
            return Err(self.error(
                start,
                DecodeErrorKind::TooManyValues(self.limits.max_values()),
            ));
        }
        let kind = match self.peek()? {
            b'i' => Kind::Int(self.integer()?),
            b'0'..=b'9' => Kind::Bytes(self.string()?),
            b'l' => {
                self.enter(depth)?;
                Kind::List(self.list(depth + 1)?)
            }
            b'd' => {
                self.enter(depth)?;
                Kind::Dict(self.dict(depth + 1)?)
            }
            other => return Err(self.error(start, DecodeErrorKind::UnexpectedByte(other))),
        };
        let raw = self.input.get(start..self.pos).unwrap_or_default();
        Ok(Value::new(raw, start, kind))
    }

    /// Checks that one more level of nesting is allowed.
    fn enter(&self, depth: usize) -> Result<(), DecodeError> {
        if depth >= self.limits.max_depth() {
            return Err(self.error(self.pos, DecodeErrorKind::TooDeep(self.limits.max_depth())));
        }
        Ok(())
    }

    /// Consumes a run of ASCII digits and returns where it starts and ends.
    fn digits(&mut self) -> (usize, usize) {
        let start = self.pos;
        while self.input.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        (start, self.pos)
    }

    /// Consumes `expected` or fails at the cursor.
    fn expect(&mut self, expected: u8) -> Result<(), DecodeError> {
        match self.peek()? {
            byte if byte == expected => {
                self.pos += 1;
                Ok(())
            }
            other => Err(self.error(self.pos, DecodeErrorKind::UnexpectedByte(other))),
        }
    }

    /// `i<digits>e` with an optional `-`.
    fn integer(&mut self) -> Result<i128, DecodeError> {
        let start = self.pos;
        self.pos += 1; // 'i'
        let negative = self.input.get(self.pos) == Some(&b'-');
        if negative {
            self.pos += 1;
        }
        let (from, to) = self.digits();
        let digits = self.input.get(from..to).unwrap_or_default();
        match digits {
            [] => {
                self.peek()?;
                return Err(self.error(from, DecodeErrorKind::EmptyInteger));
            }
            [b'0', _, ..] => return Err(self.error(from, DecodeErrorKind::LeadingZero)),
            [b'0'] if negative => return Err(self.error(start, DecodeErrorKind::NegativeZero)),
            _ => {}
        }
        let magnitude = parse_decimal(digits)
            .ok_or_else(|| self.error(from, DecodeErrorKind::IntegerOutOfRange))?;
        let value = if negative {
            if magnitude > 1 << 63 {
                return Err(self.error(from, DecodeErrorKind::IntegerOutOfRange));
            }
            -i128::from(magnitude)
        } else {
            i128::from(magnitude)
        };
        self.expect(b'e')?;
        Ok(value)
    }

    /// `<length>:<bytes>`.
    fn string(&mut self) -> Result<&'a [u8], DecodeError> {
        let start = self.pos;
        let (from, to) = self.digits();
        let digits = self.input.get(from..to).unwrap_or_default();
        if let [b'0', _, ..] = digits {
            return Err(self.error(from, DecodeErrorKind::LeadingZero));
        }
        let len = parse_decimal(digits)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| self.error(start, DecodeErrorKind::LengthOverflow))?;
        self.expect(b':')?;
        let end = self
            .pos
            .checked_add(len)
            .filter(|&end| end <= self.input.len())
            .ok_or_else(|| self.error(start, DecodeErrorKind::LengthPastEnd(len)))?;
        let bytes = self.input.get(self.pos..end).unwrap_or_default();
        self.pos = end;
        Ok(bytes)
    }

    /// `l<values>e`.
    fn list(&mut self, depth: usize) -> Result<Vec<Value<'a>>, DecodeError> {
        self.pos += 1; // 'l'
        let mut items = Vec::new();
        while self.peek()? != b'e' {
            items.push(self.value(depth)?);
        }
        self.pos += 1;
        Ok(items)
    }

    /// `d<key><value>...e` with keys strictly increasing.
    fn dict(&mut self, depth: usize) -> Result<Dict<'a>, DecodeError> {
        self.pos += 1; // 'd'
        let mut entries: Vec<Entry<'a>> = Vec::new();
        loop {
            let key_offset = self.pos;
            match self.peek()? {
                b'e' => break,
                b'0'..=b'9' => {}
                b'i' | b'l' | b'd' => {
                    return Err(self.error(key_offset, DecodeErrorKind::NonStringKey));
                }
                other => {
                    return Err(self.error(key_offset, DecodeErrorKind::UnexpectedByte(other)));
                }
            }
            let key = self.string()?;
            if let Some(previous) = entries.last() {
                match previous.key().cmp(key) {
                    core::cmp::Ordering::Less => {}
                    core::cmp::Ordering::Equal => {
                        return Err(self.error(key_offset, DecodeErrorKind::DuplicateKey));
                    }
                    core::cmp::Ordering::Greater => {
                        return Err(self.error(key_offset, DecodeErrorKind::UnsortedKey));
                    }
                }
            }
            // A key followed by `e` fails in `value` as an unexpected byte.
            let value = self.value(depth)?;
            entries.push(Entry::new(key, key_offset, value));
        }
        self.pos += 1;
        Ok(Dict::from_sorted(entries))
    }
}

/// A non-empty run of ASCII digits as a `u64`, or `None` on overflow.
fn parse_decimal(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |acc, &digit| {
        acc.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecodeErrorKind::*;

    fn err(input: &[u8]) -> (usize, DecodeErrorKind) {
        let e = decode(input).expect_err("input should be rejected");
        (e.offset(), e.kind())
    }

    #[test]
    fn integers() {
        assert_eq!(decode(b"i0e").unwrap().as_int(), Some(0));
        assert_eq!(decode(b"i-7e").unwrap().as_i64(), Some(-7));
        assert_eq!(
            decode(b"i-9223372036854775808e").unwrap().as_i64(),
            Some(i64::MIN)
        );
        assert_eq!(
            decode(b"i18446744073709551615e").unwrap().as_u64(),
            Some(u64::MAX)
        );
        assert_eq!(decode(b"i18446744073709551615e").unwrap().as_i64(), None);
        assert_eq!(err(b"i18446744073709551616e"), (1, IntegerOutOfRange));
        assert_eq!(err(b"i-9223372036854775809e"), (2, IntegerOutOfRange));
        assert_eq!(err(b"i99999999999999999999999999e"), (1, IntegerOutOfRange));
    }

    #[test]
    fn integer_shape() {
        assert_eq!(err(b"i01e"), (1, LeadingZero));
        assert_eq!(err(b"i00e"), (1, LeadingZero));
        assert_eq!(err(b"i-01e"), (2, LeadingZero));
        assert_eq!(err(b"i-0e"), (0, NegativeZero));
        assert_eq!(err(b"ie"), (1, EmptyInteger));
        assert_eq!(err(b"i-e"), (2, EmptyInteger));
        assert_eq!(err(b"i+1e"), (1, EmptyInteger));
        assert_eq!(err(b"i1"), (2, UnexpectedEnd));
        assert_eq!(err(b"i"), (1, UnexpectedEnd));
        assert_eq!(err(b"i-"), (2, UnexpectedEnd));
        assert_eq!(err(b"i1x"), (2, UnexpectedByte(b'x')));
        assert_eq!(err(b"i 1e"), (1, EmptyInteger));
    }

    #[test]
    fn strings() {
        assert_eq!(decode(b"0:").unwrap().as_bytes(), Some(&b""[..]));
        assert_eq!(
            decode(b"3:a\x00c").unwrap().as_bytes(),
            Some(&b"a\x00c"[..])
        );
        assert_eq!(err(b"03:abc"), (0, LeadingZero));
        assert_eq!(err(b"00:"), (0, LeadingZero));
        assert_eq!(err(b"4:abc"), (0, LengthPastEnd(4)));
        assert_eq!(
            err(b"18446744073709551615:x"),
            (0, LengthPastEnd(usize::MAX))
        );
        assert_eq!(err(b"99999999999999999999999:x"), (0, LengthOverflow));
        assert_eq!(err(b"3"), (1, UnexpectedEnd));
        assert_eq!(err(b"3x"), (1, UnexpectedByte(b'x')));
    }

    #[test]
    fn lists() {
        let value = decode(b"li1e0:le4:spame").unwrap();
        let items = value.as_list().unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(items[2].raw(), b"le");
        assert_eq!(items[3].offset(), 8);
        assert_eq!(err(b"li1e"), (4, UnexpectedEnd));
        assert_eq!(err(b"l"), (1, UnexpectedEnd));
        assert_eq!(err(b"lxe"), (1, UnexpectedByte(b'x')));
    }

    #[test]
    fn dicts() {
        let value = decode(b"d0:i0e1:a0:2:aai1e1:bdee").unwrap();
        let dict = value.as_dict().unwrap();
        assert_eq!(dict.len(), 4);
        assert_eq!(dict.get(b"aa").and_then(Value::as_i64), Some(1));
        assert_eq!(dict.entry(b"b").unwrap().key_offset(), 18);
        assert!(dict.get(b"c").is_none());
        assert_eq!(err(b"d1:b0:1:a0:e"), (6, UnsortedKey));
        assert_eq!(err(b"d1:a0:1:a0:e"), (6, DuplicateKey));
        // Shorter keys sort first: "a" < "aa".
        assert_eq!(err(b"d2:aa0:1:a0:e"), (7, UnsortedKey));
        assert_eq!(err(b"di1e0:e"), (1, NonStringKey));
        assert_eq!(err(b"dl0:e"), (1, NonStringKey));
        assert_eq!(err(b"d1:ae"), (4, UnexpectedByte(b'e')));
        assert_eq!(err(b"d1:a"), (4, UnexpectedEnd));
        assert_eq!(err(b"d"), (1, UnexpectedEnd));
        assert_eq!(err(b"dxe"), (1, UnexpectedByte(b'x')));
    }

    #[test]
    fn top_level() {
        assert_eq!(err(b""), (0, UnexpectedEnd));
        assert_eq!(err(b"e"), (0, UnexpectedByte(b'e')));
        assert_eq!(err(b"i1ei2e"), (3, TrailingBytes));
        assert_eq!(err(b"le "), (2, TrailingBytes));
        let (value, used) = decode_prefix(b"lei", &Limits::default()).unwrap();
        assert_eq!((value.raw(), used), (&b"le"[..], 2));
    }

    #[test]
    fn raw_spans_nest() {
        let input = b"d1:ald1:xi-3eee1:b3:abce";
        let value = decode(input).unwrap();
        assert_eq!(value.raw(), input);
        let inner = &value.get(b"a").unwrap().as_list().unwrap()[0];
        assert_eq!(inner.raw(), b"d1:xi-3ee");
        assert_eq!(&input[inner.offset()..][..inner.raw().len()], inner.raw());
        assert_eq!(inner.get(b"x").unwrap().raw(), b"i-3e");
    }

    #[test]
    fn depth_limit() {
        let limits = Limits::default().with_max_depth(3);
        assert!(decode_with(b"llleee", &limits).is_ok());
        assert_eq!(
            decode_with(b"lllleeee", &limits).unwrap_err(),
            DecodeError::new(3, TooDeep(3))
        );
        assert_eq!(
            decode_with(b"ld1:alleee", &limits).unwrap_err(),
            DecodeError::new(6, TooDeep(3))
        );
        // Scalars do not count as a level.
        assert!(decode_with(b"i1e", &Limits::default().with_max_depth(0)).is_ok());
        // The default stops hostile nesting long before the stack could suffer.
        let deep = [vec![b'l'; 100_000], vec![b'e'; 100_000]].concat();
        assert_eq!(decode(&deep).unwrap_err().kind(), TooDeep(64));
        let capped = Limits::default().with_max_depth(usize::MAX);
        assert_eq!(capped.max_depth(), crate::limits::MAX_DEPTH_CAP);
        assert_eq!(
            decode_with(&deep, &capped).unwrap_err().kind(),
            TooDeep(crate::limits::MAX_DEPTH_CAP)
        );
    }

    #[test]
    fn value_and_length_limits() {
        let limits = Limits::default().with_max_values(3);
        assert!(decode_with(b"li1ei2ee", &limits).is_ok());
        assert_eq!(
            decode_with(b"li1ei2ei3ee", &limits).unwrap_err(),
            DecodeError::new(7, TooManyValues(3))
        );
        let limits = Limits::default().with_max_len(4);
        assert!(decode_with(b"i12e", &limits).is_ok());
        assert_eq!(
            decode_with(b"i123e", &limits).unwrap_err(),
            DecodeError::new(4, TooLong(4))
        );
        assert_eq!(
            decode_prefix(b"i123e", &limits).unwrap_err(),
            DecodeError::new(4, TooLong(4))
        );
        // A short value followed by more input is fine for a prefix decode.
        assert_eq!(decode_prefix(b"i1eXXXXXX", &limits).unwrap().1, 3);
        // A string declared longer than the limit fails as too long, not as truncated.
        assert_eq!(
            decode_prefix(b"9:aaaaaaaaa", &limits).unwrap_err().kind(),
            TooLong(4)
        );
    }
}
