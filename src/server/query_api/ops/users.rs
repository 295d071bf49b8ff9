//! IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser (their tags and
//! boundary: `tags_and_boundaries`).

use super::{done, result, Cx, Reply};
use crate::catalog::Op;
use crate::domain::entity_requests::{NewEntity, Rename};
use crate::server::query_api::shapes;
use crate::server::service::entities::users::{self, CreateUser, ListUsers};
use crate::server::service::Operation;

pub async fn create_user(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let parsed = NewEntity::parse(p.required("UserName")?, p.get("Path"));
    let input = CreateUser {
        tags: p.tags("Tags"),
        permissions_boundary: p.string("PermissionsBoundary"),
        groups: Vec::new(),
        policy_arns: Vec::new(),
        entity: Operation::parsed(cx.iam, cx.caller, Op::CreateUser, parsed).await?,
    };
    let user = users::create_user(cx.iam, cx.caller, input).await?;
    result(|x| shapes::user(x, "User", &user))
}

pub async fn get_user(cx: &Cx<'_>) -> Reply {
    let user = users::get_user(cx.iam, cx.caller, cx.params.get("UserName")).await?;
    result(|x| shapes::user(x, "User", &user))
}

pub async fn list_users(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let page = users::list_users(
        cx.iam,
        cx.caller,
        ListUsers {
            path_prefix: p.string("PathPrefix"),
            name_prefix: None,
            marker: p.string("Marker"),
            max_items: p.int("MaxItems")?,
        },
    )
    .await?;
    result(|x| shapes::page(x, "Users", &page, shapes::user_fields))
}

pub async fn update_user(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let parsed = Rename::parse(
        p.required("UserName")?,
        p.get("NewUserName"),
        p.get("NewPath"),
    );
    let rename = Operation::parsed(cx.iam, cx.caller, Op::UpdateUser, parsed).await?;
    users::update_user(cx.iam, cx.caller, rename).await?;
    done()
}

pub async fn delete_user(cx: &Cx<'_>) -> Reply {
    users::delete_user(cx.iam, cx.caller, cx.params.required("UserName")?).await?;
    done()
}
