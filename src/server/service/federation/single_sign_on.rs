//! Console single sign-on through an account's OpenID Connect provider (Ferriam's own; AWS needs
//! a separate product for it): the authorization request (code flow with PKCE, `state` and
//! `nonce`), the callback that trades the code for an ID token and verifies it exactly as
//! `AssumeRoleWithWebIdentity` does, the roles whose trust policies allow that identity (as AWS's
//! SAML sign-in page lists them), and the console session as the chosen role — audited as
//! `sts:AssumeRoleWithWebIdentity` by the provider's subject, then as a console sign-in.

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::catalog::Op;
use crate::domain::arn::role_arn;
use crate::domain::oidc_provider::provider_arn;
use crate::domain::{AccountId, Principal, PrincipalKind};
use crate::server::outbound::{self, FormPost};
use crate::server::service::audit::signin_events::{self, SignInSubject};
use crate::server::service::ids::new_token;
use crate::server::service::signin::throttle;
use crate::server::service::{Caller, Iam, Operation, RequestInfo, ServiceError};
use crate::server::session_record::ConsoleFederation;
use crate::server::store::console_signins::{self, ConsoleSigninRow};
use crate::server::store::oidc_providers::{self, OidcProviderRow};
use crate::server::store::{accounts, roles};

use super::console_signin::secret_context;
use super::discovery::{self, Discovery};
use super::id_token::{self, VerifiedToken};
use super::web_identity::{check_trust, role_by_arn};

/// Each step — signing in at the provider, then choosing a role — must be done within this.
pub const STEP_MILLIS: i64 = 10 * 60 * 1000;
/// Roles read per query while looking for those that trust the identity.
const ROLES_PER_PAGE: i64 = 1_000;
/// The longest authorization code taken from the callback.
const MAX_CODE_LENGTH: usize = 4_096;

const NOT_OFFERED: &str =
    "This account offers no such sign-in. Start again from your account's sign-in page.";
const STALE: &str = "This sign-in did not start in this browser, was finished already, or took longer than 10 minutes. Start again from your account's sign-in page.";
const UNREACHABLE: &str = "The identity provider could not be reached. Try again in a moment; if it keeps failing, tell your administrator.";
const NO_TOKEN: &str = "The identity provider did not issue a token for this sign-in. Start again from your account's sign-in page; if it keeps failing, tell your administrator.";

/// Why a single sign-on step stopped: the page shows the message (never a secret, never which
/// of several secrets was wrong).
#[derive(Debug, thiserror::Error)]
pub enum SsoRefusal {
    #[error("{0}")]
    Refused(String),
    #[error("Too many sign-in attempts from this address. Wait a while and try again.")]
    Throttled,
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<crate::server::store::StoreError> for SsoRefusal {
    fn from(error: crate::server::store::StoreError) -> Self {
        SsoRefusal::Service(error.into())
    }
}

fn refused(message: impl Into<String>) -> SsoRefusal {
    SsoRefusal::Refused(message.into())
}

/// A sign-in sent to the provider, kept in the browser's session until it comes back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingSso {
    pub account_id: String,
    pub host_path: String,
    pub state: String,
    pub nonce: String,
    pub code_verifier: String,
    pub redirect_uri: String,
    pub started_at: i64,
}

/// The identity the provider vouched for, kept in the session while the person picks a role.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SsoIdentity {
    pub account_id: String,
    pub host_path: String,
    /// The provider's sign-in label.
    pub label: String,
    pub token: VerifiedToken,
    pub session_name: String,
    pub roles: Vec<RoleChoice>,
    pub verified_at: i64,
}

/// A role the identity may sign in as.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoice {
    pub arn: String,
    pub name: String,
    pub description: Option<String>,
}

/// Where to send the browser, and what to keep until it comes back.
pub struct Authorization {
    pub url: String,
    pub pending: PendingSso,
}

