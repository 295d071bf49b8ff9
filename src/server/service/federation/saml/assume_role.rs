//! STS `AssumeRoleWithSAML`: a SAML response from an identity provider the role's account
//! registered buys the role's temporary credentials, when the assertion's Role attribute lists
//! the role with that provider and the role's trust policy allows the provider (and the
//! assertion's values, as `SAML:` condition keys). The request is unsigned: the response is the
//! only proof, so it is verified before anything else is decided. A response may be used again
//! within its validity, as AWS allows (command-line tools send one response for several roles).

use base64::Engine;
use sha1::{Digest, Sha1};

use crate::catalog::Op;
use crate::domain::iam_names::check_length;
use crate::domain::saml_provider::{
    attributes, parse_saml_provider_arn, subject_type, ATTRIBUTE_KEYS,
};
use crate::domain::session_tags::{check_source_identity, SessionTags};
use crate::domain::tags::{check_tags, Tag};
use crate::domain::{AccountId, Invalid, Principal, PrincipalKind};
use crate::policy::global_keys;
use crate::server::service::authorization::{authorize_web_identity, RequestContext};
use crate::server::service::error::FederationRefusal;
use crate::server::service::federation::web_identity::role_by_arn;
use crate::server::service::sts::{
    check_duration, check_policy_arns, check_session_name, check_session_policy, issue,
    parse_role_arn, require_for_session_tags, AssumedRoleUser, Credentials, SessionPolicies,
    SessionTerms,
};
use crate::server::service::{Caller, Iam, Operation, RequestInfo, ServiceError};
use crate::server::store::roles::RoleRow;
use crate::server::store::saml_providers::{self, SamlTrustRow};

use super::metadata::{acs_url, entity_id, NO_SERVICE_ORIGIN};
use super::response::{self, Expected, VerifiedAssertion};

/// AWS's bound on `SAMLAssertion` (base64 characters).
pub const MAX_ASSERTION_LENGTH: usize = 100_000;
/// AWS: SAML sessions last up to 12 hours (and never past the role's maximum).
pub const MAX_DURATION_SECONDS: i64 = 43_200;

#[derive(Clone, Debug, Default)]
pub struct AssumeRoleWithSaml {
    pub role_arn: String,
    pub principal_arn: String,
    pub saml_assertion: String,
    pub duration_seconds: Option<i64>,
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
}

/// What the caller learns besides the credentials.
#[derive(Clone, Debug)]
pub struct SamlSession {
    pub credentials: Credentials,
    pub assumed_role_user: AssumedRoleUser,
    pub subject: String,
    pub subject_type: String,
    pub issuer: String,
    /// The confirmation's `Recipient`, as AWS reports it.
    pub audience: String,
    pub name_qualifier: String,
    /// The `SourceIdentity` attribute, when the assertion sets one.
    pub source_identity: Option<String>,
}

fn check_lengths(input: &AssumeRoleWithSaml) -> Result<(), ServiceError> {
    let length = |field: &str, parameter: &str, value: &str, min: usize, max: usize| {
        check_length(field, parameter, value, min, max).map_err(ServiceError::from)
    };
    length("RoleArn", "roleArn", &input.role_arn, 20, 2_048)?;
    length(
        "PrincipalArn",
        "principalArn",
        &input.principal_arn,
        20,
        2_048,
    )?;
    length(
        "SAMLAssertion",
        "sAMLAssertion",
        &input.saml_assertion,
        4,
        MAX_ASSERTION_LENGTH,
    )?;
    if let Some(duration) = input.duration_seconds {
        check_duration(duration, MAX_DURATION_SECONDS)?;
    }
    Ok(())
}

fn refused(message: impl Into<String>) -> ServiceError {
    FederationRefusal::InvalidIdentityToken.error(message.into())
}

