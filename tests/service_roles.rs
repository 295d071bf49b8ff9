//! Service tests: IAM roles — create with a trust policy, read, list, update, delete (and its
//! conflicts), tags, on a real SQLite database.

mod common;

use common::*;
use ferriam::domain::entity_requests::NewEntity;
use ferriam::domain::tags::Tag;
use ferriam::server::service::entities::boundaries;
use ferriam::server::service::entities::roles::{self, CreateRole, ListRoles};
use ferriam::server::service::entities::tagging;
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::ServiceError;
use ferriam::server::service::{policies, policies::attachments, policies::inline, Caller};
use ferriam::server::store;

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// A create request as the Query API parses it, so a bad name is refused as a client sees it.
fn parsed_role(name: &str) -> Result<CreateRole, ServiceError> {
    Ok(CreateRole {
        entity: NewEntity::parse(name, None)?,
        ..new_role("r")
    })
}

fn new_role(name: &str) -> CreateRole {
    CreateRole {
        entity: NewEntity::parse(name, None).unwrap(),
        assume_role_policy_document: TRUST.to_string(),
        description: None,
        max_session_duration: None,
        tags: Vec::new(),
        permissions_boundary: None,
    }
}

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.to_string(),
        value: value.to_string(),
    }
}

/// A trust policy of exactly `size` characters, whitespace excluded.
fn trust_of_size(size: usize) -> String {
    let make = |pad: usize| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{}","Effect":"Allow","Principal":{{"Service":"ec2.amazonaws.com"}},"Action":"sts:AssumeRole"}}]}}"#,
            "S".repeat(pad)
        )
    };
    let base = ferriam::policy::policy_size(&make(1)) - 1;
    make(size - base)
}

async fn role_exists(t: &TestIam, root: &Caller, name: &str) -> bool {
    store::roles::TABLE
        .find_by_name(t.iam.store().reader(), root.account_id().as_str(), name)
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn create_role_returns_the_aws_role() {
    let (t, root) = with_root().await;
    let role = roles::create_role(
        &t.iam,
        &root,
        CreateRole {
            entity: NewEntity::parse("WebServer", Some("/service/")).unwrap(),
            description: Some("Runs the app".into()),
            tags: vec![tag("app", "web")],
            ..new_role("WebServer")
        },
    )
    .await
    .unwrap();
    assert_eq!(role.role_name, "WebServer");
    assert_eq!(role.path, "/service/");
    assert_eq!(role.arn, "arn:aws:iam::123456789012:role/service/WebServer");
    assert_unique_id(&role.role_id, "AROA");
    assert_eq!(role.create_date, START_MILLIS);
    assert_eq!(role.max_session_duration, 3600, "AWS's default");
    assert_eq!(role.description.as_deref(), Some("Runs the app"));
    assert_eq!(role.assume_role_policy_document, TRUST);
    assert_eq!(role.tags, vec![tag("app", "web")]);
    assert_eq!(role.permissions_boundary_arn, None);
    assert_eq!(
        roles::get_role(&t.iam, &root, "webserver").await.unwrap(),
        role
    );
}

#[tokio::test]
async fn role_names_are_unique_ignoring_case() {
    let (t, root) = with_root().await;
    roles::create_role(&t.iam, &root, new_role("app"))
        .await
        .unwrap();
    let duplicate = roles::create_role(&t.iam, &root, new_role("APP")).await;
    assert_eq!(duplicate.as_ref().unwrap_err().field(), Some("RoleName"));
    assert_error(
        duplicate,
        "EntityAlreadyExists",
        "Role with name APP already exists.",
    );
}

#[tokio::test]
async fn create_role_validates_name_settings_and_trust_policy() {
    let (t, root) = with_root().await;
    let cases: Vec<(Result<CreateRole, ServiceError>, &str, &str)> = vec![
        (
            parsed_role(&"r".repeat(65)),
            "ValidationError",
            "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64",
        ),
        (
            parsed_role("a:b"),
            "ValidationError",
            "The specified value for roleName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-",
        ),
        (
            Ok(CreateRole {
                max_session_duration: Some(3599),
                ..new_role("r")
            }),
            "ValidationError",
            "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
        ),
        (
            Ok(CreateRole {
                max_session_duration: Some(43_201),
                ..new_role("r")
            }),
            "ValidationError",
            "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
        ),
        (
            Ok(CreateRole {
                description: Some("d".repeat(1001)),
                ..new_role("r")
            }),
            "ValidationError",
            "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000",
        ),
        (
            Ok(CreateRole {
                description: Some("emoji \u{1F600}".into()),
                ..new_role("r")
            }),
            "ValidationError",
            r"1 validation error detected: Value at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*",
        ),
        (
            Ok(CreateRole {
                assume_role_policy_document: "not valid json".into(),
                ..new_role("r")
            }),
            "MalformedPolicyDocument",
            "This policy contains invalid Json",
        ),
        (
            Ok(CreateRole {
                assume_role_policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:InvalidAction"}]}"#.into(),
                ..new_role("r")
            }),
            "MalformedPolicyDocument",
            "AssumeRole policy may only specify STS AssumeRole actions.",
        ),
        (
            Ok(CreateRole {
                assume_role_policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"arn:aws:s3:::example_bucket"}]}"#.into(),
                ..new_role("r")
            }),
            "MalformedPolicyDocument",
            "Has prohibited field Resource",
        ),
        (
            Ok(CreateRole {
                assume_role_policy_document: trust_of_size(2049),
                ..new_role("r")
            }),
            "LimitExceeded",
            "Cannot exceed quota for ACLSizePerRole: 2048",
        ),
    ];
    for (input, code, message) in cases {
        assert_error(
            async { roles::create_role(&t.iam, &root, input?).await }.await,
            code,
            message,
        );
    }
    assert!(!role_exists(&t, &root, "r").await);

    let largest = roles::create_role(
        &t.iam,
        &root,
        CreateRole {
            assume_role_policy_document: trust_of_size(2048),
            max_session_duration: Some(43_200),
            description: Some("d".repeat(1000)),
            ..new_role("r")
        },
    )
    .await
    .unwrap();
    assert_eq!(largest.max_session_duration, 43_200);
}

