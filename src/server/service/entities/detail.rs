//! The read models of the console's group and role pages: each page's data in one operation
//! (`GetGroup` / `GetRole`, which also authorizes listing the entity's policies), as the user
//! page has in `user_detail`.

use crate::catalog::Op;
use crate::domain::iam_models::{GroupDetail, RoleDetail};
use crate::domain::EntityKind;
use crate::server::store::{groups, roles};

use crate::server::service::authorization::RequestContext;
use crate::server::service::caches::user_views::to_user;
use crate::server::service::entities::groups::to_group;
use crate::server::service::entities::{self, Entity};
use crate::server::service::policies::attachments::attached_for_page;
use crate::server::service::policies::inline::inline_for_page;
use crate::server::service::{Caller, Iam, Operation, ServiceError};

pub async fn get_group_detail(
    iam: &Iam,
    caller: &Caller,
    group_name: &str,
) -> Result<GroupDetail, ServiceError> {
    Operation::run(iam, caller, Op::GetGroup, |op| {
        Box::pin(async move {
            let db = iam.store().reader();
            let target = entities::find(db, caller, EntityKind::Group, group_name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::default())
                .await?
                .into_inner();
            let row = groups::TABLE
                .find_by_id(db, &entity.id)
                .await?
                .ok_or_else(|| gone(&entity))?;
            let members = groups::members(db, &row.group_id)
                .await?
                .into_iter()
                .map(|user| to_user(caller, user, Vec::new()))
                .collect();
            Ok(GroupDetail {
                group: to_group(caller, row),
                members,
                attached_policies: attached_for_page(op, &entity).await?,
                inline_policies: inline_for_page(op, caller, &entity).await?,
            })
        })
    })
    .await
}

pub async fn get_role_detail(
    iam: &Iam,
    caller: &Caller,
    role_name: &str,
) -> Result<RoleDetail, ServiceError> {
    Operation::run(iam, caller, Op::GetRole, |op| {
        Box::pin(async move {
            let db = iam.store().reader();
            let target = entities::find(db, caller, EntityKind::Role, role_name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::default())
                .await?
                .into_inner();
            let row = roles::TABLE
                .find_by_id(db, &entity.id)
                .await?
                .ok_or_else(|| gone(&entity))?;
            Ok(RoleDetail {
                role: crate::server::service::entities::roles::answer(iam, caller, row).await?,
                attached_policies: attached_for_page(op, &entity).await?,
                inline_policies: inline_for_page(op, caller, &entity).await?,
            })
        })
    })
    .await
}

/// The entity was deleted between its lookup and its read.
fn gone(entity: &Entity) -> ServiceError {
    ServiceError::NoSuchEntity(format!(
        "The {} with name {} cannot be found.",
        entity.kind.lower(),
        entity.name
    ))
}
