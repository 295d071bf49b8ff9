//! Server functions for account settings; each authorizes through the service layer.

#[cfg(feature = "ssr")]
use crate::catalog::Op;
use crate::console_protocol::{FormArguments, JsonArguments};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::domain::password_policy::PasswordPolicy;
use crate::features::entities::denials::Gated;

/// The account and its alias (`ListAccountAliases`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountIdentity {
    pub account_id: String,
    pub alias: Option<String>,
}

impl AccountIdentity {
    /// The IAM users' sign-in path: the alias when there is one, else the account ID.
    pub fn sign_in_path(&self) -> String {
        format!(
            "/signin/{}",
            self.alias.as_deref().unwrap_or(&self.account_id)
        )
    }
}

#[server(endpoint = "account/account_identity", protocol = FormArguments)]
pub async fn get_account_identity() -> Result<Gated<AccountIdentity>, ApiError> {
    use crate::features::entities::denials;
    use crate::server::{console, service::account::alias};
    let (iam, caller) = console::signed_in().await?;
    let aliases = alias::list_account_aliases(&iam, &caller)
        .await
        .map_err(console::fail)?;
    let checks = [Op::CreateAccountAlias, Op::DeleteAccountAlias]
        .into_iter()
        .map(|op| (op, "*".to_string()))
        .collect();
    let denials = denials::ask(&iam, &caller, checks).await?;
    Ok(Gated {
        value: AccountIdentity {
            account_id: caller.account_id().to_string(),
            alias: aliases.into_iter().next(),
        },
        denials,
    })
}

/// Sets the alias (replacing the current one).
#[server(endpoint = "account/set_account_alias", protocol = FormArguments)]
pub async fn set_account_alias(account_alias: String) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::account::alias::create_account_alias(&iam, &caller, &account_alias)
        .await
        .map_err(console::fail)
}

#[server(endpoint = "account/delete_account_alias", protocol = FormArguments)]
pub async fn delete_account_alias(account_alias: String) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::account::alias::delete_account_alias(&iam, &caller, &account_alias)
        .await
        .map_err(console::fail)
}

/// The account's password policy (`None`: AWS's default rules apply).
#[server(endpoint = "account/password_policy", protocol = FormArguments)]
pub async fn get_password_policy() -> Result<Gated<Option<PasswordPolicy>>, ApiError> {
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::{credentials::passwords, ServiceError};
    let (iam, caller) = console::signed_in().await?;
    let policy = match passwords::get_account_password_policy(&iam, &caller).await {
        Ok(policy) => Some(policy),
        Err(ServiceError::NoSuchEntity(_)) => None,
        Err(other) => return Err(console::fail(other)),
    };
    let checks = [
        Op::UpdateAccountPasswordPolicy,
        Op::DeleteAccountPasswordPolicy,
    ]
    .into_iter()
    .map(|op| (op, "*".to_string()))
    .collect();
    let denials = denials::ask(&iam, &caller, checks).await?;
    Ok(Gated {
        value: policy,
        denials,
    })
}

#[server(endpoint = "account/save_password_policy", protocol = JsonArguments)]
pub async fn save_password_policy(policy: PasswordPolicy) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::passwords::update_account_password_policy(&iam, &caller, policy)
        .await
        .map_err(console::fail)
}

/// Deletes the policy: AWS's default rules apply again.
#[server(endpoint = "account/delete_password_policy", protocol = FormArguments)]
pub async fn delete_password_policy() -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::passwords::delete_account_password_policy(&iam, &caller)
        .await
        .map_err(console::fail)
}

#[cfg(test)]
mod tests {
    use super::AccountIdentity;

    #[test]
    fn the_sign_in_path_prefers_the_alias() {
        let mut identity = AccountIdentity {
            account_id: "123456789012".into(),
            alias: None,
        };
        assert_eq!(identity.sign_in_path(), "/signin/123456789012");
        identity.alias = Some("acme".into());
        assert_eq!(identity.sign_in_path(), "/signin/acme");
    }
}
