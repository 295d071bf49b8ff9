//! Outbound fetches over TLS (what reaches an identity provider's keys): a server whose
//! certificate chains to no trusted root is refused unless the provider pins a thumbprint of a
//! CA certificate it presents, and then the chain below the pin must still verify — a server
//! that presents the pinned CA beside a certificate the CA never signed is refused.

use std::sync::Arc;

use ferriam::server::outbound::tls::{thumbprint, TrustedRoots};
use ferriam::server::outbound::{get, FetchError, FetchRules};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn certificate(pem: &[u8]) -> CertificateDer<'static> {
    CertificateDer::from_pem_slice(pem).unwrap()
}

/// An HTTPS server on loopback presenting `chain`, answering every request with a small JSON
/// document; its URL.
async fn server(chain: Vec<CertificateDer<'static>>, key: &[u8]) -> String {
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, PrivateKeyDer::from_pem_slice(key).unwrap())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}/keys",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = vec![0u8; 4096];
                let _ = tls.read(&mut request).await;
                let body = r#"{"keys":[]}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    url
}

fn rules(roots: Vec<CertificateDer<'static>>) -> FetchRules {
    FetchRules {
        allow_loopback_http: false,
        // The test server is on loopback.
        allow_private_addresses: true,
        roots: TrustedRoots::only(roots),
    }
}

#[tokio::test]
async fn a_certificate_chaining_to_no_trusted_root_needs_a_pinned_ca() {
    let ca = certificate(include_bytes!("data/tls/ca.pem"));
    let leaf = certificate(include_bytes!("data/tls/leaf.pem"));
    let url = server(vec![leaf, ca.clone()], include_bytes!("data/tls/leaf.key")).await;
    let ca_print = thumbprint(&ca);

    // Trusted by nobody: refused.
    assert!(matches!(
        get(&url, &rules(Vec::new()), &[]).await,
        Err(FetchError::Failed(_))
    ));
    // A thumbprint of something else: refused.
    let other = "0".repeat(40);
    assert!(matches!(
        get(&url, &rules(Vec::new()), &[other]).await,
        Err(FetchError::Failed(_))
    ));
    // The CA's thumbprint pinned (upper case too, as operators paste it): fetched.
    let fetched = get(&url, &rules(Vec::new()), &[ca_print.to_ascii_uppercase()])
        .await
        .expect("the pinned CA anchors the chain");
    assert_eq!(&fetched.body[..], br#"{"keys":[]}"#);
    // The CA among the trusted roots (the operator's --idp-ca-bundle): fetched without a pin.
    get(&url, &rules(vec![ca]), &[])
        .await
        .expect("trusted root");
}

#[tokio::test]
async fn presenting_the_pinned_ca_beside_a_certificate_it_never_signed_is_refused() {
    let ca = certificate(include_bytes!("data/tls/ca.pem"));
    let rogue = certificate(include_bytes!("data/tls/rogue.pem"));
    let url = server(
        vec![rogue, ca.clone()],
        include_bytes!("data/tls/rogue.key"),
    )
    .await;
    let pinned = [thumbprint(&ca)];
    assert!(
        matches!(
            get(&url, &rules(Vec::new()), &pinned).await,
            Err(FetchError::Failed(_))
        ),
        "a public CA certificate is no proof: the chain below the pin must verify"
    );
}
