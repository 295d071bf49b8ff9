//! Service tests for AssumeRoleWithWebIdentity on a real database, with an issuer on loopback
//! that publishes the test keys in `tests/data/oidc` (the real OpenID provider's journeys are in
//! `tests/aws/test_web_identity.py`): a good token buys the role's credentials; every bad token
//! is refused with AWS's error and issues nothing; keys are fetched once and refetched, at most
//! once a minute, for an unknown key ID.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use ferriam::domain::entity_requests::NewEntity;
use ferriam::domain::PrincipalKind;
use ferriam::server::outbound::FetchRules;
use ferriam::server::service::authorization::{authorize, RequestContext};
use ferriam::server::service::entities::roles::{self, CreateRole};
use ferriam::server::service::federation::oidc_providers::{self, CreateOidcProvider};
use ferriam::server::service::federation::web_identity::{
    assume_role_with_web_identity, AssumeRoleWithWebIdentity,
};
use ferriam::server::service::iam::Settings;
use ferriam::server::service::sts;
use ferriam::server::service::{Caller, RequestInfo, ServiceError};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/ci";
const NOW: i64 = START_MILLIS / 1000;

/// An issuer on loopback: its discovery document and key set, and how often the set was read.
struct Issuer {
    url: String,
    jwks_reads: Arc<AtomicUsize>,
}

async fn issuer() -> Issuer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let jwks_reads = Arc::new(AtomicUsize::new(0));
    let discovery = json!({"issuer": url, "jwks_uri": format!("{url}/jwks")});
    let reads = jwks_reads.clone();
    let app = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            axum::routing::get(move || async move { axum::Json(discovery) }),
        )
        .route(
            "/jwks",
            axum::routing::get(move || {
                reads.fetch_add(1, Ordering::SeqCst);
                async { include_str!("data/oidc/jwks.json") }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    Issuer { url, jwks_reads }
}

fn settings() -> Settings {
    Settings {
        idp_fetch: FetchRules {
            allow_loopback_http: true,
            ..FetchRules::default()
        },
        ..Settings::default()
    }
}

fn host_path(url: &str) -> &str {
    url.trim_start_matches("http://")
}

fn trust(provider_arn: &str, host: &str, subject: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": provider_arn},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {format!("{host}:aud"): "app", format!("{host}:sub"): subject}}
    }]})
    .to_string()
}

/// An account trusting `issuer` for client `app`, and a role `ci` that `alice` may assume.
async fn set_up(issuer: &Issuer) -> (TestIam, Caller, String) {
    let t = test_iam(settings()).await;
    let root = account(&t, ACCOUNT).await;
    let arn = oidc_providers::create(
        &t.iam,
        &root,
        CreateOidcProvider {
            url: issuer.url.clone(),
            client_ids: vec!["app".into()],
            ..CreateOidcProvider::default()
        },
    )
    .await
    .expect("create provider");
    roles::create_role(
        &t.iam,
        &root,
        CreateRole {
            entity: NewEntity::parse("ci", None).unwrap(),
            assume_role_policy_document: trust(&arn, host_path(&issuer.url), "alice"),
            description: None,
            max_session_duration: None,
            tags: Vec::new(),
            permissions_boundary: None,
        },
    )
    .await
    .expect("create role");
    (t, root, arn)
}

fn claims(issuer: &Issuer, extra: Value) -> Value {
    let mut claims =
        json!({"iss": issuer.url, "sub": "alice", "aud": "app", "iat": NOW - 5, "exp": NOW + 600});
    for (key, value) in extra.as_object().unwrap() {
        claims[key] = value.clone();
    }
    claims
}

fn sign(alg: Algorithm, kid: &str, pem: &[u8], claims: &Value) -> String {
    let key = match alg {
        Algorithm::ES256 => EncodingKey::from_ec_pem(pem).unwrap(),
        _ => EncodingKey::from_rsa_pem(pem).unwrap(),
    };
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_string());
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

fn rsa_token(claims: &Value) -> String {
    sign(
        Algorithm::RS256,
        "rsa-1",
        include_bytes!("data/oidc/rsa.pem"),
        claims,
    )
}

fn b64(bytes: &[u8]) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes)
}

fn request(token: String) -> AssumeRoleWithWebIdentity {
    AssumeRoleWithWebIdentity {
        role_arn: ROLE_ARN.into(),
        role_session_name: "build-42".into(),
        web_identity_token: token,
        ..AssumeRoleWithWebIdentity::default()
    }
}

async fn sessions(t: &TestIam) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sts_sessions")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap()
}