/// AWS's `NameQualifier`: base64 of SHA-1 over the issuer, the account ID, `/` and the
/// provider's name — with the subject, a federated user's unique identity.
pub fn name_qualifier(issuer: &str, account: &str, provider_name: &str) -> String {
    let digest = Sha1::digest(format!("{issuer}{account}/{provider_name}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(digest)
}

/// The provider `principal_arn` names in the role's account, and the checked assertion.
/// SECURITY: everything that can be refused without knowing the account's providers is refused
/// first (encoding, document shape, signature form); after that, an unknown provider, expired
/// metadata, another issuer and a bad signature get one answer ([`response::NOT_VALIDATED`]).
/// `unsolicited_only`: the console's ACS, which sends no authentication requests.
pub async fn verify_assertion(
    iam: &Iam,
    account: &str,
    principal_arn: &str,
    encoded: &str,
    origin: Option<&str>,
    unsolicited_only: bool,
) -> Result<(SamlTrustRow, VerifiedAssertion), ServiceError> {
    let origin = origin
        .ok_or_else(|| refused(NO_SERVICE_ORIGIN))?
        .to_string();
    let document = response::decode(encoded)?;
    response::precheck(&document)?;
    let not_validated = |why: &str| {
        tracing::info!(provider = principal_arn, why, "SAML response not validated");
        refused(response::NOT_VALIDATED)
    };
    let (provider_account, name) =
        parse_saml_provider_arn(principal_arn).ok_or_else(|| not_validated("no such provider"))?;
    if provider_account != account {
        return Err(not_validated("the provider is not in the role's account"));
    }
    let provider = saml_providers::find_trust(iam.store().reader(), account, name)
        .await?
        .ok_or_else(|| not_validated("no such provider"))?;
    let now = iam.clock().now_millis();
    if provider.valid_until <= now {
        return Err(not_validated(
            "the provider's metadata is past its ValidUntil",
        ));
    }
    let certificates: Vec<Vec<u8>> =
        serde_json::from_str::<Vec<String>>(&provider.signing_certificates)
            .map_err(|e| ServiceError::internal(format!("saml_providers certificates: {e}")))?
            .iter()
            .filter_map(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
            .collect();
    let issuer = provider.entity_id.clone();
    let verified = iam
        .cpu_work()
        .run(move |_| {
            response::verify(
                &document,
                &Expected {
                    acs_url: &acs_url(&origin),
                    entity_id: &entity_id(&origin),
                    issuer: &issuer,
                    certificates: &certificates,
                    now,
                    unsolicited_only,
                },
            )
        })
        .await??;
    Ok((provider, verified))
}

/// Whether the assertion's Role attribute lists `role_arn` with `principal_arn` (each value is
/// the pair, comma-separated, in either order).
pub fn lists_role(assertion: &VerifiedAssertion, role_arn: &str, principal_arn: &str) -> bool {
    assertion.attribute(attributes::ROLE).iter().any(|value| {
        let mut parts = value.split(',').map(str::trim);
        match (parts.next(), parts.next(), parts.next()) {
            (Some(a), Some(b), None) => {
                (a == role_arn && b == principal_arn) || (a == principal_arn && b == role_arn)
            }
            _ => false,
        }
    })
}

/// The `(role ARN, provider ARN)` pairs the Role attribute lists, in order.
pub fn listed_roles(assertion: &VerifiedAssertion) -> Vec<(String, String)> {
    assertion
        .attribute(attributes::ROLE)
        .iter()
        .filter_map(|value| {
            let (a, b) = value.split_once(',')?;
            let (a, b) = (a.trim(), b.trim());
            if b.contains(',') {
                return None;
            }
            if a.contains(":saml-provider/") {
                Some((b.to_string(), a.to_string()))
            } else {
                Some((a.to_string(), b.to_string()))
            }
        })
        .collect()
}

/// The session name the assertion's RoleSessionName attribute gives (exactly one, 2–64 of
/// `[\w+=,.@-]`).
pub fn session_name(assertion: &VerifiedAssertion) -> Result<String, ServiceError> {
    let [name] = assertion.attribute(attributes::ROLE_SESSION_NAME) else {
        return Err(refused(format!(
            "The assertion must carry exactly one {} attribute value.",
            attributes::ROLE_SESSION_NAME
        )));
    };
    check_session_name(name).map_err(|e| {
        refused(format!(
            "The RoleSessionName attribute is invalid: {}",
            e.public_message()
        ))
    })?;
    Ok(name.clone())
}

/// The session tags of `PrincipalTag:KEY` attributes (one value each) and `TransitiveTagKeys`,
/// and the source identity of the `SourceIdentity` attribute.
pub fn session_tags(assertion: &VerifiedAssertion) -> Result<SessionTags, ServiceError> {
    let mut tags = Vec::new();
    for (name, values) in &assertion.attributes {
        let Some(key) = name.strip_prefix(attributes::PRINCIPAL_TAG_PREFIX) else {
            continue;
        };
        let [value] = values.as_slice() else {
            return Err(refused(format!(
                "The session tag attribute {name} must have exactly one value."
            )));
        };
        tags.push(Tag {
            key: key.to_string(),
            value: value.clone(),
        });
    }
    check_tags("SAMLAssertion", &tags).map_err(|e| {
        refused(format!(
            "The assertion's session tags are invalid: {}",
            e.message
        ))
    })?;
    let transitive: Vec<String> = assertion
        .attribute(attributes::TRANSITIVE_TAG_KEYS)
        .to_vec();
    for key in &transitive {
        if !tags.iter().any(|tag| tag.key.eq_ignore_ascii_case(key)) {
            return Err(refused(format!(
                "The transitive tag key {key} is not one of the assertion's session tags."
            )));
        }
    }
    let source_identity = match assertion.attribute(attributes::SOURCE_IDENTITY) {
        [] => None,
        [value] => {
            check_source_identity("SAMLAssertion", value).map_err(|e| {
                refused(format!(
                    "The SourceIdentity attribute is invalid: {}",
                    e.message
                ))
            })?;
            Some(value.clone())
        }
        _ => {
            return Err(refused(
                "The SourceIdentity attribute must have exactly one value.",
            ))
        }
    };
    Ok(SessionTags {
        tags,
        transitive,
        source_identity,
    })
}

/// The trust policy's condition keys from the assertion: `SAML:aud`, `SAML:iss`, `SAML:sub`,
/// `SAML:sub_type`, `SAML:namequalifier`, `SAML:doc`, the eduPerson and X.500 attributes AWS
/// maps, and `sts:RoleSessionName`.
fn trust_context(
    provider: &SamlTrustRow,
    assertion: &VerifiedAssertion,
    name_qualifier: &str,
    session_name: &str,
) -> RequestContext {
    let mut entries = vec![
        ("SAML:aud".to_string(), vec![assertion.recipient.clone()]),
        ("SAML:iss".to_string(), vec![assertion.issuer.clone()]),
        ("SAML:sub".to_string(), vec![assertion.subject.clone()]),
        (
            "SAML:sub_type".to_string(),
            vec![subject_type(assertion.subject_format.as_deref())],
        ),
        (
            "SAML:namequalifier".to_string(),
            vec![name_qualifier.to_string()],
        ),
        (
            "SAML:doc".to_string(),
            vec![format!("{}/{}", provider.account_id, provider.name)],
        ),
        (
            global_keys::STS_ROLE_SESSION_NAME.to_string(),
            vec![session_name.to_string()],
        ),
    ];
    for (attribute, key) in ATTRIBUTE_KEYS {
        let values = assertion.attribute(attribute);
        if !values.is_empty() {
            entries.push((key.to_string(), values.to_vec()));
        }
    }
    RequestContext { entries }
}

/// Whether the trust policy of `role` (ARN `role_arn`; `None` when there is no such role) lets
/// `caller`, the SAML user of `assertion`, assume it under `session_name` with the assertion's
/// session tags (which need `sts:TagSession` too). The tags, when it does.
pub async fn check_trust(
    iam: &Iam,
    caller: &Caller,
    provider: &SamlTrustRow,
    assertion: &VerifiedAssertion,
    role: Option<&RoleRow>,
    role_arn: &str,
    session_name: &str,
) -> Result<SessionTags, ServiceError> {
    let PrincipalKind::WebIdentity {
        provider: name_qualifier,
        ..
    } = &caller.principal.kind
    else {
        return Err(ServiceError::internal("a SAML caller"));
    };
    let no_one = crate::server::service::authorization::trusts_no_one();
    let trust = role.map_or(no_one.as_str(), |role| role.assume_role_policy.as_str());
    let tags = session_tags(assertion)?;
    let mut context = trust_context(provider, assertion, name_qualifier, session_name);
    let mut actions = vec![Op::AssumeRoleWithSAML.action()];
    require_for_session_tags(&tags, &mut context, &mut actions);
    authorize_web_identity(iam, caller, role_arn, trust, &context, &actions).await?;
    if role.is_none() {
        return Err(denied());
    }
    Ok(tags)
}

fn denied() -> ServiceError {
    ServiceError::AccessDenied(format!(
        "Not authorized to perform {}",
        Op::AssumeRoleWithSAML.action()
    ))
}

/// The caller an assertion makes: a SAML user, known by its provider and, as AWS's
/// CloudTrail names it, `NameQualifier:Subject`.
pub fn saml_caller(
    account_id: &AccountId,
    provider_arn: &str,
    name_qualifier: &str,
    subject: &str,
    request: RequestInfo,
) -> Caller {
    Caller::new(
        Principal {
            account_id: account_id.clone(),
            kind: PrincipalKind::WebIdentity {
                provider_arn: provider_arn.to_string(),
                provider: name_qualifier.to_string(),
                subject: subject.to_string(),
            },
        },
        request,
    )
}

pub async fn assume_role_with_saml(
    iam: &Iam,
    request: RequestInfo,
    input: AssumeRoleWithSaml,
) -> Result<SamlSession, ServiceError> {
    check_lengths(&input)?;
    check_session_policy(input.policy.as_deref(), &input.policy_arns)?;
    // The role's account is the only one the request can concern (an unsigned caller has
    // none); an ARN that names none is refused like a role that does not trust the caller.
    let role_arn = input.role_arn.clone();
    let (account, _) = parse_role_arn(&role_arn).ok_or_else(denied)?;
    let account_id = AccountId::parse("RoleArn", account).map_err(|_| denied())?;
    let verified = verify_assertion(
        iam,
        account,
        &input.principal_arn,
        &input.saml_assertion,
        request.origin.as_deref(),
        false,
    )
    .await;
    // An account that does not exist trusts no provider: nothing is recorded (anyone may name
    // any account here). A verified assertion was checked against a provider of the account.
    if verified.is_err()
        && crate::server::store::accounts::find_by_id(iam.store().reader(), account)
            .await?
            .is_none()
    {
        return Err(verified.err().unwrap_or_else(denied));
    }
    let (qualifier, subject) = match &verified {
        Ok((provider, assertion)) => (
            name_qualifier(&assertion.issuer, account, &provider.name),
            assertion.subject.clone(),
        ),
        Err(_) => (String::new(), String::new()),
    };
    let caller = saml_caller(
        &account_id,
        &input.principal_arn,
        &qualifier,
        &subject,
        request,
    );
    let caller = &caller;
    Operation::run(iam, caller, Op::AssumeRoleWithSAML, |op| {
        Box::pin(async move {
            op.target(&input.role_arn);
            let (provider, assertion) = verified?;
            let session_name = session_name(&assertion)?;
            let role = if lists_role(&assertion, &input.role_arn, &input.principal_arn) {
                role_by_arn(iam, &account_id, &input.role_arn).await?
            } else {
                // A role the assertion does not list is refused as one that does not trust it.
                None
            };
            let tags = check_trust(
                iam,
                caller,
                &provider,
                &assertion,
                role.as_ref(),
                &input.role_arn,
                &session_name,
            )
            .await?;
            let role = role.ok_or_else(denied)?;
            check_policy_arns(iam, account, &input.policy_arns).await?;
            let authorized = op.resource_checked(&input.role_arn);
            let requested = input.duration_seconds.unwrap_or(3_600);
            if requested > role.max_session_duration {
                return Err(Invalid::new(
                    "DurationSeconds",
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                )
                .into());
            }
            // The session ends at the earlier of DurationSeconds and SessionNotOnOrAfter.
            let now = iam.clock().now_millis();
            let duration = match assertion.session_not_on_or_after {
                Some(end) => requested.min((end - now) / 1_000),
                None => requested,
            };
            if duration <= 0 {
                return Err(FederationRefusal::Expired.error(
                    "The identity provider's session has ended (SessionNotOnOrAfter).".to_string(),
                ));
            }
            let principal = Principal {
                account_id: account_id.clone(),
                kind: PrincipalKind::AssumedRole {
                    role_id: role.role_id.clone(),
                    role_name: role.name.clone(),
                    role_path: role.path.clone(),
                    session_name: session_name.clone(),
                },
            };
            let assumed_role_user = AssumedRoleUser {
                assumed_role_id: principal.user_id(),
                arn: principal.arn(),
            };
            let source_identity = tags.source_identity.clone();
            let credentials = issue(
                op,
                caller,
                principal,
                SessionTerms {
                    policies: SessionPolicies {
                        inline: input.policy.clone().filter(|p| !p.is_empty()),
                        managed_arns: input.policy_arns.clone(),
                    },
                    tags,
                    mfa_authenticated_at: None,
                    duration_seconds: duration,
                },
                &authorized,
            )
            .await?;
            Ok(SamlSession {
                credentials,
                assumed_role_user,
                subject_type: subject_type(assertion.subject_format.as_deref()),
                subject: assertion.subject,
                issuer: assertion.issuer,
                audience: assertion.recipient,
                name_qualifier: qualifier,
                source_identity,
            })
        })
    })
    .await
}