#[tokio::test]
async fn list_roles_pages_and_leaves_out_tags_and_boundaries() {
    let (t, root) = with_root().await;
    let boundary = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
    for (name, path) in [("b-role", "/svc/"), ("A-role", "/svc/"), ("c-role", "/")] {
        roles::create_role(
            &t.iam,
            &root,
            CreateRole {
                entity: NewEntity::parse(name, Some(path)).unwrap(),
                tags: vec![tag("k", "v")],
                permissions_boundary: Some(boundary.into()),
                ..new_role(name)
            },
        )
        .await
        .unwrap();
    }
    let page = |max: i64, marker: Option<String>, prefix: Option<&str>| {
        let (iam, root) = (t.iam.clone(), root.clone());
        let prefix = prefix.map(str::to_string);
        async move {
            roles::list_roles(
                &iam,
                &root,
                ListRoles {
                    path_prefix: prefix,
                    name_prefix: None,
                    marker,
                    max_items: Some(max),
                },
            )
            .await
            .unwrap()
        }
    };
    let first = page(2, None, None).await;
    assert!(first.is_truncated);
    assert_eq!(
        first
            .items
            .iter()
            .map(|r| r.role_name.as_str())
            .collect::<Vec<_>>(),
        ["A-role", "b-role"]
    );
    assert!(first.items.iter().all(|r| r.tags.is_empty()));
    assert!(first
        .items
        .iter()
        .all(|r| r.permissions_boundary_arn.is_none()));
    assert_eq!(first.items[0].max_session_duration, 3600);
    let second = page(2, first.marker, None).await;
    assert!(!second.is_truncated);
    assert_eq!(second.items.len(), 1);
    assert_eq!(second.items[0].role_name, "c-role");
    assert_eq!(page(100, None, Some("/svc/")).await.items.len(), 2);
    // GetRole shows what ListRoles leaves out.
    let full = roles::get_role(&t.iam, &root, "a-role").await.unwrap();
    assert_eq!(full.tags, vec![tag("k", "v")]);
    assert_eq!(full.permissions_boundary_arn.as_deref(), Some(boundary));
}

