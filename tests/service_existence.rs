//! Service tests: a caller with no permissions cannot tell an existing user, group or role
//! from a missing one. For every operation that names one, the answer for an existing entity
//! (on the path /team/, with things hanging on it) and for a missing one is the same
//! AccessDenied, word for word once the name asked for is set aside, and never names the path.
//! Likewise for the other thing an operation names (the policy to attach or set as boundary,
//! the access key): nothing is looked up or validated before the caller is authorized.

mod common;

use common::doors;

use common::fixtures::tag;
use common::*;
use ferriam::domain::entity_requests::NewEntity;
use ferriam::server::service::entities::boundaries;
use ferriam::server::service::entities::roles::{self, CreateRole};
use ferriam::server::service::entities::tagging;
use ferriam::server::service::entities::users::{self, CreateUser};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::sts::{self, AssumeRole};
use ferriam::server::service::{
    credentials::access_keys, credentials::mfa, credentials::passwords, credentials::user_mfa,
    entities::groups, entities::user_detail, policies, policies::attachments, policies::inline,
    signin::console_sessions, Caller, ServiceError,
};

const MISSING: &str = "ghost";
const USER: &str = "alice";
const GROUP: &str = "devs";
const ROLE: &str = "app";
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/team/app";
const MISSING_ROLE_ARN: &str = "arn:aws:iam::123456789012:role/ghost";
const NO_SUCH_POLICY: &str = "arn:aws:iam::123456789012:policy/nothing";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
const NOT_A_DOCUMENT: &str = r#"{"Version":"2012-10-17","Statement":"#;
const SERIAL: &str = "arn:aws:iam::123456789012:mfa/alice";
const POLICY: &str = "arn:aws:iam::123456789012:policy/Pol";
const KEY: &str = "AKIAALICEKEY00000001";
const MISSING_KEY: &str = "AKIAGHOSTKEY00000001";

/// Every operation that names a user, group or role (and which kind it names).
#[derive(Clone, Copy, Debug)]
enum Op {
    GetUser,
    UpdateUser,
    DeleteUser,
    DeleteUserAndDependents,
    TagUser,
    UntagUser,
    ListUserTags,
    PutUserPermissionsBoundary,
    DeleteUserPermissionsBoundary,
    ListGroupsForUser,
    UserDetail,
    CreateLoginProfile,
    GetLoginProfile,
    FindLoginProfile,
    UpdateLoginProfile,
    DeleteLoginProfile,
    CreateAccessKey,
    ListAccessKeys,
    AccessKeyOverview,
    UpdateAccessKey,
    DeleteAccessKey,
    ListMfaDevices,
    EnableMfaDevice,
    ResyncMfaDevice,
    DeactivateMfaDevice,
    BeginUserMfa,
    RemoveUserMfa,
    ListUserSessions,
    EndUserSessions,
    GetGroup,
    UpdateGroup,
    DeleteGroup,
    DeleteGroupAndDependents,
    AddUserToGroup,
    RemoveUserFromGroup,
    GetRole,
    UpdateRole,
    UpdateRoleDescription,
    UpdateAssumeRolePolicy,
    DeleteRole,
    DeleteRoleAndDependents,
    TagRole,
    UntagRole,
    ListRoleTags,
    PutRolePermissionsBoundary,
    DeleteRolePermissionsBoundary,
    AttachPolicy(EntityKind),
    DetachPolicy(EntityKind),
    ListAttachedPolicies(EntityKind),
    PutInlinePolicy(EntityKind),
    GetInlinePolicy(EntityKind),
    ListInlinePolicies(EntityKind),
    DeleteInlinePolicy(EntityKind),
    AssumeRoleTooLong,
    // Operations whose other name (a policy, a key) exists or not.
    PutUserBoundaryPolicy,
    PutRoleBoundaryPolicy,
    AttachWhichPolicy(EntityKind),
    DeletePolicyEverywhere,
    GetAccessKeyLastUsed,
}

