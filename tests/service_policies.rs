//! Service tests: managed policies and their versions, attachments, inline policies and
//! permissions boundaries, with AWS's quotas and messages, on a real SQLite database.

mod common;

use common::doors;

use common::*;
use ferriam::domain::entity_requests::NewEntity;
use ferriam::domain::iam_models::Page;
use ferriam::server::service::entities::boundaries;
use ferriam::server::service::entities::roles::{self, CreateRole};
use ferriam::server::service::entities::users::{self, CreateUser};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::paging::PageRequest;
use ferriam::server::service::policies::authorization_details::{
    self, AuthorizationDetails, DetailFilter,
};
use ferriam::server::service::policies::{
    self, CreatePolicy, ListEntitiesForPolicy, ListPolicies, PolicyEntity, Scope, Usage,
};
use ferriam::server::service::{entities::groups, policies::attachments, policies::inline, Caller};

const READ_ONLY: &str = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn policy(name: &str, document: &str) -> CreatePolicy {
    CreatePolicy {
        policy_name: name.to_string(),
        path: None,
        description: None,
        document: document.to_string(),
    }
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

/// One user, one group and one role, each named `<kind>1`.
async fn one_of_each(t: &TestIam, root: &Caller) {
    users::create_user(&t.iam, root, new_user("user1"))
        .await
        .unwrap();
    doors::create_group(&t.iam, root, "group1", None)
        .await
        .unwrap();
    roles::create_role(&t.iam, root, new_role("role1"))
        .await
        .unwrap();
}

const KINDS: [(EntityKind, &str); 3] = [
    (EntityKind::User, "user1"),
    (EntityKind::Group, "group1"),
    (EntityKind::Role, "role1"),
];

// --- Managed policies -------------------------------------------------------------------------

#[tokio::test]
async fn create_policy_returns_the_aws_policy_at_v1() {
    let (t, root) = with_root().await;
    let document = allow("s3:ListBucket", "arn:aws:s3:::example_bucket");
    let created = policies::create_policy(
        &t.iam,
        &root,
        CreatePolicy {
            path: Some("/team/".into()),
            description: Some("Lists the bucket".into()),
            ..policy("ListBucket", &document)
        },
    )
    .await
    .unwrap();
    assert_eq!(created.policy_name, "ListBucket");
    assert_eq!(
        created.arn,
        "arn:aws:iam::123456789012:policy/team/ListBucket"
    );
    assert_eq!(created.path, "/team/");
    assert_unique_id(&created.policy_id, "ANPA");
    assert_eq!(created.default_version_id, "v1");
    assert_eq!(
        (
            created.attachment_count,
            created.permissions_boundary_usage_count
        ),
        (0, 0)
    );
    assert!(created.is_attachable);
    assert!(!created.aws_managed);
    assert_eq!(created.description.as_deref(), Some("Lists the bucket"));
    assert_eq!(
        (created.create_date, created.update_date),
        (START_MILLIS, START_MILLIS)
    );
    assert_eq!(
        policies::get_policy(&t.iam, &root, &created.arn)
            .await
            .unwrap(),
        created
    );
    let v1 = policies::get_policy_version(&t.iam, &root, &created.arn, "v1")
        .await
        .unwrap();
    assert_eq!(v1.document, document);
    assert!(v1.is_default_version);
}

#[tokio::test]
async fn policy_names_are_unique_in_the_account_whatever_the_path_or_case() {
    let (t, root) = with_root().await;
    managed_policy(&t, &root, "Shared", &allow("s3:*", "*")).await;
    let duplicate = policies::create_policy(
        &t.iam,
        &root,
        CreatePolicy {
            path: Some("/elsewhere/".into()),
            ..policy("SHARED", &allow("s3:*", "*"))
        },
    )
    .await;
    assert_eq!(duplicate.as_ref().unwrap_err().field(), Some("PolicyName"));
    assert_error(
        duplicate,
        "EntityAlreadyExists",
        "A policy called SHARED already exists. Duplicate names are not allowed.",
    );
}

#[tokio::test]
async fn create_policy_refuses_malformed_documents_and_bad_input() {
    let (t, root) = with_root().await;
    let cases: Vec<(CreatePolicy, &str, &str)> = vec![
        (policy("p", "{not json"), "MalformedPolicyDocument", "Syntax errors in policy."),
        (
            policy(
                "p",
                r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
            ),
            "MalformedPolicyDocument",
            "Policy document must be version 2012-10-17 or greater.",
        ),
        (
            policy("p", &allow("ListBucket", "*")),
            "MalformedPolicyDocument",
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
        ),
        (
            policy(
                "p",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}"#,
            ),
            "MalformedPolicyDocument",
            "Policy statement must contain resources.",
        ),
        (
            policy("p", &document_of_size(6145)),
            "LimitExceeded",
            "Cannot exceed quota for PolicySize: 6144",
        ),
        (
            policy("a policy", &allow("s3:*", "*")),
            "ValidationError",
            "The specified value for policyName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-",
        ),
        (
            CreatePolicy {
                path: Some("/a*b/".into()),
                ..policy("p", &allow("s3:*", "*"))
            },
            "ValidationError",
            "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.",
        ),
        (
            CreatePolicy {
                description: Some("d".repeat(1001)),
                ..policy("p", &allow("s3:*", "*"))
            },
            "ValidationError",
            "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000",
        ),
    ];
    for (input, code, message) in cases {
        assert_error(
            policies::create_policy(&t.iam, &root, input).await,
            code,
            message,
        );
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM managed_policies")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(count, 0);
    // Exactly at the quota is fine (whitespace does not count).
    let pretty = document_of_size(6144).replace(',', ",\n    ");
    policies::create_policy(&t.iam, &root, policy("Largest", &pretty))
        .await
        .unwrap();
}

#[tokio::test]
async fn get_policy_answers_aws_managed_policies_and_names_what_is_missing() {
    let (t, root) = with_root().await;
    let builtin = policies::get_policy(&t.iam, &root, READ_ONLY)
        .await
        .unwrap();
    assert_eq!(builtin.policy_name, "IAMReadOnlyAccess");
    assert_eq!(builtin.policy_id, "ANPAJKSO7NDY4T57MWDSQ");
    assert_eq!(builtin.default_version_id, "v4");
    assert!(builtin.aws_managed);
    let version = policies::get_policy_version(&t.iam, &root, READ_ONLY, "v4")
        .await
        .unwrap();
    assert!(version.document.contains("iam:List*"));
    assert_eq!(
        policies::list_policy_versions(&t.iam, &root, READ_ONLY)
            .await
            .unwrap()
            .len(),
        1
    );

    for arn in [
        "arn:aws:iam::123456789012:policy/Missing",
        "arn:aws:iam::aws:policy/Nope",
    ] {
        assert_error(
            policies::get_policy(&t.iam, &root, arn).await,
            "NoSuchEntity",
            &format!("Policy {arn} was not found."),
        );
    }
    assert_error(
        policies::get_policy(&t.iam, &root, "longpolicynamebutnoarn").await,
        "ValidationError",
        "ARN longpolicynamebutnoarn is not valid.",
    );
    assert_error(
        policies::get_policy_version(&t.iam, &root, READ_ONLY, "v1").await,
        "NoSuchEntity",
        "Policy arn:aws:iam::aws:policy/IAMReadOnlyAccess version v1 does not exist or is not attachable.",
    );
    assert_error(
        policies::create_policy_version(&t.iam, &root, READ_ONLY, &allow("s3:*", "*"), true).await,
        "InvalidInput",
        "Policy arn:aws:iam::aws:policy/IAMReadOnlyAccess is an AWS managed policy and cannot be changed.",
    );
    assert_error(
        policies::delete_policy(&t.iam, &root, READ_ONLY).await,
        "InvalidInput",
        "Policy arn:aws:iam::aws:policy/IAMReadOnlyAccess is an AWS managed policy and cannot be changed.",
    );
}

#[tokio::test]
async fn list_policies_scopes_filters_and_pages_across_both_sections() {
    let (t, root) = with_root().await;
    one_of_each(&t, &root).await;
    let zeta = managed_policy(&t, &root, "zeta", &allow("s3:*", "*")).await;
    let alpha = managed_policy(&t, &root, "Alpha", &allow("s3:*", "*")).await;
    policies::create_policy(
        &t.iam,
        &root,
        CreatePolicy {
            path: Some("/team/".into()),
            ..policy("Mid", &allow("s3:*", "*"))
        },
    )
    .await
    .unwrap();
    attachments::attach_policy(&t.iam, &root, EntityKind::User, "user1", &zeta)
        .await
        .unwrap();
    boundaries::put_boundary(&t.iam, &root, EntityKind::User, "user1", &alpha)
        .await
        .unwrap();
    attachments::attach_policy(&t.iam, &root, EntityKind::Group, "group1", READ_ONLY)
        .await
        .unwrap();

    let names = |input: ListPolicies| {
        let (iam, root) = (t.iam.clone(), root.clone());
        async move {
            policies::list_policies(&iam, &root, input)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|p| p.policy_name)
                .collect::<Vec<_>>()
        }
    };
    let builtins = [
        "AdministratorAccess",
        "FerriamSelfManageCredentials",
        "IAMFullAccess",
        "IAMReadOnlyAccess",
        "IAMSelfManageServiceSpecificCredentials",
        "IAMUserChangePassword",
        "PowerUserAccess",
    ];
    assert_eq!(
        names(ListPolicies {
            scope: Scope::Aws,
            ..ListPolicies::default()
        })
        .await,
        builtins
    );
    assert_eq!(
        names(ListPolicies {
            scope: Scope::Local,
            ..ListPolicies::default()
        })
        .await,
        ["Alpha", "Mid", "zeta"]
    );
    let all = names(ListPolicies::default()).await;
    assert_eq!(all.len(), 10);
    assert_eq!(&all[7..], ["Alpha", "Mid", "zeta"]);
    assert_eq!(
        names(ListPolicies {
            only_attached: true,
            ..ListPolicies::default()
        })
        .await,
        ["IAMReadOnlyAccess", "zeta"],
        "a boundary use counts only with PolicyUsageFilter=PermissionsBoundary"
    );
    assert_eq!(
        names(ListPolicies {
            only_attached: true,
            usage: Some(Usage::PermissionsPolicy),
            ..ListPolicies::default()
        })
        .await,
        ["IAMReadOnlyAccess", "zeta"]
    );
    assert_eq!(
        names(ListPolicies {
            only_attached: true,
            usage: Some(Usage::PermissionsBoundary),
            ..ListPolicies::default()
        })
        .await,
        ["Alpha"]
    );
    assert_eq!(
        names(ListPolicies {
            scope: Scope::Local,
            path_prefix: Some("/team/".into()),
            ..ListPolicies::default()
        })
        .await,
        ["Mid"]
    );

    // Page by three: the marker carries on from the AWS section into the account's own.
    let mut seen = Vec::new();
    let mut marker = None;
    loop {
        let page = policies::list_policies(
            &t.iam,
            &root,
            ListPolicies {
                marker: marker.clone(),
                max_items: Some(3),
                ..ListPolicies::default()
            },
        )
        .await
        .unwrap();
        assert!(page.items.len() <= 3);
        seen.extend(page.items.into_iter().map(|p| p.policy_name));
        if !page.is_truncated {
            assert_eq!(page.marker, None);
            break;
        }
        marker = page.marker;
    }
    assert_eq!(seen, all);
    let counted = policies::list_policies(
        &t.iam,
        &root,
        ListPolicies {
            scope: Scope::Local,
            ..ListPolicies::default()
        },
    )
    .await
    .unwrap();
    let alpha_row = &counted.items[0];
    assert_eq!(
        (
            alpha_row.attachment_count,
            alpha_row.permissions_boundary_usage_count
        ),
        (0, 1)
    );
    assert_error(
        policies::list_policies(
            &t.iam,
            &root,
            ListPolicies {
                max_items: Some(0),
                ..ListPolicies::default()
            },
        )
        .await,
        "ValidationError",
        "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    assert_error(
        Scope::parse(Some("Everything")).map_err(Into::into),
        "ValidationError",
        "1 validation error detected: Value at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]",
    );
}

