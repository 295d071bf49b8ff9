//! The authorization matrix of the console's server functions: every registered server function,
//! each in a fresh world, called (a) without a session, (b) signed in as an IAM user without
//! permissions and (c) signed in as the root user (or, for the sign-in steps, by the session
//! the step belongs to). A refused call must change nothing. A registered server function
//! without a row, or a row without one, fails the test. Then every state-changing server
//! function is POSTed cross-site and must be refused before it runs.

mod common;

use common::doors;

use ferriam::domain::EntityKind;
use ferriam::server::service::entities::boundaries;
use ferriam::server::service::entities::tagging;
use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use common::fixtures::{seed_of, tag};
use common::snapshot::{differences, snapshot};
use common::{test_iam, TestIam, ACCOUNT};
use ferriam::catalog::Op;
use ferriam::domain::password_policy::PasswordPolicy;
use ferriam::domain::totp::{code_for_step, step_at};
use ferriam::features::roles::api::NewRole;
use ferriam::features::roles::trust_templates::TrustChoice;
use ferriam::features::users::api::NewUser;
use ferriam::server::service::iam::Settings;
use ferriam::server::service::{account::alias, credentials::access_keys, credentials::user_mfa};
use ferriam::server::service::{
    credentials::mfa, credentials::passwords, entities::groups, policies,
};
use serde_json::{json, Value};
use tower::ServiceExt;

const ROOT_EMAIL: &str = "root-123456789012@example.com";
const ROOT_PASSWORD: &str = "correct horse battery";
const USER_PASSWORD: &str = "User-password-123";
const POL: &str = "arn:aws:iam::123456789012:policy/Pol";
const SPARE: &str = "arn:aws:iam::123456789012:policy/Spare";
const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;

/// A new account; `{caller}` makes each call's email its own.
const CREATE_ACCOUNT: &str = "email=new-{caller}%40example.com&password=Another+long+password&confirm_password=Another+long+password";

/// What one call must answer.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// 401 with code NotSignedIn.
    NotSignedIn,
    /// 403 with code AccessDenied.
    Denied,
    /// Refused with this status and code (the sign-in steps' and sign-up's own refusals).
    Refused(u16, &'static str),
    /// A 2xx answer or a redirect; for (a) and (b) the row says why no permission is needed.
    Ok,
}

/// Fixtures or sessions a row needs beyond the common world.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Setup {
    /// Sign-up is open to anyone (`--open-signup`).
    OpenSignup,
    /// (c) calls with a session half-way through sign-in, waiting for an MFA code.
    PendingMfa,
    /// (c) calls with a session half-way through sign-in, waiting for a new password.
    PendingNewPassword,
    /// The root user has begun setting up an MFA device.
    RootMfaStarted,
    /// The root user has an MFA device.
    RootMfaEnabled,
    /// The account has an alias and a password policy.
    AccountSettings,
    /// An administrator has begun setting up bob's MFA device.
    BobMfaStarted,
}

#[derive(Clone)]
enum Input {
    Form(&'static str),
    Json(Value),
}

struct Row {
    path: &'static str,
    input: Input,
    anonymous: Expect,
    unpermitted: Expect,
    permitted: Expect,
    /// Why (a) or (b) is not refused, for the rows where it is not.
    exception: &'static str,
    setup: &'static [Setup],
}

/// An ordinary console function: only a signed-in caller whose policies allow it.
fn gated(path: &'static str, input: Input) -> Row {
    Row {
        path,
        input,
        anonymous: Expect::NotSignedIn,
        unpermitted: Expect::Denied,
        permitted: Expect::Ok,
        exception: "",
        setup: &[],
    }
}

fn form(path: &'static str, body: &'static str) -> Row {
    gated(path, Input::Form(body))
}

const SAML_METADATA: &str = include_str!("data/saml/idp-metadata.xml");
const SAML_ARN: &str = "arn%3Aaws%3Aiam%3A%3A123456789012%3Asaml-provider%2Fcorp";

/// `rest` followed by `&metadata=<the fixture's SAML metadata>`.
fn with_metadata(rest: &str) -> &'static str {
    let document: String = form_urlencoded::byte_serialize(SAML_METADATA.as_bytes()).collect();
    Box::leak(format!("{rest}&metadata={document}").into_boxed_str())
}

