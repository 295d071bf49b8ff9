//! The account alias: the friendly name in the IAM users' sign-in URL (`/signin/{alias}`).
//! One per account, unique across all accounts, with AWS's rules.

use crate::catalog::Op;
use crate::domain::AccountAlias;
use crate::server::store::accounts;

use crate::server::service::{Caller, Iam, Operation, ServiceError};

pub async fn create_account_alias(
    iam: &Iam,
    caller: &Caller,
    alias: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::CreateAccountAlias, |op| {
        Box::pin(async move {
            let alias = AccountAlias::parse("AccountAlias", alias.trim())?;
            let authorized = op.authorize("*").await?;
            let mut tx = op.begin().await?;
            let taken = || {
                ServiceError::already_exists(
                    "AccountAlias",
                    format!("The account alias {alias} already exists."),
                )
            };
            if let Some(owner) = accounts::find_by_alias(&mut *tx, alias.as_str()).await? {
                // Setting the alias an account already has changes nothing, as in AWS.
                if owner.account_id == caller.account_id().as_str() {
                    return op.commit(tx, &authorized).await;
                }
                return Err(taken());
            }
            // AWS keeps one alias per account: a new one replaces the old.
            accounts::set_alias(&mut *tx, caller.account_id().as_str(), Some(alias.as_str()))
                .await
                .map_err(|error| {
                    if error.is_unique_violation() {
                        taken()
                    } else {
                        error.into()
                    }
                })?;
            op.commit(tx, &authorized).await
        })
    })
    .await
}

pub async fn delete_account_alias(
    iam: &Iam,
    caller: &Caller,
    alias: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeleteAccountAlias, |op| {
        Box::pin(async move {
            let alias = AccountAlias::parse("AccountAlias", alias.trim())?;
            let authorized = op.authorize("*").await?;
            let mut tx = op.begin().await?;
            let account = accounts::find_by_id(&mut *tx, caller.account_id().as_str())
                .await?
                .ok_or(ServiceError::NotSignedIn)?;
            if account.alias.as_deref() != Some(alias.as_str()) {
                return Err(ServiceError::NoSuchEntity(format!(
                    "The account alias {alias} cannot be found."
                )));
            }
            accounts::set_alias(&mut *tx, caller.account_id().as_str(), None).await?;
            op.commit(tx, &authorized).await
        })
    })
    .await
}

/// `ListAccountAliases`: zero or one alias.
pub async fn list_account_aliases(iam: &Iam, caller: &Caller) -> Result<Vec<String>, ServiceError> {
    Operation::run(iam, caller, Op::ListAccountAliases, |op| {
        Box::pin(async move {
            op.authorize("*").await?;
            let account = accounts::find_by_id(iam.store().reader(), caller.account_id().as_str())
                .await?
                .ok_or(ServiceError::NotSignedIn)?;
            Ok(account.alias.into_iter().collect())
        })
    })
    .await
}
