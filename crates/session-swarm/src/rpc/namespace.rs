//! Namespaces as requests name them and as signatures embed them.

/// The namespaces a bulk request (`delete_all`, `delete_before`, `expire_all`) acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NamespaceScope {
    /// One namespace.
    One(i16),
    /// Every namespace of the account (`"all"`).
    All,
}

impl NamespaceScope {
    /// The form signed strings embed: empty for namespace 0, the decimal otherwise
    /// (`-11`, `42`), `all` for every namespace.
    pub fn signed_form(self) -> String {
        match self {
            Self::One(namespace) => signed_form(namespace),
            Self::All => "all".to_owned(),
        }
    }

    /// The JSON `namespace` parameter: the integer, or the string `"all"`.
    pub fn to_json(self) -> serde_json::Value {
        match self {
            Self::One(namespace) => serde_json::Value::from(namespace),
            Self::All => serde_json::Value::from("all"),
        }
    }
}

/// The form signed strings and message hashes embed a namespace in: empty for 0 (whether
/// the request names it or not; a `"0"` here is a classic client bug), else the decimal.
pub fn signed_form(namespace: i16) -> String {
    if namespace == 0 {
        String::new()
    } else {
        namespace.to_string()
    }
}

/// Whether anyone may store to `namespace` without a signature (`ns % 10 == 0`: 0, -10, 40 …).
pub const fn is_public_inbox(namespace: i16) -> bool {
    namespace % 10 == 0
}

/// Whether `namespace` may be retrieved without a signature: the legacy closed-group
/// namespace -10 and the public outboxes (negative, `-ns % 20 == 1`: -1, -21 …).
pub const fn allows_anonymous_retrieve(namespace: i16) -> bool {
    // Widened first: the negation of i16::MIN does not fit an i16.
    let wide = namespace as i32;
    wide == -10 || (wide < 0 && (-wide) % 20 == 1)
}
