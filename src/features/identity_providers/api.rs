//! Server functions of the identity providers pages; each authorizes through the service layer.

#[cfg(feature = "ssr")]
use crate::catalog::Op;
use crate::console_protocol::FormArguments;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::domain::tags::Tag;
use crate::features::entities::denials::Gated;

/// A provider as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSummary {
    pub arn: String,
    /// The URL without its scheme, as IAM reports it.
    pub url: String,
    pub audiences: Vec<String>,
    pub created: i64,
}

/// A provider as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderDetail {
    pub arn: String,
    pub url: String,
    pub audiences: Vec<String>,
    pub thumbprints: Vec<String>,
    pub created: i64,
    pub tags: Vec<Tag>,
    pub console_signin: Option<ConsoleSigninSetup>,
    /// The redirect URI to register at the provider for console sign-in.
    pub callback_url: String,
}

/// Console single sign-on through the provider, as set up (the secret is never shown).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleSigninSetup {
    pub label: String,
    pub client_id: String,
    pub name_claim: String,
}

/// The account's providers (AWS's quota keeps them under 100), with the Add button's answer.
#[server(endpoint = "identity_providers/list", protocol = FormArguments)]
pub async fn list_identity_providers() -> Result<Gated<Vec<ProviderSummary>>, ApiError> {
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::federation::oidc_providers;
    let (iam, caller) = console::signed_in().await?;
    let providers = oidc_providers::list_details(&iam, &caller)
        .await
        .map_err(console::fail)?
        .into_iter()
        .map(|provider| ProviderSummary {
            arn: provider.arn,
            url: provider.url,
            audiences: provider.client_ids,
            created: provider.create_date,
        })
        .collect();
    let anywhere = format!("arn:aws:iam::{}:oidc-provider/*", caller.account_id());
    let checks = vec![(Op::CreateOpenIDConnectProvider, anywhere)];
    denials::gate(&iam, &caller, providers, checks).await
}

/// Registers a provider (`Url`, audiences and optional thumbprints one per line or comma),
/// then opens its page.
#[server(endpoint = "identity_providers/create", protocol = FormArguments)]
pub async fn create_identity_provider(
    url: String,
    audiences: String,
    thumbprints: String,
) -> Result<(), ApiError> {
    use super::{provider_href, split_list};
    use crate::server::console;
    use crate::server::service::federation::oidc_providers::{self, CreateOidcProvider};
    let (iam, caller) = console::signed_in().await?;
    let input = CreateOidcProvider {
        url: url.trim().to_string(),
        client_ids: split_list(&audiences),
        thumbprints: split_list(&thumbprints),
        tags: Vec::new(),
    };
    let arn = oidc_providers::create(&iam, &caller, input)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect(&provider_href(&arn));
    Ok(())
}

/// The provider's page, with the answers for its buttons.
#[server(endpoint = "identity_providers/get", protocol = FormArguments)]
pub async fn get_identity_provider(arn: String) -> Result<Gated<ProviderDetail>, ApiError> {
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::federation::oidc_providers;
    let (iam, caller) = console::signed_in().await?;
    let provider = oidc_providers::get(&iam, &caller, &arn)
        .await
        .map_err(console::fail)?;
    let checks = [
        Op::DeleteOpenIDConnectProvider,
        Op::AddClientIDToOpenIDConnectProvider,
        Op::RemoveClientIDFromOpenIDConnectProvider,
        Op::UpdateOpenIDConnectProviderThumbprint,
        Op::TagOpenIDConnectProvider,
        Op::UntagOpenIDConnectProvider,
        Op::SetOpenIDConnectProviderConsoleSignIn,
        Op::RemoveOpenIDConnectProviderConsoleSignIn,
    ]
    .into_iter()
    .map(|op| (op, arn.clone()))
    .collect();
    let callback_url = format!(
        "{}{}",
        console::own_origin(&iam).unwrap_or_default(),
        crate::server::service::federation::single_sign_on::callback_path(
            caller.account_id().as_str(),
            &provider.url
        )
    );
    let detail = ProviderDetail {
        arn: provider.arn,
        url: provider.url,
        audiences: provider.client_ids,
        thumbprints: provider.thumbprints,
        created: provider.create_date,
        tags: provider.tags,
        console_signin: provider.console_signin.map(|setup| ConsoleSigninSetup {
            label: setup.label,
            client_id: setup.client_id,
            name_claim: setup.name_claim,
        }),
        callback_url,
    };
    denials::gate(&iam, &caller, detail, checks).await
}

