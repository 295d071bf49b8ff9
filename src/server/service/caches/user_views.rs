//! Users as `GetUser` answers them (the row and its tags), kept in memory between requests so
//! that reading an unchanged user costs no store read.
//!
//! A name with no user is remembered too, so that answering about a missing user costs what
//! answering about an existing one does (SECURITY: no timing tells them apart).
//!
//! INVARIANT: as for policy sets, an entry is used only while its account's generation is
//! unchanged. Every committed write bumps it (`Operation::commit`), and the generation is read
//! before an entry is loaded, so a user loaded while an edit commits is stale at once.

use std::sync::Arc;

use crate::domain::arn::user_arn;
use crate::domain::iam_models::User;
use crate::domain::tags::Tag;
use crate::server::metrics;
use crate::server::store::users::UserRow;
use crate::server::store::{tags, users};

use crate::server::service::caches::bounded_map::BoundedMap;
use crate::server::service::entities::lookup::Named;
use crate::server::service::entities::EntityKind;
use crate::server::service::{Caller, Iam, ServiceError};

/// Beyond this many users the cache starts afresh; a miss costs two store reads.
pub const MAX_USERS: usize = 50_000;

pub struct UserView {
    pub row: UserRow,
    pub tags: Vec<Tag>,
}

pub struct CachedView {
    generation: i64,
    /// `None`: there is no user of that name.
    view: Option<Arc<UserView>>,
}

pub type UserViewCache = BoundedMap<CachedView>;

/// The user named `name` (any case) in the caller's account, with its tags, found or not.
pub async fn user_view(
    iam: &Iam,
    caller: &Caller,
    name: &str,
) -> Result<Named<Arc<UserView>>, ServiceError> {
    let account_id = caller.account_id().as_str();
    let key = format!("{account_id}/{}", name.to_ascii_lowercase());
    let generation = iam
        .policy_sets()
        .account_generation(iam.store(), account_id)
        .await?;
    let cached = iam.user_views().read(&key, |entry| match entry {
        Some(entry) if entry.generation == generation => {
            metrics::cache_lookup("user_views", "hit");
            Some(entry.view.clone())
        }
        Some(_) => {
            metrics::cache_lookup("user_views", "stale");
            None
        }
        None => {
            metrics::cache_lookup("user_views", "miss");
            None
        }
    });
    let found = match cached {
        Some(found) => found,
        None => {
            let db = iam.store().reader();
            let found = match users::TABLE.find_by_name(db, account_id, name).await? {
                Some(row) => {
                    let tags = tags::for_entity(db, EntityKind::User, &row.user_id).await?;
                    Some(Arc::new(UserView { row, tags }))
                }
                None => None,
            };
            iam.user_views().insert(
                &key,
                CachedView {
                    generation,
                    view: found.clone(),
                },
            );
            found
        }
    };
    Ok(Named::new(EntityKind::User, caller, name, found, |view| {
        (&view.row.path, &view.row.name)
    }))
}

/// The user as the service answers it.
pub(in crate::server::service) fn to_user(caller: &Caller, row: UserRow, tags: Vec<Tag>) -> User {
    User {
        arn: user_arn(caller.account_id(), &row.path, &row.name),
        user_name: row.name,
        user_id: row.user_id,
        path: row.path,
        create_date: row.created_at,
        permissions_boundary_arn: row.permissions_boundary_arn,
        tags,
        password_last_used: None,
    }
}
