//! The HTML shell and the route table. Each console area lives in `features/`.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::features::account::page::AccountSettingsPage;
use crate::features::audit::page::AuditLogPage;
use crate::features::auth::mfa_page::MfaSignInPage;
use crate::features::auth::new_password_page::NewPasswordPage;
use crate::features::auth::signin_page::SignInPage;
use crate::features::auth::signup_page::SignUpPage;
use crate::features::auth::user_signin_page::UserSignInPage;
use crate::features::console::layout::ConsoleLayout;
use crate::features::console::not_found::NotFound;
use crate::features::dashboard::page::DashboardPage;
use crate::features::groups::create_page::CreateGroupPage;
use crate::features::groups::detail_page::GroupDetailPage;
use crate::features::groups::list_page::GroupsListPage;
use crate::features::policies::create_page::CreatePolicyPage;
use crate::features::policies::detail_page::PolicyDetailPage;
use crate::features::policies::list_page::PolicyListPage;
use crate::features::roles::create_page::CreateRolePage;
use crate::features::roles::detail_page::RoleDetailPage;
use crate::features::roles::list_page::RolesListPage;
use crate::features::security_credentials::page::SecurityCredentialsPage;
use crate::features::users::create_page::CreateUserPage;
use crate::features::users::detail_page::UserDetailPage;
use crate::features::users::list_page::UsersListPage;

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
                <Route path=path!("/signup") view=SignUpPage />
                <Route path=path!("/signin") view=SignInPage />
                <Route path=path!("/signin/step/mfa") view=MfaSignInPage />
                <Route path=path!("/signin/step/new-password") view=NewPasswordPage />
                <Route path=path!("/signin/:account") view=UserSignInPage />
                <ParentRoute path=path!("") view=ConsoleLayout>
                    <Route path=path!("") view=DashboardPage />
                    <Route path=path!("security-credentials") view=SecurityCredentialsPage />
                    <Route path=path!("account") view=AccountSettingsPage />
                    // Create pages live outside `/users/…` so no entity name can shadow them.
                    <Route path=path!("users") view=UsersListPage />
                    <Route path=path!("new/user") view=CreateUserPage />
                    <Route path=path!("users/:name") view=UserDetailPage />
                    <Route path=path!("groups") view=GroupsListPage />
                    <Route path=path!("new/group") view=CreateGroupPage />
                    <Route path=path!("groups/:name") view=GroupDetailPage />
                    <Route path=path!("roles") view=RolesListPage />
                    <Route path=path!("new/role") view=CreateRolePage />
                    <Route path=path!("roles/:name") view=RoleDetailPage />
                    <Route path=path!("policies") view=PolicyListPage />
                    <Route path=path!("policies/new") view=CreatePolicyPage />
                    <Route path=path!("policies/details") view=PolicyDetailPage />
                    <Route path=path!("audit") view=AuditLogPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
