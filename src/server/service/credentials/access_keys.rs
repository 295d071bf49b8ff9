//! Access keys of IAM users and of the root user: created from the CSPRNG with the secret
//! returned exactly once (then only ever sealed under the master key), listed, activated or
//! deactivated, deleted, and their last use — at most two per principal, as AWS allows.

use crate::catalog::Op;
use serde::{Deserialize, Serialize};

use crate::domain::arn::user_arn;
use crate::domain::Invalid;
use crate::server::store::access_keys::{self, AccessKeyRow};
use crate::server::store::{Tx, ROOT_OWNER};

use crate::server::service::authorization::{authorize, RequestContext};
use crate::server::service::credentials::credential_owner::{authorized_owner, CredentialOwner};
use crate::server::service::ids::new_access_key;
use crate::server::service::{Caller, Iam, Operation, ServiceError};

pub const KEYS_PER_PRINCIPAL: i64 = 2;

/// A new key with its secret: returned by create, never again.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccessKey {
    pub access_key_id: String,
    pub secret_access_key: String,
    /// `None` for the root user's keys.
    pub user_name: Option<String>,
    pub status: String,
    pub create_date: i64,
}

/// SECURITY: `{:?}` shows no secret, so none can reach a log by accident.
impl std::fmt::Debug for NewAccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccessKey")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("user_name", &self.user_name)
            .field("status", &self.status)
            .field("create_date", &self.create_date)
            .finish()
    }
}

/// A key without its secret, as `ListAccessKeys` reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyMetadata {
    pub access_key_id: String,
    pub user_name: Option<String>,
    pub status: String,
    pub create_date: i64,
}

/// `GetAccessKeyLastUsed`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyLastUsed {
    pub user_name: Option<String>,
    pub last_used_date: Option<i64>,
    pub service_name: Option<String>,
    pub region: Option<String>,
}

/// The authenticated context under which a key's secret is sealed.
pub fn secret_context(access_key_id: &str) -> String {
    format!("access-key:{access_key_id}")
}

pub async fn create_access_key(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<NewAccessKey, ServiceError> {
    Operation::run(iam, caller, Op::CreateAccessKey, |op| {
        Box::pin(async move {
            let owner = authorized_owner(op, iam, caller, user_name).await?;
            let (id, secret) = new_access_key("AKIA");
            let mut tx = op.begin().await?;
            let key = insert_key(iam, &mut tx, caller, &owner, &id, &secret).await?;
            op.commit(tx, &owner).await?;
            Ok(key)
        })
    })
    .await
}

async fn insert_key(
    iam: &Iam,
    tx: &mut Tx,
    caller: &Caller,
    owner: &CredentialOwner,
    id: &str,
    secret: &str,
) -> Result<NewAccessKey, ServiceError> {
    let account_id = caller.account_id().as_str();
    // INVARIANT: counted inside the write transaction (one writer), so two concurrent creates
    // at the limit cannot both succeed.
    if access_keys::count_for_owner(&mut **tx, account_id, &owner.owner).await?
        >= KEYS_PER_PRINCIPAL
    {
        return Err(ServiceError::LimitExceeded(format!(
            "Cannot exceed quota for AccessKeysPerUser: {KEYS_PER_PRINCIPAL}"
        )));
    }
    let now = iam.clock().now_millis();
    access_keys::insert(
        &mut **tx,
        &AccessKeyRow {
            access_key_id: id.to_string(),
            account_id: account_id.to_string(),
            owner: owner.owner.clone(),
            sealed_secret: iam.sealer().seal(secret.as_bytes(), &secret_context(id)),
            status: "Active".to_string(),
            created_at: now,
            last_used_at: None,
            last_used_service: None,
            last_used_region: None,
        },
    )
    .await
    .map_err(|error| {
        if error.is_unique_violation() {
            ServiceError::already_exists("AccessKeyId", format!("Access key {id} already exists."))
        } else {
            error.into()
        }
    })?;
    Ok(NewAccessKey {
        access_key_id: id.to_string(),
        secret_access_key: secret.to_string(),
        user_name: owner.user_name.clone(),
        status: "Active".to_string(),
        create_date: now,
    })
}

/// The operator's import of a known key pair (`ferriam access-key create --access-key-id …`),
/// for test fixtures. Not reachable from the console or the API.
pub async fn import_access_key(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
    access_key_id: &str,
    secret_access_key: &str,
) -> Result<NewAccessKey, ServiceError> {
    let id_ok = access_key_id.len() == 20
        && access_key_id.starts_with("AKIA")
        && access_key_id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !id_ok {
        return Err(Invalid::new(
            "AccessKeyId",
            "The access key ID must be AKIA followed by 16 uppercase letters or digits.",
        )
        .into());
    }
    if !(16..=128).contains(&secret_access_key.len())
        || secret_access_key.chars().any(|c| c.is_whitespace())
    {
        return Err(Invalid::new(
            "SecretAccessKey",
            "The secret must be 16 to 128 characters without spaces.",
        )
        .into());
    }
    Operation::run(iam, caller, Op::CreateAccessKey, |op| {
        Box::pin(async move {
            let owner = authorized_owner(op, iam, caller, user_name).await?;
            let mut tx = op.begin().await?;
            let key = insert_key(
                iam,
                &mut tx,
                caller,
                &owner,
                access_key_id,
                secret_access_key,
            )
            .await?;
            op.commit(tx, &owner).await?;
            Ok(key)
        })
    })
    .await
}

pub async fn list_access_keys(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<Vec<AccessKeyMetadata>, ServiceError> {
    Operation::run(iam, caller, Op::ListAccessKeys, |op| {
        Box::pin(async move {
            let (owner, rows) = owner_keys(op, iam, caller, user_name).await?;
            Ok(rows
                .into_iter()
                .map(|row| key_metadata(row, &owner))
                .collect())
        })
    })
    .await
}

/// A key in the console's list: its metadata, its age and (`None` for "N/A") its last use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessKeyOverview {
    pub key: AccessKeyMetadata,
    /// Whole days since creation, by the server's clock.
    pub age_days: i64,
    pub last_used: Option<AccessKeyLastUsed>,
}

/// The console's keys panel: whose keys they are (the ARN its buttons are gated on) and the keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessKeysOverview {
    pub owner_arn: String,
    pub keys: Vec<AccessKeyOverview>,
}

