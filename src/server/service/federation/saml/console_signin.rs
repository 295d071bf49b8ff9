//! Console sign-in through a SAML 2.0 provider, IdP-initiated as AWS's
//! `signin.aws.amazon.com/saml` does it: the identity provider posts a signed response to
//! `POST /saml`; it is checked as `AssumeRoleWithSAML` checks it, accepted once (browser SSO
//! profile), and the roles its Role attribute lists whose trust policies allow it are offered;
//! the console opens as the one chosen — audited as `sts:AssumeRoleWithSAML` by the SAML user,
//! then as a console sign-in.

use serde::{Deserialize, Serialize};

use crate::catalog::Op;
use crate::domain::saml_provider::{attributes, parse_saml_provider_arn};
use crate::domain::{AccountId, Principal, PrincipalKind};
use crate::server::digest::sha256_hex;
use crate::server::service::audit::signin_events::{self, SignInSubject};
use crate::server::service::signin::throttle;
use crate::server::service::{Caller, Iam, Operation, RequestInfo, ServiceError};
use crate::server::session_record::ConsoleFederation;
use crate::server::store::saml_assertions;

use super::super::single_sign_on::{open_role_console, RoleChoice, SsoRefusal, STEP_MILLIS};
use super::super::web_identity::role_by_arn;
use super::assume_role::{
    check_trust, listed_roles, name_qualifier, saml_caller, session_name, verify_assertion,
};
use super::response::{self, VerifiedAssertion, SKEW_MILLIS};

/// Providers tried for one response (its Role attribute may name several).
const MAX_CANDIDATE_PROVIDERS: usize = 5;
/// AWS: a console session from SAML lasts an hour unless `SessionDuration` says otherwise
/// (15 minutes to 12 hours).
const DEFAULT_SESSION_SECONDS: i64 = 3_600;
const SESSION_SECONDS: std::ops::RangeInclusive<i64> = 900..=43_200;

const NOT_ACCEPTED: &str = "The identity provider's sign-in response was not accepted. Sign in again from your identity provider; if it keeps failing, tell your administrator.";

/// The SAML user the provider vouched for, kept in the session while the person picks a role.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SamlIdentity {
    pub account_id: String,
    pub provider_arn: String,
    pub name_qualifier: String,
    pub subject: String,
    pub session_name: String,
    /// The console session's length: `SessionDuration`, or an hour.
    pub session_seconds: i64,
    /// When the identity provider's session ends (`SessionNotOnOrAfter`), if it said.
    pub session_not_on_or_after: Option<i64>,
    pub assertion: VerifiedAssertion,
    pub roles: Vec<RoleChoice>,
    pub verified_at: i64,
    /// Where the console opens once a role is chosen (the response's `RelayState`).
    pub landing: Option<String>,
}

fn refused(message: impl Into<String>) -> SsoRefusal {
    SsoRefusal::Refused(message.into())
}

