//! STS: GetCallerIdentity. (AssumeRole and GetSessionToken come with the STS service layer.)

use super::{result, Cx, Reply};
use crate::domain::PrincipalKind;

/// Who signed the request. Always allowed, as in AWS: it needs no permission.
pub async fn get_caller_identity(cx: &Cx<'_>) -> Reply {
    let principal = &cx.caller.principal;
    // AWS's UserId is the account ID for the root user and the unique ID for an IAM user.
    let user_id = match &principal.kind {
        PrincipalKind::Root => principal.account_id.to_string(),
        PrincipalKind::User { user_id, .. } => user_id.clone(),
    };
    result(|x| {
        x.text("UserId", &user_id)
            .text("Account", principal.account_id.as_str())
            .text("Arn", &principal.arn());
    })
}
