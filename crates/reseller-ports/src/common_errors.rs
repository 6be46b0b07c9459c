//! Constructors for the errors written most often (a 503, a 429, a timeout, a
//! business refusal by its Wix code), so a test or a mock says
//! `PortError::unavailable()` rather than spelling out a code and a status.

use std::time::Duration;

use reseller_domain::ErrorCode;
use reseller_domain::error::status_name;

use crate::error::{ErrorKind, PortError};

impl PortError {
    /// 503 `UNAVAILABLE`: the service is down for a moment (retryable).
    ///
    /// ```
    /// use reseller_ports::{ErrorKind, PortError};
    ///
    /// let e = PortError::unavailable();
    /// assert_eq!((e.kind(), e.status()), (ErrorKind::Unavailable, Some(503)));
    /// assert!(e.is_retryable());
    /// ```
    pub fn unavailable() -> Self {
        Self::server(503)
    }

    /// 500 `INTERNAL`: the service failed (retryable).
    pub fn internal() -> Self {
        Self::server(500)
    }

    /// 429 `RESOURCE_EXHAUSTED` asking to wait `retry_after` (retryable).
    pub fn rate_limited(retry_after: Duration) -> Self {
        Self::server(429).with_retry_after(retry_after)
    }

    /// A request sent whose answer never came (a timeout or a broken connection):
    /// it may have been applied.
    pub fn timed_out() -> Self {
        Self::transport(
            ErrorKind::OutcomeUnknown,
            "timed out after sending (the request may have been applied)",
        )
    }

    /// A request that never left the process (connection refused): nothing
    /// happened.
    pub fn not_sent() -> Self {
        Self::transport(ErrorKind::NotSent, "connection refused")
    }

    /// Wix's refusal with `code`, at the status Wix answers it with and its kind.
    ///
    /// ```
    /// use reseller_domain::ErrorCode;
    /// use reseller_ports::{ErrorKind, PortError};
    ///
    /// let taken = PortError::refused(ErrorCode::ProductTypeAlreadyAssigned);
    /// assert_eq!(taken.kind(), ErrorKind::FailedPrecondition);
    /// assert_eq!(taken.status(), Some(428));
    /// assert!(!taken.is_retryable());
    /// ```
    pub fn refused(code: ErrorCode) -> Self {
        let status = code.http_status();
        let message = code.as_str().to_owned();
        Self::from_answer(status, code, message)
    }

    /// 401 `UNAUTHENTICATED`: a missing or unknown API key.
    pub fn unauthenticated() -> Self {
        Self::refused(ErrorCode::Unauthenticated)
    }

    /// 403 `PERMISSION_DENIED`: the key may not do this.
    pub fn permission_denied() -> Self {
        Self::refused(ErrorCode::PermissionDenied)
    }

    fn server(status: u16) -> Self {
        let name = status_name(status);
        Self::from_answer(status, ErrorCode::from_wire(name, status), name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_constructor_has_the_kind_status_and_retry_rule_of_its_answer() {
        for (e, kind, status, retry) in [
            (
                PortError::unavailable(),
                ErrorKind::Unavailable,
                Some(503),
                true,
            ),
            (
                PortError::internal(),
                ErrorKind::Unavailable,
                Some(500),
                true,
            ),
            (
                PortError::rate_limited(Duration::from_secs(1)),
                ErrorKind::RateLimited,
                Some(429),
                true,
            ),
            (
                PortError::timed_out(),
                ErrorKind::OutcomeUnknown,
                None,
                true,
            ),
            (PortError::not_sent(), ErrorKind::NotSent, None, true),
            (
                PortError::unauthenticated(),
                ErrorKind::Unauthenticated,
                Some(401),
                false,
            ),
            (
                PortError::permission_denied(),
                ErrorKind::PermissionDenied,
                Some(403),
                false,
            ),
            (
                PortError::refused(ErrorCode::PackageNotFound),
                ErrorKind::NotFound,
                Some(404),
                false,
            ),
        ] {
            assert_eq!(
                (e.kind(), e.status(), e.is_retryable()),
                (kind, status, retry),
                "{e}"
            );
        }
        assert_eq!(PortError::unavailable().code().as_str(), "UNAVAILABLE");
        assert_eq!(
            PortError::rate_limited(Duration::from_secs(2)).retry_after(),
            Some(Duration::from_secs(2))
        );
        assert!(PortError::timed_out().may_have_been_applied());
    }

    #[test]
    fn recorded_attempts_say_the_retries_were_spent() {
        let plain = PortError::unavailable();
        assert_eq!(
            (plain.attempts(), plain.elapsed(), plain.retries_spent()),
            (1, None, false)
        );
        let spent = PortError::unavailable().with_attempts(4, Duration::from_millis(900));
        assert_eq!(spent.attempts(), 4);
        assert_eq!(spent.elapsed(), Some(Duration::from_millis(900)));
        assert!(spent.retries_spent());
        assert_eq!(
            spent.to_string(),
            "UNAVAILABLE (503): UNAVAILABLE (after 4 attempts in 900ms)"
        );
        assert!(
            !PortError::unavailable()
                .with_attempts(1, Duration::ZERO)
                .to_string()
                .contains("after")
        );
        assert_eq!(
            PortError::not_sent()
                .with_attempts(0, Duration::ZERO)
                .attempts(),
            0
        );
    }
}
