//! The member entry of a bulk action (`delete_all`, `delete_before`, `expire_all`): the
//! affected hashes — a sorted list for one namespace, or for `"all"` a dict of namespace →
//! sorted list — and the member's signature over a prefix and every hash in total hash order.

use serde_json::{Map, Value, json};

use super::namespace::NamespaceChoice;
use super::recursive::member_signature;
use crate::node::Node;

/// The entry `{key: hashes, "signature": sig(signed_prefix ‖ sorted hashes)}`.
pub(crate) fn bulk_entry(
    node: &Node,
    key: &str,
    choice: NamespaceChoice,
    mut affected: Vec<(i16, String)>,
    signed_prefix: String,
) -> Value {
    affected.sort_by(|a, b| a.1.cmp(&b.1));
    let mut message = signed_prefix.into_bytes();
    for (_, hash) in &affected {
        message.extend_from_slice(hash.as_bytes());
    }
    let listed = match choice {
        NamespaceChoice::One(_) => json!(
            affected
                .into_iter()
                .map(|(_, hash)| hash)
                .collect::<Vec<_>>()
        ),
        NamespaceChoice::All => {
            let mut by_namespace: Map<String, Value> = Map::new();
            for (namespace, hash) in affected {
                let list = by_namespace
                    .entry(namespace.to_string())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = list {
                    items.push(Value::String(hash));
                }
            }
            Value::Object(by_namespace)
        }
    };
    json!({key: listed, "signature": member_signature(node, &message)})
}