fn json_row(path: &'static str, body: Value) -> Row {
    gated(path, Input::Json(body))
}

fn open(
    path: &'static str,
    input: Input,
    anonymous: Expect,
    unpermitted: Expect,
    why: &'static str,
) -> Row {
    Row {
        path,
        input,
        anonymous,
        unpermitted,
        permitted: Expect::Ok,
        exception: why,
        setup: &[],
    }
}

fn with(mut row: Row, setup: &'static [Setup]) -> Row {
    row.setup = setup;
    row
}

fn entity(kind: &str, name: &str, extra: Value) -> Value {
    let mut body = json!({ "kind": kind, "name": name });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    use Expect::*;
    let new_user = NewUser {
        user_name: "dave".into(), path: String::new(), tags: Vec::new(), groups: Vec::new(),
        policy_arns: Vec::new(), permissions_boundary: None,
    };
    let new_role = NewRole {
        role_name: "worker".into(), path: String::new(), description: String::new(),
        max_session_duration: 3600, trust: TrustChoice::ThisAccount { require_mfa: false },
        policy_arns: Vec::new(), tags: Vec::new(), permissions_boundary: None,
    };
    vec![
        // Sign-up and sign-in: public by nature, each refusing in its own words.
        open("/api/auth/sign_up_open", Input::Form(""), Ok, Ok,
             "public: whether the sign-up page is offered"),
        with(open("/api/auth/create_account", Input::Form(CREATE_ACCOUNT), Ok, Ok,
             "public while sign-up is open (closed: see sign_up_is_closed_to_everyone)"), &[Setup::OpenSignup]),
        open("/api/auth/sign_in", Input::Form("email=root-123456789012%40example.com&password=correct+horse+battery"),
             Ok, Ok, "public: the password is the credential"),
        open("/api/auth/sign_in_user", Input::Form("account=123456789012&user_name=alice&password=User-password-123"),
             Ok, Ok, "public: the password is the credential"),
        with(open("/api/auth/verify_mfa_code", Input::Form("code={mfa_code}"),
             Refused(401, "SignInFailed"), Refused(401, "SignInFailed"),
             "only a session waiting for an MFA code may finish sign-in"), &[Setup::PendingMfa]),
        with(open("/api/auth/set_new_password", Input::Form("new_password=Brand-new-password-1&confirm_password=Brand-new-password-1"),
             Refused(401, "SignInFailed"), Refused(401, "SignInFailed"),
             "only a session waiting for a new password may set it"), &[Setup::PendingNewPassword]),
        with(open("/api/auth/new_password_rules", Input::Form(""),
             Refused(401, "SignInFailed"), Refused(401, "SignInFailed"),
             "only a session waiting for a new password reads its rules"), &[Setup::PendingNewPassword]),
        open("/api/auth/sso_choices", Input::Form("account=123456789012"), Ok, Ok,
             "public: the single sign-on buttons the account's administrators put on its sign-in page"),
        open("/api/auth/sign_out", Input::Form(""), Ok, Ok, "anyone may end their own session"),
        open("/api/auth/current_principal", Input::Form(""), Ok, Ok,
             "the top bar: who you are, or nobody"),
        open("/api/console/check_permissions",
             Input::Form("checks[0][action]=iam%3AListUsers&checks[0][resource]=*"),
             NotSignedIn, Ok, "answers only about the caller's own permissions"),
        // Users
        form("/api/users/list_users", "name_prefix="),
        json_row("/api/users/create_user", json!({ "user": new_user })),
        form("/api/users/get_user_page", "user_name=alice"),
        form("/api/users/rename_user", "user_name=alice&new_user_name=alicia"),
        form("/api/users/delete_user", "user_name=carol"),
        // Groups
        form("/api/groups/list_groups", "name_prefix="),
        json_row("/api/groups/create_group", json!({ "group": { "group_name": "ops", "path": "", "policy_arns": [] } })),
        form("/api/groups/get_group_page", "group_name=devs"),
        form("/api/groups/rename_group", "group_name=devs&new_group_name=engineers"),
        form("/api/groups/delete_group", "group_name=empty"),
        form("/api/groups/add_user_to_group", "group_name=devs&user_name=bob"),
        form("/api/groups/remove_user_from_group", "group_name=devs&user_name=alice"),
        // Roles
        form("/api/roles/list_roles", "name_prefix="),
        json_row("/api/roles/create_role", json!({ "role": new_role })),
        form("/api/roles/get_role_page", "role_name=app"),
        form("/api/roles/update_role", "role_name=app&description=updated&max_session_duration=7200"),
        form("/api/roles/update_trust_policy", "role_name=app&document={trust}"),
        form("/api/roles/delete_role", "role_name=spare"),
        // Policies
        form("/api/policies/list", "scope=All&only_attached=false"),
        form("/api/policies/create", "policy_name=New&document={doc}"),
        form("/api/policies/page", "arn={pol}"),
        form("/api/policies/create_version", "arn={pol}&document={doc}&set_as_default=false"),
        form("/api/policies/set_default_version", "arn={pol}&version_id=v2"),
        form("/api/policies/delete_version", "arn={pol}&version_id=v2"),
        form("/api/policies/delete", "arn={spare}"),
        // Permissions of users, groups and roles
        form("/api/entities/policy_choices", ""),
        form("/api/entities/managed_policy_document", "policy_arn={pol}"),
        json_row("/api/entities/attach_policy", entity("User", "bob", json!({ "policy_arn": POL }))),
        json_row("/api/entities/detach_policy", entity("Group", "devs", json!({ "policy_arn": POL }))),
        json_row("/api/entities/put_inline_policy", entity("Role", "spare", json!({ "policy_name": "extra", "document": DOC }))),
        json_row("/api/entities/delete_inline_policy", entity("User", "alice", json!({ "policy_name": "alice-inline" }))),
        json_row("/api/entities/put_permissions_boundary", entity("User", "bob", json!({ "policy_arn": POL }))),
        json_row("/api/entities/delete_permissions_boundary", entity("Role", "app", json!({}))),
        json_row("/api/entities/tag", entity("Role", "app", json!({ "key": "env", "value": "prod" }))),
        json_row("/api/entities/untag", entity("User", "alice", json!({ "key": "team" }))),
        // Dashboard: the account summary is iam:GetAccountSummary.
        form("/api/dashboard/get_account_overview", ""),
        // The root user's own MFA device: only the root user, whatever an IAM user's policies say.
        form("/api/security_credentials/mfa_status", ""),
        form("/api/security_credentials/begin_mfa_setup", ""),
        with(form("/api/security_credentials/enable_mfa", "code1={root_code1}&code2={root_code2}"), &[Setup::RootMfaStarted]),
        with(form("/api/security_credentials/remove_mfa", "code={root_code2}"), &[Setup::RootMfaEnabled]),
        // Account settings
        form("/api/account/account_identity", ""),
        form("/api/account/set_account_alias", "account_alias=matrix-alias"),
        with(form("/api/account/delete_account_alias", "account_alias=matrix-alias"), &[Setup::AccountSettings]),
        form("/api/account/password_policy", ""),
        json_row("/api/account/save_password_policy", json!({ "policy": {
            "minimum_password_length": 12, "require_symbols": false, "require_numbers": true,
            "require_uppercase_characters": false, "require_lowercase_characters": false,
            "allow_users_to_change_password": true, "max_password_age": null,
            "password_reuse_prevention": null, "hard_expiry": false } })),
        with(form("/api/account/delete_password_policy", ""), &[Setup::AccountSettings]),
        // The audit log is cloudtrail:LookupEvents.
        form("/api/audit/events", "query[principal]=&query[action]=&query[resource]=&query[result]=&query[from]=&query[to]="),
        // Another user's credentials, as an administrator
        form("/api/credentials/list_access_keys", "user_name=bob"),
        form("/api/credentials/create_access_key", "user_name=bob"),
        form("/api/credentials/update_access_key", "user_name=bob&access_key_id={bob_key}&status=Inactive"),
        form("/api/credentials/delete_access_key", "user_name=bob&access_key_id={bob_key}"),
        form("/api/credentials/user_mfa_device", "user_name=mfa-user"),
        form("/api/credentials/begin_user_mfa", "user_name=bob"),
        with(form("/api/credentials/enable_user_mfa",
            "user_name=bob&serial_number=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fbob&code1={bob_code1}&code2={bob_code2}"),
            &[Setup::BobMfaStarted]),
        form("/api/credentials/resync_user_mfa",
            "user_name=mfa-user&serial_number=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fmfa-user-device&code1={mfa_code1}&code2={mfa_code2}"),
        form("/api/credentials/remove_user_mfa",
            "user_name=mfa-user&serial_number=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fmfa-user-device"),
        form("/api/credentials/login_profile", "user_name=alice"),
        form("/api/credentials/set_console_password",
            "user_name=bob&password=Matrix-password-1234&reset_required=false&create=true"),
        form("/api/credentials/remove_console_password", "user_name=alice"),
        open("/api/credentials/own_password_info", Input::Form(""), NotSignedIn, Ok,
            "reads only whether the caller may change its own password"),
        Row {
            permitted: Refused(400, "InvalidUserType"),
            exception: "(c) is the root user, whose password is not an IAM login profile; an IAM user allowed iam:ChangePassword succeeds in service_credentials and the new-member journey",
            ..form("/api/credentials/change_own_password",
                "old_password=x&new_password=Matrix-password-1234&confirm_password=Matrix-password-1234")
        },
        // Identity providers (and the create-role page's list of them)
        form("/api/identity_providers/list", ""),
        form("/api/roles/trustable_providers", ""),
        form("/api/identity_providers/create", "url=https%3A%2F%2Fnew.example.com&audiences=app&thumbprints="),
        form("/api/identity_providers/get", "arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Foidc.example.com"),
        form("/api/identity_providers/delete", "arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Foidc.example.com"),
        form("/api/identity_providers/add_audience", "arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Foidc.example.com&audience=other"),
        form("/api/identity_providers/remove_audience", "arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Foidc.example.com&audience=app"),
        form("/api/identity_providers/set_thumbprints", "arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Foidc.example.com&thumbprints=9e99a48a9960b14926bb7f3b02e22da2b0ab7280"),
        form("/api/identity_providers/tag", "arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Foidc.example.com&key=env&value=prod"),
        form("/api/identity_providers/untag", "arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Foidc.example.com&key=team"),
        form("/api/identity_providers/set_console_signin", "arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Foidc.example.com&label=Corp&client_id=app&client_secret=new-secret&name_claim=email"),
        form("/api/identity_providers/remove_console_signin", "arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Foidc.example.com"),
        form("/api/identity_providers/saml_list", ""),
        form("/api/identity_providers/saml_create", with_metadata("name=new-idp")),
        form("/api/identity_providers/saml_get", Box::leak(format!("arn={SAML_ARN}").into_boxed_str())),
        form("/api/identity_providers/saml_update", with_metadata(&format!("arn={SAML_ARN}"))),
        form("/api/identity_providers/saml_delete", Box::leak(format!("arn={SAML_ARN}").into_boxed_str())),
        // Console sessions of a user
        form("/api/users/list_console_sessions", "user_name=alice"),
        form("/api/users/end_console_sessions", "user_name=alice"),
    ]
}

