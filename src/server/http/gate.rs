//! The sign-in gate for page loads: console pages need a signed-in session, sign-in pages need
//! none. Server functions check for themselves; this spares signed-out visitors a half-drawn
//! console and sends them straight to the right page.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use crate::server::service::account::accounts;
use crate::server::{session, AppState};

#[derive(Clone, Copy)]
enum PageKind {
    /// Sign-in and sign-up pages.
    SignedOutOnly,
    /// The MFA step of sign-in.
    MfaStep,
    /// The new-password step of sign-in.
    NewPasswordStep,
    /// Everything under the console.
    Console,
    /// Assets, health checks, server functions, the API.
    Open,
}

fn classify(method: &Method, path: &str) -> PageKind {
    if method != Method::GET && method != Method::HEAD {
        return PageKind::Open;
    }
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    let is_file = last_segment.contains('.');
    if is_file
        || path.starts_with("/pkg/")
        || path.starts_with("/api/")
        || path == "/healthz"
        || path == "/readyz"
        || path == "/metrics"
        || path == "/federation"
        || path.starts_with("/sso/")
        || path.starts_with("/saml/")
        || path.starts_with("/workload/")
    {
        PageKind::Open
    } else if path == "/signin/step/mfa" {
        PageKind::MfaStep
    } else if path == "/signin/step/new-password" {
        PageKind::NewPasswordStep
    } else if path == "/signin" || path == "/signup" || path.starts_with("/signin/") {
        PageKind::SignedOutOnly
    } else {
        PageKind::Console
    }
}

pub async fn require_sign_in(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let kind = classify(request.method(), request.uri().path());
    if matches!(kind, PageKind::Open) {
        return next.run(request).await;
    }
    let iam = &state.iam;
    let signed_in_session = match session::current(&session, iam).await {
        Ok(signed_in_session) => signed_in_session,
        Err(error) => {
            tracing::error!(error = %error, "session check failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let path = request.uri().path();
    match (kind, signed_in_session) {
        (PageKind::Console, None) => Redirect::to(&signed_out_home(&state).await).into_response(),
        (PageKind::Console, Some(signed_in_session)) => {
            // The console's frame is drawn around who is signed in; loaded here, once, it is
            // rendered without waiting (see `ConsoleLayout`).
            match accounts::signed_in_principal(iam, signed_in_session.principal).await {
                Ok(me) => {
                    request.extensions_mut().insert(me);
                }
                Err(error) => tracing::error!(error = %error, "signed-in principal not loaded"),
            }
            next.run(request).await
        }
        (PageKind::SignedOutOnly | PageKind::MfaStep | PageKind::NewPasswordStep, Some(_)) => {
            Redirect::to("/").into_response()
        }
        (PageKind::SignedOutOnly, None)
            if path == "/signup" && !accounts::sign_up_open(iam).await.unwrap_or(false) =>
        {
            Redirect::to("/signin").into_response()
        }
        (PageKind::MfaStep | PageKind::NewPasswordStep, None) => {
            let pending = session::pending(&session).await.ok().flatten();
            let allowed = match kind {
                PageKind::MfaStep => pending.is_some_and(|p| p.needs_mfa),
                _ => pending.is_some_and(|p| p.needs_new_password && !p.needs_mfa),
            };
            if allowed {
                next.run(request).await
            } else {
                Redirect::to("/signin").into_response()
            }
        }
        _ => next.run(request).await,
    }
}

/// Where a signed-out visitor lands: account creation while none exists, else sign-in.
async fn signed_out_home(state: &AppState) -> String {
    let no_account_yet = matches!(
        crate::server::service::account::accounts::no_account_yet(&state.iam).await,
        Ok(true)
    );
    if no_account_yet { "/signup" } else { "/signin" }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified() {
        let get = Method::GET;
        assert!(matches!(classify(&get, "/"), PageKind::Console));
        assert!(matches!(
            classify(&get, "/security-credentials"),
            PageKind::Console
        ));
        assert!(matches!(classify(&get, "/signin"), PageKind::SignedOutOnly));
        assert!(matches!(classify(&get, "/signup"), PageKind::SignedOutOnly));
        assert!(matches!(
            classify(&get, "/signin/step/mfa"),
            PageKind::MfaStep
        ));
        assert!(matches!(
            classify(&get, "/signin/step/new-password"),
            PageKind::NewPasswordStep
        ));
        assert!(matches!(
            classify(&get, "/signin/acme"),
            PageKind::SignedOutOnly
        ));
        assert!(matches!(
            classify(&get, "/signin/123456789012"),
            PageKind::SignedOutOnly
        ));
        assert!(matches!(
            classify(&get, "/pkg/ferriam.wasm"),
            PageKind::Open
        ));
        assert!(matches!(classify(&get, "/favicon.ico"), PageKind::Open));
        assert!(matches!(classify(&get, "/healthz"), PageKind::Open));
        assert!(matches!(classify(&Method::POST, "/"), PageKind::Open));
    }
}
