//! Paging of query results: cursor paging (the default) or offset paging, never
//! both, with Wix's limits.

use super::QueryError;
use crate::error::{FieldViolation, RuleType};

/// Largest `limit` of either paging kind.
pub const MAX_LIMIT: u32 = 100;

/// `cursorPaging.limit` when not set (spec R3.2).
pub const DEFAULT_CURSOR_LIMIT: u32 = 100;

/// `paging.limit` when not set (the emulator's choice).
pub const DEFAULT_OFFSET_LIMIT: u32 = 50;

/// How a query pages its results. A `limit` of 0 means "not set" (proto3), as does
/// an empty `cursor`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Paging {
    /// `query.cursorPaging`: keyset pages; `cursor` continues from an earlier page.
    Cursor {
        /// Page size, default [`DEFAULT_CURSOR_LIMIT`], at most [`MAX_LIMIT`].
        limit: Option<u32>,
        /// `metadata.cursors.next` or `.prev` of an earlier answer.
        cursor: Option<String>,
    },
    /// `query.paging`: skip `offset` matches, take `limit`.
    Offset {
        /// Page size, default [`DEFAULT_OFFSET_LIMIT`], at most [`MAX_LIMIT`].
        limit: Option<u32>,
        /// Matches to skip, default 0.
        offset: Option<u32>,
    },
}

impl Default for Paging {
    fn default() -> Self {
        Self::Cursor {
            limit: None,
            cursor: None,
        }
    }
}

impl Paging {
    /// The page size in effect: the limit sent, or the kind's default when it is
    /// absent or 0.
    pub fn limit(&self) -> u32 {
        let (limit, default) = match self {
            Self::Cursor { limit, .. } => (*limit, DEFAULT_CURSOR_LIMIT),
            Self::Offset { limit, .. } => (*limit, DEFAULT_OFFSET_LIMIT),
        };
        match limit {
            None | Some(0) => default,
            Some(n) => n,
        }
    }

    /// The cursor sent, when it is cursor paging with a non-empty cursor.
    pub fn cursor(&self) -> Option<&str> {
        match self {
            Self::Cursor {
                cursor: Some(c), ..
            } if !c.is_empty() => Some(c),
            _ => None,
        }
    }

    /// The offset in effect (0 when absent), for offset paging.
    pub fn offset(&self) -> Option<u32> {
        match self {
            Self::Offset { offset, .. } => Some(offset.unwrap_or(0)),
            Self::Cursor { .. } => None,
        }
    }

    /// Whether this is offset paging.
    pub fn is_offset(&self) -> bool {
        matches!(self, Self::Offset { .. })
    }

    /// The dotted path of this kind's `limit` in the request.
    pub fn limit_path(&self) -> &'static str {
        match self {
            Self::Cursor { .. } => "query.cursorPaging.limit",
            Self::Offset { .. } => "query.paging.limit",
        }
    }

    /// Checks the limit.
    ///
    /// # Errors
    /// [`QueryError::Field`] with [`RuleType::Max`] on the limit's path when it is
    /// above [`MAX_LIMIT`].
    pub fn validate(&self) -> Result<(), QueryError> {
        let limit = match self {
            Self::Cursor { limit, .. } | Self::Offset { limit, .. } => *limit,
        };
        match limit {
            Some(n) if n > MAX_LIMIT => Err(QueryError::Field(FieldViolation::new(
                self.limit_path(),
                RuleType::Max,
                format!("must be at most {MAX_LIMIT}, got {n}"),
            ))),
            _ => Ok(()),
        }
    }
}
