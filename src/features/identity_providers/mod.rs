//! `/identity-providers`: the OpenID Connect and SAML 2.0 providers the account trusts — the
//! lists with the forms that add one, and each provider's page (OIDC: audiences, thumbprints,
//! tags, console sign-in; SAML: certificates, metadata; both: delete).

pub mod api;
pub mod console_signin_panel;
pub mod detail_page;
pub mod list_page;
pub mod metadata_input;
pub mod saml_api;
pub mod saml_detail_page;
pub mod saml_panel;

/// The page of the provider `arn`.
pub fn provider_href(arn: &str) -> String {
    let encoded: String = arn
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("/identity-providers/details?arn={encoded}")
}

/// The page of the SAML provider `arn`.
pub fn saml_href(arn: &str) -> String {
    provider_href(arn).replacen("/details?", "/saml?", 1)
}

/// One entry per line or comma, blanks dropped: how the forms take lists.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(['\n', ','])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_pages_carry_the_arn_encoded() {
        assert_eq!(
            provider_href("arn:aws:iam::123456789012:oidc-provider/a.example.com/x"),
            "/identity-providers/details?arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Fa.example.com%2Fx"
        );
    }

    #[test]
    fn lists_split_on_lines_and_commas() {
        assert_eq!(split_list(" a, b\n\nc ,"), vec!["a", "b", "c"]);
        assert!(split_list("  ").is_empty());
    }
}
