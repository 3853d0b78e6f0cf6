//! `GET /capabilities`.

use serde::{Deserialize, Serialize};

use crate::auth::AuthMode;

/// What a server supports: `sogs`, `reactions`, `blind` (blinded ids required),
/// `blind25`...
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Capabilities {
    /// The capability names, as the server lists them.
    pub capabilities: Vec<String>,
    /// On a 412, the required capabilities the server lacks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

impl Capabilities {
    /// Whether the server lists `name`.
    pub fn has(&self, name: &str) -> bool {
        self.capabilities.iter().any(|c| c == name)
    }

    /// Whether the server requires blinded ids (`blind`).
    pub fn requires_blinding(&self) -> bool {
        self.has("blind")
    }

    /// The identity to authenticate with here.
    pub fn auth_mode(&self) -> AuthMode {
        AuthMode::for_capabilities(&self.capabilities)
    }
}
