//! AWS Signature Version 4 verification, pure (no I/O, no clock: the time is a parameter): the
//! `Authorization` header or presigned query parameters, the canonical request, the string to
//! sign, the signing key and a constant-time comparison of the signature.

use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::Sha256;

use crate::server::digest::sha256_hex;

pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// How far the request's time may be from ours, either way.
pub const MAX_SKEW_SECONDS: i64 = 15 * 60;
/// The longest validity a presigned request may ask for (seven days).
pub const MAX_PRESIGNED_EXPIRES: i64 = 604_800;
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// RFC 3986 unreserved characters stay as they are; everything else is `%XX`.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

type HmacSha256 = Hmac<Sha256>;

/// The request as it arrived: the raw (still percent-encoded) path and query string, every
/// header in arrival order (a repeated header appears once per value) and the body.
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl SignedRequest<'_> {
    /// Every value of one header, in arrival order.
    fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Raw query parameters, percent-decoded.
    fn query_pairs(&self) -> Vec<(String, String)> {
        query_pairs(self.query)
    }

    /// The session token of temporary credentials: the `X-Amz-Security-Token` header, or the
    /// query parameter of the same name in a presigned request.
    pub fn security_token(&self) -> Option<String> {
        self.header("x-amz-security-token")
            .map(|token| token.trim().to_string())
            .or_else(|| {
                self.query_pairs()
                    .into_iter()
                    .find(|(k, _)| k == "X-Amz-Security-Token")
                    .map(|(_, v)| v)
            })
    }

    /// True when the request carries SigV4 credentials of either kind.
    pub fn has_credentials(&self) -> bool {
        self.header("authorization").is_some()
            || self
                .query_pairs()
                .iter()
                .any(|(k, _)| k == "X-Amz-Algorithm" || k == "X-Amz-Credential")
    }
}

/// `ACCESS_KEY_ID/DATE/REGION/SERVICE/aws4_request`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    pub access_key_id: String,
    pub date: String,
    pub region: String,
    pub service: String,
}

impl Credential {
    pub fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.date, self.region, self.service
        )
    }
}

/// What a signed request claims: who signed, when, which headers, and the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    pub credential: Credential,
    pub signed_headers: Vec<String>,
    /// SECURITY: compared in constant time, never logged or echoed.
    pub signature: String,
    /// `YYYYMMDD'T'HHMMSS'Z'`.
    pub amz_date: String,
    /// Presigned requests only: seconds of validity from `amz_date`.
    pub expires: Option<i64>,
}

/// Why a request's signature was refused, as AWS names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SigError {
    /// No credentials at all: `MissingAuthenticationToken`.
    Missing,
    /// A malformed header or parameter set: `IncompleteSignature`.
    Incomplete(String),
    /// The signature, its scope or its time does not hold: `SignatureDoesNotMatch`.
    Mismatch(String),
}

pub const SIGNATURE_MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// Reads the claimed authorization from the header, else from presigned query parameters.
pub fn parse(request: &SignedRequest) -> Result<Authorization, SigError> {
    if let Some(header) = request.header("authorization") {
        return parse_header(header, request);
    }
    let pairs = request.query_pairs();
    if pairs.iter().any(|(k, _)| k == "X-Amz-Algorithm") {
        return parse_presigned(&pairs);
    }
    Err(SigError::Missing)
}

