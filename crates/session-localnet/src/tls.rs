//! TLS for a local network's clients. Node certificates are self-signed and unrelated to
//! the nodes' keys, so Session clients do not verify them (the onion layers carry the
//! security); a test client needs the same leniency. The seed endpoint is different: pin
//! [`crate::LocalNet::seed_cert_der`] as clients pin the real seeds.

use crate::error::{Error, Result};

/// A rustls client configuration (ring provider) that accepts any server certificate but
/// still checks the handshake signature, for talking to the nodes.
pub fn accept_any_certificate() -> Result<rustls::ClientConfig> {
    crate::http::accept_any_config().map_err(|error| Error::Tls(error.to_string()))
}
