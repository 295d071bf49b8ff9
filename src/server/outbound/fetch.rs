//! One outbound request (a GET, or a form POST to a token endpoint) under the SSRF rules: the URL's scheme and host, the addresses its name
//! resolves to, TLS, no redirects, a deadline and a size limit. The connection goes to an
//! address that was checked, so a name cannot resolve differently between check and use.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use http_body_util::{BodyExt, Full, Limited};
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
    send(url, rules, thumbprints, None).await
}

/// A form POST: its fields, and the HTTP Basic credentials it carries, if any.
pub struct FormPost<'a> {
    pub fields: &'a [(&'a str, &'a str)],
    pub basic_auth: Option<(&'a str, &'a str)>,
}

/// POSTs `form` to `url` (`application/x-www-form-urlencoded`), as `get` fetches.
pub async fn post_form(
    url: &str,
    rules: &FetchRules,
    thumbprints: &[String],
    form: FormPost<'_>,
) -> Result<Fetched, FetchError> {
    send(url, rules, thumbprints, Some(form)).await
}

async fn send(
    url: &str,
    rules: &FetchRules,
    thumbprints: &[String],
    form: Option<FormPost<'_>>,
) -> Result<Fetched, FetchError> {
    match tokio::time::timeout(DEADLINE, fetch(url, rules, thumbprints, form)).await {
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
    form: Option<FormPost<'_>>,
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
    let mut target = parsed.path().to_string();
    if let Some(query) = parsed.query() {
        target.push('?');
        target.push_str(query);
    }
    let host_header = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.clone(),
    };
    let request = build_request(&target, &host_header, form)?;
    let stream = TcpStream::connect(address)
        .await
        .map_err(|e| FetchError::Failed(format!("connect to {address}: {e}")))?;
    if !https {
        return exchange(stream, request).await;
    }
    let config = client_config(&rules.roots, thumbprints).map_err(FetchError::Failed)?;
    let name = rustls::pki_types::ServerName::try_from(host.clone())
        .map_err(|e| FetchError::Refused(format!("{host}: {e}")))?;
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, stream)
        .await
        .map_err(|e| FetchError::Failed(format!("TLS with {host}: {e}")))?;
    exchange(tls, request).await
}

fn build_request(
    target: &str,
    host: &str,
    form: Option<FormPost<'_>>,
) -> Result<http::Request<Full<Bytes>>, FetchError> {
    let builder = http::Request::builder()
        .uri(target)
        .header(http::header::HOST, host)
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::USER_AGENT, "Ferriam");
    let request = match form {
        None => builder.method(http::Method::GET).body(Full::default()),
        Some(form) => {
            let body = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form.fields)
                .finish();
            let mut builder = builder.method(http::Method::POST).header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            );
            if let Some((user, password)) = form.basic_auth {
                builder = builder.header(http::header::AUTHORIZATION, basic_auth(user, password));
            }
            builder.body(Full::new(Bytes::from(body)))
        }
    };
    request.map_err(|e| FetchError::Failed(format!("request: {e}")))
}

/// RFC 6749 §2.3.1: both halves form-encoded, then Base64.
fn basic_auth(user: &str, password: &str) -> String {
    use base64::Engine;
    let encode = |text: &str| form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    let pair = format!("{}:{}", encode(user), encode(password));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
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

async fn exchange<S>(stream: S, request: http::Request<Full<Bytes>>) -> Result<Fetched, FetchError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let failed = |what: &str, e: &dyn std::fmt::Display| FetchError::Failed(format!("{what}: {e}"));
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| failed("HTTP handshake", &e))?;
    let driver = tokio::spawn(connection);
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
    let max_age = max_age(response.headers());
    let body = Limited::new(response.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
        .map_err(|e| failed(&format!("body (at most {MAX_BODY_BYTES} bytes)"), &e))?
        .to_bytes();
    driver.abort();
    if status != http::StatusCode::OK {
        return Err(FetchError::Failed(format!(
            "answered {status}{}",
            oauth_error(&body)
        )));
    }
    Ok(Fetched { body, max_age })
}

/// An OAuth 2.0 error answer's `error` and `error_description`, to say why (printable ASCII
/// only, and short: the text comes from another server).
fn oauth_error(body: &[u8]) -> String {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return String::new();
    };
    let clean = |key: &str| {
        json.get(key)
            .and_then(serde_json::Value::as_str)
            .map(|text| {
                text.chars()
                    .filter(|c| c.is_ascii_graphic() || *c == ' ')
                    .take(200)
                    .collect::<String>()
            })
    };
    match (clean("error"), clean("error_description")) {
        (Some(error), Some(description)) => format!(": {error} ({description})"),
        (Some(error), None) => format!(": {error}"),
        _ => String::new(),
    }
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
    fn basic_auth_encodes_both_halves_first() {
        // RFC 6749's example client, with a character that form encoding changes.
        assert_eq!(
            basic_auth("s6BhdRkqt3", "7Fjfp0ZBr1KtDRbnfVdmIw"),
            "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3"
        );
        assert_eq!(basic_auth("a b", "c:d"), "Basic YStiOmMlM0Fk");
    }

    #[test]
    fn oauth_errors_are_shown_short_and_printable() {
        assert_eq!(
            oauth_error(
                br#"{"error":"invalid_grant","error_description":"grant request is invalid\n<x>"}"#
            ),
            ": invalid_grant (grant request is invalid<x>)"
        );
        assert_eq!(oauth_error(b"<html>"), "");
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
