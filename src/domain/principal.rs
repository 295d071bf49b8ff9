//! Who is acting: the signed-in principal, its ARN and how the console names it.

use serde::{Deserialize, Serialize};

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
}

impl Principal {
    pub fn root(account_id: AccountId) -> Self {
        Self {
            account_id,
            kind: PrincipalKind::Root,
        }
    }

    pub fn arn(&self) -> String {
        match self.kind {
            PrincipalKind::Root => self.account_id.root_arn(),
        }
    }

    pub fn is_root(&self) -> bool {
        matches!(self.kind, PrincipalKind::Root)
    }

    /// How the top bar names the principal.
    pub fn display_name(&self) -> String {
        match self.kind {
            PrincipalKind::Root => "Root user".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_arn() {
        let id = AccountId::parse("id", "123456789012").unwrap();
        assert_eq!(Principal::root(id).arn(), "arn:aws:iam::123456789012:root");
    }
}
