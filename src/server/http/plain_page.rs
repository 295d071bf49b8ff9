//! The few pages the server writes itself, outside the console's app: federation refusals and
//! single sign-on's steps. Drawn like the sign-in card, with the console's stylesheet and a
//! policy under which nothing runs.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Nothing runs; the stylesheet loads; forms post only here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   base-uri 'none'; frame-ancestors 'none'";

/// HTML-escapes text for an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A page titled `title` whose card holds `body` (HTML the caller escaped).
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let title = escape(title);
    let html = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} | Ferriam</title><link rel="stylesheet" href="/pkg/ferriam.css"><link rel="icon" type="image/svg+xml" href="/favicon.svg"></head><body class="min-h-screen bg-slate-50 text-slate-900 antialiased"><main class="flex min-h-screen flex-col items-center justify-center px-4 py-12"><div class="mb-6 flex items-center gap-2 text-2xl font-bold tracking-tight text-slate-900"><span class="inline-block h-7 w-7 rounded bg-orange-600"></span>Ferriam</div><div class="w-full max-w-md rounded-lg border border-slate-200 bg-white p-8 shadow-sm"><h1 class="text-xl font-semibold text-slate-900">{title}</h1><div class="mt-4 space-y-4 text-sm text-slate-700">{body}</div></div></main></body></html>"#
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_SECURITY_POLICY, CSP),
        ],
        html,
    )
        .into_response()
}

/// A refusal: why, and links onwards (`(href, text)`, both escaped here).
pub fn refusal(status: StatusCode, title: &str, message: &str, links: &[(&str, &str)]) -> Response {
    let mut body = format!(r#"<p role="alert">{}</p>"#, escape(message));
    for (href, text) in links {
        body.push_str(&format!(
            r#"<p><a class="font-medium text-orange-700 hover:underline" href="{}">{}</a></p>"#,
            escape(href),
            escape(text)
        ));
    }
    page(status, title, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
