//! STS: the caller's identity (`GetCallerIdentity`), temporary credentials for a user or the
//! root user (`GetSessionToken`, optionally proving an MFA code) and for a role (`AssumeRole`,
//! decided by the role's trust policy together with the caller's own policies). Temporary
//! credentials carry what they act as; their secret is sealed and their session token kept
//! only as a hash.

use crate::catalog::Op;
use crate::policy::global_keys;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::domain::iam_names::{check_access_key_id, constraint_message, name_pattern_message};
use crate::domain::session_tags::SessionTags;
use crate::domain::tags::Tag;
use crate::domain::{AccountId, Invalid, Principal, PrincipalKind};
use crate::policy::{validate, PolicyKind};
use crate::server::digest::sha256_hex;
use crate::server::store::sts_sessions::{self, StsSessionRow};
use crate::server::store::{access_keys, mfa, roles};

use super::authorization::{authorize_assume_role, trusts_no_one, RequestContext};
use super::credentials::mfa_check::{verify_code, CodeCheck, CodeRefusal, Codes};
use super::ids::new_access_key;
use super::signin::device_owner;
use super::{Authorized, Caller, Iam, Operation, ServiceError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

/// Temporary credentials; the secret and the token are returned here and never again.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// Unix milliseconds.
    pub expiration: i64,
}

/// SECURITY: `{:?}` shows no secret, so none can reach a log by accident.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &"<redacted>")
            .field("expiration", &self.expiration)
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssumedRoleUser {
    /// `AROA…:session-name`.
    pub assumed_role_id: String,
    pub arn: String,
}

/// `GetCallerIdentity`: needs no permission, as in AWS.
pub async fn get_caller_identity(
    iam: &Iam,
    caller: &Caller,
) -> Result<CallerIdentity, ServiceError> {
    Operation::run(iam, caller, Op::GetCallerIdentity, |op| {
        Box::pin(async move {
            let arn = caller.principal.arn();
            op.resource_checked(&arn);
            Ok(CallerIdentity {
                account: caller.account_id().to_string(),
                user_id: caller.principal.user_id(),
                arn,
            })
        })
    })
    .await
}

/// `GetAccessKeyInfo`: the account an access key ID — a user's or root's, or temporary
/// credentials' — belongs to, whatever the key's state. An ID no key has (or had, for temporary
/// credentials still remembered) is refused (DEVIATIONS.md: AWS reads the account out of the ID).
pub async fn get_access_key_info(
    iam: &Iam,
    caller: &Caller,
    access_key_id: &str,
) -> Result<String, ServiceError> {
    Operation::run(iam, caller, Op::GetAccessKeyInfo, |op| {
        Box::pin(async move {
            check_access_key_id(access_key_id)?;
            op.authorize("*").await?;
            let reader = iam.store().reader();
            let account = match access_keys::find(reader, access_key_id).await? {
                Some(key) => Some(key.account_id),
                None => sts_sessions::find(reader, access_key_id)
                    .await?
                    .map(|session| session.account_id),
            };
            account.ok_or_else(|| {
                Invalid::new("AccessKeyId", "The specified access key ID does not exist.")
                    .with_code("InvalidParameterValue")
                    .into()
            })
        })
    })
    .await
}

/// `DurationSeconds` within AWS's range for the call: at least 15 minutes, at most `max`.
pub(crate) fn check_duration(seconds: i64, max: i64) -> Result<(), ServiceError> {
    if seconds < 900 {
        return Err(duration_error(
            "durationSeconds",
            "have value greater than or equal to 900",
        ));
    }
    if seconds > max {
        return Err(duration_error(
            "durationSeconds",
            &format!("have value less than or equal to {max}"),
        ));
    }
    Ok(())
}

fn duration_error(parameter: &str, constraint: &str) -> ServiceError {
    Invalid::new("DurationSeconds", constraint_message(parameter, constraint)).into()
}