// --- Versions ---------------------------------------------------------------------------------

#[tokio::test]
async fn versions_are_numbered_never_reused_and_capped_at_five() {
    let (t, root) = with_root().await;
    let arn = managed_policy(&t, &root, "P", &allow("s3:GetObject", "*")).await;
    let v2 =
        policies::create_policy_version(&t.iam, &root, &arn, &allow("s3:PutObject", "*"), false)
            .await
            .unwrap();
    assert_eq!(
        (v2.version_id.as_str(), v2.is_default_version),
        ("v2", false)
    );
    assert_eq!(
        policies::get_policy(&t.iam, &root, &arn)
            .await
            .unwrap()
            .default_version_id,
        "v1"
    );
    t.clock.advance_millis(1_000);
    let v3 = policies::create_policy_version(&t.iam, &root, &arn, &allow("s3:*", "*"), true)
        .await
        .unwrap();
    assert_eq!(
        (v3.version_id.as_str(), v3.is_default_version),
        ("v3", true)
    );
    let got = policies::get_policy(&t.iam, &root, &arn).await.unwrap();
    assert_eq!(got.default_version_id, "v3");
    assert_eq!(got.update_date, START_MILLIS + 1_000);
    for document in [allow("s3:A", "*"), allow("s3:B", "*")] {
        policies::create_policy_version(&t.iam, &root, &arn, &document, false)
            .await
            .unwrap();
    }
    let listed: Vec<(String, bool)> = policies::list_policy_versions(&t.iam, &root, &arn)
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.version_id, v.is_default_version))
        .collect();
    assert_eq!(
        listed,
        [
            ("v5".to_string(), false),
            ("v4".to_string(), false),
            ("v3".to_string(), true),
            ("v2".to_string(), false),
            ("v1".to_string(), false),
        ],
        "newest first"
    );
    assert_error(
        policies::create_policy_version(&t.iam, &root, &arn, &allow("s3:C", "*"), false).await,
        "LimitExceeded",
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
    );
    assert_error(
        policies::delete_policy_version(&t.iam, &root, &arn, "v3").await,
        "DeleteConflict",
        "Cannot delete the default version of a policy.",
    );
    policies::delete_policy_version(&t.iam, &root, &arn, "v2")
        .await
        .unwrap();
    let v6 = policies::create_policy_version(&t.iam, &root, &arn, &allow("s3:C", "*"), false)
        .await
        .unwrap();
    assert_eq!(v6.version_id, "v6", "version numbers are never reused");
    policies::set_default_policy_version(&t.iam, &root, &arn, "v6")
        .await
        .unwrap();
    let default = policies::get_policy_version(&t.iam, &root, &arn, "v6")
        .await
        .unwrap();
    assert!(default.is_default_version);
    assert!(
        !policies::get_policy_version(&t.iam, &root, &arn, "v3")
            .await
            .unwrap()
            .is_default_version
    );
}

