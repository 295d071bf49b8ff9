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
//!   (at the 30 s pace) until the hour ends. A success clears the principal's counter. An IAM
//!   user's ChangePassword (the old password) is charged to the same counter as its sign-in,
//!   so the two doors together give no more guesses than one.
//! - Password, per trusted browser (OWASP's device cookies): a browser whose device cookie
//!   came with a correct password for the principal (or with the creation of its account, for
//!   a root user) in the last 180 days is counted on its own (the same numbers as the
//!   principal's), and neither the principal's nor the address's locks apply to it. Guessing
//!   from elsewhere therefore never keeps the real user's browser out, on any network; a
//!   stolen cookie buys one principal's allowance, no more.
//! - MFA codes, per principal (every check of a code goes through `mfa_check::verify_code`:
//!   the sign-in step, EnableMFADevice, ResyncMFADevice, STS GetSessionToken and AssumeRole,
//!   and the root user's MFA removal): 5 wrong codes in a row lock for 60 s, during which even
//!   the right code is refused (in the words of a wrong code); each wrong code after that
//!   locks for another 60 s; at most 100 wrong codes per hour. A right code ends the run of
//!   failures but not the hour's count, so a real user's successes give a guesser no fresh
//!   allowance. One principal's MFA thus takes at most 64 guesses in the first hour (5 at
//!   once, then one a minute) and 60 in each hour after, from any number of addresses and
//!   through any mix of doors; however often the real user signs in meanwhile, never more
//!   than 100 in one hour window. A guess hits with a chance of about 3 in 10⁶ (a code is good
//!   for three 30-second steps): ~333,000 guesses expected, ~5,600 hours at 60 an hour.
//! - MFA codes, per source address, across all principals (someone holding many principals'
//!   passwords or keys): 10 wrong codes free, then 1 s doubling up to 15 min, at most 100 per
//!   hour; charged only for wrong codes (people behind one address checking right codes at
//!   once are not held up), and a right code from the address ends its run (not its hour).
//! - Sign-up (console), per source address: at most 10 attempts per hour get as far as hashing
//!   a password; a closed sign-up or invalid input is refused before any of that.
//! - Query API, per source address: 10 failed authentications free, then 1 s doubling up to
//!   5 min, answered with AWS's `Throttling` before any key lookup.

use crate::server::digest::sha256_hex;

use crate::domain::throttle::{Counter, Rule, HOUR_MILLIS};
use crate::server::store::throttle as store;
use crate::server::store::Tx;

use crate::server::service::signin::device_id::DeviceId;
use crate::server::service::{Iam, ServiceError};

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

/// MFA codes, per principal (whoever checks them: sign-in, STS, Enable/Resync, root MFA
/// removal).
pub const MFA_BY_PRINCIPAL: Rule = Rule {
    free_failures: 5,
    first_delay_millis: 60 * 1_000,
    max_delay_millis: 60 * 1_000,
    hourly_cap: Some(100),
};

/// MFA codes, per source address, across all principals.
pub const MFA_BY_SOURCE: Rule = Rule {
    free_failures: 10,
    first_delay_millis: 1_000,
    max_delay_millis: 15 * 60 * 1_000,
    hourly_cap: Some(100),
};

