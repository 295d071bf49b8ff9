//! Encryption at rest: the master key file, and sealing secrets that must be usable later (TOTP
//! seeds, access key secrets) with AES-256-GCM bound to what they belong to.

use std::fs;
use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use zeroize::Zeroizing;

const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("cannot read or create the master key file {path}: {reason}")]
    KeyFile { path: String, reason: String },
    #[error("a sealed secret could not be opened (wrong master key or altered data)")]
    Open,
}

/// Loads the 256-bit master key, or creates it (mode 0600) when the file does not exist.
pub fn load_or_create_master_key(path: &Path) -> Result<Sealer, CryptoError> {
    let key_error = |reason: String| CryptoError::KeyFile {
        path: path.display().to_string(),
        reason,
    };
    if !path.exists() {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(|e| key_error(e.to_string()))?;
        }
        write_private_file(path, new_encoded_key().as_bytes())
            .map_err(|e| key_error(e.to_string()))?;
        tracing::info!(path = %path.display(), "created a new master key");
    }
    load_master_key(path)
}

/// A fresh random 256-bit key, base64-encoded as the key file holds it.
pub fn new_encoded_key() -> Zeroizing<String> {
    let key = Aes256Gcm::generate_key(OsRng);
    Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(key))
}

/// Loads the master key from an existing file.
pub fn load_master_key(path: &Path) -> Result<Sealer, CryptoError> {
    let key_error = |reason: String| CryptoError::KeyFile {
        path: path.display().to_string(),
        reason,
    };
    let text = Zeroizing::new(fs::read_to_string(path).map_err(|e| key_error(e.to_string()))?);
    let bytes = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| key_error("not base64".into()))?,
    );
    if bytes.len() != 32 {
        return Err(key_error("the key must be 32 bytes, base64-encoded".into()));
    }
    Ok(Sealer::new(&bytes))
}

/// Writes a new file readable by its owner only (0600); fails when it exists.
pub fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Seals and opens secrets under the master key. The `context` (for example the MFA device's
/// serial number) is authenticated with the ciphertext, so a sealed value copied to another
/// row does not open.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl Sealer {
    pub fn new(key: &[u8]) -> Self {
        Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)),
        }
    }

    /// `[format version][96-bit random nonce][ciphertext + tag]`.
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Vec<u8> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: plaintext,
            aad: context.as_bytes(),
        };
        // INVARIANT: encryption with a valid key and a fresh nonce cannot fail for our sizes.
        let ciphertext = self
            .cipher
            .encrypt(&nonce, payload)
            .expect("AES-GCM encryption of a small secret");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        out
    }

    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != FORMAT_V1 {
            return Err(CryptoError::Open);
        }
        let (nonce, ciphertext) = sealed[1..].split_at(NONCE_LEN);
        let payload = Payload {
            msg: ciphertext,
            aad: context.as_bytes(),
        };
        self.cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_round_trips_and_binds_context() {
        let sealer = Sealer::new(&[7u8; 32]);
        let sealed = sealer.seal(b"seed bytes", "mfa:a");
        assert_eq!(
            sealer.open(&sealed, "mfa:a").unwrap().as_slice(),
            b"seed bytes"
        );
        assert!(sealer.open(&sealed, "mfa:b").is_err());
        assert!(Sealer::new(&[8u8; 32]).open(&sealed, "mfa:a").is_err());
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(sealer.open(&tampered, "mfa:a").is_err());
        assert!(!sealed.windows(10).any(|w| w == b"seed bytes"));
    }

    #[test]
    fn nonces_differ_between_seals() {
        let sealer = Sealer::new(&[1u8; 32]);
        assert_ne!(sealer.seal(b"x", "c"), sealer.seal(b"x", "c"));
    }

    #[test]
    fn master_key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("master.key");
        let first = load_or_create_master_key(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let sealed = first.seal(b"secret", "ctx");
        let second = load_or_create_master_key(&path).unwrap();
        assert_eq!(second.open(&sealed, "ctx").unwrap().as_slice(), b"secret");
    }

    #[test]
    fn a_corrupt_master_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        fs::write(&path, "c2hvcnQ=").unwrap();
        assert!(matches!(
            load_or_create_master_key(&path),
            Err(CryptoError::KeyFile { .. })
        ));
    }
}
