//! A browser's device ID (OWASP's "device cookie"): 256 random bits the browser keeps in an
//! HttpOnly cookie. A principal trusts the ID once a correct password came with it, and a
//! trusted browser then spends its own guessing allowance (see `throttle`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::Rng;

/// Characters of an encoded ID: 32 bytes in unpadded URL-safe base64.
const ENCODED_LEN: usize = 43;

#[derive(Clone, PartialEq, Eq)]
pub struct DeviceId(String);

impl DeviceId {
    pub fn random() -> Self {
        Self(URL_SAFE_NO_PAD.encode(rand::rng().random::<[u8; 32]>()))
    }

    /// The ID a browser sent back, if it is one this server could have issued.
    pub fn parse(text: &str) -> Option<Self> {
        let decoded = URL_SAFE_NO_PAD.decode(text).ok()?;
        (text.len() == ENCODED_LEN && decoded.len() == 32).then(|| Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// SECURITY: the ID is a bearer token for a guessing allowance: it never reaches a log.
impl std::fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceId(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_parse_back_and_differ() {
        let id = DeviceId::random();
        assert_eq!(id.as_str().len(), ENCODED_LEN);
        assert_eq!(DeviceId::parse(id.as_str()), Some(id.clone()));
        assert_ne!(DeviceId::random(), id);
        assert_eq!(format!("{id:?}"), "DeviceId(..)");
    }

    #[test]
    fn anything_else_is_no_id() {
        let valid = DeviceId::random().as_str().to_string();
        for text in [
            "",
            "short",
            &valid[1..],
            &format!("{valid}A"),
            &format!("{}+", &valid[1..]),
            &format!("{}=", &valid[1..]),
            &format!("{}\n", &valid[1..]),
        ] {
            assert_eq!(DeviceId::parse(text), None, "{text:?}");
        }
    }
}
