//! Guessing defences for passwords, MFA codes and Query API signatures. An attempt on one
//! principal (a password or an MFA code) is counted as a failure *before* the costly check (so
//! concurrent guesses at one account cannot slip past the count) and taken back when it
//! succeeds; a source address is charged only for completed failures, because many people
//! behind one address (an office, a proxy) sign in at once. A locked key is refused with one
//! read and no argon2 work, in the same words as a wrong password.
//!
//! The numbers (the rules below):
//! - Password, per source address, across all principals: 5 failures free, then locks of 1 s,
//!   2 s, 4 s … up to 15 min; at most 100 failures per hour. One address gets about 17
//!   guesses per hour (5 free, 10 more within 17 minutes, then one per 15 minutes). This is
//!   the limit that hits an attacker hardest; a success takes back only its own attempt.
//! - Password, per principal (root email, or account + lower-cased user name; principals that
//!   do not exist are counted alike, so throttling reveals nothing): 5 failures in a row free,
//!   then 1 s doubling up to 30 s, so guessing from many addresses never locks the real user
//!   out for more than 30 s at a time; at most 100 failures per hour. Once the hour's 100 are
//!   used up, only addresses the principal signed in from in the last 180 days may still try
//!   (at the 30 s pace) until the hour ends. A success clears the principal's counter.
//! - Password, per trusted browser (OWASP's device cookies): a browser whose device cookie
//!   came with a correct password for the principal in the last 180 days is counted on its
//!   own (the same numbers as the principal's), and neither the principal's nor the address's
//!   locks apply to it. Guessing from elsewhere therefore never keeps the real user's browser
//!   out, on any network; a stolen cookie buys one principal's allowance, no more.
//! - MFA codes, per principal (sign-in, EnableMFADevice, ResyncMFADevice): 5 wrong codes in a
//!   row lock for 60 s, during which even the right code is refused; each wrong code after
//!   that locks for another 60 s; a right code clears it.
//! - Query API, per source address: 10 failed authentications free, then 1 s doubling up to
//!   5 min, answered with AWS's `Throttling` before any key lookup.

use crate::server::digest::sha256_hex;

use crate::domain::throttle::{Counter, Rule, HOUR_MILLIS};
use crate::server::store::throttle as store;

use super::device_id::DeviceId;
use super::{Iam, ServiceError};

pub const PASSWORD_BY_ADDRESS: Rule = Rule {
    free_failures: 5,
    first_delay_millis: 1_000,
    max_delay_millis: 15 * 60 * 1_000,
    hourly_cap: Some(100),
};

pub const PASSWORD_BY_PRINCIPAL: Rule = Rule {
    free_failures: 5,
    first_delay_millis: 1_000,
    max_delay_millis: 30 * 1_000,
    hourly_cap: Some(100),
};

/// A trusted browser's own counter: the principal's limits, spent by that browser alone.
pub const PASSWORD_BY_DEVICE: Rule = PASSWORD_BY_PRINCIPAL;

/// How long a browser stays trusted, and an address known, after its last correct password
/// (and how long the device cookie lives).
pub const DEVICE_TRUST_DAYS: i64 = 180;
const DAY_MILLIS: i64 = 24 * HOUR_MILLIS;

pub const MFA_CODE: Rule = Rule {
    free_failures: 5,
    first_delay_millis: 60 * 1_000,
    max_delay_millis: 60 * 1_000,
    hourly_cap: None,
};

pub const API_BY_ADDRESS: Rule = Rule {
    free_failures: 10,
    first_delay_millis: 1_000,
    max_delay_millis: 5 * 60 * 1_000,
    hourly_cap: None,
};

/// Requests without a known peer address (tests, local tools) share one bucket.
const UNKNOWN_SOURCE: &str = "unknown";

/// SECURITY: keys are stored hashed, so the table does not list the emails and addresses tried.
fn key(kind: &str, subject: &str) -> String {
    sha256_hex(format!("{kind}:{subject}").as_bytes())
}