const KINDS: [EntityKind; 3] = [EntityKind::User, EntityKind::Group, EntityKind::Role];

fn all_ops() -> Vec<Op> {
    use Op::*;
    let mut ops = vec![
        GetUser,
        UpdateUser,
        DeleteUser,
        DeleteUserAndDependents,
        TagUser,
        UntagUser,
        ListUserTags,
        PutUserPermissionsBoundary,
        DeleteUserPermissionsBoundary,
        ListGroupsForUser,
        UserDetail,
        CreateLoginProfile,
        GetLoginProfile,
        FindLoginProfile,
        UpdateLoginProfile,
        DeleteLoginProfile,
        CreateAccessKey,
        ListAccessKeys,
        AccessKeyOverview,
        UpdateAccessKey,
        DeleteAccessKey,
        ListMfaDevices,
        EnableMfaDevice,
        ResyncMfaDevice,
        DeactivateMfaDevice,
        BeginUserMfa,
        RemoveUserMfa,
        ListUserSessions,
        EndUserSessions,
        GetGroup,
        UpdateGroup,
        DeleteGroup,
        DeleteGroupAndDependents,
        AddUserToGroup,
        RemoveUserFromGroup,
        GetRole,
        UpdateRole,
        UpdateRoleDescription,
        UpdateAssumeRolePolicy,
        DeleteRole,
        DeleteRoleAndDependents,
        TagRole,
        UntagRole,
        ListRoleTags,
        PutRolePermissionsBoundary,
        DeleteRolePermissionsBoundary,
        AssumeRoleTooLong,
        PutUserBoundaryPolicy,
        PutRoleBoundaryPolicy,
        DeletePolicyEverywhere,
        GetAccessKeyLastUsed,
    ];
    for kind in KINDS {
        ops.extend([
            AttachWhichPolicy(kind),
            AttachPolicy(kind),
            DetachPolicy(kind),
            ListAttachedPolicies(kind),
            PutInlinePolicy(kind),
            GetInlinePolicy(kind),
            ListInlinePolicies(kind),
            DeleteInlinePolicy(kind),
        ]);
    }
    ops
}

impl Op {
    /// The existing entity's name and the missing one's, as the operation takes them.
    fn names(self) -> (&'static str, &'static str) {
        use Op::*;
        let kind = match self {
            AttachPolicy(kind)
            | DetachPolicy(kind)
            | ListAttachedPolicies(kind)
            | PutInlinePolicy(kind)
            | GetInlinePolicy(kind)
            | ListInlinePolicies(kind)
            | DeleteInlinePolicy(kind) => kind,
            GetGroup
            | UpdateGroup
            | DeleteGroup
            | DeleteGroupAndDependents
            | AddUserToGroup
            | RemoveUserFromGroup => EntityKind::Group,
            GetRole
            | UpdateRole
            | UpdateRoleDescription
            | UpdateAssumeRolePolicy
            | DeleteRole
            | DeleteRoleAndDependents
            | TagRole
            | UntagRole
            | ListRoleTags
            | PutRolePermissionsBoundary
            | DeleteRolePermissionsBoundary => EntityKind::Role,
            AssumeRoleTooLong => return (ROLE_ARN, MISSING_ROLE_ARN),
            PutUserBoundaryPolicy
            | PutRoleBoundaryPolicy
            | AttachWhichPolicy(_)
            | DeletePolicyEverywhere => return (POLICY, NO_SUCH_POLICY),
            GetAccessKeyLastUsed => return (KEY, MISSING_KEY),
            _ => EntityKind::User,
        };
        match kind {
            EntityKind::User => (USER, MISSING),
            EntityKind::Group => (GROUP, MISSING),
            EntityKind::Role => (ROLE, MISSING),
        }
    }
}

fn ok<T>(result: Result<T, ServiceError>) -> Result<(), ServiceError> {
    result.map(drop)
}