#[tokio::test]
async fn version_operations_name_missing_versions_and_check_ids_and_documents() {
    let (t, root) = with_root().await;
    let arn = managed_policy(&t, &root, "P", &allow("s3:GetObject", "*")).await;
    let missing = "arn:aws:iam::123456789012:policy/Missing";
    for (policy, version) in [(arn.as_str(), "v9"), (missing, "v1")] {
        let message =
            format!("Policy {policy} version {version} does not exist or is not attachable.");
        assert_error(
            policies::get_policy_version(&t.iam, &root, policy, version).await,
            "NoSuchEntity",
            &message,
        );
        assert_error(
            policies::delete_policy_version(&t.iam, &root, policy, version).await,
            "NoSuchEntity",
            &message,
        );
        assert_error(
            policies::set_default_policy_version(&t.iam, &root, policy, version).await,
            "NoSuchEntity",
            &message,
        );
    }
    for bad in ["1", "v0", "version1", ""] {
        assert_error(
            policies::get_policy_version(&t.iam, &root, &arn, bad).await,
            "ValidationError",
            r"1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?",
        );
    }
    assert_error(
        policies::create_policy_version(&t.iam, &root, missing, &allow("s3:*", "*"), false).await,
        "NoSuchEntity",
        "Policy arn:aws:iam::123456789012:policy/Missing was not found.",
    );
    assert_error(
        policies::create_policy_version(&t.iam, &root, &arn, &document_of_size(6145), false).await,
        "LimitExceeded",
        "Cannot exceed quota for PolicySize: 6144",
    );
    assert_error(
        policies::create_policy_version(&t.iam, &root, &arn, "[]", false).await,
        "MalformedPolicyDocument",
        "Syntax errors in policy.",
    );
    policies::create_policy_version(&t.iam, &root, &arn, &document_of_size(6144), true)
        .await
        .unwrap();
    assert_eq!(
        policies::list_policy_versions(&t.iam, &root, &arn)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn delete_policy_refuses_while_used_or_versioned() {
    let (t, root) = with_root().await;
    one_of_each(&t, &root).await;
    let arn = managed_policy(&t, &root, "P", &allow("s3:GetObject", "*")).await;
    attachments::attach_policy(&t.iam, &root, EntityKind::Role, "role1", &arn)
        .await
        .unwrap();
    let attached = "Cannot delete a policy attached to entities.";
    assert_error(
        policies::delete_policy(&t.iam, &root, &arn).await,
        "DeleteConflict",
        attached,
    );
    attachments::detach_policy(&t.iam, &root, EntityKind::Role, "role1", &arn)
        .await
        .unwrap();
    // A permissions boundary is a use too.
    boundaries::put_boundary(&t.iam, &root, EntityKind::Role, "role1", &arn)
        .await
        .unwrap();
    assert_error(
        policies::delete_policy(&t.iam, &root, &arn).await,
        "DeleteConflict",
        attached,
    );
    boundaries::delete_boundary(&t.iam, &root, EntityKind::Role, "role1")
        .await
        .unwrap();
    policies::create_policy_version(&t.iam, &root, &arn, &allow("s3:*", "*"), false)
        .await
        .unwrap();
    assert_error(
        policies::delete_policy(&t.iam, &root, &arn).await,
        "DeleteConflict",
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
    policies::delete_policy_version(&t.iam, &root, &arn, "v2")
        .await
        .unwrap();
    policies::delete_policy(&t.iam, &root, &arn).await.unwrap();
    assert_error(
        policies::get_policy(&t.iam, &root, &arn).await,
        "NoSuchEntity",
        &format!("Policy {arn} was not found."),
    );
    let versions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM policy_versions")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(versions, 0);
    assert_error(
        policies::delete_policy(&t.iam, &root, &arn).await,
        "NoSuchEntity",
        &format!("Policy {arn} was not found."),
    );
}

#[tokio::test]
async fn delete_policy_everywhere_detaches_unsets_boundaries_and_deletes_versions() {
    let (t, root) = with_root().await;
    one_of_each(&t, &root).await;
    let arn = managed_policy(&t, &root, "P", &allow("s3:GetObject", "*")).await;
    for (kind, name) in KINDS {
        attachments::attach_policy(&t.iam, &root, kind, name, &arn)
            .await
            .unwrap();
    }
    users::create_user(
        &t.iam,
        &root,
        CreateUser {
            permissions_boundary: Some(arn.clone()),
            ..new_user("bounded")
        },
    )
    .await
    .unwrap();
    policies::create_policy_version(&t.iam, &root, &arn, &allow("s3:*", "*"), true)
        .await
        .unwrap();
    policies::delete_policy_everywhere(&t.iam, &root, &arn)
        .await
        .unwrap();
    for (kind, name) in KINDS {
        assert!(
            attachments::list_attached_policies(&t.iam, &root, kind, name)
                .await
                .unwrap()
                .is_empty()
        );
    }
    assert_eq!(
        users::get_user(&t.iam, &root, Some("bounded"))
            .await
            .unwrap()
            .permissions_boundary_arn,
        None
    );
    assert_error(
        policies::get_policy(&t.iam, &root, &arn).await,
        "NoSuchEntity",
        &format!("Policy {arn} was not found."),
    );
}

// --- Attachments ------------------------------------------------------------------------------

#[tokio::test]
async fn attach_list_and_detach_for_users_groups_and_roles() {
    let (t, root) = with_root().await;
    one_of_each(&t, &root).await;
    let arn = managed_policy(&t, &root, "Mine", &allow("s3:*", "*")).await;
    for (kind, name) in KINDS {
        attachments::attach_policy(&t.iam, &root, kind, name, &arn)
            .await
            .unwrap();
        attachments::attach_policy(&t.iam, &root, kind, &name.to_uppercase(), READ_ONLY)
            .await
            .unwrap();
        // Attaching again changes nothing.
        attachments::attach_policy(&t.iam, &root, kind, name, &arn)
            .await
            .unwrap();
        let attached = attachments::list_attached_policies(&t.iam, &root, kind, name)
            .await
            .unwrap();
        assert_eq!(
            attached
                .iter()
                .map(|p| (p.policy_name.as_str(), p.policy_arn.as_str()))
                .collect::<Vec<_>>(),
            [("Mine", arn.as_str()), ("IAMReadOnlyAccess", READ_ONLY)],
            "{name}"
        );
    }
    assert_eq!(
        policies::get_policy(&t.iam, &root, &arn)
            .await
            .unwrap()
            .attachment_count,
        3
    );
    assert_eq!(
        policies::get_policy(&t.iam, &root, READ_ONLY)
            .await
            .unwrap()
            .attachment_count,
        3
    );
    let entities = policies::list_entities_for_policy(&t.iam, &root, &arn)
        .await
        .unwrap();
    assert_eq!(
        (
            entities.users[0].0.as_str(),
            entities.groups[0].0.as_str(),
            entities.roles[0].0.as_str()
        ),
        ("user1", "group1", "role1")
    );
    assert!(entities.users[0].1.starts_with("AIDA"));

    for (kind, name) in KINDS {
        attachments::detach_policy(&t.iam, &root, kind, name, &arn)
            .await
            .unwrap();
        assert_error(
            attachments::detach_policy(&t.iam, &root, kind, name, &arn).await,
            "NoSuchEntity",
            &format!("Policy {arn} was not found."),
        );
        assert_error(
            attachments::detach_policy(
                &t.iam,
                &root,
                kind,
                name,
                "arn:aws:iam::aws:policy/Nonexistent",
            )
            .await,
            "NoSuchEntity",
            "Policy arn:aws:iam::aws:policy/Nonexistent was not found.",
        );
    }
    assert_eq!(
        policies::get_policy(&t.iam, &root, &arn)
            .await
            .unwrap()
            .attachment_count,
        0
    );
    assert_error(
        policies::list_entities_for_policy(
            &t.iam,
            &root,
            "arn:aws:iam::123456789012:policy/Missing",
        )
        .await,
        "NoSuchEntity",
        "Policy arn:aws:iam::123456789012:policy/Missing does not exist or is not attachable.",
    );
}

#[tokio::test]
async fn attach_names_missing_and_malformed_policies_and_entities() {
    let (t, root) = with_root().await;
    one_of_each(&t, &root).await;
    let other_root = account(&t, OTHER_ACCOUNT).await;
    let theirs = managed_policy(&t, &other_root, "Theirs", &allow("s3:*", "*")).await;
    for (kind, name) in KINDS {
        for arn in [
            "arn:aws:iam::123456789012:policy/nonexistent-policy",
            "arn:aws:iam::aws:policy/NotABuiltIn",
            theirs.as_str(),
        ] {
            assert_error(
                attachments::attach_policy(&t.iam, &root, kind, name, arn).await,
                "NoSuchEntity",
                &format!("Policy {arn} does not exist or is not attachable."),
            );
        }
        for not_an_arn in ["longpolicynamebutnoarn", "Mine"] {
            assert_error(
                attachments::attach_policy(&t.iam, &root, kind, name, not_an_arn).await,
                "ValidationError",
                &format!("ARN {not_an_arn} is not valid."),
            );
        }
    }
    for (kind, message) in [
        (
            EntityKind::User,
            "The user with name ghost cannot be found.",
        ),
        (
            EntityKind::Group,
            "The group with name ghost cannot be found.",
        ),
        (
            EntityKind::Role,
            "The role with name ghost cannot be found.",
        ),
    ] {
        assert_error(
            attachments::attach_policy(&t.iam, &root, kind, "ghost", READ_ONLY).await,
            "NoSuchEntity",
            message,
        );
        assert_error(
            attachments::list_attached_policies(&t.iam, &root, kind, "ghost").await,
            "NoSuchEntity",
            message,
        );
    }
}

#[tokio::test]
async fn at_most_ten_managed_policies_per_user_group_and_role() {
    let (t, root) = with_root().await;
    one_of_each(&t, &root).await;
    let mut arns = Vec::new();
    for i in 0..11 {
        arns.push(managed_policy(&t, &root, &format!("P{i:02}"), &allow("s3:*", "*")).await);
    }
    for (kind, name) in KINDS {
        for arn in &arns[..10] {
            attachments::attach_policy(&t.iam, &root, kind, name, arn)
                .await
                .unwrap();
        }
        assert_error(
            attachments::attach_policy(&t.iam, &root, kind, name, &arns[10]).await,
            "LimitExceeded",
            &format!("Cannot exceed quota for PoliciesPer{}: 10", kind.word()),
        );
        // Re-attaching one of the ten does not count twice.
        attachments::attach_policy(&t.iam, &root, kind, name, &arns[0])
            .await
            .unwrap();
        assert_eq!(
            attachments::list_attached_policies(&t.iam, &root, kind, name)
                .await
                .unwrap()
                .len(),
            10
        );
    }
    // The quota also holds for the console's create-with-policies.
    let eleven: Vec<String> = arns.clone();
    assert_error(
        users::create_user(
            &t.iam,
            &root,
            CreateUser {
                policy_arns: eleven,
                ..new_user("crowded")
            },
        )
        .await,
        "LimitExceeded",
        "Cannot exceed quota for PoliciesPerUser: 10",
    );
    assert_error(
        users::get_user(&t.iam, &root, Some("crowded")).await,
        "NoSuchEntity",
        "The user with name crowded cannot be found.",
    );
}

// --- Inline policies --------------------------------------------------------------------------

#[tokio::test]
async fn inline_policies_put_replace_get_list_and_delete() {
    let (t, root) = with_root().await;
    one_of_each(&t, &root).await;
    for (kind, name) in KINDS {
        let first = allow("s3:ListBucket", "arn:aws:s3:::example_bucket");
        let second = allow("s3:GetObject", "*");
        inline::put_inline_policy(&t.iam, &root, kind, name, "b-policy", &first)
            .await
            .unwrap();
        inline::put_inline_policy(&t.iam, &root, kind, name, "a-policy", &first)
            .await
            .unwrap();
        inline::put_inline_policy(
            &t.iam,
            &root,
            kind,
            &name.to_uppercase(),
            "b-policy",
            &second,
        )
        .await
        .unwrap();
        let got = inline::get_inline_policy(&t.iam, &root, kind, name, "b-policy")
            .await
            .unwrap();
        assert_eq!(
            (got.policy_name.as_str(), got.policy_document.as_str()),
            ("b-policy", second.as_str())
        );
        let listed: Vec<String> = inline::list_inline_policies(&t.iam, &root, kind, name)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.policy_name)
            .collect();
        assert_eq!(listed, ["a-policy", "b-policy"]);

        let missing = format!(
            "The {} policy with name A-POLICY cannot be found.",
            kind.lower()
        );
        // Inline policy names are case-sensitive.
        assert_error(
            inline::get_inline_policy(&t.iam, &root, kind, name, "A-POLICY").await,
            "NoSuchEntity",
            &missing,
        );
        inline::delete_inline_policy(&t.iam, &root, kind, name, "a-policy")
            .await
            .unwrap();
        assert_error(
            inline::delete_inline_policy(&t.iam, &root, kind, name, "a-policy").await,
            "NoSuchEntity",
            &format!(
                "The {} policy with name a-policy cannot be found.",
                kind.lower()
            ),
        );
        assert_error(
            inline::put_inline_policy(&t.iam, &root, kind, name, "bad name", &first).await,
            "ValidationError",
            "The specified value for policyName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-",
        );
        assert_error(
            inline::put_inline_policy(
                &t.iam,
                &root,
                kind,
                name,
                "p",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}"#,
            )
            .await,
            "MalformedPolicyDocument",
            "Policy statement must contain resources.",
        );
        assert_error(
            inline::put_inline_policy(&t.iam, &root, kind, "ghost", "p", &first).await,
            "NoSuchEntity",
            &format!("The {} with name ghost cannot be found.", kind.lower()),
        );
    }
}

#[tokio::test]
async fn inline_sizes_count_all_of_an_entitys_inline_policies_together() {
    let (t, root) = with_root().await;
    one_of_each(&t, &root).await;
    for ((kind, name), quota) in KINDS.into_iter().zip([2_048usize, 5_120, 10_240]) {
        let put = |policy: &'static str, size: usize| {
            let (iam, root) = (t.iam.clone(), root.clone());
            async move {
                inline::put_inline_policy(&iam, &root, kind, name, policy, &document_of_size(size))
                    .await
            }
        };
        let exceeded = format!(
            "Maximum policy size of {quota} bytes exceeded for {} {name}",
            kind.lower()
        );
        // One document over the quota on its own.
        assert_error(put("big", quota + 1).await, "LimitExceeded", &exceeded);
        // Two that fit exactly together.
        put("first", quota / 2).await.unwrap();
        put("second", quota - quota / 2).await.unwrap();
        // One more character anywhere is too much ...
        assert_error(put("third", 150).await, "LimitExceeded", &exceeded);
        assert_error(
            put("second", quota - quota / 2 + 1).await,
            "LimitExceeded",
            &exceeded,
        );
        // ... but replacing a policy counts only its new size.
        put("second", quota - quota / 2).await.unwrap();
        put("first", 150).await.unwrap();
        put("third", quota / 2 - 150).await.unwrap();
        let stored = inline::list_inline_policies(&t.iam, &root, kind, name)
            .await
            .unwrap();
        let total: usize = stored
            .iter()
            .map(|p| ferriam::policy::policy_size(&p.policy_document))
            .sum();
        assert_eq!(total, quota, "{name}");
    }
}

