//! Server functions for the users pages. Each is a public endpoint: it starts from the signed-in
//! caller and goes through the service layer, which authorizes.

#[cfg(feature = "ssr")]
use crate::catalog::Op;
use crate::console_protocol::{FormArguments, JsonArguments};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::domain::iam_models::{Page, User, UserDetail};
use crate::domain::tags::Tag;
#[cfg(feature = "ssr")]
use crate::domain::EntityKind;
use crate::features::entities::denials::Gated;
#[cfg(feature = "ssr")]
use crate::features::entities::words::{entity_href, words};

/// One page of users whose names start with `name_prefix` (ignoring case), with whether the
/// caller may create users.
#[server(endpoint = "users/list_users", protocol = FormArguments)]
pub async fn list_users(
    name_prefix: String,
    marker: Option<String>,
) -> Result<Gated<Page<User>>, ApiError> {
    use crate::features::entities::{api::list_input, denials};
    use crate::server::console;
    use crate::server::service::entities::users;
    let (iam, caller) = console::signed_in().await?;
    let page = users::list_users(&iam, &caller, list_input(name_prefix, marker))
        .await
        .map_err(console::fail)?;
    let create = denials::create_check(&caller, EntityKind::User);
    denials::gate(&iam, &caller, page, vec![create]).await
}

/// Everything the create page collects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub user_name: String,
    pub path: String,
    pub tags: Vec<Tag>,
    pub groups: Vec<String>,
    pub policy_arns: Vec<String>,
    pub permissions_boundary: Option<String>,
}

/// Creates the user, its group memberships, attachments, tags and boundary in one transaction,
/// then opens the user's page.
#[server(endpoint = "users/create_user", protocol = JsonArguments)]
pub async fn create_user(user: NewUser) -> Result<(), ApiError> {
    use crate::domain::entity_requests::NewEntity;
    use crate::server::console;
    use crate::server::service::entities::users::{self, CreateUser};
    use crate::server::service::Operation;
    let (iam, caller) = console::signed_in().await?;
    let path = Some(user.path.as_str()).filter(|p| !p.trim().is_empty());
    let entity = Operation::parsed(
        &iam,
        &caller,
        Op::CreateUser,
        NewEntity::parse(&user.user_name, path),
    )
    .await
    .map_err(console::fail)?;
    let input = CreateUser {
        entity,
        tags: user.tags,
        permissions_boundary: user.permissions_boundary,
        groups: user.groups,
        policy_arns: user.policy_arns,
    };
    let created = users::create_user(&iam, &caller, input)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect(&entity_href(EntityKind::User, &created.user_name));
    Ok(())
}

/// The user's page: the user, its groups and policies, with the caller's permission answers
/// for every button on it.
#[server(endpoint = "users/get_user_page", protocol = FormArguments)]
pub async fn get_user_page(user_name: String) -> Result<Gated<UserDetail>, ApiError> {
    use crate::domain::arn::group_arn;
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::entities::user_detail;
    let (iam, caller) = console::signed_in().await?;
    let detail = user_detail::get_user_detail(&iam, &caller, &user_name)
        .await
        .map_err(console::fail)?;
    let mut checks = denials::page_checks(EntityKind::User, &detail.user.arn, &[]);
    checks.push((Op::AddUserToGroup, group_arn(caller.account_id(), "/", "*")));
    for group in &detail.groups {
        checks.push((Op::RemoveUserFromGroup, group.arn.clone()));
    }
    denials::gate(&iam, &caller, detail, checks).await
}

/// Renames a user (`UpdateUser`), then opens its page under the new name.
#[server(endpoint = "users/rename_user", protocol = FormArguments)]
pub async fn rename_user(user_name: String, new_user_name: String) -> Result<(), ApiError> {
    use crate::domain::entity_requests::Rename;
    use crate::features::entities::api::open_renamed;
    use crate::server::console;
    use crate::server::service::entities::users;
    use crate::server::service::Operation;
    let (iam, caller) = console::signed_in().await?;
    let new_name = new_user_name.trim();
    let parsed = Rename::parse(&user_name, Some(new_name), None);
    let rename = Operation::parsed(&iam, &caller, Op::UpdateUser, parsed)
        .await
        .map_err(console::fail)?;
    users::update_user(&iam, &caller, rename)
        .await
        .map_err(console::fail)?;
    open_renamed(EntityKind::User, &user_name, new_name);
    Ok(())
}

/// Deletes the user with everything that hangs on it, in one transaction; back to the list.
#[server(endpoint = "users/delete_user", protocol = FormArguments)]
pub async fn delete_user(user_name: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::entities::users;
    let (iam, caller) = console::signed_in().await?;
    users::delete_user_and_dependents(&iam, &caller, &user_name)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect(words(EntityKind::User).list_href);
    Ok(())
}