/// Calls `op` on the entity `name` as `caller`.
async fn call(t: &TestIam, caller: &Caller, op: Op, name: &str) -> Result<(), ServiceError> {
    use Op::*;
    let iam = &t.iam;
    let c = caller;
    let tags = || vec![tag("team", "a")];
    let key = "AKIAIOSFODNN7EXAMPLE";
    match op {
        GetUser => ok(users::get_user(iam, c, Some(name)).await),
        UpdateUser => ok(doors::update_user(iam, c, name, Some("renamed"), None).await),
        DeleteUser => ok(users::delete_user(iam, c, name).await),
        DeleteUserAndDependents => ok(users::delete_user_and_dependents(iam, c, name).await),
        TagUser => ok(tagging::tag(iam, c, EntityKind::User, name, tags()).await),
        UntagUser => ok(tagging::untag(iam, c, EntityKind::User, name, vec!["team".into()]).await),
        ListUserTags => ok(tagging::list_tags(iam, c, EntityKind::User, name).await),
        PutUserPermissionsBoundary => {
            ok(boundaries::put_boundary(iam, c, EntityKind::User, name, NO_SUCH_POLICY).await)
        }
        DeleteUserPermissionsBoundary => {
            ok(boundaries::delete_boundary(iam, c, EntityKind::User, name).await)
        }
        ListGroupsForUser => ok(groups::list_groups_for_user(iam, c, name).await),
        UserDetail => ok(user_detail::get_user_detail(iam, c, name).await),
        CreateLoginProfile => {
            ok(passwords::create_login_profile(iam, c, name, "Corr3ct-Horse!", false).await)
        }
        GetLoginProfile => ok(passwords::get_login_profile(iam, c, name).await),
        FindLoginProfile => ok(passwords::find_login_profile(iam, c, name).await),
        UpdateLoginProfile => {
            ok(passwords::update_login_profile(iam, c, name, Some("N3w-Password!"), None).await)
        }
        DeleteLoginProfile => ok(passwords::delete_login_profile(iam, c, name).await),
        CreateAccessKey => ok(access_keys::create_access_key(iam, c, Some(name)).await),
        ListAccessKeys => ok(access_keys::list_access_keys(iam, c, Some(name)).await),
        AccessKeyOverview => ok(access_keys::access_key_overview(iam, c, Some(name)).await),
        UpdateAccessKey => {
            ok(access_keys::update_access_key(iam, c, Some(name), key, "Inactive").await)
        }
        DeleteAccessKey => ok(access_keys::delete_access_key(iam, c, Some(name), key).await),
        ListMfaDevices => ok(mfa::list_mfa_devices(iam, c, Some(name)).await),
        EnableMfaDevice => {
            ok(mfa::enable_mfa_device(iam, c, Some(name), SERIAL, "123456", "654321").await)
        }
        ResyncMfaDevice => {
            ok(mfa::resync_mfa_device(iam, c, Some(name), SERIAL, "123456", "654321").await)
        }
        DeactivateMfaDevice => ok(mfa::deactivate_mfa_device(iam, c, Some(name), SERIAL).await),
        BeginUserMfa => ok(user_mfa::begin_user_mfa(iam, c, Some(name)).await),
        RemoveUserMfa => ok(user_mfa::remove_user_mfa(iam, c, Some(name), SERIAL).await),
        ListUserSessions => ok(console_sessions::list_user_sessions(iam, c, name).await),
        EndUserSessions => ok(console_sessions::end_user_sessions(iam, c, name, None).await),
        GetGroup => ok(groups::get_group(iam, c, name).await),
        UpdateGroup => ok(doors::update_group(iam, c, name, Some("renamed"), None).await),
        DeleteGroup => ok(groups::delete_group(iam, c, name).await),
        DeleteGroupAndDependents => ok(groups::delete_group_and_dependents(iam, c, name).await),
        AddUserToGroup => ok(groups::add_user_to_group(iam, c, name, USER).await),
        RemoveUserFromGroup => ok(groups::remove_user_from_group(iam, c, name, USER).await),
        GetRole => ok(roles::get_role(iam, c, name).await),
        UpdateRole => ok(roles::update_role(iam, c, name, Some("d"), Some(7_200)).await),
        UpdateRoleDescription => ok(roles::update_role_description(iam, c, name, "d").await),
        UpdateAssumeRolePolicy => {
            ok(roles::update_assume_role_policy(iam, c, name, NOT_A_DOCUMENT).await)
        }
        DeleteRole => ok(roles::delete_role(iam, c, name).await),
        DeleteRoleAndDependents => ok(roles::delete_role_and_dependents(iam, c, name).await),
        TagRole => ok(tagging::tag(iam, c, EntityKind::Role, name, tags()).await),
        UntagRole => ok(tagging::untag(iam, c, EntityKind::Role, name, vec!["team".into()]).await),
        ListRoleTags => ok(tagging::list_tags(iam, c, EntityKind::Role, name).await),
        PutRolePermissionsBoundary => {
            ok(boundaries::put_boundary(iam, c, EntityKind::Role, name, NO_SUCH_POLICY).await)
        }
        DeleteRolePermissionsBoundary => {
            ok(boundaries::delete_boundary(iam, c, EntityKind::Role, name).await)
        }
        AttachPolicy(kind) => {
            ok(attachments::attach_policy(iam, c, kind, name, NO_SUCH_POLICY).await)
        }
        DetachPolicy(kind) => ok(attachments::detach_policy(iam, c, kind, name, READ_ONLY).await),
        ListAttachedPolicies(kind) => {
            ok(attachments::list_attached_policies(iam, c, kind, name).await)
        }
        PutInlinePolicy(kind) => {
            ok(inline::put_inline_policy(iam, c, kind, name, "p", NOT_A_DOCUMENT).await)
        }
        GetInlinePolicy(kind) => ok(inline::get_inline_policy(iam, c, kind, name, "inline").await),
        ListInlinePolicies(kind) => ok(inline::list_inline_policies(iam, c, kind, name).await),
        DeleteInlinePolicy(kind) => {
            ok(inline::delete_inline_policy(iam, c, kind, name, "inline").await)
        }
        PutUserBoundaryPolicy => {
            ok(boundaries::put_boundary(iam, c, EntityKind::User, USER, name).await)
        }
        PutRoleBoundaryPolicy => {
            ok(boundaries::put_boundary(iam, c, EntityKind::Role, ROLE, name).await)
        }
        AttachWhichPolicy(kind) => {
            let entity = match kind {
                EntityKind::User => USER,
                EntityKind::Group => GROUP,
                EntityKind::Role => ROLE,
            };
            ok(attachments::attach_policy(iam, c, kind, entity, name).await)
        }
        DeletePolicyEverywhere => ok(policies::delete_policy_everywhere(iam, c, name).await),
        GetAccessKeyLastUsed => ok(access_keys::get_access_key_last_used(iam, c, name).await),
        AssumeRoleTooLong => ok(sts::assume_role(
            iam,
            c,
            AssumeRole {
                role_arn: name.into(),
                role_session_name: "probe".into(),
                // Beyond the role's maximum of one hour.
                duration_seconds: Some(7_200),
                ..AssumeRole::default()
            },
        )
        .await),
    }
}

