//! The seed verifier: the server's certificate must be byte-for-byte one of the pinned
//! certificates and name the host we dialled.
//!
//! Why not a root store: the real seed certificates are self-signed with `CA:TRUE`, and
//! WebPKI refuses a CA certificate used as an end entity. Pinning the exact certificate is
//! what desktop's fingerprint check amounts to (it also pins the SPKI hash, which an exact
//! match implies).

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::verify_server_name;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, DigitallySignedStruct, Error, SignatureScheme};

use crate::net::tls::handshake::HandshakeSignatures;

/// Trusts exactly the pinned certificates, for the names they carry.
#[derive(Debug)]
pub(crate) struct PinnedCertificates {
    /// The DER encodings accepted.
    pins: Vec<CertificateDer<'static>>,
    /// The signature checks.
    signatures: HandshakeSignatures,
}

impl PinnedCertificates {
    /// A verifier accepting only `pins`.
    pub(crate) fn new(pins: Vec<CertificateDer<'static>>, provider: Arc<CryptoProvider>) -> Self {
        Self {
            pins,
            signatures: HandshakeSignatures::new(provider),
        }
    }
}

impl ServerCertVerifier for PinnedCertificates {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        if !self
            .pins
            .iter()
            .any(|pin| pin.as_ref() == end_entity.as_ref())
        {
            return Err(Error::InvalidCertificate(CertificateError::UnknownIssuer));
        }
        let parsed = ParsedCertificate::try_from(end_entity)?;
        verify_server_name(&parsed, server_name)?;
        // The validity window is not checked: the pinned certificate is the trust decision,
        // and rustls offers no validity check outside chain building. `now` is unused.
        let _ = now;
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
