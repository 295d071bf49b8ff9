//! Service tests: IAM users — create, read, list, rename, delete (and its conflicts), tags, and
//! the console's composite create/delete as single transactions, on a real SQLite database.

mod common;

use common::doors;

use common::*;
use ferriam::domain::entity_requests::NewEntity;
use ferriam::domain::tags::Tag;
use ferriam::domain::{AccountId, Principal};
use ferriam::server::service::entities::boundaries;
use ferriam::server::service::entities::tagging;
use ferriam::server::service::entities::users::{self, CreateUser, ListUsers};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::ServiceError;
use ferriam::server::service::{entities::groups, policies, policies::attachments, Caller};
use ferriam::server::store;

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.to_string(),
        value: value.to_string(),
    }
}

fn list(max_items: Option<i64>, marker: Option<String>) -> ListUsers {
    ListUsers {
        path_prefix: None,
        name_prefix: None,
        marker,
        max_items,
    }
}

async fn user_exists(t: &TestIam, root: &Caller, name: &str) -> bool {
    store::users::TABLE
        .find_by_name(t.iam.store().reader(), root.account_id().as_str(), name)
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn create_user_returns_the_aws_user_with_its_path_in_the_arn() {
    let (t, root) = with_root().await;
    let user = users::create_user(
        &t.iam,
        &root,
        CreateUser {
            entity: NewEntity::parse("alice", Some("/engineering/")).unwrap(),
            tags: vec![tag("team", "core"), tag("cost-center", "42")],
            ..new_user("alice")
        },
    )
    .await
    .unwrap();
    assert_eq!(user.user_name, "alice");
    assert_eq!(user.path, "/engineering/");
    assert_eq!(user.arn, "arn:aws:iam::123456789012:user/engineering/alice");
    assert_unique_id(&user.user_id, "AIDA");
    assert_eq!(user.create_date, START_MILLIS);
    assert_eq!(user.permissions_boundary_arn, None);
    assert_eq!(
        user.tags,
        vec![tag("team", "core"), tag("cost-center", "42")]
    );

    assert_eq!(
        users::get_user(&t.iam, &root, Some("alice")).await.unwrap(),
        user
    );
    let other = users::create_user(&t.iam, &root, new_user("bob"))
        .await
        .unwrap();
    assert_eq!(other.path, "/");
    assert_eq!(other.arn, "arn:aws:iam::123456789012:user/bob");
    assert_ne!(other.user_id, user.user_id);
}

#[tokio::test]
async fn user_names_are_unique_ignoring_case_and_looked_up_ignoring_case() {
    let (t, root) = with_root().await;
    let alice = users::create_user(&t.iam, &root, new_user("alice"))
        .await
        .unwrap();
    let duplicate = users::create_user(&t.iam, &root, new_user("Alice")).await;
    let error = duplicate.as_ref().unwrap_err();
    assert_eq!(error.field(), Some("UserName"));
    assert_error(
        duplicate,
        "EntityAlreadyExists",
        "User with name Alice already exists.",
    );
    let found = users::get_user(&t.iam, &root, Some("ALICE")).await.unwrap();
    assert_eq!(found.user_id, alice.user_id);
    assert_eq!(found.user_name, "alice", "the stored spelling is kept");
    // The same name in another account is another user.
    let other_root = account(&t, OTHER_ACCOUNT).await;
    let theirs = users::create_user(&t.iam, &other_root, new_user("alice"))
        .await
        .unwrap();
    assert_eq!(theirs.arn, "arn:aws:iam::210987654321:user/alice");
}

/// A create request as the Query API parses it, so a bad name or path is refused as a client
/// sees it.
fn parsed_user(name: &str, path: Option<&str>) -> Result<CreateUser, ServiceError> {
    Ok(CreateUser {
        entity: NewEntity::parse(name, path)?,
        ..new_user("alice")
    })
}

#[tokio::test]
async fn create_user_validates_its_input_with_aws_messages() {
    let (t, root) = with_root().await;
    let too_many: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
    let cases: Vec<(Result<CreateUser, ServiceError>, &str, &str)> = vec![
        (
            parsed_user("", None),
            "ValidationError",
            "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ),
        (
            parsed_user(&"a".repeat(65), None),
            "ValidationError",
            "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64",
        ),
        (
            parsed_user("al ice", None),
            "ValidationError",
            "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-",
        ),
        (
            parsed_user("alice", Some("/no-trailing-slash")),
            "ValidationError",
            "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.",
        ),
        (
            Ok(CreateUser {
                tags: too_many,
                ..new_user("alice")
            }),
            "ValidationError",
            "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
        ),
        (
            Ok(CreateUser {
                tags: vec![tag("Team", "a"), tag("team", "b")],
                ..new_user("alice")
            }),
            "InvalidInput",
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        ),
        (
            Ok(CreateUser {
                tags: vec![tag(&"k".repeat(129), "v")],
                ..new_user("alice")
            }),
            "ValidationError",
            "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
        ),
        (
            Ok(CreateUser {
                tags: vec![tag("ok", "v"), tag("k", &"v".repeat(257))],
                ..new_user("alice")
            }),
            "ValidationError",
            "1 validation error detected: Value at 'tags.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
        ),
        (
            Ok(CreateUser {
                groups: vec!["no such group".into()],
                ..new_user("alice")
            }),
            "ValidationError",
            "The specified value for groupName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-",
        ),
    ];
    for (input, code, message) in cases {
        assert_error(
            async { users::create_user(&t.iam, &root, input?).await }.await,
            code,
            message,
        );
    }
    assert!(!user_exists(&t, &root, "alice").await);
    // The longest allowed name is fine.
    users::create_user(&t.iam, &root, new_user(&"a".repeat(64)))
        .await
        .unwrap();
}

#[tokio::test]
async fn get_user_names_a_missing_user_and_without_a_name_answers_the_caller() {
    let (t, root) = with_root().await;
    assert_error(
        users::get_user(&t.iam, &root, Some("nobody")).await,
        "NoSuchEntity",
        "The user with name nobody cannot be found.",
    );
    let me = users::get_user(&t.iam, &root, None).await.unwrap();
    assert_eq!(me.arn, "arn:aws:iam::123456789012:root");
    assert_eq!(me.user_id, "123456789012");
    assert_eq!(me.user_name, "");

    let (bob, bob_caller) = iam_user(&t, &root, "bob").await;
    attachments::attach_policy(
        &t.iam,
        &root,
        EntityKind::User,
        "bob",
        "arn:aws:iam::aws:policy/FerriamSelfManageCredentials",
    )
    .await
    .unwrap();
    let answered = users::get_user(&t.iam, &bob_caller, None).await.unwrap();
    assert_eq!(answered.user_id, bob.user_id);
    assert_eq!(answered.arn, "arn:aws:iam::123456789012:user/bob");
}

#[tokio::test]
async fn list_users_pages_in_name_order_ignoring_case() {
    let (t, root) = with_root().await;
    for name in ["delta", "Alpha", "charlie", "Bravo", "echo"] {
        users::create_user(&t.iam, &root, new_user(name))
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut marker = None;
    let mut pages = 0;
    loop {
        let page = users::list_users(&t.iam, &root, list(Some(2), marker.clone()))
            .await
            .unwrap();
        pages += 1;
        assert!(page.items.len() <= 2);
        seen.extend(page.items.iter().map(|u| u.user_name.clone()));
        assert_eq!(page.is_truncated, page.marker.is_some());
        if !page.is_truncated {
            break;
        }
        marker = page.marker;
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ["Alpha", "Bravo", "charlie", "delta", "echo"]);

    let all = users::list_users(&t.iam, &root, list(None, None))
        .await
        .unwrap();
    assert_eq!(all.items.len(), 5);
    assert!(!all.is_truncated);
    assert_eq!(all.marker, None);
    let exact = users::list_users(&t.iam, &root, list(Some(5), None))
        .await
        .unwrap();
    assert!(!exact.is_truncated, "a full last page is not truncated");
    let one = users::list_users(&t.iam, &root, list(Some(1), None))
        .await
        .unwrap();
    assert_eq!(one.items[0].user_name, "Alpha");
    assert!(one.is_truncated);
    users::list_users(&t.iam, &root, list(Some(1000), None))
        .await
        .unwrap();
}

#[tokio::test]
async fn list_users_checks_max_items_and_marker() {
    let (t, root) = with_root().await;
    for (max, message) in [
        (0, "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"),
        (1001, "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"),
    ] {
        assert_error(
            users::list_users(&t.iam, &root, list(Some(max), None)).await,
            "ValidationError",
            message,
        );
    }
    assert_error(
        users::list_users(&t.iam, &root, list(None, Some("not a marker!".into()))).await,
        "ValidationError",
        "Invalid Marker: the marker does not come from a previous listing.",
    );
}

#[tokio::test]
async fn list_users_filters_by_path_prefix_and_leaves_tags_out() {
    let (t, root) = with_root().await;
    for (name, path) in [
        ("ann", "/eng/backend/"),
        ("ben", "/eng/"),
        ("cat", "/sales/"),
    ] {
        users::create_user(
            &t.iam,
            &root,
            CreateUser {
                entity: NewEntity::parse(name, Some(path)).unwrap(),
                tags: vec![tag("k", "v")],
                ..new_user(name)
            },
        )
        .await
        .unwrap();
    }
    let names = |prefix: &str| {
        let prefix = prefix.to_string();
        let (iam, root) = (t.iam.clone(), root.clone());
        async move {
            users::list_users(
                &iam,
                &root,
                ListUsers {
                    path_prefix: Some(prefix),
                    ..list(None, None)
                },
            )
            .await
            .unwrap()
            .items
        }
    };
    let eng = names("/eng/").await;
    assert_eq!(
        eng.iter().map(|u| u.user_name.as_str()).collect::<Vec<_>>(),
        ["ann", "ben"]
    );
    assert!(eng.iter().all(|u| u.tags.is_empty()));
    assert_eq!(eng[0].arn, "arn:aws:iam::123456789012:user/eng/backend/ann");
    // A plain string prefix: part of a path segment still matches, as in AWS.
    assert_eq!(names("/sa").await.len(), 1);
    assert_eq!(names("/").await.len(), 3);
    assert!(names("/nothing/").await.is_empty());
    assert_error(
        users::list_users(
            &t.iam,
            &root,
            ListUsers {
                path_prefix: Some("eng/".into()),
                ..list(None, None)
            },
        )
        .await,
        "ValidationError",
        "The specified value for pathPrefix is invalid. It must begin with the / character and contain only alphanumeric characters and/or / characters.",
    );
}

#[tokio::test]
async fn update_user_renames_and_moves_keeping_the_id_and_memberships() {
    let (t, root) = with_root().await;
    let alice = users::create_user(&t.iam, &root, new_user("alice"))
        .await
        .unwrap();
    users::create_user(&t.iam, &root, new_user("bob"))
        .await
        .unwrap();
    doors::create_group(&t.iam, &root, "ops", None)
        .await
        .unwrap();
    groups::add_user_to_group(&t.iam, &root, "ops", "alice")
        .await
        .unwrap();

    doors::update_user(&t.iam, &root, "ALICE", Some("alicia"), Some("/team/"))
        .await
        .unwrap();
    let renamed = users::get_user(&t.iam, &root, Some("alicia"))
        .await
        .unwrap();
    assert_eq!(renamed.user_id, alice.user_id);
    assert_eq!(renamed.path, "/team/");
    assert_eq!(renamed.arn, "arn:aws:iam::123456789012:user/team/alicia");
    assert_error(
        users::get_user(&t.iam, &root, Some("alice")).await,
        "NoSuchEntity",
        "The user with name alice cannot be found.",
    );
    let (_, members) = groups::get_group(&t.iam, &root, "ops").await.unwrap();
    assert_eq!(members[0].user_name, "alicia");

    // A change of case only is a rename onto itself, not a clash.
    doors::update_user(&t.iam, &root, "alicia", Some("Alicia"), None)
        .await
        .unwrap();
    let recased = users::get_user(&t.iam, &root, Some("alicia"))
        .await
        .unwrap();
    assert_eq!(recased.user_name, "Alicia");
    assert_eq!(recased.path, "/team/", "an absent NewPath keeps the path");

    let clash = doors::update_user(&t.iam, &root, "Alicia", Some("BOB"), None).await;
    assert_eq!(clash.as_ref().unwrap_err().field(), Some("NewUserName"));
    assert_error(
        clash,
        "EntityAlreadyExists",
        "User with name BOB already exists.",
    );
    assert_error(
        doors::update_user(&t.iam, &root, "nobody", Some("x"), None).await,
        "NoSuchEntity",
        "The user with name nobody cannot be found.",
    );
    assert_error(
        doors::update_user(&t.iam, &root, "bob", Some("b o b"), None).await,
        "ValidationError",
        "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-",
    );
    // Every broken length constraint is named at once, and nothing changes.
    let long_name = "b".repeat(65);
    let long_path = format!("/{}/", "p".repeat(511));
    assert_error(
        doors::update_user(&t.iam, &root, "bob", Some(&long_name), Some(&long_path)).await,
        "ValidationError",
        "2 validation errors detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64; Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512",
    );
    assert_eq!(
        users::get_user(&t.iam, &root, Some("bob"))
            .await
            .unwrap()
            .path,
        "/"
    );
}

/// Gives the user one dependent of each kind DeleteUser refuses over, plus tags and a
/// permissions boundary, which do not block deletion.
async fn user_with_every_dependent(t: &TestIam, root: &Caller, name: &str) -> String {
    let user = users::create_user(
        &t.iam,
        root,
        CreateUser {
            tags: vec![tag("k", "v")],
            permissions_boundary: Some("arn:aws:iam::aws:policy/PowerUserAccess".into()),
            ..new_user(name)
        },
    )
    .await
    .unwrap();
    store::mfa::insert(
        t.iam.store().writer(),
        &store::mfa::MfaDeviceRow {
            account_id: root.account_id().to_string(),
            serial_number: format!("arn:aws:iam::{ACCOUNT}:mfa/{name}"),
            name: name.to_string(),
            path: "/".to_string(),
            sealed_seed: vec![1, 2, 3],
            owner: user.user_id.clone(),
            enabled_at: Some(START_MILLIS),
            last_used_step: 0,
            created_at: START_MILLIS,
        },
    )
    .await
    .unwrap();
    put_user_policy(t, root, name, "inline", &allow("iam:GetUser", "*")).await;
    attachments::attach_policy(
        &t.iam,
        root,
        EntityKind::User,
        name,
        "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
    )
    .await
    .unwrap();
    doors::create_group(&t.iam, root, "ops", None)
        .await
        .unwrap();
    groups::add_user_to_group(&t.iam, root, "ops", name)
        .await
        .unwrap();
    user.user_id
}

#[tokio::test]
async fn delete_user_refuses_while_anything_hangs_on_it_naming_each_in_turn() {
    let (t, root) = with_root().await;
    let user_id = user_with_every_dependent(&t, &root, "alice").await;
    let account = root.account_id().to_string();

    let expect = |message: &'static str| {
        let (iam, root) = (t.iam.clone(), root.clone());
        async move {
            assert_error(
                users::delete_user(&iam, &root, "alice").await,
                "DeleteConflict",
                message,
            );
        }
    };
    expect("Cannot delete entity, must delete MFA device first.").await;
    store::mfa::delete_for_owner(t.iam.store().writer(), &account, &user_id)
        .await
        .unwrap();
    expect("Cannot delete entity, must delete policies first.").await;
    ferriam::server::service::policies::inline::delete_inline_policy(
        &t.iam,
        &root,
        EntityKind::User,
        "alice",
        "inline",
    )
    .await
    .unwrap();
    expect("Cannot delete entity, must detach all policies first.").await;
    attachments::detach_policy(
        &t.iam,
        &root,
        EntityKind::User,
        "alice",
        "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
    )
    .await
    .unwrap();
    expect("Cannot delete entity, must remove users from group first.").await;
    assert!(user_exists(&t, &root, "alice").await);
    groups::remove_user_from_group(&t.iam, &root, "ops", "alice")
        .await
        .unwrap();

    users::delete_user(&t.iam, &root, "Alice").await.unwrap();
    assert!(!user_exists(&t, &root, "alice").await);
    assert!(store::tags::for_entity(
        t.iam.store().reader(),
        ferriam::domain::EntityKind::User,
        &user_id
    )
    .await
    .unwrap()
    .is_empty());
    assert_error(
        users::delete_user(&t.iam, &root, "alice").await,
        "NoSuchEntity",
        "The user with name alice cannot be found.",
    );
    // A new user by the same name is a new identity.
    let again = users::create_user(&t.iam, &root, new_user("alice"))
        .await
        .unwrap();
    assert_ne!(again.user_id, user_id);
}

#[tokio::test]
async fn delete_user_and_dependents_removes_everything_in_one_go() {
    let (t, root) = with_root().await;
    let user_id = user_with_every_dependent(&t, &root, "alice").await;
    users::delete_user_and_dependents(&t.iam, &root, "alice")
        .await
        .unwrap();
    assert!(!user_exists(&t, &root, "alice").await);
    let db = t.iam.store().reader();
    assert!(store::mfa::find_for_owner(db, ACCOUNT, &user_id)
        .await
        .unwrap()
        .is_none());
    let (group, members) = groups::get_group(&t.iam, &root, "ops").await.unwrap();
    assert_eq!(group.group_name, "ops", "the group itself stays");
    assert!(members.is_empty());
    let readonly = policies::get_policy(&t.iam, &root, "arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        .await
        .unwrap();
    assert_eq!(readonly.attachment_count, 0);
    for table in [
        "inline_policies",
        "policy_attachments",
        "tags",
        "group_members",
    ] {
        let left: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE {} = $1",
            if table == "group_members" {
                "user_id"
            } else {
                "entity_id"
            }
        ))
        .bind(&user_id)
        .fetch_one(db)
        .await
        .unwrap();
        assert_eq!(left, 0, "{table}");
    }
}

#[tokio::test]
async fn tags_are_kept_in_order_overwritten_ignoring_case_and_capped_at_fifty() {
    let (t, root) = with_root().await;
    users::create_user(
        &t.iam,
        &root,
        CreateUser {
            tags: vec![tag("Team", "core"), tag("env", "prod")],
            ..new_user("alice")
        },
    )
    .await
    .unwrap();
    tagging::tag(
        &t.iam,
        &root,
        EntityKind::User,
        "alice",
        vec![tag("team", "edge"), tag("tier", "1")],
    )
    .await
    .unwrap();
    assert_eq!(
        tagging::list_tags(&t.iam, &root, EntityKind::User, "ALICE")
            .await
            .unwrap(),
        vec![tag("team", "edge"), tag("env", "prod"), tag("tier", "1")]
    );
    tagging::untag(
        &t.iam,
        &root,
        EntityKind::User,
        "alice",
        vec!["ENV".into(), "absent".into()],
    )
    .await
    .unwrap();
    assert_eq!(
        users::get_user(&t.iam, &root, Some("alice"))
            .await
            .unwrap()
            .tags,
        vec![tag("team", "edge"), tag("tier", "1")]
    );

    let fill: Vec<Tag> = (0..48).map(|i| tag(&format!("k{i}"), "v")).collect();
    tagging::tag(&t.iam, &root, EntityKind::User, "alice", fill)
        .await
        .unwrap();
    assert_eq!(
        tagging::list_tags(&t.iam, &root, EntityKind::User, "alice")
            .await
            .unwrap()
            .len(),
        50
    );
    // Overwriting an existing key at the cap is fine; one more key is not.
    tagging::tag(
        &t.iam,
        &root,
        EntityKind::User,
        "alice",
        vec![tag("TIER", "2")],
    )
    .await
    .unwrap();
    assert_error(
        tagging::tag(
            &t.iam,
            &root,
            EntityKind::User,
            "alice",
            vec![tag("one-more", "v")],
        )
        .await,
        "LimitExceeded",
        "The number of tags has reached the maximum limit of 50.",
    );
    assert_eq!(
        tagging::list_tags(&t.iam, &root, EntityKind::User, "alice")
            .await
            .unwrap()
            .len(),
        50
    );
    for result in [
        tagging::tag(
            &t.iam,
            &root,
            EntityKind::User,
            "nobody",
            vec![tag("k", "v")],
        )
        .await,
        tagging::untag(&t.iam, &root, EntityKind::User, "nobody", vec!["k".into()]).await,
    ] {
        assert_error(
            result,
            "NoSuchEntity",
            "The user with name nobody cannot be found.",
        );
    }
    assert_error(
        tagging::list_tags(&t.iam, &root, EntityKind::User, "nobody").await,
        "NoSuchEntity",
        "The user with name nobody cannot be found.",
    );
    let fifty_one: Vec<String> = (0..51).map(|i| format!("k{i}")).collect();
    assert_error(
        tagging::untag(&t.iam, &root, EntityKind::User, "alice", fifty_one).await,
        "ValidationError",
        "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
    for bad in ["k".repeat(129), String::new(), "no*stars".into()] {
        assert_error(
            tagging::untag(&t.iam, &root, EntityKind::User, "alice", vec![bad]).await,
            "ValidationError",
            r"1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+, Member must not be null]",
        );
    }
    assert_error(
        tagging::tag(
            &t.iam,
            &root,
            EntityKind::User,
            "alice",
            vec![tag("aws:team", "x")],
        )
        .await,
        "InvalidInput",
        "Tag keys starting with 'aws:' are reserved for AWS use.",
    );
}

#[tokio::test]
async fn create_user_with_groups_and_policies_does_it_all_in_one_transaction() {
    let (t, root) = with_root().await;
    doors::create_group(&t.iam, &root, "ops", None)
        .await
        .unwrap();
    doors::create_group(&t.iam, &root, "dev", None)
        .await
        .unwrap();
    let user = users::create_user(
        &t.iam,
        &root,
        CreateUser {
            groups: vec!["ops".into(), "DEV".into()],
            policy_arns: vec!["arn:aws:iam::aws:policy/IAMUserChangePassword".into()],
            ..new_user("alice")
        },
    )
    .await
    .unwrap();
    let names: Vec<String> = groups::list_groups_for_user(&t.iam, &root, "alice")
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.group_name)
        .collect();
    assert_eq!(names, ["dev", "ops"]);
    let attached = attachments::list_attached_policies(&t.iam, &root, EntityKind::User, "alice")
        .await
        .unwrap();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0].policy_name, "IAMUserChangePassword");
    assert_eq!(user.user_name, "alice");
}

