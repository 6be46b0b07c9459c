//! The one error every port method returns: a small portable vocabulary
//! ([`ErrorKind`]) that every adapter maps onto, always keeping Wix's code, message
//! and request id, and whether a mutation may have been applied.

use std::fmt;
use std::time::Duration;

use reseller_domain::error::FieldViolation;
use reseller_domain::{ErrorCode, IdempotencyKey, Refusal, Violation};

/// What kind of failure, in terms a caller can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the request is invalid; sending it again will not help.
    InvalidInput,
    /// 401: the API key is missing or unknown.
    Unauthenticated,
    /// 403: the key may not do this.
    PermissionDenied,
    /// 404: the resource does not exist (for this account).
    NotFound,
    /// 409: conflicts with the server's state (a reused idempotency key).
    Conflict,
    /// 428: a business rule refused the request.
    FailedPrecondition,
    /// 429: slow down; see [`PortError::retry_after`].
    RateLimited,
    /// 5xx: the service failed or is unavailable; safe to retry with the same
    /// idempotency key.
    Unavailable,
    /// The request never left this process (connect failure, bad URL): nothing
    /// happened.
    NotSent,
    /// The request may have been applied (timeout or broken connection after
    /// sending, or an answer lost after commit): read back before acting again, or
    /// retry with the same idempotency key.
    OutcomeUnknown,
    /// The service answered something this client cannot read.
    UnreadableAnswer,
    /// Any other status.
    Unexpected,
}

impl ErrorKind {
    /// The kind an HTTP status belongs to.
    pub fn from_status(status: u16) -> Self {
        match status {
            400 => Self::InvalidInput,
            401 => Self::Unauthenticated,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            409 => Self::Conflict,
            428 => Self::FailedPrecondition,
            429 => Self::RateLimited,
            500..=599 => Self::Unavailable,
            _ => Self::Unexpected,
        }
    }
}

/// A failed port call. `Display` gives the Wix code, status, message and request
/// id; no API key ever appears in it. Boxed inside, so a `Result` carrying it stays
/// small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortError(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    code: ErrorCode,
    status: Option<u16>,
    message: String,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    violations: Vec<Violation>,
    field_violations: Vec<FieldViolation>,
    idempotency_key: Option<IdempotencyKey>,
    attempts: Option<u32>,
    elapsed: Elapsed,
}

/// How long the attempts took: a measurement, not part of the error's identity
/// (two errors that differ only in it are equal).
#[derive(Debug, Clone, Copy, Default)]
struct Elapsed(Option<Duration>);

impl PartialEq for Elapsed {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Elapsed {}

impl PortError {
    /// An error of `kind` with Wix's `code` and `message`, as answered with `status`.
    pub fn new(
        kind: ErrorKind,
        code: ErrorCode,
        status: Option<u16>,
        message: impl Into<String>,
    ) -> Self {
        Self(Box::new(Inner {
            kind,
            code,
            status,
            message: message.into(),
            request_id: None,
            retry_after: None,
            violations: Vec::new(),
            field_violations: Vec::new(),
            idempotency_key: None,
            attempts: None,
            elapsed: Elapsed::default(),
        }))
    }

    /// An error read off an HTTP answer: the kind follows the status.
    pub fn from_answer(status: u16, code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::from_status(status), code, Some(status), message)
    }

    /// A transport failure with no answer (`NotSent`, `OutcomeUnknown`,
    /// `UnreadableAnswer`).
    pub fn transport(kind: ErrorKind, message: impl Into<String>) -> Self {
        let code = ErrorCode::Other {
            code: match kind {
                ErrorKind::NotSent => "NOT_SENT",
                ErrorKind::OutcomeUnknown => "OUTCOME_UNKNOWN",
                ErrorKind::UnreadableAnswer => "UNREADABLE_ANSWER",
                _ => "TRANSPORT",
            }
            .to_owned(),
            status: 0,
        };
        Self::new(kind, code, None, message)
    }

    /// Adds the request id Wix answered with.
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.0.request_id = Some(id.into());
        self
    }

    /// Adds the `Retry-After` delay.
    pub fn with_retry_after(mut self, delay: Duration) -> Self {
        self.0.retry_after = Some(delay);
        self
    }

    /// Adds field violations (a 400 validation error).
    pub fn with_field_violations(mut self, v: Vec<FieldViolation>) -> Self {
        self.0.field_violations = v;
        self
    }

    /// Records the idempotency key the request carried, so the caller can retry with it.
    pub fn with_idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.0.idempotency_key = Some(key);
        self
    }

    /// Records that an adapter's own retry policy made `attempts` requests over
    /// `elapsed` for this call before answering with this error (the HTTP client
    /// does, on every error). A caller above must not retry it again: that would
    /// multiply the policy (see [`PortError::retries_spent`]).
    pub fn with_attempts(mut self, attempts: u32, elapsed: Duration) -> Self {
        self.0.attempts = Some(attempts);
        self.0.elapsed = Elapsed(Some(elapsed));
        self
    }

    /// The requests made for the call that failed: what the adapter recorded
    /// ([`PortError::with_attempts`]; 0 when none could be sent), or 1.
    pub fn attempts(&self) -> u32 {
        self.0.attempts.unwrap_or(1)
    }

    /// The time the adapter spent on the call, every attempt and wait included,
    /// when it recorded it.
    pub fn elapsed(&self) -> Option<Duration> {
        self.0.elapsed.0
    }

    /// Whether an adapter's retry policy already decided on this error (it made
    /// its attempts and gave up, or found the error not worth retrying): retrying
    /// it again above would multiply that policy. Errors of adapters without a
    /// retry layer (the in-memory Wix, mocks) answer `false`.
    pub fn retries_spent(&self) -> bool {
        self.0.attempts.is_some()
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// Wix's `details.applicationError.code` (or `INVALID_ARGUMENT` for validation).
    pub fn code(&self) -> &ErrorCode {
        &self.0.code
    }
    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }
    /// Wix's `message`.
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The request id, when the service sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// How long the service asked to wait.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }
    /// Every broken rule, when the adapter knows them typed (in-process adapters).
    pub fn violations(&self) -> &[Violation] {
        &self.0.violations
    }
    /// `validationError.fieldViolations`.
    pub fn field_violations(&self) -> &[FieldViolation] {
        &self.0.field_violations
    }
    /// The idempotency key the failed request carried.
    pub fn idempotency_key(&self) -> Option<&IdempotencyKey> {
        self.0.idempotency_key.as_ref()
    }

    /// Whether the same request may succeed if sent again (with the same
    /// idempotency key for a mutation).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::RateLimited
                | ErrorKind::Unavailable
                | ErrorKind::NotSent
                | ErrorKind::OutcomeUnknown
        )
    }

    /// Whether a mutation may have taken effect although it failed.
    pub fn may_have_been_applied(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::OutcomeUnknown | ErrorKind::Unavailable
        )
    }
}