/// `GetSessionToken`: credentials for the same user (or root), with MFA when a code is given.
pub async fn get_session_token(
    iam: &Iam,
    caller: &Caller,
    duration_seconds: Option<i64>,
    serial_number: Option<&str>,
    token_code: Option<&str>,
) -> Result<Credentials, ServiceError> {
    Operation::run(iam, caller, Op::GetSessionToken, |op| {
        Box::pin(async move {
            let arn = caller.principal.arn();
            op.target(&arn);
            if caller.signed_with_temporary_key()
                || matches!(caller.principal.kind, PrincipalKind::AssumedRole { .. })
            {
                return Err(ServiceError::AccessDenied(
                    "Cannot call GetSessionToken with session credentials".to_string(),
                ));
            }
            // AWS: up to 36 hours for users, one hour for the root user.
            let max = if caller.principal.is_root() {
                3_600
            } else {
                129_600
            };
            let default = if caller.principal.is_root() {
                3_600
            } else {
                43_200
            };
            let duration = duration_seconds.unwrap_or(default);
            check_duration(duration, max)?;
            let mfa_at = check_mfa(iam, caller, serial_number, token_code).await?;
            let authorized = op.resource_checked(&arn);
            let credentials = issue(
                op,
                caller,
                caller.principal.clone(),
                SessionTerms {
                    policies: SessionPolicies::default(),
                    tags: SessionTags::default(),
                    mfa_authenticated_at: mfa_at,
                    duration_seconds: duration,
                },
                &authorized,
            )
            .await?;
            Ok(credentials)
        })
    })
    .await
}

#[derive(Clone, Debug, Default)]
pub struct AssumeRole {
    pub role_arn: String,
    pub role_session_name: String,
    pub duration_seconds: Option<i64>,
    /// An inline session policy. With `policy_arns` it forms the session policies: the session
    /// may do only what the role's policies allow and some session policy allows.
    pub policy: Option<String>,
    /// Managed session policies (`PolicyArns`): up to 10 ARNs of the account's own or AWS
    /// managed policies.
    pub policy_arns: Vec<String>,
    /// Given to the trust policy as `sts:ExternalId`.
    pub external_id: Option<String>,
    pub serial_number: Option<String>,
    pub token_code: Option<String>,
    /// Session tags (`sts:TagSession`), and which of them pass on through role chaining.
    pub tags: Vec<Tag>,
    pub transitive_tag_keys: Vec<String>,
    /// Who is behind the session (`sts:SetSourceIdentity`); once set, kept through chaining.
    pub source_identity: Option<String>,
}

/// The session policies a session was issued with: AssumeRole's inline `Policy` and managed
/// `PolicyArns`. Empty for sessions without any (which act with the role's whole permissions).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionPolicies {
    pub inline: Option<String>,
    pub managed_arns: Vec<String>,
}

/// AWS's limits on session policies: 10 managed ARNs, and 2,048 characters of plaintext for
/// the inline policy and the ARNs together.
pub const MAX_SESSION_POLICY_ARNS: usize = 10;
pub const SESSION_POLICY_PLAINTEXT: usize = 2_048;

/// How much of the session-policy space a request uses, in percent (`PackedPolicySize`):
/// the inline policy's characters (whitespace not counted, as IAM counts policy size) and the
/// ARNs' characters, against the 2,048-character plaintext limit. Over 100 is refused.
pub fn packed_policy_size(policy: Option<&str>, policy_arns: &[String]) -> u32 {
    let used = policy.map(crate::policy::policy_size).unwrap_or(0)
        + policy_arns
            .iter()
            .map(|arn| arn.chars().count())
            .sum::<usize>();
    u32::try_from((used * 100).div_ceil(SESSION_POLICY_PLAINTEXT)).unwrap_or(u32::MAX)
}