#[tokio::test]
async fn a_failure_halfway_through_create_user_leaves_nothing_behind() {
    let (t, root) = with_root().await;
    doors::create_group(&t.iam, &root, "ops", None)
        .await
        .unwrap();
    assert_error(
        users::create_user(
            &t.iam,
            &root,
            CreateUser {
                groups: vec!["ops".into(), "missing".into()],
                ..new_user("alice")
            },
        )
        .await,
        "NoSuchEntity",
        "The group with name missing cannot be found.",
    );
    assert!(!user_exists(&t, &root, "alice").await);
    let (_, members) = groups::get_group(&t.iam, &root, "ops").await.unwrap();
    assert!(members.is_empty());
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM group_members")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(members, 0);

    // The same with a policy that cannot be attached, after the groups went in.
    assert_error(
        users::create_user(
            &t.iam,
            &root,
            CreateUser {
                groups: vec!["ops".into()],
                policy_arns: vec!["arn:aws:iam::123456789012:policy/Missing".into()],
                tags: vec![tag("k", "v")],
                ..new_user("alice")
            },
        )
        .await,
        "NoSuchEntity",
        "Policy arn:aws:iam::123456789012:policy/Missing does not exist or is not attachable.",
    );
    assert!(!user_exists(&t, &root, "alice").await);
    let tags: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tags")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(tags, 0);
    // No success was recorded for the rolled-back attempts; each failure was.
    let events = audit_events(&t, ACCOUNT).await;
    assert!(!events.iter().any(|e| e.result == "Success"
        && [
            "iam:CreateUser",
            "iam:AddUserToGroup",
            "iam:AttachUserPolicy"
        ]
        .contains(&e.action.as_str())));
    let failures: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e.result != "Success")
        .map(|e| (e.action.as_str(), e.result.as_str()))
        .collect();
    assert_eq!(
        failures,
        [
            ("iam:CreateUser", "NoSuchEntity"),
            ("iam:CreateUser", "NoSuchEntity")
        ]
    );
}