impl From<Refusal> for PortError {
    fn from(refusal: Refusal) -> Self {
        let code = refusal.code();
        let status = code.http_status();
        let message = refusal.primary().to_string();
        let field_violations = match refusal.primary() {
            Violation::InvalidFields(f) => f.clone(),
            _ => Vec::new(),
        };
        let mut e = Self::from_answer(status, code, message);
        e.0.field_violations = field_violations;
        e.0.violations = refusal.into_vec();
        e
    }
}

impl From<Violation> for PortError {
    fn from(v: Violation) -> Self {
        Refusal::one(v).into()
    }
}

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.status {
            Some(s) => write!(f, "{} ({s})", self.0.code)?,
            None => write!(f, "{:?}", self.0.kind)?,
        }
        if !self.0.message.is_empty() {
            write!(f, ": {}", self.0.message)?;
        }
        for fv in &self.0.field_violations {
            write!(f, "; {} {}: {}", fv.field, fv.rule.as_str(), fv.description)?;
        }
        if let Some(id) = &self.0.request_id {
            write!(f, " [request id {id}]")?;
        }
        match (self.0.attempts, self.0.elapsed.0) {
            (Some(n), Some(took)) if n > 1 => write!(f, " (after {n} attempts in {took:?})")?,
            _ => {}
        }
        Ok(())
    }
}

impl std::error::Error for PortError {}

#[cfg(test)]
mod tests {
    use super::*;
    use reseller_domain::ids::InstanceId;

    #[test]
    fn refusal_keeps_code_status_message_and_every_violation() {
        let id = InstanceId::parse("d3b88a39-f62e-4164-8b29-08369b9ea71c").unwrap();
        let refusal = Refusal::from_vec(vec![
            Violation::ProductInstanceNotFound { instance: id },
            Violation::MissingProductDetails(
                reseller_domain::error::MissingDetail::CatalogProductId,
            ),
        ])
        .unwrap();
        let e = PortError::from(refusal);
        assert_eq!(e.kind(), ErrorKind::FailedPrecondition);
        assert_eq!(e.status(), Some(428));
        assert_eq!(e.code().as_str(), "PRODUCT_INSTANCE_NOT_FOUND");
        assert_eq!(e.violations().len(), 2);
        assert_eq!(
            e.to_string(),
            "PRODUCT_INSTANCE_NOT_FOUND (428): Product instance with id `d3b88a39-f62e-4164-8b29-08369b9ea71c` was not found."
        );
    }

    #[test]
    fn kinds_follow_status_and_retry_rules() {
        for (status, kind, retry) in [
            (400, ErrorKind::InvalidInput, false),
            (401, ErrorKind::Unauthenticated, false),
            (403, ErrorKind::PermissionDenied, false),
            (404, ErrorKind::NotFound, false),
            (409, ErrorKind::Conflict, false),
            (428, ErrorKind::FailedPrecondition, false),
            (429, ErrorKind::RateLimited, true),
            (503, ErrorKind::Unavailable, true),
            (302, ErrorKind::Unexpected, false),
        ] {
            let e = PortError::from_answer(status, ErrorCode::from_wire("X", status), "m");
            assert_eq!(e.kind(), kind, "{status}");
            assert_eq!(e.is_retryable(), retry, "{status}");
        }
        let unknown = PortError::transport(ErrorKind::OutcomeUnknown, "timed out after sending");
        assert!(unknown.may_have_been_applied());
        assert!(unknown.is_retryable());
        assert!(!PortError::transport(ErrorKind::NotSent, "refused").may_have_been_applied());
    }

    #[test]
    fn display_names_request_id_and_field_violations() {
        let e = PortError::from_answer(400, ErrorCode::InvalidArgument, "bad")
            .with_request_id("req-1")
            .with_field_violations(vec![FieldViolation::new(
                "products[0].countryCode",
                reseller_domain::RuleType::RequiredField,
                "countryCode is required",
            )]);
        assert_eq!(
            e.to_string(),
            "INVALID_ARGUMENT (400): bad; products[0].countryCode REQUIRED_FIELD: countryCode is required [request id req-1]"
        );
    }
}
