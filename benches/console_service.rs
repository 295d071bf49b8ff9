//! Service-level speed on a real SQLite database: authorizing one console action for an IAM
//! user with 20 attached policies (gathering + evaluation; target p50 < 100 µs), and listing or
//! searching users in an account of 100,000 (the queries behind the users page).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ferriam::domain::entity_requests::NewEntity;
use ferriam::domain::Principal;
use ferriam::server::clock::Clock;
use ferriam::server::crypto::Sealer;
use ferriam::server::passwords::PasswordHasher;
use ferriam::server::service::account::accounts::{create_account_headless, NewAccount};
use ferriam::server::service::authorization::{authorize, RequestContext};
use ferriam::server::service::entities::users::{create_user, list_users, CreateUser, ListUsers};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::iam::Settings;
use ferriam::server::service::policies::{create_policy, CreatePolicy};
use ferriam::server::service::{entities::groups, policies::attachments, Caller, Iam};
use ferriam::server::store::Store;
use tokio::runtime::Runtime;

const ACCOUNT: &str = "123456789012";
const USERS: usize = 100_000;

fn policy(seed: usize) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[
  {{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::team-{seed}/*"],
    "Condition":{{"Bool":{{"aws:SecureTransport":"true"}}}}}},
  {{"Effect":"Allow","Action":"iam:Get*","Resource":"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"}},
  {{"Effect":"Deny","Action":"iam:DeleteAccountPasswordPolicy","Resource":"*",
    "Condition":{{"IpAddress":{{"aws:SourceIp":"203.0.113.0/24"}}}}}}
]}}"#
    )
}

struct Fixture {
    iam: Iam,
    _dir: tempfile::TempDir,
    bob: Caller,
}

/// An account with 100,000 users, and bob with 10 policies attached directly and 10 more
/// through a group (the per-entity quota is 10), the last one allowing iam:CreateUser.
async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await
    .expect("open");
    store.migrate().await.expect("migrate");
    let iam = Iam::new(
        store,
        PasswordHasher::new(1),
        Sealer::new(&[3; 32]),
        Clock::System,
        Settings::default(),
    );
    let account = create_account_headless(
        &iam,
        NewAccount {
            email: "bench@example.com".into(),
            password: "bench password".into(),
            confirm_password: "bench password".into(),
            alias: None,
            account_id: Some(ACCOUNT.into()),
        },
    )
    .await
    .expect("account");
    let root = Caller::local(Principal::root(account.account_id.clone()));
    let new_user = |name: String| CreateUser {
        entity: NewEntity::parse(&name, None).unwrap(),
        tags: Vec::new(),
        permissions_boundary: None,
        groups: Vec::new(),
        policy_arns: Vec::new(),
    };
    let bob = create_user(&iam, &root, new_user("bob".into()))
        .await
        .expect("bob");
    groups::create_group(&iam, &root, NewEntity::parse("engineers", None).unwrap())
        .await
        .expect("group");
    groups::add_user_to_group(&iam, &root, "engineers", "bob")
        .await
        .expect("membership");
    for seed in 0..20 {
        let document = if seed == 19 {
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*"}]}"#.to_string()
        } else {
            policy(seed)
        };
        let created = create_policy(
            &iam,
            &root,
            CreatePolicy {
                policy_name: format!("policy-{seed}"),
                path: None,
                description: None,
                document,
            },
        )
        .await
        .expect("policy");
        let (kind, name) = if seed < 10 {
            (EntityKind::User, "bob")
        } else {
            (EntityKind::Group, "engineers")
        };
        attachments::attach_policy(&iam, &root, kind, name, &created.arn)
            .await
            .expect("attach");
    }
    // Bulk-insert the other users directly: creating 100,000 through the service would
    // measure the set-up, not the listing.
    let mut tx = iam.store().begin().await.expect("tx");
    for i in 0..USERS {
        let name = format!("user-{i:06}");
        sqlx::query(
            "INSERT INTO users (user_id, account_id, name, name_key, path, created_at) VALUES ($1, $2, $3, $3, '/', 0)",
        )
        .bind(format!("AIDABENCH{i:012}"))
        .bind(ACCOUNT)
        .bind(&name)
        .execute(&mut *tx)
        .await
        .expect("insert");
    }
    tx.commit().await.expect("commit");
    let bob = Caller::local(Principal::user(
        account.account_id,
        &bob.user_id,
        "bob",
        "/",
    ));
    Fixture {
        iam,
        _dir: dir,
        bob,
    }
}

fn benches(c: &mut Criterion) {
    let runtime = Runtime::new().expect("runtime");
    let fixture = runtime.block_on(fixture());
    let Fixture { iam, bob, .. } = &fixture;
    let resource = format!("arn:aws:iam::{ACCOUNT}:user/new-user");
    let none = RequestContext::default();
    runtime
        .block_on(authorize(iam, bob, "iam:CreateUser", &resource, &none))
        .expect("bob may create users");

    c.bench_function(
        "authorize console action, 20 attached policies (cached set)",
        |b| {
            b.iter(|| {
                runtime.block_on(authorize(
                    iam,
                    bob,
                    black_box("iam:CreateUser"),
                    &resource,
                    &none,
                ))
            })
        },
    );
    c.bench_function(
        "authorize console action, 20 attached policies (set reloaded)",
        |b| {
            b.iter(|| {
                runtime.block_on(async {
                    sqlx::query("UPDATE accounts SET authz_generation = authz_generation + 1")
                        .execute(iam.store().writer())
                        .await
                        .expect("bump");
                    authorize(iam, bob, "iam:CreateUser", &resource, &none).await
                })
            })
        },
    );

    let root = Caller::local(Principal::root(bob.principal.account_id.clone()));
    let list = |prefix: Option<&str>, marker: Option<String>| ListUsers {
        path_prefix: None,
        name_prefix: prefix.map(str::to_string),
        marker,
        max_items: Some(50),
    };
    c.bench_function("list users: first page of 50 of 100,000", |b| {
        b.iter(|| {
            runtime
                .block_on(list_users(iam, &root, list(None, None)))
                .expect("list")
        })
    });
    let middle = runtime
        .block_on(list_users(iam, &root, list(Some("user-05"), None)))
        .expect("page")
        .marker;
    c.bench_function(
        "list users: a page from the middle of 100,000 (marker)",
        |b| {
            b.iter(|| {
                runtime
                    .block_on(list_users(iam, &root, list(None, middle.clone())))
                    .expect("list")
            })
        },
    );
    c.bench_function("list users: name prefix search in 100,000", |b| {
        b.iter(|| {
            runtime
                .block_on(list_users(
                    iam,
                    &root,
                    list(Some(black_box("user-0731")), None),
                ))
                .expect("search")
        })
    });
}

criterion_group!(name = console; config = Criterion::default().sample_size(200); targets = benches);
criterion_main!(console);