/// What the provider's redirect back carried, and where it came back to.
#[derive(Clone, Debug, Default)]
pub struct Callback {
    /// The account and provider the callback's address names (each provider has its own).
    pub account_id: String,
    pub host_path: String,
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    /// RFC 9207's `iss`: the issuer that answered.
    pub iss: Option<String>,
}

/// The path of the callback of `host_path`'s sign-in into `account_id`, which administrators
/// register at the provider. SECURITY: one per provider, so a code one provider issued can
/// never be taken to another's token endpoint (the "mix-up" attack): the callback refuses a
/// sign-in that was sent to a different provider than the one it came back from.
pub fn callback_path(account_id: &str, host_path: &str) -> String {
    format!(
        "{CALLBACK_PREFIX}{account_id}/{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(host_path)
    )
}

/// The provider a callback path's last segment names, if it names one.
pub fn callback_provider(segment: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment)
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// Where every provider's callback path starts.
pub const CALLBACK_PREFIX: &str = "/sso/callback/";

/// RFC 7636's S256 challenge of a code verifier.
fn pkce_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn same_secret(given: &str, kept: &str) -> bool {
    bool::from(given.as_bytes().ct_eq(kept.as_bytes()))
}

/// The provider and its console sign-in, when the account still has both.
async fn configured(
    iam: &Iam,
    account_id: &str,
    host_path: &str,
) -> Result<(OidcProviderRow, ConsoleSigninRow), SsoRefusal> {
    let db = iam.store().reader();
    let provider = oidc_providers::find(db, account_id, host_path).await?;
    let signin = console_signins::find(db, account_id, host_path).await?;
    match (provider, signin) {
        (Some(provider), Some(signin)) => Ok((provider, signin)),
        _ => Err(refused(NOT_OFFERED)),
    }
}

async fn discovery_of(iam: &Iam, provider: &OidcProviderRow) -> Result<Discovery, SsoRefusal> {
    let thumbprints = provider.thumbprint_list().map_err(ServiceError::from)?;
    discovery::fetch(&provider.issuer(), &iam.settings().idp_fetch, &thumbprints)
        .await
        .map_err(|error| {
            tracing::warn!(issuer = %provider.issuer(), %error, "identity provider discovery failed");
            refused(UNREACHABLE)
        })
}

/// Starts signing in to `account` (its ID or alias) through its provider `host_path`, for a
/// console reached at `origin`: the provider's authorization URL, and what the callback will be
/// checked against. Anyone may ask, and each costs a fetch from the provider: a source gets the
/// unsigned requests' budget.
pub async fn begin(
    iam: &Iam,
    request: &RequestInfo,
    account: &str,
    host_path: &str,
    origin: &str,
) -> Result<Authorization, SsoRefusal> {
    if !iam.unsigned_requests().admit(request.source_ip.as_deref()) {
        return Err(SsoRefusal::Throttled);
    }
    let account = accounts::find_by_reference(iam.store().reader(), account)
        .await?
        .ok_or_else(|| refused(NOT_OFFERED))?;
    let (provider, signin) = configured(iam, &account.account_id, host_path).await?;
    let redirect_uri = format!("{origin}{}", callback_path(&account.account_id, host_path));
    let redirect_uri = redirect_uri.as_str();
    let discovery = discovery_of(iam, &provider).await?;
    // The browser is sent there: an https address (http only for an http test issuer), never
    // another scheme.
    let mut endpoint = discovery
        .authorization_endpoint
        .as_deref()
        .and_then(|address| url::Url::parse(address).ok())
        .filter(|url| url.scheme() == "https" || url.scheme() == provider.scheme)
        .ok_or_else(|| {
            refused("The identity provider names no usable sign-in address (its authorization_endpoint). Tell your administrator.")
        })?;
    let pending = PendingSso {
        account_id: account.account_id.clone(),
        host_path: host_path.to_string(),
        state: new_token(),
        nonce: new_token(),
        code_verifier: new_token(),
        redirect_uri: redirect_uri.to_string(),
        started_at: iam.clock().now_millis(),
    };
    let scope = std::iter::once("openid")
        .chain(discovery.extra_scopes())
        .collect::<Vec<_>>()
        .join(" ");
    endpoint
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &signin.client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", &scope)
        .append_pair("state", &pending.state)
        .append_pair("nonce", &pending.nonce)
        .append_pair("code_challenge", &pkce_challenge(&pending.code_verifier))
        .append_pair("code_challenge_method", "S256");
    Ok(Authorization {
        url: endpoint.to_string(),
        pending,
    })
}