/// Console sign-up attempts that get as far as hashing a password, per source address.
pub const SIGN_UP_BY_SOURCE: Rule = Rule {
    // Never a lock: only the hourly cap.
    free_failures: i64::MAX,
    first_delay_millis: 0,
    max_delay_millis: 0,
    hourly_cap: Some(10),
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

/// Counts one failure on `key` unless `rule` refuses the attempt now. Returns whether the
/// attempt may go ahead.
async fn claim(iam: &Iam, rule: Rule, key: &str) -> Result<bool, ServiceError> {
    let now = iam.clock().now_millis();
    // The cheap refusal: a read only.
    if store::find(iam.store().reader(), key)
        .await?
        .is_some_and(|c| rule.refuses(&c, now))
    {
        return Ok(false);
    }
    // INVARIANT: check and count are one statement, so two concurrent attempts cannot both see
    // the last free slot.
    Ok(
        store::count_failure(iam.store().writer(), key, &rule, now, true)
            .await?
            .is_some(),
    )
}

/// A password attempt that was let through and counted as a failure until it succeeds.
pub struct PasswordAttempt {
    principal: String,
    /// The counter the attempt was charged to: a trusted browser's own, or the principal's.
    charged: String,
    /// The address to charge as well if the password is wrong; `None` for a trusted browser.
    address: Option<String>,
    source: String,
    /// The browser's device, as the principal's known sources name it.
    device: Option<String>,
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
    let principal = key("password-principal", principal);
    let device = device.map(|device| key("device", device.as_str()));
    let source_key = key("source", source);
    let now = iam.clock().now_millis();
    let attempt = |charged: String, address: Option<String>| PasswordAttempt {
        principal: principal.clone(),
        charged,
        address,
        source: source_key.clone(),
        device: device.clone(),
    };
    if let Some(device) = &device {
        if remembered(iam, &principal, device, now).await? {
            let counter = key("password-device", &format!("{principal}:{device}"));
            return Ok(if claim(iam, PASSWORD_BY_DEVICE, &counter).await? {
                Some(attempt(counter, None))
            } else {
                refused()
            });
        }
    }
    let principal_rule = if remembered(iam, &principal, &source_key, now).await? {
        PASSWORD_BY_PRINCIPAL.without_cap()
    } else {
        PASSWORD_BY_PRINCIPAL
    };
    let address = key("password-address", source);
    let address_locked = store::find(iam.store().reader(), &address)
        .await?
        .is_some_and(|counter| PASSWORD_BY_ADDRESS.refuses(&counter, now));
    if !address_locked && claim(iam, principal_rule, &principal).await? {
        Ok(Some(attempt(principal.clone(), Some(address))))
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
    /// The password was wrong (or the principal unknown): the attempt was counted when it
    /// began; the address is charged now, unless a trusted browser made it.
    pub async fn failed(self, iam: &Iam) -> Result<(), ServiceError> {
        if let Some(address) = &self.address {
            charge(iam, PASSWORD_BY_ADDRESS, address).await?;
        }
        Ok(())
    }

    /// The password was right: the counter charged for the attempt is cleared, and the address
    /// and the browser are remembered for this principal (the browser becomes, or stays,
    /// trusted). A trusted browser's success leaves the principal's counter alone: guessing
    /// from elsewhere gets no fresh free attempts from it.
    pub async fn succeeded(self, iam: &Iam) -> Result<(), ServiceError> {
        store::delete(iam.store().writer(), &self.charged).await?;
        remember(iam, &self.principal, &self.source, self.device.as_deref()).await
    }
}

/// Remembers `source` and, in a browser, `device` for `principal` as a correct password does,
/// without an attempt: the creator of a new account typed its root password there.
pub async fn remember_password_sources(
    iam: &Iam,
    principal: &str,
    source: Option<&str>,
    device: Option<&DeviceId>,
) -> Result<(), ServiceError> {
    let device = device.map(|device| key("device", device.as_str()));
    remember(
        iam,
        &key("password-principal", principal),
        &key("source", source.unwrap_or(UNKNOWN_SOURCE)),
        device.as_deref(),
    )
    .await
}

/// Remembers the (keyed) source and device as having given the principal's password now.
async fn remember(
    iam: &Iam,
    principal: &str,
    source: &str,
    device: Option<&str>,
) -> Result<(), ServiceError> {
    let now = iam.clock().now_millis();
    let db = iam.store().writer();
    store::remember_source(db, principal, source, now).await?;
    if let Some(device) = device {
        store::remember_source(db, principal, device, now).await?;
    }
    Ok(())
}

/// Counts one completed failure on `key` under `rule`; returns the counter as saved.
async fn charge(iam: &Iam, rule: Rule, key: &str) -> Result<Counter, ServiceError> {
    let now = iam.clock().now_millis();
    store::count_failure(iam.store().writer(), key, &rule, now, false)
        .await?
        .ok_or_else(|| ServiceError::internal("a failure was not counted"))
}

/// Lets a console sign-up from `source` go on to hash a password, counting it; `false` once
/// the address had its hour's share.
pub async fn begin_sign_up(iam: &Iam, source: Option<&str>) -> Result<bool, ServiceError> {
    let counter = key("sign-up-source", source.unwrap_or(UNKNOWN_SOURCE));
    let allowed = claim(iam, SIGN_UP_BY_SOURCE, &counter).await?;
    if !allowed {
        tracing::info!(outcome = "throttled", "sign-up refused");
    }
    Ok(allowed)
}

// ---- MFA codes --------------------------------------------------------------------------------

/// The counters one MFA-code check is charged to: the principal whose device it is (keyed by
/// account and owner, the user's unique ID or root, so a rename does not reset it) and the
/// source address the code came from.
pub(in crate::server::service) struct CodeKeys {
    principal: String,
    source: String,
}

pub(in crate::server::service) fn code_keys(
    account_id: &str,
    owner: &str,
    source: Option<&str>,
) -> CodeKeys {
    CodeKeys {
        principal: code_principal_key(account_id, owner),
        source: key("mfa-source", source.unwrap_or(UNKNOWN_SOURCE)),
    }
}

fn code_principal_key(account_id: &str, owner: &str) -> String {
    key("mfa-principal", &format!("{account_id}:{owner}"))
}

/// The cheap refusal: whether the principal's or the source's code counter is locked now (a
/// read each, no write).
pub(in crate::server::service) async fn code_attempt_refused(
    iam: &Iam,
    keys: &CodeKeys,
) -> Result<bool, ServiceError> {
    let now = iam.clock().now_millis();
    let db = iam.store().reader();
    Ok(store::find(db, &keys.principal)
        .await?
        .is_some_and(|c| MFA_BY_PRINCIPAL.refuses(&c, now))
        || store::find(db, &keys.source)
            .await?
            .is_some_and(|c| MFA_BY_SOURCE.refuses(&c, now)))
}

/// Lets one code check go ahead inside `tx` (the check's own transaction), counting it as the
/// principal's failure until `code_succeeded`; `false` when a counter refuses it.
pub(in crate::server::service) async fn claim_code_attempt(
    iam: &Iam,
    tx: &mut Tx,
    keys: &CodeKeys,
) -> Result<bool, ServiceError> {
    let now = iam.clock().now_millis();
    // INVARIANT: the lock decision comes from the counting statement itself (see
    // `store::count_failure`): parallel checks cannot share the last free failure.
    if store::count_failure(&mut **tx, &keys.principal, &MFA_BY_PRINCIPAL, now, true)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    // Read again inside the transaction: a failure counted since the cheap read refuses too.
    Ok(!store::find(&mut **tx, &keys.source)
        .await?
        .is_some_and(|c| MFA_BY_SOURCE.refuses(&c, now)))
}

/// A checked code was wrong (or already used): the principal's failure stands (counted by
/// `claim_code_attempt`); the source is charged now, in the same transaction.
pub(in crate::server::service) async fn code_failed(
    iam: &Iam,
    tx: &mut Tx,
    keys: &CodeKeys,
) -> Result<(), ServiceError> {
    let now = iam.clock().now_millis();
    store::count_failure(&mut **tx, &keys.source, &MFA_BY_SOURCE, now, false).await?;
    tracing::info!(outcome = "failure", "MFA code refused");
    Ok(())
}

/// A code was accepted: the principal's and the source's runs of failures end, in the
/// transaction that records the code's use (so neither happens without the other). The hour's
/// counts stay: a real user's successes do not give a guesser fresh allowances.
pub(in crate::server::service) async fn code_succeeded(
    iam: &Iam,
    tx: &mut Tx,
    keys: &CodeKeys,
) -> Result<(), ServiceError> {
    let now = iam.clock().now_millis();
    store::end_run(&mut **tx, &keys.principal, 1, now).await?;
    store::end_run(&mut **tx, &keys.source, 0, now).await?;
    Ok(())
}

/// The principal's MFA-code counter (for tests and diagnostics).
pub async fn code_counter(
    iam: &Iam,
    account_id: &str,
    owner: &str,
) -> Result<Option<Counter>, ServiceError> {
    Ok(store::find(iam.store().reader(), &code_principal_key(account_id, owner)).await?)
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
    let counter = charge(iam, API_BY_ADDRESS, &key).await?;
    iam.api_counters().insert(
        &key,
        SeenCounter {
            counter: Some(counter),
            seen_at: iam.clock().now_millis(),
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
