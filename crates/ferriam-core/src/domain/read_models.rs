//! What the service layer returns for the console to display: plain data, shared with wasm.

use serde::{Deserialize, Serialize};

use super::{AccountAlias, AccountId, Principal};

/// The dashboard's view of an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub account_id: AccountId,
    pub alias: Option<AccountAlias>,
    pub root_mfa_enabled: bool,
}

impl AccountOverview {
    /// The IAM users' sign-in path: the alias when there is one, else the account ID.
    pub fn sign_in_path(&self) -> String {
        match &self.alias {
            Some(alias) => format!("/signin/{alias}"),
            None => format!("/signin/{}", self.account_id),
        }
    }
}

/// The signed-in principal as the top bar shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInPrincipal {
    pub principal: Principal,
    pub arn: String,
    pub display_name: String,
    pub account_alias: Option<AccountAlias>,
}

/// The state of the root user's virtual MFA device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaDeviceStatus {
    pub serial_number: String,
    /// Unix milliseconds; `None` while assigned but not yet enabled.
    pub enabled_at: Option<i64>,
}

/// A freshly assigned virtual MFA device: the seed is shown once, for the authenticator app.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualMfaSetup {
    pub serial_number: String,
    pub base32_seed: String,
    /// The otpauth:// URI as a QR code, PNG, base64.
    pub qr_png_base64: String,
}

/// SECURITY: `{:?}` shows no secret, so none can reach a log by accident.
impl std::fmt::Debug for VirtualMfaSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtualMfaSetup")
            .field("serial_number", &self.serial_number)
            .field("base32_seed", &"<redacted>")
            .field("qr_png_base64", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_path_prefers_the_alias() {
        let id = AccountId::parse("id", "123456789012").unwrap();
        let mut overview = AccountOverview {
            account_id: id,
            alias: None,
            root_mfa_enabled: false,
        };
        assert_eq!(overview.sign_in_path(), "/signin/123456789012");
        overview.alias = Some(AccountAlias::parse("alias", "acme").unwrap());
        assert_eq!(overview.sign_in_path(), "/signin/acme");
    }
}
