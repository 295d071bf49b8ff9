//! The second front door: the AWS Query API on `/` (form-encoded `Action=…&Version=…`,
//! SigV4-signed, XML answers, AWS's error codes) for IAM (2010-05-08) and STS (2011-06-15),
//! chosen by the signature's credential scope. Each operation decodes its parameters, calls
//! the service layer and encodes the result; nothing else.

pub mod auth;
pub mod dispatch;
pub mod errors;
pub mod input;
pub mod ops;
pub mod params;
pub mod shapes;
pub mod sigv4;
pub mod xml;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::server::http::request_info::request_info;
use crate::server::service::{signin::throttle, Iam, RequestInfo};
use errors::ApiError;
use params::Params;
use xml::Xml;

/// The router's body limit: a body streamed past it gets AWS's error here.
pub use crate::server::config::MAX_BODY_BYTES;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Iam,
    Sts,
}

impl Service {
    /// The SigV4 scope's service name.
    pub fn from_scope(name: &str) -> Option<Self> {
        match name {
            "iam" => Some(Service::Iam),
            "sts" => Some(Service::Sts),
            _ => None,
        }
    }

    pub fn scope_name(self) -> &'static str {
        match self {
            Service::Iam => "iam",
            Service::Sts => "sts",
        }
    }

    pub fn version(self) -> &'static str {
        match self {
            Service::Iam => "2010-05-08",
            Service::Sts => "2011-06-15",
        }
    }

    pub fn namespace(self) -> &'static str {
        match self {
            Service::Iam => "https://iam.amazonaws.com/doc/2010-05-08/",
            Service::Sts => "https://sts.amazonaws.com/doc/2011-06-15/",
        }
    }
}

/// Middleware in front of the console: Query API requests are answered here, everything else
/// goes on to the console. The console serves `GET /` too, so only requests that carry an
/// `Action` or SigV4 credentials are the API's.
pub async fn front_door(State(iam): State<Iam>, request: Request, next: Next) -> Response {
    if is_api_request(&request) {
        handle(&iam, request).await
    } else {
        next.run(request).await
    }
}

/// Whether the front door serves `request` (a signed or `Action=` request to `/`).
pub fn is_api_request(request: &Request) -> bool {
    if request.uri().path() != "/" {
        return false;
    }
    if request.method() == Method::POST {
        return true;
    }
    if request.method() != Method::GET {
        return false;
    }
    let query = request.uri().query().unwrap_or_default();
    let signed = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("AWS4-"));
    signed
        || query
            .split('&')
            .any(|pair| pair.starts_with("Action=") || pair.starts_with("X-Amz-Algorithm="))
}

/// Serves one Query API request.
pub async fn handle(iam: &Iam, request: Request) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = request.into_parts();
    let too_large = || {
        ApiError::sender(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            format!("The request body is larger than the {MAX_BODY_BYTES}-byte limit."),
        )
    };
    let declared_length = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    let mut params = Params::from_query(parts.uri.query().unwrap_or_default());
    // Before authentication the namespace of an error can only be guessed from `Version`.
    let guessed = match params.get("Version") {
        Some(version) if version == Service::Sts.version() => Service::Sts,
        _ => Service::Iam,
    };
    if declared_length.is_some_and(|length| length > MAX_BODY_BYTES) {
        return error_response(guessed, &too_large(), &request_id);
    }
    let body: Bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return error_response(guessed, &too_large(), &request_id),
    };
    if parts.method == Method::POST {
        params.extend_from(&body);
    }
    let guessed = match params.get("Version") {
        Some(version) if version == Service::Sts.version() => Service::Sts,
        _ => guessed,
    };
    let info = request_info(iam, &parts.headers, &parts.extensions, request_id.clone());
    let signed = parts.headers.contains_key(header::AUTHORIZATION)
        || params.get("X-Amz-Algorithm").is_some();
    if !signed && dispatch::is_unsigned_operation(&params) {
        return match unsigned(iam, info, &params).await {
            Ok((action, result)) => success_response(Service::Sts, action, result, &request_id),
            Err(error) => error_response(Service::Sts, &error, &request_id),
        };
    }
    let headers = header_pairs(&parts);
    let signed = sigv4::SignedRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or_default(),
        headers: &headers,
        body: &body,
    };
    let authenticated = match authenticate_throttled(iam, &signed, info).await {
        Ok(authenticated) => authenticated,
        Err(error) => return error_response(guessed, &error, &request_id),
    };
    let service = authenticated.service;
    if let Some(name) = params.repeated() {
        let error = ApiError::validation(format!("The parameter {name} was given more than once."));
        return error_response(service, &error, &request_id);
    }
    let outcome = dispatch::run(iam, &authenticated.caller, service, &params).await;
    match outcome {
        Ok((action, result)) => success_response(service, action, result, &request_id),
        Err(error) => error_response(service, &error, &request_id),
    }
}