/// Finishes the provider's part: checks the callback against `pending` (the session's, taken
/// out of it whatever happens), trades the code for an ID token, verifies it, and finds the
/// roles that trust the identity. None is a refusal, recorded as a failed console sign-in.
pub async fn complete(
    iam: &Iam,
    request: &RequestInfo,
    pending: Option<PendingSso>,
    callback: Callback,
) -> Result<SsoIdentity, SsoRefusal> {
    let source = request.source_ip.as_deref();
    if !iam.unsigned_requests().admit(source) || throttle::api_source_refused(iam, source).await? {
        return Err(SsoRefusal::Throttled);
    }
    let now = iam.clock().now_millis();
    let given_state = callback.state.clone().unwrap_or_default();
    // SECURITY: `state` binds the callback to this browser's sign-in (no login CSRF), and the
    // callback's address to the provider the sign-in went to (no mix-up); a wrong one is a
    // guess, throttled like any other.
    let Some(pending) = pending
        .filter(|pending| now - pending.started_at <= STEP_MILLIS)
        .filter(|pending| same_secret(&given_state, &pending.state))
        .filter(|pending| {
            pending.account_id == callback.account_id && pending.host_path == callback.host_path
        })
    else {
        throttle::api_authentication_failed(iam, source).await?;
        return Err(refused(STALE));
    };
    let (provider, signin) = configured(iam, &pending.account_id, &pending.host_path).await?;
    let failed = |reason: &'static str| {
        let pending = pending.clone();
        async move {
            if let Ok(caller) =
                web_identity_caller(request, &pending.account_id, &pending.host_path, "")
            {
                signin_events::sign_in_failed(
                    iam,
                    request,
                    SignInSubject::Principal(&caller.principal),
                    "AccessDenied",
                    reason,
                )
                .await;
            }
            throttle::api_authentication_failed(iam, source).await
        }
    };
    // RFC 9207: the issuer that answered must be the one the sign-in went to.
    if callback
        .iss
        .as_deref()
        .is_some_and(|iss| iss != provider.issuer())
    {
        failed("the callback's iss names another issuer").await?;
        return Err(refused(
            "The answer came from another identity provider than the one this sign-in went to. Start again from your account's sign-in page.",
        ));
    }
    if let Some(error) = callback.error {
        let shown: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(64)
            .collect();
        return Err(refused(format!(
            "The identity provider did not sign you in ({shown}). Start again from your account's sign-in page."
        )));
    }
    let code = callback
        .code
        .filter(|code| !code.is_empty() && code.len() <= MAX_CODE_LENGTH)
        .ok_or_else(|| refused("The identity provider sent no authorization code."))?;
    let discovery = discovery_of(iam, &provider).await?;
    if discovery.authorization_response_iss_parameter_supported == Some(true)
        && callback.iss.is_none()
    {
        failed("the callback carries no iss").await?;
        return Err(refused(
            "The identity provider's answer does not say who sent it (no iss). Start again from your account's sign-in page.",
        ));
    }
    let id_token = match exchange_code(iam, &provider, &signin, &discovery, &pending, &code).await {
        Ok(token) => token,
        Err(refusal) => {
            failed("the authorization code was not exchanged for an ID token").await?;
            return Err(refusal);
        }
    };
    let token = match id_token::verify(iam, &id_token, &provider).await {
        Ok(token) => token,
        Err(ServiceError::Federation { message, .. }) => {
            failed("the ID token was refused").await?;
            return Err(refused(format!(
                "The identity provider's ID token was refused: {message}"
            )));
        }
        Err(other) => return Err(other.into()),
    };
    let nonce = token.claims.get("nonce").and_then(Value::as_str);
    if token.audience != signin.client_id || !nonce.is_some_and(|n| same_secret(n, &pending.nonce))
    {
        failed("the ID token's audience or nonce is not this sign-in's").await?;
        return Err(refused(
            "The identity provider's ID token was not issued for this sign-in (its audience or nonce differs). Start again from your account's sign-in page.",
        ));
    }
    let session_name = session_name(&token, &signin.name_claim)?;
    let caller = web_identity_caller(
        request,
        &pending.account_id,
        &pending.host_path,
        &token.subject,
    )?;
    let roles = trusting_roles(iam, &caller, &pending.host_path, &token, &session_name).await?;
    if roles.is_empty() {
        signin_events::sign_in_failed(
            iam,
            request,
            SignInSubject::Principal(&caller.principal),
            "AccessDenied",
            "no role trusts this identity",
        )
        .await;
        return Err(refused(format!(
            "{} signed in at {}, but no role in this account trusts that identity for console sign-in. Ask an administrator of the account to allow it in a role's trust policy.",
            session_name, signin.label
        )));
    }
    Ok(SsoIdentity {
        account_id: pending.account_id,
        host_path: pending.host_path,
        label: signin.label,
        token,
        session_name,
        roles,
        verified_at: now,
    })
}