/// Checks `PolicyArns` as AWS does: at most 10, each an ARN of an existing managed policy of
/// the role's account (`role_account`) or an AWS managed policy.
pub(crate) async fn check_policy_arns(
    iam: &Iam,
    role_account: &str,
    policy_arns: &[String],
) -> Result<(), ServiceError> {
    if policy_arns.len() > MAX_SESSION_POLICY_ARNS {
        return Err(Invalid::new(
            "PolicyArns",
            constraint_message("policyArns", "have length less than or equal to 10"),
        )
        .into());
    }
    for (index, arn) in policy_arns.iter().enumerate() {
        let field = format!("policyArns.{}.member.arn", index + 1);
        let length = arn.chars().count();
        if length < 20 {
            return Err(Invalid::new(
                "PolicyArns",
                constraint_message(&field, "have length greater than or equal to 20"),
            )
            .into());
        }
        if length > 2_048 {
            return Err(Invalid::new(
                "PolicyArns",
                constraint_message(&field, "have length less than or equal to 2048"),
            )
            .into());
        }
        let missing = || {
            ServiceError::Validation(Invalid::new(
                "PolicyArns",
                format!("Policy {arn} does not exist or is not attachable."),
            ))
        };
        let account = arn
            .strip_prefix("arn:aws:iam::")
            .and_then(|rest| rest.split_once(":policy/"))
            .map(|(account, _)| account)
            .ok_or_else(missing)?;
        let exists = if account == "aws" {
            super::policies::aws_managed::by_arn(arn).is_some()
        } else {
            // SECURITY: only the role's own account's policies; an ARN names its account.
            account == role_account
                && crate::server::store::policies::find_by_arn(iam.store().reader(), arn)
                    .await?
                    .is_some_and(|policy| policy.account_id == role_account)
        };
        if !exists {
            return Err(missing());
        }
    }
    Ok(())
}

/// The inline session policy's validity and the session policies' packed size, as AWS checks
/// them before the trust decision.
pub(crate) fn check_session_policy(
    policy: Option<&str>,
    policy_arns: &[String],
) -> Result<(), ServiceError> {
    let packed = packed_policy_size(policy, policy_arns);
    if packed > 100 {
        return Err(ServiceError::PackedPolicyTooLarge(format!(
            "Packed policy consumes {packed}% of allotted space, please use smaller policy."
        )));
    }
    if let Some(policy) = policy.filter(|p| !p.is_empty()) {
        if let Some(error) = validate(policy, PolicyKind::InlineUser).error {
            return Err(match error.code {
                crate::policy::AwsErrorCode::LimitExceeded => ServiceError::PackedPolicyTooLarge(
                    "Packed policy consumes more than 100% of allotted space, please use smaller policy.".to_string(),
                ),
                _ => ServiceError::MalformedPolicyDocument {
                    field: Some("Policy".to_string()),
                    message: error.message,
                },
            });
        }
    }
    Ok(())
}

/// AWS's rules for `ExternalId`: 2–1,224 characters of `[\w+=,.@:/-]`.
fn check_external_id(external_id: &str) -> Result<(), ServiceError> {
    let length = external_id.chars().count();
    let bound = if length < 2 {
        Some("have length greater than or equal to 2")
    } else if length > 1_224 {
        Some("have length less than or equal to 1224")
    } else {
        None
    };
    if let Some(bound) = bound {
        return Err(Invalid::new("ExternalId", constraint_message("externalId", bound)).into());
    }
    if !external_id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c))
    {
        return Err(Invalid::new(
            "ExternalId",
            constraint_message(
                "externalId",
                "satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
            ),
        )
        .into());
    }
    Ok(())
}

