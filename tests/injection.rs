//! SQL injection and hostile text: table-driven payloads in every text parameter of a
//! representative set of Query API operations (names, paths, path prefixes, markers, tag keys,
//! policy ARNs and documents, descriptions) and in the console's name filters. Names are
//! refused in AWS's words and change nothing; free text is stored and read back verbatim; a
//! filter matches literally, never as a pattern — and nothing answers 500.

mod common;

use common::doors;

use axum::http::StatusCode;
use common::http::{form, send, signed, Answer};
use common::snapshot::{differences, snapshot};
use common::{test_iam, TestIam, ACCOUNT};
use ferriam::server::service::iam::Settings;
use ferriam::server::service::{credentials::access_keys, credentials::passwords};

const ROOT_KEY: &str = "AKIAROOTKEYINJECTION";
const ROOT_SECRET: &str = "rootSecretKeyForTheInjectionTests0000000";
const POL: &str = "arn:aws:iam::123456789012:policy/Pol";
const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;

/// Hostile strings: SQL, NUL bytes, lengths past every limit, and Unicode look-alikes.
fn payloads() -> Vec<String> {
    vec![
        "' OR '1'='1".into(),
        "\"; DROP TABLE users; --".into(),
        "user' --".into(),
        "%' OR 1=1 --".into(),
        "alice' OR name_key LIKE '%".into(),
        "1; DELETE FROM access_keys".into(),
        "\0".into(),
        "alice\0".into(),
        "a".repeat(10_000),
        "' OR 1=1 --".repeat(1_000),
        "ａｌｉｃｅ".into(),
        "alice\u{202e}txt".into(),
        "alice\u{200b}".into(),
        "\u{feff}alice".into(),
        "İ".into(),
        "../../etc/passwd".into(),
        "<script>window.__xss=1</script>".into(),
        "alice%".into(),
        "*".into(),
    ]
}

struct World {
    t: TestIam,
    app: axum::Router,
}

async fn world() -> World {
    let t = test_iam(Settings::default()).await;
    let root = common::account(&t, ACCOUNT).await;
    access_keys::import_access_key(&t.iam, &root, None, ROOT_KEY, ROOT_SECRET)
        .await
        .unwrap();
    for name in ["alice", "bob"] {
        common::iam_user(&t, &root, name).await;
    }
    passwords::create_login_profile(&t.iam, &root, "alice", "Alice-password-123", false)
        .await
        .unwrap();
    doors::create_group(&t.iam, &root, "devs", None)
        .await
        .unwrap();
    common::managed_policy(&t, &root, "Pol", DOC).await;
    World {
        app: common::http::app(&t),
        t,
    }
}

async fn root_call(world: &World, body: &str) -> Answer {
    send(&world.app, signed(ROOT_KEY, ROOT_SECRET, "iam", body)).await
}

/// One text parameter of one operation; `{p}` is where the payload goes (form-encoded).
struct Slot {
    params: &'static str,
    /// The error codes AWS would answer with.
    codes: &'static [&'static str],
    /// Whether AWS's pattern for the field accepts the payload: then the call may also succeed
    /// (and change what it is meant to change).
    accepts: fn(&str) -> bool,
}

fn never(_: &str) -> bool {
    false
}

/// AWS's tag key pattern `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`, 1 to 128 characters.
fn tag_key(value: &str) -> bool {
    let length = value.chars().count();
    (1..=128).contains(&length)
        && value
            .chars()
            .all(|c| c.is_alphabetic() || c.is_numeric() || c == ' ' || "_.:/=+-@".contains(c))
}

/// AWS's serial number pattern `[\w+=/:,.@-]+`, 9 to 256 characters.
fn serial_number(value: &str) -> bool {
    let length = value.chars().count();
    (9..=256).contains(&length)
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=/:,.@-".contains(c))
}