#[tokio::test]
async fn update_role_keeps_what_is_not_given() {
    let (t, root) = with_root().await;
    roles::create_role(
        &t.iam,
        &root,
        CreateRole {
            description: Some("initial".into()),
            ..new_role("app")
        },
    )
    .await
    .unwrap();
    roles::update_role(&t.iam, &root, "app", Some("updated"), Some(7200))
        .await
        .unwrap();
    let role = roles::get_role(&t.iam, &root, "app").await.unwrap();
    assert_eq!(
        (role.description.as_deref(), role.max_session_duration),
        (Some("updated"), 7200)
    );
    roles::update_role(&t.iam, &root, "app", None, None)
        .await
        .unwrap();
    let role = roles::get_role(&t.iam, &root, "app").await.unwrap();
    assert_eq!(
        (role.description.as_deref(), role.max_session_duration),
        (Some("updated"), 7200)
    );
    let returned = roles::update_role_description(&t.iam, &root, "APP", "via description")
        .await
        .unwrap();
    assert_eq!(returned.description.as_deref(), Some("via description"));
    assert_eq!(returned.role_name, "app");
    assert_eq!(returned.max_session_duration, 7200);
    assert_error(
        roles::update_role(&t.iam, &root, "app", None, Some(100)).await,
        "ValidationError",
        "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    );

    let new_trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}"#;
    roles::update_assume_role_policy(&t.iam, &root, "app", new_trust)
        .await
        .unwrap();
    assert_eq!(
        roles::get_role(&t.iam, &root, "app")
            .await
            .unwrap()
            .assume_role_policy_document,
        new_trust
    );
    assert_error(
        roles::update_assume_role_policy(&t.iam, &root, "app", "not valid json").await,
        "MalformedPolicyDocument",
        "This policy contains invalid Json",
    );
    assert_error(
        roles::update_assume_role_policy(&t.iam, &root, "app", &trust_of_size(2049)).await,
        "LimitExceeded",
        "Cannot exceed quota for ACLSizePerRole: 2048",
    );
    roles::update_assume_role_policy(&t.iam, &root, "app", &trust_of_size(2048))
        .await
        .unwrap();
}

#[tokio::test]
async fn every_role_operation_names_a_missing_role() {
    let (t, root) = with_root().await;
    let message = "The role with name ghost cannot be found.";
    let (iam, r) = (&t.iam, &root);
    assert_error(
        roles::get_role(iam, r, "ghost").await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        roles::update_role(iam, r, "ghost", Some("d"), None).await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        roles::update_role_description(iam, r, "ghost", "d").await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        roles::update_assume_role_policy(iam, r, "ghost", TRUST).await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        roles::delete_role(iam, r, "ghost").await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        roles::delete_role_and_dependents(iam, r, "ghost").await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        tagging::tag(iam, r, EntityKind::Role, "ghost", vec![tag("k", "v")]).await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        tagging::untag(iam, r, EntityKind::Role, "ghost", vec!["k".into()]).await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        tagging::list_tags(iam, r, EntityKind::Role, "ghost").await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        boundaries::put_boundary(
            iam,
            r,
            EntityKind::Role,
            "ghost",
            "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
        )
        .await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        boundaries::delete_boundary(iam, r, EntityKind::Role, "ghost").await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        attachments::attach_policy(
            iam,
            r,
            EntityKind::Role,
            "ghost",
            "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
        )
        .await,
        "NoSuchEntity",
        message,
    );
    assert_error(
        inline::put_inline_policy(
            iam,
            r,
            EntityKind::Role,
            "ghost",
            "p",
            &allow("s3:ListBucket", "*"),
        )
        .await,
        "NoSuchEntity",
        message,
    );
}

