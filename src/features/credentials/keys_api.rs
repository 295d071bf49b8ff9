//! Server functions for access keys. `user_name: None` means the signed-in principal's own
//! keys (an IAM user's, or the root user's). Each goes through the service layer, which
//! authorizes; only `create_access_key` ever returns a secret.

#[cfg(feature = "ssr")]
use crate::catalog::Op;
use crate::console_protocol::FormArguments;
use leptos::prelude::*;

use super::model::{AccessKeyView, CreatedAccessKey};
use crate::api_error::ApiError;
use crate::features::entities::denials::Gated;

/// The owner's keys with their last use, and which key actions the caller may take.
#[server(endpoint = "credentials/list_access_keys", protocol = FormArguments)]
pub async fn list_access_keys(
    user_name: Option<String>,
) -> Result<Gated<Vec<AccessKeyView>>, ApiError> {
    use super::model::LastUse;
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::credentials::access_keys;
    let (iam, caller) = console::signed_in().await?;
    let overview = access_keys::access_key_overview(&iam, &caller, user_name.as_deref())
        .await
        .map_err(console::fail)?;
    let views = overview
        .keys
        .into_iter()
        .map(|item| AccessKeyView {
            access_key_id: item.key.access_key_id,
            status: item.key.status,
            create_date: item.key.create_date,
            age_days: item.age_days,
            // A caller who may list keys but not ask about their use sees "N/A".
            last_used: item.last_used.and_then(|used| {
                used.last_used_date.map(|date| LastUse {
                    date,
                    service: used.service_name,
                    region: used.region,
                })
            }),
        })
        .collect();
    let arn = overview.owner_arn;
    let checks = [
        Op::CreateAccessKey,
        Op::UpdateAccessKey,
        Op::DeleteAccessKey,
    ]
    .into_iter()
    .map(|op| (op, arn.clone()))
    .collect();
    let denials = denials::ask(&iam, &caller, checks).await?;
    Ok(Gated {
        value: views,
        denials,
    })
}

/// SECURITY: the one answer that carries the secret; it is never stored in plain text and no
/// other server function returns it.
#[server(endpoint = "credentials/create_access_key", protocol = FormArguments)]
pub async fn create_access_key(user_name: Option<String>) -> Result<CreatedAccessKey, ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    let key =
        service::credentials::access_keys::create_access_key(&iam, &caller, user_name.as_deref())
            .await
            .map_err(console::fail)?;
    Ok(CreatedAccessKey {
        access_key_id: key.access_key_id,
        secret_access_key: key.secret_access_key,
    })
}

/// Activates (`Active`) or deactivates (`Inactive`) a key.
#[server(endpoint = "credentials/update_access_key", protocol = FormArguments)]
pub async fn update_access_key(
    user_name: Option<String>,
    access_key_id: String,
    status: String,
) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::access_keys::update_access_key(
        &iam,
        &caller,
        user_name.as_deref(),
        &access_key_id,
        &status,
    )
    .await
    .map_err(console::fail)
}

#[server(endpoint = "credentials/delete_access_key", protocol = FormArguments)]
pub async fn delete_access_key(
    user_name: Option<String>,
    access_key_id: String,
) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::access_keys::delete_access_key(
        &iam,
        &caller,
        user_name.as_deref(),
        &access_key_id,
    )
    .await
    .map_err(console::fail)
}
