//! The namespace classes of `storage-server.md` §4 and how a namespace appears inside signed
//! strings and message hashes.

use crate::storage::Namespaces;

/// A namespace field that may also be `"all"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamespaceChoice {
    /// One namespace.
    One(i16),
    /// Every namespace.
    All,
}

/// The legacy closed-group namespace: unauthenticated store and retrieve.
pub(crate) const LEGACY_CLOSED_GROUP: i16 = -10;

/// Anyone may store here (the owner still needs auth to read): every multiple of ten.
pub(crate) const fn is_public_inbox(namespace: i16) -> bool {
    namespace % 10 == 0
}

/// One message per owner, readable by anyone, stored only by the owner: −(20n+1).
pub(crate) const fn is_public_outbox(namespace: i16) -> bool {
    namespace < 0 && (-(namespace as i32)) % 20 == 1
}

/// Namespaces whose retrieve needs no signature.
pub(crate) const fn is_no_auth_retrieve(namespace: i16) -> bool {
    namespace == LEGACY_CLOSED_GROUP || is_public_outbox(namespace)
}

/// Namespaces a revoked subaccount may still read: −(100n+11), so a removed group member can
/// still fetch the notice of their removal.
pub(crate) const fn is_unrevocable(namespace: i16) -> bool {
    namespace < 0 && (-(namespace as i32)) % 100 == 11
}

/// The namespace as signed strings and hashes embed it: nothing for 0, else its decimal.
pub(crate) fn signed_form(namespace: i16) -> String {
    if namespace == 0 {
        String::new()
    } else {
        namespace.to_string()
    }
}

/// [`signed_form`] for fields that may be `"all"`.
pub(crate) fn choice_signed_form(choice: NamespaceChoice) -> String {
    match choice {
        NamespaceChoice::One(namespace) => signed_form(namespace),
        NamespaceChoice::All => "all".to_owned(),
    }
}

/// The storage selector for a choice.
pub(crate) const fn selector(choice: NamespaceChoice) -> Namespaces {
    match choice {
        NamespaceChoice::One(namespace) => Namespaces::One(namespace),
        NamespaceChoice::All => Namespaces::All,
    }
}
