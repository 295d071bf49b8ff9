//! IAM's OpenID Connect provider registry: `Create…`, `Get…`, `List…`, `Delete…`,
//! `UpdateOpenIDConnectProviderThumbprint`, `Add/RemoveClientIDTo/FromOpenIDConnectProvider` and
//! the provider's tags, with AWS's rules (100 providers per account, 100 client IDs, 5
//! thumbprints, 50 tags). Each authorizes on the provider's ARN before it looks the provider
//! up, so a caller without permission learns nothing of which providers exist.

use crate::catalog::Op;
use crate::domain::oidc_provider::{
    check_client_id, check_client_ids, check_provider_arn_length, check_thumbprints,
    parse_provider_arn, provider_arn, ProviderUrl, MAX_CLIENT_IDS,
};
use crate::domain::tags::{check_tag_keys, check_tags, Tag};
use crate::domain::Invalid;
use crate::server::store::console_signins::{self, ConsoleSigninRow};
use crate::server::store::oidc_providers::{self, to_json, OidcProviderRow};
use crate::server::store::tags::{self, Tagged};

use crate::server::service::authorization::RequestContext;
use crate::server::service::entities::tagging::add_tags;
use crate::server::service::{Caller, Iam, Operation, ServiceError};

/// AWS's quota of OIDC providers per account.
pub const MAX_PROVIDERS: i64 = 100;

/// One registered provider, as GetOpenIDConnectProvider reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcProvider {
    pub arn: String,
    /// The URL without its scheme.
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    pub create_date: i64,
    pub tags: Vec<Tag>,
    /// Console single sign-on through it, when set up (Ferriam's own; not on the wire).
    pub console_signin: Option<ConsoleSignin>,
}

#[derive(Clone, Debug, Default)]
pub struct CreateOidcProvider {
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    pub tags: Vec<Tag>,
}

fn not_found(arn: &str) -> ServiceError {
    ServiceError::NoSuchEntity(format!("OpenIDConnect Provider not found for arn {arn}"))
}

/// The provider `arn` names in the caller's account (the caller was authorized on the ARN).
pub(super) async fn find<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    caller: &Caller,
    arn: &str,
) -> Result<OidcProviderRow, ServiceError> {
    let (account, host_path) = parse_provider_arn(arn).ok_or_else(|| not_found(arn))?;
    if account != caller.account_id().as_str() {
        return Err(not_found(arn));
    }
    oidc_providers::find(db, account, host_path)
        .await?
        .ok_or_else(|| not_found(arn))
}

fn check_arn(arn: &str) -> Result<(), ServiceError> {
    check_provider_arn_length(arn)?;
    Ok(())
}

pub async fn create(
    iam: &Iam,
    caller: &Caller,
    input: CreateOidcProvider,
) -> Result<String, ServiceError> {
    Operation::run(iam, caller, Op::CreateOpenIDConnectProvider, |op| {
        Box::pin(async move {
            let allow_http = iam.settings().idp_fetch.allow_loopback_http;
            let url = ProviderUrl::parse(&input.url, allow_http)?;
            let arn = url.arn(caller.account_id());
            op.target(&arn);
            let client_ids = check_client_ids(&input.client_ids)?;
            let thumbprints = check_thumbprints(&input.thumbprints)?;
            check_tags("Tags", &input.tags)?;
            let authorized = op
                .authorize_with(&arn, &RequestContext::with_request_tags(&input.tags))
                .await?;
            let account = caller.account_id().as_str();
            let mut tx = op.begin().await?;
            if oidc_providers::find(&mut *tx, account, url.host_path())
                .await?
                .is_some()
            {
                return Err(ServiceError::already_exists(
                    "Url",
                    format!("Provider with url {} already exists.", input.url),
                ));
            }
            if oidc_providers::count(&mut *tx, account).await? >= MAX_PROVIDERS {
                return Err(ServiceError::LimitExceeded(format!(
                    "Cannot exceed quota for OpenIDConnectProvidersPerAccount: {MAX_PROVIDERS}"
                )));
            }
            oidc_providers::insert(
                &mut *tx,
                &OidcProviderRow {
                    account_id: account.to_string(),
                    host_path: url.host_path().to_string(),
                    scheme: if url.is_https() { "https" } else { "http" }.to_string(),
                    client_ids: to_json(&client_ids),
                    thumbprints: to_json(&thumbprints),
                    created_at: iam.clock().now_millis(),
                },
            )
            .await?;
            add_tags(&mut tx, Tagged::OidcProvider, &arn, &input.tags).await?;
            op.commit(tx, &authorized).await?;
            Ok(arn)
        })
    })
    .await
}

