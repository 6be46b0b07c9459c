//! The Wix query language of Query Packages (spec section 5): a typed, validated
//! filter ([`Filter`]) over the fields of spec 5.1, its evaluation against a
//! [`Package`](crate::package::Package), sorting ([`Sort`]), cursor and offset paging
//! ([`Paging`]), opaque tamper-evident cursors ([`Cursor`], signed with a
//! [`CursorKey`]), and execution ([`run_query`]).
//!
//! Filters arrive as a JSON-like [`Value`] (the adapters convert their JSON); this
//! module never sees JSON text. Every refusal is a [`QueryError`], which converts
//! into the matching [`Violation`].
//!
//! Choices where Wix documents nothing (spec 11.5, emulator choices table): enum
//! values compare case-sensitively as written on the wire; `$hasSome` / `$hasAll`
//! on object-valued paths compare objects member by member; a filter outside the
//! supported fields and operators, a sort on another field, or both paging kinds
//! are `INVALID_QUERY`; a malformed or altered cursor, or one sent with a filter or
//! a sort, is `INVALID_CURSOR`; offset paging defaults to 50 and returns `total`.

mod base64;
mod build;
mod cursor;
mod eval;
mod exec;
mod field;
mod filter;
mod paging;
mod siphash;
mod sort;
mod value;
mod wire;

#[cfg(test)]
mod tests;

pub use cursor::{Cursor, CursorKey, MAX_CURSOR_CHARS};
pub use exec::{PackageQuery, Plan, QueryPage, Window, run_query};
pub use field::{Field, InstancePath, Operator};
pub(crate) use filter::logical_operands;
pub use filter::{
    ArrayOp, Condition, DateCmp, DateField, Filter, KeyField, KeyOp, MAX_FILTER_DEPTH,
    MAX_FILTER_NODES, MAX_FILTER_TEXT_BYTES, MAX_OPERAND_DEPTH,
};
pub use paging::{DEFAULT_CURSOR_LIMIT, DEFAULT_OFFSET_LIMIT, MAX_LIMIT, Paging};
pub use sort::{Boundary, Direction, Position, Sort, SortField, SortOrder, SortSpec};
pub use value::Value;

use crate::error::{FieldViolation, Violation};

/// Why a query was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// `INVALID_QUERY` (400): a filter on an unknown field, with an operator the
    /// field does not support or an operand of the wrong type, a filter over the
    /// size limits, a sort on a field that is not sortable, or both `paging` and
    /// `cursorPaging`.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// `INVALID_CURSOR` (400): a cursor that is malformed, altered, issued under
    /// another key, or sent together with a filter or a sort.
    #[error("invalid cursor: {0}")]
    InvalidCursor(String),
    /// A field-level validation error (400 `INVALID_ARGUMENT` with
    /// `validationError.fieldViolations`): a limit above 100 (`MAX`), a sort order
    /// other than `ASC`/`DESC` (`INVALID_ENUM_VALUE`).
    #[error("{}: {}", .0.field, .0.description)]
    Field(FieldViolation),
}

impl From<QueryError> for Violation {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::InvalidQuery(reason) => Violation::InvalidQuery { reason },
            QueryError::InvalidCursor(reason) => Violation::InvalidCursor { reason },
            QueryError::Field(fv) => Violation::InvalidFields(vec![fv]),
        }
    }
}
