//! A principal as it stands now. Console sessions and temporary credentials keep the principal
//! they began with; an IAM user may since have been renamed, moved to another path or deleted.

use crate::domain::{Principal, PrincipalKind};

use crate::server::service::{Iam, ServiceError};

/// The principal with its IAM user's current name and path, or `None` when the user no longer
/// exists. Root and role sessions are returned as they are (a deleted role's sessions keep no
/// permissions: authorization finds no policies for its role ID).
pub async fn principal_now(
    iam: &Iam,
    principal: Principal,
) -> Result<Option<Principal>, ServiceError> {
    if let PrincipalKind::FederatedUser {
        user_id: Some(user_id),
        ..
    } = &principal.kind
    {
        // A federated user's credentials end with the user who federated.
        let policies = iam
            .policy_sets()
            .for_user(iam, principal.account_id.as_str(), user_id)
            .await?;
        return Ok(policies.current.is_some().then_some(principal));
    }
    let PrincipalKind::User { user_id, .. } = &principal.kind else {
        return Ok(Some(principal));
    };
    let policies = iam
        .policy_sets()
        .for_user(iam, principal.account_id.as_str(), user_id)
        .await?;
    Ok(policies.current.as_ref().map(|current| {
        Principal::user(
            principal.account_id.clone(),
            user_id,
            &current.name,
            &current.path,
        )
    }))
}
