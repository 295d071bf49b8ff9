//! Adding tags to an entity with AWS's rules: existing keys (ignoring case) are overwritten,
//! and the entity may carry at most 50.

use crate::domain::tags::{Tag, MAX_TAGS};
use crate::domain::EntityKind;
use crate::server::store::{tags, Tx};

use super::ServiceError;

pub async fn add_tags(
    tx: &mut Tx,
    entity: EntityKind,
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
