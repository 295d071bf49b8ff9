//! The tags and permissions boundaries of users and roles (`Tag{User,Role}`, `Untag…`,
//! `List…Tags`, `Put…PermissionsBoundary`, `Delete…PermissionsBoundary`), one handler for both
//! kinds: the table passes the kind, the name comes in the kind's parameter.

use super::{done, paginate, result, Cx, Reply};
use crate::domain::EntityKind;
use crate::server::query_api::shapes;
use crate::server::service::{entities::boundaries, entities::tagging};

pub async fn tag(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let p = cx.params;
    let name = p.required(kind.parameter())?;
    tagging::tag(cx.iam, cx.caller, kind, name, p.tags("Tags")).await?;
    done()
}

pub async fn untag(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let p = cx.params;
    let name = p.required(kind.parameter())?;
    tagging::untag(cx.iam, cx.caller, kind, name, p.list("TagKeys")).await?;
    done()
}

pub async fn list_tags(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let name = cx.params.required(kind.parameter())?;
    let tags = tagging::list_tags(cx.iam, cx.caller, kind, name).await?;
    // In memory: an entity has at most MAX_TAGS (50) tags, enforced by Tag*.
    let page = paginate(tags, cx.params)?;
    result(|x| {
        shapes::tags(x, &page.items);
        shapes::paging(x, page.is_truncated, page.marker.as_deref());
    })
}

pub async fn put_boundary(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let p = cx.params;
    let name = p.required(kind.parameter())?;
    let boundary = p.required("PermissionsBoundary")?;
    boundaries::put_boundary(cx.iam, cx.caller, kind, name, boundary).await?;
    done()
}

pub async fn delete_boundary(cx: &Cx<'_>, kind: EntityKind) -> Reply {
    let name = cx.params.required(kind.parameter())?;
    boundaries::delete_boundary(cx.iam, cx.caller, kind, name).await?;
    done()
}