/// An unsigned request (AssumeRoleWithWebIdentity): within its source's budget of unsigned
/// requests, and, like a signed one, refused at once from an address that keeps failing to
/// authenticate; a token refused as invalid counts as such a failure.
async fn unsigned(
    iam: &Iam,
    info: RequestInfo,
    params: &Params,
) -> Result<(&'static str, Option<Xml>), ApiError> {
    let source = info.source_ip.clone();
    if params.repeated().is_some() {
        let name = params.repeated().unwrap_or_default();
        return Err(ApiError::validation(format!(
            "The parameter {name} was given more than once."
        )));
    }
    if !iam.unsigned_requests().admit(source.as_deref()) {
        tracing::info!(
            outcome = "throttled",
            "unsigned request over its source's budget"
        );
        return Err(ApiError::throttling());
    }
    if throttle::api_source_refused(iam, source.as_deref()).await? {
        return Err(ApiError::throttling());
    }
    let result = dispatch::run_unsigned(iam, info, params).await;
    if let Err(error) = &result {
        if matches!(
            error.code.as_str(),
            "InvalidIdentityToken" | "ExpiredTokenException"
        ) {
            if let Err(error) = throttle::api_authentication_failed(iam, source.as_deref()).await {
                tracing::warn!(error = %error, "refused token not counted");
            }
        }
    }
    result
}

/// SECURITY: an address that keeps failing authentication (guessing keys or signatures) is
/// refused with `Throttling` after one read, before any key lookup or signature work.
async fn authenticate_throttled(
    iam: &Iam,
    signed: &sigv4::SignedRequest<'_>,
    info: RequestInfo,
) -> Result<auth::Authenticated, ApiError> {
    let source = info.source_ip.clone();
    match throttle::api_source_refused(iam, source.as_deref()).await {
        Ok(false) => {}
        Ok(true) => {
            tracing::info!(outcome = "throttled", "Query API request refused");
            return Err(ApiError::throttling());
        }
        Err(error) => return Err(error.into()),
    }
    let result = auth::authenticate(iam, signed, info).await;
    if let Err(error) = &result {
        if !error.receiver {
            if let Err(error) = throttle::api_authentication_failed(iam, source.as_deref()).await {
                tracing::warn!(error = %error, "failed authentication not counted");
            }
        }
    }
    result
}

/// Every header as (name, value) in arrival order, plus `host` from the URI when HTTP/2 sent
/// it as `:authority`.
fn header_pairs(parts: &axum::http::request::Parts) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    if !parts.headers.contains_key(header::HOST) {
        if let Some(authority) = parts.uri.authority() {
            headers.push(("host".to_string(), authority.to_string()));
        }
    }
    headers
}

/// `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata>…</ResponseMetadata></XResponse>`;
/// operations without output have no `XResult`.
fn success_response(
    service: Service,
    action: &str,
    result: Option<Xml>,
    request_id: &str,
) -> Response {
    let response_name = format!("{action}Response");
    let mut xml = Xml::new();
    xml.open_with_namespace(&response_name, service.namespace());
    if let Some(result) = result {
        let result_name = format!("{action}Result");
        xml.open(&result_name).append(result).close(&result_name);
    }
    xml.nested("ResponseMetadata", |x| {
        x.text("RequestId", request_id);
    })
    .close(&response_name);
    xml_response(StatusCode::OK, xml, request_id)
}

fn error_response(service: Service, error: &ApiError, request_id: &str) -> Response {
    let mut xml = Xml::new();
    xml.open_with_namespace("ErrorResponse", service.namespace())
        .nested("Error", |x| {
            x.text("Type", if error.receiver { "Receiver" } else { "Sender" })
                .text("Code", &error.code)
                .text("Message", &error.message);
        })
        .text("RequestId", request_id)
        .close("ErrorResponse");
    xml_response(error.status, xml, request_id)
}

fn xml_response(status: StatusCode, xml: Xml, request_id: &str) -> Response {
    let mut response = (status, Body::from(xml.into_bytes())).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", value);
    }
    response
}
