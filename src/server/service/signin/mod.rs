//! Console sign-in: the root user by email and password, an IAM user by account (ID or alias),
//! user name and password; then the MFA code when a device is enabled, then a new password when
//! the old one must be reset or has expired. Every credential failure reads the same and costs
//! the same argon2 work. Guessing is throttled before that work (see `throttle`).
//!
//! The folder holds the guessing defences (`throttle`), the browser's `device_id` and the IAM
//! users' `console_sessions`.

pub mod console_sessions;
pub mod device_id;
pub mod throttle;

use serde::{Deserialize, Serialize};
use sqlx::{Any, Executor};

use crate::domain::password_policy::PasswordPolicy;
use crate::domain::totp::TotpError;
use crate::domain::{AccountId, Email, Principal, PrincipalKind};
use crate::server::digest::sha256_hex;
use crate::server::store::{accounts, login_profiles, mfa, password_policies, users, ROOT_OWNER};

use crate::server::service::audit::signin_events::{self as audit, SignInSubject};
use crate::server::service::credentials::mfa_check::{verify_code, CodeCheck, Codes};
use crate::server::service::{Iam, RequestInfo, ServiceError};

/// How long a correct password stays good for the following steps.
pub const PENDING_STEP_TIMEOUT_MILLIS: i64 = 5 * 60 * 1000;
const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// What a correct password leads to.
#[derive(Debug)]
pub enum SignInOutcome {
    /// Done; `with_mfa` says an MFA code was part of it.
    SignedIn {
        principal: Principal,
        with_mfa: bool,
    },
    /// More steps first: the MFA code and/or a new password.
    Pending(PendingSignIn),
}

/// A sign-in whose password was correct and that still needs steps; kept in the session,
/// never sent to the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub principal: Principal,
    pub password_verified_at: i64,
    pub needs_mfa: bool,
    pub needs_new_password: bool,
    /// Why a new password is needed: an administrator asked for it, or it expired.
    pub password_expired: bool,
    /// The MFA step was passed.
    pub mfa_verified: bool,
    /// Which password the password step accepted (a digest of its stored hash): the later steps
    /// fail once it was changed or removed meanwhile.
    #[serde(default)]
    pub password_digest: String,
}

impl PendingSignIn {
    /// The next step, or `None` when signed in.
    pub fn next(self) -> SignInOutcome {
        if self.needs_mfa || self.needs_new_password {
            SignInOutcome::Pending(self)
        } else {
            SignInOutcome::SignedIn {
                principal: self.principal,
                with_mfa: self.mfa_verified,
            }
        }
    }
}

/// The root user's principal in the sign-in defences: its email's lookup key (`Email::normalized`).
fn root_throttle_key(email_key: &str) -> String {
    format!("root:{email_key}")
}

/// An IAM user's principal in the password defences: the account ID and the lower-cased user
/// name. ChangePassword uses it too, so its guesses count with the sign-in's.
pub(in crate::server::service) fn user_throttle_key(account_id: &str, user_name: &str) -> String {
    format!("user:{account_id}:{}", user_name.to_lowercase())
}

/// The creator of a new account typed its root password in this browser: the browser (its
/// device cookie) and the address are trusted for the root user from the start, as after a
/// correct sign-in.
pub async fn account_created(
    iam: &Iam,
    request: &RequestInfo,
    root_email: &Email,
) -> Result<(), ServiceError> {
    throttle::remember_password_sources(
        iam,
        &root_throttle_key(&root_email.normalized()),
        request.source_ip.as_deref(),
        request.device.as_ref(),
    )
    .await
}

pub async fn sign_in_root(
    iam: &Iam,
    request: &RequestInfo,
    email: &str,
    password: &str,
) -> Result<SignInOutcome, ServiceError> {
    let source_ip = request.source_ip.as_deref();
    let email_key = email.trim().to_lowercase();
    let account = accounts::find_by_email_key(iam.store().reader(), &email_key).await?;
    let Some(attempt) = throttle::begin_password_attempt(
        iam,
        &root_throttle_key(&email_key),
        source_ip,
        request.device.as_ref(),
    )
    .await?
    else {
        return Err(throttled(iam, request, SignInSubject::root(account.as_ref())).await);
    };
    // SECURITY: verify even for an unknown email (against a dummy hash) so timing reveals nothing.
    let password_ok = iam
        .hasher()
        .verify(
            password,
            account.as_ref().map(|a| a.root_password_hash.as_str()),
        )
        .await;
    let account = match account {
        Some(account) if password_ok => account,
        account => {
            tracing::info!(outcome = "failure", "root sign-in");
            let reason = if account.is_some() {
                "wrong password"
            } else {
                "unknown email"
            };
            let subject = SignInSubject::root(account.as_ref());
            audit::sign_in_failed(iam, request, subject, "SignInFailed", reason).await;
            attempt.failed(iam).await?;
            return Err(ServiceError::SignInFailed);
        }
    };
    attempt.succeeded(iam).await?;
    let account_id = AccountId::parse("account_id", &account.account_id)
        .map_err(|e| ServiceError::internal_from("stored account id", e))?;
    let needs_mfa = has_enabled_device(iam, &account.account_id, ROOT_OWNER).await?;
    tracing::info!(account_id = %account.account_id, needs_mfa, "root sign-in: password accepted");
    Ok(PendingSignIn {
        principal: Principal::root(account_id),
        password_verified_at: iam.clock().now_millis(),
        needs_mfa,
        needs_new_password: false,
        password_expired: false,
        mfa_verified: false,
        password_digest: password_digest(&account.root_password_hash),
    }
    .next())
}