const VALIDATION: &[&str] = &["ValidationError"];
const LOOKUP: &[&str] = &["ValidationError", "NoSuchEntity", "InvalidInput"];
/// A document past the size quota is refused for its size before it is parsed.
const DOCUMENT: &[&str] = &[
    "MalformedPolicyDocument",
    "ValidationError",
    "LimitExceeded",
];
/// A well-formed serial number of no device of this account.
const SERIAL: &[&str] = &["ValidationError", "NoSuchEntity", "AccessDenied"];

#[rustfmt::skip]
fn slots() -> Vec<Slot> {
    let s = |params, codes| Slot { params, codes, accepts: never };
    let t = |params, codes, accepts| Slot { params, codes, accepts };
    vec![
        s("Action=CreateUser&UserName={p}", VALIDATION),
        s("Action=CreateUser&UserName=zed&Path={p}", VALIDATION),
        s("Action=GetUser&UserName={p}", VALIDATION),
        s("Action=UpdateUser&UserName=alice&NewUserName={p}", VALIDATION),
        s("Action=UpdateUser&UserName={p}&NewPath=%2Fx%2F", VALIDATION),
        s("Action=DeleteUser&UserName={p}", VALIDATION),
        s("Action=ListUsers&PathPrefix={p}", VALIDATION),
        s("Action=ListUsers&Marker={p}", VALIDATION),
        t("Action=TagUser&UserName=alice&Tags.member.1.Key={p}&Tags.member.1.Value=v", VALIDATION, tag_key),
        t("Action=UntagUser&UserName=alice&TagKeys.member.1={p}", VALIDATION, tag_key),
        s("Action=CreateGroup&GroupName={p}", VALIDATION),
        s("Action=AddUserToGroup&GroupName=devs&UserName={p}", VALIDATION),
        s("Action=AddUserToGroup&GroupName={p}&UserName=alice", VALIDATION),
        s("Action=ListGroups&PathPrefix={p}", VALIDATION),
        s("Action=CreateRole&RoleName={p}&AssumeRolePolicyDocument={trust}", VALIDATION),
        s("Action=CreateRole&RoleName=r2&AssumeRolePolicyDocument={p}", DOCUMENT),
        s("Action=GetRole&RoleName={p}", VALIDATION),
        s("Action=ListRoles&PathPrefix={p}", VALIDATION),
        s("Action=CreatePolicy&PolicyName={p}&PolicyDocument={doc}", VALIDATION),
        s("Action=CreatePolicy&PolicyName=ok&Path={p}&PolicyDocument={doc}", VALIDATION),
        s("Action=CreatePolicy&PolicyName=ok&PolicyDocument={p}", DOCUMENT),
        s("Action=GetPolicy&PolicyArn={p}", LOOKUP),
        s("Action=GetPolicy&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2F{p}", LOOKUP),
        s("Action=DeletePolicy&PolicyArn={p}", LOOKUP),
        s("Action=ListPolicies&PathPrefix={p}", VALIDATION),
        s("Action=ListPolicies&Marker={p}", VALIDATION),
        s("Action=GetPolicyVersion&PolicyArn={pol}&VersionId={p}", VALIDATION),
        s("Action=CreatePolicyVersion&PolicyArn={pol}&PolicyDocument={p}", DOCUMENT),
        s("Action=AttachUserPolicy&UserName=alice&PolicyArn={p}", LOOKUP),
        s("Action=PutUserPolicy&UserName=alice&PolicyName={p}&PolicyDocument={doc}", VALIDATION),
        s("Action=PutUserPolicy&UserName=alice&PolicyName=p&PolicyDocument={p}", DOCUMENT),
        s("Action=GetUserPolicy&UserName=alice&PolicyName={p}", VALIDATION),
        s("Action=GetLoginProfile&UserName={p}", VALIDATION),
        s("Action=GetAccessKeyLastUsed&AccessKeyId={p}", VALIDATION),
        s("Action=DeleteAccessKey&UserName=alice&AccessKeyId={p}", VALIDATION),
        s("Action=CreateAccountAlias&AccountAlias={p}", VALIDATION),
        s("Action=CreateVirtualMFADevice&VirtualMFADeviceName={p}", VALIDATION),
        t("Action=DeleteVirtualMFADevice&SerialNumber={p}", SERIAL, serial_number),
        s("Action=SimulatePrincipalPolicy&PolicySourceArn={p}&ActionNames.member.1=s3%3AGetObject", LOOKUP),
    ]
}

