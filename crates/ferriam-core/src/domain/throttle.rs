//! Guessing throttles as pure rules: how many failures are free, how long the lock after each
//! further failure lasts (doubling from a first delay up to a cap), and an optional cap on
//! failures per fixed one-hour window. Time is a parameter; the store keeps the counters.

pub const HOUR_MILLIS: i64 = 60 * 60 * 1000;

/// The limits of one kind of throttled key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Failures in a row that cost nothing.
    pub free_failures: i64,
    /// The lock after the first failure past the free ones; each further failure doubles it.
    pub first_delay_millis: i64,
    pub max_delay_millis: i64,
    /// At most this many failures per one-hour window; further attempts wait for the next.
    pub hourly_cap: Option<i64>,
}

/// One key's counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counter {
    pub consecutive_failures: i64,
    pub window_started_at: i64,
    pub window_failures: i64,
    pub locked_until: i64,
}

impl Rule {
    /// How long the lock lasts once `failures` failures happened in a row.
    pub fn delay_after(&self, failures: i64) -> i64 {
        if failures < self.free_failures {
            return 0;
        }
        let doublings = (failures - self.free_failures).min(40) as u32;
        self.first_delay_millis
            .saturating_mul(1_i64 << doublings)
            .min(self.max_delay_millis)
    }

    /// Whether an attempt now is refused without being checked.
    pub fn refuses(&self, counter: &Counter, now: i64) -> bool {
        now < counter.locked_until || self.cap_reached(counter, now)
    }

    fn cap_reached(&self, counter: &Counter, now: i64) -> bool {
        self.hourly_cap.is_some_and(|cap| {
            now - counter.window_started_at < HOUR_MILLIS && counter.window_failures >= cap
        })
    }

    /// The counters once one more attempt failed at `now`.
    pub fn after_failure(&self, counter: Option<Counter>, now: i64) -> Counter {
        let mut next = counter.unwrap_or(Counter {
            consecutive_failures: 0,
            window_started_at: now,
            window_failures: 0,
            locked_until: 0,
        });
        if now - next.window_started_at >= HOUR_MILLIS {
            next.window_started_at = now;
            next.window_failures = 0;
        }
        next.consecutive_failures += 1;
        next.window_failures += 1;
        let delay = self.delay_after(next.consecutive_failures);
        next.locked_until = if delay > 0 { now + delay } else { 0 };
        next
    }

    /// The same limits without the hourly cap.
    pub fn without_cap(self) -> Rule {
        Rule {
            hourly_cap: None,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Rule = Rule {
        free_failures: 5,
        first_delay_millis: 1_000,
        max_delay_millis: 30_000,
        hourly_cap: Some(100),
    };

    #[test]
    fn delays_double_after_the_free_failures_up_to_the_cap() {
        let cases = [
            (0, 0),
            (4, 0),
            (5, 1_000),
            (6, 2_000),
            (7, 4_000),
            (9, 16_000),
            (10, 30_000),
            (1_000, 30_000),
        ];
        for (failures, delay) in cases {
            assert_eq!(RULE.delay_after(failures), delay, "after {failures}");
        }
    }

    #[test]
    fn the_fifth_failure_locks_and_the_lock_ends() {
        let mut counter = None;
        for _ in 0..4 {
            counter = Some(RULE.after_failure(counter, 0));
            assert!(!RULE.refuses(&counter.unwrap(), 0));
        }
        let locked = RULE.after_failure(counter, 0);
        assert!(RULE.refuses(&locked, 999));
        assert!(!RULE.refuses(&locked, 1_000));
    }

    #[test]
    fn the_hourly_cap_holds_until_the_window_ends() {
        let mut counter = RULE.after_failure(None, 0);
        for minute in 1..100 {
            counter = RULE.after_failure(Some(counter), minute * 30_000);
        }
        assert_eq!(counter.window_failures, 100);
        let past_lock = counter.locked_until + 1;
        assert!(RULE.refuses(&counter, past_lock));
        assert!(!RULE.without_cap().refuses(&counter, past_lock));
        assert!(!RULE.refuses(&counter, HOUR_MILLIS));
        let next = RULE.after_failure(Some(counter), HOUR_MILLIS);
        assert_eq!(
            (next.window_started_at, next.window_failures),
            (HOUR_MILLIS, 1)
        );
    }
}
