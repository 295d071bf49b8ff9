//! What the Query API's SigV4 check needs from the store: an active key's secret and the
//! principal it acts as, and the record of the key's use. This is authentication, not an IAM
//! operation: nothing here authorizes, and nothing here is audited as an action.

use std::sync::Arc;

use crate::domain::{AccountId, Principal, PrincipalKind};
use crate::server::metrics;
use crate::server::store::{access_keys as key_store, users};

use crate::server::service::caches::signing_keys::SigningIdentity;
use crate::server::service::credentials::access_keys::signing_key;
use crate::server::service::{Iam, ServiceError};

/// AWS records a key's last use at a coarse grain; so do we, to spare a write per request.
pub const USE_RECORD_INTERVAL_MILLIS: i64 = 15 * 60 * 1000;

/// The identity behind an access key ID, or `None` when the key is unknown, inactive, or
/// belongs to a user that no longer exists. Served from memory while the key's account has
/// seen no write since it was loaded (see `signing_keys`).
pub async fn signing_identity(
    iam: &Iam,
    access_key_id: &str,
) -> Result<Option<Arc<SigningIdentity>>, ServiceError> {
    let cached = iam.signing_keys().get(access_key_id);
    if cached.is_none() {
        metrics::cache_lookup("signing_keys", "miss");
    }
    if let Some((loaded_at, hit)) = cached {
        let account_id = hit.principal.account_id.as_str();
        let generations = iam.policy_sets();
        // SECURITY: a user removed by any means (even outside the service layer, which would
        // bump the generation) no longer signs: the one read a cached user key still costs,
        // together with the generation's on PostgreSQL.
        let (generation, signer_exists) = match &hit.principal.kind {
            PrincipalKind::User { user_id, .. } => {
                generations
                    .account_generation_and_user(iam.store(), account_id, user_id)
                    .await?
            }
            _ => (
                generations
                    .account_generation(iam.store(), account_id)
                    .await?,
                true,
            ),
        };
        let current = loaded_at == generation;
        metrics::cache_lookup("signing_keys", if current { "hit" } else { "stale" });
        if current {
            return Ok(signer_exists.then_some(hit));
        }
    }
    fresh_identity(iam, access_key_id).await
}

/// The key's identity read from the store, and cached.
async fn fresh_identity(
    iam: &Iam,
    access_key_id: &str,
) -> Result<Option<Arc<SigningIdentity>>, ServiceError> {
    let generations = iam.policy_sets();
    let Some(first) = load_identity(iam, access_key_id).await? else {
        return Ok(None);
    };
    // INVARIANT: the generation is read before the identity that is cached is loaded, so a
    // write committed in between leaves the entry stale at once. (The first load only tells
    // which account to read the generation of.)
    let generation = generations
        .account_generation(iam.store(), first.principal.account_id.as_str())
        .await?;
    drop(first);
    let Some(identity) = load_identity(iam, access_key_id).await? else {
        return Ok(None);
    };
    let identity = Arc::new(identity);
    iam.signing_keys()
        .insert(access_key_id, generation, Arc::clone(&identity));
    Ok(Some(identity))
}

async fn load_identity(
    iam: &Iam,
    access_key_id: &str,
) -> Result<Option<SigningIdentity>, ServiceError> {
    let Some(key) = signing_key(iam, access_key_id).await? else {
        return Ok(None);
    };
    if !key.active {
        return Ok(None);
    }
    let account_id = AccountId::parse("AccountId", &key.account_id)
        .map_err(|_| ServiceError::internal(format!("key {access_key_id} has a bad account")))?;
    let principal = if key.owner == "root" {
        Principal::root(account_id)
    } else {
        // SECURITY: a deleted user's keys are gone with it; should one remain, it is invalid.
        let Some(user) = users::TABLE
            .find_by_id(iam.store().reader(), &key.owner)
            .await?
            .filter(|user| user.account_id == key.account_id)
        else {
            return Ok(None);
        };
        Principal::user(account_id, &user.user_id, &user.name, &user.path)
    };
    Ok(Some(SigningIdentity {
        principal,
        secret: key.secret,
    }))
}

/// Records that the key signed a request for `service` in `region`, at most once per
/// `USE_RECORD_INTERVAL_MILLIS`: within it, the process skips the store altogether.
pub async fn record_key_use(
    iam: &Iam,
    access_key_id: &str,
    service: &str,
    region: &str,
) -> Result<(), ServiceError> {
    let now = iam.clock().now_millis();
    if !iam
        .key_uses()
        .due(access_key_id, now, USE_RECORD_INTERVAL_MILLIS)
    {
        return Ok(());
    }
    key_store::record_use(
        iam.store().writer(),
        access_key_id,
        now,
        service,
        region,
        USE_RECORD_INTERVAL_MILLIS,
    )
    .await?;
    iam.key_uses().written(access_key_id, now);
    Ok(())
}
