//! The audit log: its hash chain (in-transaction and batched records alike), tamper detection,
//! sign-in records, lookups (authorized, one account only, filtered, paged) and exports.

mod common;

use common::doors;

use common::*;
use ferriam::server::service::audit::export::ExportFormat;
use ferriam::server::service::audit::lookup::{export_events, lookup_events};
use ferriam::server::service::signin;
use ferriam::server::service::{entities::users, Caller, RequestInfo};
use ferriam::server::store::audit::{EventFilter, ResultFilter, StoredEvent};
use ferriam::server::store::audit_chain::{verify, ChainReport};
use ferriam::server::store::Backend;

async fn chain(t: &TestIam) -> ChainReport {
    t.iam.audit().flush().await;
    verify(t.iam.store().reader())
        .await
        .expect("walk the chain")
}

async fn exec(t: &TestIam, sql: &str) {
    sqlx::query(sql)
        .execute(t.iam.store().writer())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn count(t: &TestIam) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_events")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap()
}

/// A log with successes (in-transaction), reads and denials (batched), in two accounts.
async fn busy_log() -> (TestIam, ferriam::server::service::Caller) {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    users::get_user(&t.iam, &root, Some("bob")).await.unwrap();
    assert!(users::create_user(&t.iam, &bob, new_user("eve"))
        .await
        .is_err());
    let other = account(&t, OTHER_ACCOUNT).await;
    iam_user(&t, &other, "carol").await;
    for _ in 0..3 {
        users::get_user(&t.iam, &root, Some("bob")).await.unwrap();
    }
    (t, root)
}