struct World {
    t: TestIam,
    app: Router,
    root_cookie: String,
    nobody_cookie: String,
    /// The session (c) uses: root's, or a pending sign-in's.
    permitted_cookie: String,
    mfa_user_seed: Vec<u8>,
    root_seed: Option<Vec<u8>>,
    bob_key: String,
    bob_seed: Option<Vec<u8>>,
}

async fn world(setup: &[Setup]) -> World {
    let t = test_iam(Settings {
        open_signup: setup.contains(&Setup::OpenSignup),
        ..Settings::default()
    })
    .await;
    let root = common::account(&t, ACCOUNT).await;
    let (iam, r) = (&t.iam, &root);
    for name in ["alice", "bob", "carol", "nobody", "mfa-user", "reset-user"] {
        common::iam_user(&t, r, name).await;
    }
    for (name, reset) in [
        ("alice", false),
        ("nobody", false),
        ("mfa-user", false),
        ("reset-user", true),
    ] {
        passwords::create_login_profile(iam, r, name, USER_PASSWORD, reset)
            .await
            .unwrap();
    }
    common::managed_policy(&t, r, "Pol", DOC).await;
    common::managed_policy(&t, r, "Spare", DOC).await;
    policies::create_policy_version(iam, r, POL, DOC, false)
        .await
        .unwrap();
    tagging::tag(iam, r, EntityKind::User, "alice", vec![tag("team", "red")])
        .await
        .unwrap();
    boundaries::put_boundary(iam, r, EntityKind::User, "alice", POL)
        .await
        .unwrap();
    common::put_user_policy(&t, r, "alice", "alice-inline", DOC).await;
    doors::create_group(iam, r, "devs", None).await.unwrap();
    doors::create_group(iam, r, "empty", None).await.unwrap();
    groups::add_user_to_group(iam, r, "devs", "alice")
        .await
        .unwrap();
    common::fixtures::roles_and_attachments(&t, r, TRUST, POL, DOC).await;
    ferriam::server::service::federation::oidc_providers::create(
        iam,
        r,
        ferriam::server::service::federation::oidc_providers::CreateOidcProvider {
            url: "https://oidc.example.com".into(),
            client_ids: vec!["app".into()],
            thumbprints: Vec::new(),
            tags: vec![tag("team", "red")],
        },
    )
    .await
    .unwrap();
    ferriam::server::service::federation::saml::providers::create(
        iam,
        r,
        ferriam::server::service::federation::saml::providers::CreateSamlProvider {
            name: "corp".into(),
            metadata: SAML_METADATA.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    ferriam::server::service::federation::console_signin::set(
        iam,
        r,
        "arn:aws:iam::123456789012:oidc-provider/oidc.example.com",
        ferriam::server::service::federation::console_signin::SetConsoleSignin {
            label: "Corp".into(),
            client_id: "app".into(),
            client_secret: Some("app-secret".into()),
            name_claim: "email".into(),
        },
    )
    .await
    .unwrap();
    // mfa-user's device was enabled with the two steps before now.
    let device = mfa::create_virtual_mfa_device(iam, r, "mfa-user-device", None)
        .await
        .unwrap();
    let mfa_user_seed = seed_of(&device.base32_seed);
    let now = step_at(iam.clock().now_seconds());
    mfa::enable_mfa_device(
        iam,
        r,
        Some("mfa-user"),
        &device.serial_number,
        &code_for_step(&mfa_user_seed, now - 2).unwrap(),
        &code_for_step(&mfa_user_seed, now - 1).unwrap(),
    )
    .await
    .unwrap();

    let bob_key = access_keys::create_access_key(iam, r, Some("bob"))
        .await
        .unwrap()
        .access_key_id;
    if setup.contains(&Setup::AccountSettings) {
        alias::create_account_alias(iam, r, "matrix-alias")
            .await
            .unwrap();
        passwords::update_account_password_policy(iam, r, PasswordPolicy::default())
            .await
            .unwrap();
    }
    let bob_seed = if setup.contains(&Setup::BobMfaStarted) {
        let started = user_mfa::begin_user_mfa(iam, r, Some("bob")).await.unwrap();
        Some(seed_of(&started.base32_seed))
    } else {
        None
    };

    let app = common::http::app(&t);
    let mut root_cookie = sign_in(
        &app,
        "/api/auth/sign_in",
        &format!(
            "email={}&password={}",
            common::http::form(ROOT_EMAIL),
            common::http::form(ROOT_PASSWORD)
        ),
    )
    .await;
    let nobody_cookie = sign_in_user(&app, "nobody").await;
    let mut permitted_cookie = if setup.contains(&Setup::PendingMfa) {
        sign_in_user(&app, "mfa-user").await
    } else if setup.contains(&Setup::PendingNewPassword) {
        sign_in_user(&app, "reset-user").await
    } else {
        root_cookie.clone()
    };
    // The root user's device is set up after its sign-in, so the session needs no MFA step.
    let mut root_seed = None;
    if setup.contains(&Setup::RootMfaStarted) || setup.contains(&Setup::RootMfaEnabled) {
        let setup_root = mfa::create_root_virtual_mfa(iam, r).await.unwrap();
        let seed = seed_of(&setup_root.base32_seed);
        if setup.contains(&Setup::RootMfaEnabled) {
            mfa::enable_root_mfa(
                iam,
                r,
                &code_for_step(&seed, now - 2).unwrap(),
                &code_for_step(&seed, now - 1).unwrap(),
            )
            .await
            .unwrap();
            // Turning MFA on ends the root user's other sessions: sign in again, with a code,
            // then let a step pass so the rows' codes are fresh.
            let pending = sign_in(
                &app,
                "/api/auth/sign_in",
                &format!(
                    "email={}&password={}",
                    common::http::form(ROOT_EMAIL),
                    common::http::form(ROOT_PASSWORD)
                ),
            )
            .await;
            let code = code_for_step(&seed, step_at(iam.clock().now_seconds())).unwrap();
            root_cookie = sign_in_with(
                &app,
                "/api/auth/verify_mfa_code",
                &format!("code={code}"),
                &pending,
            )
            .await;
            permitted_cookie = root_cookie.clone();
            t.clock.advance_millis(30_000);
        }
        root_seed = Some(seed);
    }
    World {
        t,
        app,
        root_cookie,
        nobody_cookie,
        permitted_cookie,
        mfa_user_seed,
        root_seed,
        bob_key,
        bob_seed,
    }
}

/// Signs in through the real server function; returns the session cookie it sets.
async fn sign_in(app: &Router, path: &str, body: &str) -> String {
    common::http::console_sign_in(app, path, body, None).await
}

/// A sign-in step that continues the session in `cookie`.
async fn sign_in_with(app: &Router, path: &str, body: &str, cookie: &str) -> String {
    common::http::console_sign_in(app, path, body, Some(cookie)).await
}

async fn sign_in_user(app: &Router, name: &str) -> String {
    sign_in(
        app,
        "/api/auth/sign_in_user",
        &format!("account={ACCOUNT}&user_name={name}&password={USER_PASSWORD}"),
    )
    .await
}

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_string().into_boxed_str())
}