fn fill(template: &str, payload: &str) -> String {
    format!(
        "{}&Version=2010-05-08",
        template
            .replace("{trust}", &form(TRUST))
            .replace("{doc}", &form(DOC))
            .replace("{pol}", &form(POL))
            .replace("{p}", &form(payload))
    )
}

#[tokio::test]
async fn names_paths_markers_arns_and_documents_refuse_every_payload_and_change_nothing() {
    let world = world().await;
    let mut problems = Vec::new();
    let mut calls = 0;
    for slot in slots() {
        for payload in payloads() {
            calls += 1;
            let before = snapshot(&world.t).await;
            let answer = root_call(&world, &fill(slot.params, &payload)).await;
            let code = answer.field("Code").unwrap_or_default();
            let shown: String = payload.chars().take(40).collect();
            let accepted = (slot.accepts)(&payload);
            let refused = answer.status.is_client_error() && slot.codes.contains(&code.as_str());
            if !(refused || (accepted && answer.status == StatusCode::OK)) {
                problems.push(format!(
                    "{} with {shown:?}: {} {}",
                    slot.params,
                    answer.status,
                    answer.body.chars().take(400).collect::<String>()
                ));
            }
            let changed = differences(&before, &snapshot(&world.t).await);
            if !accepted && !changed.is_empty() {
                problems.push(format!(
                    "{} with {shown:?} changed {changed:?}",
                    slot.params
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {calls} calls went wrong:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// AWS's sentence for a value that breaks a pattern names the field and the pattern.
#[tokio::test]
async fn a_refused_name_is_refused_in_aws_words() {
    let world = world().await;
    let answer = root_call(
        &world,
        &fill("Action=CreateUser&UserName={p}", "' OR '1'='1"),
    )
    .await;
    answer.assert_error(
        400,
        "ValidationError",
        "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-",
    );
    root_call(&world, &fill("Action=GetAccessKeyLastUsed&AccessKeyId={p}", "' OR '1'='1")).await.assert_error(
        400,
        "ValidationError",
        "1 validation error detected: Value at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16",
    );
    root_call(&world, &fill("Action=DeleteAccessKey&UserName=alice&AccessKeyId={p}", "\"; DROP TABLE users; --")).await.assert_error(
        400,
        "ValidationError",
        "1 validation error detected: Value at 'accessKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+",
    );
    root_call(&world, &fill("Action=DeleteVirtualMFADevice&SerialNumber={p}", "' OR '1'='1")).await.assert_error(
        400,
        "ValidationError",
        "1 validation error detected: Value at 'serialNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=/:,.@-]+",
    );
    let long = root_call(
        &world,
        &fill("Action=GetUser&UserName={p}", &"a".repeat(10_000)),
    )
    .await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST, "{}", long.body);
    assert!(
        long.field("Message")
            .unwrap_or_default()
            .contains("Member must have length less than or equal to 128"),
        "{}",
        long.body
    );
}

/// Free text takes any payload its pattern allows, stores it verbatim, and touches nothing else.
#[tokio::test]
async fn descriptions_and_condition_values_are_stored_verbatim() {
    let world = world().await;
    let text_payloads = [
        "' OR '1'='1",
        "\"; DROP TABLE users; --",
        "%' OR 1=1 --",
        "<script>window.__xss=1</script>",
        "\"><img src=x onerror=\"window.__xss=1\">",
    ];
    for (i, payload) in text_payloads.iter().enumerate() {
        let users_before = snapshot(&world.t).await.get("users").cloned();
        let role = format!("role{i}");
        let created = root_call(
            &world,
            &format!(
                "Action=CreateRole&Version=2010-05-08&RoleName={role}&AssumeRolePolicyDocument={}&Description={}",
                form(TRUST),
                form(payload)
            ),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let read = root_call(
            &world,
            &format!("Action=GetRole&Version=2010-05-08&RoleName={role}"),
        )
        .await;
        assert_eq!(read.field("Description").as_deref(), Some(*payload));

        let policy = format!("Policy{i}");
        let created = root_call(
            &world,
            &format!(
                "Action=CreatePolicy&Version=2010-05-08&PolicyName={policy}&PolicyDocument={}&Description={}",
                form(DOC),
                form(payload)
            ),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let read = root_call(
            &world,
            &format!(
                "Action=GetPolicy&Version=2010-05-08&PolicyArn={}",
                form(&format!("arn:aws:iam::123456789012:policy/{policy}"))
            ),
        )
        .await;
        assert_eq!(read.field("Description").as_deref(), Some(*payload));

        let document = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": { "StringEquals": { "aws:username": payload } }
            }]
        })
        .to_string();
        let put = root_call(
            &world,
            &format!(
                "Action=PutUserPolicy&Version=2010-05-08&UserName=bob&PolicyName=p{i}&PolicyDocument={}",
                form(&document)
            ),
        )
        .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
        let got = root_call(
            &world,
            &format!("Action=GetUserPolicy&Version=2010-05-08&UserName=bob&PolicyName=p{i}"),
        )
        .await;
        let stored = percent_encoding::percent_decode_str(&got.field("PolicyDocument").unwrap())
            .decode_utf8()
            .unwrap()
            .into_owned();
        assert_eq!(stored, document);
        assert_eq!(
            snapshot(&world.t).await.get("users").cloned(),
            users_before,
            "the users table is untouched"
        );
    }
}

/// Prefix filters compare literally: SQL wildcards and quotes match nothing.
#[tokio::test]
async fn prefix_filters_match_literally() {
    let world = world().await;
    for prefix in ["/%", "/_", "/'OR'1'='1/", "/*", "/%25"] {
        for action in ["ListUsers", "ListGroups", "ListRoles", "ListPolicies"] {
            let mut body = format!(
                "Action={action}&Version=2010-05-08&PathPrefix={}",
                form(prefix)
            );
            if action == "ListPolicies" {
                body.push_str("&Scope=Local");
            }
            let answer = root_call(&world, &body).await;
            assert_eq!(
                answer.status,
                StatusCode::OK,
                "{action} {prefix}: {}",
                answer.body
            );
            assert!(
                !answer.body.contains("<member>"),
                "{action} {prefix} matched something: {}",
                answer.body
            );
        }
    }
    // The same listing without a filter does see them.
    let all = root_call(&world, "Action=ListUsers&Version=2010-05-08").await;
    assert!(
        all.body.contains("<UserName>alice</UserName>"),
        "{}",
        all.body
    );
}

/// The console's name filter (no AWS pattern applies to a search box): any payload is a
/// literal prefix — it finds nothing, and a NUL byte is not a crash.
#[tokio::test]
async fn console_name_filters_match_literally_and_never_fail() {
    let world = world().await;
    let cookie = console_root_cookie(&world).await;
    for path in [
        "/api/users/list_users",
        "/api/groups/list_groups",
        "/api/roles/list_roles",
    ] {
        for payload in payloads() {
            let response = tower::ServiceExt::oneshot(
                world.app.clone(),
                axum::http::Request::post(path)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .header("cookie", &cookie)
                    .body(axum::body::Body::from(format!(
                        "name_prefix={}",
                        form(&payload)
                    )))
                    .unwrap(),
            )
            .await
            .unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            let body = String::from_utf8_lossy(&body);
            let shown: String = payload.chars().take(40).collect();
            assert_eq!(status, StatusCode::OK, "{path} {shown:?}: {body}");
            assert!(
                !body.contains("\"alice\"") && !body.contains("\"devs\""),
                "{path} {shown:?} matched: {body}"
            );
        }
    }
}

async fn console_root_cookie(world: &World) -> String {
    let body = format!(
        "email={}&password={}",
        form("root-123456789012@example.com"),
        form("correct horse battery")
    );
    common::http::console_sign_in(&world.app, "/api/auth/sign_in", &body, None).await
}
