//! Console passwords of IAM users: the account password policy (`iam:*AccountPasswordPolicy`),
//! login profiles (`iam:*LoginProfile`), `iam:ChangePassword`, and the new password a user must
//! choose at sign-in. Every password set here meets the policy (or AWS's default rules) and, when
//! the policy says so, differs from the user's recent ones.

use crate::catalog::Op;
use serde::{Deserialize, Serialize};

use crate::domain::arn::user_arn;
use crate::domain::password::check_confirmation;
use crate::domain::password_policy::{check_password, PasswordPolicy};
use crate::domain::{PrincipalKind, UserName};
use crate::server::store::login_profiles::LoginProfileRow;
use crate::server::store::users::UserRow;
use crate::server::store::{accounts, login_profiles, password_policies, Tx};

use crate::server::service::authorization::{authorize, RequestContext};
use crate::server::service::signin::{
    check_pending, password_expired, user_throttle_key, PendingSignIn, SignInOutcome,
};
use crate::server::service::{
    entities::lookup, signin::console_sessions, signin::throttle, Caller, Iam, Operation,
    ServiceError,
};

/// A login profile as AWS's `LoginProfile` structure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginProfile {
    pub user_name: String,
    pub create_date: i64,
    pub password_reset_required: bool,
}

// ---- The account password policy -------------------------------------------------------------

pub async fn get_account_password_policy(
    iam: &Iam,
    caller: &Caller,
) -> Result<PasswordPolicy, ServiceError> {
    Operation::run(iam, caller, Op::GetAccountPasswordPolicy, |op| {
        Box::pin(async move {
            op.authorize("*").await?;
            let account_id = caller.account_id().as_str();
            password_policies::find(iam.store().reader(), account_id)
                .await?
                .ok_or_else(|| {
                    ServiceError::NoSuchEntity(format!(
                        "The Password Policy with domain name {account_id} cannot be found."
                    ))
                })
        })
    })
    .await
}

/// `UpdateAccountPasswordPolicy`: the whole policy (AWS resets what is not given to defaults).
pub async fn update_account_password_policy(
    iam: &Iam,
    caller: &Caller,
    policy: PasswordPolicy,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::UpdateAccountPasswordPolicy, |op| {
        Box::pin(async move {
            policy.validate()?;
            let authorized = op.authorize("*").await?;
            let mut tx = op.begin().await?;
            password_policies::upsert(&mut *tx, caller.account_id().as_str(), &policy).await?;
            op.commit(tx, &authorized).await
        })
    })
    .await
}

pub async fn delete_account_password_policy(
    iam: &Iam,
    caller: &Caller,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeleteAccountPasswordPolicy, |op| {
        Box::pin(async move {
            let authorized = op.authorize("*").await?;
            let account_id = caller.account_id().as_str();
            let mut tx = op.begin().await?;
            if !password_policies::delete(&mut *tx, account_id).await? {
                return Err(ServiceError::NoSuchEntity(
                    "The account policy with name PasswordPolicy cannot be found.".to_string(),
                ));
            }
            op.commit(tx, &authorized).await
        })
    })
    .await
}

// ---- Login profiles ------------------------------------------------------------------------------

pub async fn create_login_profile(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
    password: &str,
    password_reset_required: bool,
) -> Result<LoginProfile, ServiceError> {
    Operation::run(iam, caller, Op::CreateLoginProfile, |op| {
        Box::pin(async move {
            let name = UserName::parse_existing("UserName", user_name)?;
            let target = lookup::named_user(iam.store().reader(), caller, name.as_str()).await?;
            let user = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            check_against_policy(
                iam,
                caller.account_id().as_str(),
                &user,
                password,
                "Password",
            )
            .await?;
            let hash = iam.hasher().hash(password).await?;
            let now = iam.clock().now_millis();
            let mut tx = op.begin().await?;
            if login_profiles::find(&mut *tx, &user.user_id)
                .await?
                .is_some()
            {
                return Err(ServiceError::EntityAlreadyExists {
                    field: None,
                    message: format!("Login Profile for user {} already exists.", user.name),
                });
            }
            login_profiles::insert(
                &mut *tx,
                &LoginProfileRow {
                    user_id: user.user_id.clone(),
                    password_hash: hash.clone(),
                    password_reset_required: i64::from(password_reset_required),
                    password_set_at: now,
                    created_at: now,
                    password_last_used: None,
                },
            )
            .await?;
            login_profiles::remember(&mut tx, &user.user_id, &hash, now).await?;
            op.commit(tx, &user).await?;
            Ok(LoginProfile {
                user_name: user.into_inner().name,
                create_date: now,
                password_reset_required,
            })
        })
    })
    .await
}

