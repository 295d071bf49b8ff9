//! IAM roles: CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription,
//! UpdateAssumeRolePolicy, DeleteRole (their tags and boundary: `tags_and_boundaries`).

use super::{done, result, Cx, Reply};
use crate::catalog::Op;
use crate::domain::entity_requests::NewEntity;
use crate::server::query_api::shapes;
use crate::server::service::entities::roles::{self, CreateRole, ListRoles};
use crate::server::service::Operation;

pub async fn create_role(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let name = p.required("RoleName")?;
    let input = CreateRole {
        assume_role_policy_document: p.required("AssumeRolePolicyDocument")?.to_string(),
        description: p.string("Description"),
        max_session_duration: p.int("MaxSessionDuration")?,
        tags: p.tags("Tags"),
        permissions_boundary: p.string("PermissionsBoundary"),
        entity: {
            let parsed = NewEntity::parse(name, p.get("Path"));
            Operation::parsed(cx.iam, cx.caller, Op::CreateRole, parsed).await?
        },
    };
    let role = roles::create_role(cx.iam, cx.caller, input).await?;
    result(|x| shapes::role(x, "Role", &role, false))
}

pub async fn get_role(cx: &Cx<'_>) -> Reply {
    let role = roles::get_role(cx.iam, cx.caller, cx.params.required("RoleName")?).await?;
    result(|x| shapes::role(x, "Role", &role, true))
}

pub async fn list_roles(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let page = roles::list_roles(
        cx.iam,
        cx.caller,
        ListRoles {
            path_prefix: p.string("PathPrefix"),
            name_prefix: None,
            marker: p.string("Marker"),
            max_items: p.int("MaxItems")?,
        },
    )
    .await?;
    result(|x| {
        shapes::page(x, "Roles", &page, |x, role| {
            shapes::role_fields(x, role, false)
        })
    })
}

pub async fn update_role(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    roles::update_role(
        cx.iam,
        cx.caller,
        p.required("RoleName")?,
        p.get("Description"),
        p.int("MaxSessionDuration")?,
    )
    .await?;
    // AWS's model gives UpdateRole an output without members: SDKs expect an empty
    // `<UpdateRoleResult/>` and fail to parse the answer without it.
    result(|_| {})
}

pub async fn update_role_description(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let role = roles::update_role_description(
        cx.iam,
        cx.caller,
        p.required("RoleName")?,
        p.required("Description")?,
    )
    .await?;
    result(|x| shapes::role(x, "Role", &role, false))
}

pub async fn update_assume_role_policy(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    roles::update_assume_role_policy(
        cx.iam,
        cx.caller,
        p.required("RoleName")?,
        p.required("PolicyDocument")?,
    )
    .await?;
    done()
}

pub async fn delete_role(cx: &Cx<'_>) -> Reply {
    roles::delete_role(cx.iam, cx.caller, cx.params.required("RoleName")?).await?;
    done()
}
