//! Every value sealed under the master key, for re-encryption when the key rotates: access key
//! secrets, MFA seeds, STS session secrets and console sign-in client secrets, each with the context it is sealed under.

use sqlx::AnyConnection;

use super::StoreError;

/// The tables holding sealed values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealedKind {
    AccessKey,
    MfaSeed,
    StsSecret,
    ConsoleSigninSecret,
}

/// One sealed value and the row it lives in.
pub struct SealedValue {
    pub kind: SealedKind,
    /// The row's key: the access key ID (and ""), the account ID and serial number, or the
    /// account ID and the provider's URL without its scheme.
    pub key: (String, String),
    pub sealed: Vec<u8>,
}

/// Every sealed value, read inside the rotation's transaction.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<SealedValue>, StoreError> {
    let mut values = Vec::new();
    let keys: Vec<(String, Vec<u8>)> =
        sqlx::query_as("SELECT access_key_id, sealed_secret FROM access_keys")
            .fetch_all(&mut *conn)
            .await?;
    values.extend(keys.into_iter().map(|(id, sealed)| SealedValue {
        kind: SealedKind::AccessKey,
        key: (id, String::new()),
        sealed,
    }));
    let seeds: Vec<(String, String, Vec<u8>)> =
        sqlx::query_as("SELECT account_id, serial_number, sealed_seed FROM mfa_devices")
            .fetch_all(&mut *conn)
            .await?;
    values.extend(
        seeds
            .into_iter()
            .map(|(account, serial, sealed)| SealedValue {
                kind: SealedKind::MfaSeed,
                key: (account, serial),
                sealed,
            }),
    );
    let sts: Vec<(String, Vec<u8>)> =
        sqlx::query_as("SELECT access_key_id, sealed_secret FROM sts_sessions")
            .fetch_all(&mut *conn)
            .await?;
    values.extend(sts.into_iter().map(|(id, sealed)| SealedValue {
        kind: SealedKind::StsSecret,
        key: (id, String::new()),
        sealed,
    }));
    let signins: Vec<(String, String, Vec<u8>)> =
        sqlx::query_as("SELECT account_id, host_path, sealed_secret FROM oidc_console_signins")
            .fetch_all(&mut *conn)
            .await?;
    values.extend(
        signins
            .into_iter()
            .map(|(account, host_path, sealed)| SealedValue {
                kind: SealedKind::ConsoleSigninSecret,
                key: (account, host_path),
                sealed,
            }),
    );
    Ok(values)
}

/// Replaces one value's sealed bytes.
pub async fn replace(
    conn: &mut AnyConnection,
    value: &SealedValue,
    sealed: &[u8],
) -> Result<(), StoreError> {
    let query = match value.kind {
        SealedKind::AccessKey => {
            sqlx::query("UPDATE access_keys SET sealed_secret = $1 WHERE access_key_id = $2")
                .bind(sealed.to_vec())
                .bind(value.key.0.clone())
        }
        SealedKind::MfaSeed => sqlx::query(
            "UPDATE mfa_devices SET sealed_seed = $1 WHERE account_id = $2 AND serial_number = $3",
        )
        .bind(sealed.to_vec())
        .bind(value.key.0.clone())
        .bind(value.key.1.clone()),
        SealedKind::StsSecret => {
            sqlx::query("UPDATE sts_sessions SET sealed_secret = $1 WHERE access_key_id = $2")
                .bind(sealed.to_vec())
                .bind(value.key.0.clone())
        }
        SealedKind::ConsoleSigninSecret => sqlx::query(
            "UPDATE oidc_console_signins SET sealed_secret = $1 WHERE account_id = $2 AND host_path = $3",
        )
        .bind(sealed.to_vec())
        .bind(value.key.0.clone())
        .bind(value.key.1.clone()),
    };
    query.execute(&mut *conn).await?;
    Ok(())
}