fn request(path: &str, input: &Input, cookie: Option<&str>) -> Request<Body> {
    let (content_type, body) = match input {
        Input::Form(body) => ("application/x-www-form-urlencoded", body.to_string()),
        Input::Json(value) => ("application/json", value.to_string()),
    };
    let mut builder = Request::post(path)
        .header(header::HOST, common::http::HOST)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body)).unwrap()
}

/// The row's input with its placeholders filled from the world.
fn input(world: &World, row: &Row, caller: &str) -> Input {
    match &row.input {
        Input::Json(value) => Input::Json(value.clone()),
        Input::Form(body) => {
            let now = step_at(world.t.iam.clock().now_seconds());
            let code = |seed: &[u8], step: u64| code_for_step(seed, step).unwrap();
            let mut body = body
                .replace("{pol}", &common::http::form(POL))
                .replace("{spare}", &common::http::form(SPARE))
                .replace("{doc}", &common::http::form(DOC))
                .replace("{trust}", &common::http::form(TRUST))
                .replace("{mfa_code}", &code(&world.mfa_user_seed, now))
                .replace("{mfa_code1}", &code(&world.mfa_user_seed, now))
                .replace("{mfa_code2}", &code(&world.mfa_user_seed, now + 1))
                .replace("{bob_key}", &world.bob_key)
                .replace("{caller}", caller);
            if let Some(seed) = &world.bob_seed {
                body = body
                    .replace("{bob_code1}", &code(seed, now - 1))
                    .replace("{bob_code2}", &code(seed, now));
            }
            if let Some(seed) = &world.root_seed {
                body = body
                    .replace("{root_code1}", &code(seed, now - 1))
                    .replace("{root_code2}", &code(seed, now));
            }
            Input::Form(leak(&body))
        }
    }
}

