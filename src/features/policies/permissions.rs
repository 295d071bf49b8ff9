//! Which policy actions the signed-in principal may take, so the pages disable what it may not
//! do and say why (AWS's sentence on hover). A hint only: every server function authorizes.

use serde::{Deserialize, Serialize};

use crate::features::auth::api::current_principal;
use crate::features::console::api::{check_permissions, ActionCheck};

/// AWS's AccessDenied sentence for each action on a policy, `None` where allowed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDenials {
    pub create_version: Option<String>,
    pub set_default_version: Option<String>,
    pub delete_version: Option<String>,
    pub delete: Option<String>,
}

/// Why the principal may not create a policy, if it may not.
pub async fn create_policy_denied() -> Option<String> {
    let me = current_principal().await.ok().flatten()?;
    let resource = format!("arn:aws:iam::{}:policy/*", me.principal.account_id.as_str());
    let mut answers = denials(&[("iam:CreatePolicy", resource)]).await;
    answers.pop().flatten()
}

pub async fn policy_denials(arn: String) -> PolicyDenials {
    let actions = [
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:DeletePolicy",
    ];
    let checks: Vec<(&str, String)> = actions.iter().map(|a| (*a, arn.clone())).collect();
    let mut answers = denials(&checks).await.into_iter();
    let mut next = || answers.next().flatten();
    PolicyDenials {
        create_version: next(),
        set_default_version: next(),
        delete_version: next(),
        delete: next(),
    }
}

/// One answer per check. When the check itself fails, nothing is disabled: the action will
/// say what is wrong when it is tried.
async fn denials(checks: &[(&str, String)]) -> Vec<Option<String>> {
    let checks = checks
        .iter()
        .map(|(action, resource)| ActionCheck {
            action: action.to_string(),
            resource: resource.clone(),
        })
        .collect();
    check_permissions(checks).await.unwrap_or_default()
}
