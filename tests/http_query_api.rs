//! HTTP-level tests of the Query API against the real router: SigV4 refusals with AWS's codes,
//! statuses and sentences, routing beside the console, the XML envelopes, key use, and
//! enforcement of the signing principal's policies.

mod common;

use common::doors;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::http::{authorization, form, post, send, signed, Answer, HOST, NOW};
use common::{test_iam, TestIam, ACCOUNT};
use ferriam::server::query_api::sigv4::{self, SignedRequest};
use ferriam::server::service::credentials::access_keys;
use ferriam::server::service::iam::Settings;
use ferriam::server::service::Caller;
use tower::ServiceExt;

const ROOT_KEY: &str = "AKIAROOTKEYFORTESTS1";
const ROOT_SECRET: &str = "rootSecretKeyForTheQueryApiTests00000000";
const IAM_NS: &str = "https://iam.amazonaws.com/doc/2010-05-08/";
const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

struct Api {
    app: Router,
    t: TestIam,
    root: Caller,
}

async fn api() -> Api {
    let t = test_iam(Settings::default()).await;
    let root = common::account(&t, ACCOUNT).await;
    access_keys::import_access_key(&t.iam, &root, None, ROOT_KEY, ROOT_SECRET)
        .await
        .unwrap();
    Api {
        app: common::http::app(&t),
        t,
        root,
    }
}

async fn root_call(api: &Api, body: &str) -> Answer {
    send(&api.app, signed(ROOT_KEY, ROOT_SECRET, "iam", body)).await
}

#[tokio::test]
async fn a_request_without_credentials_is_missing_its_token() {
    let api = api().await;
    let answer = send(
        &api.app,
        post("Action=ListUsers&Version=2010-05-08", None, NOW),
    )
    .await;
    answer.assert_error(
        403,
        "MissingAuthenticationToken",
        "Request is missing Authentication Token",
    );
    assert!(answer.body.contains(IAM_NS));
    let sts = send(
        &api.app,
        post("Action=GetCallerIdentity&Version=2011-06-15", None, NOW),
    )
    .await;
    assert!(sts.body.contains(STS_NS), "{}", sts.body);
}

#[tokio::test]
async fn a_malformed_header_is_an_incomplete_signature() {
    let api = api().await;
    let answer = send(
        &api.app,
        post(
            "Action=ListUsers&Version=2010-05-08",
            Some("AWS4-HMAC-SHA256 SignedHeaders=host"),
            NOW,
        ),
    )
    .await;
    answer.assert_error(
        400,
        "IncompleteSignature",
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter.",
    );
}

#[tokio::test]
async fn unknown_and_inactive_keys_are_invalid_client_token_ids() {
    let api = api().await;
    let body = "Action=ListUsers&Version=2010-05-08";
    let message = "The security token included in the request is invalid.";
    send(
        &api.app,
        signed("AKIANOSUCHKEY0000000", ROOT_SECRET, "iam", body),
    )
    .await
    .assert_error(403, "InvalidClientTokenId", message);

    access_keys::update_access_key(&api.t.iam, &api.root, None, ROOT_KEY, "Inactive")
        .await
        .unwrap();
    root_call(&api, body)
        .await
        .assert_error(403, "InvalidClientTokenId", message);
}