/// An IAM user's sign-in at `/signin/{account}`: `account` is the account ID or its alias.
pub async fn sign_in_user(
    iam: &Iam,
    request: &RequestInfo,
    account: &str,
    user_name: &str,
    password: &str,
) -> Result<SignInOutcome, ServiceError> {
    let source_ip = request.source_ip.as_deref();
    let db = iam.store().reader();
    let account = account.trim().to_ascii_lowercase();
    let account_row = accounts::find_by_reference(db, &account).await?;
    // An alias and the account ID it names are one principal key; unknown ones count alike.
    let account_key = account_row
        .as_ref()
        .map_or(account.as_str(), |row| row.account_id.as_str());
    let principal_key = user_throttle_key(account_key, user_name.trim());
    let user = match &account_row {
        Some(row) => {
            users::TABLE
                .find_by_name(db, &row.account_id, user_name.trim())
                .await?
        }
        None => None,
    };
    let Some(attempt) =
        throttle::begin_password_attempt(iam, &principal_key, source_ip, request.device.as_ref())
            .await?
    else {
        let subject = SignInSubject::user(account_row.as_ref(), user.as_ref());
        return Err(throttled(iam, request, subject).await);
    };
    let profile = match &user {
        Some(user) => login_profiles::find(db, &user.user_id).await?,
        None => None,
    };
    // SECURITY: the same argon2 work whether the account, the user or the password is missing.
    let password_ok = iam
        .hasher()
        .verify(password, profile.as_ref().map(|p| p.password_hash.as_str()))
        .await;
    if let Some((subject, reason)) = audit::user_sign_in_failure(
        account_row.as_ref(),
        user.as_ref(),
        profile.is_some(),
        password_ok,
    ) {
        audit::sign_in_failed(iam, request, subject, "SignInFailed", reason).await;
    }
    let (Some(account_row), Some(user), Some(profile)) = (account_row, user, profile) else {
        tracing::info!(outcome = "failure", "IAM user sign-in");
        attempt.failed(iam).await?;
        return Err(ServiceError::SignInFailed);
    };
    if !password_ok {
        tracing::info!(account_id = %account_row.account_id, outcome = "failure", "IAM user sign-in");
        attempt.failed(iam).await?;
        return Err(ServiceError::SignInFailed);
    }
    attempt.succeeded(iam).await?;
    let now = iam.clock().now_millis();
    let policy = password_policies::find(db, &account_row.account_id).await?;
    let expired = password_expired(policy.as_ref(), profile.password_set_at, now);
    if expired && policy.as_ref().is_some_and(|p| p.hard_expiry) {
        tracing::info!(account_id = %account_row.account_id, outcome = "hard_expired", "IAM user sign-in");
        let subject = SignInSubject::User {
            account_id: &account_row.account_id,
            user: &user,
        };
        audit::sign_in_failed(iam, request, subject, "PasswordExpired", "password expired").await;
        return Err(ServiceError::PasswordExpired);
    }
    login_profiles::record_use(iam.store().writer(), &user.user_id, now).await?;
    let account_id = AccountId::parse("account_id", &account_row.account_id)
        .map_err(|e| ServiceError::internal_from("stored account id", e))?;
    let needs_mfa = has_enabled_device(iam, &account_row.account_id, &user.user_id).await?;
    tracing::info!(account_id = %account_row.account_id, needs_mfa, "IAM user sign-in: password accepted");
    Ok(PendingSignIn {
        principal: Principal::user(account_id, &user.user_id, &user.name, &user.path),
        password_verified_at: now,
        needs_mfa,
        needs_new_password: profile.password_reset_required != 0 || expired,
        password_expired: expired,
        mfa_verified: false,
        password_digest: password_digest(&profile.password_hash),
    }
    .next())
}

/// A password attempt the guessing throttle refused: recorded (its reason kept internal) and
/// answered like a wrong password, without any argon2 work.
async fn throttled(iam: &Iam, request: &RequestInfo, subject: SignInSubject<'_>) -> ServiceError {
    audit::sign_in_failed(iam, request, subject, "SignInFailed", "throttled").await;
    ServiceError::SignInFailed
}

