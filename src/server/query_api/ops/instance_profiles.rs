//! IAM's instance profiles: create, read, list (all, and a role's), delete, a profile's role,
//! tags.

use super::{done, paginate, result, Cx, Reply};
use crate::domain::iam_models::{InstanceProfile, Page};
use crate::server::query_api::shapes;
use crate::server::service::entities::ListEntities;
use crate::server::service::paging::PageRequest;
use crate::server::service::workloads::instance_profiles::{self, CreateInstanceProfile};

const NAME: &str = "InstanceProfileName";

pub async fn create(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let input = CreateInstanceProfile {
        name: p.required(NAME)?.to_string(),
        path: p.string("Path"),
        tags: p.tags("Tags"),
    };
    let profile = instance_profiles::create(cx.iam, cx.caller, input).await?;
    result(|x| shapes::instance_profile(x, "InstanceProfile", &profile))
}

pub async fn get(cx: &Cx<'_>) -> Reply {
    let profile = instance_profiles::get(cx.iam, cx.caller, cx.params.required(NAME)?).await?;
    result(|x| shapes::instance_profile(x, "InstanceProfile", &profile))
}

pub async fn delete(cx: &Cx<'_>) -> Reply {
    instance_profiles::delete(cx.iam, cx.caller, cx.params.required(NAME)?).await?;
    done()
}

pub async fn list(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let page = instance_profiles::list(
        cx.iam,
        cx.caller,
        ListEntities {
            path_prefix: p.string("PathPrefix"),
            name_prefix: None,
            marker: p.string("Marker"),
            max_items: p.int("MaxItems")?,
        },
    )
    .await?;
    profiles(&page)
}

pub async fn list_for_role(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let page = instance_profiles::list_for_role(
        cx.iam,
        cx.caller,
        p.required("RoleName")?,
        PageRequest {
            marker: p.string("Marker"),
            max_items: p.int("MaxItems")?,
        },
    )
    .await?;
    profiles(&page)
}

pub async fn add_role(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    instance_profiles::add_role(
        cx.iam,
        cx.caller,
        p.required(NAME)?,
        p.required("RoleName")?,
    )
    .await?;
    done()
}

pub async fn remove_role(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    instance_profiles::remove_role(
        cx.iam,
        cx.caller,
        p.required(NAME)?,
        p.required("RoleName")?,
    )
    .await?;
    done()
}

pub async fn tag(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    instance_profiles::tag(cx.iam, cx.caller, p.required(NAME)?, p.tags("Tags")).await?;
    done()
}

pub async fn untag(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    instance_profiles::untag(cx.iam, cx.caller, p.required(NAME)?, p.list("TagKeys")).await?;
    done()
}

pub async fn list_tags(cx: &Cx<'_>) -> Reply {
    let tags = instance_profiles::list_tags(cx.iam, cx.caller, cx.params.required(NAME)?).await?;
    // In memory: a profile has at most MAX_TAGS (50) tags, enforced by TagInstanceProfile.
    let page = paginate(tags, cx.params)?;
    result(|x| {
        shapes::tags(x, &page.items);
        shapes::paging(x, page.is_truncated, page.marker.as_deref());
    })
}

/// A page of profiles, as ListInstanceProfiles and ListInstanceProfilesForRole answer it.
fn profiles(page: &Page<InstanceProfile>) -> Reply {
    result(|x| {
        shapes::page(x, "InstanceProfiles", page, |x, profile| {
            shapes::instance_profile_fields(x, profile)
        })
    })
}
