//! The HTML shell and the route table. Each console area lives in `features/`; `pages` groups
//! the pages into the modules the browser loads on demand.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use leptos_router::Lazy;

use crate::features::console::layout::ConsoleLayout;
use crate::features::console::not_found::NotFound;
use crate::pages::{page, LazyPage};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::http::security::set_page_csp();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Lets end-to-end tests wait until the page is interactive.
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/ferriam.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Title formatter=|page: String| if page.is_empty() { "Ferriam".to_string() } else { format!("{page} | Ferriam") } />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/signup") view={Lazy::<LazyPage<{ page::SIGN_UP }>>::new()} />
                <Route path=path!("/signin") view={Lazy::<LazyPage<{ page::SIGN_IN }>>::new()} />
                <Route path=path!("/signin/step/mfa") view={Lazy::<LazyPage<{ page::SIGN_IN_MFA }>>::new()} />
                <Route path=path!("/signin/step/new-password") view={Lazy::<LazyPage<{ page::SIGN_IN_NEW_PASSWORD }>>::new()} />
                <Route path=path!("/signin/:account") view={Lazy::<LazyPage<{ page::USER_SIGN_IN }>>::new()} />
                <ParentRoute path=path!("") view=ConsoleLayout>
                    <Route path=path!("") view={Lazy::<LazyPage<{ page::DASHBOARD }>>::new()} />
                    <Route path=path!("security-credentials") view={Lazy::<LazyPage<{ page::SECURITY_CREDENTIALS }>>::new()} />
                    <Route path=path!("account") view={Lazy::<LazyPage<{ page::ACCOUNT }>>::new()} />
                    // Create pages live outside `/users/…` so no entity name can shadow them.
                    <Route path=path!("users") view={Lazy::<LazyPage<{ page::USERS }>>::new()} />
                    <Route path=path!("new/user") view={Lazy::<LazyPage<{ page::NEW_USER }>>::new()} />
                    <Route path=path!("users/:name") view={Lazy::<LazyPage<{ page::USER }>>::new()} />
                    <Route path=path!("groups") view={Lazy::<LazyPage<{ page::GROUPS }>>::new()} />
                    <Route path=path!("new/group") view={Lazy::<LazyPage<{ page::NEW_GROUP }>>::new()} />
                    <Route path=path!("groups/:name") view={Lazy::<LazyPage<{ page::GROUP }>>::new()} />
                    <Route path=path!("roles") view={Lazy::<LazyPage<{ page::ROLES }>>::new()} />
                    <Route path=path!("new/role") view={Lazy::<LazyPage<{ page::NEW_ROLE }>>::new()} />
                    <Route path=path!("roles/:name") view={Lazy::<LazyPage<{ page::ROLE }>>::new()} />
                    <Route path=path!("policies") view={Lazy::<LazyPage<{ page::POLICIES }>>::new()} />
                    <Route path=path!("policies/new") view={Lazy::<LazyPage<{ page::NEW_POLICY }>>::new()} />
                    <Route path=path!("policies/details") view={Lazy::<LazyPage<{ page::POLICY }>>::new()} />
                    <Route path=path!("audit") view={Lazy::<LazyPage<{ page::AUDIT }>>::new()} />
                    <Route path=path!("identity-providers") view={Lazy::<LazyPage<{ page::IDENTITY_PROVIDERS }>>::new()} />
                    <Route path=path!("identity-providers/details") view={Lazy::<LazyPage<{ page::IDENTITY_PROVIDER }>>::new()} />
                    <Route path=path!("identity-providers/saml") view={Lazy::<LazyPage<{ page::SAML_PROVIDER }>>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
