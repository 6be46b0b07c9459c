//! The documented reseller flows (spec `wix-accounts-and-sites.md` section 5), each
//! a use case with typed input and output over the ports.
//!
//! A flow that fails answers [`Stopped`]: the step it stopped at, why (a
//! [`SafeError`]: a refusal, or a failure whose outcome stayed unknown), and what
//! it left behind, read back from Wix where the spec says the outcome is uncertain.
//! Every flow can be run again with the same input after a failure: the steps
//! already done are found done (create-once by external id, idempotent cancels and
//! assigns, state read before acting) and are not applied twice.

use std::fmt;

use crate::safe::SafeError;

/// A flow that did not finish: where it stopped, why, and the state it left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped<S, L> {
    /// The step that failed.
    pub step: S,
    /// Why it failed.
    pub cause: SafeError,
    /// What the flow left behind (what was done before the step, and what the step
    /// itself is known to have done).
    pub left: L,
}

impl<S: fmt::Display, L: fmt::Display> fmt::Display for Stopped<S, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stopped at {}: {}; left: {}",
            self.step, self.cause, self.left
        )
    }
}

impl<S, L> std::error::Error for Stopped<S, L>
where
    S: fmt::Display + fmt::Debug,
    L: fmt::Display + fmt::Debug,
{
}