/// The console's list of the owner's keys: `ListAccessKeys`, with each key's last use when
/// the caller may also call `GetAccessKeyLastUsed` on the owner (read from the same rows).
pub async fn access_key_overview(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<AccessKeysOverview, ServiceError> {
    Operation::run(iam, caller, Op::ListAccessKeys, |op| {
        Box::pin(async move {
            let (owner, rows) = owner_keys(op, iam, caller, user_name).await?;
            let may_see_use = authorize(
                iam,
                caller,
                Op::GetAccessKeyLastUsed.action(),
                &owner.arn,
                &RequestContext::default(),
            )
            .await
            .is_ok();
            let now = iam.clock().now_millis();
            let keys = rows
                .into_iter()
                .map(|row| AccessKeyOverview {
                    age_days: (now - row.created_at).max(0) / 86_400_000,
                    last_used: may_see_use.then(|| last_used(&row, owner.user_name.clone())),
                    key: key_metadata(row, &owner),
                })
                .collect();
            Ok(AccessKeysOverview {
                owner_arn: owner.arn,
                keys,
            })
        })
    })
    .await
}

/// `ListAccessKeys` on the owner: who it is, once authorized, and its keys.
async fn owner_keys(
    op: &mut Operation<'_>,
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<(CredentialOwner, Vec<AccessKeyRow>), ServiceError> {
    let owner = authorized_owner(op, iam, caller, user_name).await?;
    let rows = access_keys::for_owner(
        iam.store().reader(),
        caller.account_id().as_str(),
        &owner.owner,
    )
    .await?;
    Ok((owner.into_inner(), rows))
}

fn last_used(row: &AccessKeyRow, user_name: Option<String>) -> AccessKeyLastUsed {
    AccessKeyLastUsed {
        user_name,
        last_used_date: row.last_used_at,
        service_name: row.last_used_service.clone(),
        region: row.last_used_region.clone(),
    }
}

fn key_metadata(row: AccessKeyRow, owner: &CredentialOwner) -> AccessKeyMetadata {
    AccessKeyMetadata {
        access_key_id: row.access_key_id,
        user_name: owner.user_name.clone(),
        status: row.status,
        create_date: row.created_at,
    }
}

/// The key, which must belong to `owner`; AWS's message names the key and the user.
async fn owned_key(
    tx: &mut Tx,
    caller: &Caller,
    owner: &CredentialOwner,
    access_key_id: &str,
) -> Result<AccessKeyRow, ServiceError> {
    access_keys::find(&mut **tx, access_key_id)
        .await?
        .filter(|row| row.account_id == caller.account_id().as_str() && row.owner == owner.owner)
        .ok_or_else(|| {
            ServiceError::NoSuchEntity(format!(
                "The Access Key with id {access_key_id} cannot be found."
            ))
        })
}

/// `UpdateAccessKey`: `Active` or `Inactive`.
pub async fn update_access_key(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
    access_key_id: &str,
    status: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::UpdateAccessKey, |op| {
        Box::pin(async move {
            crate::domain::iam_names::check_access_key_id(access_key_id)?;
            if status != "Active" && status != "Inactive" {
                return Err(Invalid::new(
                    "Status",
                    crate::domain::iam_names::constraint_message(
                        "status",
                        "satisfy enum value set: [Active, Inactive]",
                    ),
                )
                .into());
            }
            let owner = authorized_owner(op, iam, caller, user_name).await?;
            let mut tx = op.begin().await?;
            owned_key(&mut tx, caller, &owner, access_key_id).await?;
            access_keys::set_status(&mut *tx, access_key_id, status).await?;
            op.commit(tx, &owner).await
        })
    })
    .await
}

pub async fn delete_access_key(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
    access_key_id: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeleteAccessKey, |op| {
        Box::pin(async move {
            crate::domain::iam_names::check_access_key_id(access_key_id)?;
            let owner = authorized_owner(op, iam, caller, user_name).await?;
            let mut tx = op.begin().await?;
            owned_key(&mut tx, caller, &owner, access_key_id).await?;
            access_keys::delete(&mut *tx, access_key_id).await?;
            op.commit(tx, &owner).await
        })
    })
    .await
}