fn no_profile(user_name: &str) -> ServiceError {
    ServiceError::NoSuchEntity(format!(
        "Login Profile for User {user_name} cannot be found."
    ))
}

/// `GetLoginProfile`: AWS's NoSuchEntity when the user has no console password.
pub async fn get_login_profile(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
) -> Result<LoginProfile, ServiceError> {
    Operation::run(iam, caller, Op::GetLoginProfile, |op| {
        Box::pin(async move {
            let (user, profile) = read_login_profile(op, iam, caller, user_name).await?;
            let profile = profile.ok_or_else(|| no_profile(&user.name))?;
            Ok(login_profile(user, profile))
        })
    })
    .await
}

/// A user's console password as the console shows it, read once.
pub struct ConsolePassword {
    /// `None` when the user has none: an answer here, not an error.
    pub profile: Option<LoginProfile>,
    /// The user's ARN, which the console asks permission questions about.
    pub user_arn: String,
}

/// `GetLoginProfile` for the console: no password is an answer rather than an error.
pub async fn find_login_profile(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
) -> Result<ConsolePassword, ServiceError> {
    Operation::run(iam, caller, Op::GetLoginProfile, |op| {
        Box::pin(async move {
            let (user, profile) = read_login_profile(op, iam, caller, user_name).await?;
            Ok(ConsolePassword {
                user_arn: user_arn(caller.account_id(), &user.path, &user.name),
                profile: profile.map(|profile| login_profile(user, profile)),
            })
        })
    })
    .await
}

async fn read_login_profile(
    op: &mut Operation<'_>,
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
) -> Result<(UserRow, Option<LoginProfileRow>), ServiceError> {
    let name = UserName::parse_existing("UserName", user_name)?;
    let db = iam.store().reader();
    let target = lookup::named_user(db, caller, name.as_str()).await?;
    let user = op
        .authorize_named(target, &RequestContext::default())
        .await?
        .into_inner();
    let profile = login_profiles::find(db, &user.user_id).await?;
    Ok((user, profile))
}

fn login_profile(user: UserRow, profile: LoginProfileRow) -> LoginProfile {
    LoginProfile {
        user_name: user.name,
        create_date: profile.created_at,
        password_reset_required: profile.password_reset_required != 0,
    }
}

/// The console's "set password": `password`, or (when `None` or empty) one generated under the
/// account's password policy, which is returned for the administrator to see this once.
/// Creates the login profile when `create`, else replaces its password.
pub async fn set_console_password(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
    password: Option<&str>,
    reset_required: bool,
    create: bool,
) -> Result<Option<String>, ServiceError> {
    let (chosen, generated) = match password.filter(|typed| !typed.is_empty()) {
        Some(typed) => (typed.to_string(), None),
        None => {
            let generated = generate_password(iam, caller).await?;
            (generated.clone(), Some(generated))
        }
    };
    if create {
        create_login_profile(iam, caller, user_name, &chosen, reset_required).await?;
    } else {
        update_login_profile(iam, caller, user_name, Some(&chosen), Some(reset_required)).await?;
    }
    // SECURITY: a generated password is shown only once the change was authorized and made.
    Ok(generated)
}

/// `UpdateLoginProfile`: a new password and/or the reset flag.
pub async fn update_login_profile(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
    password: Option<&str>,
    password_reset_required: Option<bool>,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::UpdateLoginProfile, |op| {
        Box::pin(async move {
            let name = UserName::parse_existing("UserName", user_name)?;
            let target = lookup::named_user(iam.store().reader(), caller, name.as_str()).await?;
            let user = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let hash = match password.filter(|p| !p.is_empty()) {
                Some(password) => {
                    check_against_policy(
                        iam,
                        caller.account_id().as_str(),
                        &user,
                        password,
                        "Password",
                    )
                    .await?;
                    check_not_reused(
                        iam,
                        caller.account_id().as_str(),
                        &user,
                        password,
                        "Password",
                    )
                    .await?;
                    Some(iam.hasher().hash(password).await?)
                }
                None => None,
            };
            let now = iam.clock().now_millis();
            let mut tx = op.begin().await?;
            let profile = login_profiles::find(&mut *tx, &user.user_id)
                .await?
                .ok_or_else(|| no_profile(&user.name))?;
            let reset = password_reset_required.unwrap_or(profile.password_reset_required != 0);
            match hash {
                Some(hash) => {
                    login_profiles::set_password(&mut *tx, &user.user_id, &hash, reset, now)
                        .await?;
                    login_profiles::remember(&mut tx, &user.user_id, &hash, now).await?;
                }
                None => login_profiles::set_reset_required(&mut *tx, &user.user_id, reset).await?,
            }
            if password.is_some_and(|p| !p.is_empty()) {
                let arn = user_arn(caller.account_id(), &user.path, &user.name);
                console_sessions::end_other_sessions(&mut tx, caller, &arn).await?;
            }
            op.commit(tx, &user).await
        })
    })
    .await
}

