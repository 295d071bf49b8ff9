//! IAM groups: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, AddUserToGroup,
//! RemoveUserFromGroup, ListGroupsForUser.

use super::{done, paginate, result, Cx, Reply};
use crate::catalog::Op;
use crate::domain::entity_requests::{NewEntity, Rename};
use crate::server::query_api::shapes;
use crate::server::service::entities::groups::{self, ListGroups};
use crate::server::service::Operation;

pub async fn create_group(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let parsed = NewEntity::parse(p.required("GroupName")?, p.get("Path"));
    let new_group = Operation::parsed(cx.iam, cx.caller, Op::CreateGroup, parsed).await?;
    let group = groups::create_group(cx.iam, cx.caller, new_group).await?;
    result(|x| shapes::group(x, "Group", &group))
}

pub async fn get_group(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let (group, page) = groups::get_group_page(
        cx.iam,
        cx.caller,
        p.required("GroupName")?,
        super::page_request(p)?,
    )
    .await?;
    result(|x| {
        shapes::group(x, "Group", &group);
        shapes::page(x, "Users", &page, shapes::user_fields);
    })
}

pub async fn list_groups(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let page = groups::list_groups(
        cx.iam,
        cx.caller,
        ListGroups {
            path_prefix: p.string("PathPrefix"),
            name_prefix: None,
            marker: p.string("Marker"),
            max_items: p.int("MaxItems")?,
        },
    )
    .await?;
    result(|x| shapes::page(x, "Groups", &page, shapes::group_fields))
}

pub async fn update_group(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let parsed = Rename::parse(
        p.required("GroupName")?,
        p.get("NewGroupName"),
        p.get("NewPath"),
    );
    let rename = Operation::parsed(cx.iam, cx.caller, Op::UpdateGroup, parsed).await?;
    groups::update_group(cx.iam, cx.caller, rename).await?;
    done()
}

pub async fn delete_group(cx: &Cx<'_>) -> Reply {
    groups::delete_group(cx.iam, cx.caller, cx.params.required("GroupName")?).await?;
    done()
}

pub async fn add_user_to_group(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    groups::add_user_to_group(
        cx.iam,
        cx.caller,
        p.required("GroupName")?,
        p.required("UserName")?,
    )
    .await?;
    done()
}

pub async fn remove_user_from_group(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    groups::remove_user_from_group(
        cx.iam,
        cx.caller,
        p.required("GroupName")?,
        p.required("UserName")?,
    )
    .await?;
    done()
}

pub async fn list_groups_for_user(cx: &Cx<'_>) -> Reply {
    let groups =
        groups::list_groups_for_user(cx.iam, cx.caller, cx.params.required("UserName")?).await?;
    // In memory: a user is in at most GROUPS_PER_USER (10) groups, enforced by
    // AddUserToGroup.
    let page = paginate(groups, cx.params)?;
    result(|x| shapes::page(x, "Groups", &page, shapes::group_fields))
}
