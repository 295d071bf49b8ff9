//! Console single sign-on's setup on an OpenID Connect provider (Ferriam's own, beyond AWS):
//! the client Ferriam is at the provider (one of the provider's audiences), its secret — sealed
//! under the master key, never shown again — the sign-in button's words and the claim that
//! names the person's role session. Set up as creating a provider is authorized, removed as
//! deleting one; the sign-in page lists what each account set up.

use crate::catalog::Op;
use crate::domain::oidc_provider::check_client_id;
use crate::domain::Invalid;
use crate::server::store::accounts;
use crate::server::store::console_signins::{self, ConsoleSigninRow};

use crate::server::service::{Caller, Iam, Operation, ServiceError};

use super::oidc_providers as registry;

/// The longest button label and client secret accepted.
pub const MAX_LABEL_LENGTH: usize = 64;
pub const MAX_SECRET_LENGTH: usize = 1_024;
pub const MAX_CLAIM_LENGTH: usize = 64;

#[derive(Clone, Debug, Default)]
pub struct SetConsoleSignin {
    pub label: String,
    pub client_id: String,
    /// `None` keeps the secret already stored (changing the label alone).
    pub client_secret: Option<String>,
    pub name_claim: String,
}

/// One "Sign in with …" choice of an account's sign-in page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigninChoice {
    pub label: String,
    /// The provider's URL without its scheme.
    pub provider: String,
}

/// What the client secret is sealed under: the row it belongs to.
pub fn secret_context(account_id: &str, host_path: &str) -> String {
    format!("oidc-console-signin:{account_id}:{host_path}")
}

fn check_text(field: &str, value: &str, max: usize) -> Result<(), Invalid> {
    let length = value.chars().count();
    if length == 0 || length > max || value.chars().any(char::is_control) {
        return Err(Invalid::new(
            field,
            format!("{field} must be 1 to {max} characters, none of them control characters."),
        ));
    }
    Ok(())
}

/// A claim name: letters, digits and `_ . : / -` (URL-named claims included).
fn check_claim(claim: &str) -> Result<(), Invalid> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_.:/-".contains(c);
    if claim.is_empty() || claim.len() > MAX_CLAIM_LENGTH || !claim.chars().all(allowed) {
        return Err(Invalid::new(
            "NameClaim",
            format!("NameClaim must be a claim name of 1 to {MAX_CLAIM_LENGTH} letters, digits and _ . : / -, such as email or preferred_username."),
        ));
    }
    Ok(())
}

fn check_input(input: &SetConsoleSignin) -> Result<(), ServiceError> {
    let mut problems = Vec::new();
    problems.extend(check_text("Label", &input.label, MAX_LABEL_LENGTH).err());
    problems.extend(check_client_id("clientId", "ClientId", &input.client_id).err());
    if let Some(secret) = &input.client_secret {
        problems.extend(check_text("ClientSecret", secret, MAX_SECRET_LENGTH).err());
    }
    problems.extend(check_claim(&input.name_claim).err());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Invalid::combine(problems).into())
    }
}

/// Sets up (or changes) console sign-in through the provider `arn`.
pub async fn set(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    input: SetConsoleSignin,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::SetOpenIDConnectProviderConsoleSignIn, |op| {
        Box::pin(async move {
            op.target(arn);
            check_input(&input)?;
            let authorized = op.authorize(arn).await?;
            let mut tx = op.begin().await?;
            let provider = registry::find(&mut *tx, caller, arn).await?;
            let (account, host_path) = (provider.account_id.as_str(), provider.host_path.as_str());
            if !provider.client_id_list()?.contains(&input.client_id) {
                return Err(Invalid::new(
                    "ClientId",
                    "ClientId must be one of the provider's audiences: add it to the provider first.",
                )
                .into());
            }
            let existing = console_signins::find(&mut *tx, account, host_path).await?;
            let context = secret_context(account, host_path);
            let sealed_secret = match (&input.client_secret, &existing) {
                (Some(secret), _) => iam.sealer().seal(secret.as_bytes(), &context),
                (None, Some(row)) => row.sealed_secret.clone(),
                (None, None) => {
                    return Err(Invalid::new(
                        "ClientSecret",
                        "ClientSecret is required: the provider issued it with the client ID.",
                    )
                    .into())
                }
            };
            console_signins::put(
                &mut *tx,
                &ConsoleSigninRow {
                    account_id: account.to_string(),
                    host_path: host_path.to_string(),
                    label: input.label.clone(),
                    client_id: input.client_id.clone(),
                    sealed_secret,
                    name_claim: input.name_claim.clone(),
                    created_at: existing
                        .as_ref()
                        .map_or_else(|| iam.clock().now_millis(), |row| row.created_at),
                },
            )
            .await?;
            op.commit(tx, &authorized).await
        })
    })
    .await
}

/// Takes console sign-in through the provider `arn` down (the provider itself stays).
pub async fn remove(iam: &Iam, caller: &Caller, arn: &str) -> Result<(), ServiceError> {
    Operation::run(
        iam,
        caller,
        Op::RemoveOpenIDConnectProviderConsoleSignIn,
        |op| {
            Box::pin(async move {
                op.target(arn);
                let authorized = op.authorize(arn).await?;
                let mut tx = op.begin().await?;
                let provider = registry::find(&mut *tx, caller, arn).await?;
                if !console_signins::delete(&mut *tx, &provider.account_id, &provider.host_path)
                    .await?
                {
                    return Err(ServiceError::NoSuchEntity(format!(
                        "No console sign-in is set up for {arn}"
                    )));
                }
                op.commit(tx, &authorized).await
            })
        },
    )
    .await
}

/// The sign-in choices the account `account` (its ID or alias) offers. Public: the account's
/// administrators put them on its sign-in page. An unknown account offers none.
pub async fn choices(iam: &Iam, account: &str) -> Result<Vec<SigninChoice>, ServiceError> {
    let db = iam.store().reader();
    let Some(account) = accounts::find_by_reference(db, account).await? else {
        return Ok(Vec::new());
    };
    Ok(console_signins::list(db, &account.account_id)
        .await?
        .into_iter()
        .map(|row| SigninChoice {
            label: row.label,
            provider: row.host_path,
        })
        .collect())
}
