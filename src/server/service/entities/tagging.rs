//! The tags of users and roles (`Tag{User,Role}`, `Untag…`, `List…Tags`), written once for both,
//! with AWS's rules: existing keys (ignoring case) are overwritten, and an entity may carry at
//! most 50.

use crate::catalog::{LIST_TAGS, TAG, UNTAG};
use crate::domain::tags::{check_tag_keys, check_tags, Tag, MAX_TAGS};
use crate::domain::EntityKind;
use crate::server::store::tags::{self, Tagged};
use crate::server::store::Tx;

use crate::server::service::authorization::RequestContext;
use crate::server::service::{entities, Caller, Iam, Operation, ServiceError};

/// `TagUser` / `TagRole`.
pub async fn tag(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
    new_tags: Vec<Tag>,
) -> Result<(), ServiceError> {
    debug_assert_ne!(kind, EntityKind::Group, "groups have no tags");
    Operation::run(iam, caller, kind.pick(TAG), |op| {
        Box::pin(async move {
            entities::check_name(kind, name)?;
            check_tags("Tags", &new_tags)?;
            let mut tx = op.begin().await?;
            let target = entities::find(&mut *tx, caller, kind, name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::with_request_tags(&new_tags))
                .await?;
            add_tags(&mut tx, kind, &entity.id, &new_tags).await?;
            op.commit(tx, &entity).await
        })
    })
    .await
}

/// `UntagUser` / `UntagRole`: removing a key the entity does not carry changes nothing.
pub async fn untag(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
    keys: Vec<String>,
) -> Result<(), ServiceError> {
    debug_assert_ne!(kind, EntityKind::Group, "groups have no tags");
    Operation::run(iam, caller, kind.pick(UNTAG), |op| {
        Box::pin(async move {
            entities::check_name(kind, name)?;
            check_tag_keys("TagKeys", &keys)?;
            let mut tx = op.begin().await?;
            let target = entities::find(&mut *tx, caller, kind, name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::with_tag_keys(&keys))
                .await?;
            for key in &keys {
                tags::remove(&mut *tx, kind, &entity.id, key).await?;
            }
            op.commit(tx, &entity).await
        })
    })
    .await
}

/// `ListUserTags` / `ListRoleTags`.
pub async fn list_tags(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
) -> Result<Vec<Tag>, ServiceError> {
    debug_assert_ne!(kind, EntityKind::Group, "groups have no tags");
    Operation::run(iam, caller, kind.pick(LIST_TAGS), |op| {
        Box::pin(async move {
            let db = iam.store().reader();
            let target = entities::find(db, caller, kind, name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            Ok(tags::for_entity(db, kind, &entity.id).await?)
        })
    })
    .await
}

/// Adds `new_tags` to what `entity` names, overwriting keys it carries, within AWS's 50.
pub async fn add_tags(
    tx: &mut Tx,
    entity: impl Into<Tagged> + Copy,
    entity_id: &str,
    new_tags: &[Tag],
) -> Result<(), ServiceError> {
    let existing = tags::for_entity(&mut **tx, entity, entity_id).await?;
    let added = new_tags
        .iter()
        .filter(|tag| {
            !existing
                .iter()
                .any(|old| old.key.to_lowercase() == tag.key.to_lowercase())
        })
        .count();
    if existing.len() + added > MAX_TAGS {
        return Err(ServiceError::LimitExceeded(format!(
            "The number of tags has reached the maximum limit of {MAX_TAGS}."
        )));
    }
    let mut position = tags::next_position(&mut **tx, entity, entity_id).await?;
    for tag in new_tags {
        tags::upsert(&mut **tx, entity, entity_id, tag, position).await?;
        position += 1;
    }
    Ok(())
}
