//! Console addresses of policies and of the entities they are attached to.

use leptos_router::location::Url;

/// The detail page of a policy. The ARN travels in the query string, percent-encoded: paths and
/// names may hold `/`, `+` and `=`.
pub fn policy_href(arn: &str) -> String {
    format!("/policies/details?arn={}", Url::escape(arn))
}

#[cfg(test)]
mod tests {
    #[test]
    fn policy_arns_survive_the_query_string() {
        assert_eq!(
            super::policy_href("arn:aws:iam::123456789012:policy/team/a+b=c"),
            "/policies/details?arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fteam%2Fa%2Bb%3Dc"
        );
    }
}
