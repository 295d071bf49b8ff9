//! The console's pages, in four areas whose code the browser loads when it first needs one
//! (`cargo leptos build --split`): the shared bundle keeps the shell, and a page brings its area.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::domain::EntityKind;
use crate::features::account::page::AccountSettingsPage;
use crate::features::audit::page::AuditLogPage;
use crate::features::auth::mfa_page::MfaSignInPage;
use crate::features::auth::new_password_page::NewPasswordPage;
use crate::features::auth::signin_page::SignInPage;
use crate::features::auth::signup_page::SignUpPage;
use crate::features::auth::user_signin_page::UserSignInPage;
use crate::features::dashboard::page::DashboardPage;
use crate::features::entities::entity_list::EntityListPage;
use crate::features::groups::create_page::CreateGroupPage;
use crate::features::groups::detail_page::GroupDetailPage;
use crate::features::identity_providers::detail_page::IdentityProviderPage;
use crate::features::identity_providers::list_page::IdentityProvidersPage;
use crate::features::identity_providers::saml_detail_page::SamlProviderPage;
use crate::features::policies::create_page::CreatePolicyPage;
use crate::features::policies::detail_page::PolicyDetailPage;
use crate::features::policies::list_page::PolicyListPage;
use crate::features::roles::create_page::CreateRolePage;
use crate::features::roles::detail_page::RoleDetailPage;
use crate::features::security_credentials::page::SecurityCredentialsPage;
use crate::features::users::create_page::CreateUserPage;
use crate::features::users::detail_page::UserDetailPage;

/// Each page's number, the const parameter of its route's [`LazyPage`].
pub mod page {
    pub const SIGN_UP: u8 = 0;
    pub const SIGN_IN: u8 = 1;
    pub const SIGN_IN_MFA: u8 = 2;
    pub const SIGN_IN_NEW_PASSWORD: u8 = 3;
    pub const USER_SIGN_IN: u8 = 4;
    pub const DASHBOARD: u8 = 10;
    pub const SECURITY_CREDENTIALS: u8 = 11;
    pub const ACCOUNT: u8 = 12;
    pub const AUDIT: u8 = 13;
    pub const IDENTITY_PROVIDERS: u8 = 14;
    pub const IDENTITY_PROVIDER: u8 = 15;
    pub const SAML_PROVIDER: u8 = 16;
    pub const USERS: u8 = 20;
    pub const NEW_USER: u8 = 21;
    pub const USER: u8 = 22;
    pub const GROUPS: u8 = 23;
    pub const NEW_GROUP: u8 = 24;
    pub const GROUP: u8 = 25;
    pub const ROLES: u8 = 26;
    pub const NEW_ROLE: u8 = 27;
    pub const ROLE: u8 = 28;
    pub const POLICIES: u8 = 30;
    pub const NEW_POLICY: u8 = 31;
    pub const POLICY: u8 = 32;
}

/// The areas, one browser module each. Pages of one area share most of their code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    SignIn,
    Account,
    Entities,
    Policies,
}

impl Area {
    /// The area of a page number (its tens digit).
    pub fn of_page(number: u8) -> Area {
        match number / 10 {
            0 => Area::SignIn,
            1 => Area::Account,
            2 => Area::Entities,
            _ => Area::Policies,
        }
    }

    /// The area of a URL path, as the route table in `app.rs` maps it; `None` for no page.
    pub fn of_path(path: &str) -> Option<Area> {
        let first = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        match first {
            "signup" | "signin" => Some(Area::SignIn),
            "" | "security-credentials" | "account" | "audit" | "identity-providers" => {
                Some(Area::Account)
            }
            "users" | "groups" | "roles" | "new" => Some(Area::Entities),
            "policies" => Some(Area::Policies),
            _ => None,
        }
    }
}

/// The route of page `PAGE`: its view comes from its area's module.
pub struct LazyPage<const PAGE: u8>;

impl<const PAGE: u8> LazyRoute for LazyPage<PAGE> {
    fn data() -> Self {
        Self
    }

    async fn view(_: Self) -> AnyView {
        match Area::of_page(PAGE) {
            Area::SignIn => sign_in_pages(PAGE).await,
            Area::Account => account_pages(PAGE).await,
            Area::Entities => entity_pages(PAGE).await,
            Area::Policies => policy_pages(PAGE).await,
        }
    }
}

/// Hydration is synchronous (the lazy-hydration copy of every view is left out of the bundle,
/// see vendor/README.md), so the module of the page the server rendered is loaded first.
#[cfg(feature = "hydrate")]
pub async fn load_area_of_current_page() {
    let path = window().location().pathname().unwrap_or_default();
    match Area::of_path(&path) {
        Some(Area::SignIn) => __preload_sign_in_pages().await,
        Some(Area::Account) => __preload_account_pages().await,
        Some(Area::Entities) => __preload_entity_pages().await,
        Some(Area::Policies) => __preload_policy_pages().await,
        None => {}
    }
}