fn parse_header(header: &str, request: &SignedRequest) -> Result<Authorization, SigError> {
    let header = header.trim();
    let (algorithm, rest) = header.split_once(' ').unwrap_or((header, ""));
    if algorithm != ALGORITHM {
        return Err(SigError::Incomplete(format!(
            "Unsupported AWS 'algorithm': '{}'.",
            algorithm.chars().take(32).collect::<String>()
        )));
    }
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            // SECURITY: AWS quotes the pair here; Ferriam names only what is wrong.
            return Err(SigError::Incomplete(
                "A component of the Authorization header is not a valid key=value pair (missing equal-sign).".to_string(),
            ));
        };
        match key.trim() {
            "Credential" => credential = Some(value.trim()),
            "SignedHeaders" => signed_headers = Some(value.trim()),
            "Signature" => signature = Some(value.trim()),
            _ => {}
        }
    }
    let amz_date = request.header("x-amz-date").map(|d| d.trim().to_string());
    let mut missing = String::new();
    if credential.is_none() {
        missing.push_str("Authorization header requires 'Credential' parameter. ");
    }
    if signature.is_none() {
        missing.push_str("Authorization header requires 'Signature' parameter. ");
    }
    if signed_headers.is_none() {
        missing.push_str("Authorization header requires 'SignedHeaders' parameter. ");
    }
    if amz_date.is_none() {
        missing.push_str(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
        );
    }
    // SECURITY: AWS appends "Authorization=<the header>"; Ferriam never echoes credentials.
    if let (Some(credential), Some(signed_headers), Some(signature), Some(amz_date)) =
        (credential, signed_headers, signature, amz_date)
    {
        build(credential, signed_headers, signature, amz_date, None)
    } else {
        Err(SigError::Incomplete(missing.trim_end().to_string()))
    }
}

fn parse_presigned(pairs: &[(String, String)]) -> Result<Authorization, SigError> {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let algorithm = get("X-Amz-Algorithm").unwrap_or_default();
    if algorithm != ALGORITHM {
        return Err(SigError::Incomplete(format!(
            "Unsupported AWS 'algorithm': '{}'.",
            algorithm.chars().take(32).collect::<String>()
        )));
    }
    let mut missing = Vec::new();
    for name in [
        "X-Amz-Credential",
        "X-Amz-Signature",
        "X-Amz-SignedHeaders",
        "X-Amz-Date",
    ] {
        if get(name).is_none() {
            missing.push(format!(
                "AWS query-string parameters must include '{name}'."
            ));
        }
    }
    if !missing.is_empty() {
        return Err(SigError::Incomplete(missing.join(" ")));
    }
    let expires = match get("X-Amz-Expires") {
        None => None,
        Some(value) => match value.parse::<i64>() {
            Ok(seconds) if (1..=MAX_PRESIGNED_EXPIRES).contains(&seconds) => Some(seconds),
            _ => {
                return Err(SigError::Incomplete(format!(
                    "X-Amz-Expires must be a whole number of seconds from 1 to {MAX_PRESIGNED_EXPIRES}."
                )))
            }
        },
    };
    build(
        get("X-Amz-Credential").unwrap_or_default(),
        get("X-Amz-SignedHeaders").unwrap_or_default(),
        get("X-Amz-Signature").unwrap_or_default(),
        get("X-Amz-Date").unwrap_or_default().to_string(),
        expires,
    )
    .map(|mut auth| {
        auth.expires = auth.expires.or(Some(MAX_SKEW_SECONDS));
        auth
    })
}

fn build(
    credential: &str,
    signed_headers: &str,
    signature: &str,
    amz_date: String,
    expires: Option<i64>,
) -> Result<Authorization, SigError> {
    let parts: Vec<&str> = credential.split('/').collect();
    if parts.len() != 5 || parts[..4].iter().any(|p| p.is_empty()) {
        return Err(SigError::Incomplete(format!(
            "Credential should have 5 slash-separated parts (access key ID, date, region, service, aws4_request), not {}.",
            parts.len()
        )));
    }
    if parts[4] != "aws4_request" {
        return Err(SigError::Mismatch(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.",
            parts[4].chars().take(32).collect::<String>()
        )));
    }
    let region_ok = parts[2]
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !region_ok {
        return Err(SigError::Mismatch(
            "Credential should be scoped to a valid region.".to_string(),
        ));
    }
    if parse_amz_date(&amz_date).is_none() {
        return Err(SigError::Incomplete(
            "X-Amz-Date must be in the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'.".to_string(),
        ));
    }
    if !amz_date.starts_with(parts[1]) || parts[1].len() != 8 {
        return Err(SigError::Mismatch(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{}'.",
            parts[1].chars().take(16).collect::<String>(),
            &amz_date[..8],
            amz_date
        )));
    }
    let signed_headers: Vec<String> = signed_headers
        .split(';')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    if !signed_headers.iter().any(|h| h == "host") {
        return Err(SigError::Incomplete(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".to_string(),
        ));
    }
    Ok(Authorization {
        credential: Credential {
            access_key_id: parts[0].to_string(),
            date: parts[1].to_string(),
            region: parts[2].to_string(),
            service: parts[3].to_string(),
        },
        signed_headers,
        signature: signature.to_string(),
        amz_date,
        expires,
    })
}

