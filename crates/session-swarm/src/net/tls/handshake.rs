//! Handshake-signature checks shared by both verifiers: whatever we decide about the
//! certificate, the server must still prove it holds the key inside it.

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::CertificateDer;
use rustls::{DigitallySignedStruct, Error, SignatureScheme};

/// Verifies TLS 1.2 / 1.3 handshake signatures with a provider's algorithms.
#[derive(Debug)]
pub(crate) struct HandshakeSignatures {
    /// The provider whose signature algorithms are used.
    provider: std::sync::Arc<CryptoProvider>,
}

impl HandshakeSignatures {
    /// Checks with `provider`'s algorithms.
    pub(crate) fn new(provider: std::sync::Arc<CryptoProvider>) -> Self {
        Self { provider }
    }

    /// A TLS 1.2 `ServerKeyExchange` signature.
    pub(crate) fn tls12(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    /// A TLS 1.3 `CertificateVerify` signature.
    pub(crate) fn tls13(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    /// The schemes the provider can verify.
    pub(crate) fn schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
