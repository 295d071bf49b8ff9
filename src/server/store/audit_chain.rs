//! The audit log's hash chain: each record's hash is SHA-256 over an unambiguous encoding of its
//! fields and the previous record's hash, so altering, removing, inserting or reordering a
//! record breaks every link after it. `insert` and `insert_all` extend the chain,
//! `seal_unsealed` links the records written before it existed, and `verify` walks it.

use std::borrow::Cow;

use sha2::{Digest, Sha256};
use sqlx::{Any, AnyConnection, Executor};

use super::audit::{chain_page, AuditRow, StoredEvent, COLUMNS};
use super::StoreError;

/// The `prev_hash` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const DOMAIN: &str = "ferriam-audit-v1";
const PAGE: i64 = 1000;

/// The hex SHA-256 of the record `seq` holding `row`, linked after `prev_hash`.
// SECURITY: every field is length-prefixed (and absent differs from empty), so no two different
// records share an encoding: "ab" + "c" cannot pass for "a" + "bc", and a newline in a name is
// just a byte of that field.
pub fn record_hash(prev_hash: &str, seq: i64, row: &AuditRow) -> String {
    let mut hasher = Sha256::new();
    text(&mut hasher, Some(DOMAIN));
    text(&mut hasher, Some(prev_hash));
    int(&mut hasher, seq);
    int(&mut hasher, row.event_time);
    for field in text_fields(row) {
        text(&mut hasher, field);
    }
    hex::encode(hasher.finalize())
}

/// A record's text fields, in the order its hash covers them.
fn text_fields(row: &AuditRow) -> [Option<&str>; 13] {
    [
        Some(row.account_id.as_str()),
        Some(row.principal_arn.as_str()),
        row.principal_id.as_deref(),
        row.access_key_id.as_deref(),
        Some(row.action.as_str()),
        Some(row.resource_arn.as_str()),
        Some(row.result.as_str()),
        row.error_message.as_deref(),
        row.reason.as_deref(),
        row.details.as_deref(),
        row.source_ip.as_deref(),
        row.user_agent.as_deref(),
        Some(row.request_id.as_str()),
    ]
}

fn text(hasher: &mut Sha256, value: Option<&str>) {
    match value {
        None => hasher.update([0u8]),
        Some(value) => {
            hasher.update([1u8]);
            hasher.update((value.len() as u64).to_be_bytes());
            hasher.update(value.as_bytes());
        }
    }
}

fn int(hasher: &mut Sha256, value: i64) {
    hasher.update([2u8]);
    hasher.update(value.to_be_bytes());
}

/// Rows per INSERT statement: few distinct statements to prepare and cache. Not more, because
/// SQLite finds each of a statement's `$N` parameters by a linear search, so binding costs
/// grow with the square of the parameters per statement (32 rows spent 11% of a loaded
/// server's CPU there).
const ROWS_PER_INSERT: usize = 8;
const PARAMS_PER_ROW: usize = 17;

/// Appends `row` to the chain. Call it on the writer connection (inside its transaction): the
/// newest hash read here is then the one the insert links to.
pub async fn insert(conn: &mut AnyConnection, row: &AuditRow) -> Result<(), StoreError> {
    insert_all(conn, std::slice::from_ref(row)).await
}

