//! Console passwords generated for new users: at least 20 characters (more when the policy asks
//! for more), with every kind of character, so any password policy accepts them. Pure: the
//! random bytes are a parameter.

use super::password_policy::{PasswordPolicy, SYMBOLS};

const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const DIGITS: &str = "0123456789";
const GENERATED_LENGTH: usize = 20;

/// How long a generated password is under `policy`.
pub fn generated_length(policy: Option<&PasswordPolicy>) -> usize {
    policy
        .map(|p| p.minimum_password_length as usize)
        .unwrap_or(0)
        .max(GENERATED_LENGTH)
}

/// How many random bytes `generate` needs for `length` characters.
pub fn random_bytes_needed(length: usize) -> usize {
    length * 4
}

fn pick(alphabet: &str, random: [u8; 2]) -> char {
    let chars: Vec<char> = alphabet.chars().collect();
    // Two bytes per pick keep the modulo bias below 0.2 %.
    chars[usize::from(u16::from_be_bytes(random)) % chars.len()]
}

/// A password of `length` characters (at least 4) from `random`, which must hold
/// `random_bytes_needed(length)` bytes.
pub fn generate(length: usize, random: &[u8]) -> String {
    assert!(length >= 4 && random.len() >= random_bytes_needed(length));
    let all = format!("{UPPER}{LOWER}{DIGITS}{SYMBOLS}");
    let mut pairs = random.chunks_exact(2).map(|c| [c[0], c[1]]);
    let mut next = || pairs.next().expect("enough random bytes");
    let mut chars: Vec<char> = [UPPER, LOWER, DIGITS, SYMBOLS]
        .into_iter()
        .map(|alphabet| pick(alphabet, next()))
        .collect();
    while chars.len() < length {
        chars.push(pick(&all, next()));
    }
    // Fisher–Yates, so the guaranteed kinds are not always first.
    for i in (1..chars.len()).rev() {
        let j = usize::from(u16::from_be_bytes(next())) % (i + 1);
        chars.swap(i, j);
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::password_policy::check_password;

    fn strict(min: u32) -> PasswordPolicy {
        PasswordPolicy {
            minimum_password_length: min,
            require_symbols: true,
            require_numbers: true,
            require_uppercase_characters: true,
            require_lowercase_characters: true,
            ..PasswordPolicy::default()
        }
    }

    #[test]
    fn generated_passwords_meet_every_policy() {
        for (seed, policy) in [(1u8, None), (7, Some(strict(12))), (200, Some(strict(64)))] {
            let length = generated_length(policy.as_ref());
            let random: Vec<u8> = (0..random_bytes_needed(length))
                .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
                .collect();
            let password = generate(length, &random);
            assert_eq!(password.chars().count(), length);
            assert_eq!(check_password(policy.as_ref(), &password, &[]), Ok(()));
            assert_eq!(check_password(None, &password, &[]), Ok(()));
        }
    }

    #[test]
    fn different_random_bytes_give_different_passwords() {
        let a = generate(20, &[3; 80]);
        let b: Vec<u8> = (0..80).collect();
        assert_ne!(a, generate(20, &b));
    }
}
