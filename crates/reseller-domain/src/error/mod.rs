//! The rule violations and their Wix error codes. [`ErrorCode`] is the data-less
//! code with its HTTP status (one variant per code and status of the spec tables and
//! of the emulator's choices); [`Violation`] is one broken rule with its data and
//! Wix's message template; [`Refusal`] is the non-empty list of every rule an
//! operation broke, the first one deciding the answer.
//!
//! One file per part: `code` (the codes table), `field` (400 field violations),
//! `violation` (the broken rules and their messages), `refusal` (the list an
//! operation answers).

mod code;
mod field;
mod refusal;
mod violation;

pub use code::{ErrorCode, status_name};
pub use field::{FieldViolation, RuleType};
pub use refusal::Refusal;
pub use violation::{MissingDetail, ReferenceProblem, Violation};
