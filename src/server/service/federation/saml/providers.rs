//! IAM's SAML provider registry: `CreateSAMLProvider`, `GetSAMLProvider`, `ListSAMLProviders`,
//! `UpdateSAMLProvider`, `DeleteSAMLProvider` and the provider's tags, with AWS's rules (100
//! providers per account, metadata of 1,000–10,000,000 characters that names an identity
//! provider and its signing certificates). Each authorizes on the provider's ARN before it looks
//! the provider up, so a caller without permission learns nothing of which providers exist.

use base64::Engine;

use crate::catalog::Op;
use crate::domain::saml_provider::{
    check_encryption_mode, check_metadata_length, check_name, check_provider_arn_length,
    parse_saml_provider_arn, saml_provider_arn, MAX_PROVIDERS,
};
use crate::domain::tags::{check_tag_keys, check_tags, Tag};
use crate::server::store::saml_providers::{self, SamlProviderRow};
use crate::server::store::tags::{self, Tagged};

use crate::server::service::authorization::RequestContext;
use crate::server::service::entities::tagging::add_tags;
use crate::server::service::{Caller, Iam, Operation, ServiceError};

use super::metadata::{parse_idp_metadata, IdpMetadata, SigningCertificate};

/// A metadata document without `validUntil` is taken as valid this long (AWS reports such
/// providers valid for a century).
const DEFAULT_VALIDITY_MILLIS: i64 = 100 * 365 * 24 * 60 * 60 * 1000;

/// One registered provider, as GetSAMLProvider reports it (and the console shows it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SamlProvider {
    pub arn: String,
    pub uuid: String,
    pub metadata: String,
    pub entity_id: String,
    pub certificates: Vec<SigningCertificate>,
    pub create_date: i64,
    pub valid_until: i64,
    pub tags: Vec<Tag>,
}

/// One entry of ListSAMLProviders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SamlProviderEntry {
    pub arn: String,
    pub create_date: i64,
    pub valid_until: i64,
}

#[derive(Clone, Debug, Default)]
pub struct CreateSamlProvider {
    pub name: String,
    pub metadata: String,
    pub tags: Vec<Tag>,
    pub assertion_encryption_mode: Option<String>,
    /// `AddPrivateKey`: only for encrypted assertions, which Ferriam does not decrypt.
    pub add_private_key: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct UpdateSamlProvider {
    pub arn: String,
    pub metadata: Option<String>,
    pub assertion_encryption_mode: Option<String>,
    pub add_private_key: Option<String>,
    pub remove_private_key: Option<String>,
}

fn not_found(arn: &str) -> ServiceError {
    ServiceError::NoSuchEntity(format!("Manifest not found for arn {arn}"))
}

/// Private keys decrypt encrypted assertions; Ferriam accepts only signed, unencrypted ones.
fn refuse_private_keys(add: Option<&str>, remove: Option<&str>) -> Result<(), ServiceError> {
    for (field, given) in [("AddPrivateKey", add), ("RemovePrivateKey", remove)] {
        if given.is_some() {
            return Err(crate::domain::Invalid::new(
                field,
                format!("{field} is not supported: Ferriam accepts signed, unencrypted assertions (AssertionEncryptionMode Allowed)."),
            )
            .with_code("InvalidInput")
            .into());
        }
    }
    Ok(())
}

/// The metadata read for storing: its entity ID, certificates (JSON of base64 DER) and expiry.
fn read_metadata(iam: &Iam, document: &str) -> Result<(IdpMetadata, String, i64), ServiceError> {
    check_metadata_length(document)?;
    let now = iam.clock().now_millis();
    let metadata = parse_idp_metadata(document, now)?;
    let certificates = serde_json::Value::from(
        metadata
            .certificates
            .iter()
            .map(|c| base64::engine::general_purpose::STANDARD.encode(&c.der))
            .collect::<Vec<_>>(),
    )
    .to_string();
    let valid_until = metadata
        .valid_until
        .unwrap_or(now + DEFAULT_VALIDITY_MILLIS);
    Ok((metadata, certificates, valid_until))
}

/// The provider `arn` names in the caller's account (the caller was authorized on the ARN).
async fn find<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    caller: &Caller,
    arn: &str,
) -> Result<SamlProviderRow, ServiceError> {
    let (account, name) = parse_saml_provider_arn(arn).ok_or_else(|| not_found(arn))?;
    if account != caller.account_id().as_str() {
        return Err(not_found(arn));
    }
    saml_providers::find(db, account, name)
        .await?
        .ok_or_else(|| not_found(arn))
}

