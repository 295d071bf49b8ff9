//! Password hashing with argon2id, off the async executor and with bounded concurrency, so a
//! flood of sign-ins queues instead of exhausting memory (each hash holds 19 MiB while it runs).

use std::sync::Arc;

use argon2::password_hash::PasswordHasher as _;
use argon2::password_hash::PasswordVerifier as _;
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// OWASP's minimum for argon2id: 19 MiB, two passes, one lane.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const LANES: u32 = 1;

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct HashingError;

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Verified against when the user does not exist, so an unknown name costs as much as a
    /// wrong password. SECURITY: keeps sign-in timing from revealing which names exist.
    dummy_hash: Arc<str>,
}

impl PasswordHasher {
    /// `concurrency` bounds how many hashes run at once (and so the memory they use).
    pub fn new(concurrency: usize) -> Self {
        let dummy_hash =
            hash_blocking("ferriam-dummy-password-for-timing").expect("hash a constant");
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: dummy_hash.into(),
        }
    }

    /// One permit per available core: more would only queue inside the thread pool.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores)
    }

    pub async fn hash(&self, password: &str) -> Result<String, HashingError> {
        let password = zeroize::Zeroizing::new(password.to_string());
        self.run(move || hash_blocking(&password)).await?
    }

    /// True when `password` matches `stored`; with no stored hash, does the same work against
    /// the dummy hash and answers false.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let password = zeroize::Zeroizing::new(password.to_string());
        let (hash, real) = match stored {
            Some(hash) => (hash.to_string(), true),
            None => (self.dummy_hash.to_string(), false),
        };
        let matched = self
            .run(move || {
                argon2()
                    .verify_password(password.as_bytes(), hash.as_str())
                    .is_ok()
            })
            .await
            .unwrap_or(false);
        matched && real
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashingError> {
        let _permit = self.permits.acquire().await.map_err(|_| HashingError)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| HashingError)
    }
}

fn argon2() -> Argon2<'static> {
    // INVARIANT: these constants are valid argon2 parameters.
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, HashingError> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|_| HashingError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let hasher = PasswordHasher::new(2);
        let hash = hasher.hash("correct horse battery").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(hasher.verify("correct horse battery", Some(&hash)).await);
        assert!(!hasher.verify("correct horse batterY", Some(&hash)).await);
        assert!(!hasher.verify("", Some(&hash)).await);
    }

    #[tokio::test]
    async fn salts_differ() {
        let hasher = PasswordHasher::new(2);
        assert_ne!(
            hasher.hash("same").await.unwrap(),
            hasher.hash("same").await.unwrap()
        );
    }

    #[tokio::test]
    async fn unknown_user_is_refused_even_with_the_dummy_password() {
        let hasher = PasswordHasher::new(1);
        assert!(
            !hasher
                .verify("ferriam-dummy-password-for-timing", None)
                .await
        );
    }

    #[tokio::test]
    async fn a_garbage_stored_hash_is_a_mismatch_not_a_panic() {
        let hasher = PasswordHasher::new(1);
        assert!(!hasher.verify("x", Some("not-a-phc-string")).await);
    }
}
