//! Queries on `signin_throttle` (guessing counters, keyed by a hash) and
//! `signin_known_sources` (where a principal signed in from with a correct password).

use sqlx::{Any, Executor, FromRow};

use super::StoreError;
use crate::domain::throttle::{Counter, Rule, HOUR_MILLIS};

#[derive(Clone, Debug, FromRow)]
struct CounterRow {
    consecutive_failures: i64,
    window_started_at: i64,
    window_failures: i64,
    locked_until: i64,
}

impl CounterRow {
    fn counter(self) -> Counter {
        Counter {
            consecutive_failures: self.consecutive_failures,
            window_started_at: self.window_started_at,
            window_failures: self.window_failures,
            locked_until: self.locked_until,
        }
    }
}

pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    key_hash: &str,
) -> Result<Option<Counter>, StoreError> {
    let row: Option<CounterRow> = sqlx::query_as(
        "SELECT consecutive_failures, window_started_at, window_failures, locked_until \
         FROM signin_throttle WHERE key_hash = $1",
    )
    .bind(key_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(CounterRow::counter))
}

/// The doublings after which a rule's lock reaches its longest (the first `d` with
/// `first_delay × 2^d ≥ max_delay`).
fn doublings_to_max(rule: &Rule) -> i64 {
    let mut doublings = 0;
    while doublings < 40
        && rule.first_delay_millis.saturating_mul(1 << doublings) < rule.max_delay_millis
    {
        doublings += 1;
    }
    doublings
}

/// Counts one failure on `key_hash` under `rule` at `now` in ONE statement and returns the
/// counter as saved: `Rule::after_failure` written in SQL. With `only_if_open`, the failure is
/// counted only while `rule` does not refuse the key (`Rule::refuses`), and `None` says it
/// did: the attempt was neither counted nor let through.
///
/// INVARIANT: admission and count are one `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`,
/// so concurrent attempts cannot both take the last free slot, on SQLite (one writer) and on
/// PostgreSQL (the row is locked by the first update; the second re-checks the WHERE on the
/// updated row) alike. A read-then-write would let parallel checks through (the ZITADEL
/// lockout bypass).
pub async fn count_failure<'c>(
    db: impl Executor<'c, Database = Any>,
    key_hash: &str,
    rule: &Rule,
    now: i64,
    only_if_open: bool,
) -> Result<Option<Counter>, StoreError> {
    let first = rule.after_failure(None, now);
    // $2 now, $4 the window, $5 free failures, $6 doublings to the longest lock, $7 the
    // longest lock, $8 the first lock, $9 the hourly cap.
    let open = match (only_if_open, rule.hourly_cap) {
        (false, _) => "",
        (true, None) => " WHERE signin_throttle.locked_until <= $2",
        (true, Some(_)) => {
            " WHERE signin_throttle.locked_until <= $2 AND NOT ($2 - signin_throttle.window_started_at < $4 \
             AND signin_throttle.window_failures >= $9)"
        }
    };
    let sql = format!(
        "INSERT INTO signin_throttle (key_hash, consecutive_failures, window_started_at, \
         window_failures, locked_until, updated_at) VALUES ($1, 1, $2, 1, $3, $2) \
         ON CONFLICT (key_hash) DO UPDATE SET \
         consecutive_failures = signin_throttle.consecutive_failures + 1, \
         window_started_at = CASE WHEN $2 - signin_throttle.window_started_at >= $4 THEN $2 \
           ELSE signin_throttle.window_started_at END, \
         window_failures = CASE WHEN $2 - signin_throttle.window_started_at >= $4 THEN 1 \
           ELSE signin_throttle.window_failures + 1 END, \
         locked_until = CASE \
           WHEN signin_throttle.consecutive_failures + 1 < $5 THEN 0 \
           WHEN signin_throttle.consecutive_failures + 1 - $5 >= $6 THEN $2 + $7 \
           ELSE $2 + $8 * (CAST(1 AS BIGINT) << CAST(signin_throttle.consecutive_failures + 1 - $5 AS INTEGER)) \
           END, \
         updated_at = $2{open} \
         RETURNING consecutive_failures, window_started_at, window_failures, locked_until"
    );
    let mut query = sqlx::query_as::<_, CounterRow>(&sql)
        .bind(key_hash)
        .bind(now)
        .bind(first.locked_until)
        .bind(HOUR_MILLIS)
        .bind(rule.free_failures)
        .bind(doublings_to_max(rule))
        .bind(rule.max_delay_millis)
        .bind(rule.first_delay_millis);
    if only_if_open {
        if let Some(cap) = rule.hourly_cap {
            query = query.bind(cap);
        }
    }
    let row = query.fetch_optional(db).await?;
    Ok(row.map(CounterRow::counter))
}

/// Ends the run of failures on `key_hash` (no lock, the free failures again) but keeps the
/// hour's count, less `take_back` failures (the attempt that just succeeded, when it had been
/// counted): successes cannot refill the hourly cap.
pub async fn end_run<'c>(
    db: impl Executor<'c, Database = Any>,
    key_hash: &str,
    take_back: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE signin_throttle SET consecutive_failures = 0, locked_until = 0, \
         window_failures = CASE WHEN window_failures > $2 THEN window_failures - $2 ELSE 0 END, \
         updated_at = $3 WHERE key_hash = $1",
    )
    .bind(key_hash)
    .bind(take_back)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn save<'c>(
    db: impl Executor<'c, Database = Any>,
    key_hash: &str,
    counter: &Counter,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO signin_throttle (key_hash, consecutive_failures, window_started_at, \
         window_failures, locked_until, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (key_hash) DO UPDATE SET consecutive_failures = excluded.consecutive_failures, \
         window_started_at = excluded.window_started_at, window_failures = excluded.window_failures, \
         locked_until = excluded.locked_until, updated_at = excluded.updated_at",
    )
    .bind(key_hash)
    .bind(counter.consecutive_failures)
    .bind(counter.window_started_at)
    .bind(counter.window_failures)
    .bind(counter.locked_until)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    key_hash: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM signin_throttle WHERE key_hash = $1")
        .bind(key_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Drops counters untouched since `before` (their windows and locks are long over).
pub async fn delete_stale<'c>(
    db: impl Executor<'c, Database = Any>,
    before: i64,
) -> Result<u64, StoreError> {
    let result = sqlx::query("DELETE FROM signin_throttle WHERE updated_at < $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// When the principal last signed in with a correct password from `source_hash` (an address
/// or a browser's device), if ever.
pub async fn last_success<'c>(
    db: impl Executor<'c, Database = Any>,
    principal_hash: &str,
    source_hash: &str,
) -> Result<Option<i64>, StoreError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT last_success_at FROM signin_known_sources \
         WHERE principal_hash = $1 AND source_hash = $2",
    )
    .bind(principal_hash)
    .bind(source_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(at,)| at))
}

pub async fn remember_source<'c>(
    db: impl Executor<'c, Database = Any>,
    principal_hash: &str,
    source_hash: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO signin_known_sources (principal_hash, source_hash, last_success_at) \
         VALUES ($1, $2, $3) ON CONFLICT (principal_hash, source_hash) \
         DO UPDATE SET last_success_at = excluded.last_success_at",
    )
    .bind(principal_hash)
    .bind(source_hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets the addresses and browsers whose last correct password is older than `before`.
pub async fn forget_sources<'c>(
    db: impl Executor<'c, Database = Any>,
    before: i64,
) -> Result<u64, StoreError> {
    let result = sqlx::query("DELETE FROM signin_known_sources WHERE last_success_at < $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}
