//! Verification of an OpenID Connect ID token for `AssumeRoleWithWebIdentity`: its shape and
//! algorithm, its issuer (a provider the role's account registered), its signature (by a key
//! the issuer publishes, through the `jsonwebtoken` crate), its audience (a client ID the
//! provider lists) and its times — each refused in AWS's words.

use jsonwebtoken::Validation;
use serde_json::{Map, Value};

use crate::domain::oidc_provider::ProviderUrl;
use crate::server::service::error::FederationRefusal::{self, *};
use crate::server::service::{Iam, ServiceError};
use crate::server::store::oidc_providers::OidcProviderRow;

use super::identity_keys::{KeyError, ALLOWED_ALGORITHMS};

/// How far a token's times may be off this server's clock.
pub const CLOCK_SKEW_SECONDS: i64 = 300;

const NOT_A_JWT: &str =
    "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)";
const NOT_VALIDATED: &str = "The web identity token provided could not be validated. See the AssumeRoleWithWebIdentity documentation for requirements.";
const NO_KEY: &str = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

/// What a verified token says.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct VerifiedToken {
    pub subject: String,
    /// The client ID the token was issued to (`azp` when present, else the one `aud`), which
    /// the provider lists.
    pub audience: String,
    /// Every claim, for the trust policy's condition keys and session tags.
    pub claims: Map<String, Value>,
}

/// The token's issuer, read before anything is verified: it names the provider to verify with.
pub fn unverified_issuer(token: &str) -> Result<String, ServiceError> {
    let payload = token
        .split('.')
        .nth(1)
        .filter(|_| token.split('.').count() == 3)
        .ok_or_else(|| InvalidIdentityToken.error(NOT_A_JWT))?;
    let bytes = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        payload.trim_end_matches('='),
    )
    .map_err(|_| InvalidIdentityToken.error(NOT_A_JWT))?;
    let claims: Map<String, Value> =
        serde_json::from_slice(&bytes).map_err(|_| InvalidIdentityToken.error(NOT_A_JWT))?;
    match claims.get("iss") {
        Some(Value::String(issuer)) => Ok(issuer.clone()),
        _ => Err(InvalidIdentityToken.error("Missing a required claim: iss")),
    }
}

/// Verifies `token` as issued by `provider`.
pub async fn verify(
    iam: &Iam,
    token: &str,
    provider: &OidcProviderRow,
) -> Result<VerifiedToken, ServiceError> {
    let header =
        jsonwebtoken::decode_header(token).map_err(|_| InvalidIdentityToken.error(NOT_A_JWT))?;
    // SECURITY: the header picks the algorithm only among public-key ones.
    if !ALLOWED_ALGORITHMS.contains(&header.alg) {
        return Err(InvalidIdentityToken.error(format!(
            "The token is signed with {:?}; the identity provider must sign with RS256, RS384, RS512, PS256, PS384, PS512, ES256 or ES384.",
            header.alg
        )));
    }
    let issuer = provider.issuer();
    let thumbprints = provider.thumbprint_list()?;
    let keys = iam
        .identity_keys()
        .keys_for(
            iam,
            &issuer,
            &thumbprints,
            header.kid.as_deref(),
            header.alg,
        )
        .await
        .map_err(|error| match error {
            KeyError::Communication(_) => FederationRefusal::Communication.error(NO_KEY),
            KeyError::UnknownKey => InvalidIdentityToken.error(NOT_VALIDATED),
        })?;
    let key = keys
        .find(header.kid.as_deref(), header.alg)
        .ok_or_else(|| InvalidIdentityToken.error(NOT_VALIDATED))?;
    let mut validation = Validation::new(header.alg);
    // Times, issuer and audience are checked below, against this server's clock and in AWS's
    // words; the crate checks the signature.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &key.key, &validation)
        .map_err(|_| InvalidIdentityToken.error(NOT_VALIDATED))?
        .claims;
    check_claims(
        &claims,
        &issuer,
        &provider.client_id_list()?,
        iam.clock().now_millis() / 1000,
    )
}