async fn call(app: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn code_of(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default()
}

fn meets(expect: Expect, status: StatusCode, body: &str) -> bool {
    match expect {
        Expect::Ok => status.is_success() || status.is_redirection(),
        Expect::NotSignedIn => status == StatusCode::UNAUTHORIZED && code_of(body) == "NotSignedIn",
        Expect::Denied => status == StatusCode::FORBIDDEN && code_of(body) == "AccessDenied",
        Expect::Refused(wanted, code) => status.as_u16() == wanted && code_of(body) == code,
    }
}

/// Runs one row's three calls; returns what went wrong.
async fn check(row: &Row) -> Vec<String> {
    let world = world(row.setup).await;
    let mut problems = Vec::new();
    let callers = [
        ("(a) no session", None, row.anonymous),
        (
            "(b) no permissions",
            Some(world.nobody_cookie.as_str()),
            row.unpermitted,
        ),
        (
            "(c) permitted",
            Some(world.permitted_cookie.as_str()),
            row.permitted,
        ),
    ];
    for (who, cookie, expect) in callers {
        let input = input(&world, row, &who[1..2]);
        let before = snapshot(&world.t).await;
        let (status, body) = call(&world.app, request(row.path, &input, cookie)).await;
        if !meets(expect, status, &body) {
            problems.push(format!(
                "{} {who}: wanted {expect:?}, got {status} {body}",
                row.path
            ));
        }
        if !matches!(expect, Expect::Ok) {
            let changed = differences(&before, &snapshot(&world.t).await);
            if !changed.is_empty() {
                problems.push(format!(
                    "{} {who} was refused yet changed {changed:?}",
                    row.path
                ));
            }
        }
    }
    problems
}

fn registered_paths() -> BTreeSet<String> {
    let paths: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| {
            assert_eq!(method, Method::POST, "{path} is not a POST");
            path.to_string()
        })
        .collect();
    assert!(paths.len() >= 40, "the registry looks empty: {paths:?}");
    paths
}

