//! Which policy actions the signed-in principal may take, answered with the pages' data so the
//! pages disable what it may not do and say why (AWS's sentence on hover). Server only.

use super::denials::PolicyDenials;
use crate::catalog::Op;
use crate::server::service::{authorization::permissions, Caller, Iam};

/// Why the principal may not create a policy, if it may not.
pub async fn create_policy_denied(iam: &Iam, caller: &Caller) -> Option<String> {
    let resource = crate::domain::arn::policy_arn(caller.account_id(), "/", "*");
    denials(iam, caller, &[Op::CreatePolicy], &resource)
        .await
        .pop()
        .flatten()
}

pub async fn policy_denials(iam: &Iam, caller: &Caller, arn: &str) -> PolicyDenials {
    let actions = [
        Op::CreatePolicyVersion,
        Op::SetDefaultPolicyVersion,
        Op::DeletePolicyVersion,
        Op::DeletePolicy,
    ];
    let mut answers = denials(iam, caller, &actions, arn).await.into_iter();
    let mut next = || answers.next().flatten();
    PolicyDenials {
        create_version: next(),
        set_default_version: next(),
        delete_version: next(),
        delete: next(),
    }
}

/// One answer per action. When the check itself fails, nothing is disabled: the action will
/// say what is wrong when it is tried.
async fn denials(
    iam: &Iam,
    caller: &Caller,
    actions: &[Op],
    resource: &str,
) -> Vec<Option<String>> {
    let checks: Vec<(Op, String)> = actions
        .iter()
        .map(|op| (*op, resource.to_string()))
        .collect();
    permissions::check_actions(iam, caller, &checks)
        .await
        .unwrap_or_default()
}