/// Counts one failure on every key unless one of them refuses the attempt now. Returns
/// whether the attempt may go ahead.
async fn claim(iam: &Iam, keys: &[(Rule, &str)]) -> Result<bool, ServiceError> {
    let now = iam.clock().now_millis();
    // The cheap refusal: reads only.
    for (rule, key) in keys {
        if let Some(counter) = store::find(iam.store().reader(), key).await? {
            if rule.refuses(&counter, now) {
                return Ok(false);
            }
        }
    }
    // INVARIANT: check and count in one write transaction; writes are serialized, so two
    // concurrent attempts cannot both see the last free slot.
    let mut tx = iam.store().begin().await?;
    let mut next = Vec::with_capacity(keys.len());
    for (rule, key) in keys {
        let counter = store::find(&mut *tx, key).await?;
        if counter.is_some_and(|c| rule.refuses(&c, now)) {
            return Ok(false);
        }
        next.push(rule.after_failure(counter, now));
    }
    for ((_, key), counter) in keys.iter().zip(&next) {
        store::save(&mut *tx, key, counter, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// A password attempt that was let through and counted as a failure until it succeeds.
pub struct PasswordAttempt {
    principal: String,
    address: String,
    source: String,
    /// The browser's device, as the principal's known sources name it.
    device: Option<String>,
    /// A trusted browser's own counter, charged instead of the principal's.
    device_counter: Option<String>,
}

/// Lets a password attempt for `principal` (see the module notes for its form) from `source`
/// and, in a browser, `device` go ahead, or refuses it (`None`).
pub async fn begin_password_attempt(
    iam: &Iam,
    principal: &str,
    source: Option<&str>,
    device: Option<&DeviceId>,
) -> Result<Option<PasswordAttempt>, ServiceError> {
    let source = source.unwrap_or(UNKNOWN_SOURCE);
    let mut attempt = PasswordAttempt {
        principal: key("password-principal", principal),
        address: key("password-address", source),
        source: key("source", source),
        device: device.map(|device| key("device", device.as_str())),
        device_counter: None,
    };
    let now = iam.clock().now_millis();
    if let Some(device) = &attempt.device {
        if remembered(iam, &attempt.principal, device, now).await? {
            let counter = key(
                "password-device",
                &format!("{}:{device}", attempt.principal),
            );
            if !claim(iam, &[(PASSWORD_BY_DEVICE, counter.as_str())]).await? {
                return Ok(refused());
            }
            attempt.device_counter = Some(counter);
            return Ok(Some(attempt));
        }
    }
    let known = remembered(iam, &attempt.principal, &attempt.source, now).await?;
    let principal_rule = if known {
        PASSWORD_BY_PRINCIPAL.without_cap()
    } else {
        PASSWORD_BY_PRINCIPAL
    };
    let address_locked = store::find(iam.store().reader(), &attempt.address)
        .await?
        .is_some_and(|counter| PASSWORD_BY_ADDRESS.refuses(&counter, now));
    if !address_locked && claim(iam, &[(principal_rule, attempt.principal.as_str())]).await? {
        Ok(Some(attempt))
    } else {
        Ok(refused())
    }
}

/// Whether a correct password for the principal came from `source` (an address or a browser)
/// in the last `DEVICE_TRUST_DAYS`.
async fn remembered(
    iam: &Iam,
    principal: &str,
    source: &str,
    now: i64,
) -> Result<bool, ServiceError> {
    Ok(store::last_success(iam.store().reader(), principal, source)
        .await?
        .is_some_and(|at| now - at < DEVICE_TRUST_DAYS * DAY_MILLIS))
}

fn refused() -> Option<PasswordAttempt> {
    tracing::info!(outcome = "throttled", "sign-in attempt refused");
    None
}

impl PasswordAttempt {
    /// The password was wrong (or the principal unknown). A trusted browser's attempt was
    /// already charged to its own counter; any other is now charged to the address too (the
    /// principal already was, when the attempt began).
    pub async fn failed(self, iam: &Iam) -> Result<(), ServiceError> {
        if self.device_counter.is_some() {
            return Ok(());
        }
        let mut tx = iam.store().begin().await?;
        let now = iam.clock().now_millis();
        let counter = store::find(&mut *tx, &self.address).await?;
        let next = PASSWORD_BY_ADDRESS.after_failure(counter, now);
        store::save(&mut *tx, &self.address, &next, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The password was right: the counter charged for the attempt is cleared, and the address
    /// and the browser are remembered for this principal (the browser becomes, or stays,
    /// trusted).
    pub async fn succeeded(self, iam: &Iam) -> Result<(), ServiceError> {
        let now = iam.clock().now_millis();
        let db = iam.store().writer();
        // A trusted browser's success leaves the principal's counter alone: guessing from
        // elsewhere gets no fresh free attempts from it.
        let charged = self.device_counter.as_ref().unwrap_or(&self.principal);
        store::delete(db, charged).await?;
        store::remember_source(db, &self.principal, &self.source, now).await?;
        if let Some(device) = &self.device {
            store::remember_source(db, &self.principal, device, now).await?;
        }
        Ok(())
    }
}

fn code_key(principal_arn: &str) -> String {
    key("mfa-code", principal_arn)
}

/// Whether an MFA code for `principal_arn` may be checked now; if so it counts as wrong until
/// `code_accepted`.
pub async fn begin_code_attempt(iam: &Iam, principal_arn: &str) -> Result<bool, ServiceError> {
    let allowed = claim(iam, &[(MFA_CODE, &code_key(principal_arn))]).await?;
    if !allowed {
        tracing::info!(outcome = "throttled", "MFA code attempt refused");
    }
    Ok(allowed)
}

pub async fn code_accepted(iam: &Iam, principal_arn: &str) -> Result<(), ServiceError> {
    store::delete(iam.store().writer(), &code_key(principal_arn)).await?;
    Ok(())
}

fn api_key(source: Option<&str>) -> String {
    key("api-address", source.unwrap_or(UNKNOWN_SOURCE))
}

/// How long this process trusts a source address's Query API counter before reading it again:
/// failures another instance counts take effect here within this time, and a signed request
/// from an address that is not failing costs no store read.
const API_COUNTER_REFRESH_MILLIS: i64 = 1_000;
/// Beyond this many addresses the memory of counters starts afresh (costing reads, not safety).
pub const API_COUNTER_ADDRESSES: usize = 100_000;

/// A source address's counter (or its absence) as this process last read or wrote it.
#[derive(Clone, Copy)]
pub struct SeenCounter {
    counter: Option<Counter>,
    seen_at: i64,
}

/// Whether Query API requests from `source` are refused now (at most one read per second per
/// address).
pub async fn api_source_refused(iam: &Iam, source: Option<&str>) -> Result<bool, ServiceError> {
    let key = api_key(source);
    let now = iam.clock().now_millis();
    let fresh =
        |seen: &SeenCounter| (0..API_COUNTER_REFRESH_MILLIS).contains(&(now - seen.seen_at));
    let remembered = iam.api_counters().read(&key, |seen| {
        seen.filter(|seen| fresh(seen)).map(|seen| seen.counter)
    });
    let counter = match remembered {
        Some(counter) => counter,
        None => {
            let counter = store::find(iam.store().reader(), &key).await?;
            // A failure counted while this read was under way is newer: keep it.
            iam.api_counters().update(&key, |current| {
                (!current.is_some_and(fresh)).then_some(SeenCounter {
                    counter,
                    seen_at: now,
                })
            });
            counter
        }
    };
    Ok(counter.is_some_and(|counter| API_BY_ADDRESS.refuses(&counter, now)))
}

/// Counts a failed Query API authentication from `source`.
pub async fn api_authentication_failed(
    iam: &Iam,
    source: Option<&str>,
) -> Result<(), ServiceError> {
    let key = api_key(source);
    let now = iam.clock().now_millis();
    let mut tx = iam.store().begin().await?;
    let counter = store::find(&mut *tx, &key).await?;
    let counter = API_BY_ADDRESS.after_failure(counter, now);
    store::save(&mut *tx, &key, &counter, now).await?;
    tx.commit().await?;
    iam.api_counters().insert(
        &key,
        SeenCounter {
            counter: Some(counter),
            seen_at: now,
        },
    );
    Ok(())
}

/// Drops counters idle for a day (every window and lock in them is over) and the addresses and
/// browsers no correct password came from for `DEVICE_TRUST_DAYS`.
pub async fn delete_stale(iam: &Iam) -> Result<u64, ServiceError> {
    let now = iam.clock().now_millis();
    let db = iam.store().writer();
    let counters = store::delete_stale(db, now - DAY_MILLIS).await?;
    let sources = store::forget_sources(db, now - DEVICE_TRUST_DAYS * DAY_MILLIS).await?;
    Ok(counters + sources)
}