/// The error's code and message, with the name asked for set aside.
fn shape(result: Result<(), ServiceError>, name: &str) -> (String, String) {
    match result {
        Ok(()) => ("Ok".into(), String::new()),
        Err(error) => (
            error.code().to_string(),
            error.to_string().replace(name, "NAME"),
        ),
    }
}

/// A user, a group and a role on the path /team/, each with policies and (the user) a console
/// password, an access key, an MFA device and a group; and a caller with no permissions.
async fn world() -> (TestIam, Caller, Caller) {
    let (t, root) = with_root().await;
    users::create_user(
        &t.iam,
        &root,
        CreateUser {
            entity: NewEntity::parse(USER, Some("/team/")).unwrap(),
            ..new_user(USER)
        },
    )
    .await
    .unwrap();
    passwords::create_login_profile(&t.iam, &root, USER, "Corr3ct-Horse!", false)
        .await
        .unwrap();
    access_keys::import_access_key(
        &t.iam,
        &root,
        Some(USER),
        KEY,
        "aliceSecretKeyForTheExistenceTests000000",
    )
    .await
    .unwrap();
    // A policy in use everywhere: attached to all three, and the user's boundary.
    managed_policy(&t, &root, "Pol", &allow("s3:GetObject", "*")).await;
    steps::enabled_user_mfa(&t, &root, USER).await;
    doors::create_group(&t.iam, &root, GROUP, Some("/team/"))
        .await
        .unwrap();
    steps::add_to_group(&t, &root, GROUP, USER).await;
    roles::create_role(
        &t.iam,
        &root,
        CreateRole {
            entity: NewEntity::parse(ROLE, Some("/team/")).unwrap(),
            // Trusts the account, so the caller's own (missing) permissions decide.
            assume_role_policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#.into(),
            description: None,
            max_session_duration: None,
            tags: vec![tag("team", "a")],
            permissions_boundary: None,
        },
    )
    .await
    .unwrap();
    for (kind, name) in [
        (EntityKind::User, USER),
        (EntityKind::Group, GROUP),
        (EntityKind::Role, ROLE),
    ] {
        steps::attach(&t, &root, kind, name, READ_ONLY).await;
        steps::attach(&t, &root, kind, name, POLICY).await;
        steps::put_inline(&t, &root, kind, name, "inline", &allow("s3:GetObject", "*")).await;
    }
    boundaries::put_boundary(&t.iam, &root, EntityKind::User, USER, POLICY)
        .await
        .unwrap();
    let (_, nobody) = iam_user(&t, &root, "nobody").await;
    (t, root, nobody)
}

