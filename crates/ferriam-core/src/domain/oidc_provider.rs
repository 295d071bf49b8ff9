//! OpenID Connect identity providers as IAM registers them: the issuer URL (which names the
//! provider, its ARN and its condition keys), the client IDs (audiences) it accepts and the
//! thumbprints of its certificate authority — validated with AWS's rules and words.

use super::iam_names::constraint_message;
use super::Invalid;

/// AWS's limits: 100 client IDs and 5 thumbprints per provider, 255 characters each.
pub const MAX_CLIENT_IDS: usize = 100;
pub const MAX_THUMBPRINTS: usize = 5;
pub const MAX_URL_LENGTH: usize = 255;
pub const MAX_CLIENT_ID_LENGTH: usize = 255;
pub const THUMBPRINT_LENGTH: usize = 40;

/// A provider's issuer URL: `https://host[/path]`, or, where the operator allows it for tests and
/// labs, `http://127.0.0.1:port[/path]` (or `localhost`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderUrl {
    /// `https` or `http`.
    scheme: &'static str,
    /// The URL without its scheme: `server.example.com/path`. IAM reports it so, names the
    /// provider's ARN with it and prefixes the trust policy's condition keys with it.
    host_path: String,
}

impl ProviderUrl {
    /// Parses `Url` as CreateOpenIDConnectProvider takes it. `loopback_http` admits plain-http
    /// issuers on the loopback host (`serve --allow-loopback-http-idp`).
    pub fn parse(url: &str, loopback_http: bool) -> Result<ProviderUrl, Invalid> {
        let length = url.chars().count();
        if length == 0 {
            return Err(Invalid::new(
                "Url",
                constraint_message("url", "have length greater than or equal to 1"),
            ));
        }
        if length > MAX_URL_LENGTH {
            return Err(Invalid::new(
                "Url",
                constraint_message("url", "have length less than or equal to 255"),
            ));
        }
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
            ("https", rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            ("http", rest)
        } else {
            return Err(Invalid::new("Url", INVALID_URL));
        };
        let invalid = || Invalid::new("Url", format!("{INVALID_URL}.")).with_code("InvalidInput");
        let (authority, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash..]),
            None => (rest, ""),
        };
        if authority.is_empty() {
            return Err(Invalid::new("Url", INVALID_URL));
        }
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            && !host.starts_with('.')
            && !host.ends_with('.');
        let path_ok = path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~/%!$&'()*+,;=:@".contains(c));
        if !host_ok || !path_ok {
            return Err(invalid());
        }
        let loopback = host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost");
        match (scheme, port) {
            // AWS: an https issuer URL carries no port.
            ("https", None) => {}
            ("http", port) if loopback_http && loopback => {
                if port.is_some_and(|p| p.parse::<u16>().map_or(true, |p| p == 0)) {
                    return Err(invalid());
                }
            }
            ("http", _) => {
                return Err(Invalid::new(
                    "Url",
                    format!("{INVALID_URL}. The URL must begin with https://."),
                )
                .with_code("InvalidInput"))
            }
            _ => return Err(invalid()),
        }
        // AWS keeps the URL as given: case and a trailing slash are part of the provider's
        // identity (and of its ARN and condition keys), as tokens' `iss` must match it exactly.
        Ok(ProviderUrl {
            scheme,
            host_path: rest.to_string(),
        })
    }

    /// The issuer as tokens spell it: `https://server.example.com/path`.
    pub fn issuer(&self) -> String {
        format!("{}://{}", self.scheme, self.host_path)
    }

    /// `server.example.com/path`: IAM's `Url`, the ARN's resource and the condition keys'
    /// prefix.
    pub fn host_path(&self) -> &str {
        &self.host_path
    }

    pub fn is_https(&self) -> bool {
        self.scheme == "https"
    }

    /// `arn:aws:iam::ACCOUNT:oidc-provider/server.example.com/path`.
    pub fn arn(&self, account: impl std::fmt::Display) -> String {
        provider_arn(account, &self.host_path)
    }
}

pub const INVALID_URL: &str = "Invalid Open ID Connect Provider URL";

