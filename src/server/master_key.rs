//! `ferriam master-key rotate`: re-encrypts every sealed value under a new master key in one
//! transaction, then replaces the key file atomically (new file 0600, then rename).
//!
//! Order, so that a crash at any point leaves a key that opens the database:
//! 1. copy the current key to `<key>.old` and write the new one to `<key>.new` (both 0600);
//! 2. re-encrypt everything in one transaction and commit (the database now needs the new key);
//! 3. rename `<key>.new` over `<key>` (atomic), then delete `<key>.old`.
//!
//! A crash after 2 and before 3 leaves `<key>.new` beside the old key: rename it by hand.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::crypto::{self, CryptoError, Sealer};
use super::service::federation::console_signin;
use super::service::{credentials::access_keys, credentials::mfa_check, sts};
use super::store::sealed_values::{self, SealedKind, SealedValue};
use super::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error(transparent)]
    Key(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(String),
    #[error(
        "a sealed {kind:?} value does not open with the current master key; nothing was changed"
    )]
    Unreadable { kind: SealedKind },
}

/// What a rotation re-encrypted.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Rotated {
    pub access_keys: u64,
    pub mfa_devices: u64,
    pub sts_sessions: u64,
    pub console_signins: u64,
}

/// Rotates the key in `key_file`. The new key is read from `new_key_file`, or generated.
pub async fn rotate(
    store: &Store,
    key_file: &Path,
    new_key_file: Option<&Path>,
) -> Result<Rotated, RotateError> {
    let old = crypto::load_master_key(key_file)?;
    let new_text = match new_key_file {
        Some(path) => {
            crypto::load_master_key(path)?;
            zeroize::Zeroizing::new(
                fs::read_to_string(path)
                    .map_err(|e| RotateError::Io(format!("{}: {e}", path.display())))?
                    .trim()
                    .to_string(),
            )
        }
        None => crypto::new_encoded_key(),
    };
    let old_copy = sibling(key_file, "old");
    let staged = sibling(key_file, "new");
    let old_text = zeroize::Zeroizing::new(
        fs::read(key_file).map_err(|e| RotateError::Io(format!("{}: {e}", key_file.display())))?,
    );
    write_fresh(&old_copy, &old_text)?;
    write_fresh(&staged, new_text.as_bytes())?;
    let new = crypto::load_master_key(&staged)?;

    let rotated = match reseal_all(store, &old, &new).await {
        Ok(rotated) => rotated,
        Err(error) => {
            // Nothing committed: the current key file stays the one in use.
            let _ = fs::remove_file(&staged);
            let _ = fs::remove_file(&old_copy);
            return Err(error);
        }
    };
    fs::rename(&staged, key_file).map_err(|e| {
        RotateError::Io(format!(
            "the database is re-encrypted, but {} could not replace {}: {e}; rename it by hand",
            staged.display(),
            key_file.display()
        ))
    })?;
    sync_dir(key_file);
    fs::remove_file(&old_copy).map_err(|e| {
        RotateError::Io(format!(
            "rotated, but the old key {} could not be deleted: {e}; delete it by hand",
            old_copy.display()
        ))
    })?;
    Ok(rotated)
}

/// Opens every sealed value with `old` and seals it with `new`, in one transaction.
async fn reseal_all(store: &Store, old: &Sealer, new: &Sealer) -> Result<Rotated, RotateError> {
    let mut tx = store.begin().await?;
    let values = sealed_values::all(&mut tx).await?;
    let mut rotated = Rotated::default();
    for value in &values {
        let context = context(value);
        let plain = old
            .open(&value.sealed, &context)
            .map_err(|_| RotateError::Unreadable { kind: value.kind })?;
        sealed_values::replace(&mut tx, value, &new.seal(&plain, &context)).await?;
        match value.kind {
            SealedKind::AccessKey => rotated.access_keys += 1,
            SealedKind::MfaSeed => rotated.mfa_devices += 1,
            SealedKind::StsSecret => rotated.sts_sessions += 1,
            SealedKind::ConsoleSigninSecret => rotated.console_signins += 1,
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(rotated)
}

/// The context each kind of value is sealed under, as the service modules seal it.
fn context(value: &SealedValue) -> String {
    let (first, second) = &value.key;
    match value.kind {
        SealedKind::AccessKey => access_keys::secret_context(first),
        SealedKind::MfaSeed => mfa_check::seed_context(first, second),
        SealedKind::StsSecret => sts::secret_context(first),
        SealedKind::ConsoleSigninSecret => console_signin::secret_context(first, second),
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}

fn write_fresh(path: &Path, contents: &[u8]) -> Result<(), RotateError> {
    crypto::write_private_file(path, contents).map_err(|e| {
        RotateError::Io(format!(
            "cannot write {}: {e} (a previous rotation may have stopped half-way; check the key files)",
            path.display()
        ))
    })
}

/// Makes the rename durable.
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(dir) = fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
}
