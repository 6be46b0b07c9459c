//! The retry policy: how many attempts, how long to wait between them (exponential
//! backoff with full jitter, or the service's `Retry-After`), and the total time
//! budget of a call; plus the reading of a `Retry-After` header. This module only
//! decides: it never sleeps and never sends.

use std::time::{Duration, SystemTime};

/// When and how often a call is attempted again.
///
/// Only failures that are safe to repeat are ever retried (the client decides
/// which); this policy says how. Before retry number `n` (1 for the first retry)
/// the client waits the service's `Retry-After` when it sent one, else a random
/// delay between zero and `min(max_backoff, initial_backoff * 2^(n-1))` (full
/// jitter). It stops after `max_attempts` attempts, or when the next wait would end
/// beyond the time `budget` counted from the start of the call; every attempt's
/// timeout is also cut to what is left of the budget.
///
/// Defaults: 4 attempts, 200 ms initial backoff, 5 s maximum backoff, 60 s budget.
///
/// ```
/// use std::time::Duration;
/// use adapter_wix_http::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(3)
///     .with_backoff(Duration::from_millis(50), Duration::from_secs(1))
///     .with_budget(Duration::from_secs(10));
/// assert_eq!(policy.max_attempts(), 3);
/// assert_eq!(RetryPolicy::never().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            budget: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry (the default time budget still bounds the call).
    pub fn never() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// At most `attempts` attempts in all, the first included (0 counts as 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry (`initial`, doubled before each further
    /// retry) and its ceiling (`max`, raised to `initial` if below it).
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The total time a call may take, every attempt and wait included.
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff ceiling before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest backoff ceiling.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The total time budget of a call.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// The ceiling of the jittered wait before retry number `retry` (1-based):
    /// `min(max_backoff, initial_backoff * 2^(retry-1))`.
    pub(crate) fn backoff_ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.initial_backoff
            .checked_mul(1_u32 << doublings)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }

    /// How long to wait before retry number `retry` (1-based) of a call that has
    /// run for `elapsed`, or `None` when the call must stop here: the attempts are
    /// used up, or the wait would end at or beyond the budget. `retry_after` is the
    /// service's wish and is honoured as given; otherwise `jitter` picks a delay
    /// between zero and the ceiling it is handed.
    pub(crate) fn wait_before(
        &self,
        retry: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
        jitter: impl FnOnce(Duration) -> Duration,
    ) -> Option<Duration> {
        if retry >= self.max_attempts {
            return None;
        }
        let wait = match retry_after {
            Some(wait) => wait,
            None => {
                let ceiling = self.backoff_ceiling(retry);
                jitter(ceiling).min(ceiling)
            }
        };
        let resumes_at = elapsed.checked_add(wait)?;
        (resumes_at < self.budget).then_some(wait)
    }
}

/// Full jitter: a uniformly random delay between zero and `ceiling`.
pub(crate) fn full_jitter(ceiling: Duration) -> Duration {
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

/// Reads a `Retry-After` value: delay-seconds (`"120"`; a decimal fraction such as
/// `"0.25"` is accepted too) or an HTTP date (`"Wed, 21 Oct 2015 07:28:00 GMT"`),
/// which counts from `now` and is zero when already past. Anything else is `None`.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let seconds: f64 = value.parse().ok()?;
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = chrono::DateTime::<chrono::Utc>::from(now);
    Some(
        at.signed_duration_since(now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests;