/// Appends `rows` to the chain in order, with one read of the chain's head and one INSERT per
/// `ROWS_PER_INSERT` rows. Same contract as `insert`.
pub async fn insert_all(conn: &mut AnyConnection, rows: &[AuditRow]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let rows: Vec<Cow<AuditRow>> = rows.iter().map(storable).collect();
    let last: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (mut seq, mut prev_hash) = match last {
        None => (1, GENESIS.to_string()),
        Some((seq, Some(hash))) => (seq + 1, hash),
        Some((_, None)) => return Err(StoreError::UnsealedAudit),
    };
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut links = Vec::with_capacity(chunk.len());
        for row in chunk {
            let hash = record_hash(&prev_hash, seq, row);
            links.push((seq, std::mem::replace(&mut prev_hash, hash.clone()), hash));
            seq += 1;
        }
        let sql = insert_statement(chunk.len());
        let mut query = sqlx::query(&sql);
        for (row, (seq, prev_hash, hash)) in chunk.iter().zip(links) {
            query = query
                .bind(seq)
                .bind(row.event_time)
                .bind(&row.account_id)
                .bind(&row.principal_arn)
                .bind(&row.principal_id)
                .bind(&row.access_key_id)
                .bind(&row.action)
                .bind(&row.resource_arn)
                .bind(&row.result)
                .bind(&row.error_message)
                .bind(&row.reason)
                .bind(&row.details)
                .bind(&row.source_ip)
                .bind(&row.user_agent)
                .bind(&row.request_id)
                .bind(prev_hash)
                .bind(hash);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// `row` as it can be stored: PostgreSQL's text holds no NUL character, so a field that carries
/// one (a request's parameter, say) is stored, and hashed, with U+FFFD in its place — on both
/// backends alike, so a chain copied from one to the other still verifies.
fn storable(row: &AuditRow) -> Cow<'_, AuditRow> {
    if !text_fields(row)
        .into_iter()
        .flatten()
        .any(|field| field.contains('\0'))
    {
        return Cow::Borrowed(row);
    }
    let mut clean = row.clone();
    let AuditRow {
        account_id,
        principal_arn,
        principal_id,
        access_key_id,
        action,
        resource_arn,
        result,
        error_message,
        reason,
        details,
        source_ip,
        user_agent,
        request_id,
        event_time: _,
    } = &mut clean;
    let required = [
        account_id,
        principal_arn,
        action,
        resource_arn,
        result,
        request_id,
    ];
    let optional = [
        principal_id,
        access_key_id,
        error_message,
        reason,
        details,
        source_ip,
        user_agent,
    ];
    for field in required
        .into_iter()
        .chain(optional.into_iter().filter_map(Option::as_mut))
    {
        *field = field.replace('\0', "\u{FFFD}");
    }
    Cow::Owned(clean)
}

/// `INSERT … VALUES ($1, …, $17), ($18, …)` for `rows` rows.
fn insert_statement(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|row| {
            let params: Vec<String> = (1..=PARAMS_PER_ROW)
                .map(|column| format!("${}", row * PARAMS_PER_ROW + column))
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO audit_events (seq, {COLUMNS}, prev_hash, hash) VALUES {}",
        values.join(", ")
    )
}

/// Seals the records written before the chain existed (hash still NULL), in order, linking
/// them after the newest sealed record before them. Runs once at start-up, after migrations.
pub async fn seal_unsealed(conn: &mut AnyConnection) -> Result<u64, StoreError> {
    let unsealed: Vec<StoredEvent> = sqlx::query_as(&format!(
        "SELECT seq, {COLUMNS}, prev_hash, hash FROM audit_events WHERE hash IS NULL ORDER BY seq"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = unsealed.first() else {
        return Ok(0);
    };
    let before: Option<(Option<String>,)> =
        sqlx::query_as("SELECT hash FROM audit_events WHERE seq < $1 ORDER BY seq DESC LIMIT 1")
            .bind(first.seq)
            .fetch_optional(&mut *conn)
            .await?;
    let mut prev_hash = before
        .and_then(|(hash,)| hash)
        .unwrap_or_else(|| GENESIS.to_string());
    for event in &unsealed {
        let hash = record_hash(&prev_hash, event.seq, &event.row);
        sqlx::query("UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(&prev_hash)
            .bind(&hash)
            .bind(event.seq)
            .execute(&mut *conn)
            .await?;
        prev_hash = hash;
    }
    Ok(unsealed.len() as u64)
}

/// The outcome of a chain walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    /// Records checked (up to and including a broken one).
    pub records: u64,
    pub broken: Option<BrokenLink>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: &'static str,
}

/// Walks the whole chain, oldest first, and stops at the first record that does not verify.
pub async fn verify<'c, E>(db: E) -> Result<ChainReport, StoreError>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let mut expected_prev = GENESIS.to_string();
    let mut after = 0;
    let mut records = 0;
    loop {
        let events = chain_page(db, after, PAGE).await?;
        let Some(last) = events.last() else {
            return Ok(ChainReport {
                records,
                broken: None,
            });
        };
        after = last.seq;
        for event in events {
            records += 1;
            let broken = |reason| {
                Ok(ChainReport {
                    records,
                    broken: Some(BrokenLink {
                        seq: event.seq,
                        reason,
                    }),
                })
            };
            let (Some(prev_hash), Some(hash)) = (&event.prev_hash, &event.hash) else {
                return broken("the record is not sealed (no hash)");
            };
            if *prev_hash != expected_prev {
                return broken(
                    "prev_hash does not match the previous record's hash: a record before it was removed, inserted or reordered",
                );
            }
            if *hash != record_hash(prev_hash, event.seq, &event.row) {
                return broken(
                    "the hash does not match the record's contents: a field was altered",
                );
            }
            expected_prev = hash.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> AuditRow {
        AuditRow {
            event_time: 1,
            account_id: "123456789012".into(),
            principal_arn: "arn:aws:iam::123456789012:root".into(),
            principal_id: None,
            access_key_id: None,
            action: crate::catalog::Op::CreateUser.action().into(),
            resource_arn: "arn:aws:iam::123456789012:user/ab".into(),
            result: "Success".into(),
            error_message: None,
            reason: None,
            details: None,
            source_ip: Some("c".into()),
            user_agent: None,
            request_id: "r".into(),
        }
    }

    #[test]
    fn moving_bytes_between_fields_changes_the_hash() {
        let original = row();
        let mut shifted = row();
        shifted.resource_arn = "arn:aws:iam::123456789012:user/a".into();
        shifted.source_ip = Some("bc".into());
        assert_ne!(
            record_hash(GENESIS, 1, &original),
            record_hash(GENESIS, 1, &shifted)
        );
    }

    #[test]
    fn a_nul_is_stored_as_the_replacement_character_and_nothing_else_changes() {
        let clean = row();
        assert!(matches!(storable(&clean), Cow::Borrowed(_)));
        let mut carrying = row();
        carrying.resource_arn = "arn:aws:iam::123456789012:policy/a\0b".into();
        carrying.user_agent = Some("\0".into());
        let stored = storable(&carrying).into_owned();
        assert_eq!(
            stored.resource_arn,
            "arn:aws:iam::123456789012:policy/a\u{FFFD}b"
        );
        assert_eq!(stored.user_agent.as_deref(), Some("\u{FFFD}"));
        assert_eq!(
            AuditRow {
                resource_arn: clean.resource_arn.clone(),
                user_agent: None,
                ..stored
            },
            clean
        );
    }

    #[test]
    fn absent_differs_from_empty_and_every_input_counts() {
        let base = record_hash(GENESIS, 1, &row());
        let mut empty = row();
        empty.user_agent = Some(String::new());
        assert_ne!(base, record_hash(GENESIS, 1, &empty));
        assert_ne!(base, record_hash(GENESIS, 2, &row()));
        assert_ne!(base, record_hash(&"1".repeat(64), 1, &row()));
        assert_eq!(base, record_hash(GENESIS, 1, &row()));
        assert_eq!(base.len(), 64);
    }
}
