//! Fresh unique IDs for new entities, new access keys and single-use tokens, from the CSPRNG.

use base64::Engine;
use rand::{Rng, RngCore};
use zeroize::Zeroizing;

use crate::domain::unique_id::{random_id, unique_id};

pub fn new_id(prefix: &str) -> String {
    unique_id(prefix, rand::rng().random())
}

/// A new access key: `prefix` (`AKIA` long-term, `ASIA` temporary) and 16 characters, and a
/// 40-character secret.
pub fn new_access_key(prefix: &str) -> (String, Zeroizing<String>) {
    let id = random_id(prefix, &rand::rng().random::<[u8; 16]>());
    let mut secret_bytes = Zeroizing::new([0u8; 30]);
    rand::rng().fill_bytes(secret_bytes.as_mut());
    let secret =
        Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(secret_bytes.as_ref()));
    (id, secret)
}

/// A new 256-bit secret, URL-safe (43 characters): a sign-in token, an OAuth `state`, `nonce`
/// or PKCE verifier.
pub fn new_token() -> String {
    let mut bytes = Zeroizing::new([0u8; 32]);
    rand::rng().fill_bytes(bytes.as_mut());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_keys_have_aws_lengths_and_differ() {
        let (id, secret) = new_access_key("ASIA");
        let (other, other_secret) = new_access_key("ASIA");
        assert!(id.starts_with("ASIA"));
        assert_eq!((id.len(), secret.len()), (20, 40));
        assert_ne!((id, secret), (other, other_secret));
    }

    #[test]
    fn tokens_are_random_and_url_safe() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }
}