/// `GetAccessKeyLastUsed`: authorized on the key's owner.
pub async fn get_access_key_last_used(
    iam: &Iam,
    caller: &Caller,
    access_key_id: &str,
) -> Result<AccessKeyLastUsed, ServiceError> {
    Operation::run(iam, caller, Op::GetAccessKeyLastUsed, |op| Box::pin(async move {
        crate::domain::iam_names::check_access_key_id(access_key_id)?;
        let db = iam.store().reader();
        let denied = || {
            ServiceError::AccessDenied(format!(
                "User: {} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key {access_key_id}",
                caller.principal.arn()
            ))
        };
        let row = access_keys::find(db, access_key_id)
            .await?
            .filter(|row| row.account_id == caller.account_id().as_str())
            .ok_or_else(denied)?;
        let (arn, user_name) = if row.owner == ROOT_OWNER {
            (caller.account_id().root_arn(), None)
        } else {
            let user = crate::server::store::users::TABLE.find_by_id(db, &row.owner).await?.ok_or_else(denied)?;
            (user_arn(caller.account_id(), &user.path, &user.name), Some(user.name))
        };
        // SECURITY: refused in the words used for a key that does not exist, so the answer
        // tells neither whether the key exists nor whose it is.
        op.authorize(&arn).await.map_err(|error| match error {
            ServiceError::AccessDenied(_) => denied(),
            other => other,
        })?;
        Ok(last_used(&row, user_name))
    }))
    .await
}

/// What SigV4 verification needs about a key: its owner and its secret (opened here, used for
/// one signature check, then dropped).
pub struct SigningKey {
    pub account_id: String,
    pub owner: String,
    pub active: bool,
    pub secret: zeroize::Zeroizing<Vec<u8>>,
}

pub async fn signing_key(
    iam: &Iam,
    access_key_id: &str,
) -> Result<Option<SigningKey>, ServiceError> {
    let Some(row) = access_keys::find(iam.store().reader(), access_key_id).await? else {
        return Ok(None);
    };
    let secret = iam
        .sealer()
        .open(&row.sealed_secret, &secret_context(&row.access_key_id))?;
    Ok(Some(SigningKey {
        account_id: row.account_id,
        owner: row.owner,
        active: row.status == "Active",
        secret,
    }))
}
