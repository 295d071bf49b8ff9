//! Identity providers' signing keys: the issuer's discovery document names its key set
//! (`jwks_uri`); both are fetched under the outbound rules, and the keys kept for as long as
//! the key set's `Cache-Control` says (between 5 minutes and a day; an hour when unsaid). A
//! token signed with a key the cache does not know refetches the set, at most once a minute per
//! issuer, so a provider's key rotation is seen at once and made-up key IDs cost nothing. When
//! the provider cannot be reached, keys fetched within the last day still serve.

use std::sync::Arc;

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};

use crate::server::outbound::{self, FetchError, FetchRules};
use crate::server::service::caches::bounded_map::BoundedMap;
use crate::server::service::Iam;

/// Issuers whose keys are kept at once; more start the cache afresh.
const MAX_ISSUERS: usize = 1_000;
const MIN_FRESH_MILLIS: i64 = 5 * 60 * 1000;
const MAX_FRESH_MILLIS: i64 = 24 * 60 * 60 * 1000;
const DEFAULT_FRESH_MILLIS: i64 = 60 * 60 * 1000;
/// An unknown key ID refetches the set at most this often per issuer.
pub const REFRESH_INTERVAL_MILLIS: i64 = 60 * 1000;
/// Keys serve this long after their fetch while the provider cannot be reached.
const STALE_USE_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// The public algorithms a token may be signed with: never `none`, never HMAC (whose "key"
/// would be public), never a curve or scheme outside this list.
pub const ALLOWED_ALGORITHMS: [Algorithm; 8] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
];

/// One verification key of an issuer.
pub struct SigningKey {
    pub kid: Option<String>,
    /// The algorithm the key set pins the key to, if any.
    pub alg: Option<String>,
    kind: KeyKind,
    pub key: DecodingKey,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Rsa,
    P256,
    P384,
}

impl KeyKind {
    fn signs(self, alg: Algorithm) -> bool {
        match self {
            KeyKind::Rsa => matches!(
                alg,
                Algorithm::RS256
                    | Algorithm::RS384
                    | Algorithm::RS512
                    | Algorithm::PS256
                    | Algorithm::PS384
                    | Algorithm::PS512
            ),
            KeyKind::P256 => alg == Algorithm::ES256,
            KeyKind::P384 => alg == Algorithm::ES384,
        }
    }
}

/// An issuer's keys as last fetched.
pub struct IssuerKeys {
    keys: Vec<SigningKey>,
    fetched_at: i64,
    fresh_until: i64,
}

impl IssuerKeys {
    /// The key that verifies a token with header `kid` and `alg`: by key ID when the token
    /// names one, else the issuer's only key for the algorithm.
    pub fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<&SigningKey> {
        let usable = |key: &&SigningKey| {
            key.kind.signs(alg)
                && key
                    .alg
                    .as_deref()
                    .is_none_or(|pinned| pinned == alg_name(alg))
        };
        match kid {
            Some(kid) => self
                .keys
                .iter()
                .filter(usable)
                .find(|key| key.kid.as_deref() == Some(kid)),
            None => {
                let mut candidates = self.keys.iter().filter(usable);
                let only = candidates.next();
                candidates.next().is_none().then_some(only).flatten()
            }
        }
    }
}

fn alg_name(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::RS256 => "RS256",
        Algorithm::RS384 => "RS384",
        Algorithm::RS512 => "RS512",
        Algorithm::PS256 => "PS256",
        Algorithm::PS384 => "PS384",
        Algorithm::PS512 => "PS512",
        Algorithm::ES256 => "ES256",
        Algorithm::ES384 => "ES384",
        _ => "",
    }
}

#[derive(Debug)]
pub enum KeyError {
    /// The provider could not be reached or sent no usable key set (detail for the log).
    Communication(String),
    /// The provider has no key the token names.
    UnknownKey,
}

pub struct IdentityKeyCache {
    issuers: BoundedMap<Arc<IssuerKeys>>,
    /// One fetch per issuer at a time: requests arriving meanwhile wait for its result.
    fetching: BoundedMap<Arc<tokio::sync::Mutex<()>>>,
}

impl Default for IdentityKeyCache {
    fn default() -> Self {
        Self {
            issuers: BoundedMap::new(MAX_ISSUERS),
            fetching: BoundedMap::new(MAX_ISSUERS),
        }
    }
}