pub fn provider_arn(account: impl std::fmt::Display, host_path: &str) -> String {
    format!("arn:aws:iam::{account}:oidc-provider/{host_path}")
}

/// `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH` → (account, `HOST/PATH`).
pub fn parse_provider_arn(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let host_path = resource.strip_prefix("oidc-provider/")?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && !host_path.is_empty())
        .then_some((account, host_path))
}

/// Checks an `OpenIDConnectProviderArn` parameter's modelled length (20–2,048).
pub fn check_provider_arn_length(arn: &str) -> Result<(), Invalid> {
    let length = arn.chars().count();
    if length < 20 {
        return Err(Invalid::new(
            "OpenIDConnectProviderArn",
            constraint_message(
                "openIDConnectProviderArn",
                "have length greater than or equal to 20",
            ),
        ));
    }
    if length > 2_048 {
        return Err(Invalid::new(
            "OpenIDConnectProviderArn",
            constraint_message(
                "openIDConnectProviderArn",
                "have length less than or equal to 2048",
            ),
        ));
    }
    Ok(())
}

/// One client ID (audience): 1–255 characters.
pub fn check_client_id(parameter: &str, field: &str, client_id: &str) -> Result<(), Invalid> {
    let length = client_id.chars().count();
    if length == 0 {
        return Err(Invalid::new(
            field,
            constraint_message(parameter, "have length greater than or equal to 1"),
        ));
    }
    if length > MAX_CLIENT_ID_LENGTH {
        return Err(Invalid::new(
            field,
            constraint_message(parameter, "have length less than or equal to 255"),
        ));
    }
    Ok(())
}

/// `ClientIDList`: each ID valid, at most 100; duplicates are kept once, in order.
pub fn check_client_ids(client_ids: &[String]) -> Result<Vec<String>, Invalid> {
    for (index, id) in client_ids.iter().enumerate() {
        check_client_id(
            &format!("clientIDList.{}.member", index + 1),
            "ClientIDList",
            id,
        )?;
    }
    let mut unique: Vec<String> = Vec::with_capacity(client_ids.len());
    for id in client_ids {
        if !unique.contains(id) {
            unique.push(id.clone());
        }
    }
    if unique.len() > MAX_CLIENT_IDS {
        return Err(Invalid::new(
            "ClientIDList",
            format!("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MAX_CLIENT_IDS}"),
        )
        .with_code("LimitExceeded"));
    }
    Ok(unique)
}

/// `ThumbprintList`: at most 5 SHA-1 fingerprints of 40 hex digits (kept lower-case, so two
/// spellings of one thumbprint are one).
pub fn check_thumbprints(thumbprints: &[String]) -> Result<Vec<String>, Invalid> {
    if thumbprints.len() > MAX_THUMBPRINTS {
        // AWS's words, though five entries are accepted.
        return Err(Invalid::new(
            "ThumbprintList",
            format!("Thumbprint list must contain fewer than {MAX_THUMBPRINTS} entries."),
        )
        .with_code("InvalidInput"));
    }
    let mut unique: Vec<String> = Vec::with_capacity(thumbprints.len());
    for (index, thumbprint) in thumbprints.iter().enumerate() {
        if thumbprint.chars().count() != THUMBPRINT_LENGTH {
            let bound = if thumbprint.chars().count() < THUMBPRINT_LENGTH {
                "have length greater than or equal to 40"
            } else {
                "have length less than or equal to 40"
            };
            return Err(Invalid::new(
                "ThumbprintList",
                constraint_message(&format!("thumbprintList.{}.member", index + 1), bound),
            ));
        }
        if !thumbprint.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Invalid::new(
                "ThumbprintList",
                format!("Thumbprint {thumbprint} is not a hexadecimal SHA-1 fingerprint."),
            )
            .with_code("InvalidInput"));
        }
        let lower = thumbprint.to_ascii_lowercase();
        if !unique.contains(&lower) {
            unique.push(lower);
        }
    }
    Ok(unique)
}

