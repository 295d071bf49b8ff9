//! Fuzzes the SigV4 front of the Query API: arbitrary bytes become the Authorization header,
//! the query string (presigned form), the date and the path; parsing, canonicalization, the
//! clock check and verification must never panic, and a parsed credential scope always has its
//! five parts.

#![no_main]

use libfuzzer_sys::fuzz_target;

use ferriam::server::query_api::sigv4::{self, SignedRequest};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Split the input into the pieces of a request, so one input drives several of them.
    let mut parts = text.splitn(4, '\u{0}');
    let authorization = parts.next().unwrap_or_default();
    let query = parts.next().unwrap_or_default();
    let amz_date = parts.next().unwrap_or_default();
    let path = parts.next().unwrap_or("/");
    let headers = vec![
        ("host".to_string(), "ferriam.test".to_string()),
        ("authorization".to_string(), authorization.to_string()),
        ("x-amz-date".to_string(), amz_date.to_string()),
        ("x-amz-security-token".to_string(), query.to_string()),
    ];
    for (headers, query) in [(&headers[..], ""), (&headers[..1], query), (&headers[..], query)] {
        let request = SignedRequest {
            method: "POST",
            path,
            query,
            headers,
            body: data,
        };
        let _ = request.has_credentials();
        let _ = request.security_token();
        let _ = sigv4::canonical_uri(path);
        let _ = sigv4::canonical_query(query);
        if let Ok(auth) = sigv4::parse(&request) {
            assert!(!auth.credential.access_key_id.is_empty());
            let _ = sigv4::check_time(&auth, 1_795_305_615);
            let _ = sigv4::verify(&request, &auth, b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        }
    }
    let _ = sigv4::parse_amz_date(amz_date);
});