/// The token endpoint's answer to the code: its ID token.
async fn exchange_code(
    iam: &Iam,
    provider: &OidcProviderRow,
    signin: &ConsoleSigninRow,
    discovery: &Discovery,
    pending: &PendingSso,
    code: &str,
) -> Result<String, SsoRefusal> {
    let endpoint = discovery
        .token_endpoint
        .as_deref()
        .ok_or_else(|| refused(NO_TOKEN))?;
    let secret = iam
        .sealer()
        .open(
            &signin.sealed_secret,
            &secret_context(&signin.account_id, &signin.host_path),
        )
        .map_err(|e| ServiceError::internal_from("console sign-in client secret", e))?;
    let secret = std::str::from_utf8(&secret)
        .map_err(|e| ServiceError::internal_from("console sign-in client secret", e))?;
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", pending.redirect_uri.as_str()),
        ("code_verifier", pending.code_verifier.as_str()),
    ];
    let basic = discovery.token_auth_is_basic();
    if !basic {
        fields.push(("client_id", signin.client_id.as_str()));
        fields.push(("client_secret", secret));
    }
    let form = FormPost {
        fields: &fields,
        basic_auth: basic.then_some((signin.client_id.as_str(), secret)),
    };
    let thumbprints = provider.thumbprint_list().map_err(ServiceError::from)?;
    let answer = outbound::post_form(endpoint, &iam.settings().idp_fetch, &thumbprints, form)
        .await
        .map_err(|error| {
            tracing::warn!(issuer = %provider.issuer(), %error, "authorization code not exchanged");
            refused(NO_TOKEN)
        })?;
    #[derive(Deserialize)]
    struct TokenAnswer {
        id_token: Option<String>,
    }
    serde_json::from_slice::<TokenAnswer>(&answer.body)
        .ok()
        .and_then(|answer| answer.id_token)
        .ok_or_else(|| refused(NO_TOKEN))
}

