//! The policies that govern a principal — inline and attached policies of the user and of its
//! groups, and its permissions boundary — gathered from the store, parsed once and cached.
//!
//! INVARIANT: a cached set is used only while its account's generation is unchanged. Every
//! write goes through `Operation::commit`, which bumps the account's generation in the same
//! transaction (`accounts.authz_generation`) and in memory right after it commits. On SQLite
//! (one instance) the generation is read from memory; on PostgreSQL, where other instances
//! write too, from the database once per request (`request_generations`), so a change committed
//! anywhere is in effect for every request that starts after the commit. The generation is read before a set is loaded,
//! so a set loaded while an edit commits is stale at once and reloaded next time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::domain::tags::Tag;
use crate::domain::EntityKind;
use crate::policy::{NamedPolicy, Policy};
use crate::server::store::{
    accounts, attachments, groups, inline, policies, roles, tags, users, Backend, Store,
};

use super::request_generations;
use super::shared_generation_reads::SharedGenerationReads;
use crate::server::metrics;
use crate::server::service::{policies::aws_managed, Iam, ServiceError};

/// What authorization needs to know about an IAM user or a role.
#[derive(Debug, Default)]
pub struct PrincipalPolicies {
    /// The user's or role's name and path as stored now; `None` when it no longer exists.
    pub current: Option<NameAndPath>,
    pub identity: Vec<NamedPolicy>,
    pub boundary: Vec<NamedPolicy>,
    pub tags: Vec<Tag>,
}

/// An IAM user's or role's name and path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameAndPath {
    pub name: String,
    pub path: String,
}

enum Holder<'a> {
    User(&'a str),
    Role(&'a str),
}

impl Holder<'_> {
    fn id(&self) -> &str {
        match self {
            Holder::User(id) | Holder::Role(id) => id,
        }
    }
}

struct CachedSet {
    generation: i64,
    policies: Arc<PrincipalPolicies>,
}

/// Parsed policies by document text (so an unchanged document is never parsed twice), and
/// each user's gathered set by account and user ID.
#[derive(Default)]
pub struct PolicySetCache {
    generations: Mutex<HashMap<String, i64>>,
    shared_reads: SharedGenerationReads,
    sets: Mutex<HashMap<String, CachedSet>>,
    parsed: Mutex<HashMap<Arc<str>, Arc<Policy>>>,
}

const MAX_PARSED: usize = 20_000;
const ALLOW_NOTHING: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;
const MAX_SETS: usize = 50_000;

impl PolicySetCache {
    /// Marks every cached set of the account stale in this process; called after each
    /// committed write.
    pub fn invalidate_account(&self, account_id: &str) {
        let mut generations = self
            .generations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *generations.entry(account_id.to_string()).or_default() += 1;
        request_generations::forget(account_id);
        metrics::cache_invalidation();
    }

    /// The account's generation: it changes with every committed write in the account, on any
    /// instance (see the module's invariant).
    pub async fn account_generation(
        &self,
        store: &Store,
        account_id: &str,
    ) -> Result<i64, ServiceError> {
        Ok(match store.backend() {
            Backend::Sqlite => self.local_generation(account_id),
            Backend::Postgres => match request_generations::remembered(account_id) {
                Some(generation) => generation,
                None => {
                    let generation = self.shared_reads.read(store, account_id).await?;
                    request_generations::remember(account_id, generation);
                    generation
                }
            },
        })
    }

    /// The account's generation and whether `user_id` is still one of its users: on
    /// PostgreSQL one read, when this request has not read the generation yet.
    pub async fn account_generation_and_user(
        &self,
        store: &Store,
        account_id: &str,
        user_id: &str,
    ) -> Result<(i64, bool), ServiceError> {
        if store.backend() == Backend::Postgres
            && request_generations::remembered(account_id).is_none()
        {
            let (generation, exists) =
                accounts::generation_and_user(store.reader(), account_id, user_id).await?;
            request_generations::remember(account_id, generation);
            return Ok((generation, exists));
        }
        let generation = self.account_generation(store, account_id).await?;
        let exists = users::TABLE
            .find_by_id(store.reader(), user_id)
            .await?
            .is_some_and(|user| user.account_id == account_id);
        Ok((generation, exists))
    }

    fn local_generation(&self, account_id: &str) -> i64 {
        let generations = self
            .generations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        generations.get(account_id).copied().unwrap_or(0)
    }

