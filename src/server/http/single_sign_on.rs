//! Console single sign-on's pages (`/sso/…`): `POST /sso/start` (the sign-in page's button:
//! a same-origin form, so no other site can start a sign-in) sends the browser to the account's
//! identity provider, `GET /sso/callback/{account}/{provider}` takes it back and verifies who
//! signed in, `/sso/roles` lists the roles that trust that identity and opens the console as the
//! one chosen. The steps' logic is the service's (`federation::single_sign_on`); this module
//! carries the browser between them.

use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tower_sessions::Session;

use super::plain_page::{self, escape};
use super::request_info::{own_origin, request_info};
use crate::server::service::federation::single_sign_on::{
    self, Callback, RoleChoice, SsoIdentity, SsoRefusal,
};
use crate::server::service::{Iam, RequestInfo};
use crate::server::{session, AppState};

const ROLES_PATH: &str = "/sso/roles";

pub(super) fn request(iam: &Iam, headers: &HeaderMap, extensions: &Extensions) -> RequestInfo {
    request_info(iam, headers, extensions, uuid::Uuid::new_v4().to_string())
}

#[derive(Deserialize)]
pub struct Start {
    account: String,
    provider: String,
}

/// `POST /sso/start` with `account` and `provider`.
pub async fn start(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    extensions: Extensions,
    Form(start): Form<Start>,
) -> Response {
    let iam = &state.iam;
    let Some(origin) = own_origin(iam, &headers, &extensions) else {
        return refused(
            SsoRefusal::Refused("The request named no host.".to_string()),
            None,
        );
    };
    let request = request(iam, &headers, &extensions);
    match single_sign_on::begin(iam, &request, &start.account, &start.provider, &origin).await {
        Ok(authorization) => {
            if let Err(error) = session::set_sso_pending(&session, &authorization.pending).await {
                return refused(error.into(), Some(&start.account));
            }
            on_to_provider(&authorization.url)
        }
        Err(refusal) => refused(refusal, Some(&start.account)),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    iss: Option<String>,
}

/// `GET /sso/callback/{account}/{provider}?code=…&state=…` (or `error=…`): one role signs
/// straight in, several are offered at `/sso/roles`.
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    extensions: Extensions,
    Path((account_id, provider)): Path<(String, String)>,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let iam = &state.iam;
    let request = request(iam, &headers, &extensions);
    let pending = match session::take_sso_pending(&session).await {
        Ok(pending) => pending,
        Err(error) => return refused(error.into(), None),
    };
    let account = pending.as_ref().map(|pending| pending.account_id.clone());
    let callback = Callback {
        account_id,
        host_path: single_sign_on::callback_provider(&provider).unwrap_or_default(),
        state: query.state,
        code: query.code,
        error: query.error,
        iss: query.iss,
    };
    let identity = match single_sign_on::complete(iam, &request, pending, callback).await {
        Ok(identity) => identity,
        Err(refusal) => return refused(refusal, account.as_deref()),
    };
    if let [only] = identity.roles.as_slice() {
        let role = only.arn.clone();
        return sign_in(iam, &session, &request, &identity, &role).await;
    }
    if let Err(error) = session::set_sso_identity(&session, &identity).await {
        return refused(error.into(), account.as_deref());
    }
    Redirect::to(ROLES_PATH).into_response()
}

