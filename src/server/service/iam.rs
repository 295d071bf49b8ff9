//! `Iam`: the handle every service function takes — store, password hasher, sealer, clock and
//! the operator's settings. Cheap to clone.

use std::sync::Arc;

use crate::server::clock::Clock;
use crate::server::config::{Config, SessionLimits, DEFAULT_UNSIGNED_PER_SECOND};
use crate::server::crypto::{self, Sealer};
use crate::server::passwords::PasswordHasher;
use crate::server::store::sessions::DbSessionStore;
use crate::server::store::Store;

use super::audit::AuditLog;
use super::caches::bounded_map::BoundedMap;
use super::caches::key_use::KeyUseMemo;
use super::caches::policy_sets::PolicySetCache;
use super::caches::signing_keys::SigningKeyCache;
use super::caches::user_views::{self, UserViewCache};
use super::signin::throttle::{SeenCounter, API_COUNTER_ADDRESSES};
use super::ServiceError;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Anyone may create an account, not only the first visitor.
    pub open_signup: bool,
    /// Requests arrive over HTTPS (`--secure-cookies`): `aws:SecureTransport` is true.
    pub secure_transport: bool,
    /// A console session without requests for this long ends.
    pub session_idle_millis: i64,
    /// A console session ends this long after sign-in, however active.
    pub session_absolute_millis: i64,
    /// How identity providers' documents and keys may be fetched.
    pub idp_fetch: crate::server::outbound::FetchRules,
    /// Unsigned requests (AssumeRoleWithWebIdentity) each source may make per second.
    pub unsigned_per_second: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            open_signup: false,
            secure_transport: false,
            session_idle_millis: SessionLimits::DEFAULT.idle_millis,
            session_absolute_millis: SessionLimits::DEFAULT.absolute_millis,
            idp_fetch: crate::server::outbound::FetchRules::default(),
            unsigned_per_second: DEFAULT_UNSIGNED_PER_SECOND,
        }
    }
}

/// Opens the database named by `config` and applies migrations: the one place a store is
/// opened. `Iam::open` adds the master key; the operator's commands that must not create one
/// (`audit verify`, `master-key rotate`) take the store alone.
pub async fn open_store(config: &Config) -> Result<Store, ServiceError> {
    open_database(&config.database_url).await
}

/// Opens the database at `url` and applies migrations.
pub async fn open_database(url: &str) -> Result<Store, ServiceError> {
    let store = Store::open(url).await?;
    store.migrate().await?;
    Ok(store)
}

#[derive(Clone)]
pub struct Iam {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    hasher: PasswordHasher,
    sealer: Sealer,
    clock: Clock,
    settings: Settings,
    policy_sets: PolicySetCache,
    key_uses: KeyUseMemo,
    signing_keys: SigningKeyCache,
    api_counters: BoundedMap<SeenCounter>,
    user_views: UserViewCache,
    audit: AuditLog,
    cpu_work: super::cpu_work::CpuWork,
    identity_keys: super::federation::identity_keys::IdentityKeyCache,
    session_writer: super::session_writer::SessionWriter,
    unsigned_requests: super::federation::unsigned_limit::UnsignedLimiter,
}

impl Iam {
    /// Must be called on a Tokio runtime: it starts the audit writer.
    pub fn new(
        store: Store,
        hasher: PasswordHasher,
        sealer: Sealer,
        clock: Clock,
        settings: Settings,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                audit: AuditLog::start(store.clone()),
                session_writer: super::session_writer::SessionWriter::start(store.clone()),
                cpu_work: super::cpu_work::CpuWork::for_this_machine(),
                policy_sets: PolicySetCache::default(),
                key_uses: KeyUseMemo::default(),
                signing_keys: SigningKeyCache::default(),
                api_counters: BoundedMap::new(API_COUNTER_ADDRESSES),
                user_views: BoundedMap::new(user_views::MAX_USERS),
                identity_keys: Default::default(),
                unsigned_requests: super::federation::unsigned_limit::UnsignedLimiter::new(
                    settings.unsigned_per_second,
                ),
                store,
                hasher,
                sealer,
                clock,
                settings,
            }),
        }
    }

    /// Opens the database (applying migrations) and the master key named by `config`.
    pub async fn open(config: &Config, settings: Settings) -> Result<Self, ServiceError> {
        Self::open_at(config, settings, Clock::System).await
    }

    /// `open`, telling time by `clock`.
    pub async fn open_at(
        config: &Config,
        settings: Settings,
        clock: Clock,
    ) -> Result<Self, ServiceError> {
        let store = open_store(config).await?;
        let sealer = crypto::load_or_create_master_key(&config.master_key_file)?;
        Ok(Self::new(
            store,
            PasswordHasher::for_this_machine(),
            sealer,
            clock,
            settings,
        ))
    }

    /// Whether the database answers (`GET /readyz`).
    pub async fn database_reachable(&self) -> Result<(), ServiceError> {
        Ok(self.inner.store.ping().await?)
    }

    /// Where CPU-heavy request work (policy simulation) runs, off the async executor.
    pub fn cpu_work(&self) -> &super::cpu_work::CpuWork {
        &self.inner.cpu_work
    }

    /// Where temporary credentials are stored, several issues to a commit.
    pub fn session_writer(&self) -> &super::session_writer::SessionWriter {
        &self.inner.session_writer
    }

    /// Identity providers' signing keys, fetched and cached.
    pub fn identity_keys(&self) -> &super::federation::identity_keys::IdentityKeyCache {
        &self.inner.identity_keys
    }

    /// The per-source budget of unsigned requests.
    pub fn unsigned_requests(&self) -> &super::federation::unsigned_limit::UnsignedLimiter {
        &self.inner.unsigned_requests
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Where tower-sessions keeps console sessions: the store's sessions table, which the
    /// service reads too (`signin::console_sessions`).
    pub fn session_store(&self) -> DbSessionStore {
        DbSessionStore::new(self.inner.store.clone())
    }

    pub fn hasher(&self) -> &PasswordHasher {
        &self.inner.hasher
    }

    pub fn sealer(&self) -> &Sealer {
        &self.inner.sealer
    }

    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    pub fn policy_sets(&self) -> &PolicySetCache {
        &self.inner.policy_sets
    }

    pub fn signing_keys(&self) -> &SigningKeyCache {
        &self.inner.signing_keys
    }

    pub fn key_uses(&self) -> &KeyUseMemo {
        &self.inner.key_uses
    }

    /// Query API failure counters per source address, as this process last read or wrote them.
    pub fn api_counters(&self) -> &BoundedMap<SeenCounter> {
        &self.inner.api_counters
    }

    pub fn user_views(&self) -> &UserViewCache {
        &self.inner.user_views
    }

    pub fn audit(&self) -> &AuditLog {
        &self.inner.audit
    }
}