/// The role session's name: the configured claim's value when STS allows it as it is (2 to 64
/// of `\w+=,.@-`). SECURITY: a value that must be changed to fit — characters replaced, cut —
/// ends with 8 hex digits of the subject, so two people never share a name; an `email` the
/// provider says is unverified is refused.
fn session_name(token: &VerifiedToken, claim: &str) -> Result<String, SsoRefusal> {
    let value = match claim {
        "sub" => Some(token.subject.as_str()),
        _ => token.claims.get(claim).and_then(Value::as_str),
    }
    .map(str::trim)
    .filter(|value| !value.is_empty())
    .ok_or_else(|| {
        refused(format!(
            "The identity provider's ID token has no {claim} claim to name your session. Tell your administrator."
        ))
    })?;
    if claim == "email" && token.claims.get("email_verified") == Some(&Value::Bool(false)) {
        return Err(refused(
            "The identity provider says your email address is not verified. Verify it there, then sign in again.",
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
    let length = value.chars().count();
    if (2..=64).contains(&length) && value.chars().all(allowed) {
        return Ok(value.to_string());
    }
    let subject = Sha256::digest(token.subject.as_bytes());
    let suffix: String = subject[..4].iter().map(|b| format!("{b:02x}")).collect();
    let base: String = value
        .chars()
        .map(|c| if allowed(c) { c } else { '-' })
        .take(64 - 1 - suffix.len())
        .collect();
    Ok(format!("{base}-{suffix}"))
}

/// The caller a sign-in acts as before it is a role session: the web identity `subject` of the
/// provider `host_path` (empty while the provider has not vouched for anyone).
fn web_identity_caller(
    request: &RequestInfo,
    account_id: &str,
    host_path: &str,
    subject: &str,
) -> Result<Caller, ServiceError> {
    let account_id = AccountId::parse("AccountId", account_id)?;
    Ok(Caller::new(
        Principal {
            kind: PrincipalKind::WebIdentity {
                provider_arn: provider_arn(&account_id, host_path),
                provider: host_path.to_string(),
                subject: subject.to_string(),
            },
            account_id,
        },
        request.clone(),
    ))
}

/// Every role of the account whose trust policy lets the identity in, by name.
async fn trusting_roles(
    iam: &Iam,
    caller: &Caller,
    host_path: &str,
    token: &VerifiedToken,
    session_name: &str,
) -> Result<Vec<RoleChoice>, ServiceError> {
    let account = caller.account_id();
    let mut choices = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = roles::TABLE
            .list_page(
                iam.store().reader(),
                account.as_str(),
                "/",
                "",
                after.as_deref(),
                ROLES_PER_PAGE,
            )
            .await?;
        for role in &page {
            let arn = role_arn(account, &role.path, &role.name);
            match check_trust(
                iam,
                caller,
                host_path,
                token,
                Some(role),
                &arn,
                session_name,
            )
            .await
            {
                Ok(_) => choices.push(RoleChoice {
                    arn,
                    name: role.name.clone(),
                    description: role.description.clone(),
                }),
                Err(ServiceError::AccessDenied(_)) => {}
                Err(other) => return Err(other),
            }
        }
        match page.last() {
            Some(last) if page.len() as i64 == ROLES_PER_PAGE => {
                after = Some(last.name.to_ascii_lowercase());
            }
            _ => return Ok(choices),
        }
    }
}

/// Opens the console as `role_arn`, one of the identity's roles: checks its trust policy again
/// (it may have changed), records the assumption and the sign-in, and returns the session's
/// principal and terms — the role's maximum session duration, the token's session tags.
pub async fn sign_in(
    iam: &Iam,
    request: &RequestInfo,
    identity: &SsoIdentity,
    role_arn: &str,
) -> Result<(Principal, ConsoleFederation), SsoRefusal> {
    let now = iam.clock().now_millis();
    if now - identity.verified_at > STEP_MILLIS {
        return Err(refused(STALE));
    }
    if !identity.roles.iter().any(|role| role.arn == role_arn) {
        return Err(refused("Choose one of the roles listed."));
    }
    // SECURITY: console sign-in may have been taken down, or the client ID removed from the
    // provider's audiences, since the provider vouched for the identity.
    let (provider, signin) = configured(iam, &identity.account_id, &identity.host_path).await?;
    let audiences = provider.client_id_list().map_err(ServiceError::from)?;
    if identity.token.audience != signin.client_id || !audiences.contains(&signin.client_id) {
        return Err(refused(NOT_OFFERED));
    }
    let caller = web_identity_caller(
        request,
        &identity.account_id,
        &identity.host_path,
        &identity.token.subject,
    )?;
    let caller = &caller;
    let assumed = Operation::run(iam, caller, Op::AssumeRoleWithWebIdentity, |op| {
        Box::pin(async move {
            op.target(role_arn);
            let role = role_by_arn(iam, caller.account_id(), role_arn).await?;
            let tags = check_trust(
                iam,
                caller,
                &identity.host_path,
                &identity.token,
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
        Err(ServiceError::AccessDenied(_)) => {
            return Err(refused(
                "That role no longer trusts your identity. Start again from your account's sign-in page.",
            ))
        }
        Err(other) => return Err(other.into()),
    };
    let expires_at = now + role.max_session_duration * 1000;
    Ok(open_role_console(
        iam,
        request,
        caller.account_id(),
        &role,
        &identity.session_name,
        tags,
        expires_at,
    )
    .await)
}

/// The console session a federated sign-in opens as `role` (named `session_name`, carrying
/// the identity's session tags until `expires_at`), recorded as a console sign-in.
pub(super) async fn open_role_console(
    iam: &Iam,
    request: &RequestInfo,
    account_id: &AccountId,
    role: &roles::RoleRow,
    session_name: &str,
    session_tags: crate::domain::session_tags::SessionTags,
    expires_at: i64,
) -> (Principal, ConsoleFederation) {
    let principal = Principal {
        account_id: account_id.clone(),
        kind: PrincipalKind::AssumedRole {
            role_id: role.role_id.clone(),
            role_name: role.name.clone(),
            role_path: role.path.clone(),
            session_name: session_name.to_string(),
        },
    };
    let federation = ConsoleFederation {
        expires_at,
        session_policy: None,
        session_policy_arns: Vec::new(),
        session_tags,
        issuer: None,
    };
    signin_events::signed_in(iam, request, &principal, false).await;
    (principal, federation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token(claims: Value) -> VerifiedToken {
        VerifiedToken {
            subject: "248289761001".into(),
            audience: "console".into(),
            claims: claims.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn the_pkce_challenge_is_rfc_7636s() {
        // RFC 7636, appendix B.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn session_names_keep_what_sts_allows_and_mark_what_they_change() {
        let t = token(json!({"email": "jane.doe@example.com", "name": "Jane Doe", "x": "é"}));
        assert_eq!(session_name(&t, "email").unwrap(), "jane.doe@example.com");
        assert_eq!(session_name(&t, "sub").unwrap(), "248289761001");
        // Changed to fit: the subject's mark keeps two people apart.
        assert_eq!(session_name(&t, "name").unwrap(), "Jane-Doe-4ace9133");
        assert_eq!(session_name(&t, "x").unwrap(), "--4ace9133");
        assert!(matches!(
            session_name(&t, "groups"),
            Err(SsoRefusal::Refused(_))
        ));
        let long = token(json!({"email": "a".repeat(100)}));
        let name = session_name(&long, "email").unwrap();
        assert_eq!(name.len(), 64);
        assert!(name.ends_with("-4ace9133"));
        let unverified = token(json!({"email": "ceo@example.com", "email_verified": false}));
        assert!(matches!(
            session_name(&unverified, "email"),
            Err(SsoRefusal::Refused(_))
        ));
    }

    #[test]
    fn each_provider_has_its_own_callback() {
        let path = callback_path("123456789012", "login.example.com/realm");
        assert_eq!(
            path,
            "/sso/callback/123456789012/bG9naW4uZXhhbXBsZS5jb20vcmVhbG0"
        );
        let segment = path.rsplit('/').next().unwrap();
        assert_eq!(
            callback_provider(segment).as_deref(),
            Some("login.example.com/realm")
        );
        assert_eq!(callback_provider("%%%"), None);
    }
}
