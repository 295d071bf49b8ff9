//! AWS's published SigV4 test suite (tests/data/sigv4/), plus each refusal.

use super::*;

const SECRET: &[u8] = b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2015-08-30T12:36:00Z, the suite's signing time.
const SUITE_TIME: i64 = 1_440_938_160;

struct Vector {
    name: String,
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    creq: String,
    sts: String,
    authz: String,
}

fn suite_dir() -> std::path::PathBuf {
    // Read at run time: a test binary built in another checkout of the same target directory
    // keeps that checkout's compile-time path.
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    root.join("tests/data/sigv4")
}

/// Reads one case in AWS's layout: the `.req` request line, headers, a blank line and the body.
fn load(name: &str) -> Vector {
    let dir = suite_dir().join(name);
    let read = |ext: &str| {
        std::fs::read_to_string(dir.join(format!("{name}.{ext}")))
            .unwrap_or_else(|e| panic!("{name}.{ext}: {e}"))
    };
    let req = read("req");
    let (head, body) = req.split_once("\n\n").unwrap_or((&req, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let method = request_line.split(' ').next().unwrap().to_string();
    // The target may contain a space (get-space): it ends before " HTTP/1.1".
    let target = request_line[method.len() + 1..]
        .strip_suffix(" HTTP/1.1")
        .unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_string(), value.to_string())
        })
        .collect();
    Vector {
        name: name.to_string(),
        method,
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: body.as_bytes().to_vec(),
        creq: read("creq"),
        sts: read("sts"),
        authz: read("authz"),
    }
}

fn all_vectors() -> Vec<Vector> {
    let mut names: Vec<String> = std::fs::read_dir(suite_dir())
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names.iter().map(|name| load(name)).collect()
}

impl Vector {
    fn headers_with_authorization(&self) -> Vec<(String, String)> {
        let mut headers = self.headers.clone();
        headers.push(("Authorization".to_string(), self.authz.clone()));
        headers
    }
}

fn request<'a>(v: &'a Vector, headers: &'a [(String, String)]) -> SignedRequest<'a> {
    SignedRequest {
        method: &v.method,
        path: &v.path,
        query: &v.query,
        headers,
        body: &v.body,
    }
}

#[test]
fn every_vector_of_the_aws_suite_passes() {
    let vectors = all_vectors();
    assert_eq!(vectors.len(), 28, "the suite folder lost or gained a case");
    for v in &vectors {
        let headers = v.headers_with_authorization();
        let req = request(v, &headers);
        let auth = parse(&req).unwrap_or_else(|e| panic!("{}: {e:?}", v.name));
        let creq = canonical_request(&req, &auth).unwrap();
        assert_eq!(creq, v.creq, "{}: canonical request", v.name);
        let sts = string_to_sign(&auth, &creq);
        assert_eq!(sts, v.sts, "{}: string to sign", v.name);
        let key = signing_key(SECRET, &auth.credential);
        assert_eq!(
            format!("Signature={}", signature(&key, &sts)),
            v.authz.rsplit(", ").next().unwrap(),
            "{}: signature",
            v.name
        );
        verify(&req, &auth, SECRET).unwrap_or_else(|e| panic!("{}: {e:?}", v.name));
        check_time(&auth, SUITE_TIME).unwrap();
    }
}

#[test]
fn a_wrong_secret_or_a_changed_request_does_not_verify() {
    let v = load("post-x-www-form-urlencoded");
    let headers = v.headers_with_authorization();
    let req = request(&v, &headers);
    let auth = parse(&req).unwrap();
    assert_eq!(
        verify(&req, &auth, b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEX"),
        Err(SigError::Mismatch(SIGNATURE_MISMATCH.to_string()))
    );
    let tampered = SignedRequest {
        body: b"Param1=value2",
        ..request(&v, &headers)
    };
    assert!(matches!(
        verify(&tampered, &auth, SECRET),
        Err(SigError::Mismatch(_))
    ));
    let mut changed_header = headers.clone();
    changed_header[0].1 = "text/plain".to_string();
    assert!(verify(&request(&v, &changed_header), &auth, SECRET).is_err());
    let mut bad_hex = auth.clone();
    bad_hex.signature = "zz".to_string();
    assert!(verify(&req, &bad_hex, SECRET).is_err());
}

#[test]
fn a_content_hash_header_must_match_the_body() {
    let v = load("post-x-www-form-urlencoded");
    let mut headers = v.headers_with_authorization();
    headers.push((
        "X-Amz-Content-SHA256".to_string(),
        sha256_hex(b"something else"),
    ));
    let req = request(&v, &headers);
    let auth = parse(&req).unwrap();
    assert_eq!(
        canonical_request(&req, &auth),
        Err(SigError::Mismatch(
            "The provided 'x-amz-content-sha256' header does not match what was computed."
                .to_string()
        ))
    );
    headers.pop();
    headers.push((
        "x-amz-content-sha256".to_string(),
        "UNSIGNED-PAYLOAD".to_string(),
    ));
    assert!(canonical_request(&request(&v, &headers), &auth).is_err());
    headers.pop();
    headers.push(("x-amz-content-sha256".to_string(), sha256_hex(&v.body)));
    assert!(verify(&request(&v, &headers), &auth, SECRET).is_ok());
}

fn with_authorization(value: &str) -> Vec<(String, String)> {
    vec![
        ("Host".to_string(), "example.amazonaws.com".to_string()),
        ("X-Amz-Date".to_string(), "20150830T123600Z".to_string()),
        ("Authorization".to_string(), value.to_string()),
    ]
}

fn parse_headers(headers: &[(String, String)]) -> Result<Authorization, SigError> {
    parse(&SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers,
        body: b"",
    })
}

