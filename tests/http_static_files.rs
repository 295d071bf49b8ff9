//! HTTP-level tests of the browser's static files: the server sends the brotli or gzip copy a
//! release build writes beside each file when the browser accepts it, says so to caches, and
//! has browsers revalidate what they cached (file names do not change across releases).

mod common;

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderName, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use common::test_iam;
use ferriam::server::service::iam::Settings;
use tower::ServiceExt;

const WASM: &[u8] = b"\0asm the module as built";
const WASM_BROTLI: &[u8] = b"the module's brotli copy";
const WASM_GZIP: &[u8] = b"the module's gzip copy";

/// The server over a site whose `pkg/ferriam.wasm` has both precompressed copies.
async fn app_with_site() -> (Router, common::TestIam) {
    let t = test_iam(Settings::default()).await;
    let pkg = common::http::site_root(&t).join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("ferriam.wasm"), WASM).unwrap();
    std::fs::write(pkg.join("ferriam.wasm.br"), WASM_BROTLI).unwrap();
    std::fs::write(pkg.join("ferriam.wasm.gz"), WASM_GZIP).unwrap();
    (common::http::app(&t), t)
}

/// GETs `path` with `headers`.
async fn get(app: &Router, path: &str, headers: &[(HeaderName, &str)]) -> Response {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    app.clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

/// GETs the module accepting `encodings`: (Content-Encoding, Vary, Content-Type, body).
async fn fetch_wasm(app: &Router, encodings: Option<&str>) -> (String, String, String, Vec<u8>) {
    let accept = encodings.map(|encodings| (header::ACCEPT_ENCODING, encodings));
    let response = get(app, "/pkg/ferriam.wasm", accept.as_slice()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name| {
        response
            .headers()
            .get_all(name)
            .iter()
            .map(|value| value.to_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (encoding, vary, content_type) = (
        header(header::CONTENT_ENCODING),
        header(header::VARY),
        header(header::CONTENT_TYPE),
    );
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (encoding, vary, content_type, body.to_vec())
}

#[tokio::test]
async fn browsers_that_accept_brotli_get_the_brotli_copy() {
    let (app, _t) = app_with_site().await;
    let (encoding, vary, content_type, body) = fetch_wasm(&app, Some("gzip, deflate, br")).await;
    assert_eq!(encoding, "br");
    assert_eq!(body, WASM_BROTLI);
    // WebAssembly.instantiateStreaming needs this type, whichever copy is sent.
    assert_eq!(content_type, "application/wasm");
    assert!(vary.contains("accept-encoding"), "Vary: {vary}");
}

#[tokio::test]
async fn browsers_revalidate_cached_files_and_get_304_when_unchanged() {
    let (app, _t) = app_with_site().await;
    let response = get(&app, "/pkg/ferriam.wasm", &[]).await;
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
    let last_modified = response.headers()[header::LAST_MODIFIED].to_str().unwrap();
    let revalidation = get(
        &app,
        "/pkg/ferriam.wasm",
        &[(header::IF_MODIFIED_SINCE, last_modified)],
    )
    .await;
    assert_eq!(revalidation.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn browsers_that_accept_only_gzip_get_the_gzip_copy() {
    let (app, _t) = app_with_site().await;
    let (encoding, vary, _, body) = fetch_wasm(&app, Some("gzip")).await;
    assert_eq!(encoding, "gzip");
    assert_eq!(body, WASM_GZIP);
    assert!(vary.contains("accept-encoding"), "Vary: {vary}");
}

#[tokio::test]
async fn clients_that_accept_no_encoding_get_the_file_as_built() {
    let (app, _t) = app_with_site().await;
    let (encoding, vary, content_type, body) = fetch_wasm(&app, None).await;
    assert_eq!(encoding, "");
    assert_eq!(body, WASM);
    assert_eq!(content_type, "application/wasm");
    // A cache that stored this answer must not give it to a browser that accepts brotli.
    assert!(vary.contains("accept-encoding"), "Vary: {vary}");
}

#[tokio::test]
async fn a_missing_file_is_not_found_and_nothing_outside_the_site_is_served() {
    let (app, t) = app_with_site().await;
    std::fs::write(t.dir.path().join("outside.txt"), "not part of the site").unwrap();
    for path in [
        "/pkg/missing.wasm",
        "/pkg/../outside.txt",
        "/pkg/%2e%2e/outside.txt",
        "/../outside.txt",
    ] {
        let response = get(&app, path, &[]).await;
        let status = response.status();
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            !String::from_utf8_lossy(&body).contains("not part of the site"),
            "{path} served a file outside the site"
        );
    }
}
