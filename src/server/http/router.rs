//! The route table of the HTTP server and its layers.

use axum::handler::Handler;
use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::forwarded::Forwarding;
use super::metrics_endpoint::{self, MetricsReaders};
use super::{
    audit_export, federation, gate, health, origin, saml, security, single_sign_on, workload,
};
use crate::app::{shell, App};
use crate::server::config::{ServeConfig, MAX_BODY_BYTES};
use crate::server::query_api;
use crate::server::service::caches::request_generations;
use crate::server::service::Iam;
use crate::server::AppState;

/// The whole server over `iam`, configured by `serve` (cookies, site root, address).
pub fn router(iam: Iam, serve: &ServeConfig) -> Router {
    router_with_timeout(iam, serve, REQUEST_TIMEOUT)
}

/// [`router`] with another request timeout (tests use a short one to see it fire).
pub fn router_with_timeout(iam: Iam, serve: &ServeConfig, timeout: std::time::Duration) -> Router {
    crate::server::metrics::install();
    let state = AppState {
        leptos_options: leptos_options(serve),
        iam,
    };
    let routes = generate_route_list(App);
    let sessions = SessionManagerLayer::new(state.iam.session_store())
        .with_name(cookie_name(serve.secure_cookies))
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(serve.secure_cookies)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::milliseconds(
            state.iam.settings().session_idle_millis,
        )));
    let trace = TraceLayer::new_for_http()
        .make_span_with(request_span)
        .on_response(DefaultOnResponse::new().level(tracing::Level::DEBUG));

    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics_endpoint::metrics))
        .route("/api/audit/export", get(audit_export::export))
        .route("/saml/metadata.xml", get(saml::metadata))
        .route("/saml", post(saml::acs))
        .route("/saml/roles", get(saml::roles).post(saml::choose))
        .route("/workload/credentials", get(workload::credentials))
        .route("/sso/start", post(single_sign_on::start))
        .route(
            "/sso/callback/{account}/{provider}",
            get(single_sign_on::callback),
        )
        .route(
            "/sso/roles",
            get(single_sign_on::roles).post(single_sign_on::choose),
        )
        .route(
            "/federation",
            get(federation::federation).post(federation::federation),
        )
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback_service(static_files(&state, serve))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            gate::require_sign_in,
        ))
        .layer(sessions)
        // The Query API answers before sessions and the sign-in gate: it authenticates by
        // signature, never by cookie.
        .layer(axum::middleware::from_fn_with_state(
            state.iam.clone(),
            query_api::front_door,
        ))
        .layer(axum::middleware::from_fn(origin::same_origin_only))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // The timeout can only fire while the handler waits: CPU-heavy work therefore runs
        // off the executor (`Iam::cpu_work`), never inline in a handler.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(trace)
        .layer(axum::middleware::from_fn(one_request))
        .layer(axum::middleware::from_fn(metrics_endpoint::count_requests))
        // Outermost: every layer and handler inside reads the client through these.
        .layer(axum::Extension(MetricsReaders(serve.metrics_from.clone())))
        .layer(axum::Extension(Forwarding {
            trusted_proxies: serve.trusted_proxies.clone(),
            public_url: serve.public_url.clone(),
            service_origin: Forwarding::service_origin(serve.public_url.as_ref(), serve.addr),
        }));
    security::layers(serve.secure_cookies)
        .into_iter()
        .fold(router, |router, layer| router.layer(layer))
        .with_state(state)
}

/// SECURITY: a request's span records its method and path only — never its query string (the
/// Query API takes GET requests whose parameters, passwords and MFA codes included, ride in the
/// URL), headers (cookies, signatures) or body.
fn request_span(request: &axum::extract::Request) -> tracing::Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        path = request.uri().path(),
    )
}

/// The site's files (wasm, JS, CSS, public assets) as built; any other path gets the console's
/// not-found page. Served here rather than by leptos_axum's file handler, which drops the
/// browser's conditional headers (so nothing cached could be revalidated).
fn static_files(
    state: &AppState,
    serve: &ServeConfig,
) -> impl tower::Service<
    axum::extract::Request,
    Response = impl axum::response::IntoResponse,
    Error = std::convert::Infallible,
    Future = impl Send,
> + Clone
       + Send
       + Sync
       + 'static {
    let not_found =
        leptos_axum::file_and_error_handler::<AppState, _>(shell).with_state(state.clone());
    tower::ServiceBuilder::new()
        // A file goes out as its brotli or gzip copy when the browser accepts one
        // (`cargo leptos build --precompress`): caches must keep one copy per encoding.
        .layer(SetResponseHeaderLayer::appending(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        // File names stay the same across releases: browsers must ask (a cheap 304) before
        // reusing a copy, or an upgraded server meets last release's wasm.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(
            ServeDir::new(&serve.site_root)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(not_found),
        )
}

/// Leptos's settings, built here rather than read from Cargo.toml, so the binary runs anywhere.
fn leptos_options(serve: &ServeConfig) -> LeptosOptions {
    let pkg_dir = std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".to_string());
    LeptosOptions::builder()
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("ferriam"))
        .site_root(serve.site_root.to_string_lossy().to_string())
        .site_pkg_dir(pkg_dir)
        .site_addr(serve.addr)
        .env(if cfg!(debug_assertions) {
            Env::DEV
        } else {
            Env::PROD
        })
        .build()
}

pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// `__Host-` binds the cookie to this exact origin, but browsers accept it only with `Secure`.
fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-ferriam-session"
    } else {
        "ferriam-session"
    }
}

/// Each request reads an account's generation at most once (see `request_generations`).
async fn one_request(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    request_generations::within_one_request(next.run(request)).await
}
