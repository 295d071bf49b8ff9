//! Managed policies: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, CreatePolicyVersion,
//! GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion,
//! ListEntitiesForPolicy.

use super::{done, paginate, result, Cx, Reply};
use crate::domain::EntityKind;
use crate::server::query_api::errors::ApiError;
use crate::server::query_api::shapes;
use crate::server::service::policies::{
    self, CreatePolicy, ListEntitiesForPolicy, ListPolicies, Scope, Usage,
};
use crate::server::service::ServiceError;

fn invalid(error: crate::domain::Invalid) -> ApiError {
    ServiceError::from(error).into()
}

pub async fn create_policy(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let input = CreatePolicy {
        policy_name: p.required("PolicyName")?.to_string(),
        path: p.string("Path"),
        description: p.string("Description"),
        document: p.required("PolicyDocument")?.to_string(),
    };
    let policy = policies::create_policy(cx.iam, cx.caller, input).await?;
    result(|x| shapes::policy(x, "Policy", &policy, false))
}

pub async fn get_policy(cx: &Cx<'_>) -> Reply {
    let policy = policies::get_policy(cx.iam, cx.caller, cx.params.required("PolicyArn")?).await?;
    result(|x| shapes::policy(x, "Policy", &policy, true))
}

pub async fn list_policies(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let input = ListPolicies {
        scope: Scope::parse(p.get("Scope")).map_err(invalid)?,
        only_attached: p.bool("OnlyAttached")?.unwrap_or(false),
        usage: Usage::parse(p.get("PolicyUsageFilter")).map_err(invalid)?,
        path_prefix: p.string("PathPrefix"),
        marker: p.string("Marker"),
        max_items: p.int("MaxItems")?,
    };
    let page = policies::list_policies(cx.iam, cx.caller, input).await?;
    result(|x| {
        shapes::page(x, "Policies", &page, |x, policy| {
            shapes::policy_fields(x, policy, false)
        })
    })
}

pub async fn delete_policy(cx: &Cx<'_>) -> Reply {
    policies::delete_policy(cx.iam, cx.caller, cx.params.required("PolicyArn")?).await?;
    done()
}

pub async fn create_policy_version(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let version = policies::create_policy_version(
        cx.iam,
        cx.caller,
        p.required("PolicyArn")?,
        p.required("PolicyDocument")?,
        p.bool("SetAsDefault")?.unwrap_or(false),
    )
    .await?;
    result(|x| {
        x.nested("PolicyVersion", |x| {
            shapes::policy_version_fields(x, &version, false)
        });
    })
}

pub async fn get_policy_version(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let version = policies::get_policy_version(
        cx.iam,
        cx.caller,
        p.required("PolicyArn")?,
        p.required("VersionId")?,
    )
    .await?;
    result(|x| {
        x.nested("PolicyVersion", |x| {
            shapes::policy_version_fields(x, &version, true)
        });
    })
}

pub async fn list_policy_versions(cx: &Cx<'_>) -> Reply {
    let versions =
        policies::list_policy_versions(cx.iam, cx.caller, cx.params.required("PolicyArn")?).await?;
    // In memory: a policy keeps at most MAX_VERSIONS (5) versions, enforced by
    // CreatePolicyVersion.
    let page = paginate(versions, cx.params)?;
    result(|x| {
        shapes::page(x, "Versions", &page, |x, version| {
            shapes::policy_version_fields(x, version, false)
        })
    })
}

pub async fn delete_policy_version(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    policies::delete_policy_version(
        cx.iam,
        cx.caller,
        p.required("PolicyArn")?,
        p.required("VersionId")?,
    )
    .await?;
    done()
}

pub async fn set_default_policy_version(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    policies::set_default_policy_version(
        cx.iam,
        cx.caller,
        p.required("PolicyArn")?,
        p.required("VersionId")?,
    )
    .await?;
    done()
}

pub async fn list_entities_for_policy(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let page = policies::list_entities_for_policy_page(
        cx.iam,
        cx.caller,
        p.required("PolicyArn")?,
        ListEntitiesForPolicy {
            entity_filter: p.string("EntityFilter"),
            path_prefix: p.string("PathPrefix"),
            usage_filter: p.string("PolicyUsageFilter"),
            page: super::page_request(p)?,
        },
    )
    .await?;
    // One page over the union; each entity is shown in its kind's list.
    let of = |kind: EntityKind| page.items.iter().filter(move |e| e.kind == kind);
    result(|x| {
        x.members("PolicyGroups", of(EntityKind::Group), |x, e| {
            x.text("GroupName", &e.name).text("GroupId", &e.id);
        })
        .members("PolicyUsers", of(EntityKind::User), |x, e| {
            x.text("UserName", &e.name).text("UserId", &e.id);
        })
        .members("PolicyRoles", of(EntityKind::Role), |x, e| {
            x.text("RoleName", &e.name).text("RoleId", &e.id);
        });
        shapes::paging(x, page.is_truncated, page.marker.as_deref());
    })
}