/// Checks a `SAMLResponse` posted to this console (at `origin`), accepts it once, and finds the
/// roles it may sign in as. A refusal is recorded as a failed console sign-in and counts
/// against the source's throttle, as every wrong secret does.
pub async fn complete(
    iam: &Iam,
    request: &RequestInfo,
    encoded: &str,
) -> Result<SamlIdentity, SsoRefusal> {
    let source = request.source_ip.as_deref();
    if !iam.unsigned_requests().admit(source) || throttle::api_source_refused(iam, source).await? {
        return Err(SsoRefusal::Throttled);
    }
    let verified = verify_for_any_provider(iam, request, encoded).await;
    let (provider_arn, account_id, provider_name, assertion) = match verified {
        Ok(found) => found,
        Err(SsoRefusal::Refused(message)) => {
            throttle::api_authentication_failed(iam, source).await?;
            return Err(refused(message));
        }
        Err(other) => return Err(other),
    };
    let qualifier = name_qualifier(&assertion.issuer, account_id.as_str(), &provider_name);
    let caller = saml_caller(
        &account_id,
        &provider_arn,
        &qualifier,
        &assertion.subject,
        request.clone(),
    );
    let failed = |reason: &'static str| async {
        signin_events::sign_in_failed(
            iam,
            request,
            SignInSubject::Principal(&caller.principal),
            "AccessDenied",
            reason,
        )
        .await;
    };
    // SECURITY: the browser SSO profile's one use per assertion, across every instance (the
    // database's key decides), for as long as the assertion could be accepted.
    let key = sha256_hex(format!("{}\n{}", assertion.issuer, assertion.id).as_bytes());
    // Kept an hour past the last moment any instance (clocks a skew apart) could accept it.
    let fresh = saml_assertions::claim(
        iam.store().writer(),
        &key,
        assertion.not_on_or_after + 2 * SKEW_MILLIS + 60 * 60 * 1000,
    )
    .await?;
    if !fresh {
        failed("the assertion was used already").await;
        throttle::api_authentication_failed(iam, source).await?;
        return Err(refused(
            "This sign-in response was used already. Sign in again from your identity provider.",
        ));
    }
    let session_name = match session_name(&assertion) {
        Ok(name) => name,
        Err(error) => {
            failed("no usable RoleSessionName attribute").await;
            return Err(refused(error.public_message()));
        }
    };
    let session_seconds = match assertion.attribute(attributes::SESSION_DURATION) {
        [] => DEFAULT_SESSION_SECONDS,
        [seconds] => seconds
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| SESSION_SECONDS.contains(s))
            .ok_or_else(|| {
                refused(
                    "The SessionDuration attribute must be a number of seconds from 900 to 43200.",
                )
            })?,
        _ => {
            return Err(refused(
                "The SessionDuration attribute must have one value.",
            ))
        }
    };
    let roles = trusting_roles(iam, &caller, &assertion, &session_name).await?;
    if roles.is_empty() {
        failed("no listed role trusts this identity").await;
        return Err(refused(format!(
            "{session_name} signed in at the identity provider, but none of the roles it lists for this account trusts that identity. Ask an administrator of the account to allow it in a role's trust policy."
        )));
    }
    Ok(SamlIdentity {
        account_id: account_id.to_string(),
        provider_arn,
        name_qualifier: qualifier,
        subject: assertion.subject.clone(),
        session_name,
        session_seconds,
        session_not_on_or_after: assertion.session_not_on_or_after,
        assertion,
        roles,
        verified_at: iam.clock().now_millis(),
        landing: None,
    })
}

/// The provider (ARN, account, name) among those the response names whose metadata verifies
/// it, and the checked assertion.
async fn verify_for_any_provider(
    iam: &Iam,
    request: &RequestInfo,
    encoded: &str,
) -> Result<(String, AccountId, String, VerifiedAssertion), SsoRefusal> {
    let document = response::decode(encoded).map_err(|e| refused(e.public_message()))?;
    let (_, candidates) = response::unverified_providers(&document, MAX_CANDIDATE_PROVIDERS)
        .map_err(|e| refused(e.public_message()))?;
    // Each candidate costs a lookup; one whose entity ID is not the issuer costs no signature
    // work (`response::verify` refuses it first).
    let mut last = refused(NOT_ACCEPTED);
    for provider_arn in candidates {
        let Some((account, name)) = parse_saml_provider_arn(&provider_arn) else {
            continue;
        };
        let Ok(account_id) = AccountId::parse("PrincipalArn", account) else {
            continue;
        };
        match verify_assertion(
            iam,
            account,
            &provider_arn,
            encoded,
            request.origin.as_deref(),
            true,
        )
        .await
        {
            Ok((_, assertion)) => {
                let name = name.to_string();
                return Ok((provider_arn, account_id, name, assertion));
            }
            Err(ServiceError::Federation { message, .. }) => last = refused(message),
            Err(other) => return Err(other.into()),
        }
    }
    Err(last)
}

