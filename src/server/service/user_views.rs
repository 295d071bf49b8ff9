//! Users as `GetUser` answers them (the row and its tags), kept in memory between requests so
//! that reading an unchanged user costs no store read.
//!
//! INVARIANT: as for policy sets, an entry is used only while its account's generation is
//! unchanged. Every committed write bumps it (`Operation::commit`), and the generation is read
//! before an entry is loaded, so a user loaded while an edit commits is stale at once.

use std::sync::Arc;

use crate::domain::tags::Tag;
use crate::server::store::entity::EntityType;
use crate::server::store::tags;
use crate::server::store::users::UserRow;

use super::bounded_map::BoundedMap;
use super::{entity_lookup, Caller, Iam, ServiceError};

/// Beyond this many users the cache starts afresh; a miss costs two store reads.
pub const MAX_USERS: usize = 50_000;

pub struct UserView {
    pub row: UserRow,
    pub tags: Vec<Tag>,
}

pub struct CachedView {
    generation: i64,
    view: Arc<UserView>,
}

pub type UserViewCache = BoundedMap<CachedView>;

/// The user named `name` (any case) in the caller's account, with its tags; AWS's
/// NoSuchEntity when there is none.
pub async fn user_view(
    iam: &Iam,
    caller: &Caller,
    name: &str,
) -> Result<Arc<UserView>, ServiceError> {
    let account_id = caller.account_id().as_str();
    let key = format!("{account_id}/{}", name.to_ascii_lowercase());
    let generation = iam.policy_sets().account_generation(account_id);
    let cached = iam.user_views().read(&key, |entry| {
        entry
            .filter(|entry| entry.generation == generation)
            .map(|entry| Arc::clone(&entry.view))
    });
    if let Some(view) = cached {
        return Ok(view);
    }
    let db = iam.store().reader();
    let row = entity_lookup::user(db, caller, name).await?;
    let tags = tags::for_entity(db, EntityType::User, &row.user_id).await?;
    let view = Arc::new(UserView { row, tags });
    iam.user_views().insert(
        &key,
        CachedView {
            generation,
            view: Arc::clone(&view),
        },
    );
    Ok(view)
}
