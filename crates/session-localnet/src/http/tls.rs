//! Self-signed TLS identities for the nodes' and the seed's HTTPS listeners.
//!
//! The real nodes make an RSA-2048 certificate with subject `C=AU, CN=localhost, O=Oxen`,
//! valid 10000 days, unrelated to the node's keys; clients cannot verify it and do not try.
//! rcgen on ring cannot generate RSA keys, so ours are ECDSA P-256 with the same subject.
//! The SANs `localhost` and `127.0.0.1` let a client that wants to pin it (the seed's)
//! verify it as a root.

use std::sync::Arc;

use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

use crate::error::{Error, Result};

/// A certificate, its key, and a TLS acceptor serving them.
#[derive(Clone)]
pub(crate) struct TlsIdentity {
    cert_pem: String,
    cert_der: CertificateDer<'static>,
    acceptor: TlsAcceptor,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The private key stays out of logs.
        f.debug_struct("TlsIdentity")
            .field("cert_der_len", &self.cert_der.len())
            .finish_non_exhaustive()
    }
}

fn tls_error(error: impl std::fmt::Display) -> Error {
    Error::Tls(error.to_string())
}

impl TlsIdentity {
    /// A fresh self-signed certificate (ECDSA P-256, subject `C=AU, CN=localhost, O=Oxen`,
    /// SANs `localhost` and `127.0.0.1`).
    pub(crate) fn generate() -> Result<Self> {
        let mut params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                .map_err(tls_error)?;
        let mut subject = DistinguishedName::new();
        subject.push(DnType::CountryName, "AU");
        subject.push(DnType::CommonName, "localhost");
        subject.push(DnType::OrganizationName, "Oxen");
        params.distinguished_name = subject;
        // 10000 days, as the real nodes' certificates.
        params.not_before = rcgen::date_time_ymd(2024, 1, 1);
        params.not_after = rcgen::date_time_ymd(2051, 5, 19);
        let key = KeyPair::generate().map_err(tls_error)?;
        let cert = params.self_signed(&key).map_err(tls_error)?;
        let cert_der = cert.der().clone();
        let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .with_no_client_auth()
            .with_single_cert(vec![cert_der.clone()], key_der)
            .map_err(tls_error)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            cert_pem: cert.pem(),
            cert_der,
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }

    /// The certificate in PEM.
    pub(crate) fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The certificate in DER.
    pub(crate) const fn cert_der(&self) -> &CertificateDer<'static> {
        &self.cert_der
    }

    /// The acceptor to pass to [`super::serve`].
    pub(crate) const fn acceptor(&self) -> &TlsAcceptor {
        &self.acceptor
    }
}