/// Deletes the provider; back to the list.
#[server(endpoint = "identity_providers/delete", protocol = FormArguments)]
pub async fn delete_identity_provider(arn: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::federation::oidc_providers;
    let (iam, caller) = console::signed_in().await?;
    oidc_providers::delete(&iam, &caller, &arn)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect("/identity-providers");
    Ok(())
}

#[server(endpoint = "identity_providers/add_audience", protocol = FormArguments)]
pub async fn add_audience(arn: String, audience: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::federation::oidc_providers;
    let (iam, caller) = console::signed_in().await?;
    oidc_providers::add_client_id(&iam, &caller, &arn, audience.trim())
        .await
        .map_err(console::fail)
}

#[server(endpoint = "identity_providers/remove_audience", protocol = FormArguments)]
pub async fn remove_audience(arn: String, audience: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::federation::oidc_providers;
    let (iam, caller) = console::signed_in().await?;
    oidc_providers::remove_client_id(&iam, &caller, &arn, &audience)
        .await
        .map_err(console::fail)
}

/// Replaces the thumbprints (one per line or comma), as UpdateOpenIDConnectProviderThumbprint.
#[server(endpoint = "identity_providers/set_thumbprints", protocol = FormArguments)]
pub async fn set_thumbprints(arn: String, thumbprints: String) -> Result<(), ApiError> {
    use super::split_list;
    use crate::server::console;
    use crate::server::service::federation::oidc_providers;
    let (iam, caller) = console::signed_in().await?;
    oidc_providers::update_thumbprints(&iam, &caller, &arn, split_list(&thumbprints))
        .await
        .map_err(console::fail)
}

#[server(endpoint = "identity_providers/tag", protocol = FormArguments)]
pub async fn tag_identity_provider(
    arn: String,
    key: String,
    value: String,
) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::federation::oidc_providers;
    let (iam, caller) = console::signed_in().await?;
    oidc_providers::tag(&iam, &caller, &arn, vec![Tag { key, value }])
        .await
        .map_err(console::fail)
}

#[server(endpoint = "identity_providers/untag", protocol = FormArguments)]
pub async fn untag_identity_provider(arn: String, key: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::federation::oidc_providers;
    let (iam, caller) = console::signed_in().await?;
    oidc_providers::untag(&iam, &caller, &arn, vec![key])
        .await
        .map_err(console::fail)
}

/// Sets up (or changes) console sign-in through the provider; an empty secret keeps the one
/// stored.
#[server(endpoint = "identity_providers/set_console_signin", protocol = FormArguments)]
pub async fn set_console_signin(
    arn: String,
    label: String,
    client_id: String,
    client_secret: String,
    name_claim: String,
) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::federation::console_signin::{self, SetConsoleSignin};
    let (iam, caller) = console::signed_in().await?;
    let input = SetConsoleSignin {
        label: label.trim().to_string(),
        client_id: client_id.trim().to_string(),
        client_secret: Some(client_secret).filter(|secret| !secret.is_empty()),
        name_claim: name_claim.trim().to_string(),
    };
    console_signin::set(&iam, &caller, &arn, input)
        .await
        .map_err(console::fail)
}

#[server(endpoint = "identity_providers/remove_console_signin", protocol = FormArguments)]
pub async fn remove_console_signin(arn: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::federation::console_signin;
    let (iam, caller) = console::signed_in().await?;
    console_signin::remove(&iam, &caller, &arn)
        .await
        .map_err(console::fail)
}