pub async fn get(iam: &Iam, caller: &Caller, arn: &str) -> Result<OidcProvider, ServiceError> {
    Operation::run(iam, caller, Op::GetOpenIDConnectProvider, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            op.authorize(arn).await?;
            let db = iam.store().reader();
            let row = find(db, caller, arn).await?;
            let tags = tags::for_entity(db, Tagged::OidcProvider, arn).await?;
            let console_signin = console_signins::find(db, &row.account_id, &row.host_path)
                .await?
                .as_ref()
                .map(ConsoleSignin::from);
            Ok(OidcProvider {
                arn: arn.to_string(),
                url: row.host_path.clone(),
                client_ids: row.client_id_list()?,
                thumbprints: row.thumbprint_list()?,
                create_date: row.created_at,
                tags,
                console_signin,
            })
        })
    })
    .await
}

/// The ARNs of the account's providers (AWS's quota keeps the list short: it is not paged).
pub async fn list(iam: &Iam, caller: &Caller) -> Result<Vec<String>, ServiceError> {
    Operation::run(iam, caller, Op::ListOpenIDConnectProviders, |op| {
        Box::pin(async move {
            op.authorize("*").await?;
            let account = caller.account_id();
            let rows = oidc_providers::list(iam.store().reader(), account.as_str()).await?;
            Ok(rows
                .iter()
                .map(|row| provider_arn(account, &row.host_path))
                .collect())
        })
    })
    .await
}

/// The account's providers with their details, for the console's pages: `List…` and a `Get…`
/// of each (so each is authorized as the API would authorize it).
pub async fn list_details(iam: &Iam, caller: &Caller) -> Result<Vec<OidcProvider>, ServiceError> {
    let mut providers = Vec::new();
    for arn in list(iam, caller).await? {
        providers.push(get(iam, caller, &arn).await?);
    }
    Ok(providers)
}

pub async fn delete(iam: &Iam, caller: &Caller, arn: &str) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeleteOpenIDConnectProvider, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            let authorized = op.authorize(arn).await?;
            let mut tx = op.begin().await?;
            let row = find(&mut *tx, caller, arn).await?;
            oidc_providers::delete(&mut *tx, &row.account_id, &row.host_path).await?;
            tags::remove_all(&mut *tx, Tagged::OidcProvider, arn).await?;
            op.commit(tx, &authorized).await?;
            iam.identity_keys().forget(&row.issuer());
            Ok(())
        })
    })
    .await
}

/// `UpdateOpenIDConnectProviderThumbprint`: replaces the list (AWS does not merge).
pub async fn update_thumbprints(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    thumbprints: Vec<String>,
) -> Result<(), ServiceError> {
    Operation::run(
        iam,
        caller,
        Op::UpdateOpenIDConnectProviderThumbprint,
        |op| {
            Box::pin(async move {
                check_arn(arn)?;
                if thumbprints.is_empty() {
                    return Err(Invalid::new(
                        "ThumbprintList",
                        "Thumbprint list must contain at least one entry.",
                    )
                    .with_code("InvalidInput")
                    .into());
                }
                let thumbprints = check_thumbprints(&thumbprints)?;
                let authorized = op.authorize(arn).await?;
                let mut tx = op.begin().await?;
                let row = find(&mut *tx, caller, arn).await?;
                oidc_providers::set_thumbprints(
                    &mut *tx,
                    &row.account_id,
                    &row.host_path,
                    &thumbprints,
                )
                .await?;
                op.commit(tx, &authorized).await?;
                // Keys fetched under the old pins are fetched again under the new ones.
                iam.identity_keys().forget(&row.issuer());
                Ok(())
            })
        },
    )
    .await
}