// --- Permissions boundaries -------------------------------------------------------------------

#[tokio::test]
async fn boundaries_are_set_shown_counted_and_removed_for_users_and_roles() {
    let (t, root) = with_root().await;
    one_of_each(&t, &root).await;
    let arn = managed_policy(&t, &root, "Boundary", &allow("s3:*", "*")).await;
    boundaries::put_boundary(&t.iam, &root, EntityKind::User, "user1", &arn)
        .await
        .unwrap();
    boundaries::put_boundary(&t.iam, &root, EntityKind::Role, "role1", READ_ONLY)
        .await
        .unwrap();
    assert_eq!(
        users::get_user(&t.iam, &root, Some("user1"))
            .await
            .unwrap()
            .permissions_boundary_arn
            .as_deref(),
        Some(arn.as_str())
    );
    assert_eq!(
        roles::get_role(&t.iam, &root, "role1")
            .await
            .unwrap()
            .permissions_boundary_arn
            .as_deref(),
        Some(READ_ONLY)
    );
    let used = policies::get_policy(&t.iam, &root, &arn).await.unwrap();
    assert_eq!(
        (used.attachment_count, used.permissions_boundary_usage_count),
        (0, 1)
    );

    let created = users::create_user(
        &t.iam,
        &root,
        CreateUser {
            permissions_boundary: Some(arn.clone()),
            ..new_user("user2")
        },
    )
    .await
    .unwrap();
    assert_eq!(
        created.permissions_boundary_arn.as_deref(),
        Some(arn.as_str())
    );
    let role = roles::create_role(
        &t.iam,
        &root,
        CreateRole {
            permissions_boundary: Some(arn.clone()),
            ..new_role("role2")
        },
    )
    .await
    .unwrap();
    assert_eq!(role.permissions_boundary_arn.as_deref(), Some(arn.as_str()));
    assert_eq!(
        policies::get_policy(&t.iam, &root, &arn)
            .await
            .unwrap()
            .permissions_boundary_usage_count,
        3
    );

    boundaries::delete_boundary(&t.iam, &root, EntityKind::User, "user1")
        .await
        .unwrap();
    boundaries::delete_boundary(&t.iam, &root, EntityKind::Role, "role1")
        .await
        .unwrap();
    // Removing a boundary that is not there succeeds too.
    boundaries::delete_boundary(&t.iam, &root, EntityKind::User, "user1")
        .await
        .unwrap();
    assert_eq!(
        users::get_user(&t.iam, &root, Some("user1"))
            .await
            .unwrap()
            .permissions_boundary_arn,
        None
    );
    assert_eq!(
        roles::get_role(&t.iam, &root, "role1")
            .await
            .unwrap()
            .permissions_boundary_arn,
        None
    );
}

