//! Server functions every console page shares.

use crate::console_protocol::FormArguments;
use leptos::prelude::*;

use crate::api_error::ApiError;

/// One permission question: may the signed-in principal perform `action` on `resource`?
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActionCheck {
    pub action: String,
    pub resource: String,
}

/// For each check, `None` when allowed or AWS's AccessDenied sentence when not. The console
/// disables what the principal may not do and says why; every operation still authorizes
/// itself.
#[server(endpoint = "console/check_permissions", protocol = FormArguments)]
pub async fn check_permissions(checks: Vec<ActionCheck>) -> Result<Vec<Option<String>>, ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    let pairs: Vec<(String, String)> = checks.into_iter().map(|c| (c.action, c.resource)).collect();
    service::permissions::check_actions(&iam, &caller, &pairs)
        .await
        .map_err(console::fail)
}
