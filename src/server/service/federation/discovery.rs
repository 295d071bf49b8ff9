//! An issuer's OpenID Connect discovery document (`/.well-known/openid-configuration`), fetched
//! under the outbound rules and checked to name the issuer it was fetched for: where its keys
//! are, and, for console sign-in, where people sign in and where codes become tokens.

use serde::Deserialize;

use crate::server::outbound::{self, FetchRules};

#[derive(Clone, Debug, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub authorization_endpoint: Option<String>,
    #[serde(default)]
    pub token_endpoint: Option<String>,
    /// Absent means `client_secret_basic` only (OpenID Connect Discovery §3).
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    pub scopes_supported: Option<Vec<String>>,
    /// RFC 9207: the provider names itself (`iss`) in its authorization responses.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: Option<bool>,
}

impl Discovery {
    /// Whether the client authenticates at the token endpoint with HTTP Basic (the default)
    /// rather than with form fields.
    pub fn token_auth_is_basic(&self) -> bool {
        self.token_endpoint_auth_methods_supported
            .as_ref()
            .is_none_or(|methods| {
                methods.iter().any(|m| m == "client_secret_basic")
                    || !methods.iter().any(|m| m == "client_secret_post")
            })
    }

    /// The scopes to ask for besides `openid`: `email` and `profile` when the provider lists
    /// them (asking for one it does not know may fail the sign-in).
    pub fn extra_scopes(&self) -> Vec<&'static str> {
        let listed = |scope: &str| {
            self.scopes_supported
                .as_ref()
                .is_some_and(|scopes| scopes.iter().any(|s| s == scope))
        };
        ["email", "profile"]
            .into_iter()
            .filter(|scope| listed(scope))
            .collect()
    }
}

/// The discovery document of `issuer`.
pub async fn fetch(
    issuer: &str,
    rules: &FetchRules,
    thumbprints: &[String],
) -> Result<Discovery, String> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let fetched = outbound::get(&url, rules, thumbprints)
        .await
        .map_err(|e| e.to_string())?;
    let discovery: Discovery =
        serde_json::from_slice(&fetched.body).map_err(|e| format!("discovery document: {e}"))?;
    // OpenID Connect Discovery: the document must name the issuer it was fetched for.
    if discovery.issuer != issuer {
        return Err(format!(
            "the discovery document names issuer {:?}, not {issuer:?}",
            discovery.issuer
        ));
    }
    Ok(discovery)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(methods: Option<&[&str]>, scopes: Option<&[&str]>) -> Discovery {
        let list = |items: Option<&[&str]>| {
            items.map(|items| items.iter().map(|s| s.to_string()).collect())
        };
        Discovery {
            issuer: "https://idp.example.com".into(),
            jwks_uri: "https://idp.example.com/jwks".into(),
            authorization_endpoint: None,
            token_endpoint: None,
            token_endpoint_auth_methods_supported: list(methods),
            scopes_supported: list(scopes),
            authorization_response_iss_parameter_supported: None,
        }
    }

    #[test]
    fn basic_authentication_unless_only_form_fields_are_offered() {
        assert!(with(None, None).token_auth_is_basic());
        assert!(
            with(Some(&["client_secret_post", "client_secret_basic"]), None).token_auth_is_basic()
        );
        assert!(
            !with(Some(&["client_secret_post", "private_key_jwt"]), None).token_auth_is_basic()
        );
    }

    #[test]
    fn only_listed_scopes_are_asked_for() {
        assert!(with(None, None).extra_scopes().is_empty());
        assert_eq!(
            with(None, Some(&["openid", "email", "groups"])).extra_scopes(),
            vec!["email"]
        );
    }
}