    /// The user's policies, from the cache when the account's generation still matches.
    pub async fn for_user(
        &self,
        iam: &Iam,
        account_id: &str,
        user_id: &str,
    ) -> Result<Arc<PrincipalPolicies>, ServiceError> {
        self.cached(iam, account_id, Holder::User(user_id)).await
    }

    /// A role's policies (for its sessions), from the cache when still current.
    pub async fn for_role(
        &self,
        iam: &Iam,
        account_id: &str,
        role_id: &str,
    ) -> Result<Arc<PrincipalPolicies>, ServiceError> {
        self.cached(iam, account_id, Holder::Role(role_id)).await
    }

    async fn cached(
        &self,
        iam: &Iam,
        account_id: &str,
        holder: Holder<'_>,
    ) -> Result<Arc<PrincipalPolicies>, ServiceError> {
        let generation = self.account_generation(iam.store(), account_id).await?;
        // Keyed by account too: an ID is only meaningful within its account.
        let key = format!("{account_id}/{}", holder.id());
        let lookup = match self.lock_sets().get(&key) {
            Some(cached) if cached.generation == generation => {
                metrics::cache_lookup("policy_sets", "hit");
                return Ok(Arc::clone(&cached.policies));
            }
            Some(_) => "stale",
            None => "miss",
        };
        metrics::cache_lookup("policy_sets", lookup);
        let policies = Arc::new(match holder {
            Holder::User(user_id) => self.load_user(iam, account_id, user_id).await?,
            Holder::Role(role_id) => self.load_role(iam, account_id, role_id).await?,
        });
        let mut sets = self.lock_sets();
        if sets.len() >= MAX_SETS {
            sets.clear();
        }
        sets.insert(
            key,
            CachedSet {
                generation,
                policies: Arc::clone(&policies),
            },
        );
        Ok(policies)
    }

    async fn load_user(
        &self,
        iam: &Iam,
        account_id: &str,
        user_id: &str,
    ) -> Result<PrincipalPolicies, ServiceError> {
        let db = iam.store().reader();
        // SECURITY: a deleted user, or one of another account, keeps no permissions here.
        let Some(user) = users::TABLE
            .find_by_id(db, user_id)
            .await?
            .filter(|user| user.account_id == account_id)
        else {
            return Ok(PrincipalPolicies::default());
        };
        let mut identity = Vec::new();
        let mut managed_arns = Vec::new();
        for policy in inline::for_entity(db, EntityKind::User, user_id).await? {
            identity.push(self.named(
                &format!("user/{}/{}", user.name, policy.name),
                &policy.document,
            ));
        }
        managed_arns.extend(attachments::for_entity(db, EntityKind::User, user_id).await?);
        for group in groups::for_user(db, user_id).await? {
            for policy in inline::for_entity(db, EntityKind::Group, &group.group_id).await? {
                identity.push(self.named(
                    &format!("group/{}/{}", group.name, policy.name),
                    &policy.document,
                ));
            }
            managed_arns
                .extend(attachments::for_entity(db, EntityKind::Group, &group.group_id).await?);
        }
        let tags = tags::for_entity(db, EntityKind::User, user_id).await?;
        let current = NameAndPath {
            name: user.name,
            path: user.path,
        };
        self.assemble(
            iam,
            current,
            identity,
            managed_arns,
            user.permissions_boundary_arn,
            tags,
        )
        .await
    }

    async fn load_role(
        &self,
        iam: &Iam,
        account_id: &str,
        role_id: &str,
    ) -> Result<PrincipalPolicies, ServiceError> {
        let db = iam.store().reader();
        // SECURITY: a deleted role's sessions, or another account's role, keep no permissions.
        let Some(role) = roles::TABLE
            .find_by_id(db, role_id)
            .await?
            .filter(|role| role.account_id == account_id)
        else {
            return Ok(PrincipalPolicies::default());
        };
        let identity = inline::for_entity(db, EntityKind::Role, role_id)
            .await?
            .into_iter()
            .map(|policy| {
                self.named(
                    &format!("role/{}/{}", role.name, policy.name),
                    &policy.document,
                )
            })
            .collect();
        let managed_arns = attachments::for_entity(db, EntityKind::Role, role_id).await?;
        let tags = tags::for_entity(db, EntityKind::Role, role_id).await?;
        let current = NameAndPath {
            name: role.name,
            path: role.path,
        };
        self.assemble(
            iam,
            current,
            identity,
            managed_arns,
            role.permissions_boundary_arn,
            tags,
        )
        .await
    }