pub async fn assume_role(
    iam: &Iam,
    caller: &Caller,
    input: AssumeRole,
) -> Result<(Credentials, AssumedRoleUser), ServiceError> {
    Operation::run(iam, caller, Op::AssumeRole, |op| {
        Box::pin(async move {
            op.target(&input.role_arn);
            check_session_name(&input.role_session_name)?;
            if let Some(external_id) = &input.external_id {
                check_external_id(external_id)?;
            }
            check_session_policy(input.policy.as_deref(), &input.policy_arns)?;
            let session_tags = caller.session_tags.for_assumed_role(
                input.tags,
                input.transitive_tag_keys,
                input.source_identity,
            )?;
            let denied = || {
                ServiceError::AccessDenied(format!(
                    "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
                    caller.principal.arn(),
                    input.role_arn
                ))
            };
            // A role of this or another account, named by its ARN (the path is part of it).
            let (role_account, role_name) = parse_role_arn(&input.role_arn).ok_or_else(|| {
                ServiceError::Validation(Invalid::new(
                    "RoleArn",
                    constraint_message("roleArn", "have length greater than or equal to 20"),
                ))
            })?;
            let role_account = AccountId::parse("RoleArn", role_account).ok();
            let role = match &role_account {
                Some(account) => roles::TABLE
                    .find_by_name(iam.store().reader(), account.as_str(), role_name)
                    .await?
                    .filter(|role| {
                        crate::domain::arn::role_arn(account, &role.path, &role.name)
                            == input.role_arn
                    }),
                None => None,
            };
            let duration = input.duration_seconds.unwrap_or(3_600);
            if duration < 900 {
                return Err(duration_error(
                    "durationSeconds",
                    "have value greater than or equal to 900",
                ));
            }
            let mfa_at = check_mfa(
                iam,
                caller,
                input.serial_number.as_deref(),
                input.token_code.as_deref(),
            )
            .await?;
            let mut checking = caller.clone();
            checking.request.mfa_authenticated_at = mfa_at.or(caller.request.mfa_authenticated_at);
            // SECURITY: a missing role is decided as one that trusts no one, so it is refused in
            // the same words, after the same work, as a role that does not trust the caller; and
            // nothing about the role (its maximum session) is told before the trust decision.
            let no_one = trusts_no_one();
            let trust = role
                .as_ref()
                .map_or(no_one.as_str(), |role| role.assume_role_policy.as_str());
            // The trust policy sees the session name and the external ID, as on AWS.
            let mut trust_context = RequestContext {
                entries: vec![(
                    global_keys::STS_ROLE_SESSION_NAME.to_string(),
                    vec![input.role_session_name.clone()],
                )],
            };
            if let Some(id) = &input.external_id {
                trust_context
                    .entries
                    .push((global_keys::STS_EXTERNAL_ID.to_string(), vec![id.clone()]));
            }
            let mut actions = vec![Op::AssumeRole.action()];
            require_for_session_tags(&session_tags, &mut trust_context, &mut actions);
            authorize_assume_role(
                iam,
                &checking,
                &input.role_arn,
                trust,
                &trust_context,
                &actions,
            )
            .await?;
            let (Some(role), Some(role_account)) = (role, role_account) else {
                return Err(denied());
            };
            check_policy_arns(iam, role_account.as_str(), &input.policy_arns).await?;
            let authorized = op.resource_checked(&input.role_arn);
            // Role chaining (and credentials of GetSessionToken) is limited to one hour, as AWS
            // limits it.
            let chained = matches!(caller.principal.kind, PrincipalKind::AssumedRole { .. })
                || caller.signed_with_temporary_key();
            if chained && duration > 3_600 {
                return Err(Invalid::new(
                    "DurationSeconds",
                    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
                )
                .into());
            }
            if duration > role.max_session_duration {
                return Err(Invalid::new(
                    "DurationSeconds",
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                )
                .into());
            }
            let principal = Principal {
                account_id: role_account,
                kind: PrincipalKind::AssumedRole {
                    role_id: role.role_id.clone(),
                    role_name: role.name.clone(),
                    role_path: role.path.clone(),
                    session_name: input.role_session_name.clone(),
                },
            };
            let user = AssumedRoleUser {
                assumed_role_id: principal.user_id(),
                arn: principal.arn(),
            };
            let session_policies = SessionPolicies {
                inline: input.policy.filter(|p| !p.is_empty()),
                managed_arns: input.policy_arns,
            };
            let credentials = issue(
                op,
                caller,
                principal,
                SessionTerms {
                    policies: session_policies,
                    tags: session_tags,
                    mfa_authenticated_at: checking.request.mfa_authenticated_at,
                    duration_seconds: duration,
                },
                &authorized,
            )
            .await?;
            Ok((credentials, user))
        })
    })
    .await
}

