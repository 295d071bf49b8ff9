//! Managed policy attachments: Attach/Detach/ListAttached{User,Group,Role}Policies.

use super::{done, paginate, result, Cx, Reply};
use crate::server::query_api::shapes;
use crate::server::service::entities::EntityKind;
use crate::server::service::policies::attachments;

async fn attach(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let p = cx.params;
    attachments::attach_policy(
        cx.iam,
        cx.caller,
        kind,
        p.required(kind.parameter())?,
        p.required("PolicyArn")?,
    )
    .await?;
    done()
}

async fn detach(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let p = cx.params;
    attachments::detach_policy(
        cx.iam,
        cx.caller,
        kind,
        p.required(kind.parameter())?,
        p.required("PolicyArn")?,
    )
    .await?;
    done()
}

async fn list(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let p = cx.params;
    let mut attached =
        attachments::list_attached_policies(cx.iam, cx.caller, kind, p.required(kind.parameter())?)
            .await?;
    // PathPrefix filters by the policies' paths; the path sits between `policy` and the name.
    if let Some(prefix) = p.get("PathPrefix").filter(|prefix| *prefix != "/") {
        attached.retain(|policy| {
            let resource = policy.policy_arn.splitn(6, ':').nth(5).unwrap_or_default();
            resource
                .strip_prefix("policy")
                .is_some_and(|path| path.starts_with(prefix))
        });
    }
    // In memory: an entity has at most POLICIES_PER_ENTITY (10) attached policies, enforced
    // by the Attach*Policy operations.
    let page = paginate(attached, p)?;
    result(|x| {
        shapes::attached_policies(x, "AttachedPolicies", &page.items);
        shapes::paging(x, page.is_truncated, page.marker.as_deref());
    })
}

pub async fn attach_user_policy(cx: &Cx<'_>) -> Reply {
    attach(cx, EntityKind::User).await
}

pub async fn attach_group_policy(cx: &Cx<'_>) -> Reply {
    attach(cx, EntityKind::Group).await
}

pub async fn attach_role_policy(cx: &Cx<'_>) -> Reply {
    attach(cx, EntityKind::Role).await
}

pub async fn detach_user_policy(cx: &Cx<'_>) -> Reply {
    detach(cx, EntityKind::User).await
}

pub async fn detach_group_policy(cx: &Cx<'_>) -> Reply {
    detach(cx, EntityKind::Group).await
}

pub async fn detach_role_policy(cx: &Cx<'_>) -> Reply {
    detach(cx, EntityKind::Role).await
}

pub async fn list_attached_user_policies(cx: &Cx<'_>) -> Reply {
    list(cx, EntityKind::User).await
}

pub async fn list_attached_group_policies(cx: &Cx<'_>) -> Reply {
    list(cx, EntityKind::Group).await
}

pub async fn list_attached_role_policies(cx: &Cx<'_>) -> Reply {
    list(cx, EntityKind::Role).await
}
