//! Fresh unique IDs for new entities and new access keys, from the CSPRNG.

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
}