impl IdentityKeyCache {
    /// The keys of `issuer` holding one for (`kid`, `alg`), fetched if need be.
    pub async fn keys_for(
        &self,
        iam: &Iam,
        issuer: &str,
        thumbprints: &[String],
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<Arc<IssuerKeys>, KeyError> {
        let now = iam.clock().now_millis();
        let cached = self.issuers.read(issuer, |entry| entry.cloned());
        if let Some(keys) = &cached {
            let has_key = keys.find(kid, alg).is_some();
            if now < keys.fresh_until
                && (has_key || now - keys.fetched_at < REFRESH_INTERVAL_MILLIS)
            {
                return if has_key {
                    Ok(keys.clone())
                } else {
                    Err(KeyError::UnknownKey)
                };
            }
        }
        let lock = self.fetch_lock(issuer);
        let _one_fetch = lock.lock().await;
        // Another request may have fetched while this one waited.
        if let Some(keys) = self.issuers.read(issuer, |entry| entry.cloned()) {
            let newer = cached
                .as_ref()
                .is_none_or(|old| keys.fetched_at > old.fetched_at);
            if newer && keys.find(kid, alg).is_some() {
                return Ok(keys);
            }
        }
        let now = iam.clock().now_millis();
        match fetch(issuer, &iam.settings().idp_fetch, thumbprints, now).await {
            Ok(keys) => {
                let keys = Arc::new(keys);
                self.issuers.insert(issuer, keys.clone());
                if keys.find(kid, alg).is_some() {
                    Ok(keys)
                } else {
                    Err(KeyError::UnknownKey)
                }
            }
            Err(detail) => {
                tracing::warn!(issuer, error = %detail, "identity provider keys not fetched");
                match cached {
                    Some(keys)
                        if now - keys.fetched_at < STALE_USE_MILLIS
                            && keys.find(kid, alg).is_some() =>
                    {
                        Ok(keys)
                    }
                    _ => Err(KeyError::Communication(detail)),
                }
            }
        }
    }

    /// Forgets an issuer's keys (its provider was deleted or its thumbprints changed).
    pub fn forget(&self, issuer: &str) {
        self.issuers.remove(issuer);
    }

    fn fetch_lock(&self, issuer: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut lock = None;
        self.fetching.update(issuer, |existing| {
            lock = Some(existing.cloned().unwrap_or_default());
            lock.clone()
        });
        lock.unwrap_or_default()
    }
}

/// The discovery document, then the key set it names.
async fn fetch(
    issuer: &str,
    rules: &FetchRules,
    thumbprints: &[String],
    now: i64,
) -> Result<IssuerKeys, String> {
    let shown = |e: FetchError| e.to_string();
    let discovery = super::discovery::fetch(issuer, rules, thumbprints).await?;
    let jwks = outbound::get(&discovery.jwks_uri, rules, thumbprints)
        .await
        .map_err(shown)?;
    let set: JwkSet = serde_json::from_slice(&jwks.body).map_err(|e| format!("key set: {e}"))?;
    let keys: Vec<SigningKey> = set.keys.iter().filter_map(signing_key).collect();
    if keys.is_empty() {
        return Err("the key set holds no RSA or EC signing key".to_string());
    }
    let fresh_for = jwks
        .max_age
        .map_or(DEFAULT_FRESH_MILLIS, |age| {
            i64::try_from(age.as_millis()).unwrap_or(MAX_FRESH_MILLIS)
        })
        .clamp(MIN_FRESH_MILLIS, MAX_FRESH_MILLIS);
    Ok(IssuerKeys {
        keys,
        fetched_at: now,
        fresh_until: now + fresh_for,
    })
}

/// A key the set offers for signatures, if it is one Ferriam verifies with.
fn signing_key(jwk: &Jwk) -> Option<SigningKey> {
    if matches!(jwk.common.public_key_use, Some(ref use_) if *use_ != PublicKeyUse::Signature) {
        return None;
    }
    let kind = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => KeyKind::Rsa,
        AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
            EllipticCurve::P256 => KeyKind::P256,
            EllipticCurve::P384 => KeyKind::P384,
            _ => return None,
        },
        // SECURITY: a symmetric key in a public set would let anyone sign.
        _ => return None,
    };
    Some(SigningKey {
        kid: jwk.common.key_id.clone(),
        alg: jwk.common.key_algorithm.map(|alg| format!("{alg:?}")),
        kind,
        key: DecodingKey::from_jwk(jwk).ok()?,
    })
}
