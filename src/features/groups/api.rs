//! Server functions for the user groups pages (and group membership, which the users pages
//! use too). Each starts from the signed-in caller and goes through the service layer.

#[cfg(feature = "ssr")]
use crate::catalog::Op;
use crate::console_protocol::{FormArguments, JsonArguments};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::domain::iam_models::{Group, Page};
use crate::features::entities::denials::Gated;

pub const PAGE_SIZE: i64 = 50;

#[server(endpoint = "groups/list_groups", protocol = FormArguments)]
pub async fn list_groups(
    name_prefix: String,
    marker: Option<String>,
) -> Result<Gated<Page<Group>>, ApiError> {
    use crate::domain::arn::group_arn;
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::entities::groups::{self, ListGroups};
    let (iam, caller) = console::signed_in().await?;
    let input = ListGroups {
        path_prefix: None,
        name_prefix: Some(name_prefix),
        marker,
        max_items: Some(PAGE_SIZE),
    };
    let page = groups::list_groups(&iam, &caller, input)
        .await
        .map_err(console::fail)?;
    let any_group = group_arn(caller.account_id(), "/", "*");
    let denials = denials::ask(&iam, &caller, vec![(Op::CreateGroup, any_group)]).await?;
    Ok(Gated {
        value: page,
        denials,
    })
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
    let (iam, caller) = console::signed_in().await?;
    let path = Some(group.path.as_str()).filter(|p| !p.trim().is_empty());
    let new_group = NewEntity::parse(&group.group_name, path)
        .map_err(|invalid| console::fail(invalid.into()))?;
    let created = groups::create_group_with_policies(&iam, &caller, new_group, &group.policy_arns)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect(&format!("/groups/{}", created.group_name));
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
    let group = &detail.group;
    let checks = [
        Op::DeleteGroup,
        Op::UpdateGroup,
        Op::AddUserToGroup,
        Op::RemoveUserFromGroup,
        Op::AttachGroupPolicy,
        Op::DetachGroupPolicy,
        Op::PutGroupPolicy,
        Op::DeleteGroupPolicy,
    ]
    .into_iter()
    .map(|op| (op, group.arn.clone()))
    .collect();
    let denials = denials::ask(&iam, &caller, checks).await?;
    Ok(Gated {
        value: detail,
        denials,
    })
}

/// Renames a group (`UpdateGroup`); its page moves to the new name.
#[server(endpoint = "groups/rename_group", protocol = FormArguments)]
pub async fn rename_group(group_name: String, new_group_name: String) -> Result<(), ApiError> {
    use crate::domain::entity_requests::Rename;
    use crate::server::console;
    use crate::server::service::entities::groups;
    let (iam, caller) = console::signed_in().await?;
    let new_name = new_group_name.trim();
    let rename = Rename::parse(&group_name, Some(new_name), None)
        .map_err(|invalid| console::fail(invalid.into()))?;
    groups::update_group(&iam, &caller, rename)
        .await
        .map_err(console::fail)?;
    // A blank new name changes nothing: the service keeps the old one.
    let shown = if new_name.is_empty() {
        group_name.as_str()
    } else {
        new_name
    };
    leptos_axum::redirect(&format!("/groups/{shown}"));
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
    leptos_axum::redirect("/groups");
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
