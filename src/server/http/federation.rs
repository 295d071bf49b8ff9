//! `GET|POST /federation`: the federation endpoint a custom identity broker uses, as AWS
//! documents it for `signin.aws.amazon.com/federation`. `Action=getSigninToken` answers
//! `{"SigninToken": …}`; `Action=login` opens the console session and sends the person to
//! `Destination`, which must be a page of this console (no open redirect); `Issuer` is only ever
//! a link back.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::forwarded::Forwarding;
use super::plain_page;
use super::request_info::request_info;
use crate::server::service::federation::console_broker::{self, BrokerRefusal};
use crate::server::{session, AppState};

/// The most a sign-in link's `Issuer` may be and still be shown as a link.
const MAX_ISSUER_LENGTH: usize = 1_024;

pub async fn federation(
    State(state): State<AppState>,
    session: Session,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    body: Bytes,
) -> Response {
    let mut pairs: Vec<(String, String)> =
        form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    if method == Method::POST {
        pairs.extend(form_urlencoded::parse(&body).into_owned());
    }
    let mut params: HashMap<String, String> = HashMap::new();
    for (name, value) in pairs {
        if params.insert(name.clone(), value).is_some() {
            return refused(
                &format!("The parameter {name} was given more than once."),
                None,
            );
        }
    }
    let iam = &state.iam;
    let request = request_info(iam, &headers, &extensions, uuid::Uuid::new_v4().to_string());
    let action = params.get("Action").map(String::as_str).unwrap_or_default();
    let allowed: &[&str] = match action {
        "getSigninToken" => &["Action", "Session", "SessionDuration", "SessionType"],
        "login" => &["Action", "Issuer", "Destination", "SigninToken"],
        _ => return refused("Action must be getSigninToken or login.", None),
    };
    if let Some(unknown) = params.keys().find(|name| !allowed.contains(&name.as_str())) {
        return refused(
            &format!("{action} does not take the parameter {unknown}."),
            None,
        );
    }
    if action == "getSigninToken" {
        // AWS's brokers may say `SessionType=json`, the only type there is.
        if params.get("SessionType").is_some_and(|kind| kind != "json") {
            return refused("SessionType must be json.", None);
        }
        let Some(session_json) = params.get("Session") else {
            return refused("Session is required.", None);
        };
        return match console_broker::get_signin_token(
            iam,
            &request,
            session_json,
            params.get("SessionDuration").map(String::as_str),
        )
        .await
        {
            Ok(token) => (
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                serde_json::json!({ "SigninToken": token }).to_string(),
            )
                .into_response(),
            Err(refusal) => broker_refused(refusal, None),
        };
    }
    let issuer = params.get("Issuer").and_then(|issuer| link_target(issuer));
    let Some(destination) = params
        .get("Destination")
        .and_then(|destination| console_path(destination, &headers, &extensions))
    else {
        return refused(
            "Destination must be a page of this console.",
            issuer.as_deref(),
        );
    };
    let Some(token) = params.get("SigninToken") else {
        return refused("SigninToken is required.", issuer.as_deref());
    };
    let signin = match console_broker::take_signin_token(iam, &request, token).await {
        Ok(signin) => signin,
        Err(refusal) => return broker_refused(refusal, issuer.as_deref()),
    };
    let mut federation = signin.federation;
    federation.issuer = issuer;
    if let Err(error) = session::establish_federated(
        &session,
        iam.clock(),
        signin.principal,
        signin.mfa_authenticated_at,
        federation,
        &request,
    )
    .await
    {
        tracing::error!(error = %error, "federated console session not opened");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    Redirect::to(&destination).into_response()
}

/// The path (and query) of `destination` when it is a page of this console: a path on this
/// host, or an absolute URL of this console's origin (`--public-url`, or the `Host` asked).
fn console_path(
    destination: &str,
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
) -> Option<String> {
    let local = |path: &str| {
        (path.starts_with('/')
            && !path.starts_with("//")
            && !path.contains('\\')
            && !path.chars().any(char::is_control))
        .then(|| path.to_string())
    };
    if destination.starts_with('/') {
        return local(destination);
    }
    let url = url::Url::parse(destination).ok()?;
    let origin = url.origin().ascii_serialization();
    let public = extensions
        .get::<Forwarding>()
        .and_then(|forwarding| forwarding.public_url.as_ref())
        .is_some_and(|public| public.origin().eq_ignore_ascii_case(&origin));
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let same_host = host.is_some_and(|host| {
        ["http", "https"]
            .iter()
            .any(|scheme| format!("{scheme}://{host}").eq_ignore_ascii_case(&origin))
    });
    if !(public || same_host) {
        return None;
    }
    let mut path = url.path().to_string();
    if let Some(query) = url.query() {
        path.push('?');
        path.push_str(query);
    }
    local(&path)
}

/// `Issuer` when it can be a link: an http(s) URL of reasonable length.
fn link_target(issuer: &str) -> Option<String> {
    let url = url::Url::parse(issuer).ok()?;
    (matches!(url.scheme(), "http" | "https") && issuer.len() <= MAX_ISSUER_LENGTH)
        .then(|| url.to_string())
}

fn broker_refused(refusal: BrokerRefusal, issuer: Option<&str>) -> Response {
    match refusal {
        BrokerRefusal::Service(error) => {
            tracing::error!(error = %error, "federation endpoint failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        BrokerRefusal::Throttled => {
            let mut response = refused(&BrokerRefusal::Throttled.to_string(), issuer);
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            response
        }
        BrokerRefusal::BadRequest(message) => refused(&message, issuer),
    }
}

/// A page saying why, with a link back to the issuer when there is one.
fn refused(message: &str, issuer: Option<&str>) -> Response {
    let mut links = Vec::new();
    if let Some(issuer) = issuer {
        links.push((issuer, "Return to where you came from"));
    }
    links.push(("/signin", "Sign in to Ferriam"));
    plain_page::refusal(StatusCode::BAD_REQUEST, "Sign-in refused", message, &links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_stay_on_this_console() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "iam.example.com:3000".parse().unwrap());
        let extensions = axum::http::Extensions::new();
        let path = |d: &str| console_path(d, &headers, &extensions);
        assert_eq!(path("/users?x=1").as_deref(), Some("/users?x=1"));
        assert_eq!(
            path("http://iam.example.com:3000/roles").as_deref(),
            Some("/roles")
        );
        for elsewhere in [
            "https://evil.example.com/",
            "//evil.example.com/x",
            "/\\evil.example.com",
            "javascript:alert(1)",
            "http://iam.example.com.evil.com:3000/",
            "users",
        ] {
            assert_eq!(path(elsewhere), None, "{elsewhere}");
        }
    }

    #[test]
    fn only_web_addresses_are_links_back() {
        assert!(link_target("https://broker.example.com/portal").is_some());
        assert!(link_target("javascript:alert(1)").is_none());
        assert!(link_target("data:text/html,x").is_none());
    }
}
