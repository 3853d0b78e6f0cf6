//! The service-node verifier: snodes serve self-signed certificates unrelated to their
//! identity, so the certificate cannot be checked; the onion layers, encrypted to the node's
//! X25519 key, are what authenticate it. The handshake signature is still verified, so the
//! connection is at least bound to the key the server presented.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, SignatureScheme};

use crate::net::tls::handshake::HandshakeSignatures;

/// Accepts any certificate; verifies handshake signatures.
#[derive(Debug)]
pub(crate) struct AnyCertificate {
    /// The signature checks.
    signatures: HandshakeSignatures,
}

impl AnyCertificate {
    /// A verifier using `provider`'s signature algorithms.
    pub(crate) fn new(provider: Arc<CryptoProvider>) -> Self {
        Self {
            signatures: HandshakeSignatures::new(provider),
        }
    }
}

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.signatures.tls12(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.signatures.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.signatures.schemes()
    }
}