/// The checks after the signature: issuer, subject, audience and times (Unix seconds `now`).
pub fn check_claims(
    claims: &Map<String, Value>,
    issuer: &str,
    client_ids: &[String],
    now: i64,
) -> Result<VerifiedToken, ServiceError> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    let missing =
        |name: &str| InvalidIdentityToken.error(format!("Missing a required claim: {name}"));
    if text("iss") != Some(issuer) {
        return Err(InvalidIdentityToken.error(format!(
            "No OpenIDConnect provider found in your account for {}",
            text("iss").unwrap_or_default()
        )));
    }
    let subject = text("sub").ok_or_else(|| missing("sub"))?.to_string();
    if subject.is_empty() || subject.chars().count() > 255 {
        return Err(
            InvalidIdentityToken.error("The token's sub claim must be 1 to 255 characters.")
        );
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => return Err(missing("aud")),
    };
    let audience = match text("azp") {
        Some(azp) => azp,
        None if audiences.len() == 1 => audiences[0],
        None => return Err(InvalidIdentityToken.error(
            "Token audience contains more than one audience while authorized party is not present",
        )),
    };
    if !client_ids.iter().any(|id| id == audience) {
        return Err(InvalidIdentityToken.error("Incorrect token audience"));
    }
    let time = |name: &str| -> Result<Option<i64>, ServiceError> {
        match claims.get(name) {
            None => Ok(None),
            Some(value) => value.as_i64().map(Some).ok_or_else(|| {
                InvalidIdentityToken.error(format!("The token's {name} claim must be an integer."))
            }),
        }
    };
    let expires = time("exp")?.ok_or_else(|| missing("exp"))?;
    let issued = time("iat")?.ok_or_else(|| missing("iat"))?;
    if now >= expires + CLOCK_SKEW_SECONDS {
        return Err(FederationRefusal::Expired.error(format!(
            "Token expired: current date/time {now} must be before the expiration date/time {expires}"
        )));
    }
    if issued > now + CLOCK_SKEW_SECONDS {
        return Err(InvalidIdentityToken.error("The token's iat claim is in the future."));
    }
    if time("nbf")?.is_some_and(|not_before| not_before > now + CLOCK_SKEW_SECONDS) {
        return Err(InvalidIdentityToken.error("The token is not valid yet (nbf)."));
    }
    Ok(VerifiedToken {
        subject,
        audience: audience.to_string(),
        claims: claims.clone(),
    })
}

/// The provider a token's issuer names: its URL without the scheme, as the registry keys it.
pub fn issuer_host_path(issuer: &str, loopback_http: bool) -> Option<String> {
    ProviderUrl::parse(issuer, loopback_http)
        .ok()
        .map(|url| url.host_path().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ISSUER: &str = "https://idp.example.com";
    const NOW: i64 = 1_800_000_000;

    fn claims(extra: Value) -> Map<String, Value> {
        let mut base =
            json!({"iss": ISSUER, "sub": "alice", "aud": "app", "iat": NOW - 10, "exp": NOW + 600});
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                base.as_object_mut().unwrap().remove(k);
            } else {
                base[k] = v.clone();
            }
        }
        base.as_object().unwrap().clone()
    }

    fn check(extra: Value) -> Result<VerifiedToken, (String, String)> {
        check_claims(
            &claims(extra),
            ISSUER,
            &["app".to_string(), "other".to_string()],
            NOW,
        )
        .map_err(|e| (e.code().to_string(), e.to_string()))
    }

    #[test]
    fn a_good_token_names_its_subject_and_audience() {
        let token = check(json!({})).unwrap();
        assert_eq!(
            (token.subject.as_str(), token.audience.as_str()),
            ("alice", "app")
        );
        let azp = check(json!({"aud": ["x", "y"], "azp": "other"})).unwrap();
        assert_eq!(azp.audience, "other");
    }

    #[test]
    fn each_bad_claim_is_refused_in_aws_words() {
        let cases = [
            (json!({"iss": "https://evil.example"}), "InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://evil.example"),
            (json!({"aud": "nope"}), "InvalidIdentityToken", "Incorrect token audience"),
            (json!({"aud": ["app", "other"]}), "InvalidIdentityToken", "Token audience contains more than one audience while authorized party is not present"),
            (json!({"aud": null}), "InvalidIdentityToken", "Missing a required claim: aud"),
            (json!({"sub": null}), "InvalidIdentityToken", "Missing a required claim: sub"),
            (json!({"exp": NOW - 301}), "ExpiredTokenException", "Token expired: current date/time 1800000000 must be before the expiration date/time 1799999699"),
            (json!({"nbf": NOW + 3600}), "InvalidIdentityToken", "The token is not valid yet (nbf)."),
            (json!({"iat": NOW + 3600}), "InvalidIdentityToken", "The token's iat claim is in the future."),
            (json!({"exp": "soon"}), "InvalidIdentityToken", "The token's exp claim must be an integer."),
        ];
        for (extra, code, message) in cases {
            assert_eq!(
                check(extra.clone()).unwrap_err(),
                (code.to_string(), message.to_string()),
                "{extra}"
            );
        }
        // Within the skew, a just-expired token still passes.
        assert!(check(json!({"exp": NOW - 200})).is_ok());
    }

    #[test]
    fn the_issuer_is_read_before_verification() {
        let payload = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            br#"{"iss":"https://idp.example.com"}"#,
        );
        assert_eq!(
            unverified_issuer(&format!("e30.{payload}.sig")).unwrap(),
            ISSUER
        );
        assert_eq!(
            unverified_issuer("not-a-jwt").unwrap_err().code(),
            "InvalidIdentityToken"
        );
    }
}
