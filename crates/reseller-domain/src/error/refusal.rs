//! [`Refusal`]: every rule an operation broke, the first one deciding the answer.

use std::fmt;

use super::{ErrorCode, Violation};

/// Every rule an operation broke, in the order the rules were checked; the first
/// decides the HTTP status and code of the answer. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    first: Violation,
    rest: Vec<Violation>,
}

impl Refusal {
    /// A refusal for one broken rule.
    pub fn one(v: Violation) -> Self {
        Self {
            first: v,
            rest: Vec::new(),
        }
    }

    /// A refusal for a list of broken rules; `None` when the list is empty.
    pub fn from_vec(mut list: Vec<Violation>) -> Option<Self> {
        if list.is_empty() {
            return None;
        }
        let first = list.remove(0);
        Some(Self { first, rest: list })
    }

    /// The deciding violation.
    pub fn primary(&self) -> &Violation {
        &self.first
    }

    /// Every violation, the deciding one first.
    pub fn all(&self) -> impl Iterator<Item = &Violation> {
        std::iter::once(&self.first).chain(self.rest.iter())
    }

    /// Every violation, owned.
    pub fn into_vec(self) -> Vec<Violation> {
        let mut v = Vec::with_capacity(1 + self.rest.len());
        v.push(self.first);
        v.extend(self.rest);
        v
    }

    /// The code of the deciding violation.
    pub fn code(&self) -> ErrorCode {
        self.first.code()
    }

    /// Whether any violation has this code.
    pub fn has(&self, code: &ErrorCode) -> bool {
        self.all().any(|v| &v.code() == code)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.first.code(),
            self.first.http_status(),
            self.first
        )?;
        for v in &self.rest {
            write!(f, "; also {}: {}", v.code(), v)?;
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}

impl From<Violation> for Refusal {
    fn from(v: Violation) -> Self {
        Self::one(v)
    }
}
