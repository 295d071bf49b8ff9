//! AWS-style unique IDs: a four-letter prefix naming the entity type and 17 random characters
//! from `A-Z` and `2-7`, 21 characters in all (e.g. `AIDAJQABLZS4A3QDU576Q`).

pub const USER_PREFIX: &str = "AIDA";
pub const GROUP_PREFIX: &str = "AGPA";
pub const ROLE_PREFIX: &str = "AROA";
pub const POLICY_PREFIX: &str = "ANPA";
pub const INSTANCE_PROFILE_PREFIX: &str = "AIPA";
const SUFFIX_LEN: usize = 17;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Builds an ID from `prefix` and random bytes (the caller supplies the randomness).
pub fn unique_id(prefix: &str, random: [u8; SUFFIX_LEN]) -> String {
    random_id(prefix, &random)
}

/// `prefix` and one character of `A-Z2-7` per random byte (access key IDs have 16).
pub fn random_id(prefix: &str, random: &[u8]) -> String {
    let mut id = String::with_capacity(prefix.len() + random.len());
    id.push_str(prefix);
    id.extend(
        random
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])),
    );
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_aws_shape() {
        let id = unique_id(
            USER_PREFIX,
            [
                0, 1, 25, 26, 31, 32, 255, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            ],
        );
        assert_eq!(id.len(), 21);
        assert!(id.starts_with("AIDA"));
        assert!(id[4..].bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(&id[4..9], "ABZ27");
    }
}