#[tokio::test]
async fn boundaries_must_name_an_existing_managed_policy() {
    let (t, root) = with_root().await;
    one_of_each(&t, &root).await;
    let not_a_policy = "arn:aws:iam::123456789012:not_a_policy/invalid";
    let missing = "arn:aws:iam::123456789012:policy/nonexistent-policy";
    let scope = format!("Scope ARN: {missing} does not exist or is not attachable.");
    let invalid = format!("ARN {not_a_policy} is not valid.");

    assert_error(
        boundaries::put_boundary(&t.iam, &root, EntityKind::User, "user1", not_a_policy).await,
        "InvalidInput",
        &invalid,
    );
    assert_error(
        boundaries::put_boundary(&t.iam, &root, EntityKind::Role, "role1", not_a_policy).await,
        "InvalidInput",
        &invalid,
    );
    assert_error(
        roles::create_role(
            &t.iam,
            &root,
            CreateRole {
                permissions_boundary: Some(not_a_policy.into()),
                ..new_role("role2")
            },
        )
        .await,
        "InvalidInput",
        &invalid,
    );
    assert_error(
        boundaries::put_boundary(&t.iam, &root, EntityKind::User, "user1", missing).await,
        "NoSuchEntity",
        &scope,
    );
    assert_error(
        boundaries::put_boundary(&t.iam, &root, EntityKind::Role, "role1", missing).await,
        "NoSuchEntity",
        &scope,
    );
    assert_error(
        users::create_user(
            &t.iam,
            &root,
            CreateUser {
                permissions_boundary: Some(missing.into()),
                ..new_user("user2")
            },
        )
        .await,
        "NoSuchEntity",
        &scope,
    );
    assert_error(
        roles::create_role(
            &t.iam,
            &root,
            CreateRole {
                permissions_boundary: Some(missing.into()),
                ..new_role("role2")
            },
        )
        .await,
        "NoSuchEntity",
        &scope,
    );
    assert_error(
        users::get_user(&t.iam, &root, Some("user2")).await,
        "NoSuchEntity",
        "The user with name user2 cannot be found.",
    );
    assert_error(
        boundaries::put_boundary(&t.iam, &root, EntityKind::User, "ghost", READ_ONLY).await,
        "NoSuchEntity",
        "The user with name ghost cannot be found.",
    );
    assert_error(
        boundaries::put_boundary(&t.iam, &root, EntityKind::User, "user1", "nonsense").await,
        "InvalidInput",
        "ARN nonsense is not valid.",
    );
    assert_eq!(
        users::get_user(&t.iam, &root, Some("user1"))
            .await
            .unwrap()
            .permissions_boundary_arn,
        None
    );
}