/// `AddClientIDToOpenIDConnectProvider`: adding a listed ID changes nothing.
pub async fn add_client_id(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    client_id: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::AddClientIDToOpenIDConnectProvider, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            check_client_id("clientID", "ClientID", client_id)?;
            let authorized = op.authorize(arn).await?;
            let mut tx = op.begin().await?;
            let row = find(&mut *tx, caller, arn).await?;
            let mut ids = row.client_id_list()?;
            if !ids.iter().any(|id| id == client_id) {
                if ids.len() >= MAX_CLIENT_IDS {
                    return Err(ServiceError::LimitExceeded(format!(
                        "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MAX_CLIENT_IDS}"
                    )));
                }
                ids.push(client_id.to_string());
                oidc_providers::set_client_ids(&mut *tx, &row.account_id, &row.host_path, &ids)
                    .await?;
            }
            op.commit(tx, &authorized).await
        })
    })
    .await
}

/// `RemoveClientIDFromOpenIDConnectProvider`: removing an unlisted ID changes nothing.
pub async fn remove_client_id(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    client_id: &str,
) -> Result<(), ServiceError> {
    Operation::run(
        iam,
        caller,
        Op::RemoveClientIDFromOpenIDConnectProvider,
        |op| {
            Box::pin(async move {
                check_arn(arn)?;
                check_client_id("clientID", "ClientID", client_id)?;
                let authorized = op.authorize(arn).await?;
                let mut tx = op.begin().await?;
                let row = find(&mut *tx, caller, arn).await?;
                let mut ids = row.client_id_list()?;
                ids.retain(|id| id != client_id);
                oidc_providers::set_client_ids(&mut *tx, &row.account_id, &row.host_path, &ids)
                    .await?;
                op.commit(tx, &authorized).await
            })
        },
    )
    .await
}

pub async fn tag(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    new_tags: Vec<Tag>,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::TagOpenIDConnectProvider, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            check_tags("Tags", &new_tags)?;
            let authorized = op
                .authorize_with(arn, &RequestContext::with_request_tags(&new_tags))
                .await?;
            let mut tx = op.begin().await?;
            find(&mut *tx, caller, arn).await?;
            add_tags(&mut tx, Tagged::OidcProvider, arn, &new_tags).await?;
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
    Operation::run(iam, caller, Op::UntagOpenIDConnectProvider, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            check_tag_keys("TagKeys", &keys)?;
            let authorized = op
                .authorize_with(arn, &RequestContext::with_tag_keys(&keys))
                .await?;
            let mut tx = op.begin().await?;
            find(&mut *tx, caller, arn).await?;
            for key in &keys {
                tags::remove(&mut *tx, Tagged::OidcProvider, arn, key).await?;
            }
            op.commit(tx, &authorized).await
        })
    })
    .await
}

pub async fn list_tags(iam: &Iam, caller: &Caller, arn: &str) -> Result<Vec<Tag>, ServiceError> {
    Operation::run(iam, caller, Op::ListOpenIDConnectProviderTags, |op| {
        Box::pin(async move {
            check_arn(arn)?;
            op.authorize(arn).await?;
            let db = iam.store().reader();
            find(db, caller, arn).await?;
            Ok(tags::for_entity(db, Tagged::OidcProvider, arn).await?)
        })
    })
    .await
}

/// A provider's console sign-in, as its page shows it (never the secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleSignin {
    pub label: String,
    pub client_id: String,
    pub name_claim: String,
    pub created_at: i64,
}

impl From<&ConsoleSigninRow> for ConsoleSignin {
    fn from(row: &ConsoleSigninRow) -> Self {
        ConsoleSignin {
            label: row.label.clone(),
            client_id: row.client_id.clone(),
            name_claim: row.name_claim.clone(),
            created_at: row.created_at,
        }
    }
}
