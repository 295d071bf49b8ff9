//! One outbound GET under the SSRF rules: the URL's scheme and host, the addresses its name
//! resolves to, TLS, no redirects, a deadline and a size limit. The connection goes to an
//! address that was checked, so a name cannot resolve differently between check and use.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use http_body_util::{BodyExt, Empty, Limited};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::addresses::is_public;
use super::tls::{client_config, TrustedRoots};

/// The operator's rules for outbound fetches.
#[derive(Clone, Debug, Default)]
pub struct FetchRules {
    /// `--allow-loopback-http-idp`: plain `http://` to 127.0.0.1 or localhost.
    pub allow_loopback_http: bool,
    /// `--allow-private-idp-addresses`: HTTPS to private, loopback and link-local addresses
    /// (an identity provider inside the operator's network).
    pub allow_private_addresses: bool,
    pub roots: TrustedRoots,
}

/// Everything a fetch may take, connection included.
pub const DEADLINE: Duration = Duration::from_secs(5);
/// The largest body read: discovery documents and key sets are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 128 * 1024;

#[derive(Debug)]
pub struct Fetched {
    pub body: Bytes,
    /// `Cache-Control: max-age`, when the server gave one.
    pub max_age: Option<Duration>,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL is one these rules never fetch.
    #[error("refused: {0}")]
    Refused(String),
    /// The server could not be reached or answered something other than a document.
    #[error("failed: {0}")]
    Failed(String),
}

/// GETs `url`, trusting the rules' roots or a certificate pinned by `thumbprints`.
pub async fn get(
    url: &str,
    rules: &FetchRules,
    thumbprints: &[String],
) -> Result<Fetched, FetchError> {
    match tokio::time::timeout(DEADLINE, fetch(url, rules, thumbprints)).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::Failed(format!(
            "no answer within {} s",
            DEADLINE.as_secs()
        ))),
    }
}

async fn fetch(
    url: &str,
    rules: &FetchRules,
    thumbprints: &[String],
) -> Result<Fetched, FetchError> {
    let parsed = url::Url::parse(url).map_err(|e| FetchError::Refused(format!("{url}: {e}")))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| FetchError::Refused(format!("{url} has no host")))?
        .to_string();
    let https = match parsed.scheme() {
        "https" => true,
        "http" if rules.allow_loopback_http && is_loopback_name(&host) => false,
        "http" => {
            return Err(FetchError::Refused(format!(
                "{url}: identity providers are reached over HTTPS"
            )))
        }
        other => return Err(FetchError::Refused(format!("{url}: scheme {other}"))),
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(FetchError::Refused(format!("{url} carries credentials")));
    }
    let port = parsed.port_or_known_default().unwrap_or(443);
    let address = allowed_address(&host, port, https, rules).await?;
    let stream = TcpStream::connect(address)
        .await
        .map_err(|e| FetchError::Failed(format!("connect to {address}: {e}")))?;
    let mut target = parsed.path().to_string();
    if let Some(query) = parsed.query() {
        target.push('?');
        target.push_str(query);
    }
    let host_header = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.clone(),
    };
    if !https {
        return exchange(stream, &host_header, &target).await;
    }
    let config = client_config(&rules.roots, thumbprints).map_err(FetchError::Failed)?;
    let name = rustls::pki_types::ServerName::try_from(host.clone())
        .map_err(|e| FetchError::Refused(format!("{host}: {e}")))?;
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, stream)
        .await
        .map_err(|e| FetchError::Failed(format!("TLS with {host}: {e}")))?;
    exchange(tls, &host_header, &target).await
}

fn is_loopback_name(host: &str) -> bool {
    host == "127.0.0.1" || host == "[::1]" || host.eq_ignore_ascii_case("localhost")
}

/// The first address `host` resolves to that the rules allow: loopback for plain HTTP, public
/// (or, when allowed, private) for HTTPS.
async fn allowed_address(
    host: &str,
    port: u16,
    https: bool,
    rules: &FetchRules,
) -> Result<SocketAddr, FetchError> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((bare, port))
        .await
        .map_err(|e| FetchError::Failed(format!("resolve {host}: {e}")))?
        .collect();
    addresses
        .iter()
        .copied()
        .find(|address| {
            let ip = address.ip();
            if !https {
                ip.is_loopback()
            } else {
                rules.allow_private_addresses || is_public(ip)
            }
        })
        .ok_or_else(|| {
            FetchError::Refused(format!(
                "{host} resolves to no address identity providers may have (private, loopback and link-local addresses need --allow-private-idp-addresses)"
            ))
        })
}

async fn exchange<S>(stream: S, host: &str, target: &str) -> Result<Fetched, FetchError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let failed = |what: &str, e: &dyn std::fmt::Display| FetchError::Failed(format!("{what}: {e}"));
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| failed("HTTP handshake", &e))?;
    let driver = tokio::spawn(connection);
    let request = http::Request::get(target)
        .header(http::header::HOST, host)
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::USER_AGENT, "Ferriam")
        .body(Empty::<Bytes>::new())
        .map_err(|e| failed("request", &e))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| failed("request", &e))?;
    let status = response.status();
    if status.is_redirection() {
        driver.abort();
        return Err(FetchError::Failed(format!(
            "answered {status}: redirects are not followed"
        )));
    }
    if status != http::StatusCode::OK {
        driver.abort();
        return Err(FetchError::Failed(format!("answered {status}")));
    }
    let max_age = max_age(response.headers());
    let body = Limited::new(response.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
        .map_err(|e| failed(&format!("body (at most {MAX_BODY_BYTES} bytes)"), &e))?
        .to_bytes();
    driver.abort();
    Ok(Fetched { body, max_age })
}

fn max_age(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::CACHE_CONTROL)?.to_str().ok()?;
    value.split(',').find_map(|directive| {
        let seconds = directive.trim().strip_prefix("max-age=")?;
        seconds.trim().parse::<u64>().ok().map(Duration::from_secs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn plain_http_needs_the_flag_and_loopback() {
        let rules = FetchRules::default();
        assert!(matches!(
            get("http://127.0.0.1:9/x", &rules, &[]).await,
            Err(FetchError::Refused(_))
        ));
        let loopback = FetchRules {
            allow_loopback_http: true,
            ..FetchRules::default()
        };
        assert!(matches!(
            get("http://10.0.0.1/x", &loopback, &[]).await,
            Err(FetchError::Refused(_))
        ));
        assert!(matches!(
            get("ftp://127.0.0.1/x", &loopback, &[]).await,
            Err(FetchError::Refused(_))
        ));
    }

    #[tokio::test]
    async fn https_to_private_addresses_needs_the_flag() {
        let rules = FetchRules::default();
        for url in [
            "https://127.0.0.1/x",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/x",
            "https://localhost/x",
            "https://user:pw@example.com/x",
        ] {
            assert!(
                matches!(get(url, &rules, &[]).await, Err(FetchError::Refused(_))),
                "{url}"
            );
        }
    }

    #[test]
    fn max_age_reads_cache_control() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::CACHE_CONTROL,
            "public, max-age=600, must-revalidate".parse().unwrap(),
        );
        assert_eq!(max_age(&headers), Some(Duration::from_secs(600)));
    }
}