/// True when the policy has a maximum age and the password is older than it.
pub fn password_expired(policy: Option<&PasswordPolicy>, set_at: i64, now: i64) -> bool {
    policy
        .and_then(|p| p.max_password_age)
        .is_some_and(|days| now - set_at > i64::from(days) * DAY_MILLIS)
}

async fn has_enabled_device(
    iam: &Iam,
    account_id: &str,
    owner: &str,
) -> Result<bool, ServiceError> {
    let device = mfa::find_for_owner(iam.store().reader(), account_id, owner).await?;
    Ok(device.is_some_and(|d| d.enabled_at.is_some()))
}

/// The owner key of a principal's MFA device; role sessions have none.
pub fn device_owner(principal: &Principal) -> Option<&str> {
    match &principal.kind {
        PrincipalKind::Root => Some(ROOT_OWNER),
        PrincipalKind::User { user_id, .. } => Some(user_id),
        PrincipalKind::AssumedRole { .. }
        | PrincipalKind::FederatedUser { .. }
        | PrincipalKind::WebIdentity { .. } => None,
    }
}

/// The MFA step: a valid, unused code from the principal's enabled device.
pub async fn complete_mfa(
    iam: &Iam,
    request: &RequestInfo,
    pending: &PendingSignIn,
    code: &str,
) -> Result<SignInOutcome, ServiceError> {
    let result = verify_mfa_step(iam, request, pending, code).await;
    if let Err(error) = &result {
        let subject = SignInSubject::Principal(&pending.principal);
        let reason = format!("MFA step refused: {}", error.public_message());
        audit::sign_in_failed(iam, request, subject, error.code(), &reason).await;
    }
    result
}

async fn verify_mfa_step(
    iam: &Iam,
    request: &RequestInfo,
    pending: &PendingSignIn,
    code: &str,
) -> Result<SignInOutcome, ServiceError> {
    check_pending(iam.store().reader(), iam, pending).await?;
    if !pending.needs_mfa {
        return Err(ServiceError::SignInFailed);
    }
    let account_id = pending.principal.account_id.as_str();
    let owner = device_owner(&pending.principal).ok_or(ServiceError::SignInFailed)?;
    let device = mfa::find_for_owner(iam.store().reader(), account_id, owner)
        .await?
        .filter(|d| d.enabled_at.is_some())
        .ok_or(ServiceError::SignInFailed)?;
    // SECURITY: after 5 wrong codes even the right one is refused for a while, in the same
    // words; the step is used and the counters cleared together.
    let check = CodeCheck {
        owner,
        source: request.source_ip.as_deref(),
        device: &device,
    };
    let accepted = verify_code(iam, check, Codes::One(code))
        .await?
        .map_err(|refusal| sign_in_code_error(refusal.into()))?;
    accepted
        .tx
        .commit()
        .await
        .map_err(crate::server::store::StoreError::from)?;
    tracing::info!(account_id = %account_id, "sign-in: MFA code accepted");
    let mut next = pending.clone();
    next.needs_mfa = false;
    next.mfa_verified = true;
    Ok(next.next())
}

/// Which stored password hash a pending sign-in was accepted with.
fn password_digest(stored_hash: &str) -> String {
    sha256_hex(stored_hash.as_bytes())
}

/// Refuses a pending sign-in whose password step is too old, or whose password was changed or
/// removed since (SECURITY: an administrator's reset or deleted login profile, or a root
/// password change, also stops a sign-in halfway through its steps).
pub async fn check_pending<'c>(
    db: impl Executor<'c, Database = Any>,
    iam: &Iam,
    pending: &PendingSignIn,
) -> Result<(), ServiceError> {
    if iam.clock().now_millis() - pending.password_verified_at > PENDING_STEP_TIMEOUT_MILLIS {
        return Err(ServiceError::SignInFailed);
    }
    let account_id = pending.principal.account_id.as_str();
    let stored = match &pending.principal.kind {
        PrincipalKind::Root => accounts::find_by_id(db, account_id)
            .await?
            .map(|account| account.root_password_hash),
        PrincipalKind::User { user_id, .. } => login_profiles::find(db, user_id)
            .await?
            .map(|profile| profile.password_hash),
        PrincipalKind::AssumedRole { .. }
        | PrincipalKind::FederatedUser { .. }
        | PrincipalKind::WebIdentity { .. } => None,
    };
    match stored {
        Some(hash) if password_digest(&hash) == pending.password_digest => Ok(()),
        _ => Err(ServiceError::SignInFailed),
    }
}

fn sign_in_code_error(error: TotpError) -> ServiceError {
    tracing::info!(outcome = "failure", "sign-in: MFA code refused");
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