/// The trust-policy condition keys a web identity token sets, named by the provider
/// (`server.example.com/path:sub`).
pub fn condition_key(host_path: &str, claim: &str) -> String {
    format!("{host_path}:{claim}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_aws_rules() {
        let url = ProviderUrl::parse("https://token.actions.example.com/org", false).unwrap();
        assert_eq!(url.host_path(), "token.actions.example.com/org");
        assert_eq!(url.issuer(), "https://token.actions.example.com/org");
        assert_eq!(
            url.arn("123456789012"),
            "arn:aws:iam::123456789012:oidc-provider/token.actions.example.com/org"
        );
        // Kept as given: a trailing slash or another case names another provider.
        let slash = ProviderUrl::parse("https://Auth.example.com/", false).unwrap();
        assert_eq!(slash.host_path(), "Auth.example.com/");
        assert_eq!(slash.issuer(), "https://Auth.example.com/");
        for bad in [
            "https://example.com:8443",
            "https://exa mple.com",
            "https://example.com/a?b=c",
            "https://example.com/#x",
            "https://user@example.com",
        ] {
            let error = ProviderUrl::parse(bad, true).unwrap_err();
            assert_eq!(
                error.message, "Invalid Open ID Connect Provider URL.",
                "{bad}"
            );
            assert_eq!(error.code.as_deref(), Some("InvalidInput"), "{bad}");
        }
        for bad in ["example.com", "https://", "ftp://example.com"] {
            let error = ProviderUrl::parse(bad, true).unwrap_err();
            assert_eq!(error.message, INVALID_URL, "{bad}");
            assert_eq!(error.code, None, "{bad}");
        }
        assert!(ProviderUrl::parse("http://example.com", true)
            .unwrap_err()
            .message
            .ends_with("The URL must begin with https://."));
        assert!(ProviderUrl::parse("", false)
            .unwrap_err()
            .message
            .contains("greater than"));
        let long = format!("https://{}.com", "a".repeat(250));
        assert!(ProviderUrl::parse(&long, false)
            .unwrap_err()
            .message
            .contains("255"));
    }

    #[test]
    fn plain_http_only_on_loopback_and_only_when_allowed() {
        assert!(ProviderUrl::parse("http://127.0.0.1:8080", false).is_err());
        let url = ProviderUrl::parse("http://127.0.0.1:8080/realm", true).unwrap();
        assert_eq!(url.host_path(), "127.0.0.1:8080/realm");
        assert_eq!(url.issuer(), "http://127.0.0.1:8080/realm");
        assert!(!url.is_https());
        assert!(ProviderUrl::parse("http://localhost:9", true).is_ok());
        assert!(ProviderUrl::parse("http://10.0.0.1:8080", true).is_err());
        assert!(ProviderUrl::parse("http://127.0.0.1:0", true).is_err());
        assert!(ProviderUrl::parse("http://127.0.0.1:x", true).is_err());
    }

    #[test]
    fn provider_arns_parse() {
        assert_eq!(
            parse_provider_arn("arn:aws:iam::123456789012:oidc-provider/a.example/b"),
            Some(("123456789012", "a.example/b"))
        );
        assert_eq!(parse_provider_arn("arn:aws:iam::123:oidc-provider/x"), None);
        assert_eq!(parse_provider_arn("arn:aws:iam::123456789012:role/x"), None);
    }

    #[test]
    fn client_ids_and_thumbprints() {
        let ids = check_client_ids(&["a".into(), "b".into(), "a".into()]).unwrap();
        assert_eq!(ids, vec!["a", "b"]);
        assert!(check_client_ids(&["".into()]).is_err());
        assert!(check_client_ids(&["x".repeat(256)]).is_err());
        let many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
        assert_eq!(
            check_client_ids(&many).unwrap_err().code.as_deref(),
            Some("LimitExceeded")
        );
        let print = "9E99A48A9960B14926BB7F3B02E22DA2B0AB7280".to_string();
        assert_eq!(
            check_thumbprints(std::slice::from_ref(&print)).unwrap(),
            vec![print.to_ascii_lowercase()]
        );
        assert!(check_thumbprints(&["abc".into()]).is_err());
        assert!(check_thumbprints(&["g".repeat(40)]).is_err());
        assert!(check_thumbprints(&vec![print; 6]).is_err());
    }
}