/// The roles the assertion lists with its provider whose trust policies let it in, in order.
async fn trusting_roles(
    iam: &Iam,
    caller: &Caller,
    assertion: &VerifiedAssertion,
    session_name: &str,
) -> Result<Vec<RoleChoice>, ServiceError> {
    let PrincipalKind::WebIdentity { provider_arn, .. } = &caller.principal.kind else {
        return Err(ServiceError::internal("a SAML caller"));
    };
    let (account, name) = parse_saml_provider_arn(provider_arn)
        .ok_or_else(|| ServiceError::internal("a SAML provider ARN"))?;
    let provider =
        crate::server::store::saml_providers::find_trust(iam.store().reader(), account, name)
            .await?
            .ok_or_else(|| ServiceError::internal("the verifying provider"))?;
    let mut choices: Vec<RoleChoice> = Vec::new();
    for (role_arn, listed_provider) in listed_roles(assertion) {
        if &listed_provider != provider_arn || choices.iter().any(|c| c.arn == role_arn) {
            continue;
        }
        let role = role_by_arn(iam, caller.account_id(), &role_arn).await?;
        let Some(role) = role else { continue };
        match check_trust(
            iam,
            caller,
            &provider,
            assertion,
            Some(&role),
            &role_arn,
            session_name,
        )
        .await
        {
            Ok(_) => choices.push(RoleChoice {
                arn: role_arn,
                name: role.name.clone(),
                description: role.description.clone(),
            }),
            Err(ServiceError::AccessDenied(_) | ServiceError::Federation { .. }) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(choices)
}

/// Opens the console as `role_arn`, one of the identity's roles: checks the provider and the
/// role's trust policy again (either may have changed), records the assumption and the
/// sign-in, and returns the session's principal and terms.
pub async fn sign_in(
    iam: &Iam,
    request: &RequestInfo,
    identity: &SamlIdentity,
    role_arn: &str,
) -> Result<(Principal, ConsoleFederation), SsoRefusal> {
    let now = iam.clock().now_millis();
    if now - identity.verified_at > STEP_MILLIS {
        return Err(refused(
            "This sign-in took longer than 10 minutes. Sign in again from your identity provider.",
        ));
    }
    if !identity.roles.iter().any(|role| role.arn == role_arn) {
        return Err(refused("Choose one of the roles listed."));
    }
    let account_id =
        AccountId::parse("AccountId", &identity.account_id).map_err(ServiceError::from)?;
    let (account, name) =
        parse_saml_provider_arn(&identity.provider_arn).ok_or_else(|| refused(NOT_ACCEPTED))?;
    // SECURITY: the provider may have been deleted, or its metadata replaced, since.
    let provider =
        crate::server::store::saml_providers::find_trust(iam.store().reader(), account, name)
            .await?
            .filter(|provider| {
                provider.entity_id == identity.assertion.issuer && provider.valid_until > now
            })
            .ok_or_else(|| refused(NOT_ACCEPTED))?;
    let caller = saml_caller(
        &account_id,
        &identity.provider_arn,
        &identity.name_qualifier,
        &identity.subject,
        request.clone(),
    );
    let caller = &caller;
    let provider = &provider;
    let assumed = Operation::run(iam, caller, Op::AssumeRoleWithSAML, |op| {
        Box::pin(async move {
            op.target(role_arn);
            let role = role_by_arn(iam, caller.account_id(), role_arn).await?;
            let tags = check_trust(
                iam,
                caller,
                provider,
                &identity.assertion,
                role.as_ref(),
                role_arn,
                &identity.session_name,
            )
            .await?;
            let role = role.ok_or_else(|| ServiceError::internal("a trusting role"))?;
            op.resource_checked(role_arn);
            Ok((role, tags))
        })
    })
    .await;
    let (role, tags) = match assumed {
        Ok(assumed) => assumed,
        Err(ServiceError::AccessDenied(_)) => return Err(refused(
            "That role no longer trusts your identity. Sign in again from your identity provider.",
        )),
        Err(other) => return Err(other.into()),
    };
    let mut expires_at = now + identity.session_seconds * 1000;
    if let Some(end) = identity.session_not_on_or_after {
        expires_at = expires_at.min(end);
    }
    Ok(open_role_console(
        iam,
        request,
        &account_id,
        &role,
        &identity.session_name,
        tags,
        expires_at,
    )
    .await)
}

/// Housekeeping: forgets accepted assertions once they could no longer be accepted anyway.
pub async fn delete_expired_assertions(iam: &Iam) -> Result<u64, ServiceError> {
    Ok(saml_assertions::delete_expired(iam.store().writer(), iam.clock().now_millis()).await?)
}
