//! The real router for HTTP-level tests, and a SigV4 client for the Query API built from the
//! pure signing functions the AWS test suite checks.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use ferriam::server::config::ServeConfig;
use ferriam::server::http::router::router;
use ferriam::server::query_api::sigv4::{self, Authorization, Credential, SignedRequest};
use tower::ServiceExt;

use super::TestIam;

pub const HOST: &str = "ferriam.test";
/// `START_MILLIS`, as SigV4 writes it.
pub const NOW: &str = "20261122T000015Z";

/// The `Set-Cookie` header that sets the cookie `name` (with or without the `__Host-` prefix):
/// a sign-in sets the session cookie and the device cookie.
pub fn set_cookie(response: &axum::response::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| {
            let value = value.strip_prefix("__Host-").unwrap_or(value);
            value.starts_with(&format!("{name}="))
        })
        .map(str::to_string)
}

/// The `name=value` pair of the response's session cookie, as a browser sends it back.
pub fn session_pair(response: &axum::response::Response) -> Option<String> {
    let header = set_cookie(response, "ferriam-session")?;
    Some(header.split(';').next()?.to_string())
}

/// Signs in through a console server function (the browser's form post, with its cookies
/// if any); asserts the step succeeded and returns the session cookie's `name=value`.
pub async fn console_sign_in(app: &Router, path: &str, body: &str, cookie: Option<&str>) -> String {
    let mut request = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "sign-in at {path} failed: {}",
        response.status()
    );
    session_pair(&response).expect("sign-in sets the session cookie")
}

/// The whole HTTP server (console, server functions, Query API) over the test's database.
pub fn app(t: &TestIam) -> Router {
    app_with_cookies(t, false)
}

/// The whole HTTP server, with `Secure` (and `__Host-`) cookies when `secure_cookies`; its
/// site is [`site_root`], empty unless the test writes files there.
pub fn app_with_cookies(t: &TestIam, secure_cookies: bool) -> Router {
    let serve = ServeConfig {
        secure_cookies,
        ..serve_config(t)
    };
    router(t.iam.clone(), &serve)
}

/// The test server's settings as `serve` would default them, its site in [`site_root`].
pub fn serve_config(t: &TestIam) -> ServeConfig {
    ServeConfig::new(
        "127.0.0.1:0".parse().unwrap(),
        false,
        false,
        Some(site_root(t)),
    )
}

/// Where the test server finds its static files.
pub fn site_root(t: &TestIam) -> std::path::PathBuf {
    t.dir.path().join("site")
}

/// The Authorization header a client computes for a form POST.
pub fn authorization(
    key: &str,
    secret: &str,
    service: &str,
    amz_date: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> String {
    let mut headers = vec![
        (
            "content-type".to_string(),
            "application/x-www-form-urlencoded; charset=utf-8".to_string(),
        ),
        ("host".to_string(), HOST.to_string()),
        ("x-amz-date".to_string(), amz_date.to_string()),
    ];
    headers.extend(extra.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    let auth = Authorization {
        credential: Credential {
            access_key_id: key.to_string(),
            date: amz_date[..8].to_string(),
            region: "us-east-1".to_string(),
            service: service.to_string(),
        },
        signed_headers: vec![
            "content-type".to_string(),
            "host".to_string(),
            "x-amz-date".to_string(),
        ],
        signature: String::new(),
        amz_date: amz_date.to_string(),
        expires: None,
    };
    let request = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: body.as_bytes(),
    };
    let canonical = sigv4::canonical_request(&request, &auth).unwrap();
    let signature = sigv4::signature(
        &sigv4::signing_key(secret.as_bytes(), &auth.credential),
        &sigv4::string_to_sign(&auth, &canonical),
    );
    format!(
        "AWS4-HMAC-SHA256 Credential={key}/{}/us-east-1/{service}/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature={signature}",
        &amz_date[..8]
    )
}

/// A form POST to the Query API, signed when `authorization` is given.
pub fn post(body: &str, authorization: Option<&str>, amz_date: &str) -> Request<Body> {
    let mut request = Request::post("/")
        .header(header::HOST, HOST)
        .header(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .header("x-amz-date", amz_date);
    if let Some(authorization) = authorization {
        request = request.header(header::AUTHORIZATION, authorization);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// A Query API request signed at `NOW` with the given key.
pub fn signed(key: &str, secret: &str, service: &str, body: &str) -> Request<Body> {
    post(
        body,
        Some(&authorization(key, secret, service, NOW, body, &[])),
        NOW,
    )
}

/// Form-encodes one value.
pub fn form(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub struct Answer {
    pub status: StatusCode,
    pub body: String,
}

impl Answer {
    /// The text of the first `<name>` element.
    pub fn field(&self, name: &str) -> Option<String> {
        let open = format!("<{name}>");
        let start = self.body.find(&open)? + open.len();
        let end = self.body[start..].find(&format!("</{name}>"))? + start;
        Some(unescape(&self.body[start..end]))
    }

    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str, message: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        assert!(
            self.body.starts_with("<ErrorResponse xmlns=\""),
            "{}",
            self.body
        );
        assert_eq!(
            self.field("Type").as_deref(),
            Some("Sender"),
            "{}",
            self.body
        );
        assert_eq!(self.field("Code").as_deref(), Some(code), "{}", self.body);
        assert_eq!(
            self.field("Message").as_deref(),
            Some(message),
            "{}",
            self.body
        );
        let request_id = self.field("RequestId").unwrap();
        assert_eq!(request_id.len(), 36, "a UUID request id");
    }
}

/// XML text as the client reads it.
pub fn unescape(text: &str) -> String {
    quick_xml::escape::unescape(text)
        .expect("well-formed XML text")
        .into_owned()
}

pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 4 << 20)
        .await
        .unwrap();
    Answer {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}