#[tokio::test]
async fn create_user_counts_the_groups_quota_and_rolls_back_past_it() {
    let (t, root) = with_root().await;
    let names: Vec<String> = (0..11).map(|i| format!("g{i:02}")).collect();
    for name in &names {
        doors::create_group(&t.iam, &root, name, None)
            .await
            .unwrap();
    }
    assert_error(
        users::create_user(
            &t.iam,
            &root,
            CreateUser {
                groups: names.clone(),
                ..new_user("alice")
            },
        )
        .await,
        "LimitExceeded",
        "Cannot exceed quota for GroupsPerUser: 10",
    );
    assert!(!user_exists(&t, &root, "alice").await);
    users::create_user(
        &t.iam,
        &root,
        CreateUser {
            groups: names[..10].to_vec(),
            ..new_user("alice")
        },
    )
    .await
    .unwrap();
    assert_eq!(
        groups::list_groups_for_user(&t.iam, &root, "alice")
            .await
            .unwrap()
            .len(),
        10
    );
}

#[tokio::test]
async fn each_success_and_each_denial_is_in_the_audit_log() {
    let (t, root) = with_root().await;
    users::create_user(&t.iam, &root, new_user("alice"))
        .await
        .unwrap();
    // The success is written with the change, before any flush.
    let committed = store::audit::recent(t.iam.store().reader(), ACCOUNT, 10)
        .await
        .unwrap();
    assert_eq!(committed.len(), 1);
    let success = &committed[0];
    assert_eq!(success.action, "iam:CreateUser");
    assert_eq!(success.resource_arn, "arn:aws:iam::123456789012:user/alice");
    assert_eq!(success.principal_arn, "arn:aws:iam::123456789012:root");
    assert_eq!(success.result, "Success");
    assert_eq!(success.account_id, ACCOUNT);
    assert_eq!(success.event_time, START_MILLIS);
    assert_eq!(success.request_id, root.request.request_id);

    let bob = users::create_user(&t.iam, &root, new_user("bob"))
        .await
        .unwrap();
    let bob_caller = Caller::local(Principal::user(
        AccountId::parse("id", ACCOUNT).unwrap(),
        &bob.user_id,
        "bob",
        "/",
    ));
    assert_error(
        users::create_user(&t.iam, &bob_caller, new_user("carol")).await,
        "AccessDenied",
        &no_identity_allows(
            "arn:aws:iam::123456789012:user/bob",
            "iam:CreateUser",
            "arn:aws:iam::123456789012:user/carol",
        ),
    );
    let events = audit_events(&t, ACCOUNT).await;
    let denial = events.last().unwrap();
    assert_eq!(denial.action, "iam:CreateUser");
    assert_eq!(denial.resource_arn, "arn:aws:iam::123456789012:user/carol");
    assert_eq!(denial.principal_arn, "arn:aws:iam::123456789012:user/bob");
    assert_eq!(denial.result, "AccessDenied");
    assert_eq!(denial.request_id, bob_caller.request.request_id);
    assert!(!user_exists(&t, &root, "carol").await);

    // Reads are recorded too, through the batched writer.
    users::get_user(&t.iam, &root, Some("alice")).await.unwrap();
    let events = audit_events(&t, ACCOUNT).await;
    let read = events.last().unwrap();
    assert_eq!(
        (
            read.action.as_str(),
            read.resource_arn.as_str(),
            read.result.as_str()
        ),
        (
            "iam:GetUser",
            "arn:aws:iam::123456789012:user/alice",
            "Success"
        )
    );
}

