//! IAM users' console sessions: an administrator lists and ends them, and a change of a
//! principal's credentials (password, console access, MFA device, the user itself) ends its
//! other sessions in the same transaction as the change.
//!
//! AWS has no API for console sessions, so two existing actions stand in for them, chosen so
//! that whoever may remove a user's console access may also end its sessions:
//! listing is authorized as `iam:GetLoginProfile` (it reads console-access facts) and ending as
//! `iam:DeleteLoginProfile` (ending sessions is a part of removing console access), both on the
//! user's ARN.

use crate::catalog::Op;
use crate::domain::arn::user_arn;
use crate::domain::console_session::ConsoleSession;
use crate::domain::UserName;
use crate::server::session_record;
use crate::server::store::{sessions, Tx};

use crate::server::service::authorization::operation::Authorized;
use crate::server::service::{entities::lookup, Caller, Iam, Operation, ServiceError};

/// Ends every session of `principal_arn` except, when the caller is that principal, the
/// session the caller's request came with. Returns how many ended.
pub async fn end_other_sessions(
    tx: &mut Tx,
    caller: &Caller,
    principal_arn: &str,
) -> Result<u64, ServiceError> {
    let keep = (caller.principal.arn() == principal_arn)
        .then_some(caller.request.console_session.as_deref())
        .flatten();
    let ended = sessions::end_for_principal(&mut **tx, principal_arn, keep).await?;
    if ended > 0 {
        tracing::info!(ended, "console sessions ended after a credential change");
    }
    Ok(ended)
}

/// Ends every session of `principal_arn`, the caller's own included.
pub async fn end_all_sessions(tx: &mut Tx, principal_arn: &str) -> Result<u64, ServiceError> {
    let ended = sessions::end_for_principal(&mut **tx, principal_arn, None).await?;
    if ended > 0 {
        tracing::info!(ended, "console sessions ended");
    }
    Ok(ended)
}

/// The user's live console sessions, most recently seen first.
pub async fn list_user_sessions(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
) -> Result<Vec<ConsoleSession>, ServiceError> {
    Operation::run(iam, caller, Op::ListConsoleSessions, |op| {
        Box::pin(async move {
            let arn = user_principal_arn(op, iam, caller, user_name).await?;
            let now = iam.clock().now_millis();
            let rows = sessions::for_principal(iam.store().reader(), &arn, now).await?;
            let mut list: Vec<ConsoleSession> = rows
                .into_iter()
                .filter_map(|row| {
                    let data = serde_json::from_slice(&row.data).ok()?;
                    let facts = session_record::facts_in(&data)?;
                    Some(ConsoleSession {
                        current: caller.request.console_session.as_deref() == Some(&row.id_hash),
                        id: row.id_hash,
                        signed_in_at: facts.signed_in_at,
                        last_seen_at: facts.last_seen_at,
                        expires_at: row.expires_at,
                        mfa: facts.mfa,
                        source_ip: facts.source_ip,
                        user_agent: facts.user_agent,
                    })
                })
                .collect();
            list.sort_by_key(|s| std::cmp::Reverse(s.last_seen_at));
            Ok(list)
        })
    })
    .await
}

/// Ends one session of the user (`session_id` from the list), or all of them with `None`.
/// Returns how many ended.
pub async fn end_user_sessions(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
    session_id: Option<&str>,
) -> Result<u64, ServiceError> {
    Operation::run(iam, caller, Op::EndConsoleSessions, |op| {
        Box::pin(async move {
            let arn = user_principal_arn(op, iam, caller, user_name).await?;
            let mut tx = op.begin().await?;
            let ended = match session_id {
                Some(id) => {
                    if !sessions::end_one(&mut *tx, &arn, id).await? {
                        return Err(ServiceError::NoSuchEntity(format!(
                            "The console session {id} of user {user_name} does not exist."
                        )));
                    }
                    1
                }
                None => end_all_sessions(&mut tx, &arn).await?,
            };
            op.commit(tx, &arn).await?;
            Ok(ended)
        })
    })
    .await
}

/// The user's ARN, once `op` is authorized on it (see `lookup::Named`).
async fn user_principal_arn(
    op: &mut Operation<'_>,
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
) -> Result<Authorized<String>, ServiceError> {
    let name = UserName::parse_existing("UserName", user_name)?;
    let target = lookup::named_user(iam.store().reader(), caller, name.as_str())
        .await?
        .map(|row| user_arn(caller.account_id(), &row.path, &row.name));
    op.authorize_named(target, &Default::default()).await
}
