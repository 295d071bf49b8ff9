//! TLS for outbound fetches: the system's trust store plus the operator's CA bundle, and, for a
//! provider whose certificate does not chain to either, the provider's pinned thumbprints — as
//! AWS documents: the SHA-1 fingerprint of the top intermediate CA certificate the server
//! presents. A pinned certificate becomes a trust anchor for that connection only, so the
//! chain below it is still verified (signatures, names, validity) by rustls's webpki verifier.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use sha1::{Digest, Sha1};

/// The certificate authorities outbound fetches trust, loaded once at start.
#[derive(Clone, Debug, Default)]
pub struct TrustedRoots {
    certificates: Arc<Vec<CertificateDer<'static>>>,
}

impl TrustedRoots {
    /// The system's roots and those in `ca_bundle` (a PEM file), if given.
    pub fn load(ca_bundle: Option<&std::path::Path>) -> Result<TrustedRoots, String> {
        let mut certificates: Vec<CertificateDer<'static>> =
            rustls_native_certs::load_native_certs().certs;
        if let Some(path) = ca_bundle {
            let bundle: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<_, _>>())
                .map_err(|e| format!("the IdP CA bundle {} does not read: {e}", path.display()))?;
            if bundle.is_empty() {
                return Err(format!(
                    "the IdP CA bundle {} holds no certificate",
                    path.display()
                ));
            }
            certificates.extend(bundle);
        }
        Ok(TrustedRoots {
            certificates: Arc::new(certificates),
        })
    }

    /// Only the certificates given (tests).
    pub fn only(certificates: Vec<CertificateDer<'static>>) -> TrustedRoots {
        TrustedRoots {
            certificates: Arc::new(certificates),
        }
    }

    fn store(&self) -> RootCertStore {
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(self.certificates.iter().cloned());
        roots
    }
}

fn provider() -> Arc<CryptoProvider> {
    // ring's provider without the post-quantum key exchange (aws-lc-rs's) is enough for
    // fetching public keys, and builds without a C toolchain's extras.
    #[allow(deprecated)]
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A client configuration trusting `roots`, or a certificate pinned by `thumbprints`.
pub fn client_config(roots: &TrustedRoots, thumbprints: &[String]) -> Result<ClientConfig, String> {
    let verifier = PinningVerifier {
        trusted: WebPkiServerVerifier::builder_with_provider(Arc::new(roots.store()), provider())
            .build()
            .ok(),
        thumbprints: thumbprints.iter().map(|t| t.to_ascii_lowercase()).collect(),
        provider: provider(),
    };
    Ok(ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

/// The lower-case hex SHA-1 of a DER certificate: how IAM spells a thumbprint.
pub fn thumbprint(certificate: &[u8]) -> String {
    hex::encode(Sha1::digest(certificate))
}

#[derive(Debug)]
struct PinningVerifier {
    /// `None` when no root is trusted (a system without a trust store): only pins then.
    trusted: Option<Arc<WebPkiServerVerifier>>,
    thumbprints: Vec<String>,
    provider: Arc<CryptoProvider>,
}

impl PinningVerifier {
    /// Verifies the chain again with the presented certificates whose thumbprints are pinned
    /// as its only trust anchors.
    fn verify_pinned(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let unknown = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let mut pinned = RootCertStore::empty();
        for certificate in intermediates.iter().chain(std::iter::once(end_entity)) {
            if self.thumbprints.contains(&thumbprint(certificate)) {
                // A certificate that cannot be an anchor simply anchors nothing.
                let _ = pinned.add(certificate.clone().into_owned());
            }
        }
        if pinned.is_empty() {
            return Err(unknown);
        }
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(pinned), self.provider.clone())
                .build()
                .map_err(|_| unknown)?;
        verifier.verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
    }
}

impl ServerCertVerifier for PinningVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let trusted = match &self.trusted {
            Some(verifier) => {
                verifier.verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
            }
            None => Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        };
        match trusted {
            Err(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))
                if !self.thumbprints.is_empty() =>
            {
                self.verify_pinned(end_entity, intermediates, server_name, ocsp, now)
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