#[tokio::test]
async fn a_caller_without_permissions_gets_one_answer_for_existing_and_missing_entities() {
    let (t, _root, nobody) = world().await;
    let mut problems = Vec::new();
    for op in all_ops() {
        let (existing, missing) = op.names();
        let there = shape(call(&t, &nobody, op, existing).await, existing);
        let absent = shape(call(&t, &nobody, op, missing).await, missing);
        let told_apart = there != absent;
        let not_denied = there.0 != "AccessDenied" || absent.0 != "AccessDenied";
        let names_path = there.1.contains("/team/");
        if told_apart || not_denied || names_path {
            problems.push(format!(
                "{op:?}:\n  existing: {there:?}\n  missing:  {absent:?}"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} operations tell existing from missing, answer other than AccessDenied, or name \
         the path:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[tokio::test]
async fn the_denial_names_the_entity_as_aws_does_without_its_path() {
    let (t, _root, nobody) = world().await;
    let me = "arn:aws:iam::123456789012:user/nobody";
    for (name, message) in [
        (USER, no_identity_allows(me, "iam:GetUser", "user alice")),
        (MISSING, no_identity_allows(me, "iam:GetUser", "user ghost")),
    ] {
        assert_error(
            users::get_user(&t.iam, &nobody, Some(name)).await,
            "AccessDenied",
            &message,
        );
    }
    for (name, message) in [
        (ROLE, no_identity_allows(me, "iam:GetRole", "role app")),
        (MISSING, no_identity_allows(me, "iam:GetRole", "role ghost")),
    ] {
        assert_error(
            roles::get_role(&t.iam, &nobody, name).await,
            "AccessDenied",
            &message,
        );
    }
    // AssumeRole names the role by the ARN asked for, and gives no reason, as AWS does.
    for arn in [ROLE_ARN, MISSING_ROLE_ARN] {
        assert_error(
            call(&t, &nobody, Op::AssumeRoleTooLong, arn).await,
            "AccessDenied",
            &format!("User: {me} is not authorized to perform: sts:AssumeRole on resource: {arn}"),
        );
    }
}

#[tokio::test]
async fn a_path_scoped_policy_sees_the_real_path_and_a_missing_name_path_less() {
    let (t, root, _) = world().await;
    let (_, scoped) = iam_user(&t, &root, "scoped").await;
    put_user_policy(
        &t,
        &root,
        "scoped",
        "team-only",
        &allow("iam:GetUser", "arn:aws:iam::123456789012:user/team/*"),
    )
    .await;
    // The real ARN (with its path) is what the policy is matched against…
    let alice = users::get_user(&t.iam, &scoped, Some(USER)).await.unwrap();
    assert_eq!(alice.arn, "arn:aws:iam::123456789012:user/team/alice");
    // …and a name with no user is asked about path-less, so it is refused, not "not found".
    assert_error(
        users::get_user(&t.iam, &scoped, Some(MISSING)).await,
        "AccessDenied",
        &no_identity_allows(
            "arn:aws:iam::123456789012:user/scoped",
            "iam:GetUser",
            "user ghost",
        ),
    );
    // A caller allowed on the path-less ARN is told the user is not there.
    let (_, everywhere) = iam_user(&t, &root, "everywhere").await;
    put_user_policy(&t, &root, "everywhere", "all", &allow("iam:GetUser", "*")).await;
    assert_error(
        users::get_user(&t.iam, &everywhere, Some(MISSING)).await,
        "NoSuchEntity",
        "The user with name ghost cannot be found.",
    );
}

#[tokio::test]
async fn allowed_callers_still_get_aws_errors_after_the_authorization() {
    let (t, root, _) = world().await;
    assert_error(
        inline::put_inline_policy(&t.iam, &root, EntityKind::User, USER, "p", NOT_A_DOCUMENT).await,
        "MalformedPolicyDocument",
        "Syntax errors in policy.",
    );
    assert_error(
        boundaries::put_boundary(&t.iam, &root, EntityKind::User, USER, NO_SUCH_POLICY).await,
        "NoSuchEntity",
        &format!("Scope ARN: {NO_SUCH_POLICY} does not exist or is not attachable."),
    );
    assert_error(
        attachments::attach_policy(&t.iam, &root, EntityKind::Role, ROLE, NO_SUCH_POLICY).await,
        "NoSuchEntity",
        &format!("Policy {NO_SUCH_POLICY} does not exist or is not attachable."),
    );
    let (_, assumer) = iam_user(&t, &root, "assumer").await;
    put_user_policy(
        &t,
        &root,
        "assumer",
        "assume",
        &allow("sts:AssumeRole", "*"),
    )
    .await;
    assert_error(
        call(&t, &assumer, Op::AssumeRoleTooLong, ROLE_ARN).await,
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
}

/// Not run by default (timing on a shared machine): the median time of a denial for an
/// existing and a missing user, printed for the record.
#[tokio::test]
#[ignore]
async fn denial_timing_for_existing_and_missing_users() {
    let (t, _root, nobody) = world().await;
    for op in [
        Op::GetUser,
        Op::DeleteUser,
        Op::CreateLoginProfile,
        Op::GetRole,
    ] {
        let (existing, missing) = op.names();
        // Interleaved, after a warm-up, so that neither side gets a warmer cache.
        let mut times = [Vec::new(), Vec::new()];
        for round in 0..220 {
            for (side, name) in [existing, missing].into_iter().enumerate() {
                let start = std::time::Instant::now();
                let _ = call(&t, &nobody, op, name).await;
                if round >= 20 {
                    times[side].push(start.elapsed());
                }
            }
        }
        let medians: Vec<_> = times
            .iter_mut()
            .map(|side| {
                side.sort();
                side[side.len() / 2]
            })
            .collect();
        println!(
            "{op:?}: existing {:?}, missing {:?}",
            medians[0], medians[1]
        );
    }
}
