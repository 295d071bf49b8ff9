//! Server functions of the SAML providers' parts of the identity providers pages; each
//! authorizes through the service layer.

#[cfg(feature = "ssr")]
use crate::catalog::Op;
use crate::console_protocol::FormArguments;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::features::entities::denials::Gated;

/// A SAML provider as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamlSummary {
    pub arn: String,
    pub name: String,
    pub valid_until: i64,
    pub created: i64,
}

/// A signing certificate from the provider's metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    pub subject: String,
    pub expires: i64,
    /// Past its expiry now (AWS, and Ferriam, still accept its signatures: shown as a warning).
    pub expired: bool,
}

/// A SAML provider as its page shows it, with what to give the identity provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamlDetail {
    pub arn: String,
    pub name: String,
    pub entity_id: String,
    pub created: i64,
    pub valid_until: i64,
    pub certificates: Vec<CertificateView>,
    /// Ferriam's service-provider metadata, its entity ID and assertion consumer service.
    pub sp_metadata_url: String,
    pub acs_url: String,
}

/// The account's SAML providers (AWS's quota keeps them under 100), with the Add button's
/// answer.
#[server(endpoint = "identity_providers/saml_list", protocol = FormArguments)]
pub async fn list_saml_providers() -> Result<Gated<Vec<SamlSummary>>, ApiError> {
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::federation::saml::providers;
    let (iam, caller) = console::signed_in().await?;
    let entries = providers::list(&iam, &caller)
        .await
        .map_err(console::fail)?
        .into_iter()
        .map(|entry| SamlSummary {
            name: entry.arn.rsplit('/').next().unwrap_or_default().to_string(),
            arn: entry.arn,
            valid_until: entry.valid_until,
            created: entry.create_date,
        })
        .collect();
    let anywhere = format!("arn:aws:iam::{}:saml-provider/*", caller.account_id());
    denials::gate(
        &iam,
        &caller,
        entries,
        vec![(Op::CreateSAMLProvider, anywhere)],
    )
    .await
}

/// Registers a provider from its metadata document, then opens its page.
#[server(endpoint = "identity_providers/saml_create", protocol = FormArguments)]
pub async fn create_saml_provider(name: String, metadata: String) -> Result<(), ApiError> {
    use super::saml_href;
    use crate::server::console;
    use crate::server::service::federation::saml::providers::{self, CreateSamlProvider};
    let (iam, caller) = console::signed_in().await?;
    let input = CreateSamlProvider {
        name: name.trim().to_string(),
        metadata,
        ..Default::default()
    };
    let arn = providers::create(&iam, &caller, input)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect(&saml_href(&arn));
    Ok(())
}

/// The provider's page, with the answers for its buttons.
#[server(endpoint = "identity_providers/saml_get", protocol = FormArguments)]
pub async fn get_saml_provider(arn: String) -> Result<Gated<SamlDetail>, ApiError> {
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::federation::saml::{metadata, providers};
    let (iam, caller) = console::signed_in().await?;
    let provider = providers::get(&iam, &caller, &arn)
        .await
        .map_err(console::fail)?;
    let now = iam.clock().now_millis();
    let (sp_metadata_url, acs_url) = match console::service_origin() {
        Some(origin) => (metadata::entity_id(&origin), metadata::acs_url(&origin)),
        None => (
            metadata::NO_SERVICE_ORIGIN.to_string(),
            metadata::NO_SERVICE_ORIGIN.to_string(),
        ),
    };
    let detail = SamlDetail {
        name: provider
            .arn
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string(),
        arn: provider.arn,
        entity_id: provider.entity_id,
        created: provider.create_date,
        valid_until: provider.valid_until,
        certificates: provider
            .certificates
            .into_iter()
            .map(|c| CertificateView {
                subject: c.subject,
                expires: c.not_after,
                expired: c.not_after <= now,
            })
            .collect(),
        sp_metadata_url,
        acs_url,
    };
    let checks = [Op::UpdateSAMLProvider, Op::DeleteSAMLProvider]
        .into_iter()
        .map(|op| (op, arn.clone()))
        .collect();
    denials::gate(&iam, &caller, detail, checks).await
}

/// Replaces the provider's metadata (its certificates with it), as UpdateSAMLProvider.
#[server(endpoint = "identity_providers/saml_update", protocol = FormArguments)]
pub async fn update_saml_provider(arn: String, metadata: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::federation::saml::providers::{self, UpdateSamlProvider};
    let (iam, caller) = console::signed_in().await?;
    let input = UpdateSamlProvider {
        arn,
        metadata: Some(metadata),
        ..Default::default()
    };
    providers::update(&iam, &caller, input)
        .await
        .map_err(console::fail)?;
    Ok(())
}

/// Deletes the provider; back to the list.
#[server(endpoint = "identity_providers/saml_delete", protocol = FormArguments)]
pub async fn delete_saml_provider(arn: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::federation::saml::providers;
    let (iam, caller) = console::signed_in().await?;
    providers::delete(&iam, &caller, &arn)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect("/identity-providers");
    Ok(())
}
