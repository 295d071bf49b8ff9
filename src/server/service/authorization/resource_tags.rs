//! The tags of the resource a request acts on, for the `aws:ResourceTag/<key>` and
//! `iam:ResourceTag/<key>` condition keys: IAM users, roles and instance profiles (the taggable
//! resources named by path and name).

use crate::domain::tags::Tag;
use crate::domain::EntityKind;
use crate::policy::global_keys;
use crate::policy::split_arn;
use crate::server::store::tags::Tagged;
use crate::server::store::{instance_profiles, roles, tags, users};

use crate::server::service::{Iam, ServiceError};

/// The condition keys that read a resource's tags.
pub const KEY_PREFIXES: [&str; 2] = global_keys::RESOURCE_TAG_PREFIXES;

/// The tags of the IAM user, role or instance profile `arn` names exactly (with its path); none
/// for anything else or for one that does not exist.
pub async fn of(iam: &Iam, arn: &str) -> Result<Vec<Tag>, ServiceError> {
    let Some([_, _, "iam", _, account, resource]) = split_arn(arn) else {
        return Ok(Vec::new());
    };
    let db = iam.store().reader();
    let (kind, path_and_name) = resource.split_once('/').unwrap_or((resource, ""));
    let name = path_and_name.rsplit('/').next().unwrap_or("");
    let path = match path_and_name.rsplit_once('/') {
        Some((path, _)) => format!("/{path}/"),
        None => "/".to_string(),
    };
    let entity: Option<(Tagged, String)> = match kind {
        "user" => users::TABLE
            .find_by_name(db, account, name)
            .await?
            .filter(|user| user.path == path)
            .map(|user| (EntityKind::User.into(), user.user_id)),
        "role" => roles::TABLE
            .find_by_name(db, account, name)
            .await?
            .filter(|role| role.path == path)
            .map(|role| (EntityKind::Role.into(), role.role_id)),
        "instance-profile" => instance_profiles::TABLE
            .find_by_name(db, account, name)
            .await?
            .filter(|profile| profile.path == path)
            .map(|profile| (Tagged::InstanceProfile, profile.instance_profile_id)),
        _ => None,
    };
    match entity {
        Some((kind, id)) => Ok(tags::for_entity(db, kind, &id).await?),
        None => Ok(Vec::new()),
    }
}

/// The condition entries for `tags`, under both keys.
pub fn entries(tags: &[Tag]) -> Vec<(String, Vec<String>)> {
    tags.iter()
        .flat_map(|tag| {
            KEY_PREFIXES
                .iter()
                .map(|prefix| (format!("{prefix}{}", tag.key), vec![tag.value.clone()]))
        })
        .collect()
}
