//! Which of a list of actions the caller may take, for the console to disable the buttons it
//! may not press (with AWS's sentence as the reason). A hint only: every operation still
//! authorizes itself, so this records nothing in the audit log.

use crate::catalog::Op;
use crate::server::service::authorization::{authorize, RequestContext};
use crate::server::service::{Caller, Iam, ServiceError};

/// For each `(operation, resource)`: `None` when allowed, else AWS's AccessDenied sentence.
pub async fn check_actions(
    iam: &Iam,
    caller: &Caller,
    checks: &[(Op, String)],
) -> Result<Vec<Option<String>>, ServiceError> {
    let mut answers = Vec::with_capacity(checks.len());
    for (op, resource) in checks.iter().take(100) {
        answers.push(denial(iam, caller, *op, resource).await?);
    }
    Ok(answers)
}

/// Whether the caller may perform `op` on `resource` — for reads that add optional detail to
/// an answer (a policy document beside its name). Records nothing in the audit log.
pub async fn allowed(
    iam: &Iam,
    caller: &Caller,
    op: Op,
    resource: &str,
) -> Result<bool, ServiceError> {
    Ok(denial(iam, caller, op, resource).await?.is_none())
}

/// `None` when the caller may perform `op` on `resource`, else AWS's AccessDenied sentence.
async fn denial(
    iam: &Iam,
    caller: &Caller,
    op: Op,
    resource: &str,
) -> Result<Option<String>, ServiceError> {
    match authorize(
        iam,
        caller,
        op.action(),
        resource,
        &RequestContext::default(),
    )
    .await
    {
        Ok(()) => Ok(None),
        Err(ServiceError::AccessDenied(message)) => Ok(Some(message)),
        Err(other) => Err(other),
    }
}