#[test]
fn no_credentials_is_missing_authentication_token() {
    assert_eq!(parse_headers(&[]), Err(SigError::Missing));
}

#[test]
fn malformed_headers_are_incomplete_signatures_in_aws_words() {
    assert_eq!(
        parse_headers(&with_authorization("AWS4-HMAC-SHA256 ")),
        Err(SigError::Incomplete(
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.".to_string()
        ))
    );
    assert_eq!(
        parse_headers(&with_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date"
        )),
        Err(SigError::Incomplete(
            "Authorization header requires 'Signature' parameter.".to_string()
        ))
    );
    let no_date = vec![(
        "Authorization".to_string(),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host, Signature=00".to_string(),
    )];
    assert_eq!(
        parse_headers(&no_date),
        Err(SigError::Incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                .to_string()
        ))
    );
    assert!(matches!(
        parse_headers(&with_authorization("Basic dXNlcjpwYXNz")),
        Err(SigError::Incomplete(message)) if message == "Unsupported AWS 'algorithm': 'Basic'."
    ));
    assert!(matches!(
        parse_headers(&with_authorization("AWS4-HMAC-SHA256 Credential")),
        Err(SigError::Incomplete(message)) if message.contains("missing equal-sign")
    ));
    assert!(matches!(
        parse_headers(&with_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830, SignedHeaders=host, Signature=00"
        )),
        Err(SigError::Incomplete(message)) if message.contains("5 slash-separated parts")
    ));
    assert!(matches!(
        parse_headers(&with_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date, Signature=00"
        )),
        Err(SigError::Incomplete(message)) if message.contains("'Host'")
    ));
}

#[test]
fn scope_errors_are_signature_mismatches() {
    assert_eq!(
        parse_headers(&with_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/service/aws4_request, SignedHeaders=host, Signature=00"
        )),
        Err(SigError::Mismatch(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', from '20150830T123600Z'.".to_string()
        ))
    );
    assert!(matches!(
        parse_headers(&with_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_requests, SignedHeaders=host, Signature=00"
        )),
        Err(SigError::Mismatch(message)) if message.contains("valid terminator")
    ));
    assert!(matches!(
        parse_headers(&with_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/US_EAST/service/aws4_request, SignedHeaders=host, Signature=00"
        )),
        Err(SigError::Mismatch(message)) if message == "Credential should be scoped to a valid region."
    ));
}

#[test]
fn clock_skew_beyond_15_minutes_is_refused_with_aws_sentences() {
    let auth = parse_headers(&with_authorization(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host, Signature=00",
    ))
    .unwrap();
    assert!(check_time(&auth, SUITE_TIME + 15 * 60).is_ok());
    assert!(check_time(&auth, SUITE_TIME - 15 * 60).is_ok());
    assert_eq!(
        check_time(&auth, SUITE_TIME + 20 * 60),
        Err(SigError::Mismatch(
            "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T125600Z - 15 min.)".to_string()
        ))
    );
    assert_eq!(
        check_time(&auth, SUITE_TIME - 20 * 60),
        Err(SigError::Mismatch(
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123100Z (20150830T121600Z + 15 min.)".to_string()
        ))
    );
}

#[test]
fn presigned_requests_verify_and_expire() {
    let query_without_signature = "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host";
    let headers = vec![("Host".to_string(), "example.amazonaws.com".to_string())];
    let unsigned = SignedRequest {
        method: "GET",
        path: "/",
        query: query_without_signature,
        headers: &headers,
        body: b"",
    };
    let mut auth = parse(&SignedRequest {
        query: &format!("{query_without_signature}&X-Amz-Signature=00"),
        ..unsigned
    })
    .unwrap();
    assert_eq!(auth.credential.service, "sts");
    assert_eq!(auth.expires, Some(60));
    let creq = canonical_request(&unsigned, &auth).unwrap();
    assert!(creq.contains("X-Amz-Credential=AKIDEXAMPLE%2F20150830"));
    let sig = signature(
        &signing_key(SECRET, &auth.credential),
        &string_to_sign(&auth, &creq),
    );
    auth.signature = sig.clone();
    let query = format!("{query_without_signature}&X-Amz-Signature={sig}");
    let signed = SignedRequest {
        query: &query,
        ..unsigned
    };
    assert_eq!(parse(&signed).unwrap(), auth);
    assert!(verify(&signed, &auth, SECRET).is_ok());
    assert!(check_time(&auth, SUITE_TIME + 60).is_ok());
    assert!(matches!(
        check_time(&auth, SUITE_TIME + 61),
        Err(SigError::Mismatch(message)) if message.starts_with("Signature expired")
    ));
    assert!(matches!(
        parse(&SignedRequest {
            query: "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            ..unsigned
        }),
        Err(SigError::Incomplete(message)) if message.contains("X-Amz-Credential")
    ));
}

#[test]
fn canonical_uris_normalize_and_encode() {
    assert_eq!(canonical_uri("/"), "/");
    assert_eq!(canonical_uri(""), "/");
    assert_eq!(canonical_uri("/a/./b/../c/"), "/a/c/");
    assert_eq!(canonical_uri("/%20"), "/%2520");
    assert_eq!(canonical_query("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
    assert_eq!(canonical_query("k=a%20b&x=a+b"), "k=a%20b&x=a%2Bb");
}
