//! The app layer's retries, and how they sit on the adapter's (one layer only).
//!
//! An adapter with its own retry policy (the HTTP client's `RetryPolicy`) marks
//! every error it gives up with the requests it made and the time they took
//! ([`PortError::retries_spent`]). The safe operations and flows never retry such
//! an error: the client's policy is the one retry layer, and the error they return
//! ([`SafeError::Unresolved`]) says how many requests were made in all and how
//! long the operation took. Errors of adapters without a retry layer (the
//! in-memory Wix, mocks) are retried here under [`Attempts`], so code tested
//! against those behaves as it does against the HTTP client. `docs/retries.md`
//! describes the layering.

use std::time::Duration;

use reseller_ports::{ErrorKind, PortError};
use tokio::time::Instant;

use crate::safe::SafeError;

/// How often an operation is tried when the adapter below does not retry by
/// itself, and how long it waits between tries. Ignored for an error the
/// adapter's own policy already gave up on ([`PortError::retries_spent`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts {
    max: u32,
    pause: Duration,
}

impl Default for Attempts {
    /// 4 tries, waiting 250 ms, then 500 ms, then 1 s.
    fn default() -> Self {
        Self {
            max: 4,
            pause: Duration::from_millis(250),
        }
    }
}

impl Attempts {
    /// Longest wait between two tries, whatever the doubling reaches.
    pub const MAX_PAUSE: Duration = Duration::from_secs(30);

    /// `max` tries (at least 1), the first pause `pause`, doubling after each try.
    pub fn new(max: u32, pause: Duration) -> Self {
        Self {
            max: max.max(1),
            pause,
        }
    }

    /// `max` tries with no wait between them (tests, in-process Wix).
    pub fn immediate(max: u32) -> Self {
        Self::new(max, Duration::ZERO)
    }

    /// One try: leave every retry to the adapter.
    pub fn once() -> Self {
        Self::immediate(1)
    }

    /// The number of tries.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The wait before try `n` (2, 3, ...), at least what the last error's
    /// `Retry-After` asked for.
    pub(crate) fn pause_before(&self, n: u32, last: Option<&PortError>) -> Duration {
        let doubling = 1u32 << n.saturating_sub(2).min(16);
        let pause = self.pause.saturating_mul(doubling).min(Self::MAX_PAUSE);
        match last.and_then(PortError::retry_after) {
            Some(asked) => pause.max(asked.min(Self::MAX_PAUSE)),
            None => pause,
        }
    }
}

/// The tries of one operation: how many were made, the requests its failures
/// cost, the time since it started, and the last failure.
#[derive(Debug)]
pub(crate) struct Tries {
    attempts: Attempts,
    started: Instant,
    tried: u32,
    requests: u32,
    last: Option<PortError>,
}

impl Tries {
    /// An operation starting now.
    pub(crate) fn new(attempts: Attempts) -> Self {
        Self {
            attempts,
            started: Instant::now(),
            tried: 0,
            requests: 0,
            last: None,
        }
    }

    /// Starts the next try, after its pause: `false` when there is none (the tries
    /// are used up, or the last failure was already retried by the adapter).
    pub(crate) async fn next(&mut self) -> bool {
        if self.tried >= self.attempts.max() {
            return false;
        }
        if let Some(last) = &self.last {
            if last.retries_spent() && last.is_retryable() {
                return false;
            }
        }
        self.tried += 1;
        if self.tried > 1 {
            let pause = self.attempts.pause_before(self.tried, self.last.as_ref());
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
        }
        true
    }

    /// The try under way (1 for the first).
    pub(crate) fn number(&self) -> u32 {
        self.tried
    }

    /// Records a failed call of this try.
    pub(crate) fn failed(&mut self, error: PortError) {
        self.requests = self.requests.saturating_add(error.attempts());
        self.last = Some(error);
    }

    /// The error of an operation whose tries ran out.
    pub(crate) fn unresolved(self) -> SafeError {
        SafeError::Unresolved {
            attempts: self.requests,
            elapsed: self.started.elapsed(),
            last: self.last.unwrap_or_else(|| {
                PortError::transport(ErrorKind::OutcomeUnknown, "no try was made")
            }),
        }
    }
}

/// Runs `op` until it answers or is refused, retrying a transient failure only
/// when the adapter did not already (the one retry loop of this crate, for reads
/// and keyed mutations alike).
pub(crate) async fn retry<T, F, Fut>(attempts: Attempts, op: F) -> Result<T, SafeError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, PortError>>,
{
    let mut tries = Tries::new(attempts);
    while tries.next().await {
        match op().await {
            Ok(v) => return Ok(v),
            Err(e) if e.is_retryable() => tries.failed(e),
            Err(e) => return Err(SafeError::Refused(e)),
        }
    }
    Err(tries.unresolved())
}

#[cfg(test)]
mod tests;
