//! Workload tokens: an administrator issues one for an instance profile (which needs
//! `iam:PassRole` on the profile's role, as launching an instance with the profile does), sees it
//! once, lists and revokes them; an application presents it to `GET /workload/credentials` and
//! gets the role's temporary credentials there — the AWS SDKs' container-credentials provider —
//! with no access key on its disk.
//!
//! A token is 256 random bits, kept only as its SHA-256 digest: a slow hash would add nothing
//! to that much entropy and would break the SDKs' two-second timeout.

use base64::Engine;
use rand::RngCore;

use crate::catalog::Op;
use crate::domain::arn::{instance_profile_arn, role_arn};
use crate::domain::{AccountId, Invalid, Principal, PrincipalKind};
use crate::server::digest::sha256_hex;
use crate::server::store::instance_profiles;
use crate::server::store::roles::{self, RoleRow};
use crate::server::store::workload_tokens::{self, WorkloadTokenRow};

use crate::server::service::authorization::{service_may_assume, RequestContext};
use crate::server::service::sts::{issue_as, Credentials, SessionTerms};
use crate::server::service::{Caller, Iam, Operation, RequestInfo, ServiceError};

use super::instance_profiles::{named, passed_to_workloads, WORKLOAD_SERVICE};

/// Most tokens one instance profile may have at once.
pub const MAX_TOKENS_PER_PROFILE: i64 = 100;

/// How long each set of workload credentials lasts at most (AWS gives instances six hours); the
/// role's maximum session duration caps it. SDKs fetch new ones well before they expire.
pub const MAX_CREDENTIALS_SECONDS: i64 = 6 * 60 * 60;

/// A token as issued: the secret, shown once.
#[derive(Clone, PartialEq, Eq)]
pub struct NewWorkloadToken {
    pub token: String,
    pub token_id: String,
    pub instance_profile_name: String,
}

/// SECURITY: `{:?}` shows no secret, so none can reach a log by accident.
impl std::fmt::Debug for NewWorkloadToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewWorkloadToken")
            .field("token_id", &self.token_id)
            .field("instance_profile_name", &self.instance_profile_name)
            .finish_non_exhaustive()
    }
}

/// A token as listed: never its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadToken {
    pub token_id: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub uses: i64,
}

/// What a workload's request gets: credentials of the profile's role.
#[derive(Debug)]
pub struct WorkloadCredentials {
    pub credentials: Credentials,
    pub account_id: String,
    pub role_arn: String,
}

fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// The role a profile holds, or InvalidInput: a token buys that role's credentials.
async fn role_of<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    profile: &instance_profiles::InstanceProfileRow,
) -> Result<RoleRow, ServiceError> {
    let no_role = || {
        ServiceError::InvalidInput(format!(
            "Instance Profile {} holds no role: add one with AddRoleToInstanceProfile first.",
            profile.name
        ))
    };
    let role_id = profile.role_id.as_deref().ok_or_else(no_role)?;
    roles::TABLE
        .find_by_id(db, role_id)
        .await?
        .ok_or_else(no_role)
}

/// Issues a token for the profile `profile_name`: authorized on the profile, and as
/// `iam:PassRole` on its role.
pub async fn create(
    iam: &Iam,
    caller: &Caller,
    profile_name: &str,
) -> Result<NewWorkloadToken, ServiceError> {
    Operation::run(iam, caller, Op::CreateWorkloadToken, |op| {
        Box::pin(async move {
            let mut tx = op.begin().await?;
            let target = named(&mut *tx, caller, profile_name).await?;
            let profile = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let role = role_of(&mut *tx, &profile).await?;
            let arn = role_arn(caller.account_id(), &role.path, &role.name);
            let profile_arn =
                instance_profile_arn(caller.account_id(), &profile.path, &profile.name);
            op.authorize_action(Op::PassRole, &arn, &passed_to_workloads(profile_arn))
                .await?;
            let issued =
                workload_tokens::count_for_profile(&mut *tx, &profile.instance_profile_id).await?;
            if issued >= MAX_TOKENS_PER_PROFILE {
                return Err(ServiceError::LimitExceeded(format!(
                    "Cannot exceed quota for WorkloadTokensPerInstanceProfile: {MAX_TOKENS_PER_PROFILE}"
                )));
            }
            let mut secret = zeroize::Zeroizing::new([0u8; 32]);
            rand::rng().fill_bytes(secret.as_mut());
            let token = format!(
                "fwt_{}",
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret.as_ref())
            );
            let mut id_bytes = [0u8; 8];
            rand::rng().fill_bytes(&mut id_bytes);
            let token_id = format!("wt-{}", hex::encode(id_bytes));
            workload_tokens::insert(
                &mut *tx,
                &WorkloadTokenRow {
                    token_id: token_id.clone(),
                    account_id: caller.account_id().to_string(),
                    instance_profile_id: profile.instance_profile_id.clone(),
                    token_hash: token_hash(&token),
                    created_at: iam.clock().now_millis(),
                    last_used_at: None,
                    uses: 0,
                },
            )
            .await?;
            let instance_profile_name = profile.name.clone();
            op.commit(tx, &profile).await?;
            Ok(NewWorkloadToken {
                token,
                token_id,
                instance_profile_name,
            })
        })
    })
    .await
}