/// A key ID no key could have — here a NUL from a presigned URL's `%00`, which PostgreSQL's
/// text cannot even hold — is an unknown key, not a failure.
#[tokio::test]
async fn a_key_id_no_key_could_have_is_an_invalid_client_token_id() {
    let api = api().await;
    for key_id in ["AKIAFERRIAM%00000000", "ASIAFERRIAM%00000000", "AKIA"] {
        let scope = format!("{key_id}%2F20261122%2Fus-east-1%2Fiam%2Faws4_request");
        let query = format!(
            "Action=ListUsers&Version=2010-05-08&X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential={scope}&X-Amz-Date={NOW}&X-Amz-Expires=300\
             &X-Amz-SignedHeaders=host&X-Amz-Signature={}",
            "0".repeat(64)
        );
        send(
            &api.app,
            Request::get(format!("/?{query}"))
                .header(header::HOST, HOST)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .assert_error(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        );
    }
}

#[tokio::test]
async fn a_deleted_users_key_is_invalid() {
    let api = api().await;
    common::iam_user(&api.t, &api.root, "alice").await;
    let key = access_keys::create_access_key(&api.t.iam, &api.root, Some("alice"))
        .await
        .unwrap();
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let ok = send(
        &api.app,
        signed(&key.access_key_id, &key.secret_access_key, "sts", body),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    // Keys go with their user; one left behind by any means must not sign in as nobody.
    sqlx::query("DELETE FROM users WHERE name = 'alice'")
        .execute(api.t.iam.store().writer())
        .await
        .unwrap();
    send(
        &api.app,
        signed(&key.access_key_id, &key.secret_access_key, "sts", body),
    )
    .await
    .assert_error(
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    );
}

/// Signing identities are kept in memory between requests: every change to a key or its user
/// must still show on the very next request.
#[tokio::test]
async fn a_used_key_follows_changes_to_it_and_its_user_at_once() {
    let api = api().await;
    common::iam_user(&api.t, &api.root, "alice").await;
    let key = access_keys::create_access_key(&api.t.iam, &api.root, Some("alice"))
        .await
        .unwrap();
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let call = || {
        send(
            &api.app,
            signed(&key.access_key_id, &key.secret_access_key, "sts", body),
        )
    };
    let first = call().await;
    assert_eq!(
        first.field("Arn").as_deref(),
        Some("arn:aws:iam::123456789012:user/alice")
    );
    doors::update_user(
        &api.t.iam,
        &api.root,
        "alice",
        Some("alicia"),
        Some("/renamed/"),
    )
    .await
    .unwrap();
    assert_eq!(
        call().await.field("Arn").as_deref(),
        Some("arn:aws:iam::123456789012:user/renamed/alicia")
    );
    access_keys::update_access_key(
        &api.t.iam,
        &api.root,
        Some("alicia"),
        &key.access_key_id,
        "Inactive",
    )
    .await
    .unwrap();
    call().await.assert_error(
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    );
    access_keys::update_access_key(
        &api.t.iam,
        &api.root,
        Some("alicia"),
        &key.access_key_id,
        "Active",
    )
    .await
    .unwrap();
    assert_eq!(call().await.status, StatusCode::OK);
    access_keys::delete_access_key(&api.t.iam, &api.root, Some("alicia"), &key.access_key_id)
        .await
        .unwrap();
    call().await.assert_error(
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    );
}

#[tokio::test]
async fn a_wrong_signature_does_not_match_and_says_nothing_more() {
    let api = api().await;
    let body = "Action=ListUsers&Version=2010-05-08";
    let answer = send(
        &api.app,
        signed(
            ROOT_KEY,
            "rootSecretKeyForTheQueryApiTests00000001",
            "iam",
            body,
        ),
    )
    .await;
    answer.assert_error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
    assert!(!answer.body.contains(ROOT_SECRET));
    // A body changed after signing fails the same way.
    let authorization = authorization(ROOT_KEY, ROOT_SECRET, "iam", NOW, body, &[]);
    let tampered = send(
        &api.app,
        post(
            "Action=CreateUser&Version=2010-05-08&UserName=eve",
            Some(&authorization),
            NOW,
        ),
    )
    .await;
    assert_eq!(
        tampered.field("Code").as_deref(),
        Some("SignatureDoesNotMatch")
    );
}

#[tokio::test]
async fn clock_skew_beyond_15_minutes_is_an_expired_signature() {
    let api = api().await;
    let body = "Action=ListUsers&Version=2010-05-08";
    let old = "20261121T234015Z";
    let answer = send(
        &api.app,
        post(
            body,
            Some(&authorization(ROOT_KEY, ROOT_SECRET, "iam", old, body, &[])),
            old,
        ),
    )
    .await;
    answer.assert_error(
        403,
        "SignatureDoesNotMatch",
        "Signature expired: 20261121T234015Z is now earlier than 20261121T234515Z (20261122T000015Z - 15 min.)",
    );
    let near = "20261121T235015Z";
    let fine = send(
        &api.app,
        post(
            body,
            Some(&authorization(
                ROOT_KEY,
                ROOT_SECRET,
                "iam",
                near,
                body,
                &[],
            )),
            near,
        ),
    )
    .await;
    assert_eq!(fine.status, StatusCode::OK, "{}", fine.body);
}

#[tokio::test]
async fn unknown_actions_and_versions_are_invalid_actions() {
    let api = api().await;
    root_call(&api, "Action=MakeCoffee&Version=2010-05-08")
        .await
        .assert_error(
            400,
            "InvalidAction",
            "Could not find operation MakeCoffee for version 2010-05-08",
        );
    root_call(&api, "Action=ListUsers&Version=2011-06-15")
        .await
        .assert_error(
            400,
            "InvalidAction",
            "Could not find operation ListUsers for version 2011-06-15",
        );
    // An STS action signed for IAM is not IAM's.
    root_call(&api, "Action=GetCallerIdentity&Version=2010-05-08")
        .await
        .assert_error(
            400,
            "InvalidAction",
            "Could not find operation GetCallerIdentity for version 2010-05-08",
        );
    let other_service = send(
        &api.app,
        signed(ROOT_KEY, ROOT_SECRET, "s3", "Action=ListUsers"),
    )
    .await;
    assert_eq!(other_service.status.as_u16(), 403);
    assert_eq!(
        other_service.field("Code").as_deref(),
        Some("SignatureDoesNotMatch")
    );
}

#[tokio::test]
async fn missing_parameters_are_validation_errors() {
    let api = api().await;
    root_call(&api, "Action=CreateUser&Version=2010-05-08")
        .await
        .assert_error(
            400,
            "ValidationError",
            "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
        );
    root_call(&api, "Action=ListUsers&Version=2010-05-08&MaxItems=lots")
        .await
        .assert_error(
            400,
            "ValidationError",
            "1 validation error detected: Value 'lots' at 'maxItems' failed to satisfy constraint: Member must be a whole number",
        );
}

#[tokio::test]
async fn an_oversized_body_is_refused_cleanly() {
    let api = api().await;
    let body = format!(
        "Action=CreatePolicy&Version=2010-05-08&PolicyName=p&PolicyDocument={}",
        "x".repeat(2 * 1024 * 1024)
    );
    let answer = root_call(&api, &body).await;
    answer.assert_error(
        413,
        "RequestEntityTooLarge",
        "The request body is larger than the 1048576-byte limit.",
    );
}

#[tokio::test]
async fn successes_are_wrapped_in_aws_envelopes_and_errors_carry_aws_statuses() {
    let api = api().await;
    let created = root_call(
        &api,
        "Action=CreateUser&Version=2010-05-08&UserName=alice&Tags.member.1.Key=team&Tags.member.1.Value=blue%2Bgreen",
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert!(created.body.starts_with(&format!(
        "<CreateUserResponse xmlns=\"{IAM_NS}\"><CreateUserResult><User>"
    )));
    assert!(
        created.body.contains("<Value>blue+green</Value>"),
        "{}",
        created.body
    );
    assert_eq!(created.field("UserName").as_deref(), Some("alice"));
    assert_eq!(
        created.field("CreateDate").as_deref(),
        Some("2026-11-22T00:00:15Z")
    );
    assert!(created
        .body
        .ends_with("</RequestId></ResponseMetadata></CreateUserResponse>"));

    root_call(&api, "Action=CreateUser&Version=2010-05-08&UserName=alice")
        .await
        .assert_error(
            409,
            "EntityAlreadyExists",
            "User with name alice already exists.",
        );
    root_call(&api, "Action=GetUser&Version=2010-05-08&UserName=bob")
        .await
        .assert_error(
            404,
            "NoSuchEntity",
            "The user with name bob cannot be found.",
        );

    let deleted = root_call(&api, "Action=DeleteUser&Version=2010-05-08&UserName=alice").await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert!(
        !deleted.body.contains("DeleteUserResult"),
        "operations without output have no Result element: {}",
        deleted.body
    );
    let document = common::allow("s3:*", "*");
    let created = root_call(
        &api,
        &format!(
            "Action=CreatePolicy&Version=2010-05-08&PolicyName=p&PolicyDocument={}",
            form(&document)
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let version = root_call(
        &api,
        "Action=GetPolicyVersion&Version=2010-05-08&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fp&VersionId=v1",
    )
    .await;
    assert_eq!(
        version.field("Document").as_deref(),
        Some("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"),
        "documents are URL-encoded (RFC 3986)"
    );
}

/// SDKs parse an operation's result element whenever AWS's model gives the operation an
/// output, even one without members (UpdateRole): it must be there, empty.
#[tokio::test]
async fn update_role_answers_with_an_empty_result_element() {
    let api = api().await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
    let created = root_call(
        &api,
        &format!(
            "Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument={}",
            form(trust)
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let updated = root_call(
        &api,
        "Action=UpdateRole&Version=2010-05-08&RoleName=r&Description=d",
    )
    .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert!(
        updated
            .body
            .contains("<UpdateRoleResult></UpdateRoleResult><ResponseMetadata>")
            || updated
                .body
                .contains("<UpdateRoleResult/><ResponseMetadata>"),
        "{}",
        updated.body
    );
}

#[tokio::test]
async fn get_caller_identity_answers_in_sts_terms() {
    let api = api().await;
    let root = send(
        &api.app,
        signed(
            ROOT_KEY,
            ROOT_SECRET,
            "sts",
            "Action=GetCallerIdentity&Version=2011-06-15",
        ),
    )
    .await;
    assert_eq!(root.status, StatusCode::OK, "{}", root.body);
    assert!(root.body.starts_with(&format!(
        "<GetCallerIdentityResponse xmlns=\"{STS_NS}\"><GetCallerIdentityResult>"
    )));
    assert_eq!(root.field("Account").as_deref(), Some(ACCOUNT));
    assert_eq!(root.field("UserId").as_deref(), Some(ACCOUNT));
    assert_eq!(
        root.field("Arn").as_deref(),
        Some("arn:aws:iam::123456789012:root")
    );

    let (alice, _) = common::iam_user(&api.t, &api.root, "alice").await;
    let key = access_keys::create_access_key(&api.t.iam, &api.root, Some("alice"))
        .await
        .unwrap();
    let user = send(
        &api.app,
        signed(
            &key.access_key_id,
            &key.secret_access_key,
            "sts",
            "Action=GetCallerIdentity&Version=2011-06-15",
        ),
    )
    .await;
    assert_eq!(user.field("UserId"), Some(alice.user_id));
    assert_eq!(
        user.field("Arn").as_deref(),
        Some("arn:aws:iam::123456789012:user/alice")
    );
}

#[tokio::test]
async fn a_signing_principal_is_held_to_its_policies() {
    let api = api().await;
    let (_, alice) = common::iam_user(&api.t, &api.root, "alice").await;
    common::put_user_policy(
        &api.t,
        &api.root,
        "alice",
        "list",
        &common::allow("iam:List*", "*"),
    )
    .await;
    let key = access_keys::create_access_key(&api.t.iam, &api.root, Some("alice"))
        .await
        .unwrap();
    let call = |body: &str| signed(&key.access_key_id, &key.secret_access_key, "iam", body);
    let listed = send(&api.app, call("Action=ListUsers&Version=2010-05-08")).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    send(
        &api.app,
        call("Action=CreateUser&Version=2010-05-08&UserName=mallory"),
    )
    .await
    .assert_error(
        403,
        "AccessDenied",
        &common::no_identity_allows(
            "arn:aws:iam::123456789012:user/alice",
            "iam:CreateUser",
            "arn:aws:iam::123456789012:user/mallory",
        ),
    );
    // The audit log records the key that signed.
    let events = common::audit_events(&api.t, ACCOUNT).await;
    let denied = events
        .iter()
        .find(|e| e.action == "iam:CreateUser" && e.result == "AccessDenied")
        .unwrap();
    assert_eq!(
        denied.access_key_id.as_deref(),
        Some(key.access_key_id.as_str())
    );
    drop(alice);
}

/// On the wire too, an unpermitted caller gets the same status, code and sentence for an
/// existing user, group or role (on a path) as for a missing one.
#[tokio::test]
async fn an_unpermitted_caller_cannot_tell_existing_from_missing_on_the_wire() {
    let api = api().await;
    for body in [
        "Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fteam%2F",
        "Action=CreateGroup&Version=2010-05-08&GroupName=devs&Path=%2Fteam%2F",
        "Action=CreateRole&Version=2010-05-08&RoleName=app&Path=%2Fteam%2F&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A123456789012%3Aroot%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D",
    ] {
        let made = root_call(&api, body).await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    }
    common::iam_user(&api.t, &api.root, "nobody").await;
    let key = access_keys::create_access_key(&api.t.iam, &api.root, Some("nobody"))
        .await
        .unwrap();
    let nobody = "arn:aws:iam::123456789012:user/nobody";
    for (action, parameter, kind, existing, more) in [
        ("GetUser", "UserName", "user", "alice", ""),
        ("DeleteUser", "UserName", "user", "alice", ""),
        ("GetGroup", "GroupName", "group", "devs", ""),
        ("GetRole", "RoleName", "role", "app", ""),
        // A document that is not JSON is not looked at before the authorization.
        (
            "PutRolePolicy",
            "RoleName",
            "role",
            "app",
            "&PolicyName=p&PolicyDocument=not-json",
        ),
    ] {
        for name in [existing, "ghost"] {
            let body = format!("Action={action}&Version=2010-05-08&{parameter}={name}{more}");
            send(
                &api.app,
                signed(&key.access_key_id, &key.secret_access_key, "iam", &body),
            )
            .await
            .assert_error(
                403,
                "AccessDenied",
                &common::no_identity_allows(
                    nobody,
                    &format!("iam:{action}"),
                    &format!("{kind} {name}"),
                ),
            );
        }
    }
}

#[tokio::test]
async fn key_use_is_recorded_with_service_and_region() {
    let api = api().await;
    let before = access_keys::get_access_key_last_used(&api.t.iam, &api.root, ROOT_KEY)
        .await
        .unwrap();
    assert_eq!(before.last_used_date, None);
    let answer = root_call(&api, "Action=ListUsers&Version=2010-05-08").await;
    assert_eq!(answer.status, StatusCode::OK);
    let after = root_call(
        &api,
        &format!("Action=GetAccessKeyLastUsed&Version=2010-05-08&AccessKeyId={ROOT_KEY}"),
    )
    .await;
    assert_eq!(
        after.field("LastUsedDate").as_deref(),
        Some("2026-11-22T00:00:15Z")
    );
    assert_eq!(after.field("ServiceName").as_deref(), Some("iam"));
    assert_eq!(after.field("Region").as_deref(), Some("us-east-1"));
}

/// A GET presigned with the root key at `NOW`: `params` is the query string as the client
/// sends it (already encoded).
async fn presigned_get(api: &Api, service: &str, params: &str) -> Answer {
    let scope = format!("{ROOT_KEY}%2F20261122%2Fus-east-1%2F{service}%2Faws4_request");
    let unsigned = format!(
        "{params}&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={scope}&X-Amz-Date={NOW}&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
    );
    let headers = vec![("host".to_string(), HOST.to_string())];
    let request = SignedRequest {
        method: "GET",
        path: "/",
        query: &unsigned,
        headers: &headers,
        body: b"",
    };
    let auth = sigv4::parse(&SignedRequest {
        query: &format!("{unsigned}&X-Amz-Signature=00"),
        ..request
    })
    .unwrap();
    let canonical = sigv4::canonical_request(&request, &auth).unwrap();
    let signature = sigv4::signature(
        &sigv4::signing_key(ROOT_SECRET.as_bytes(), &auth.credential),
        &sigv4::string_to_sign(&auth, &canonical),
    );
    send(
        &api.app,
        Request::get(format!("/?{unsigned}&X-Amz-Signature={signature}"))
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn presigned_get_requests_work() {
    let api = api().await;
    let answer = presigned_get(&api, "sts", "Action=GetCallerIdentity&Version=2011-06-15").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.field("UserId").as_deref(), Some(ACCOUNT));
}

/// SECURITY: the value a signed query string is acted on with is the value its signature
/// covers: `+` is a plus sign for both (before, the signature read `+` and `%2B` alike while the
/// operation read `+` as a space), and a parameter given twice is refused (the signature sorts
/// repeats, so which one counted could be swapped).
#[tokio::test]
async fn a_signed_query_means_what_was_signed() {
    let api = api().await;
    let created = presigned_get(
        &api,
        "iam",
        "Action=CreateUser&UserName=a+b&Version=2010-05-08",
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.field("UserName").as_deref(), Some("a+b"));

    let twice = presigned_get(
        &api,
        "iam",
        "Action=CreateUser&UserName=x&UserName=y&Version=2010-05-08",
    )
    .await;
    twice.assert_error(
        400,
        "ValidationError",
        "The parameter UserName was given more than once.",
    );
    for name in ["x", "y"] {
        let body = format!("Action=GetUser&UserName={name}&Version=2010-05-08");
        send(&api.app, signed(ROOT_KEY, ROOT_SECRET, "iam", &body))
            .await
            .assert_error(
                404,
                "NoSuchEntity",
                &format!("The user with name {name} cannot be found."),
            );
    }
}

#[tokio::test]
async fn a_session_token_with_a_long_term_key_is_refused() {
    let api = api().await;
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let token = [("x-amz-security-token", "not-a-session-of-this-key")];
    let authorization = authorization(ROOT_KEY, ROOT_SECRET, "sts", NOW, body, &token);
    let mut request = post(body, Some(&authorization), NOW);
    request
        .headers_mut()
        .insert("x-amz-security-token", token[0].1.parse().unwrap());
    send(&api.app, request).await.assert_error(
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    );
}

#[tokio::test]
async fn the_console_keeps_get_slash() {
    let api = api().await;
    let page = api
        .app
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    // Signed out: the console's gate redirects; the API would have answered 403 in XML.
    assert!(page.status().is_redirection(), "{}", page.status());
    let api_get = send(
        &api.app,
        Request::get("/?Action=ListUsers&Version=2010-05-08")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    api_get.assert_error(
        403,
        "MissingAuthenticationToken",
        "Request is missing Authentication Token",
    );
}

/// `20261122T000015Z` for a Unix-milliseconds time.
fn amz_date(millis: i64) -> String {
    ferriam::server::query_api::xml::iso8601(millis).replace(['-', ':'], "")
}

/// A request signed with temporary credentials, the session token in its header.
fn signed_with_token(
    credentials: &(String, String, String),
    service: &str,
    body: &str,
    date: &str,
) -> Request<Body> {
    let (key, secret, token) = credentials;
    let mut request = post(
        body,
        Some(&authorization(key, secret, service, date, body, &[])),
        date,
    );
    request
        .headers_mut()
        .insert("x-amz-security-token", token.parse().unwrap());
    request
}

fn temporary_credentials(answer: &Answer) -> (String, String, String) {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    (
        answer.field("AccessKeyId").unwrap(),
        answer.field("SecretAccessKey").unwrap(),
        answer.field("SessionToken").unwrap(),
    )
}

#[tokio::test]
async fn session_tokens_sign_requests_until_they_expire() {
    let api = api().await;
    common::iam_user(&api.t, &api.root, "alice").await;
    let key = access_keys::create_access_key(&api.t.iam, &api.root, Some("alice"))
        .await
        .unwrap();
    let issued = send(
        &api.app,
        signed(
            &key.access_key_id,
            &key.secret_access_key,
            "sts",
            "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=900",
        ),
    )
    .await;
    assert!(issued.body.starts_with(&format!(
        "<GetSessionTokenResponse xmlns=\"{STS_NS}\"><GetSessionTokenResult><Credentials>"
    )));
    assert_eq!(
        issued.field("Expiration").as_deref(),
        Some("2026-11-22T00:15:15Z")
    );
    let temporary = temporary_credentials(&issued);
    assert!(temporary.0.starts_with("ASIA"), "{}", temporary.0);

    let identity = "Action=GetCallerIdentity&Version=2011-06-15";
    let who = send(
        &api.app,
        signed_with_token(&temporary, "sts", identity, NOW),
    )
    .await;
    assert_eq!(who.status, StatusCode::OK, "{}", who.body);
    assert_eq!(
        who.field("Arn").as_deref(),
        Some("arn:aws:iam::123456789012:user/alice")
    );

    // A token that is not this key's, or none at all, is invalid.
    let forged = (temporary.0.clone(), temporary.1.clone(), "x".repeat(40));
    send(&api.app, signed_with_token(&forged, "sts", identity, NOW))
        .await
        .assert_error(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        );
    send(
        &api.app,
        signed(&temporary.0, &temporary.1, "sts", identity),
    )
    .await
    .assert_error(
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    );
    // A right token with a wrong secret is a wrong signature.
    let wrong_secret = (temporary.0.clone(), "y".repeat(40), temporary.2.clone());
    let answer = send(
        &api.app,
        signed_with_token(&wrong_secret, "sts", identity, NOW),
    )
    .await;
    assert_eq!(
        answer.field("Code").as_deref(),
        Some("SignatureDoesNotMatch")
    );

    // Session credentials cannot mint more session credentials.
    send(
        &api.app,
        signed_with_token(
            &temporary,
            "sts",
            "Action=GetSessionToken&Version=2011-06-15",
            NOW,
        ),
    )
    .await
    .assert_error(
        403,
        "AccessDenied",
        "Cannot call GetSessionToken with session credentials",
    );

    api.t.clock.advance_millis(15 * 60 * 1000);
    let later = amz_date(common::START_MILLIS + 15 * 60 * 1000);
    send(
        &api.app,
        signed_with_token(&temporary, "sts", identity, &later),
    )
    .await
    .assert_error(
        403,
        "ExpiredToken",
        "The security token included in the request is expired",
    );
}

#[tokio::test]
async fn an_assumed_role_acts_with_the_roles_permissions_only() {
    let api = api().await;
    let trust = form(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#,
    );
    let created = root_call(
        &api,
        &format!(
            "Action=CreateRole&Version=2010-05-08&RoleName=reader&AssumeRolePolicyDocument={trust}"
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let allow_list = form(&common::allow("iam:ListUsers", "*"));
    let put = root_call(
        &api,
        &format!("Action=PutRolePolicy&Version=2010-05-08&RoleName=reader&PolicyName=list&PolicyDocument={allow_list}"),
    )
    .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);

    // The trust policy names the account, so the caller's own policies must allow the assume
    // (and the root user may never assume a role).
    let (_, _) = common::iam_user(&api.t, &api.root, "bob").await;
    common::put_user_policy(
        &api.t,
        &api.root,
        "bob",
        "assume",
        &common::allow("sts:AssumeRole", "*"),
    )
    .await;
    let bob = access_keys::create_access_key(&api.t.iam, &api.root, Some("bob"))
        .await
        .unwrap();
    let assumed = send(
        &api.app,
        signed(
            &bob.access_key_id,
            &bob.secret_access_key,
            "sts",
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Freader&RoleSessionName=audit",
        ),
    )
    .await;
    let temporary = temporary_credentials(&assumed);
    assert_eq!(
        assumed.field("Arn").as_deref(),
        Some("arn:aws:sts::123456789012:assumed-role/reader/audit")
    );
    assert!(assumed
        .field("AssumedRoleId")
        .is_some_and(|id| id.starts_with("AROA") && id.ends_with(":audit")));

    let who = send(
        &api.app,
        signed_with_token(
            &temporary,
            "sts",
            "Action=GetCallerIdentity&Version=2011-06-15",
            NOW,
        ),
    )
    .await;
    assert_eq!(
        who.field("Arn").as_deref(),
        Some("arn:aws:sts::123456789012:assumed-role/reader/audit")
    );
    let listed = send(
        &api.app,
        signed_with_token(
            &temporary,
            "iam",
            "Action=ListUsers&Version=2010-05-08",
            NOW,
        ),
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    send(
        &api.app,
        signed_with_token(
            &temporary,
            "iam",
            "Action=CreateUser&Version=2010-05-08&UserName=mallory",
            NOW,
        ),
    )
    .await
    .assert_error(
        403,
        "AccessDenied",
        "User: arn:aws:sts::123456789012:assumed-role/reader/audit is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/mallory because no identity-based policy allows the iam:CreateUser action",
    );
    // A role that does not exist is refused like one the caller may not assume.
    send(
        &api.app,
        signed(
            &bob.access_key_id,
            &bob.secret_access_key,
            "sts",
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fmissing&RoleSessionName=audit",
        ),
    )
    .await
    .assert_error(
        403,
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/missing",
    );
    send(
        &api.app,
        signed(
            ROOT_KEY,
            ROOT_SECRET,
            "sts",
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Freader&RoleSessionName=audit",
        ),
    )
    .await
    .assert_error(403, "AccessDenied", "Roles may not be assumed by root accounts.");
}

#[tokio::test]
async fn a_parameter_the_operation_does_not_read_is_refused_and_changes_nothing() {
    let api = api().await;
    // Unknown to the operation (AWS's member is `UserName`, not `Username`).
    root_call(
        &api,
        "Action=CreateUser&Version=2010-05-08&UserName=carol&Colour=blue",
    )
    .await
    .assert_error(
        400,
        "ValidationError",
        "The parameter Colour is not recognized by CreateUser.",
    );
    root_call(&api, "Action=GetUser&Version=2010-05-08&UserName=carol")
        .await
        .assert_error(
            404,
            "NoSuchEntity",
            "The user with name carol cannot be found.",
        );
    // A member of AWS's input that Ferriam does not support is refused, not ignored.
    let document = form(&common::allow("iam:GetUser", "*"));
    root_call(
        &api,
        &format!("Action=CreatePolicy&Version=2010-05-08&PolicyName=tagged&PolicyDocument={document}&Tags.member.1.Key=team&Tags.member.1.Value=blue"),
    )
    .await
    .assert_error(400, "ValidationError", "The parameter Tags of CreatePolicy is not supported by this service.");
    let listed = root_call(&api, "Action=ListPolicies&Version=2010-05-08&Scope=Local").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert!(!listed.body.contains("tagged"), "{}", listed.body);
    // Refused before the operation runs: the root user would otherwise be told it may not
    // assume roles.
    send(
        &api.app,
        signed(
            ROOT_KEY,
            ROOT_SECRET,
            "sts",
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Freader&RoleSessionName=audit&MinimumSessionTokenSize=1",
        ),
    )
    .await
    .assert_error(400, "ValidationError", "The parameter MinimumSessionTokenSize of AssumeRole is not supported by this service.");
}

#[tokio::test]
async fn managed_session_policies_narrow_an_assumed_role_over_the_wire() {
    let api = api().await;
    // The trust policy names bob, so bob must exist first.
    common::iam_user(&api.t, &api.root, "bob").await;
    let trust = form(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole"}]}"#,
    );
    let created = root_call(
        &api,
        &format!(
            "Action=CreateRole&Version=2010-05-08&RoleName=admin&AssumeRolePolicyDocument={trust}"
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let attached = root_call(
        &api,
        "Action=AttachRolePolicy&Version=2010-05-08&RoleName=admin&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAdministratorAccess",
    )
    .await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
    let bob = access_keys::create_access_key(&api.t.iam, &api.root, Some("bob"))
        .await
        .unwrap();
    let assumed = send(
        &api.app,
        signed(
            &bob.access_key_id,
            &bob.secret_access_key,
            "sts",
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fadmin&RoleSessionName=reader&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FIAMReadOnlyAccess",
        ),
    )
    .await;
    let temporary = temporary_credentials(&assumed);
    assert_eq!(assumed.field("PackedPolicySize").as_deref(), Some("3"));
    let got = send(
        &api.app,
        signed_with_token(
            &temporary,
            "iam",
            "Action=GetUser&Version=2010-05-08&UserName=bob",
            NOW,
        ),
    )
    .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    send(
        &api.app,
        signed_with_token(&temporary, "iam", "Action=CreateUser&Version=2010-05-08&UserName=mallory", NOW),
    )
    .await
    .assert_error(
        403,
        "AccessDenied",
        "User: arn:aws:sts::123456789012:assumed-role/admin/reader is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/mallory because no session policy allows the iam:CreateUser action",
    );
    // Without session policies the response has no PackedPolicySize.
    let plain = send(
        &api.app,
        signed(
            &bob.access_key_id,
            &bob.secret_access_key,
            "sts",
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fadmin&RoleSessionName=admin",
        ),
    )
    .await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    assert_eq!(plain.field("PackedPolicySize"), None);
}

/// Every `<name>` text of an answer, in order.
fn all_fields(answer: &Answer, name: &str) -> Vec<String> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    answer
        .body
        .split(&open)
        .skip(1)
        .filter_map(|rest| rest.split_once(&close).map(|(text, _)| text.to_string()))
        .collect()
}

#[tokio::test]
async fn paged_listings_continue_after_the_last_item_shown_when_items_change() {
    let api = api().await;
    let api = &api;
    let call = |body: String| async move { root_call(api, &body).await };
    call("Action=CreateGroup&Version=2010-05-08&GroupName=ops".into()).await;
    for name in ["ann", "bea", "cal", "dan", "aaron", "abe"] {
        call(format!(
            "Action=CreateUser&Version=2010-05-08&UserName={name}"
        ))
        .await;
    }
    for name in ["ann", "bea", "cal", "dan"] {
        call(format!(
            "Action=AddUserToGroup&Version=2010-05-08&GroupName=ops&UserName={name}"
        ))
        .await;
    }
    let page = |marker: Option<String>| {
        let marker = marker.map_or(String::new(), |m| format!("&Marker={}", form(&m)));
        format!("Action=GetGroup&Version=2010-05-08&GroupName=ops&MaxItems=2{marker}")
    };
    let first = call(page(None)).await;
    assert_eq!(
        all_fields(&first, "UserName"),
        ["ann", "bea"],
        "{}",
        first.body
    );
    assert_eq!(first.field("IsTruncated").as_deref(), Some("true"));
    // Between the pages one member of page 1 leaves and two sorting before the marker join:
    // the next page still starts right after "bea" (a position in the list would repeat one).
    call("Action=RemoveUserFromGroup&Version=2010-05-08&GroupName=ops&UserName=bea".into()).await;
    for name in ["aaron", "abe"] {
        call(format!(
            "Action=AddUserToGroup&Version=2010-05-08&GroupName=ops&UserName={name}"
        ))
        .await;
    }
    let second = call(page(first.field("Marker"))).await;
    assert_eq!(
        all_fields(&second, "UserName"),
        ["cal", "dan"],
        "{}",
        second.body
    );
    assert_eq!(second.field("IsTruncated").as_deref(), Some("false"));
    // A marker of another listing is refused as AWS refuses a bad one.
    let users = call("Action=ListUsers&Version=2010-05-08&MaxItems=1".into()).await;
    call(page(users.field("Marker"))).await.assert_error(
        400,
        "ValidationError",
        "Invalid Marker: the marker does not come from a previous listing.",
    );
}
