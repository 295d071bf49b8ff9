//! Server functions for the user groups pages (and group membership, which the users pages
//! use too). Each starts from the signed-in caller and goes through the service layer.

#[cfg(feature = "ssr")]
use crate::catalog::Op;
use crate::console_protocol::{FormArguments, JsonArguments};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::domain::iam_models::{Group, Page};
#[cfg(feature = "ssr")]
use crate::domain::EntityKind;
use crate::features::entities::denials::Gated;
#[cfg(feature = "ssr")]
use crate::features::entities::words::{entity_href, words};

#[server(endpoint = "groups/list_groups", protocol = FormArguments)]
pub async fn list_groups(
    name_prefix: String,
    marker: Option<String>,
) -> Result<Gated<Page<Group>>, ApiError> {
    use crate::features::entities::{api::list_input, denials};
    use crate::server::console;
    use crate::server::service::entities::groups;
    let (iam, caller) = console::signed_in().await?;
    let page = groups::list_groups(&iam, &caller, list_input(name_prefix, marker))
        .await
        .map_err(console::fail)?;
    let create = denials::create_check(&caller, EntityKind::Group);
    denials::gate(&iam, &caller, page, vec![create]).await
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewGroup {
    pub group_name: String,
    pub path: String,
    pub policy_arns: Vec<String>,
}

/// Creates the group with its policies in one transaction, then opens its page.
#[server(endpoint = "groups/create_group", protocol = JsonArguments)]
pub async fn create_group(group: NewGroup) -> Result<(), ApiError> {
    use crate::domain::entity_requests::NewEntity;
    use crate::server::console;
    use crate::server::service::entities::groups;
    use crate::server::service::Operation;
    let (iam, caller) = console::signed_in().await?;
    let path = Some(group.path.as_str()).filter(|p| !p.trim().is_empty());
    let parsed = NewEntity::parse(&group.group_name, path);
    let new_group = Operation::parsed(&iam, &caller, Op::CreateGroup, parsed)
        .await
        .map_err(console::fail)?;
    let created = groups::create_group_with_policies(&iam, &caller, new_group, &group.policy_arns)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect(&entity_href(EntityKind::Group, &created.group_name));
    Ok(())
}

pub use crate::domain::iam_models::GroupDetail;

#[server(endpoint = "groups/get_group_page", protocol = FormArguments)]
pub async fn get_group_page(group_name: String) -> Result<Gated<GroupDetail>, ApiError> {
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::entities::detail;
    let (iam, caller) = console::signed_in().await?;
    let detail = detail::get_group_detail(&iam, &caller, &group_name)
        .await
        .map_err(console::fail)?;
    let membership = [Op::AddUserToGroup, Op::RemoveUserFromGroup];
    let checks = denials::page_checks(EntityKind::Group, &detail.group.arn, &membership);
    denials::gate(&iam, &caller, detail, checks).await
}

/// Renames a group (`UpdateGroup`); its page moves to the new name.
#[server(endpoint = "groups/rename_group", protocol = FormArguments)]
pub async fn rename_group(group_name: String, new_group_name: String) -> Result<(), ApiError> {
    use crate::domain::entity_requests::Rename;
    use crate::features::entities::api::open_renamed;
    use crate::server::console;
    use crate::server::service::entities::groups;
    use crate::server::service::Operation;
    let (iam, caller) = console::signed_in().await?;
    let new_name = new_group_name.trim();
    let parsed = Rename::parse(&group_name, Some(new_name), None);
    let rename = Operation::parsed(&iam, &caller, Op::UpdateGroup, parsed)
        .await
        .map_err(console::fail)?;
    groups::update_group(&iam, &caller, rename)
        .await
        .map_err(console::fail)?;
    open_renamed(EntityKind::Group, &group_name, new_name);
    Ok(())
}

/// Deletes the group after removing its members and policies, in one transaction.
#[server(endpoint = "groups/delete_group", protocol = FormArguments)]
pub async fn delete_group(group_name: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::entities::groups;
    let (iam, caller) = console::signed_in().await?;
    groups::delete_group_and_dependents(&iam, &caller, &group_name)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect(words(EntityKind::Group).list_href);
    Ok(())
}

#[server(endpoint = "groups/add_user_to_group", protocol = FormArguments)]
pub async fn add_user_to_group(group_name: String, user_name: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::entities::groups;
    let (iam, caller) = console::signed_in().await?;
    groups::add_user_to_group(&iam, &caller, &group_name, &user_name)
        .await
        .map_err(console::fail)
}

#[server(endpoint = "groups/remove_user_from_group", protocol = FormArguments)]
pub async fn remove_user_from_group(group_name: String, user_name: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::entities::groups;
    let (iam, caller) = console::signed_in().await?;
    groups::remove_user_from_group(&iam, &caller, &group_name, &user_name)
        .await
        .map_err(console::fail)
}
