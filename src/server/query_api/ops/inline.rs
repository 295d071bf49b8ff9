//! Inline policies: Put/Get/List/Delete{User,Group,Role}Policy.

use super::{done, paginate, result, Cx, Reply};
use crate::server::service::entities::EntityKind;
use crate::server::service::policies::inline;

async fn put(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let p = cx.params;
    inline::put_inline_policy(
        cx.iam,
        cx.caller,
        kind,
        p.required(kind.parameter())?,
        p.required("PolicyName")?,
        p.required("PolicyDocument")?,
    )
    .await?;
    done()
}

async fn get(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let p = cx.params;
    let entity_name = p.required(kind.parameter())?;
    let policy = inline::get_inline_policy(
        cx.iam,
        cx.caller,
        kind,
        entity_name,
        p.required("PolicyName")?,
    )
    .await?;
    result(|x| {
        x.text(kind.parameter(), entity_name)
            .text("PolicyName", &policy.policy_name)
            .policy_document("PolicyDocument", &policy.policy_document);
    })
}

async fn list(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let p = cx.params;
    let policies =
        inline::list_inline_policies(cx.iam, cx.caller, kind, p.required(kind.parameter())?)
            .await?;
    let names: Vec<String> = policies.into_iter().map(|p| p.policy_name).collect();
    // In memory: the inline policies of one entity share its aggregate size quota (2,048 /
    // 5,120 / 10,240 characters for a user / group / role, enforced by Put*Policy), so there
    // can be only a few hundred at most.
    let page = paginate(names, p)?;
    result(|x| {
        x.string_members("PolicyNames", &page.items);
        crate::server::query_api::shapes::paging(x, page.is_truncated, page.marker.as_deref());
    })
}

async fn delete(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let p = cx.params;
    inline::delete_inline_policy(
        cx.iam,
        cx.caller,
        kind,
        p.required(kind.parameter())?,
        p.required("PolicyName")?,
    )
    .await?;
    done()
}

pub async fn put_user_policy(cx: &Cx<'_>) -> Reply {
    put(cx, EntityKind::User).await
}

pub async fn put_group_policy(cx: &Cx<'_>) -> Reply {
    put(cx, EntityKind::Group).await
}

pub async fn put_role_policy(cx: &Cx<'_>) -> Reply {
    put(cx, EntityKind::Role).await
}

pub async fn get_user_policy(cx: &Cx<'_>) -> Reply {
    get(cx, EntityKind::User).await
}

pub async fn get_group_policy(cx: &Cx<'_>) -> Reply {
    get(cx, EntityKind::Group).await
}

pub async fn get_role_policy(cx: &Cx<'_>) -> Reply {
    get(cx, EntityKind::Role).await
}

pub async fn list_user_policies(cx: &Cx<'_>) -> Reply {
    list(cx, EntityKind::User).await
}

pub async fn list_group_policies(cx: &Cx<'_>) -> Reply {
    list(cx, EntityKind::Group).await
}

pub async fn list_role_policies(cx: &Cx<'_>) -> Reply {
    list(cx, EntityKind::Role).await
}

pub async fn delete_user_policy(cx: &Cx<'_>) -> Reply {
    delete(cx, EntityKind::User).await
}

pub async fn delete_group_policy(cx: &Cx<'_>) -> Reply {
    delete(cx, EntityKind::Group).await
}

pub async fn delete_role_policy(cx: &Cx<'_>) -> Reply {
    delete(cx, EntityKind::Role).await
}
