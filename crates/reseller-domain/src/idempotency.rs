//! Idempotency keys: a repeated mutation with the same key, account and operation
//! gets the first answer again and changes nothing; the same key with another
//! request is refused (`IDEMPOTENCY_KEY_REUSED`); keys are remembered for 24 hours.

use crate::error::Violation;
use crate::ids::AccountId;
use crate::text::IdempotencyKey;
use crate::time::Timestamp;

/// How long a key is remembered: 24 hours, in milliseconds.
pub const KEY_TTL_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// Where a key is valid: one account and one operation (method and route).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyScope {
    /// The `wix-account-id` of the call.
    pub account: AccountId,
    /// The operation, for example `"cancel-package"`.
    pub operation: &'static str,
    /// The key.
    pub key: IdempotencyKey,
}

/// A remembered mutation: what was asked, what was answered, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<R, A> {
    /// The request as the operation saw it (compared for equality on replay).
    pub request: R,
    /// The first answer.
    pub answer: A,
    /// When the first answer was given.
    pub at: Timestamp,
}

impl<R, A> Record<R, A> {
    /// Whether the record is past its 24 hours at `now`.
    pub fn expired(&self, now: Timestamp) -> bool {
        now.unix_millis().saturating_sub(self.at.unix_millis()) >= KEY_TTL_MILLIS
    }
}

/// What to do with a mutation that carries a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision<A> {
    /// No live record: apply the mutation and remember its answer.
    Apply,
    /// The same request was answered before: answer this again, change nothing.
    Replay(A),
}

/// Decides a keyed mutation against what is remembered for its [`KeyScope`].
///
/// # Errors
/// `IDEMPOTENCY_KEY_REUSED` when a live record holds a different request.
pub fn decide<R: PartialEq, A: Clone>(
    scope: &KeyScope,
    remembered: Option<&Record<R, A>>,
    request: &R,
    now: Timestamp,
) -> Result<Decision<A>, Violation> {
    match remembered {
        Some(rec) if !rec.expired(now) => {
            if &rec.request == request {
                Ok(Decision::Replay(rec.answer.clone()))
            } else {
                Err(Violation::IdempotencyKeyReused {
                    key: scope.key.as_str().to_owned(),
                })
            }
        }
        _ => Ok(Decision::Apply),
    }
}