/// `EntityFilter`, `PathPrefix` and `PolicyUsageFilter`.
type EntityFilters<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

/// Every page of `ListEntitiesForPolicy` with these filters and `max_items`: the names on each.
async fn entity_pages(
    t: &TestIam,
    root: &Caller,
    arn: &str,
    filters: EntityFilters<'_>,
    max_items: i64,
) -> Vec<Vec<String>> {
    let (entity_filter, path_prefix, usage_filter) = filters;
    let mut pages = Vec::new();
    let mut marker = None;
    loop {
        let input = ListEntitiesForPolicy {
            entity_filter: entity_filter.map(str::to_string),
            path_prefix: path_prefix.map(str::to_string),
            usage_filter: usage_filter.map(str::to_string),
            page: PageRequest {
                marker: marker.take(),
                max_items: Some(max_items),
            },
        };
        let page = policies::list_entities_for_policy_page(&t.iam, root, arn, input)
            .await
            .unwrap();
        pages.push(page.items.into_iter().map(|e| e.name).collect());
        match page.marker {
            Some(next) => marker = Some(next),
            None => return pages,
        }
    }
}

/// A policy attached to groups g-a, g-b, users u-a (/team/), u-c (/team/) and role r-a, and
/// the boundary of u-b, u-c and r-b; g-m, u-m and r-m (between them by name) do not use it.
async fn policy_with_entities(t: &TestIam, root: &Caller) -> String {
    let arn = managed_policy(t, root, "Shared", &allow("s3:*", "*")).await;
    for name in ["g-a", "g-b", "g-m"] {
        create_group(t, root, name).await;
    }
    for (name, path) in [
        ("u-a", "/team/"),
        ("u-b", "/"),
        ("u-c", "/team/"),
        ("u-m", "/team/"),
    ] {
        users::create_user(
            &t.iam,
            root,
            CreateUser {
                entity: NewEntity::parse(name, Some(path)).unwrap(),
                ..new_user(name)
            },
        )
        .await
        .unwrap();
    }
    for name in ["r-a", "r-b", "r-m"] {
        roles::create_role(&t.iam, root, new_role(name))
            .await
            .unwrap();
    }
    for (kind, name) in [
        (EntityKind::Group, "g-a"),
        (EntityKind::Group, "g-b"),
        (EntityKind::User, "u-a"),
        (EntityKind::User, "u-c"),
        (EntityKind::Role, "r-a"),
    ] {
        attach(t, root, kind, name, &arn).await;
    }
    for (kind, name) in [
        (EntityKind::User, "u-b"),
        (EntityKind::User, "u-c"),
        (EntityKind::Role, "r-b"),
    ] {
        boundaries::put_boundary(&t.iam, root, kind, name, &arn)
            .await
            .unwrap();
    }
    arn
}