#[tokio::test]
async fn every_record_is_chained_whichever_path_wrote_it() {
    let (t, root) = busy_log().await;
    // Concurrent writers: transactions and the batched writer interleave on one connection.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (iam, root) = (t.iam.clone(), root.clone());
        tasks.push(tokio::spawn(async move {
            users::create_user(&iam, &root, new_user(&format!("u{i}")))
                .await
                .unwrap();
            users::get_user(&iam, &root, Some(&format!("u{i}")))
                .await
                .unwrap();
            let _ = users::get_user(&iam, &root, Some("nobody")).await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let report = chain(&t).await;
    assert_eq!(report.broken, None);
    assert_eq!(report.records as i64, count(&t).await);
    assert!(report.records > 60, "{report:?}");
}

#[tokio::test]
async fn a_batch_written_in_several_statements_is_one_chain_in_order() {
    use ferriam::server::store::{audit::AuditRow, audit_chain::insert_all};
    let (t, _) = busy_log().await;
    t.iam.audit().flush().await;
    let before = count(&t).await;
    let rows: Vec<AuditRow> = (0..70)
        .map(|i| AuditRow {
            event_time: 1_700_000_000_000 + i,
            account_id: ACCOUNT.into(),
            principal_arn: format!("arn:aws:iam::{ACCOUNT}:root"),
            principal_id: None,
            access_key_id: None,
            action: "iam:GetUser".into(),
            resource_arn: "*".into(),
            result: "Success".into(),
            error_message: None,
            reason: None,
            details: None,
            source_ip: None,
            user_agent: None,
            request_id: format!("batch-{i:02}"),
        })
        .collect();
    let mut tx = t.iam.store().begin().await.unwrap();
    insert_all(&mut tx, &rows).await.unwrap();
    tx.commit().await.unwrap();

    let report = chain(&t).await;
    assert_eq!(report.broken, None);
    assert_eq!(count(&t).await, before + 70);
    let written: Vec<String> = sqlx::query_scalar(
        "SELECT request_id FROM audit_events WHERE request_id LIKE 'batch-%' ORDER BY seq",
    )
    .fetch_all(t.iam.store().reader())
    .await
    .unwrap();
    let expected: Vec<String> = rows.iter().map(|row| row.request_id.clone()).collect();
    assert_eq!(written, expected);
}

#[tokio::test]
async fn the_log_refuses_updates_and_deletes() {
    let (t, _) = busy_log().await;
    t.iam.audit().flush().await;
    for sql in [
        "UPDATE audit_events SET result = 'Success' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 2",
        "INSERT INTO audit_events (seq, event_time, account_id, principal_arn, action, resource_arn, result, \
         request_id, prev_hash, hash) VALUES (1000, 0, 'x', 'x', 'x', 'x', 'x', 'x', 'forged', 'forged')",
    ] {
        let error = sqlx::query(sql)
            .execute(t.iam.store().writer())
            .await
            .expect_err(sql);
        assert!(error.to_string().contains("audit_events"), "{error}");
    }
    assert_eq!(chain(&t).await.broken, None);
}

/// Tampering as someone with the database file would: the triggers dropped first.
async fn tampered(tamper: &[&str]) -> (ChainReport, i64) {
    let (t, _) = busy_log().await;
    assert_eq!(chain(&t).await.broken, None);
    let on = match t.iam.store().backend() {
        Backend::Sqlite => "",
        Backend::Postgres => " ON audit_events",
    };
    exec(&t, &format!("DROP TRIGGER audit_events_no_update{on}")).await;
    exec(&t, &format!("DROP TRIGGER audit_events_no_delete{on}")).await;
    for sql in tamper {
        exec(&t, sql).await;
    }

    (chain(&t).await, count(&t).await)
}

#[tokio::test]
async fn an_altered_field_is_found() {
    let (report, _) = tampered(&[
        "UPDATE audit_events SET principal_arn = 'arn:aws:iam::123456789012:user/x' WHERE seq = 3",
    ])
    .await;
    let broken = report.broken.expect("broken");
    assert_eq!(broken.seq, 3);
    assert!(broken.reason.contains("altered"), "{}", broken.reason);
    // A forger who also recomputes nothing can not fix it by swapping the result either.
    let (report, _) =
        tampered(&["UPDATE audit_events SET result = 'Success' WHERE result <> 'Success'"]).await;
    assert!(report.broken.is_some());
}

#[tokio::test]
async fn a_removed_record_is_found() {
    let (report, _) = tampered(&["DELETE FROM audit_events WHERE seq = 4"]).await;
    let broken = report.broken.expect("broken");
    assert_eq!(broken.seq, 5);
    assert!(broken.reason.contains("removed"), "{}", broken.reason);
}

#[tokio::test]
async fn reordered_records_are_found() {
    let (report, _) = tampered(&[
        "UPDATE audit_events SET seq = -4 WHERE seq = 4",
        "UPDATE audit_events SET seq = 4 WHERE seq = 5",
        "UPDATE audit_events SET seq = 5 WHERE seq = -4",
    ])
    .await;
    let broken = report.broken.expect("broken");
    assert_eq!(broken.seq, 4);
}

/// An account whose user bob has the console password `Correct-Horse-Battery-9`.
async fn with_bob_signing_in() -> (TestIam, Caller) {
    let (t, root) = with_root().await;
    user_with_password(&t, &root, "bob", "Correct-Horse-Battery-9").await;
    (t, root)
}

#[tokio::test]
async fn sign_in_attempts_are_recorded_with_an_internal_reason() {
    let (t, root) = with_bob_signing_in().await;
    let request = RequestInfo {
        request_id: "req-1".into(),
        source_ip: Some("203.0.113.9".into()),
        user_agent: Some("test-agent".into()),
        ..RequestInfo::default()
    };
    let email = "root-123456789012@example.com";
    assert!(signin::sign_in_root(&t.iam, &request, email, "wrong")
        .await
        .is_err());
    assert!(
        signin::sign_in_root(&t.iam, &request, "nobody@example.com", "x")
            .await
            .is_err()
    );
    assert!(
        signin::sign_in_user(&t.iam, &request, ACCOUNT, "Correct-Horse-Battery-9", "x")
            .await
            .is_err()
    );
    assert!(
        signin::sign_in_user(&t.iam, &request, ACCOUNT, "bob", "wrong")
            .await
            .is_err()
    );
    assert!(
        signin::sign_in_user(&t.iam, &request, ACCOUNT, "bob", "Correct-Horse-Battery-9")
            .await
            .is_ok()
    );

    let logins: Vec<_> = audit_events(&t, ACCOUNT)
        .await
        .into_iter()
        .filter(|e| e.action == "signin:ConsoleLogin")
        .collect();
    let summary: Vec<_> = logins
        .iter()
        .map(|e| {
            (
                e.principal_arn.as_str(),
                e.result.as_str(),
                e.reason.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "arn:aws:iam::123456789012:root",
                "SignInFailed",
                Some("wrong password")
            ),
            (
                "arn:aws:iam::123456789012:user/HIDDEN_DUE_TO_SECURITY_REASONS",
                "SignInFailed",
                Some("unknown user name")
            ),
            (
                "arn:aws:iam::123456789012:user/bob",
                "SignInFailed",
                Some("wrong password")
            ),
        ]
    );
    assert!(logins
        .iter()
        .all(|e| e.source_ip.as_deref() == Some("203.0.113.9")
            && e.user_agent.as_deref() == Some("test-agent")
            && e.request_id == "req-1"));
    // The password typed as a user name is nowhere in the log.
    let everything: Vec<StoredEvent> =
        ferriam::server::store::audit::chain_page(t.iam.store().reader(), 0, 10_000)
            .await
            .unwrap();
    assert!(!format!("{everything:?}").contains("Correct-Horse-Battery-9"));
    // The unknown email went to no account.
    assert!(everything
        .iter()
        .any(|e| e.row.account_id.is_empty() && e.row.reason.as_deref() == Some("unknown email")));

    // Exports say "Failed authentication", never why.
    let jsonl = export_events(
        &t.iam,
        &root,
        &EventFilter::default(),
        ExportFormat::JsonLines,
    )
    .await
    .unwrap();
    let text = String::from_utf8(jsonl).unwrap();
    assert!(
        text.contains(r#""errorMessage":"Failed authentication""#),
        "{text}"
    );
    assert!(text.contains(r#""eventType":"AwsConsoleSignIn""#));
    assert!(!text.contains("wrong password") && !text.contains("unknown user name"));
}

#[tokio::test]
async fn throttled_sign_in_attempts_are_recorded_too() {
    let (t, _) = with_bob_signing_in().await;
    let from = |source: &str| RequestInfo {
        source_ip: Some(source.into()),
        ..RequestInfo::default()
    };
    let email = "root-123456789012@example.com";
    // Five wrong passwords each: the sixth attempt is refused before any password check.
    for _ in 0..6 {
        assert!(
            signin::sign_in_user(&t.iam, &from("203.0.113.9"), ACCOUNT, "bob", "wrong")
                .await
                .is_err()
        );
    }
    for _ in 0..6 {
        assert!(
            signin::sign_in_root(&t.iam, &from("203.0.113.10"), email, "wrong")
                .await
                .is_err()
        );
    }
    let reasons: Vec<_> = audit_events(&t, ACCOUNT)
        .await
        .into_iter()
        .filter(|e| e.action == "signin:ConsoleLogin")
        .map(|e| (e.principal_arn, e.result, e.reason.unwrap_or_default()))
        .collect();
    let count = |arn: &str, reason: &str| {
        reasons
            .iter()
            .filter(|(a, result, r)| a == arn && result == "SignInFailed" && r == reason)
            .count()
    };
    let bob = "arn:aws:iam::123456789012:user/bob";
    let root_arn = "arn:aws:iam::123456789012:root";
    assert_eq!(reasons.len(), 12, "{reasons:?}");
    assert_eq!(
        (count(bob, "wrong password"), count(bob, "throttled")),
        (5, 1)
    );
    assert_eq!(
        (
            count(root_arn, "wrong password"),
            count(root_arn, "throttled")
        ),
        (5, 1)
    );
}

#[tokio::test]
async fn exports_keep_control_characters_inside_their_record() {
    let (t, mut root) = with_root().await;
    root.request.user_agent = Some("evil\n{\"eventName\":\"Forged\"}\r\n,\"x\"".into());
    users::create_user(&t.iam, &root, new_user("alice"))
        .await
        .unwrap();
    assert!(doors::create_user(&t.iam, &root, "bad\nname\u{1b}[31m")
        .await
        .is_err());
    root.request.user_agent = Some("=HYPERLINK(\"http://evil\")".into());
    users::get_user(&t.iam, &root, Some("alice")).await.unwrap();
    t.iam.audit().flush().await;
    let stored = lookup_events(&t.iam, &root, &EventFilter::default(), None, 200)
        .await
        .unwrap();
    // The lookup itself is recorded (batched) before the export reads.
    t.iam.audit().flush().await;
    let n = stored.len() + 1;

    let jsonl = export_events(
        &t.iam,
        &root,
        &EventFilter::default(),
        ExportFormat::JsonLines,
    )
    .await
    .unwrap();
    let text = String::from_utf8(jsonl).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), n, "{text}");
    let events: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(events.iter().all(|e| e["eventName"] != "Forged"));
    assert!(events
        .iter()
        .any(|e| e["userAgent"] == "evil\n{\"eventName\":\"Forged\"}\r\n,\"x\""));
    let create = events
        .iter()
        .find(|e| e["eventName"] == "CreateUser" && e["errorCode"].is_null())
        .expect("CreateUser");
    assert_eq!(create["eventSource"], "iam.amazonaws.com");
    assert_eq!(create["userIdentity"]["type"], "Root");
    assert_eq!(create["requestParameters"]["userName"], "alice");
    assert_eq!(create["readOnly"], false);
    assert_eq!(create["recipientAccountId"], ACCOUNT);

    // The JSON export is on record too by now.
    t.iam.audit().flush().await;
    let csv = export_events(&t.iam, &root, &EventFilter::default(), ExportFormat::Csv)
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let headers = reader.headers().unwrap().clone();
    let agent = headers.iter().position(|h| h == "userAgent").unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), n + 1);
    assert!(records
        .iter()
        .any(|r| &r[agent] == "evil\n{\"eventName\":\"Forged\"}\r\n,\"x\""));
    assert!(records
        .iter()
        .any(|r| &r[agent] == "'=HYPERLINK(\"http://evil\")"));
    assert_eq!(chain(&t).await.broken, None);
}

#[tokio::test]
async fn lookups_need_permission_and_see_one_account() {
    let (t, root) = busy_log().await;
    let (_, bob) = iam_user(&t, &root, "reader").await;
    assert_error(
        lookup_events(&t.iam, &bob, &EventFilter::default(), None, 50).await,
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action",
    );
    put_user_policy(
        &t,
        &root,
        "reader",
        "audit",
        &allow("cloudtrail:LookupEvents", "*"),
    )
    .await;
    t.iam.audit().flush().await;
    let events = lookup_events(&t.iam, &bob, &EventFilter::default(), None, 200)
        .await
        .unwrap();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e.account_id == ACCOUNT));
    assert!(
        events.windows(2).all(|w| w[0].seq > w[1].seq),
        "newest first"
    );
    // The denied lookup is itself on record.
    assert!(events
        .iter()
        .any(|e| e.action == "cloudtrail:LookupEvents" && e.result == "AccessDenied"));

    let filtered = |filter: EventFilter| {
        let (iam, root) = (t.iam.clone(), root.clone());
        async move {
            lookup_events(&iam, &root, &filter, None, 200)
                .await
                .unwrap()
        }
    };
    let by_bob = filtered(EventFilter {
        principal: Some("arn:aws:iam::123456789012:user/bob".into()),
        ..EventFilter::default()
    })
    .await;
    assert!(!by_bob.is_empty());
    assert!(by_bob.iter().all(|e| e.principal_arn.ends_with("user/bob")));
    let creates = filtered(EventFilter {
        action: Some("CreateUser".into()),
        result: ResultFilter::Success,
        ..EventFilter::default()
    })
    .await;
    assert_eq!(creates.len(), 2, "bob and reader");
    let errors = filtered(EventFilter {
        result: ResultFilter::AnyError,
        ..EventFilter::default()
    })
    .await;
    assert!(!errors.is_empty() && errors.iter().all(|e| e.result != "Success"));
    let denied = filtered(EventFilter {
        result: ResultFilter::Code("AccessDenied".into()),
        resource: Some("user/eve".into()),
        ..EventFilter::default()
    })
    .await;
    assert_eq!(denied.len(), 1);
    let none = filtered(EventFilter {
        from_millis: Some(START_MILLIS + 1),
        ..EventFilter::default()
    })
    .await;
    assert!(none.is_empty());
    let wildcard = filtered(EventFilter {
        principal: Some("%".into()),
        ..EventFilter::default()
    })
    .await;
    assert!(
        wildcard.is_empty(),
        "LIKE wildcards in a filter are literal"
    );
    // A NUL, which no stored field holds (PostgreSQL's text cannot), matches nothing.
    let nul = filtered(EventFilter {
        principal: Some("user/\0".into()),
        result: ResultFilter::Code("\0".into()),
        ..EventFilter::default()
    })
    .await;
    assert!(nul.is_empty());

    // Keyset paging: two-by-two walks the same events as one page. (Each lookup is recorded
    // too, so the walk starts below the newest event the big page saw.)
    t.iam.audit().flush().await;
    let all = filtered(EventFilter::default()).await;
    let mut paged = Vec::new();
    let mut before = Some(all[0].seq + 1);
    loop {
        let page = lookup_events(&t.iam, &root, &EventFilter::default(), before, 2)
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        before = Some(last.seq);
        paged.extend(page.into_iter().map(|e| e.seq));
    }
    let all_seqs: Vec<i64> = all.iter().map(|e| e.seq).collect();
    assert_eq!(paged, all_seqs);
}

