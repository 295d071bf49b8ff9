//! IAM users and roles named in a trust policy's `Principal`, kept as IAM keeps them: by unique
//! ID. A document is stored with each user or role ARN replaced by the entity's ID (an unknown
//! principal is refused), and shown with each ID replaced by the entity's ARN as it is now — or
//! left as the ID once the entity is deleted. So deleting a principal ends its trust, and a new
//! user or role of the same name is not trusted in its place.

use sqlx::AnyConnection;

use crate::policy::is_principal_unique_id;
use crate::policy::principal_refs::replace_aws_principals;
use crate::server::store::{principals, StoreError};

use crate::server::service::{Iam, ServiceError};

/// The document to store: each user or role ARN (and each unique ID) in `Principal` checked to
/// name an existing user or role, and written as its unique ID. `field` names the parameter in
/// the error for an unknown principal (AWS's `Invalid principal in policy`).
pub async fn to_stored(
    db: &mut AnyConnection,
    document: &str,
    field: &str,
) -> Result<String, ServiceError> {
    let mut ids = Vec::new();
    for (value, found) in principals::named_in(db, document).await? {
        let Some(named) = found else {
            return Err(ServiceError::MalformedPolicyDocument {
                field: Some(field.to_string()),
                message: format!("Invalid principal in policy: \"AWS\":\"{value}\""),
            });
        };
        ids.push((value, named.unique_id));
    }
    Ok(replace_aws_principals(document, &ids))
}

/// The stored document as people read it: each unique ID replaced by the current ARN of its
/// user or role, where it still exists.
pub async fn shown(db: &mut AnyConnection, document: &str) -> Result<String, ServiceError> {
    let arns: Vec<(String, String)> = principals::named_in(db, document)
        .await?
        .into_iter()
        .filter(|(value, _)| is_principal_unique_id(value))
        .filter_map(|(value, found)| found.map(|named| (value, named.arn)))
        .collect();
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
