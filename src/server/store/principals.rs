//! IAM users and roles as a policy's `Principal` names them: by ARN (with path) or by unique ID.

use crate::domain::arn::{role_arn, user_arn};
use sqlx::AnyConnection;

use super::{roles, users, StoreError};
use crate::policy::principal_refs::{aws_principals, replace_aws_principals};
use crate::policy::{is_principal_unique_id, split_arn};

/// A user or role: its unique ID and its ARN as it is now.
pub struct NamedPrincipal {
    pub unique_id: String,
    pub arn: String,
}

/// The user or role `value` (an ARN with its path, or a unique ID) names, if it exists.
pub async fn find(
    db: &mut AnyConnection,
    value: &str,
) -> Result<Option<NamedPrincipal>, StoreError> {
    if is_principal_unique_id(value) {
        return by_id(db, value).await;
    }
    let Some([_, _, "iam", _, account, resource]) = split_arn(value) else {
        return Ok(None);
    };
    let (kind, path_and_name) = resource.split_once('/').unwrap_or((resource, ""));
    let name = path_and_name.rsplit('/').next().unwrap_or("");
    let found = match kind {
        "user" => users::TABLE
            .find_by_name(&mut *db, account, name)
            .await?
            .map(NamedPrincipal::from),
        "role" => roles::TABLE
            .find_by_name(&mut *db, account, name)
            .await?
            .map(NamedPrincipal::from),
        _ => None,
    };
    // The ARN must name the entity as it is, path included (names ignore case, as IAM's do).
    Ok(found.filter(|named| named.arn.eq_ignore_ascii_case(value)))
}

async fn by_id(
    db: &mut AnyConnection,
    unique_id: &str,
) -> Result<Option<NamedPrincipal>, StoreError> {
    Ok(if unique_id.starts_with("AIDA") {
        users::TABLE
            .find_by_id(db, unique_id)
            .await?
            .map(NamedPrincipal::from)
    } else {
        roles::TABLE
            .find_by_id(db, unique_id)
            .await?
            .map(NamedPrincipal::from)
    })
}

impl From<users::UserRow> for NamedPrincipal {
    fn from(user: users::UserRow) -> Self {
        NamedPrincipal {
            arn: user_arn(&user.account_id, &user.path, &user.name),
            unique_id: user.user_id,
        }
    }
}

impl From<roles::RoleRow> for NamedPrincipal {
    fn from(role: roles::RoleRow) -> Self {
        NamedPrincipal {
            arn: role_arn(&role.account_id, &role.path, &role.name),
            unique_id: role.role_id,
        }
    }
}

/// Each `AWS` principal in `document` that names an IAM user or role (an ARN of one, or a
/// unique ID), with what it names now (`None`: nothing).
pub async fn named_in(
    db: &mut AnyConnection,
    document: &str,
) -> Result<Vec<(String, Option<NamedPrincipal>)>, StoreError> {
    let mut named = Vec::new();
    for value in aws_principals(document) {
        if names_user_or_role(&value) {
            let found = find(db, &value).await?;
            named.push((value, found));
        }
    }
    Ok(named)
}

/// An IAM user or role ARN (not the account's root, not an STS session) or such a unique ID.
fn names_user_or_role(value: &str) -> bool {
    is_principal_unique_id(value)
        || split_arn(value).is_some_and(|[_, _, service, _, _, resource]| {
            service == "iam" && (resource.starts_with("user/") || resource.starts_with("role/"))
        })
}

/// Upgrades trust policies stored before principals were kept by ID: each user or role ARN that
/// names an existing entity becomes its unique ID (one that names nothing is left as written;
/// IAM would refuse it today). Returns how many roles changed.
pub async fn name_trusted_principals_by_id(db: &mut AnyConnection) -> Result<u64, StoreError> {
    let candidates: Vec<(String, String)> = sqlx::query_as(
        "SELECT role_id, assume_role_policy FROM roles \
         WHERE assume_role_policy LIKE '%:user/%' OR assume_role_policy LIKE '%:role/%'",
    )
    .fetch_all(&mut *db)
    .await?;
    let mut changed = 0;
    for (role_id, document) in candidates {
        let ids: Vec<(String, String)> = named_in(db, &document)
            .await?
            .into_iter()
            .filter(|(value, _)| value.starts_with("arn:"))
            .filter_map(|(value, found)| found.map(|named| (value, named.unique_id)))
            .collect();
        if ids.is_empty() {
            continue;
        }
        let upgraded = replace_aws_principals(&document, &ids);
        roles::set_assume_role_policy(&mut *db, &role_id, &upgraded).await?;
        changed += 1;
    }
    Ok(changed)
}
