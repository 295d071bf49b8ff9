//! Server functions for the roles pages. Each starts from the signed-in caller and goes through
//! the service layer, which authorizes.

#[cfg(feature = "ssr")]
use crate::catalog::Op;
use crate::console_protocol::{FormArguments, JsonArguments};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::trust_templates::TrustChoice;
use crate::api_error::ApiError;
use crate::domain::iam_models::{Page, Role};
use crate::domain::tags::Tag;
#[cfg(feature = "ssr")]
use crate::domain::EntityKind;
use crate::features::entities::denials::Gated;
#[cfg(feature = "ssr")]
use crate::features::entities::words::{entity_href, words};

#[server(endpoint = "roles/list_roles", protocol = FormArguments)]
pub async fn list_roles(
    name_prefix: String,
    marker: Option<String>,
) -> Result<Gated<Page<Role>>, ApiError> {
    use crate::features::entities::{api::list_input, denials};
    use crate::server::console;
    use crate::server::service::entities::roles;
    let (iam, caller) = console::signed_in().await?;
    let page = roles::list_roles(&iam, &caller, list_input(name_prefix, marker))
        .await
        .map_err(console::fail)?;
    let create = denials::create_check(&caller, EntityKind::Role);
    denials::gate(&iam, &caller, page, vec![create]).await
}

/// Everything the create page collects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRole {
    pub role_name: String,
    pub path: String,
    pub description: String,
    pub max_session_duration: i64,
    pub trust: TrustChoice,
    pub policy_arns: Vec<String>,
    pub tags: Vec<Tag>,
    pub permissions_boundary: Option<String>,
}

/// Creates the role, its attachments, tags and boundary in one transaction, then opens its page.
/// An identity provider a new role may trust, with the audiences it accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustableProvider {
    pub arn: String,
    /// OIDC: the URL without its scheme; SAML: the provider's name.
    pub url: String,
    /// OIDC: its client IDs; SAML: this console's assertion consumer service.
    pub audiences: Vec<String>,
    pub saml: bool,
}

/// The account's OpenID Connect and SAML providers, for the create page's "Web identity" and
/// "SAML 2.0 federation" choices.
#[server(endpoint = "roles/trustable_providers", protocol = FormArguments)]
pub async fn trustable_providers() -> Result<Vec<TrustableProvider>, ApiError> {
    use crate::server::console;
    use crate::server::service::federation::oidc_providers;
    use crate::server::service::federation::saml::{metadata, providers};
    let (iam, caller) = console::signed_in().await?;
    let mut trustable: Vec<TrustableProvider> = oidc_providers::list_details(&iam, &caller)
        .await
        .map_err(console::fail)?
        .into_iter()
        .map(|provider| TrustableProvider {
            arn: provider.arn,
            url: provider.url,
            audiences: provider.client_ids,
            saml: false,
        })
        .collect();
    // Without its own address the service takes no SAML: no audience to choose.
    let acs = console::service_origin().map(|origin| metadata::acs_url(&origin));
    for entry in providers::list(&iam, &caller)
        .await
        .map_err(console::fail)?
    {
        trustable.push(TrustableProvider {
            url: entry.arn.rsplit('/').next().unwrap_or_default().to_string(),
            arn: entry.arn,
            audiences: acs.iter().cloned().collect(),
            saml: true,
        });
    }
    Ok(trustable)
}

#[server(endpoint = "roles/create_role", protocol = JsonArguments)]
pub async fn create_role(role: NewRole) -> Result<(), ApiError> {
    use super::trust_templates::trust_document;
    use crate::domain::entity_requests::NewEntity;
    use crate::server::console;
    use crate::server::service::entities::roles::{self, CreateRole};
    use crate::server::service::Operation;
    use crate::server::service::ServiceError;
    let (iam, caller) = console::signed_in().await?;
    let document = trust_document(&role.trust, caller.account_id().as_str())
        .map_err(|invalid| console::fail(ServiceError::Validation(invalid)))?;
    let path = Some(role.path.as_str()).filter(|p| !p.trim().is_empty());
    let parsed = NewEntity::parse(&role.role_name, path);
    let entity = Operation::parsed(&iam, &caller, Op::CreateRole, parsed)
        .await
        .map_err(console::fail)?;
    let input = CreateRole {
        entity,
        assume_role_policy_document: document,
        description: Some(role.description).filter(|d| !d.is_empty()),
        max_session_duration: Some(role.max_session_duration),
        tags: role.tags,
        permissions_boundary: role.permissions_boundary,
    };
    let created = roles::create_role_with_policies(&iam, &caller, input, &role.policy_arns)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect(&entity_href(EntityKind::Role, &created.role_name));
    Ok(())
}

pub use crate::domain::iam_models::RoleDetail;

#[server(endpoint = "roles/get_role_page", protocol = FormArguments)]
pub async fn get_role_page(role_name: String) -> Result<Gated<RoleDetail>, ApiError> {
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::entities::detail;
    let (iam, caller) = console::signed_in().await?;
    let detail = detail::get_role_detail(&iam, &caller, &role_name)
        .await
        .map_err(console::fail)?;
    let checks = denials::page_checks(
        EntityKind::Role,
        &detail.role.arn,
        &[Op::UpdateAssumeRolePolicy],
    );
    denials::gate(&iam, &caller, detail, checks).await
}

/// `UpdateRole`: the description (blank clears it) and the maximum session duration.
#[server(endpoint = "roles/update_role", protocol = FormArguments)]
pub async fn update_role(
    role_name: String,
    description: String,
    max_session_duration: i64,
) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::entities::roles;
    let (iam, caller) = console::signed_in().await?;
    roles::update_role(
        &iam,
        &caller,
        &role_name,
        Some(&description),
        Some(max_session_duration),
    )
    .await
    .map_err(console::fail)
}

/// `UpdateAssumeRolePolicy`: replaces the trust policy.
#[server(endpoint = "roles/update_trust_policy", protocol = FormArguments)]
pub async fn update_trust_policy(role_name: String, document: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::entities::roles;
    let (iam, caller) = console::signed_in().await?;
    roles::update_assume_role_policy(&iam, &caller, &role_name, &document)
        .await
        .map_err(console::fail)
}

/// Deletes the role after detaching and deleting its policies, in one transaction.
#[server(endpoint = "roles/delete_role", protocol = FormArguments)]
pub async fn delete_role(role_name: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::entities::roles;
    let (iam, caller) = console::signed_in().await?;
    roles::delete_role_and_dependents(&iam, &caller, &role_name)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect(words(EntityKind::Role).list_href);
    Ok(())
}
