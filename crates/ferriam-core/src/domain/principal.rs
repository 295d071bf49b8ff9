//! Who is acting: the signed-in principal, its ARN and how the console names it.

use serde::{Deserialize, Serialize};

use super::arn::user_arn;
use super::AccountId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub account_id: AccountId,
    pub kind: PrincipalKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrincipalKind {
    /// The account's root user: may do everything in its account.
    Root,
    /// An IAM user: may do what its policies allow.
    User {
        user_id: String,
        user_name: String,
        path: String,
    },
    /// A session of a role, from `sts:AssumeRole`: may do what the role's policies (and the
    /// session policy) allow.
    AssumedRole {
        role_id: String,
        role_name: String,
        role_path: String,
        session_name: String,
    },
    /// A federated user (`sts:GetFederationToken`): may do what both the user (or root) who
    /// federated and the session policies allow — nothing without a session policy.
    FederatedUser {
        name: String,
        /// The IAM user who federated; `None` for the root user.
        user_id: Option<String>,
    },
    /// Someone an identity provider vouches for, asking STS for a role's credentials
    /// (`AssumeRoleWithWebIdentity`, `AssumeRoleWithSAML`): acts only as the caller of that
    /// request.
    WebIdentity {
        /// `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH` or `…:saml-provider/NAME`.
        provider_arn: String,
        /// OIDC: `HOST/PATH`, the provider's URL without its scheme. SAML: the `NameQualifier`.
        provider: String,
        /// The token's `sub`, or the assertion's `NameID`.
        subject: String,
    },
}

impl Principal {
    pub fn root(account_id: AccountId) -> Self {
        Self {
            account_id,
            kind: PrincipalKind::Root,
        }
    }

    pub fn user(account_id: AccountId, user_id: &str, user_name: &str, path: &str) -> Self {
        Self {
            account_id,
            kind: PrincipalKind::User {
                user_id: user_id.to_string(),
                user_name: user_name.to_string(),
                path: path.to_string(),
            },
        }
    }

    pub fn arn(&self) -> String {
        match &self.kind {
            PrincipalKind::Root => self.account_id.root_arn(),
            PrincipalKind::User {
                user_name, path, ..
            } => user_arn(&self.account_id, path, user_name),
            // AWS leaves the role's path out of the session ARN.
            PrincipalKind::AssumedRole {
                role_name,
                session_name,
                ..
            } => format!(
                "arn:aws:sts::{}:assumed-role/{role_name}/{session_name}",
                self.account_id
            ),
            PrincipalKind::FederatedUser { name, .. } => {
                format!("arn:aws:sts::{}:federated-user/{name}", self.account_id)
            }
            // A web identity has no ARN of its own; it is known by its provider.
            PrincipalKind::WebIdentity { provider_arn, .. } => provider_arn.clone(),
        }
    }

    /// AWS's unique ID of the caller (`aws:userid`): the account ID for root, the user ID, or
    /// `role-id:session-name`.
    pub fn user_id(&self) -> String {
        match &self.kind {
            PrincipalKind::Root => self.account_id.to_string(),
            PrincipalKind::User { user_id, .. } => user_id.clone(),
            PrincipalKind::AssumedRole {
                role_id,
                session_name,
                ..
            } => format!("{role_id}:{session_name}"),
            PrincipalKind::FederatedUser { name, .. } => format!("{}:{name}", self.account_id),
            // CloudTrail's principalId for a web identity user.
            PrincipalKind::WebIdentity {
                provider, subject, ..
            } => format!("{provider}:{subject}"),
        }
    }

    /// The role ARN behind an assumed-role session (`aws:PrincipalArn` for sessions).
    pub fn role_arn(&self) -> Option<String> {
        match &self.kind {
            PrincipalKind::AssumedRole {
                role_name,
                role_path,
                ..
            } => Some(super::arn::role_arn(&self.account_id, role_path, role_name)),
            _ => None,
        }
    }

    pub fn is_root(&self) -> bool {
        matches!(self.kind, PrincipalKind::Root)
    }

    /// How the top bar names the principal.
    pub fn display_name(&self) -> String {
        match &self.kind {
            PrincipalKind::Root => "Root user".to_string(),
            PrincipalKind::User { user_name, .. } => user_name.clone(),
            PrincipalKind::AssumedRole {
                role_name,
                session_name,
                ..
            } => format!("{role_name}/{session_name}"),
            PrincipalKind::WebIdentity { subject, .. } => subject.clone(),
            PrincipalKind::FederatedUser { name, .. } => format!("Federated user {name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns() {
        let id = AccountId::parse("id", "123456789012").unwrap();
        assert_eq!(
            Principal::root(id.clone()).arn(),
            "arn:aws:iam::123456789012:root"
        );
        let alice = Principal::user(id, "AIDAEXAMPLE", "alice", "/eng/");
        assert_eq!(alice.arn(), "arn:aws:iam::123456789012:user/eng/alice");
        assert_eq!(alice.display_name(), "alice");
        assert!(!alice.is_root());
    }
}