pub async fn create(
    iam: &Iam,
    caller: &Caller,
    input: CreateSamlProvider,
) -> Result<String, ServiceError> {
    Operation::run(iam, caller, Op::CreateSAMLProvider, |op| {
        Box::pin(async move {
            check_name(&input.name)?;
            let arn = saml_provider_arn(caller.account_id(), &input.name);
            op.target(&arn);
            check_encryption_mode(input.assertion_encryption_mode.as_deref())?;
            refuse_private_keys(input.add_private_key.as_deref(), None)?;
            check_tags("Tags", &input.tags)?;
            let authorized = op
                .authorize_with(&arn, &RequestContext::with_request_tags(&input.tags))
                .await?;
            let (metadata, certificates, valid_until) = read_metadata(iam, &input.metadata)?;
            let account = caller.account_id().as_str();
            let mut tx = op.begin().await?;
            if saml_providers::find(&mut *tx, account, &input.name)
                .await?
                .is_some()
            {
                return Err(ServiceError::already_exists(
                    "Name",
                    format!("SAMLProvider {} already exists.", input.name),
                ));
            }
            if saml_providers::count(&mut *tx, account).await? >= MAX_PROVIDERS {
                return Err(ServiceError::LimitExceeded(format!(
                    "Cannot exceed quota for SamlProvidersPerAccount: {MAX_PROVIDERS}"
                )));
            }
            saml_providers::insert(
                &mut *tx,
                &SamlProviderRow {
                    account_id: account.to_string(),
                    name: input.name.clone(),
                    provider_uuid: uuid::Uuid::new_v4().to_string(),
                    metadata: input.metadata.clone(),
                    entity_id: metadata.entity_id,
                    signing_certificates: certificates,
                    valid_until,
                    created_at: iam.clock().now_millis(),
                },
            )
            .await?;
            add_tags(&mut tx, Tagged::SamlProvider, &arn, &input.tags).await?;
            op.commit(tx, &authorized).await?;
            Ok(arn)
        })
    })
    .await
}

fn check_arn(arn: &str) -> Result<(), ServiceError> {
    check_provider_arn_length(arn)?;
    Ok(())
}

pub async fn get(iam: &Iam, caller: &Caller, arn: &str) -> Result<SamlProvider, ServiceError> {
    Operation::run(iam, caller, Op::GetSAMLProvider, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            op.authorize(arn).await?;
            let db = iam.store().reader();
            let row = find(db, caller, arn).await?;
            let tags = tags::for_entity(db, Tagged::SamlProvider, arn).await?;
            // Stored documents parsed when they were saved; their expiry is not a reason to
            // hide them now.
            let certificates = parse_idp_metadata(&row.metadata, i64::MIN)
                .map(|m| m.certificates)
                .map_err(|e| ServiceError::internal(format!("stored SAML metadata: {e}")))?;
            Ok(SamlProvider {
                arn: arn.to_string(),
                uuid: row.provider_uuid,
                metadata: row.metadata,
                entity_id: row.entity_id,
                certificates,
                create_date: row.created_at,
                valid_until: row.valid_until,
                tags,
            })
        })
    })
    .await
}