async fn assume(t: &TestIam, input: AssumeRoleWithWebIdentity) -> Result<(), ServiceError> {
    let request = RequestInfo {
        request_id: "test".into(),
        source_ip: Some("192.0.2.7".into()),
        ..RequestInfo::default()
    };
    assume_role_with_web_identity(&t.iam, request, input)
        .await
        .map(|_| ())
}

#[tokio::test]
async fn a_token_from_a_trusted_provider_buys_the_role_s_credentials() {
    let issuer = issuer().await;
    let (t, _root, provider_arn) = set_up(&issuer).await;
    let request_info = RequestInfo {
        request_id: "r1".into(),
        ..RequestInfo::default()
    };
    let session = assume_role_with_web_identity(
        &t.iam,
        request_info,
        request(rsa_token(&claims(&issuer, json!({})))),
    )
    .await
    .expect("assume");
    assert_eq!(session.subject, "alice");
    assert_eq!(session.provider, provider_arn);
    assert_eq!(session.audience, "app");
    assert_eq!(
        session.assumed_role_user.arn,
        "arn:aws:sts::123456789012:assumed-role/ci/build-42"
    );
    let key = sts::temporary_key(
        &t.iam,
        &session.credentials.access_key_id,
        Some(&session.credentials.session_token),
    )
    .await
    .unwrap()
    .expect("the credentials work");
    assert!(matches!(
        key.caller.principal.kind,
        PrincipalKind::AssumedRole { ref role_name, .. } if role_name == "ci"
    ));
    assert_eq!(
        session.credentials.expiration,
        START_MILLIS + 3_600_000,
        "an hour by default"
    );
    let events = audit_events(&t, ACCOUNT).await;
    let event = events
        .iter()
        .find(|e| e.action == "sts:AssumeRoleWithWebIdentity")
        .expect("audited");
    assert_eq!(event.result, "Success");
    assert_eq!(event.principal_arn, provider_arn);
    assert_eq!(
        event.principal_id.as_deref(),
        Some(format!("{}:alice", host_path(&issuer.url)).as_str())
    );

    // An ES256 token verifies with the set's EC key.
    let es = sign(
        Algorithm::ES256,
        "ec-1",
        include_bytes!("data/oidc/ec.pem"),
        &claims(&issuer, json!({})),
    );
    assume(&t, request(es)).await.expect("ES256");
}