/// The console's own operations (the catalog's console-only entries), each with the server
/// function whose row exercises it and the action it must be authorized as — kept by hand, so
/// the catalog is checked against something other than itself.
const CONSOLE_ONLY_OPERATIONS: &[(&str, &str, &str)] = &[
    (
        "ListConsoleSessions",
        "iam:GetLoginProfile",
        "/api/users/list_console_sessions",
    ),
    (
        "EndConsoleSessions",
        "iam:DeleteLoginProfile",
        "/api/users/end_console_sessions",
    ),
    (
        "LookupEvents",
        "cloudtrail:LookupEvents",
        "/api/audit/events",
    ),
    (
        "SetOpenIDConnectProviderConsoleSignIn",
        "iam:CreateOpenIDConnectProvider",
        "/api/identity_providers/set_console_signin",
    ),
    (
        "RemoveOpenIDConnectProviderConsoleSignIn",
        "iam:DeleteOpenIDConnectProvider",
        "/api/identity_providers/remove_console_signin",
    ),
];

#[test]
fn every_console_only_operation_has_a_row() {
    let catalog: BTreeSet<(&str, &str)> = Op::ALL
        .iter()
        .filter(|op| op.doors().console() && !op.doors().api())
        .map(|op| (op.name(), op.action()))
        .collect();
    let fixture: BTreeSet<(&str, &str)> = CONSOLE_ONLY_OPERATIONS
        .iter()
        .map(|(name, action, _)| (*name, *action))
        .collect();
    assert_eq!(catalog, fixture, "the catalog's console-only operations");
    let rows = rows();
    for (name, _, path) in CONSOLE_ONLY_OPERATIONS {
        assert!(
            rows.iter().any(|row| row.path == *path),
            "{name}: no row for {path}"
        );
    }
}