/// What a session's tags and source identity add to the trust decision: `sts:TagSession` (with
/// the tags as `aws:RequestTag/…`, `aws:TagKeys` and `sts:TransitiveTagKeys`) when it carries
/// tags — inherited ones too — and `sts:SetSourceIdentity` (with `sts:SourceIdentity`) when it
/// has a source identity, set now or kept from the calling session.
pub(crate) fn require_for_session_tags(
    tags: &SessionTags,
    context: &mut RequestContext,
    actions: &mut Vec<&'static str>,
) {
    if let Some(source_identity) = &tags.source_identity {
        actions.push(Op::SetSourceIdentity.action());
        context.entries.push((
            global_keys::STS_SOURCE_IDENTITY.to_string(),
            vec![source_identity.clone()],
        ));
    }
    if !tags.is_empty() {
        actions.push(Op::TagSession.action());
        context
            .entries
            .extend(RequestContext::with_request_tags(&tags.tags).entries);
        if !tags.transitive.is_empty() {
            context.entries.push((
                global_keys::STS_TRANSITIVE_TAG_KEYS.to_string(),
                tags.transitive.clone(),
            ));
        }
    }
}

/// AWS's rules for `RoleSessionName`: 2–64 characters (see `check_sts_name`).
pub(crate) fn check_session_name(name: &str) -> Result<(), ServiceError> {
    check_sts_name("RoleSessionName", "roleSessionName", name, 64)
}

