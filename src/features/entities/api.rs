//! Server functions for what users, groups and roles share: managed policy attachments,
//! inline policies, permissions boundaries, tags, and the policies a picker offers. Each goes
//! through the service layer, which authorizes it. Also what each kind's own server functions
//! share (the list's input, the page a rename opens).

use crate::console_protocol::{FormArguments, JsonArguments};
use leptos::prelude::*;

use crate::api_error::ApiError;
use crate::domain::iam_models::ManagedPolicy;
use crate::domain::EntityKind;

/// Every managed policy a picker offers: AWS managed first, then the account's own.
#[server(endpoint = "entities/policy_choices", protocol = FormArguments)]
pub async fn policy_choices() -> Result<Vec<ManagedPolicy>, ApiError> {
    use crate::server::console;
    use crate::server::service::policies::{self, ListPolicies};
    let (iam, caller) = console::signed_in().await?;
    let input = ListPolicies {
        max_items: Some(1000),
        ..ListPolicies::default()
    };
    policies::list_policies(&iam, &caller, input)
        .await
        .map(|page| page.items)
        .map_err(console::fail)
}

/// The default version's document of a managed policy.
#[server(endpoint = "entities/managed_policy_document", protocol = FormArguments)]
pub async fn managed_policy_document(policy_arn: String) -> Result<String, ApiError> {
    use crate::server::console;
    use crate::server::service::policies;
    let (iam, caller) = console::signed_in().await?;
    let policy = policies::get_policy(&iam, &caller, &policy_arn)
        .await
        .map_err(console::fail)?;
    policies::get_policy_version(&iam, &caller, &policy_arn, &policy.default_version_id)
        .await
        .map(|version| version.document)
        .map_err(console::fail)
}

#[server(endpoint = "entities/attach_policy", protocol = JsonArguments)]
pub async fn attach_policy(
    kind: EntityKind,
    name: String,
    policy_arn: String,
) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::policies::attachments::attach_policy(&iam, &caller, kind, &name, &policy_arn)
        .await
        .map_err(console::fail)
}

#[server(endpoint = "entities/detach_policy", protocol = JsonArguments)]
pub async fn detach_policy(
    kind: EntityKind,
    name: String,
    policy_arn: String,
) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::policies::attachments::detach_policy(&iam, &caller, kind, &name, &policy_arn)
        .await
        .map_err(console::fail)
}

/// Creates or replaces an inline policy.
#[server(endpoint = "entities/put_inline_policy", protocol = JsonArguments)]
pub async fn put_inline_policy(
    kind: EntityKind,
    name: String,
    policy_name: String,
    document: String,
) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::policies::inline::put_inline_policy(
        &iam,
        &caller,
        kind,
        &name,
        &policy_name,
        &document,
    )
    .await
    .map_err(console::fail)
}

#[server(endpoint = "entities/delete_inline_policy", protocol = JsonArguments)]
pub async fn delete_inline_policy(
    kind: EntityKind,
    name: String,
    policy_name: String,
) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::policies::inline::delete_inline_policy(&iam, &caller, kind, &name, &policy_name)
        .await
        .map_err(console::fail)
}

/// Sets (or replaces) the permissions boundary of a user or role.
#[server(endpoint = "entities/put_permissions_boundary", protocol = JsonArguments)]
pub async fn put_permissions_boundary(
    kind: EntityKind,
    name: String,
    policy_arn: String,
) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::entities::boundaries;
    let (iam, caller) = console::signed_in().await?;
    match kind {
        EntityKind::Group => Err(no_boundary()),
        _ => boundaries::put_boundary(&iam, &caller, kind, &name, &policy_arn).await,
    }
    .map_err(console::fail)
}

#[server(endpoint = "entities/delete_permissions_boundary", protocol = JsonArguments)]
pub async fn delete_permissions_boundary(kind: EntityKind, name: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::entities::boundaries;
    let (iam, caller) = console::signed_in().await?;
    match kind {
        EntityKind::Group => Err(no_boundary()),
        _ => boundaries::delete_boundary(&iam, &caller, kind, &name).await,
    }
    .map_err(console::fail)
}

/// Adds a tag to a user or role, replacing the value of a tag with the same key.
#[server(endpoint = "entities/tag", protocol = JsonArguments)]
pub async fn tag_entity(
    kind: EntityKind,
    name: String,
    key: String,
    value: String,
) -> Result<(), ApiError> {
    use crate::domain::tags::Tag;
    use crate::server::console;
    use crate::server::service::entities::tagging;
    let (iam, caller) = console::signed_in().await?;
    let tags = vec![Tag {
        key: key.trim().to_string(),
        value,
    }];
    match kind {
        EntityKind::Group => Err(no_tags()),
        _ => tagging::tag(&iam, &caller, kind, &name, tags).await,
    }
    .map_err(console::fail)
}

#[server(endpoint = "entities/untag", protocol = JsonArguments)]
pub async fn untag_entity(kind: EntityKind, name: String, key: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::entities::tagging;
    let (iam, caller) = console::signed_in().await?;
    match kind {
        EntityKind::Group => Err(no_tags()),
        _ => tagging::untag(&iam, &caller, kind, &name, vec![key]).await,
    }
    .map_err(console::fail)
}

/// Users, groups and roles per page of their lists.
pub const PAGE_SIZE: i64 = 50;

/// What a list page asks for: one page of the names starting with `name_prefix` (ignoring case).
#[cfg(feature = "ssr")]
pub fn list_input(
    name_prefix: String,
    marker: Option<String>,
) -> crate::server::service::entities::ListEntities {
    crate::server::service::entities::ListEntities {
        path_prefix: None,
        name_prefix: Some(name_prefix),
        marker,
        max_items: Some(PAGE_SIZE),
    }
}

/// Opens the page of the entity renamed from `old` to `new`: a blank new name changes nothing
/// (the service keeps the old one).
#[cfg(feature = "ssr")]
pub fn open_renamed(kind: EntityKind, old: &str, new: &str) {
    let shown = if new.is_empty() { old } else { new };
    leptos_axum::redirect(&super::words::entity_href(kind, shown));
}

#[cfg(feature = "ssr")]
fn no_boundary() -> crate::server::service::ServiceError {
    crate::server::service::ServiceError::InvalidInput(
        "Groups cannot have a permissions boundary.".to_string(),
    )
}

#[cfg(feature = "ssr")]
fn no_tags() -> crate::server::service::ServiceError {
    crate::server::service::ServiceError::InvalidInput("Groups cannot be tagged.".to_string())
}