/// The profile's tokens, oldest first, with their last use.
pub async fn list(
    iam: &Iam,
    caller: &Caller,
    profile_name: &str,
) -> Result<Vec<WorkloadToken>, ServiceError> {
    Operation::run(iam, caller, Op::ListWorkloadTokens, |op| {
        Box::pin(async move {
            let db = iam.store().reader();
            let target = named(db, caller, profile_name).await?;
            let profile = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            Ok(
                workload_tokens::for_profile(db, &profile.instance_profile_id)
                    .await?
                    .into_iter()
                    .map(|row| WorkloadToken {
                        token_id: row.token_id,
                        created_at: row.created_at,
                        last_used_at: row.last_used_at,
                        uses: row.uses,
                    })
                    .collect(),
            )
        })
    })
    .await
}

/// Revokes a token: the application holding it gets no new credentials from then on.
pub async fn delete(
    iam: &Iam,
    caller: &Caller,
    profile_name: &str,
    token_id: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeleteWorkloadToken, |op| {
        Box::pin(async move {
            let mut tx = op.begin().await?;
            let target = named(&mut *tx, caller, profile_name).await?;
            let profile = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            if !workload_tokens::delete(&mut *tx, &profile.instance_profile_id, token_id).await? {
                return Err(ServiceError::NoSuchEntity(format!(
                    "The workload token {token_id} cannot be found in instance profile {}.",
                    profile.name
                )));
            }
            op.commit(tx, &profile).await
        })
    })
    .await
}

/// Why a workload's request got no credentials.
#[derive(Debug)]
pub enum WorkloadRefusal {
    /// No token, or one no profile issued (or since revoked): counts as a failed guess.
    UnknownToken,
    /// The token is good but its profile holds no role, or the role does not trust workloads.
    NoRole(String),
}

/// The credentials a workload token buys: its profile's role, assumed (and audited) as
/// `sts:AssumeRole` by the workload, whose session is named after the token. The role must
/// trust `ec2.amazonaws.com`.
pub async fn credentials(
    iam: &Iam,
    request: RequestInfo,
    token: &str,
) -> Result<Result<WorkloadCredentials, WorkloadRefusal>, ServiceError> {
    let reader = iam.store().reader();
    let Some(row) = workload_tokens::find_by_hash(reader, &token_hash(token)).await? else {
        return Ok(Err(WorkloadRefusal::UnknownToken));
    };
    let Some(profile) = instance_profiles::TABLE
        .find_by_id(reader, &row.instance_profile_id)
        .await?
    else {
        return Ok(Err(WorkloadRefusal::UnknownToken));
    };
    let role = match role_of(reader, &profile).await {
        Ok(role) => role,
        Err(ServiceError::InvalidInput(message)) => {
            return Ok(Err(WorkloadRefusal::NoRole(message)))
        }
        Err(other) => return Err(other),
    };
    let account = AccountId::parse("AccountId", &row.account_id)
        .map_err(|e: Invalid| ServiceError::internal(e.message))?;
    let arn = role_arn(&account, &role.path, &role.name);
    if !service_may_assume(iam, WORKLOAD_SERVICE, &arn, &role.assume_role_policy)? {
        return Ok(Err(WorkloadRefusal::NoRole(format!(
            "The role {} does not trust {WORKLOAD_SERVICE}.",
            role.name
        ))));
    }
    let principal = Principal {
        account_id: account.clone(),
        kind: PrincipalKind::AssumedRole {
            role_id: role.role_id.clone(),
            role_name: role.name.clone(),
            role_path: role.path.clone(),
            session_name: row.token_id.clone(),
        },
    };
    let caller = Caller::new(principal.clone(), request);
    let duration = role.max_session_duration.min(MAX_CREDENTIALS_SECONDS);
    let token_id = row.token_id.clone();
    let credentials = Operation::run(iam, &caller, Op::GetWorkloadCredentials, |op| {
        let arn = arn.clone();
        Box::pin(async move {
            let authorized = op.resource_checked(&arn);
            // Each token has its own cap of live credentials: an application that fetches
            // without end exhausts only its own token, not the role's other workloads.
            issue_as(
                op,
                principal,
                SessionTerms {
                    policies: Default::default(),
                    tags: Default::default(),
                    mfa_authenticated_at: None,
                    duration_seconds: duration,
                },
                &authorized,
                format!("workload-token:{token_id}"),
            )
            .await
        })
    })
    .await?;
    workload_tokens::record_use(
        iam.store().writer(),
        &row.token_id,
        iam.clock().now_millis(),
    )
    .await?;
    Ok(Ok(WorkloadCredentials {
        credentials,
        account_id: account.to_string(),
        role_arn: arn,
    }))
}