/// Measures paging and verification on a large log (run with `--ignored --nocapture`).
#[tokio::test]
#[ignore = "slow: builds a 120,000-record log"]
async fn paging_stays_fast_on_a_large_log() {
    use ferriam::server::store::{
        audit::{page, AuditRow},
        audit_chain::insert,
    };
    let (t, _) = with_root().await;
    let started = std::time::Instant::now();
    let mut tx = t.iam.store().begin().await.unwrap();
    for i in 0..120_000i64 {
        let account = if i % 3 == 0 { OTHER_ACCOUNT } else { ACCOUNT };
        let row = AuditRow {
            event_time: START_MILLIS + i,
            account_id: account.into(),
            principal_arn: format!("arn:aws:iam::{account}:user/u{}", i % 50),
            principal_id: None,
            access_key_id: None,
            action: ["iam:GetUser", "iam:CreateUser", "iam:ListUsers"][(i % 3) as usize].into(),
            resource_arn: format!("arn:aws:iam::{account}:user/r{}", i % 1000),
            result: if i % 17 == 0 {
                "AccessDenied"
            } else {
                "Success"
            }
            .into(),
            error_message: None,
            reason: None,
            details: None,
            source_ip: Some("127.0.0.1".into()),
            user_agent: None,
            request_id: format!("req-{i}"),
        };
        insert(&mut tx, &row).await.unwrap();
    }
    tx.commit().await.unwrap();
    eprintln!("insert 120000 chained records: {:?}", started.elapsed());
    let db = t.iam.store().reader();
    let cases = [
        ("first page", EventFilter::default(), None),
        ("deep page", EventFilter::default(), Some(60_000)),
        (
            "principal (exact)",
            EventFilter {
                principal: Some(format!("arn:aws:iam::{ACCOUNT}:user/u7")),
                ..EventFilter::default()
            },
            Some(90_000),
        ),
        (
            "action (substring)",
            EventFilter {
                action: Some("CreateUser".into()),
                ..EventFilter::default()
            },
            None,
        ),
        (
            "any error",
            EventFilter {
                result: ResultFilter::AnyError,
                ..EventFilter::default()
            },
            Some(30_000),
        ),
        (
            "time range",
            EventFilter {
                from_millis: Some(START_MILLIS + 10_000),
                to_millis: Some(START_MILLIS + 20_000),
                ..EventFilter::default()
            },
            None,
        ),
    ];
    for (name, filter, before) in cases {
        let started = std::time::Instant::now();
        let events = page(db, ACCOUNT, &filter, before, 51).await.unwrap();
        let elapsed = started.elapsed();
        eprintln!("{name}: {} events in {elapsed:?}", events.len());
        assert!(!events.is_empty());
        assert!(
            elapsed < std::time::Duration::from_millis(500),
            "{name}: {elapsed:?}"
        );
    }
    let started = std::time::Instant::now();
    let report = verify(db).await.unwrap();
    eprintln!("verify {} records: {:?}", report.records, started.elapsed());
    assert_eq!(report.broken, None);
}