#[tokio::test]
async fn every_bad_token_is_refused_in_aws_words_and_issues_nothing() {
    let issuer = issuer().await;
    let (t, root, _) = set_up(&issuer).await;
    let good = claims(&issuer, json!({}));
    let header = b64(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64(good.to_string().as_bytes());
    let alg_none = format!("{header}.{payload}.");
    // HS256 "signed" with the published key: a verifier that took the algorithm from the token
    // and the key as a secret would accept it.
    let hmac_with_public_key = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &good,
        &EncodingKey::from_secret(include_bytes!("data/oidc/jwks.json")),
    )
    .unwrap();
    let signed = rsa_token(&good);
    let parts: Vec<&str> = signed.split('.').collect();
    let bob = b64(claims(&issuer, json!({"sub": "bob"}))
        .to_string()
        .as_bytes());
    let tampered = format!("{}.{bob}.{}", parts[0], parts[2]);
    let unknown_kid = sign(
        Algorithm::RS256,
        "rsa-2",
        include_bytes!("data/oidc/rsa-other.pem"),
        &good,
    );
    let oversized = rsa_token(&claims(&issuer, json!({"pad": "x".repeat(20_000)})));
    let not_validated = "The web identity token provided could not be validated. See the AssumeRoleWithWebIdentity documentation for requirements.";
    let cases: Vec<(&str, String, &str, String)> = vec![
        ("alg none", alg_none, "InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)".into()),
        ("HS256 with the public key", hmac_with_public_key, "InvalidIdentityToken", "The token is signed with HS256; the identity provider must sign with RS256, RS384, RS512, PS256, PS384, PS512, ES256 or ES384.".into()),
        ("wrong iss", rsa_token(&claims(&issuer, json!({"iss": "https://evil.example.com"}))), "InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://evil.example.com".into()),
        ("wrong aud", rsa_token(&claims(&issuer, json!({"aud": "someone-else"}))), "InvalidIdentityToken", "Incorrect token audience".into()),
        ("expired", rsa_token(&claims(&issuer, json!({"exp": NOW - 3600}))), "ExpiredTokenException", format!("Token expired: current date/time {NOW} must be before the expiration date/time {}", NOW - 3600)),
        ("nbf in the future", rsa_token(&claims(&issuer, json!({"nbf": NOW + 3600}))), "InvalidIdentityToken", "The token is not valid yet (nbf).".into()),
        ("unknown kid", unknown_kid, "InvalidIdentityToken", not_validated.into()),
        ("tampered payload", tampered, "InvalidIdentityToken", not_validated.into()),
        ("oversized", oversized, "ValidationError", "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to 20000".into()),
        ("sub not trusted", rsa_token(&claims(&issuer, json!({"sub": "mallory"}))), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity".into()),
        ("not a JWT", "abcd.efgh".into(), "InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)".into()),
    ];
    for (case, token, code, message) in cases {
        let result = assume(&t, request(token)).await;
        match result {
            Err(error) => assert_eq!(
                (error.code(), error.to_string()),
                (code, message.clone()),
                "{case}"
            ),
            Ok(()) => panic!("{case}: accepted"),
        }
    }
    assert_eq!(sessions(&t).await, 0, "nothing was issued");

    // A role that does not exist is refused exactly as one that does not trust the token.
    let mut missing = request(rsa_token(&good));
    missing.role_arn = "arn:aws:iam::123456789012:role/nope".into();
    assert_error(
        assume(&t, missing).await,
        "AccessDenied",
        "Not authorized to perform sts:AssumeRoleWithWebIdentity",
    );
    // ProviderId is for OAuth 2.0 access tokens only.
    let mut with_provider_id = request(rsa_token(&good));
    with_provider_id.provider_id = Some("graph.facebook.com".into());
    assert_eq!(
        assume(&t, with_provider_id).await.unwrap_err().code(),
        "InvalidInput"
    );
    // Longer than the role allows.
    let mut too_long = request(rsa_token(&good));
    too_long.duration_seconds = Some(7_200);
    assert_error(
        assume(&t, too_long).await,
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
    assert_eq!(sessions(&t).await, 0, "nothing was issued");
    drop(root);
}

#[tokio::test]
async fn an_issuer_that_cannot_be_reached_is_a_communication_error() {
    let issuer = issuer().await;
    let (t, root, _) = set_up(&issuer).await;
    // A port nothing listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let down = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    oidc_providers::create(
        &t.iam,
        &root,
        CreateOidcProvider {
            url: down.clone(),
            client_ids: vec!["app".into()],
            ..CreateOidcProvider::default()
        },
    )
    .await
    .unwrap();
    let token = rsa_token(
        &json!({"iss": down, "sub": "alice", "aud": "app", "iat": NOW, "exp": NOW + 600}),
    );
    assert_error(
        assume(&t, request(token)).await,
        "IDPCommunicationError",
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
    );
    assert_eq!(sessions(&t).await, 0);
}

#[tokio::test]
async fn keys_are_fetched_once_and_refetched_for_an_unknown_key_at_most_once_a_minute() {
    let issuer = issuer().await;
    let (t, _root, _) = set_up(&issuer).await;
    for _ in 0..3 {
        assume(&t, request(rsa_token(&claims(&issuer, json!({})))))
            .await
            .unwrap();
    }
    assert_eq!(issuer.jwks_reads.load(Ordering::SeqCst), 1, "cached");
    let unknown = || {
        sign(
            Algorithm::RS256,
            "rotated",
            include_bytes!("data/oidc/rsa-other.pem"),
            &claims(&issuer, json!({})),
        )
    };
    assume(&t, request(unknown())).await.unwrap_err();
    assume(&t, request(unknown())).await.unwrap_err();
    assert_eq!(
        issuer.jwks_reads.load(Ordering::SeqCst),
        1,
        "a made-up key ID within a minute of the fetch costs nothing"
    );
    t.clock.advance_millis(61_000);
    assume(&t, request(unknown())).await.unwrap_err();
    assert_eq!(
        issuer.jwks_reads.load(Ordering::SeqCst),
        2,
        "refetched once"
    );
    assume(&t, request(unknown())).await.unwrap_err();
    assert_eq!(issuer.jwks_reads.load(Ordering::SeqCst), 2);
    // Past the set's lifetime (an hour when the issuer says nothing), the keys are fetched again.
    t.clock.advance_millis(3_600_000);
    let fresh = rsa_token(
        &json!({"iss": issuer.url, "sub": "alice", "aud": "app", "iat": NOW + 3661, "exp": NOW + 4000}),
    );
    assume(&t, request(fresh)).await.unwrap();
    assert_eq!(issuer.jwks_reads.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn tags_in_the_token_become_session_tags_when_the_trust_policy_allows_tagging() {
    let issuer = issuer().await;
    let (t, root, provider_arn) = set_up(&issuer).await;
    let tagged = claims(
        &issuer,
        json!({"https://aws.amazon.com/tags": {
            "principal_tags": {"team": ["blue"], "stage": ["ci"]},
            "transitive_tag_keys": ["team"]
        }}),
    );
    // The trust policy allows the role but not tagging: refused, nothing issued.
    assert_error(
        assume(&t, request(rsa_token(&tagged))).await,
        "AccessDenied",
        "Not authorized to perform sts:AssumeRoleWithWebIdentity",
    );
    assert_eq!(sessions(&t).await, 0);

    let host = host_path(&issuer.url);
    let trust = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": provider_arn},
        "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
        "Condition": {
            "StringEquals": {format!("{host}:sub"): "alice", "aws:RequestTag/team": "blue"},
            "ForAllValues:StringEquals": {"sts:TransitiveTagKeys": ["team"]}
        }
    }]});
    roles::update_assume_role_policy(&t.iam, &root, "ci", &trust.to_string())
        .await
        .unwrap();
    // The role may list users only for sessions tagged team=blue.
    put_role_policy(
        &t,
        &root,
        "ci",
        "by-tag",
        &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}}]})
        .to_string(),
    )
    .await;
    let session =
        assume_role_with_web_identity(&t.iam, RequestInfo::default(), request(rsa_token(&tagged)))
            .await
            .expect("tagged session");
    let key = sts::temporary_key(
        &t.iam,
        &session.credentials.access_key_id,
        Some(&session.credentials.session_token),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(key.caller.session_tags.get("team"), Some("blue"));
    authorize(
        &t.iam,
        &key.caller,
        "iam:ListUsers",
        "arn:aws:iam::123456789012:user/",
        &RequestContext::default(),
    )
    .await
    .expect("the session tag is its PrincipalTag");

    // Role chaining passes the transitive tag on, and only it.
    roles::create_role(
        &t.iam,
        &root,
        CreateRole {
            entity: NewEntity::parse("next", None).unwrap(),
            assume_role_policy_document: json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": ROLE_ARN},
                "Action": ["sts:AssumeRole", "sts:TagSession"]}]})
            .to_string(),
            description: None,
            max_session_duration: None,
            tags: Vec::new(),
            permissions_boundary: None,
        },
    )
    .await
    .unwrap();
    put_role_policy(&t, &root, "ci", "chain", &allow("sts:AssumeRole", "*")).await;
    let (chained, _) = sts::assume_role(
        &t.iam,
        &key.caller,
        sts::AssumeRole {
            role_arn: "arn:aws:iam::123456789012:role/next".into(),
            role_session_name: "chained".into(),
            ..sts::AssumeRole::default()
        },
    )
    .await
    .expect("chain");
    let next = sts::temporary_key(&t.iam, &chained.access_key_id, Some(&chained.session_token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.caller.session_tags.get("team"), Some("blue"));
    assert_eq!(next.caller.session_tags.get("stage"), None);

    // A tags claim IAM would refuse refuses the token.
    let bad = claims(
        &issuer,
        json!({"https://aws.amazon.com/tags": {"principal_tags": {"team": ["a", "b"]}}}),
    );
    assert_eq!(
        assume(&t, request(rsa_token(&bad)))
            .await
            .unwrap_err()
            .code(),
        "InvalidIdentityToken"
    );
}

async fn put_role_policy(t: &TestIam, root: &Caller, role: &str, name: &str, document: &str) {
    ferriam::server::service::policies::inline::put_inline_policy(
        &t.iam,
        root,
        ferriam::server::service::entities::EntityKind::Role,
        role,
        name,
        document,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_role_of_an_account_that_does_not_exist_is_refused_as_one_without_a_provider() {
    let issuer = issuer().await;
    let (t, _root, _) = set_up(&issuer).await;
    let before = audit_events(&t, "999999999999").await.len();
    let mut elsewhere = request(rsa_token(&claims(&issuer, json!({}))));
    elsewhere.role_arn = "arn:aws:iam::999999999999:role/ci".into();
    assert_error(
        assume(&t, elsewhere).await,
        "InvalidIdentityToken",
        &format!(
            "No OpenIDConnect provider found in your account for {}",
            issuer.url
        ),
    );
    t.iam.audit().flush().await;
    assert_eq!(
        audit_events(&t, "999999999999").await.len(),
        before,
        "nothing recorded"
    );
}