#[tokio::test]
async fn entities_for_policy_page_in_the_store_over_groups_users_and_roles() {
    let (t, root) = with_root().await;
    let arn = policy_with_entities(&t, &root).await;
    let cases: [(EntityFilters, &[&str]); 6] = [
        (
            (None, None, None),
            &["g-a", "g-b", "u-a", "u-b", "u-c", "r-a", "r-b"],
        ),
        (
            (None, None, Some("PermissionsPolicy")),
            &["g-a", "g-b", "u-a", "u-c", "r-a"],
        ),
        (
            (None, None, Some("PermissionsBoundary")),
            &["u-b", "u-c", "r-b"],
        ),
        ((Some("User"), None, None), &["u-a", "u-b", "u-c"]),
        ((None, Some("/team/"), None), &["u-a", "u-c"]),
        ((Some("Role"), None, Some("PermissionsPolicy")), &["r-a"]),
    ];
    for (filters, expected) in cases {
        for max_items in [1, 2] {
            let pages = entity_pages(&t, &root, &arn, filters, max_items).await;
            assert_eq!(pages.concat(), expected, "{filters:?} MaxItems={max_items}");
            // Filtered-out entities sort between the wanted ones, yet every page is full.
            let (last, full) = pages.split_last().unwrap();
            assert!(
                full.iter().all(|page| page.len() == max_items as usize),
                "{filters:?} MaxItems={max_items}: {pages:?}"
            );
            assert!(!last.is_empty());
        }
    }
    // An entity both attached and bounded by the policy is listed once, with its kind and ID.
    let page = policies::list_entities_for_policy_page(
        &t.iam,
        &root,
        &arn,
        ListEntitiesForPolicy {
            entity_filter: Some("User".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.items.len(), 3);
    assert!(page
        .items
        .iter()
        .all(|e| e.kind == EntityKind::User && e.id.starts_with("AIDA")));
    assert!(!page.is_truncated);
}

#[tokio::test]
async fn entities_for_policy_continue_after_the_last_one_shown_when_entities_change() {
    let (t, root) = with_root().await;
    let arn = policy_with_entities(&t, &root).await;
    let three = |marker: Option<String>| ListEntitiesForPolicy {
        page: PageRequest {
            marker,
            max_items: Some(3),
        },
        ..Default::default()
    };
    let first = policies::list_entities_for_policy_page(&t.iam, &root, &arn, three(None))
        .await
        .unwrap();
    let names = |page: &Page<PolicyEntity>| -> Vec<String> {
        page.items.iter().map(|e| e.name.clone()).collect()
    };
    assert_eq!(names(&first), ["g-a", "g-b", "u-a"]);
    // Between the pages: g-b stops using the policy; a group and a user sorting before the
    // marker start to.
    detach(&t, &root, EntityKind::Group, "g-b", &arn).await;
    create_group(&t, &root, "g-0").await;
    attach(&t, &root, EntityKind::Group, "g-0", &arn).await;
    iam_user(&t, &root, "u-0").await;
    attach(&t, &root, EntityKind::User, "u-0", &arn).await;
    let second = policies::list_entities_for_policy_page(&t.iam, &root, &arn, three(first.marker))
        .await
        .unwrap();
    assert_eq!(names(&second), ["u-b", "u-c", "r-a"]);
    let third = policies::list_entities_for_policy_page(&t.iam, &root, &arn, three(second.marker))
        .await
        .unwrap();
    assert_eq!(names(&third), ["r-b"]);
    assert!(!third.is_truncated);
}

#[tokio::test]
async fn entities_for_policy_refuse_bad_markers_and_filters() {
    let (t, root) = with_root().await;
    let arn = policy_with_entities(&t, &root).await;
    create_group(&t, &root, "ops").await;
    for name in ["u-a", "u-b"] {
        add_to_group(&t, &root, "ops", name).await;
    }
    let (_, members) = groups::get_group_page(
        &t.iam,
        &root,
        "ops",
        PageRequest {
            marker: None,
            max_items: Some(1),
        },
    )
    .await
    .unwrap();
    let with_marker = |marker: String| ListEntitiesForPolicy {
        page: PageRequest {
            marker: Some(marker),
            max_items: None,
        },
        ..Default::default()
    };
    for marker in ["garbage!".to_string(), members.marker.unwrap()] {
        assert_error(
            policies::list_entities_for_policy_page(&t.iam, &root, &arn, with_marker(marker)).await,
            "ValidationError",
            "Invalid Marker: the marker does not come from a previous listing.",
        );
    }
    assert_error(
        policies::list_entities_for_policy_page(
            &t.iam,
            &root,
            &arn,
            ListEntitiesForPolicy {
                usage_filter: Some("Attached".into()),
                ..Default::default()
            },
        )
        .await,
        "ValidationError",
        "1 validation error detected: Value at 'policyUsageFilter' failed to satisfy constraint: Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]",
    );
    let bad_prefix = policies::list_entities_for_policy_page(
        &t.iam,
        &root,
        &arn,
        ListEntitiesForPolicy {
            path_prefix: Some("team".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(bad_prefix.code(), "ValidationError", "{bad_prefix}");
}

/// Every page of `GetAccountAuthorizationDetails` with `filter` and `max_items`: the names on
/// each (users, groups, roles, then policies).
async fn detail_pages(
    t: &TestIam,
    root: &Caller,
    filter: DetailFilter,
    max_items: i64,
) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut marker = None;
    loop {
        let request = PageRequest {
            marker: marker.take(),
            max_items: Some(max_items),
        };
        let details =
            authorization_details::get_account_authorization_details(&t.iam, root, filter, request)
                .await
                .unwrap();
        pages.push(detail_names(&details));
        match details.marker {
            Some(next) => marker = Some(next),
            None => return pages,
        }
    }
}

fn detail_names(details: &AuthorizationDetails) -> Vec<String> {
    let users = details.users.iter().map(|d| d.user.user_name.clone());
    let groups = details.groups.iter().map(|d| d.group.group_name.clone());
    let roles = details.roles.iter().map(|d| d.role.role_name.clone());
    let policies = details
        .policies
        .iter()
        .map(|d| d.policy.policy_name.clone());
    users.chain(groups).chain(roles).chain(policies).collect()
}

/// Users amy (with IAMReadOnlyAccess) and ben, group ops (with the customer policy Local) and
/// role ci.
async fn small_account(t: &TestIam, root: &Caller) {
    for name in ["amy", "ben"] {
        iam_user(t, root, name).await;
    }
    create_group(t, root, "ops").await;
    roles::create_role(&t.iam, root, new_role("ci"))
        .await
        .unwrap();
    let local = managed_policy(t, root, "Local", &allow("s3:*", "*")).await;
    attach(t, root, EntityKind::User, "amy", READ_ONLY).await;
    attach(t, root, EntityKind::Group, "ops", &local).await;
}

#[tokio::test]
async fn authorization_details_page_in_the_store_over_every_kind() {
    let (t, root) = with_root().await;
    small_account(&t, &root).await;
    let users_and_roles = DetailFilter {
        users: true,
        groups: false,
        roles: true,
        local_policies: false,
        aws_policies: false,
    };
    let policies_only = DetailFilter {
        users: false,
        groups: false,
        roles: false,
        local_policies: true,
        aws_policies: true,
    };
    let cases: [(DetailFilter, &[&str]); 3] = [
        (
            DetailFilter::ALL,
            &["amy", "ben", "ops", "ci", "IAMReadOnlyAccess", "Local"],
        ),
        (users_and_roles, &["amy", "ben", "ci"]),
        (policies_only, &["IAMReadOnlyAccess", "Local"]),
    ];
    for (filter, expected) in cases {
        for max_items in [1, 2] {
            let pages = detail_pages(&t, &root, filter, max_items).await;
            assert_eq!(pages.concat(), expected, "{filter:?} MaxItems={max_items}");
            let (last, full) = pages.split_last().unwrap();
            assert!(
                full.iter().all(|page| page.len() == max_items as usize),
                "{filter:?} MaxItems={max_items}: {pages:?}"
            );
            assert!(!last.is_empty());
        }
    }
    // The details travel with each row: amy's attached policy, the policy's usage and version.
    let all = authorization_details::get_account_authorization_details(
        &t.iam,
        &root,
        DetailFilter::ALL,
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert!(!all.is_truncated && all.marker.is_none());
    assert_eq!(all.users[0].attached_policies[0].policy_arn, READ_ONLY);
    assert_eq!(all.groups[0].attached_policies[0].policy_name, "Local");
    assert_eq!(
        all.policies
            .iter()
            .map(|d| (d.policy.attachment_count, d.versions.len()))
            .collect::<Vec<_>>(),
        [(1, 1), (1, 1)]
    );
}

#[tokio::test]
async fn authorization_details_continue_after_the_last_row_shown_when_rows_change() {
    let (t, root) = with_root().await;
    small_account(&t, &root).await;
    let two = |marker: Option<String>| PageRequest {
        marker,
        max_items: Some(2),
    };
    let (iam, caller) = (&t.iam, &root);
    let details = move |request| {
        authorization_details::get_account_authorization_details(
            iam,
            caller,
            DetailFilter::ALL,
            request,
        )
    };
    let first = details(two(None)).await.unwrap();
    assert_eq!(detail_names(&first), ["amy", "ben"]);
    // Between the pages: ben goes, two users sorting before the marker come.
    users::delete_user(&t.iam, &root, "ben").await.unwrap();
    for name in ["aaa", "aab"] {
        iam_user(&t, &root, name).await;
    }
    let second = details(two(first.marker)).await.unwrap();
    assert_eq!(detail_names(&second), ["ops", "ci"]);
    let third = details(two(second.marker)).await.unwrap();
    assert_eq!(detail_names(&third), ["IAMReadOnlyAccess", "Local"]);
    assert!(!third.is_truncated);
}

#[tokio::test]
async fn authorization_details_refuse_markers_they_did_not_make() {
    let (t, root) = with_root().await;
    small_account(&t, &root).await;
    let entities = policies::list_entities_for_policy_page(
        &t.iam,
        &root,
        READ_ONLY,
        ListEntitiesForPolicy::default(),
    )
    .await
    .unwrap();
    assert_eq!(entities.items.len(), 1);
    let foreign = ferriam::server::service::paging::tagged_marker("policy-entities", "1:amy");
    for marker in ["***".to_string(), foreign] {
        assert_error(
            authorization_details::get_account_authorization_details(
                &t.iam,
                &root,
                DetailFilter::ALL,
                PageRequest {
                    marker: Some(marker),
                    max_items: None,
                },
            )
            .await
            .map(|details| detail_names(&details)),
            "ValidationError",
            "Invalid Marker: the marker does not come from a previous listing.",
        );
    }
}