    /// Adds the managed policies' documents and the boundary to the inline policies.
    async fn assemble(
        &self,
        iam: &Iam,
        current: NameAndPath,
        mut identity: Vec<Option<NamedPolicy>>,
        mut managed_arns: Vec<String>,
        boundary_arn: Option<String>,
        tags: Vec<Tag>,
    ) -> Result<PrincipalPolicies, ServiceError> {
        managed_arns.sort();
        managed_arns.dedup();
        let mut wanted = managed_arns.clone();
        wanted.extend(boundary_arn.clone());
        let documents = self.managed_documents(iam, &wanted).await?;
        for arn in &managed_arns {
            if let Some(document) = documents.get(arn) {
                identity.push(self.named(arn, document));
            }
        }
        // SECURITY: a boundary that cannot be read allows nothing (an empty boundary would
        // mean "no boundary" and allow everything the identity policies do).
        let boundary = match &boundary_arn {
            Some(arn) => vec![documents
                .get(arn)
                .and_then(|doc| self.named(arn, doc))
                .or_else(|| self.named(arn, ALLOW_NOTHING))],
            None => Vec::new(),
        };
        Ok(PrincipalPolicies {
            current: Some(current),
            identity: identity.into_iter().flatten().collect(),
            boundary: boundary.into_iter().flatten().collect(),
            tags,
        })
    }

    /// A session's managed session policies (AssumeRole's `PolicyArns`), each at its default
    /// version now: AWS keeps them by reference, so an edit to the policy applies to sessions
    /// already issued. SECURITY: one that no longer exists (or is of another account, or does
    /// not parse) denies everything, so the session never falls back to having no session
    /// policy, which would leave it with all of the role's permissions.
    pub async fn managed_session_policies(
        &self,
        iam: &Iam,
        account_id: &str,
        arns: &[String],
    ) -> Result<Vec<NamedPolicy>, ServiceError> {
        if arns.is_empty() {
            return Ok(Vec::new());
        }
        let own = |arn: &str| {
            arn.strip_prefix("arn:aws:iam::")
                .and_then(|rest| rest.split_once(':'))
                .is_some_and(|(account, _)| account == account_id || account == "aws")
        };
        let wanted: Vec<String> = arns.iter().filter(|arn| own(arn)).cloned().collect();
        let documents = self.managed_documents(iam, &wanted).await?;
        let mut policies = Vec::with_capacity(arns.len());
        for arn in arns {
            let policy = documents
                .get(arn)
                .filter(|_| own(arn))
                .and_then(|document| self.named(arn, document))
                .or_else(|| self.named(arn, ALLOW_NOTHING))
                .ok_or_else(|| ServiceError::internal("managed session policy"))?;
            policies.push(policy);
        }
        Ok(policies)
    }

    /// Default-version documents of managed policies, AWS managed ones from the built-ins.
    async fn managed_documents(
        &self,
        iam: &Iam,
        arns: &[String],
    ) -> Result<HashMap<String, String>, ServiceError> {
        let mut documents = HashMap::new();
        let mut customer = Vec::new();
        for arn in arns {
            match aws_managed::by_arn(arn) {
                Some(builtin) => {
                    documents.insert(arn.clone(), builtin.document.to_string());
                }
                None => customer.push(arn.clone()),
            }
        }
        for (arn, document) in policies::default_documents(iam.store().reader(), &customer).await? {
            documents.insert(arn, document);
        }
        Ok(documents)
    }

    /// Parses `document` (or reuses its parse). Stored documents were validated when saved; one
    /// that no longer parses grants nothing and is logged.
    pub fn named(&self, id: &str, document: &str) -> Option<NamedPolicy> {
        if let Some(policy) = self.lock_parsed().get(document) {
            return Some(NamedPolicy::new(id, Arc::clone(policy)));
        }
        match Policy::parse(document) {
            Ok(policy) => {
                let policy = Arc::new(policy);
                let mut parsed = self.lock_parsed();
                if parsed.len() >= MAX_PARSED {
                    parsed.clear();
                }
                parsed.insert(Arc::from(document), Arc::clone(&policy));
                Some(NamedPolicy::new(id, policy))
            }
            Err(error) => {
                tracing::error!(policy = %id, error = %error.message, "a stored policy does not parse; it grants nothing");
                None
            }
        }
    }

    fn lock_sets(&self) -> std::sync::MutexGuard<'_, HashMap<String, CachedSet>> {
        self.sets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock_parsed(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Arc<Policy>>> {
        self.parsed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
