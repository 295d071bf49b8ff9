//! Root sign-in: email and password, then the MFA code when a device is enabled. Every failure
//! reads the same and costs the same argon2 work.

use serde::{Deserialize, Serialize};

use crate::domain::totp::{self, TotpError};
use crate::domain::{AccountId, Principal};
use crate::server::store::{accounts, mfa};

use super::{Iam, ServiceError};

/// How long a correct password stays good for typing the MFA code.
pub const MFA_STEP_TIMEOUT_MILLIS: i64 = 5 * 60 * 1000;

/// What a correct password leads to.
#[derive(Debug)]
pub enum SignInOutcome {
    SignedIn(Principal),
    MfaRequired(PendingMfa),
}

/// A correct password awaiting its MFA code; kept in the session, never sent to the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingMfa {
    pub principal: Principal,
    pub password_verified_at: i64,
}

pub async fn sign_in_root(
    iam: &Iam,
    email: &str,
    password: &str,
) -> Result<SignInOutcome, ServiceError> {
    let email_key = email.trim().to_lowercase();
    let account = accounts::find_by_email_key(iam.store().reader(), &email_key).await?;
    // SECURITY: verify even for an unknown email (against a dummy hash) so timing reveals nothing.
    let password_ok = iam
        .hasher()
        .verify(
            password,
            account.as_ref().map(|a| a.root_password_hash.as_str()),
        )
        .await;
    let Some(account) = account.filter(|_| password_ok) else {
        tracing::info!(outcome = "failure", "root sign-in");
        return Err(ServiceError::SignInFailed);
    };
    let account_id = AccountId::parse("account_id", &account.account_id)
        .map_err(|e| ServiceError::Internal(format!("stored account id: {e}")))?;
    let principal = Principal::root(account_id);
    let device =
        mfa::find_for_owner(iam.store().reader(), &account.account_id, mfa::ROOT_OWNER).await?;
    if device.is_some_and(|d| d.enabled_at.is_some()) {
        tracing::info!(account_id = %account.account_id, outcome = "mfa_required", "root sign-in");
        return Ok(SignInOutcome::MfaRequired(PendingMfa {
            principal,
            password_verified_at: iam.clock().now_millis(),
        }));
    }
    tracing::info!(account_id = %account.account_id, outcome = "success", "root sign-in");
    Ok(SignInOutcome::SignedIn(principal))
}

/// The second step: a valid, unused code from the enabled device.
pub async fn complete_mfa(
    iam: &Iam,
    pending: &PendingMfa,
    code: &str,
) -> Result<Principal, ServiceError> {
    let now = iam.clock().now_millis();
    if now - pending.password_verified_at > MFA_STEP_TIMEOUT_MILLIS {
        return Err(ServiceError::SignInFailed);
    }
    let account_id = pending.principal.account_id.as_str();
    let device = mfa::find_for_owner(iam.store().reader(), account_id, mfa::ROOT_OWNER)
        .await?
        .filter(|d| d.enabled_at.is_some())
        .ok_or(ServiceError::SignInFailed)?;
    let seed = iam.sealer().open(
        &device.sealed_seed,
        &seed_context(account_id, &device.serial_number),
    )?;
    let step = totp::verify_code(
        &seed,
        code,
        iam.clock().now_seconds(),
        device.last_used_step.max(0) as u64,
    )
    .map_err(sign_in_code_error)?;
    // INVARIANT: the compare-and-set refuses a step another request accepted meanwhile.
    if !mfa::advance_last_used_step(
        iam.store().writer(),
        account_id,
        &device.serial_number,
        step as i64,
    )
    .await?
    {
        return Err(sign_in_code_error(TotpError::Reused));
    }
    tracing::info!(account_id = %account_id, outcome = "success", "root MFA sign-in");
    Ok(pending.principal.clone())
}

fn sign_in_code_error(error: TotpError) -> ServiceError {
    tracing::info!(outcome = "failure", "root MFA sign-in");
    match error {
        TotpError::Malformed => ServiceError::bad_code(
            "code",
            "Enter the 6-digit code from your authenticator app.",
        ),
        TotpError::Invalid | TotpError::Reused => ServiceError::bad_code(
            "code",
            "The MFA code is not valid or was already used. Wait for the next code and try again.",
        ),
    }
}

/// The authenticated context under which a device's seed is sealed.
pub fn seed_context(account_id: &str, serial_number: &str) -> String {
    format!("mfa-seed:{account_id}:{serial_number}")
}
