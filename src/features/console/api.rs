//! Server functions every console page shares.

use crate::console_protocol::FormArguments;
use leptos::prelude::*;

use crate::api_error::ApiError;

/// One permission question: may the signed-in principal perform `action` (an operation of the
/// catalog, e.g. `iam:ListUsers`) on `resource`?
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
    use crate::catalog::Op;
    let pairs = checks
        .into_iter()
        .map(|c| match Op::by_action(&c.action) {
            Some(op) => Ok((op, c.resource)),
            None => Err(ApiError::new(
                "ValidationError",
                format!("{} is not an operation of this console.", c.action),
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    service::authorization::permissions::check_actions(&iam, &caller, &pairs)
        .await
        .map_err(console::fail)
}