#[test]
fn every_server_function_has_exactly_one_row() {
    let registered = registered_paths();
    let rows = rows();
    let named: Vec<&str> = rows.iter().map(|row| row.path).collect();
    let unique: BTreeSet<String> = named.iter().map(|p| p.to_string()).collect();
    assert_eq!(unique.len(), named.len(), "a server function has two rows");
    let missing: Vec<_> = registered.difference(&unique).collect();
    let unknown: Vec<_> = unique.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "server functions without a row: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "rows naming no server function: {unknown:?}"
    );
    for row in &rows {
        let refused_everywhere = matches!(row.anonymous, Expect::NotSignedIn)
            && matches!(row.unpermitted, Expect::Denied);
        assert!(
            refused_everywhere || !row.exception.is_empty(),
            "{} is an exception without a reason",
            row.path
        );
    }
}

#[tokio::test]
async fn every_server_function_refuses_the_signed_out_and_the_unpermitted() {
    let rows = rows();
    let mut problems = Vec::new();
    for row in &rows {
        problems.extend(check(row).await);
    }
    assert!(
        problems.is_empty(),
        "{} of {} calls went wrong:\n{}",
        problems.len(),
        rows.len() * 3,
        problems.join("\n")
    );
}

/// Once an account exists, sign-up is closed to everyone — signed out, an IAM user, the root
/// user — and a refused sign-up creates nothing.
#[tokio::test]
async fn sign_up_is_closed_to_everyone() {
    let world = world(&[]).await;
    let before = snapshot(&world.t).await;
    for cookie in [None, Some(&world.nobody_cookie), Some(&world.root_cookie)] {
        let body = leak(&CREATE_ACCOUNT.replace("{caller}", "closed"));
        let (status, answer) = call(
            &world.app,
            request(
                "/api/auth/create_account",
                &Input::Form(body),
                cookie.map(String::as_str),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
        assert_eq!(code_of(&answer), "SignUpClosed", "{answer}");
    }
    assert_eq!(
        differences(&before, &snapshot(&world.t).await),
        Vec::<String>::new()
    );
}

/// SECURITY: a page on another site must not be able to drive a signed-in browser: every
/// server function (all are POST) refuses a cross-site request before running.
#[tokio::test]
async fn every_server_function_refuses_cross_site_requests() {
    let world = world(&[]).await;
    let before = snapshot(&world.t).await;
    let mut problems = Vec::new();
    for row in rows() {
        let input = input(&world, &row, "x");
        for (origin, site) in [
            (Some("http://evil.example"), "cross-site"),
            (Some("http://evil.example"), ""),
            (None, "cross-site"),
            (Some("null"), ""),
        ] {
            let mut request = request(row.path, &input, Some(&world.root_cookie));
            if let Some(origin) = origin {
                request
                    .headers_mut()
                    .insert(header::ORIGIN, origin.parse().unwrap());
            }
            if !site.is_empty() {
                request
                    .headers_mut()
                    .insert("sec-fetch-site", site.parse().unwrap());
            }
            let (status, body) = call(&world.app, request).await;
            if status != StatusCode::FORBIDDEN || body != "Cross-origin requests are not allowed." {
                problems.push(format!(
                    "{} from {origin:?}/{site}: {status} {body}",
                    row.path
                ));
            }
        }
    }
    let changed = differences(&before, &snapshot(&world.t).await);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        changed.is_empty(),
        "cross-site requests changed {changed:?}"
    );
    // The root session survived the forged sign-out and still works.
    let (status, body) = call(
        &world.app,
        request(
            "/api/auth/current_principal",
            &Input::Form(""),
            Some(&world.root_cookie),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("root"), "{body}");
}

/// A console page is no server function, but the same rule holds: without a session, every
/// page of the route table (sign-in pages aside) sends the visitor to sign in, drawing nothing.
#[tokio::test]
async fn every_console_page_sends_a_signed_out_visitor_to_sign_in() {
    let t = test_iam(Settings::default()).await;
    common::account(&t, ACCOUNT).await;
    let app = common::http::app(&t);
    let mut pages = 0;
    for route in leptos_axum::generate_route_list(ferriam::app::App) {
        let path = route.path();
        if path == "/signup" || path.starts_with("/signin") {
            continue;
        }
        // A concrete URL for each parameter segment (`:name` or `{name}`).
        let concrete: Vec<&str> = path
            .split('/')
            .map(|segment| {
                if segment.starts_with(':') || segment.starts_with('{') {
                    "x"
                } else {
                    segment
                }
            })
            .collect();
        let url = match concrete.join("/") {
            url if url.is_empty() => "/".to_string(),
            url => url,
        };
        let response = app
            .clone()
            .oneshot(Request::get(&url).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert!(
            response.status().is_redirection(),
            "{url}: {}",
            response.status()
        );
        assert_eq!(
            response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok()),
            Some("/signin"),
            "{url}"
        );
        pages += 1;
    }
    assert!(pages >= 10, "only {pages} console pages in the route table");
}
