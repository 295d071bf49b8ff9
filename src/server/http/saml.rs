//! Ferriam's SAML service-provider endpoints: `GET /saml/metadata.xml`, the metadata an
//! administrator gives their identity provider; `POST /saml`, the assertion consumer service an
//! identity provider posts a person's signed response to (IdP-initiated, as AWS's console
//! takes it); `/saml/roles`, where the person picks among several roles. The steps' logic is
//! the service's (`federation::saml::console_signin`); this module carries the browser.

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tower_sessions::Session;

use super::request_info::service_origin;
use super::single_sign_on::{refused, request, role_page};
use crate::server::service::federation::saml::console_signin::{self, SamlIdentity};
use crate::server::service::federation::saml::metadata::{sp_metadata, NO_SERVICE_ORIGIN};
use crate::server::service::federation::single_sign_on::SsoRefusal;
use crate::server::service::{Iam, RequestInfo};
use crate::server::{session, AppState};

const ROLES_PATH: &str = "/saml/roles";
/// `SAMLResponse`'s bound, as AssumeRoleWithSAML's `SAMLAssertion`.
const MAX_RESPONSE_LENGTH: usize =
    crate::server::service::federation::saml::assume_role::MAX_ASSERTION_LENGTH;
/// The longest `RelayState` followed (SAML bindings: 80 bytes; some IdPs send more).
const MAX_RELAY_STATE: usize = 1_024;

pub async fn metadata(parts: Parts) -> Response {
    let Some(origin) = service_origin(&parts.extensions) else {
        return (StatusCode::SERVICE_UNAVAILABLE, NO_SERVICE_ORIGIN).into_response();
    };
    (
        [(header::CONTENT_TYPE, "application/samlmetadata+xml")],
        sp_metadata(&origin),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct Posted {
    #[serde(rename = "SAMLResponse")]
    saml_response: Option<String>,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

/// Where `RelayState` asks to land after sign-in: a path of this console, nothing else (never
/// another site: no open redirect).
fn landing(relay_state: Option<&str>) -> String {
    relay_state
        .filter(|state| state.len() <= MAX_RELAY_STATE)
        .filter(|state| state.starts_with('/') && !state.starts_with("//"))
        .filter(|state| !state.contains('\\') && !state.chars().any(char::is_control))
        .unwrap_or("/")
        .to_string()
}

/// `POST /saml` with `SAMLResponse` (and `RelayState`): one role signs straight in, several
/// are offered at `/saml/roles`.
pub async fn acs(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    extensions: Extensions,
    Form(posted): Form<Posted>,
) -> Response {
    let iam = &state.iam;
    let request = request(iam, &headers, &extensions);
    let Some(encoded) = posted
        .saml_response
        .filter(|r| !r.is_empty() && r.len() <= MAX_RESPONSE_LENGTH)
    else {
        return refused(
            SsoRefusal::Refused(
                "The identity provider posted no SAMLResponse, or one over 100,000 characters."
                    .to_string(),
            ),
            None,
        );
    };
    let mut identity = match console_signin::complete(iam, &request, &encoded).await {
        Ok(identity) => identity,
        Err(refusal) => return refused(refusal, None),
    };
    let landing = landing(posted.relay_state.as_deref());
    if let [only] = identity.roles.as_slice() {
        let role = only.arn.clone();
        return sign_in(iam, &session, &request, &identity, &role, &landing).await;
    }
    identity.landing = Some(landing);
    if let Err(error) = session::set_saml_identity(&session, &identity).await {
        return refused(error.into(), Some(&identity.account_id));
    }
    Redirect::to(ROLES_PATH).into_response()
}

/// `GET /saml/roles`: the roles the SAML user may choose.
pub async fn roles(session: Session) -> Response {
    match session::saml_identity(&session).await {
        Ok(Some(identity)) => role_page(
            &identity.assertion.issuer,
            &identity.session_name,
            &identity.roles,
            ROLES_PATH,
        ),
        Ok(None) => refused(no_identity(), None),
        Err(error) => refused(error.into(), None),
    }
}

#[derive(Deserialize)]
pub struct Choice {
    role_arn: String,
}

/// `POST /saml/roles` with `role_arn`: opens the console as that role.
pub async fn choose(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    extensions: Extensions,
    Form(choice): Form<Choice>,
) -> Response {
    let iam = &state.iam;
    let request = request(iam, &headers, &extensions);
    match session::saml_identity(&session).await {
        Ok(Some(identity)) => {
            let landing = identity.landing.clone().unwrap_or_else(|| "/".to_string());
            sign_in(
                iam,
                &session,
                &request,
                &identity,
                &choice.role_arn,
                &landing,
            )
            .await
        }
        Ok(None) => refused(no_identity(), None),
        Err(error) => refused(error.into(), None),
    }
}

fn no_identity() -> SsoRefusal {
    SsoRefusal::Refused(
        "There is no SAML sign-in in progress in this browser. Sign in from your identity provider.".to_string(),
    )
}

async fn sign_in(
    iam: &Iam,
    session: &Session,
    request: &RequestInfo,
    identity: &SamlIdentity,
    role_arn: &str,
    landing: &str,
) -> Response {
    let account = identity.account_id.clone();
    let (principal, federation) =
        match console_signin::sign_in(iam, request, identity, role_arn).await {
            Ok(opened) => opened,
            Err(refusal) => return refused(refusal, Some(&account)),
        };
    if let Err(error) =
        session::establish_federated(session, iam.clock(), principal, None, federation, request)
            .await
    {
        return refused(error.into(), Some(&account));
    }
    Redirect::to(landing).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_state_lands_only_on_this_console() {
        assert_eq!(landing(Some("/roles/app")), "/roles/app");
        assert_eq!(landing(None), "/");
        assert_eq!(landing(Some("https://evil.example.com/")), "/");
        assert_eq!(landing(Some("//evil.example.com/")), "/");
        assert_eq!(landing(Some("/\\evil.example.com")), "/");
        assert_eq!(landing(Some("/a\nb")), "/");
        assert_eq!(landing(Some(&format!("/{}", "a".repeat(2_000)))), "/");
    }
}