#[tokio::test]
async fn list_users_searches_by_name_prefix_ignoring_case() {
    let (t, root) = with_root().await;
    for name in ["Adam", "adele", "bob", "ADA"] {
        users::create_user(&t.iam, &root, new_user(name))
            .await
            .unwrap();
    }
    let found = users::list_users(
        &t.iam,
        &root,
        ListUsers {
            name_prefix: Some("ad".into()),
            ..list(Some(2), None)
        },
    )
    .await
    .unwrap();
    assert_eq!(
        found
            .items
            .iter()
            .map(|u| u.user_name.as_str())
            .collect::<Vec<_>>(),
        ["ADA", "Adam"]
    );
    assert!(found.is_truncated);
    let rest = users::list_users(
        &t.iam,
        &root,
        ListUsers {
            name_prefix: Some("AD".into()),
            ..list(Some(2), found.marker)
        },
    )
    .await
    .unwrap();
    assert_eq!(
        rest.items
            .iter()
            .map(|u| u.user_name.as_str())
            .collect::<Vec<_>>(),
        ["adele"]
    );
    assert!(!rest.is_truncated);
}

#[tokio::test]
async fn user_detail_gathers_every_policy_that_reaches_the_user() {
    use ferriam::domain::iam_models::PolicySource;
    use ferriam::server::service::entities::user_detail::get_user_detail;

    let (t, root) = with_root().await;
    users::create_user(&t.iam, &root, new_user("alice"))
        .await
        .unwrap();
    let own = allow("s3:GetObject", "*");
    put_user_policy(&t, &root, "alice", "own", &own).await;
    attachments::attach_policy(
        &t.iam,
        &root,
        EntityKind::User,
        "alice",
        "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
    )
    .await
    .unwrap();
    doors::create_group(&t.iam, &root, "ops", None)
        .await
        .unwrap();
    groups::add_user_to_group(&t.iam, &root, "ops", "alice")
        .await
        .unwrap();
    let ops_document = allow("iam:ListUsers", "*");
    let ops_arn = attach_document(
        &t,
        &root,
        EntityKind::Group,
        "ops",
        "OpsPolicy",
        &ops_document,
    )
    .await;
    let ops_inline = allow("iam:ListGroups", "*");
    ferriam::server::service::policies::inline::put_inline_policy(
        &t.iam,
        &root,
        EntityKind::Group,
        "ops",
        "ops-inline",
        &ops_inline,
    )
    .await
    .unwrap();

    let detail = get_user_detail(&t.iam, &root, "ALICE").await.unwrap();
    assert_eq!(detail.user.user_name, "alice");
    assert_eq!(detail.groups.len(), 1);
    assert_eq!(detail.attached_policies.len(), 1);
    assert_eq!(detail.inline_policies[0].policy_name, "own");
    let effective: Vec<(&str, Option<&str>, &PolicySource, bool)> = detail
        .effective_policies
        .iter()
        .map(|p| {
            (
                p.policy_name.as_str(),
                p.policy_arn.as_deref(),
                &p.source,
                p.document.is_empty(),
            )
        })
        .collect();
    // Managed documents are not sent (the page asks for one when a row opens, authorized as
    // GetPolicyVersion); inline ones are, to a caller who may read them.
    assert_eq!(
        effective,
        [
            (
                "IAMReadOnlyAccess",
                Some("arn:aws:iam::aws:policy/IAMReadOnlyAccess"),
                &PolicySource::AttachedToUser,
                true
            ),
            ("own", None, &PolicySource::InlineInUser, false),
            (
                "OpsPolicy",
                Some(ops_arn.as_str()),
                &PolicySource::AttachedToGroup("ops".into()),
                true
            ),
            (
                "ops-inline",
                None,
                &PolicySource::InlineInGroup("ops".into()),
                false
            ),
        ]
    );
    assert_eq!(detail.effective_policies[1].document, own);
    assert_eq!(detail.effective_policies[3].document, ops_inline);
    assert_eq!(detail.inline_policies[0].policy_document, own);

    // A caller who may list the policies but not read them gets their names only.
    let (_, lister) = iam_user(&t, &root, "lister").await;
    put_user_policy(
        &t,
        &root,
        "lister",
        "list-only",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:List*"],"Resource":"*"}]}"#,
    )
    .await;
    let listed = get_user_detail(&t.iam, &lister, "alice").await.unwrap();
    let names: Vec<&str> = listed
        .effective_policies
        .iter()
        .map(|p| p.policy_name.as_str())
        .collect();
    assert_eq!(
        names,
        ["IAMReadOnlyAccess", "own", "OpsPolicy", "ops-inline"]
    );
    assert!(listed
        .effective_policies
        .iter()
        .all(|p| p.document.is_empty()));
    assert!(listed.inline_policies[0].policy_document.is_empty());
    let groups_inline = ferriam::server::service::policies::inline::list_inline_policies(
        &t.iam,
        &lister,
        EntityKind::Group,
        "ops",
    )
    .await
    .unwrap();
    assert_eq!(groups_inline[0].policy_name, "ops-inline");
    assert!(groups_inline[0].policy_document.is_empty());
    // Not even the names of a group's policies without leave to list them.
    put_user_policy(
        &t,
        &root,
        "lister",
        "not-the-group",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListAttachedGroupPolicies","Resource":"*"}]}"#,
    )
    .await;
    assert_eq!(
        get_user_detail(&t.iam, &lister, "alice")
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
    assert_error(
        get_user_detail(&t.iam, &root, "nobody").await,
        "NoSuchEntity",
        "The user with name nobody cannot be found.",
    );
}

#[tokio::test]
async fn get_user_answers_every_committed_change_at_once() {
    let (t, root) = with_root().await;
    users::create_user(&t.iam, &root, new_user("bob"))
        .await
        .unwrap();
    let first = users::get_user(&t.iam, &root, Some("bob")).await.unwrap();
    assert!(first.tags.is_empty());
    // A second read is answered from memory; every write below must still show at once.
    assert_eq!(
        users::get_user(&t.iam, &root, Some("BOB")).await.unwrap(),
        first
    );

    tagging::tag(
        &t.iam,
        &root,
        EntityKind::User,
        "bob",
        vec![tag("team", "storage")],
    )
    .await
    .unwrap();
    let tagged = users::get_user(&t.iam, &root, Some("bob")).await.unwrap();
    assert_eq!(tagged.tags, vec![tag("team", "storage")]);

    let boundary = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
    boundaries::put_boundary(&t.iam, &root, EntityKind::User, "bob", boundary)
        .await
        .unwrap();
    let bounded = users::get_user(&t.iam, &root, Some("bob")).await.unwrap();
    assert_eq!(bounded.permissions_boundary_arn.as_deref(), Some(boundary));

    doors::update_user(&t.iam, &root, "bob", Some("robert"), Some("/ops/"))
        .await
        .unwrap();
    let error = users::get_user(&t.iam, &root, Some("bob"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "NoSuchEntity");
    let renamed = users::get_user(&t.iam, &root, Some("robert"))
        .await
        .unwrap();
    assert_eq!(
        (renamed.user_name.as_str(), renamed.path.as_str()),
        ("robert", "/ops/")
    );
    assert_eq!(renamed.user_id, first.user_id);

    users::delete_user(&t.iam, &root, "robert").await.unwrap();
    let error = users::get_user(&t.iam, &root, Some("robert"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "NoSuchEntity");
}