#[tokio::test]
async fn delete_role_refuses_while_policies_are_attached_or_embedded() {
    let (t, root) = with_root().await;
    let role = roles::create_role(
        &t.iam,
        &root,
        CreateRole {
            tags: vec![tag("k", "v")],
            ..new_role("app")
        },
    )
    .await
    .unwrap();
    let readonly = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
    attachments::attach_policy(&t.iam, &root, EntityKind::Role, "app", readonly)
        .await
        .unwrap();
    inline::put_inline_policy(
        &t.iam,
        &root,
        EntityKind::Role,
        "app",
        "inline",
        &allow("s3:ListBucket", "*"),
    )
    .await
    .unwrap();
    assert_error(
        roles::delete_role(&t.iam, &root, "app").await,
        "DeleteConflict",
        "Cannot delete entity, must detach all policies first.",
    );
    attachments::detach_policy(&t.iam, &root, EntityKind::Role, "app", readonly)
        .await
        .unwrap();
    assert_error(
        roles::delete_role(&t.iam, &root, "app").await,
        "DeleteConflict",
        "Cannot delete entity, must delete policies first.",
    );
    inline::delete_inline_policy(&t.iam, &root, EntityKind::Role, "app", "inline")
        .await
        .unwrap();
    roles::delete_role(&t.iam, &root, "APP").await.unwrap();
    assert!(!role_exists(&t, &root, "app").await);
    let tags: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tags WHERE entity_id = $1")
        .bind(&role.role_id)
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(tags, 0);
}

#[tokio::test]
async fn delete_role_and_dependents_detaches_and_deletes_its_policies() {
    let (t, root) = with_root().await;
    let role = roles::create_role(&t.iam, &root, new_role("app"))
        .await
        .unwrap();
    let arn = attach_document(
        &t,
        &root,
        EntityKind::Role,
        "app",
        "AppPolicy",
        &allow("s3:*", "*"),
    )
    .await;
    inline::put_inline_policy(
        &t.iam,
        &root,
        EntityKind::Role,
        "app",
        "inline",
        &allow("s3:ListBucket", "*"),
    )
    .await
    .unwrap();
    roles::delete_role_and_dependents(&t.iam, &root, "app")
        .await
        .unwrap();
    assert!(!role_exists(&t, &root, "app").await);
    assert_eq!(
        policies::get_policy(&t.iam, &root, &arn)
            .await
            .unwrap()
            .attachment_count,
        0
    );
    let inline: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM inline_policies WHERE entity_id = $1")
            .bind(&role.role_id)
            .fetch_one(t.iam.store().reader())
            .await
            .unwrap();
    assert_eq!(inline, 0);
}

#[tokio::test]
async fn role_tags_overwrite_untag_and_cap_at_fifty() {
    let (t, root) = with_root().await;
    roles::create_role(&t.iam, &root, new_role("app"))
        .await
        .unwrap();
    tagging::tag(
        &t.iam,
        &root,
        EntityKind::Role,
        "app",
        vec![
            tag("somekey", "somevalue"),
            tag("someotherkey", "someothervalue"),
        ],
    )
    .await
    .unwrap();
    tagging::tag(
        &t.iam,
        &root,
        EntityKind::Role,
        "app",
        vec![tag("SomeKey", "updated")],
    )
    .await
    .unwrap();
    assert_eq!(
        tagging::list_tags(&t.iam, &root, EntityKind::Role, "app")
            .await
            .unwrap(),
        vec![
            tag("SomeKey", "updated"),
            tag("someotherkey", "someothervalue")
        ]
    );
    tagging::untag(
        &t.iam,
        &root,
        EntityKind::Role,
        "app",
        vec!["somekey".into()],
    )
    .await
    .unwrap();
    assert_eq!(
        roles::get_role(&t.iam, &root, "app").await.unwrap().tags,
        vec![tag("someotherkey", "someothervalue")]
    );
    assert_error(
        tagging::tag(
            &t.iam,
            &root,
            EntityKind::Role,
            "app",
            vec![tag("a", "1"), tag("A", "2")],
        )
        .await,
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
    );
    let fill: Vec<Tag> = (0..49).map(|i| tag(&format!("k{i}"), "")).collect();
    tagging::tag(&t.iam, &root, EntityKind::Role, "app", fill)
        .await
        .unwrap();
    assert_error(
        tagging::tag(
            &t.iam,
            &root,
            EntityKind::Role,
            "app",
            vec![tag("extra", "v")],
        )
        .await,
        "LimitExceeded",
        "The number of tags has reached the maximum limit of 50.",
    );
    assert_eq!(
        tagging::list_tags(&t.iam, &root, EntityKind::Role, "app")
            .await
            .unwrap()
            .len(),
        50
    );
    let too_many: Vec<Tag> = (0..51).map(|i| tag(&format!("n{i}"), "v")).collect();
    assert_error(
        tagging::tag(&t.iam, &root, EntityKind::Role, "app", too_many).await,
        "ValidationError",
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
}