#[lazy]
fn sign_in_pages(number: u8) -> AnyView {
    match number {
        page::SIGN_UP => view! { <SignUpPage /> }.into_any(),
        page::SIGN_IN => view! { <SignInPage /> }.into_any(),
        page::SIGN_IN_MFA => view! { <MfaSignInPage /> }.into_any(),
        page::SIGN_IN_NEW_PASSWORD => view! { <NewPasswordPage /> }.into_any(),
        _ => view! { <UserSignInPage /> }.into_any(),
    }
}

#[lazy]
fn account_pages(number: u8) -> AnyView {
    match number {
        page::SECURITY_CREDENTIALS => view! { <SecurityCredentialsPage /> }.into_any(),
        page::ACCOUNT => view! { <AccountSettingsPage /> }.into_any(),
        page::AUDIT => view! { <AuditLogPage /> }.into_any(),
        page::IDENTITY_PROVIDERS => view! { <IdentityProvidersPage /> }.into_any(),
        page::IDENTITY_PROVIDER => view! { <IdentityProviderPage /> }.into_any(),
        page::SAML_PROVIDER => view! { <SamlProviderPage /> }.into_any(),
        _ => view! { <DashboardPage /> }.into_any(),
    }
}

#[lazy]
fn entity_pages(number: u8) -> AnyView {
    match number {
        page::USERS => view! { <EntityListPage kind=EntityKind::User /> }.into_any(),
        page::NEW_USER => view! { <CreateUserPage /> }.into_any(),
        page::USER => view! { <UserDetailPage /> }.into_any(),
        page::GROUPS => view! { <EntityListPage kind=EntityKind::Group /> }.into_any(),
        page::NEW_GROUP => view! { <CreateGroupPage /> }.into_any(),
        page::GROUP => view! { <GroupDetailPage /> }.into_any(),
        page::ROLES => view! { <EntityListPage kind=EntityKind::Role /> }.into_any(),
        page::NEW_ROLE => view! { <CreateRolePage /> }.into_any(),
        _ => view! { <RoleDetailPage /> }.into_any(),
    }
}

#[lazy]
fn policy_pages(number: u8) -> AnyView {
    match number {
        page::POLICIES => view! { <PolicyListPage /> }.into_any(),
        page::NEW_POLICY => view! { <CreatePolicyPage /> }.into_any(),
        _ => view! { <PolicyDetailPage /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route of `app.rs`, with its page: hydration loads the module of the path's area,
    /// so it must be the module that renders the page.
    const ROUTES: &[(&str, u8)] = &[
        ("/signup", page::SIGN_UP),
        ("/signin", page::SIGN_IN),
        ("/signin/step/mfa", page::SIGN_IN_MFA),
        ("/signin/step/new-password", page::SIGN_IN_NEW_PASSWORD),
        ("/signin/123456789012", page::USER_SIGN_IN),
        ("/", page::DASHBOARD),
        ("/security-credentials", page::SECURITY_CREDENTIALS),
        ("/account", page::ACCOUNT),
        ("/audit", page::AUDIT),
        ("/identity-providers", page::IDENTITY_PROVIDERS),
        ("/identity-providers/details", page::IDENTITY_PROVIDER),
        ("/identity-providers/saml", page::SAML_PROVIDER),
        ("/users", page::USERS),
        ("/new/user", page::NEW_USER),
        ("/users/alice", page::USER),
        ("/groups", page::GROUPS),
        ("/new/group", page::NEW_GROUP),
        ("/groups/admins", page::GROUP),
        ("/roles", page::ROLES),
        ("/new/role", page::NEW_ROLE),
        ("/roles/deployer", page::ROLE),
        ("/policies", page::POLICIES),
        ("/policies/new", page::NEW_POLICY),
        ("/policies/details", page::POLICY),
    ];

    #[test]
    fn every_route_path_maps_to_the_area_that_renders_its_page() {
        for (path, page) in ROUTES {
            assert_eq!(Area::of_path(path), Some(Area::of_page(*page)), "{path}");
        }
    }

    #[test]
    fn a_path_of_no_page_loads_no_area() {
        assert_eq!(Area::of_path("/pkg/ferriam.js"), None);
        assert_eq!(Area::of_path("/nowhere"), None);
    }

    #[test]
    fn areas_are_told_apart_by_the_first_segment_only() {
        assert_eq!(Area::of_path("/users/signin"), Some(Area::Entities));
        assert_eq!(Area::of_path("/signin/users"), Some(Area::SignIn));
        assert_eq!(
            Area::of_path("/policies/details?arn=x"),
            Some(Area::Policies)
        );
    }
}