/// `GET /sso/roles`: the roles the signed-in identity may choose.
pub async fn roles(session: Session) -> Response {
    match session::sso_identity(&session).await {
        Ok(Some(identity)) => role_page(
            &identity.label,
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

/// `POST /sso/roles` with `role_arn`: opens the console as that role.
pub async fn choose(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    extensions: Extensions,
    Form(choice): Form<Choice>,
) -> Response {
    let iam = &state.iam;
    let request = request(iam, &headers, &extensions);
    match session::sso_identity(&session).await {
        Ok(Some(identity)) => sign_in(iam, &session, &request, &identity, &choice.role_arn).await,
        Ok(None) => refused(no_identity(), None),
        Err(error) => refused(error.into(), None),
    }
}

fn no_identity() -> SsoRefusal {
    SsoRefusal::Refused(
        "There is no single sign-on in progress in this browser. Start from your account's sign-in page.".to_string(),
    )
}

async fn sign_in(
    iam: &Iam,
    session: &Session,
    request: &RequestInfo,
    identity: &SsoIdentity,
    role_arn: &str,
) -> Response {
    let account = identity.account_id.clone();
    let (principal, federation) =
        match single_sign_on::sign_in(iam, request, identity, role_arn).await {
            Ok(opened) => opened,
            Err(refusal) => return refused(refusal, Some(&account)),
        };
    if let Err(error) =
        session::establish_federated(session, iam.clock(), principal, None, federation, request)
            .await
    {
        return refused(error.into(), Some(&account));
    }
    Redirect::to("/").into_response()
}

/// The way on to the provider. Not a redirect: the sign-in page's policy lets its forms go only
/// to this server (`form-action 'self'`), which browsers apply to a form's redirects too; a
/// page that moves on by itself is a navigation of its own.
fn on_to_provider(url: &str) -> Response {
    let mut response = plain_page::page(
        StatusCode::OK,
        "Signing in",
        &format!(
            r#"<p>Taking you to your identity provider…</p><p><a class="font-medium text-orange-700 hover:underline" href="{}">Continue</a></p>"#,
            escape(url)
        ),
    );
    if let Ok(refresh) = axum::http::HeaderValue::from_str(&format!("0;url={url}")) {
        response
            .headers_mut()
            .insert(axum::http::header::REFRESH, refresh);
    }
    response
}

/// The roles an identity signed in at `provider` as `session_name` may choose, posted to
/// `action`.
pub(super) fn role_page(
    provider: &str,
    session_name: &str,
    roles: &[RoleChoice],
    action: &str,
) -> Response {
    let mut body = format!(
        r#"<p>Signed in at <strong>{}</strong> as <strong>{}</strong>. Choose the role to open the console as.</p><form method="post" action="{}" class="space-y-3"><fieldset class="space-y-2"><legend class="sr-only">Role</legend>"#,
        escape(provider),
        escape(session_name),
        escape(action)
    );
    for (index, role) in roles.iter().enumerate() {
        let checked = if index == 0 { " checked" } else { "" };
        let description = role.description.as_deref().map_or(String::new(), |d| {
            format!(
                r#"<span class="block text-xs text-slate-500">{}</span>"#,
                escape(d)
            )
        });
        body.push_str(&format!(
            r#"<label class="flex items-start gap-3 rounded-md border border-slate-200 p-3 hover:bg-slate-50"><input type="radio" name="role_arn" value="{arn}" class="mt-1"{checked}><span><span class="block font-medium text-slate-900">{name}</span><code class="block text-xs text-slate-600">{arn}</code>{description}</span></label>"#,
            arn = escape(&role.arn),
            name = escape(&role.name),
        ));
    }
    body.push_str(r#"</fieldset><button type="submit" class="w-full rounded-md bg-orange-600 px-4 py-2 text-sm font-semibold text-white hover:bg-orange-700 focus:outline-none focus:ring-2 focus:ring-orange-300">Sign in</button></form>"#);
    plain_page::page(StatusCode::OK, "Choose a role", &body)
}

/// The refusal page: why, and the way back to the account's sign-in page.
pub(super) fn refused(refusal: SsoRefusal, account: Option<&str>) -> Response {
    let (status, message) = match &refusal {
        SsoRefusal::Refused(message) => (StatusCode::FORBIDDEN, message.clone()),
        SsoRefusal::Throttled => (StatusCode::TOO_MANY_REQUESTS, refusal.to_string()),
        SsoRefusal::Service(error) => {
            tracing::error!(error = %error, "single sign-on failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Single sign-on failed on our side. Try again in a moment.".to_string(),
            )
        }
    };
    let back = account.map_or("/signin".to_string(), |account| {
        format!(
            "/signin/{}",
            form_urlencoded::byte_serialize(account.as_bytes()).collect::<String>()
        )
    });
    plain_page::refusal(
        status,
        "Single sign-on refused",
        &message,
        &[(&back, "Back to sign-in")],
    )
}