/// Unix seconds of an `YYYYMMDD'T'HHMMSS'Z'` timestamp.
pub fn parse_amz_date(value: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(value, format)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

fn format_amz_date(seconds: i64) -> String {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}

/// Refuses a request signed too long ago or too far ahead (15 minutes either way), or a
/// presigned request past its expiry, with AWS's sentences.
pub fn check_time(auth: &Authorization, now_seconds: i64) -> Result<(), SigError> {
    let signed_at = parse_amz_date(&auth.amz_date)
        .ok_or_else(|| SigError::Incomplete("X-Amz-Date is not a valid date.".to_string()))?;
    if let Some(expires) = auth.expires {
        if now_seconds > signed_at + expires {
            return Err(SigError::Mismatch(format!(
                "Signature expired: {} is now earlier than {} ({} - {expires} sec.)",
                auth.amz_date,
                format_amz_date(now_seconds - expires),
                format_amz_date(now_seconds),
            )));
        }
        if signed_at - now_seconds > MAX_SKEW_SECONDS {
            return Err(not_yet_current(auth, now_seconds));
        }
        return Ok(());
    }
    if now_seconds - signed_at > MAX_SKEW_SECONDS {
        return Err(SigError::Mismatch(format!(
            "Signature expired: {} is now earlier than {} ({} - 15 min.)",
            auth.amz_date,
            format_amz_date(now_seconds - MAX_SKEW_SECONDS),
            format_amz_date(now_seconds),
        )));
    }
    if signed_at - now_seconds > MAX_SKEW_SECONDS {
        return Err(not_yet_current(auth, now_seconds));
    }
    Ok(())
}

fn not_yet_current(auth: &Authorization, now_seconds: i64) -> SigError {
    SigError::Mismatch(format!(
        "Signature not yet current: {} is still later than {} ({} + 15 min.)",
        auth.amz_date,
        format_amz_date(now_seconds + MAX_SKEW_SECONDS),
        format_amz_date(now_seconds),
    ))
}

/// The payload hash the signature covers: always the body's real hash.
/// SECURITY: an `x-amz-content-sha256` header that differs from the body (or says
/// `UNSIGNED-PAYLOAD`) is refused, so a signature never covers a body it did not see.
fn payload_hash(request: &SignedRequest) -> Result<String, SigError> {
    let actual = sha256_hex(request.body);
    match request.header("x-amz-content-sha256").map(str::trim) {
        Some(claimed) if claimed == UNSIGNED_PAYLOAD => Err(SigError::Mismatch(
            "UNSIGNED-PAYLOAD is not accepted by this service; sign the body.".to_string(),
        )),
        Some(claimed) if !claimed.eq_ignore_ascii_case(&actual) => Err(SigError::Mismatch(
            "The provided 'x-amz-content-sha256' header does not match what was computed."
                .to_string(),
        )),
        _ => Ok(actual),
    }
}

/// The canonical URI of a non-S3 service: dot segments and empty segments removed, then each
/// segment encoded (again, when the client sent it encoded — as AWS's signers do).
pub fn canonical_uri(raw_path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in raw_path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut uri = String::from("/");
    uri.push_str(
        &segments
            .iter()
            .map(|s| utf8_percent_encode(s, RFC3986).to_string())
            .collect::<Vec<_>>()
            .join("/"),
    );
    if !segments.is_empty() && raw_path.ends_with('/') {
        uri.push('/');
    }
    uri
}

pub(super) fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|component| !component.is_empty())
        .map(|component| {
            let (key, value) = component.split_once('=').unwrap_or((component, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// Percent-decoding only: in a signed query string `+` is a plus sign.
fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Every parameter re-encoded (RFC 3986) and sorted by key, then value; a presigned
/// request's own signature is left out.
pub fn canonical_query(raw_query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query_pairs(raw_query)
        .into_iter()
        .filter(|(key, _)| key != "X-Amz-Signature")
        .map(|(key, value)| {
            (
                utf8_percent_encode(&key, RFC3986).to_string(),
                utf8_percent_encode(&value, RFC3986).to_string(),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A header value as signed: trimmed, with runs of spaces collapsed to one.
fn canonical_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The canonical request: method, URI, query, the signed headers with their values, the
/// signed header list and the payload hash, one per line.
pub fn canonical_request(
    request: &SignedRequest,
    auth: &Authorization,
) -> Result<String, SigError> {
    let mut headers = String::new();
    for name in &auth.signed_headers {
        let values: Vec<String> = request
            .header_values(name)
            .into_iter()
            .map(canonical_value)
            .collect();
        if values.is_empty() {
            return Err(SigError::Mismatch(format!(
                "The request does not carry the signed header '{name}'."
            )));
        }
        headers.push_str(name);
        headers.push(':');
        headers.push_str(&values.join(","));
        headers.push('\n');
    }
    Ok(format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        canonical_uri(request.path),
        canonical_query(request.query),
        headers,
        auth.signed_headers.join(";"),
        payload_hash(request)?
    ))
}

pub fn string_to_sign(auth: &Authorization, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{}\n{}\n{}",
        auth.amz_date,
        auth.credential.scope(),
        sha256_hex(canonical_request.as_bytes())
    )
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // INVARIANT: HMAC accepts keys of any length, so this never fails.
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
pub fn signing_key(secret: &[u8], credential: &Credential) -> [u8; 32] {
    let mut seed = zeroize::Zeroizing::new(Vec::with_capacity(secret.len() + 4));
    seed.extend_from_slice(b"AWS4");
    seed.extend_from_slice(secret);
    let date = hmac(&seed, credential.date.as_bytes());
    let region = hmac(&date, credential.region.as_bytes());
    let service = hmac(&region, credential.service.as_bytes());
    hmac(&service, b"aws4_request")
}

/// The hex signature of `string_to_sign` under `key`.
pub fn signature(key: &[u8; 32], string_to_sign: &str) -> String {
    hex::encode(hmac(key, string_to_sign.as_bytes()))
}

/// Checks the claimed signature against the one computed with `secret`.
/// SECURITY: the comparison is constant-time (`Mac::verify_slice`).
pub fn verify(
    request: &SignedRequest,
    auth: &Authorization,
    secret: &[u8],
) -> Result<(), SigError> {
    let canonical = canonical_request(request, auth)?;
    let to_sign = string_to_sign(auth, &canonical);
    let key = signing_key(secret, &auth.credential);
    let claimed = hex::decode(&auth.signature)
        .map_err(|_| SigError::Mismatch(SIGNATURE_MISMATCH.to_string()))?;
    let mut mac = HmacSha256::new_from_slice(&key).expect("HMAC takes keys of any length");
    mac.update(to_sign.as_bytes());
    mac.verify_slice(&claimed)
        .map_err(|_| SigError::Mismatch(SIGNATURE_MISMATCH.to_string()))
}

#[cfg(test)]
mod tests;