/// The account's providers (AWS's quota keeps the list short: it is not paged).
pub async fn list(iam: &Iam, caller: &Caller) -> Result<Vec<SamlProviderEntry>, ServiceError> {
    Operation::run(iam, caller, Op::ListSAMLProviders, |op| {
        Box::pin(async move {
            op.authorize("*").await?;
            let account = caller.account_id();
            let rows = saml_providers::list(iam.store().reader(), account.as_str()).await?;
            Ok(rows
                .into_iter()
                .map(|row| SamlProviderEntry {
                    arn: saml_provider_arn(account, &row.name),
                    create_date: row.created_at,
                    valid_until: row.valid_until,
                })
                .collect())
        })
    })
    .await
}

/// `UpdateSAMLProvider`: new metadata replaces the old (its certificates with it).
pub async fn update(
    iam: &Iam,
    caller: &Caller,
    input: UpdateSamlProvider,
) -> Result<String, ServiceError> {
    Operation::run(iam, caller, Op::UpdateSAMLProvider, |op| {
        Box::pin(async move {
            let arn = input.arn.as_str();
            check_arn(arn)?;
            check_encryption_mode(input.assertion_encryption_mode.as_deref())?;
            refuse_private_keys(
                input.add_private_key.as_deref(),
                input.remove_private_key.as_deref(),
            )?;
            let authorized = op.authorize(arn).await?;
            let read = input
                .metadata
                .as_deref()
                .map(|document| read_metadata(iam, document))
                .transpose()?;
            let mut tx = op.begin().await?;
            let mut row = find(&mut *tx, caller, arn).await?;
            if let (Some(document), Some((metadata, certificates, valid_until))) =
                (input.metadata, read)
            {
                row.metadata = document;
                row.entity_id = metadata.entity_id;
                row.signing_certificates = certificates;
                row.valid_until = valid_until;
                saml_providers::set_metadata(&mut *tx, &row).await?;
            }
            op.commit(tx, &authorized).await?;
            Ok(arn.to_string())
        })
    })
    .await
}

pub async fn delete(iam: &Iam, caller: &Caller, arn: &str) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeleteSAMLProvider, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            let authorized = op.authorize(arn).await?;
            let mut tx = op.begin().await?;
            let row = find(&mut *tx, caller, arn).await?;
            saml_providers::delete(&mut *tx, &row.account_id, &row.name).await?;
            tags::remove_all(&mut *tx, Tagged::SamlProvider, arn).await?;
            op.commit(tx, &authorized).await
        })
    })
    .await
}

pub async fn tag(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    new_tags: Vec<Tag>,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::TagSAMLProvider, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            check_tags("Tags", &new_tags)?;
            let authorized = op
                .authorize_with(arn, &RequestContext::with_request_tags(&new_tags))
                .await?;
            let mut tx = op.begin().await?;
            find(&mut *tx, caller, arn).await?;
            add_tags(&mut tx, Tagged::SamlProvider, arn, &new_tags).await?;
            op.commit(tx, &authorized).await
        })
    })
    .await
}

pub async fn untag(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    keys: Vec<String>,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::UntagSAMLProvider, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            check_tag_keys("TagKeys", &keys)?;
            let authorized = op
                .authorize_with(arn, &RequestContext::with_tag_keys(&keys))
                .await?;
            let mut tx = op.begin().await?;
            find(&mut *tx, caller, arn).await?;
            for key in &keys {
                tags::remove(&mut *tx, Tagged::SamlProvider, arn, key).await?;
            }
            op.commit(tx, &authorized).await
        })
    })
    .await
}

pub async fn list_tags(iam: &Iam, caller: &Caller, arn: &str) -> Result<Vec<Tag>, ServiceError> {
    Operation::run(iam, caller, Op::ListSAMLProviderTags, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            op.authorize(arn).await?;
            let db = iam.store().reader();
            find(db, caller, arn).await?;
            Ok(tags::for_entity(db, Tagged::SamlProvider, arn).await?)
        })
    })
    .await
}