/// AWS's rules for the names STS takes (`RoleSessionName`, GetFederationToken's `Name`): 2 to
/// `max` characters of `[\w+=,.@-]`.
pub(crate) fn check_sts_name(
    field: &str,
    parameter: &str,
    name: &str,
    max: usize,
) -> Result<(), ServiceError> {
    let length = name.chars().count();
    let bound = if length < 2 {
        Some("have length greater than or equal to 2".to_string())
    } else if length > max {
        Some(format!("have length less than or equal to {max}"))
    } else {
        None
    };
    if let Some(bound) = bound {
        return Err(Invalid::new(field, constraint_message(parameter, &bound)).into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
    {
        return Err(Invalid::new(field, name_pattern_message(parameter)).into());
    }
    Ok(())
}

/// `arn:aws:iam::<account>:role/<path><name>` → (account, name).
pub(crate) fn parse_role_arn(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let path_and_name = resource.strip_prefix("role/")?;
    let name = path_and_name.rsplit('/').next().filter(|n| !n.is_empty())?;
    Some((account, name))
}

/// Verifies an MFA code given with a request: the serial must be the caller's own device.
/// Returns when the code was proven.
async fn check_mfa(
    iam: &Iam,
    caller: &Caller,
    serial: Option<&str>,
    code: Option<&str>,
) -> Result<Option<i64>, ServiceError> {
    let (Some(serial), Some(code)) = (
        serial.filter(|s| !s.is_empty()),
        code.filter(|c| !c.is_empty()),
    ) else {
        return Ok(None);
    };
    let failed = || {
        ServiceError::AccessDenied(
            "MultiFactorAuthentication failed with invalid MFA one time pass code.".to_string(),
        )
    };
    let account_id = caller.account_id().as_str();
    let owner = device_owner(&caller.principal).ok_or_else(failed)?;
    let device = mfa::find_by_serial(iam.store().reader(), account_id, serial)
        .await?
        .filter(|d| d.owner == owner && d.enabled_at.is_some())
        .ok_or_else(failed)?;
    // SECURITY: throttled like every other check of a code (a leaked key must not be able to
    // guess its owner's MFA); a throttled attempt reads as a wrong code.
    let check = CodeCheck {
        owner,
        source: caller.request.source_ip.as_deref(),
        device: &device,
    };
    match verify_code(iam, check, Codes::One(code)).await? {
        Ok(accepted) => {
            accepted
                .tx
                .commit()
                .await
                .map_err(crate::server::store::StoreError::from)?;
            Ok(Some(iam.clock().now_millis()))
        }
        Err(CodeRefusal::Malformed) => Err(ServiceError::Validation(Invalid::new(
            "TokenCode",
            constraint_message("tokenCode", "satisfy regular expression pattern: [\\d]*"),
        ))),
        Err(CodeRefusal::Invalid) => Err(failed()),
    }
}

/// Most live (unexpired) temporary credentials one issuer may hold. AWS documents no such cap,
/// but GetSessionToken needs no permission: without one, any key holder could fill the table
/// (DEVIATIONS.md). Sessions last at least 15 minutes, so this allows a steady 1,000 per 15
/// minutes, far more than an SDK refreshing credentials asks for.
pub const MAX_LIVE_SESSIONS_PER_ISSUER: i64 = 1_000;

/// How long expired credentials are kept so that they answer `ExpiredToken` (an SDK's cue to
/// refresh) rather than `InvalidClientTokenId`; [`delete_expired_sessions`] forgets them then.
pub const EXPIRED_SESSION_RETENTION_MILLIS: i64 = 60 * 60 * 1000;

/// The long-term identity behind a request: the user or root itself; for temporary
/// credentials, the issuer of those credentials, so that a chain of AssumeRole calls (each
/// free to pick a new session name) counts against the identity it started from.
async fn issuer_of(iam: &Iam, caller: &Caller) -> Result<String, ServiceError> {
    if let Some(key) = caller.request.access_key_id.as_deref() {
        if let Some(row) = sts_sessions::find(iam.store().reader(), key).await? {
            if !row.issuer.is_empty() {
                return Ok(row.issuer);
            }
        }
    }
    Ok(match &caller.principal.kind {
        // A role session without stored credentials (e.g. switched to in the console): the
        // role, not its caller-chosen session name.
        PrincipalKind::AssumedRole { role_id, .. } => role_id.clone(),
        _ => caller.principal.user_id(),
    })
}

/// What new temporary credentials carry besides the principal they act as.
pub(crate) struct SessionTerms {
    pub policies: SessionPolicies,
    pub tags: SessionTags,
    /// When the caller last proved an MFA code, if it did.
    pub mfa_authenticated_at: Option<i64>,
    pub duration_seconds: i64,
}

/// Mints temporary credentials acting as `principal` and stores them with the operation's
/// success records (through the group-commit writer: see `session_writer`), counted against the
/// caller's long-term identity (see `issuer_of`).
pub(crate) async fn issue<P>(
    op: &mut Operation<'_>,
    caller: &Caller,
    principal: Principal,
    terms: SessionTerms,
    proof: &Authorized<P>,
) -> Result<Credentials, ServiceError> {
    let issuer = issuer_of(op.iam(), caller).await?;
    issue_as(op, principal, terms, proof, issuer).await
}

/// `issue`, counted against `issuer` in the cap of live credentials
/// (`MAX_LIVE_SESSIONS_PER_ISSUER`).
pub(crate) async fn issue_as<P>(
    op: &mut Operation<'_>,
    principal: Principal,
    terms: SessionTerms,
    proof: &Authorized<P>,
    issuer: String,
) -> Result<Credentials, ServiceError> {
    let iam = op.iam();
    let SessionTerms {
        policies: session_policies,
        tags: session_tags,
        mfa_authenticated_at: mfa_at,
        duration_seconds,
    } = terms;
    let (access_key_id, secret) = new_access_key("ASIA");
    let mut token_bytes = zeroize::Zeroizing::new([0u8; 96]);
    rand::rng().fill_bytes(token_bytes.as_mut());
    let session_token = base64::engine::general_purpose::STANDARD.encode(token_bytes.as_ref());
    let now = iam.clock().now_millis();
    let expires_at = now + duration_seconds * 1000;
    let row = StsSessionRow {
        access_key_id: access_key_id.clone(),
        account_id: principal.account_id.to_string(),
        sealed_secret: iam
            .sealer()
            .seal(secret.as_bytes(), &secret_context(&access_key_id)),
        session_token_hash: token_hash(&session_token),
        principal: serde_json::to_string(&principal)
            .map_err(|e| ServiceError::internal_from("session principal", e))?,
        session_policy: session_policies.inline,
        // Kept by reference: each request evaluates the policies' default versions then.
        session_policy_arns: if session_policies.managed_arns.is_empty() {
            None
        } else {
            Some(
                serde_json::to_string(&session_policies.managed_arns)
                    .map_err(|e| ServiceError::internal_from("session policy ARNs", e))?,
            )
        },
        mfa_authenticated_at: mfa_at,
        created_at: now,
        expires_at,
        issuer,
        session_tags: if session_tags.is_blank() {
            None
        } else {
            Some(
                serde_json::to_string(&session_tags)
                    .map_err(|e| ServiceError::internal_from("session tags", e))?,
            )
        },
    };
    if !op
        .commit_credentials(row, MAX_LIVE_SESSIONS_PER_ISSUER, proof)
        .await?
    {
        return Err(ServiceError::LimitExceeded(format!(
            "Cannot exceed quota for live temporary credentials per principal: {MAX_LIVE_SESSIONS_PER_ISSUER}. Wait for some to expire."
        )));
    }
    Ok(Credentials {
        access_key_id,
        secret_access_key: secret.to_string(),
        session_token,
        expiration: expires_at,
    })
}

/// Housekeeping: forgets temporary credentials that expired more than
/// [`EXPIRED_SESSION_RETENTION_MILLIS`] ago. Returns how many.
pub async fn delete_expired_sessions(iam: &Iam) -> Result<u64, ServiceError> {
    let before = iam.clock().now_millis() - EXPIRED_SESSION_RETENTION_MILLIS;
    Ok(sts_sessions::delete_expired(iam.store().writer(), before).await?)
}

pub fn secret_context(access_key_id: &str) -> String {
    format!("sts-secret:{access_key_id}")
}

fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// What SigV4 needs to accept temporary credentials.
pub struct TemporaryKey {
    pub secret: zeroize::Zeroizing<Vec<u8>>,
    /// The caller the credentials act as (principal, session policy, MFA time).
    pub caller: Caller,
    pub expires_at: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TemporaryKeyError {
    /// No such key, or the session token does not belong to it.
    Invalid,
    /// The credentials were valid but have expired.
    Expired,
}

/// Looks up temporary credentials and checks the session token (in constant time via hashes).
pub async fn temporary_key(
    iam: &Iam,
    access_key_id: &str,
    session_token: Option<&str>,
) -> Result<Result<TemporaryKey, TemporaryKeyError>, ServiceError> {
    let Some(row) = sts_sessions::find(iam.store().reader(), access_key_id).await? else {
        return Ok(Err(TemporaryKeyError::Invalid));
    };
    let Some(token) = session_token else {
        return Ok(Err(TemporaryKeyError::Invalid));
    };
    use subtle::ConstantTimeEq;
    if !bool::from(
        token_hash(token)
            .as_bytes()
            .ct_eq(row.session_token_hash.as_bytes()),
    ) {
        return Ok(Err(TemporaryKeyError::Invalid));
    }
    if iam.clock().now_millis() >= row.expires_at {
        return Ok(Err(TemporaryKeyError::Expired));
    }
    let principal: Principal = serde_json::from_str(&row.principal)
        .map_err(|e| ServiceError::internal_from("stored session principal", e))?;
    // The credentials belong to the user, not to its name then (as AWS keys them by unique ID):
    // they act under its name and path now, and end with the user.
    let Some(principal) =
        super::authorization::principal_now::principal_now(iam, principal).await?
    else {
        return Ok(Err(TemporaryKeyError::Invalid));
    };
    let secret = iam
        .sealer()
        .open(&row.sealed_secret, &secret_context(&row.access_key_id))?;
    let mut caller = Caller::local(principal);
    caller.request.access_key_id = Some(row.access_key_id);
    caller.request.mfa_authenticated_at = row.mfa_authenticated_at;
    caller.request.token_issued_at = Some(row.created_at);
    caller.session_policy = row.session_policy.map(std::sync::Arc::from);
    if let Some(arns) = &row.session_policy_arns {
        let arns: Vec<String> = serde_json::from_str(arns)
            .map_err(|e| ServiceError::internal_from("stored session policy ARNs", e))?;
        caller.session_policy_arns = std::sync::Arc::from(arns);
    }
    if let Some(tags) = &row.session_tags {
        let tags: SessionTags = serde_json::from_str(tags)
            .map_err(|e| ServiceError::internal_from("stored session tags", e))?;
        caller.session_tags = std::sync::Arc::new(tags);
    }
    Ok(Ok(TemporaryKey {
        secret,
        caller,
        expires_at: row.expires_at,
    }))
}
