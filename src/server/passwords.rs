//! Password hashing with argon2id on a fixed set of worker threads fed by a bounded queue. A
//! flood of sign-ins waits in line instead of exhausting memory: each worker owns one 19 MiB
//! argon2 buffer and reuses it for every hash, so the hasher never holds more than
//! `workers × 19 MiB` (per-hash allocations left glibc keeping ~200 MiB after a burst).

use std::sync::{Arc, Mutex};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::password_hash::PasswordVerifier as _;
use argon2::{Algorithm, Argon2, Block, Params, Version, ARGON2ID_IDENT};
use tokio::sync::{mpsc, oneshot};

/// OWASP's minimum for argon2id: 19 MiB, two passes, one lane.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const LANES: u32 = 1;
const OUTPUT_LEN: usize = 32;
/// Requests waiting for a worker beyond this many wait to enter the queue.
const QUEUE_CAPACITY: usize = 256;

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct HashingError;

type Job = Box<dyn FnOnce(&mut [Block]) + Send>;

#[derive(Clone)]
pub struct PasswordHasher {
    jobs: mpsc::Sender<Job>,
    /// Verified against when the user does not exist, so an unknown name costs as much as a
    /// wrong password. SECURITY: keeps sign-in timing from revealing which names exist.
    dummy_hash: Arc<str>,
    /// How many verifications ran (argon2 work done), for tests and metrics.
    verifications: Arc<std::sync::atomic::AtomicU64>,
    /// How many new hashes were asked for, likewise.
    hashes: Arc<std::sync::atomic::AtomicU64>,
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
                .spawn(move || worker(&queue))
                .expect("spawn a password hashing thread");
        }
        let mut memory = new_memory();
        let dummy_hash =
            hash_with(&mut memory, b"ferriam-dummy-password-for-timing").expect("hash a constant");
        Self {
            jobs,
            dummy_hash: dummy_hash.into(),
            verifications: Arc::default(),
            hashes: Arc::default(),
        }
    }

    /// How many password verifications (argon2 runs) this hasher has done.
    pub fn verifications(&self) -> u64 {
        self.verifications
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many new password hashes (argon2 runs) this hasher has made.
    pub fn hashes(&self) -> u64 {
        self.hashes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// One worker per available core: more would only take turns on the same cores.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores)
    }

    pub async fn hash(&self, password: &str) -> Result<String, HashingError> {
        self.hashes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let password = zeroize::Zeroizing::new(password.as_bytes().to_vec());
        self.run(move |memory| hash_with(memory, &password)).await?
    }

    /// True when `password` matches `stored`; with no stored hash, does the same work against
    /// the dummy hash and answers false.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        self.verifications
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let password = zeroize::Zeroizing::new(password.as_bytes().to_vec());
        let (hash, real) = match stored {
            Some(hash) => (hash.to_string(), true),
            None => (self.dummy_hash.to_string(), false),
        };
        let matched = self
            .run(move |memory| verify_with(memory, &password, &hash))
            .await
            .unwrap_or(false);
        matched && real
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut [Block]) -> T + Send + 'static,
    ) -> Result<T, HashingError> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let _ = done.send(work(memory));
        });
        self.jobs.send(job).await.map_err(|_| HashingError)?;
        result.await.map_err(|_| HashingError)
    }
}

fn worker(queue: &Mutex<mpsc::Receiver<Job>>) {
    let mut memory = new_memory();
    loop {
        // INVARIANT: the lock is held only while waiting for the next job.
        let job = match queue.lock() {
            Ok(mut queue) => queue.blocking_recv(),
            Err(_) => None,
        };
        match job {
            Some(job) => job(&mut memory),
            None => break,
        }
    }
}

fn params() -> Params {
    // INVARIANT: these constants are valid argon2 parameters.
    Params::new(MEMORY_KIB, ITERATIONS, LANES, Some(OUTPUT_LEN)).expect("valid argon2 params")
}

fn new_memory() -> Vec<Block> {
    vec![Block::default(); params().block_count()]
}

fn hash_with(memory: &mut [Block], password: &[u8]) -> Result<String, HashingError> {
    let params = params();
    let salt_bytes = argon2::password_hash::generate_salt();
    let mut out = [0u8; OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password, &salt_bytes, &mut out, memory)
        .map_err(|_| HashingError)?;
    let hash = PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|_| HashingError)?,
        salt: Some(Salt::new(&salt_bytes).map_err(|_| HashingError)?),
        hash: Some(Output::new(&out).map_err(|_| HashingError)?),
    };
    Ok(hash.to_string())
}

/// Recomputes the hash with the stored salt and parameters; compares in constant time.
fn verify_with(memory: &mut [Block], password: &[u8], stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected), Ok(params)) =
        (parsed.salt, parsed.hash, Params::try_from(&parsed))
    else {
        return false;
    };
    let ours = parsed.algorithm == ARGON2ID_IDENT
        && parsed.version == Some(Version::V0x13.into())
        && params.block_count() <= memory.len();
    if !ours {
        // Parameters this worker's buffer does not fit: argon2 allocates for itself.
        return Argon2::default().verify_password(password, stored).is_ok();
    }
    let mut out = vec![0u8; expected.len()];
    let computed = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into_with_memory(password, salt.as_ref(), &mut out, memory);
    computed.is_ok() && Output::new(&out).is_ok_and(|output| output == expected)
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
    async fn hashes_made_elsewhere_with_other_parameters_still_verify() {
        use argon2::password_hash::PasswordHasher as _;
        let hasher = PasswordHasher::new(1);
        let foreign = Argon2::default()
            .hash_password(b"legacy")
            .unwrap()
            .to_string();
        assert!(hasher.verify("legacy", Some(&foreign)).await);
        assert!(!hasher.verify("legacy!", Some(&foreign)).await);
        let ours = hasher.hash("legacy").await.unwrap();
        assert!(Argon2::default()
            .verify_password(b"legacy", ours.as_str())
            .is_ok());
    }

    #[tokio::test]
    async fn a_garbage_stored_hash_is_a_mismatch_not_a_panic() {
        let hasher = PasswordHasher::new(1);
        assert!(!hasher.verify("x", Some("not-a-phc-string")).await);
    }
}
