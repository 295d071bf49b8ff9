//! The per-source budget of unsigned requests. AssumeRoleWithWebIdentity needs no signature,
//! so anyone may send it, and each one costs a token signature check (and may cost a fetch
//! from the provider): a source gets a steady rate with a short burst, and no more.

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Sources remembered before the idle ones are forgotten.
const MAX_SOURCES: usize = 50_000;

pub struct UnsignedLimiter {
    /// `None`: unlimited (`--unsigned-requests-per-second 0`, for load tests).
    limiter: Option<DefaultKeyedRateLimiter<String>>,
}

impl UnsignedLimiter {
    pub fn new(per_second: u32) -> Self {
        Self {
            limiter: NonZeroU32::new(per_second).map(|rate| {
                let burst = rate.saturating_mul(NonZeroU32::new(2).expect("2 is not zero"));
                RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
            }),
        }
    }

    /// Whether a request from `source` fits its budget (and spends from it).
    pub fn admit(&self, source: Option<&str>) -> bool {
        let Some(limiter) = &self.limiter else {
            return true;
        };
        if limiter.len() > MAX_SOURCES {
            limiter.retain_recent();
        }
        limiter
            .check_key(&source.unwrap_or_default().to_string())
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_gets_its_burst_then_is_refused_while_others_go_on() {
        let limiter = UnsignedLimiter::new(5);
        let admitted = (0..30).filter(|_| limiter.admit(Some("192.0.2.1"))).count();
        assert!((10..=11).contains(&admitted), "{admitted}");
        assert!(limiter.admit(Some("192.0.2.2")));
        let unlimited = UnsignedLimiter::new(0);
        assert!((0..1000).all(|_| unlimited.admit(Some("192.0.2.1"))));
    }
}
