//! Audit records of console sign-in and sign-out (`signin:ConsoleLogin`, `signin:ConsoleLogout`,
//! CloudTrail's `AwsConsoleSignIn` events). Why a sign-in failed is kept in the internal
//! `reason` column: the person signing in always reads the same message.

use crate::domain::arn::{root_arn, user_arn};
use crate::domain::Principal;
use crate::server::store::accounts::AccountRow;
use crate::server::store::audit::AuditRow;
use crate::server::store::users::UserRow;

use crate::server::service::authorization::caller::RequestInfo;
use crate::server::service::Iam;

pub const CONSOLE_LOGIN: &str = "signin:ConsoleLogin";
pub const CONSOLE_LOGOUT: &str = "signin:ConsoleLogout";
/// AWS's message for every failed console sign-in.
const FAILED_AUTHENTICATION: &str = "Failed authentication";
/// AWS's stand-in for a user name that matched no user (it may be a mistyped password).
const HIDDEN_USER: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// Whom a sign-in attempt named, as far as it is known.
pub enum SignInSubject<'a> {
    /// No account matched: the record belongs to no account.
    Nobody,
    /// An account's root user.
    Root {
        account_id: &'a str,
    },
    /// A known account, but the user name matched no user: the name is not recorded.
    UnknownUser {
        account_id: &'a str,
    },
    /// A known IAM user.
    User {
        account_id: &'a str,
        user: &'a UserRow,
    },
    Principal(&'a Principal),
}

impl<'a> SignInSubject<'a> {
    /// Whom a root sign-in named: the account's root user, or no one.
    pub fn root(account: Option<&'a AccountRow>) -> Self {
        match account {
            Some(account) => SignInSubject::Root {
                account_id: &account.account_id,
            },
            None => SignInSubject::Nobody,
        }
    }

    /// Whom an IAM-user sign-in named: a user, an unknown name in a known account, or no one.
    pub fn user(account: Option<&'a AccountRow>, user: Option<&'a UserRow>) -> Self {
        match (account, user) {
            (None, _) => SignInSubject::Nobody,
            (Some(account), None) => SignInSubject::UnknownUser {
                account_id: &account.account_id,
            },
            (Some(account), Some(user)) => SignInSubject::User {
                account_id: &account.account_id,
                user,
            },
        }
    }

    fn account_id(&self) -> String {
        match self {
            SignInSubject::Nobody => String::new(),
            SignInSubject::Root { account_id }
            | SignInSubject::UnknownUser { account_id }
            | SignInSubject::User { account_id, .. } => account_id.to_string(),
            SignInSubject::Principal(principal) => principal.account_id.to_string(),
        }
    }

    fn arn_and_id(&self) -> (String, Option<String>) {
        match self {
            SignInSubject::Nobody => (String::new(), None),
            SignInSubject::Root { account_id } => {
                (root_arn(account_id), Some(account_id.to_string()))
            }
            SignInSubject::UnknownUser { account_id } => {
                (user_arn(account_id, "/", HIDDEN_USER), None)
            }
            SignInSubject::User { account_id, user } => (
                user_arn(account_id, &user.path, &user.name),
                Some(user.user_id.clone()),
            ),
            SignInSubject::Principal(principal) => (principal.arn(), Some(principal.user_id())),
        }
    }
}

/// What an IAM user's password step found wrong, if anything: the subject and the reason.
pub fn user_sign_in_failure<'a>(
    account: Option<&'a AccountRow>,
    user: Option<&'a UserRow>,
    has_password: bool,
    password_ok: bool,
) -> Option<(SignInSubject<'a>, &'static str)> {
    let reason = match (account, user) {
        (None, _) => "unknown account",
        (Some(_), None) => "unknown user name",
        (Some(_), Some(_)) if !has_password => "the user has no console password",
        (Some(_), Some(_)) if !password_ok => "wrong password",
        _ => return None,
    };
    Some((SignInSubject::user(account, user), reason))
}

/// Records a refused sign-in step. `code` is the AWS error code the attempt answered with.
pub async fn sign_in_failed(
    iam: &Iam,
    request: &RequestInfo,
    subject: SignInSubject<'_>,
    code: &str,
    reason: &str,
) {
    crate::server::metrics::sign_in(if reason == "throttled" {
        "throttled"
    } else {
        "failure"
    });
    let (principal_arn, principal_id) = subject.arn_and_id();
    let row = AuditRow {
        result: code.to_string(),
        error_message: Some(FAILED_AUTHENTICATION.to_string()),
        reason: Some(reason.to_string()),
        details: Some(r#"{"MFAUsed":"No"}"#.to_string()),
        ..base(
            iam,
            request,
            subject.account_id(),
            principal_arn,
            principal_id,
            CONSOLE_LOGIN,
        )
    };
    iam.audit().record(row).await;
}

/// Records a completed sign-in.
pub async fn signed_in(iam: &Iam, request: &RequestInfo, principal: &Principal, with_mfa: bool) {
    crate::server::metrics::sign_in("success");
    let mfa = if with_mfa { "Yes" } else { "No" };
    let row = AuditRow {
        details: Some(format!(r#"{{"MFAUsed":"{mfa}"}}"#)),
        ..principal_row(iam, request, principal, CONSOLE_LOGIN)
    };
    iam.audit().record(row).await;
}

/// Records a sign-out.
pub async fn signed_out(iam: &Iam, request: &RequestInfo, principal: &Principal) {
    let row = principal_row(iam, request, principal, CONSOLE_LOGOUT);
    iam.audit().record(row).await;
}

fn principal_row(
    iam: &Iam,
    request: &RequestInfo,
    principal: &Principal,
    action: &str,
) -> AuditRow {
    base(
        iam,
        request,
        principal.account_id.to_string(),
        principal.arn(),
        Some(principal.user_id()),
        action,
    )
}

fn base(
    iam: &Iam,
    request: &RequestInfo,
    account_id: String,
    principal_arn: String,
    principal_id: Option<String>,
    action: &str,
) -> AuditRow {
    AuditRow {
        event_time: iam.clock().now_millis(),
        account_id,
        principal_arn,
        principal_id,
        access_key_id: None,
        action: action.to_string(),
        resource_arn: "*".to_string(),
        result: crate::server::service::audit::SUCCESS.to_string(),
        error_message: None,
        reason: None,
        details: None,
        source_ip: request.source_ip.clone(),
        user_agent: request.user_agent.clone(),
        request_id: request.request_id.clone(),
    }
}
