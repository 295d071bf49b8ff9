//! Shared set-up for service tests: a real SQLite database in a temp directory, migrations
//! applied, a random master key, and a clock the test moves.

#![allow(dead_code)]

use ferriam::server::clock::Clock;
use ferriam::server::crypto::Sealer;
use ferriam::server::passwords::PasswordHasher;
use ferriam::server::service::iam::Settings;
use ferriam::server::service::Iam;
use ferriam::server::store::Store;

/// 2026-11-22T00:00:00Z, in the middle of a 30-second TOTP step.
pub const START_MILLIS: i64 = 1_795_305_615_000;

pub struct TestIam {
    pub iam: Iam,
    pub clock: Clock,
    pub dir: tempfile::TempDir,
}

impl TestIam {
    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("ferriam.db")
    }
}

pub async fn test_iam(settings: Settings) -> TestIam {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("ferriam.db").display());
    let store = Store::open(&url).await.expect("open store");
    store.migrate().await.expect("migrate");
    let clock = Clock::manual(START_MILLIS);
    let iam = Iam::new(
        store,
        PasswordHasher::new(2),
        Sealer::new(&rand_key()),
        clock.clone(),
        settings,
    );
    TestIam { iam, clock, dir }
}

fn rand_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = (i as u8).wrapping_mul(73).wrapping_add(11);
    }
    key
}
