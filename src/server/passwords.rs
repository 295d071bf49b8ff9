//! Password hashing with argon2id on a fixed set of worker threads fed by a bounded queue, so a
//! flood of sign-ins waits in line instead of exhausting memory: each hash holds 19 MiB, and a
//! worker thread reuses its buffer (spreading hashes over the runtime's blocking pool would
//! leave up to a 19 MiB heap arena behind on every thread it ever used).

use std::sync::{Arc, Mutex};

use argon2::password_hash::PasswordHasher as _;
use argon2::password_hash::PasswordVerifier as _;
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{mpsc, oneshot};

/// OWASP's minimum for argon2id: 19 MiB, two passes, one lane.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const LANES: u32 = 1;
/// Requests waiting for a worker beyond this many wait to enter the queue.
const QUEUE_CAPACITY: usize = 256;

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct HashingError;

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct PasswordHasher {
    jobs: mpsc::Sender<Job>,
    /// Verified against when the user does not exist, so an unknown name costs as much as a
    /// wrong password. SECURITY: keeps sign-in timing from revealing which names exist.
    dummy_hash: Arc<str>,
}

impl PasswordHasher {
    /// `workers` threads hash at once; they stop when the last clone of the hasher is dropped.
    pub fn new(workers: usize) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>(QUEUE_CAPACITY);
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..workers.max(1) {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || loop {
                    // INVARIANT: the lock is held only while waiting for the next job.
                    let job = match queue.lock() {
                        Ok(mut queue) => queue.blocking_recv(),
                        Err(_) => None,
                    };
                    match job {
                        Some(job) => job(),
                        None => break,
                    }
                })
                .expect("spawn a password hashing thread");
        }
        let dummy_hash =
            hash_blocking("ferriam-dummy-password-for-timing").expect("hash a constant");
        Self {
            jobs,
            dummy_hash: dummy_hash.into(),
        }
    }

    /// One worker per available core: more would only take turns on the same cores.
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
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        self.jobs.send(job).await.map_err(|_| HashingError)?;
        result.await.map_err(|_| HashingError)
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
    async fn many_concurrent_hashes_all_complete() {
        let hasher = PasswordHasher::new(2);
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.hash(&format!("password {i}")).await })
            })
            .collect();
        for task in tasks {
            assert!(task.await.unwrap().unwrap().starts_with("$argon2id$"));
        }
    }

    #[tokio::test]
    async fn a_garbage_stored_hash_is_a_mismatch_not_a_panic() {
        let hasher = PasswordHasher::new(1);
        assert!(!hasher.verify("x", Some("not-a-phc-string")).await);
    }
}
