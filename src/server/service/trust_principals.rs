//! IAM users and roles named in a trust policy's `Principal`, kept as IAM keeps them: by unique
//! ID. A document is stored with each user or role ARN replaced by the entity's ID (an unknown
//! principal is refused), and shown with each ID replaced by the entity's ARN as it is now — or
//! left as the ID once the entity is deleted. So deleting a principal ends its trust, and a new
//! user or role of the same name is not trusted in its place.

use sqlx::AnyConnection;

use crate::policy::principal_refs::{aws_principals, replace_aws_principals};
use crate::policy::{is_principal_unique_id, split_arn};
use crate::server::store::{principals, StoreError};

use super::{Iam, ServiceError};

/// The document to store: each user or role ARN (and each unique ID) in `Principal` checked to
/// name an existing user or role, and written as its unique ID. `field` names the parameter in
/// the error for an unknown principal (AWS's `Invalid principal in policy`).
pub async fn to_stored(
    db: &mut AnyConnection,
    document: &str,
    field: &str,
) -> Result<String, ServiceError> {
    let mut ids = Vec::new();
    for value in aws_principals(document) {
        if !names_user_or_role(&value) {
            continue;
        }
        match principals::find(db, &value).await? {
            Some(named) => ids.push((value, named.unique_id)),
            None => {
                return Err(ServiceError::MalformedPolicyDocument {
                    field: Some(field.to_string()),
                    message: format!("Invalid principal in policy: \"AWS\":\"{value}\""),
                })
            }
        }
    }
    Ok(replace_aws_principals(document, &ids))
}

/// The stored document as people read it: each unique ID replaced by the current ARN of its
/// user or role, where it still exists.
pub async fn shown(db: &mut AnyConnection, document: &str) -> Result<String, ServiceError> {
    let mut arns = Vec::new();
    for value in aws_principals(document) {
        if !is_principal_unique_id(&value) {
            continue;
        }
        if let Some(named) = principals::find(db, &value).await? {
            arns.push((value, named.arn));
        }
    }
    Ok(replace_aws_principals(document, &arns))
}

/// `shown`, reading through a connection of its own (outside any write transaction).
pub async fn shown_now(iam: &Iam, document: &str) -> Result<String, ServiceError> {
    let mut db = iam
        .store()
        .reader()
        .acquire()
        .await
        .map_err(StoreError::from)?;
    shown(&mut db, document).await
}

/// An IAM user or role ARN (not the account's root, not an STS session) or such a unique ID.
fn names_user_or_role(value: &str) -> bool {
    is_principal_unique_id(value)
        || split_arn(value).is_some_and(|[_, _, service, _, _, resource]| {
            service == "iam" && (resource.starts_with("user/") || resource.starts_with("role/"))
        })
}
