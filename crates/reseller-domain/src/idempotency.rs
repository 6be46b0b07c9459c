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
// An adapter internal: public only because the adapters (adapter-memory) build on
// it; no reseller's backend needs it, so it stays out of the documented API.
#[doc(hidden)]
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

/// 128-bit FNV-1a: a stable hash (the same in every build, version and machine),
/// for idempotency keys derived from the caller's own data.
pub fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u128::from(*b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod fnv_tests {
    use super::fnv1a_128;

    #[test]
    fn fnv1a_128_matches_the_published_vectors() {
        // The empty input hashes to the offset basis.
        assert_eq!(fnv1a_128(b""), 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d);
        assert_eq!(fnv1a_128(b"a"), 0xd228_cb69_6f1a_8caf_7891_2b70_4e4a_8964);
    }
}
