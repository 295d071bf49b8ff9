//! The device cookie on the wire: read from a request's `Cookie` headers and set on a
//! successful password step. HttpOnly and SameSite=Strict; `__Host-` and `Secure` when the
//! server runs with secure cookies (as the session cookie).

use axum::http::{header, HeaderMap, HeaderValue};
use tower_sessions::cookie::{Cookie, SameSite};

use crate::server::service::signin::device_id::DeviceId;
use crate::server::service::signin::throttle::DEVICE_TRUST_DAYS;

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-ferriam-device"
    } else {
        "ferriam-device"
    }
}

/// The device ID the browser sent, if any well-formed one.
pub fn read(headers: &HeaderMap, secure: bool) -> Option<DeviceId> {
    let name = cookie_name(secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|cookie| cookie.name() == name)
        .find_map(|cookie| DeviceId::parse(cookie.value()))
}

/// The `Set-Cookie` value that gives (or renews) the browser its device ID for the trust period.
pub fn set_cookie(device: &DeviceId, secure: bool) -> HeaderValue {
    let cookie = Cookie::build((cookie_name(secure), device.as_str()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::days(DEVICE_TRUST_DAYS))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("a cookie of base64url characters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_set_is_the_cookie_read() {
        for secure in [false, true] {
            let device = DeviceId::random();
            let set = set_cookie(&device, secure);
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            let mut headers = HeaderMap::new();
            headers.insert(
                header::COOKIE,
                HeaderValue::from_str(&format!("other=1; {pair}; x=y")).unwrap(),
            );
            assert_eq!(read(&headers, secure), Some(device));
            // The other mode's cookie name is not this one.
            assert_eq!(read(&headers, !secure), None);
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=15552000"] {
                assert!(set.contains(attribute), "{set}");
            }
            assert_eq!(set.contains("Secure"), secure, "{set}");
            assert_eq!(set.starts_with("__Host-"), secure, "{set}");
        }
    }

    #[test]
    fn a_forged_or_missing_cookie_is_no_device() {
        let mut headers = HeaderMap::new();
        assert_eq!(read(&headers, false), None);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("ferriam-device=not-an-id"),
        );
        assert_eq!(read(&headers, false), None);
    }
}
