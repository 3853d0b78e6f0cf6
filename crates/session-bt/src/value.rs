//! The decoded tree: values that borrow the input and remember the exact bytes they came
//! from, so that signatures can be checked over the bytes as received.

/// A decoded bencode value.
///
/// Every value keeps its raw encoding ([`raw`](Self::raw)) and where it started in the
/// decoded input ([`offset`](Self::offset)). Values only come from the decoder, so the raw
/// bytes are always the canonical encoding of the value.
///
/// ```
/// let input = b"d1:ai1e1:bl3:xyzee";
/// let value = session_bt::decode(input)?;
/// let list = value.get(b"b").expect("key b");
/// assert_eq!(list.raw(), b"l3:xyze");
/// assert_eq!(list.offset(), 10);
/// assert_eq!(list.as_list().map(|items| items[0].as_bytes()), Some(Some(&b"xyz"[..])));
/// assert_eq!(value.get(b"a").and_then(|v| v.as_i64()), Some(1));
/// # Ok::<(), session_bt::DecodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value<'a> {
    raw: &'a [u8],
    offset: usize,
    kind: Kind<'a>,
}

/// What a [`Value`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind<'a> {
    /// An integer; the decoder guarantees `i64::MIN..=u64::MAX`.
    Int(i128),
    /// A byte string, borrowed from the input.
    Bytes(&'a [u8]),
    /// A list.
    List(Vec<Value<'a>>),
    /// A dictionary (keys strictly increasing).
    Dict(Dict<'a>),
}

/// A decoded dictionary: entries in strictly increasing key order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dict<'a> {
    entries: Vec<Entry<'a>>,
}

/// One key and value of a [`Dict`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    key: &'a [u8],
    key_offset: usize,
    value: Value<'a>,
}

impl<'a> Value<'a> {
    pub(crate) const fn new(raw: &'a [u8], offset: usize, kind: Kind<'a>) -> Self {
        Self { raw, offset, kind }
    }

    /// The exact bytes this value was decoded from.
    pub const fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Where [`raw`](Self::raw) starts in the decoded input.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// What this value is.
    pub const fn kind(&self) -> &Kind<'a> {
        &self.kind
    }

    /// The value, dropping the raw span.
    pub fn into_kind(self) -> Kind<'a> {
        self.kind
    }

    /// The integer, if this is one.
    pub const fn as_int(&self) -> Option<i128> {
        match self.kind {
            Kind::Int(n) => Some(n),
            _ => None,
        }
    }

    /// The integer, if this is one that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_int().and_then(|n| i64::try_from(n).ok())
    }

    /// The integer, if this is one that fits a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_int().and_then(|n| u64::try_from(n).ok())
    }

    /// The bytes, if this is a string.
    pub const fn as_bytes(&self) -> Option<&'a [u8]> {
        match self.kind {
            Kind::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The string, if this is a byte string holding UTF-8.
    pub fn as_str(&self) -> Option<&'a str> {
        self.as_bytes().and_then(|b| core::str::from_utf8(b).ok())
    }

    /// The items, if this is a list.
    pub fn as_list(&self) -> Option<&[Value<'a>]> {
        match &self.kind {
            Kind::List(items) => Some(items),
            _ => None,
        }
    }

    /// The dictionary, if this is one.
    pub const fn as_dict(&self) -> Option<&Dict<'a>> {
        match &self.kind {
            Kind::Dict(dict) => Some(dict),
            _ => None,
        }
    }

    /// The value under `key`, if this is a dictionary holding it.
    pub fn get(&self, key: &[u8]) -> Option<&Value<'a>> {
        self.as_dict().and_then(|dict| dict.get(key))
    }

    /// For a dictionary: its raw bytes from the opening `d` up to, not including, the entry
    /// whose key is `key`, or where that entry would go (the first larger key, or the
    /// closing `e`). `None` if this is not a dictionary.
    ///
    /// This is the span Session signs in config and group-key messages: the dictionary up
    /// to its signature entry (`~`), which sorts last.
    ///
    /// ```
    /// let value = session_bt::decode(b"d1:ai1e1:~3:sige")?;
    /// assert_eq!(value.dict_prefix(b"~"), Some(&b"d1:ai1e"[..]));
    /// assert_eq!(value.dict_prefix(b"b"), Some(&b"d1:ai1e"[..]));
    /// assert_eq!(value.dict_prefix(b"0"), Some(&b"d"[..]));
    /// # Ok::<(), session_bt::DecodeError>(())
    /// ```
    pub fn dict_prefix(&self, key: &[u8]) -> Option<&'a [u8]> {
        let dict = self.as_dict()?;
        let end = match dict.entries.iter().find(|entry| entry.key >= key) {
            Some(entry) => entry.key_offset - self.offset,
            // The closing `e` is the last byte.
            None => self.raw.len() - 1,
        };
        self.raw.get(..end)
    }

    /// The bencode type name (`"integer"`, `"string"`, `"list"`, `"dict"`), for messages.
    pub const fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Int(_) => "integer",
            Kind::Bytes(_) => "string",
            Kind::List(_) => "list",
            Kind::Dict(_) => "dict",
        }
    }
}

impl<'a> Dict<'a> {
    pub(crate) const fn from_sorted(entries: Vec<Entry<'a>>) -> Self {
        Self { entries }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in key order.
    pub fn entries(&self) -> &[Entry<'a>] {
        &self.entries
    }

    /// The entry under `key` (binary search).
    pub fn entry(&self, key: &[u8]) -> Option<&Entry<'a>> {
        self.entries
            .binary_search_by(|entry| entry.key.cmp(key))
            .ok()
            .and_then(|index| self.entries.get(index))
    }

    /// The value under `key` (binary search).
    pub fn get(&self, key: &[u8]) -> Option<&Value<'a>> {
        self.entry(key).map(Entry::value)
    }

    /// Keys and values in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a [u8], &Value<'a>)> + '_ {
        self.entries.iter().map(|entry| (entry.key, &entry.value))
    }
}

impl<'a> Entry<'a> {
    pub(crate) const fn new(key: &'a [u8], key_offset: usize, value: Value<'a>) -> Self {
        Self {
            key,
            key_offset,
            value,
        }
    }

    /// The key.
    pub const fn key(&self) -> &'a [u8] {
        self.key
    }

    /// Where the key's encoding (its length prefix) starts in the decoded input.
    pub const fn key_offset(&self) -> usize {
        self.key_offset
    }

    /// The value.
    pub const fn value(&self) -> &Value<'a> {
        &self.value
    }
}