/// `DeleteLoginProfile`: removes console access.
pub async fn delete_login_profile(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeleteLoginProfile, |op| {
        Box::pin(async move {
            let name = UserName::parse_existing("UserName", user_name)?;
            let mut tx = op.begin().await?;
            let target = lookup::named_user(&mut *tx, caller, name.as_str()).await?;
            let user = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            if !login_profiles::delete(&mut *tx, &user.user_id).await? {
                return Err(no_profile(&user.name));
            }
            let arn = user_arn(caller.account_id(), &user.path, &user.name);
            console_sessions::end_all_sessions(&mut tx, &arn).await?;
            op.commit(tx, &user).await
        })
    })
    .await
}

// ---- A user's own password -----------------------------------------------------------------------

/// Whether the calling IAM user may change its own password: the account policy allows it, or
/// the user's policies grant `iam:ChangePassword` on itself.
pub async fn may_change_own_password(iam: &Iam, caller: &Caller) -> Result<bool, ServiceError> {
    let policy =
        password_policies::find(iam.store().reader(), caller.account_id().as_str()).await?;
    if policy.is_some_and(|p| p.allow_users_to_change_password) {
        return Ok(true);
    }
    match authorize(
        iam,
        caller,
        Op::ChangePassword.action(),
        &caller.principal.arn(),
        &RequestContext::default(),
    )
    .await
    {
        Ok(()) => Ok(true),
        Err(ServiceError::AccessDenied(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The console's "change password": `ChangePassword` with the new password typed twice.
pub async fn change_password_confirmed(
    iam: &Iam,
    caller: &Caller,
    old_password: &str,
    new_password: &str,
    confirmation: &str,
) -> Result<(), ServiceError> {
    check_confirmation(new_password, confirmation)?;
    change_password(iam, caller, old_password, new_password).await
}

/// `ChangePassword`: the signed-in IAM user sets a new password, proving the old one.
pub async fn change_password(
    iam: &Iam,
    caller: &Caller,
    old_password: &str,
    new_password: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::ChangePassword, |op| Box::pin(async move {
        let PrincipalKind::User { user_id, .. } = &caller.principal.kind else {
            return Err(ServiceError::InvalidUserType);
        };
        let account_id = caller.account_id().as_str();
        let db = iam.store().reader();
        let user = crate::server::store::users::TABLE.find_by_id(db, user_id)
            .await?
            .ok_or(ServiceError::NotSignedIn)?;
        let authorized = if may_change_own_password(iam, caller).await? {
            op.resource_checked(&caller.principal.arn())
        } else {
            // The policy engine's sentence for the denial.
            op.authorize(&caller.principal.arn()).await?
        };
        let profile = login_profiles::find(db, user_id)
            .await?
            .ok_or_else(|| no_profile(&user.name))?;
        let incorrect =
            || ServiceError::InvalidInput("The old password is incorrect.".to_string());
        // SECURITY: the old password is guessed like a sign-in's (with a stolen key or
        // session): the same defences, charged to the same counter as the user's sign-in, and
        // a throttled attempt reads as a wrong password, without argon2 work.
        let Some(attempt) = throttle::begin_password_attempt(
            iam,
            &user_throttle_key(account_id, &user.name),
            caller.request.source_ip.as_deref(),
            caller.request.device.as_ref(),
        )
        .await?
        else {
            return Err(incorrect());
        };
        if !iam
            .hasher()
            .verify(old_password, Some(&profile.password_hash))
            .await
        {
            tracing::info!(account_id = %account_id, outcome = "failure", "ChangePassword: old password");
            attempt.failed(iam).await?;
            return Err(incorrect());
        }
        attempt.succeeded(iam).await?;
        check_against_policy(iam, account_id, &user, new_password, "NewPassword").await?;
        check_not_reused(iam, account_id, &user, new_password, "NewPassword").await?;
        let hash = iam.hasher().hash(new_password).await?;
        let mut tx = op.begin().await?;
        store_new_password(&mut tx, user_id, &hash, iam.clock().now_millis()).await?;
        console_sessions::end_other_sessions(&mut tx, caller, &caller.principal.arn()).await?;
        op.commit(tx, &authorized).await
    }))
    .await
}

/// The sign-in step that sets a new password when the old one had to be reset or expired.
pub async fn complete_new_password(
    iam: &Iam,
    pending: &PendingSignIn,
    new_password: &str,
    confirmation: &str,
) -> Result<SignInOutcome, ServiceError> {
    check_pending(iam.store().reader(), iam, pending).await?;
    let PrincipalKind::User { user_id, .. } = &pending.principal.kind else {
        return Err(ServiceError::SignInFailed);
    };
    if !pending.needs_new_password || pending.needs_mfa {
        return Err(ServiceError::SignInFailed);
    }
    check_confirmation(new_password, confirmation)?;
    let account_id = pending.principal.account_id.as_str();
    let user = crate::server::store::users::TABLE
        .find_by_id(iam.store().reader(), user_id)
        .await?
        .ok_or(ServiceError::SignInFailed)?;
    check_against_policy(iam, account_id, &user, new_password, "new_password").await?;
    check_not_reused(iam, account_id, &user, new_password, "new_password").await?;
    let hash = iam.hasher().hash(new_password).await?;
    let mut tx = iam.store().begin().await?;
    // Again in the transaction: a reset that committed while the new password was hashed wins.
    check_pending(&mut *tx, iam, pending).await?;
    store_new_password(&mut tx, user_id, &hash, iam.clock().now_millis()).await?;
    console_sessions::end_all_sessions(&mut tx, &pending.principal.arn()).await?;
    tx.commit()
        .await
        .map_err(crate::server::store::StoreError::from)?;
    tracing::info!(account_id = %account_id, "sign-in: new password set");
    let mut next = pending.clone();
    next.needs_new_password = false;
    next.password_expired = false;
    Ok(next.next())
}

async fn store_new_password(
    tx: &mut Tx,
    user_id: &str,
    hash: &str,
    now: i64,
) -> Result<(), ServiceError> {
    login_profiles::set_password(&mut **tx, user_id, hash, false, now).await?;
    login_profiles::remember(tx, user_id, hash, now).await?;
    Ok(())
}

/// The account's policy, or AWS's default rules when it has none.
async fn check_against_policy(
    iam: &Iam,
    account_id: &str,
    user: &UserRow,
    password: &str,
    field: &str,
) -> Result<(), ServiceError> {
    let db = iam.store().reader();
    let policy = password_policies::find(db, account_id).await?;
    let account = accounts::find_by_id(db, account_id).await?;
    let mut names = vec![account_id.to_string(), user.name.clone()];
    if let Some(account) = account {
        names.push(account.root_email);
        names.extend(account.alias);
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    check_password(policy.as_ref(), password, &names).map_err(|message| {
        ServiceError::PasswordPolicyViolation {
            field: Some(field.to_string()),
            message,
        }
    })
}

/// With `PasswordReusePrevention`, the new password may not match any of the last N.
async fn check_not_reused(
    iam: &Iam,
    account_id: &str,
    user: &UserRow,
    password: &str,
    field: &str,
) -> Result<(), ServiceError> {
    let db = iam.store().reader();
    let Some(remembered) = password_policies::find(db, account_id)
        .await?
        .and_then(|p| p.password_reuse_prevention)
    else {
        return Ok(());
    };
    for hash in login_profiles::history(db, &user.user_id, i64::from(remembered)).await? {
        if iam.hasher().verify(password, Some(&hash)).await {
            return Err(ServiceError::PasswordPolicyViolation {
                field: Some(field.to_string()),
                message: format!("Password should not be one of your last {remembered} passwords"),
            });
        }
    }
    Ok(())
}

/// The account's password policy, if it set one (for the sign-in's new-password step, which
/// shows the rules before the user is signed in).
pub async fn policy_for_account(
    iam: &Iam,
    account_id: &str,
) -> Result<Option<PasswordPolicy>, ServiceError> {
    Ok(password_policies::find(iam.store().reader(), account_id).await?)
}

/// Whether the user's current password is past the policy's maximum age.
pub async fn is_expired(
    iam: &Iam,
    account_id: &str,
    profile: &LoginProfileRow,
) -> Result<bool, ServiceError> {
    let policy = password_policies::find(iam.store().reader(), account_id).await?;
    Ok(password_expired(
        policy.as_ref(),
        profile.password_set_at,
        iam.clock().now_millis(),
    ))
}

/// A password the console offers for a new login profile, meeting the account's policy.
/// SECURITY: from the CSPRNG; shown once to the administrator and never logged.
pub async fn generate_password(iam: &Iam, caller: &Caller) -> Result<String, ServiceError> {
    use crate::domain::password_generator::{generate, generated_length, random_bytes_needed};
    use rand::RngCore;
    let policy =
        password_policies::find(iam.store().reader(), caller.account_id().as_str()).await?;
    let length = generated_length(policy.as_ref());
    let mut random = zeroize::Zeroizing::new(vec![0u8; random_bytes_needed(length)]);
    rand::rng().fill_bytes(&mut random);
    Ok(generate(length, &random))
}
