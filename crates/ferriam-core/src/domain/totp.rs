//! Virtual MFA codes (RFC 6238 TOTP: SHA-1, 6 digits, 30-second steps): verification against an
//! injected time, with the replay rule that a step once used is never accepted again.

use totp_rs::{Builder, Secret, Totp};

pub const STEP_SECONDS: u64 = 30;
pub const DIGITS: usize = 6;
/// 160-bit seeds, as AWS's virtual MFA devices use.
pub const SEED_LEN: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    #[error("The code must be 6 digits.")]
    Malformed,
    #[error("The code is not valid.")]
    Invalid,
    #[error("The code has already been used.")]
    Reused,
}

/// The time step a Unix timestamp falls in.
pub fn step_at(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// The code an authenticator shows for `step`. Used by tests and nowhere on a request path.
pub fn code_for_step(seed: &[u8], step: u64) -> Result<String, TotpError> {
    Ok(totp(seed)?.generate(step * STEP_SECONDS).to_string())
}

/// Verifies one code typed at `now`: accepted for the current step and one step either side,
/// and only for a step later than `last_used_step`. Returns the step to store as the new
/// `last_used_step`.
pub fn verify_code(
    seed: &[u8],
    code: &str,
    now: u64,
    last_used_step: u64,
) -> Result<u64, TotpError> {
    let code = well_formed(code)?;
    let totp = totp(seed)?;
    let current = step_at(now);
    let mut replayed = false;
    for step in current.saturating_sub(1)..=current + 1 {
        if matches(&totp, code, step) {
            if step > last_used_step {
                return Ok(step);
            }
            replayed = true;
        }
    }
    Err(if replayed {
        TotpError::Reused
    } else {
        TotpError::Invalid
    })
}

/// Verifies two consecutive codes, as typed when enabling or resynchronising a device: the
/// second must belong to the current step or one either side, the first to the step before it.
/// Returns the second code's step.
pub fn verify_consecutive_codes(
    seed: &[u8],
    first: &str,
    second: &str,
    now: u64,
    last_used_step: u64,
) -> Result<u64, TotpError> {
    let first = well_formed(first)?;
    let second = well_formed(second)?;
    let totp = totp(seed)?;
    let current = step_at(now);
    let mut replayed = false;
    for second_step in current.saturating_sub(1)..=current + 1 {
        let first_step = second_step.saturating_sub(1);
        if first_step == second_step {
            continue;
        }
        if matches(&totp, first, first_step) && matches(&totp, second, second_step) {
            if first_step > last_used_step {
                return Ok(second_step);
            }
            replayed = true;
        }
    }
    Err(if replayed {
        TotpError::Reused
    } else {
        TotpError::Invalid
    })
}

/// Whether `code` has the form of a code (six digits, surrounding spaces allowed): checked
/// before any throttling, as it reveals nothing.
pub fn is_well_formed(code: &str) -> bool {
    well_formed(code).is_ok()
}

fn well_formed(code: &str) -> Result<&str, TotpError> {
    let code = code.trim();
    if code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(TotpError::Malformed)
    }
}

fn matches(totp: &Totp, code: &str, step: u64) -> bool {
    // With zero skew `check` looks at exactly this step; totp-rs compares tokens in constant time.
    totp.check(code, step * STEP_SECONDS).is_some()
}

fn totp(seed: &[u8]) -> Result<Totp, TotpError> {
    Builder::new()
        .with_secret(Secret::from(seed.to_vec()))
        .with_skew(0)
        .build()
        .map_err(|_| TotpError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B seed ("12345678901234567890") and its SHA-1 vectors (last 6 digits).
    const SEED: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc6238_vectors() {
        for (time, code) in [
            (59u64, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(
                code_for_step(SEED, step_at(time)).unwrap(),
                code,
                "t={time}"
            );
        }
    }

    #[test]
    fn window_is_current_step_plus_minus_one() {
        let now = 1_700_000_000;
        let current = step_at(now);
        for (offset, accepted) in [(-2i64, false), (-1, true), (0, true), (1, true), (2, false)] {
            let step = (current as i64 + offset) as u64;
            let code = code_for_step(SEED, step).unwrap();
            let result = verify_code(SEED, &code, now, 0);
            assert_eq!(result.is_ok(), accepted, "offset {offset}");
            if accepted {
                assert_eq!(result.unwrap(), step);
            } else {
                assert_eq!(result, Err(TotpError::Invalid));
            }
        }
    }

    #[test]
    fn a_used_step_is_never_accepted_again() {
        let now = 1_700_000_000;
        let current = step_at(now);
        let code = code_for_step(SEED, current).unwrap();
        let used = verify_code(SEED, &code, now, 0).unwrap();
        assert_eq!(verify_code(SEED, &code, now, used), Err(TotpError::Reused));
        // An older step is refused too, once a newer one was used.
        let older = code_for_step(SEED, current - 1).unwrap();
        assert_eq!(verify_code(SEED, &older, now, used), Err(TotpError::Reused));
        // The next step is fine.
        let next = code_for_step(SEED, current + 1).unwrap();
        assert_eq!(verify_code(SEED, &next, now, used), Ok(current + 1));
    }

    #[test]
    fn malformed_codes() {
        for code in ["", "12345", "1234567", "12345a", "abcdef", "123 456"] {
            assert_eq!(
                verify_code(SEED, code, 1_700_000_000, 0),
                Err(TotpError::Malformed),
                "{code:?}"
            );
        }
        // Surrounding whitespace is forgiven, as people paste codes.
        let now = 1_700_000_000;
        let code = format!(" {} ", code_for_step(SEED, step_at(now)).unwrap());
        assert!(verify_code(SEED, &code, now, 0).is_ok());
    }

    #[test]
    fn consecutive_codes_must_be_in_order_and_adjacent() {
        let now = 1_700_000_000;
        let current = step_at(now);
        let code = |step: u64| code_for_step(SEED, step).unwrap();
        assert_eq!(
            verify_consecutive_codes(SEED, &code(current - 1), &code(current), now, 0),
            Ok(current)
        );
        assert_eq!(
            verify_consecutive_codes(SEED, &code(current), &code(current + 1), now, 0),
            Ok(current + 1)
        );
        assert_eq!(
            verify_consecutive_codes(SEED, &code(current), &code(current - 1), now, 0),
            Err(TotpError::Invalid)
        );
        assert_eq!(
            verify_consecutive_codes(SEED, &code(current - 1), &code(current + 1), now, 0),
            Err(TotpError::Invalid)
        );
        assert_eq!(
            verify_consecutive_codes(SEED, &code(current - 1), &code(current), now, current - 1),
            Err(TotpError::Reused)
        );
        assert_eq!(
            verify_consecutive_codes(SEED, "12345", &code(current), now, 0),
            Err(TotpError::Malformed)
        );
    }
}
