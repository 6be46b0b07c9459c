//! A validated package query and its execution over the packages a caller may see:
//! filter, sort, then a keyset page (cursor paging) or a skip/take page (offset
//! paging).

use super::QueryError;
use super::cursor::{Cursor, CursorKey, encode_parts};
use super::filter::Filter;
use super::paging::Paging;
use super::sort::{Boundary, Direction, Position, Sort};
use super::value::Value;
use crate::package::Package;

/// A validated Query Packages request (`query.filter`, `query.sort`,
/// `query.cursorPaging` / `query.paging`).
#[derive(Debug, Clone, PartialEq)]
pub struct PackageQuery {
    filter: Option<Filter>,
    sort: Sort,
    paging: Paging,
}

impl PackageQuery {
    /// Validates a request as sent.
    ///
    /// - `filter`: `query.filter`; `None`, `null` and `{}` all mean "no filter".
    /// - `sort`: the `query.sort` entries as `(fieldName, order)`; a missing order
    ///   means `ASC`; no entries means `createdDate` `DESC`.
    /// - `paging`: every paging member the request carries: `query.cursorPaging`
    ///   as [`Paging::Cursor`], `query.paging` as [`Paging::Offset`]; none means
    ///   cursor paging with the default limit.
    ///
    /// Checks, in this order: more than one paging member (`INVALID_QUERY`); a
    /// limit above 100 ([`QueryError::Field`], rule `MAX`, on
    /// `query.cursorPaging.limit` or `query.paging.limit`); a cursor sent with a
    /// filter or a sort ([`QueryError::InvalidCursor`]); the filter
    /// ([`Filter::from_value`]); the sort ([`Sort::from_wire`]). The cursor itself
    /// is verified when the query runs ([`PackageQuery::resolve`]), because that
    /// needs the key.
    ///
    /// # Errors
    /// The [`QueryError`] of the first check that fails.
    pub fn new(
        filter: Option<Value>,
        sort: Vec<(String, Option<String>)>,
        paging: Vec<Paging>,
    ) -> Result<Self, QueryError> {
        let mut paging = paging.into_iter();
        let first = paging.next();
        if paging.next().is_some() {
            return Err(QueryError::InvalidQuery(
                "query.paging and query.cursorPaging cannot be used together".to_owned(),
            ));
        }
        let paging = first.unwrap_or_default();
        paging.validate()?;
        let filter = filter.filter(|f| !is_empty_filter(f));
        if paging.cursor().is_some() && (filter.is_some() || !sort.is_empty()) {
            return Err(cursor_with_query());
        }
        let filter = filter
            .as_ref()
            .map(Filter::from_value)
            .transpose()?
            .filter(|f| !f.is_everything());
        let sort = Sort::from_wire(&sort)?;
        Ok(Self {
            filter,
            sort,
            paging,
        })
    }

    /// A query from typed parts (`sort: None` means the default sort).
    ///
    /// # Errors
    /// As [`PackageQuery::new`]: a limit above 100, a cursor with a filter or a
    /// sort, a filter over the limits ([`Filter::check_limits`]).
    pub fn from_parts(
        filter: Option<Filter>,
        sort: Option<Sort>,
        paging: Paging,
    ) -> Result<Self, QueryError> {
        paging.validate()?;
        if paging.cursor().is_some() && (filter.is_some() || sort.is_some()) {
            return Err(cursor_with_query());
        }
        if let Some(f) = &filter {
            f.check_limits()?;
        }
        Ok(Self {
            filter: filter.filter(|f| !f.is_everything()),
            sort: sort.unwrap_or_default(),
            paging,
        })
    }

    /// A query of parts already known to be valid (no cursor, a limit within
    /// 1..=100, a filter within the limits): the typed helpers of `build`.
    pub(super) fn checked(filter: Option<Filter>, sort: Sort, paging: Paging) -> Self {
        Self {
            filter: filter.filter(|f| !f.is_everything()),
            sort,
            paging,
        }
    }

    /// The filter sent (`None`: no filter; with a cursor, the cursor's applies).
    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    /// The sort sent, or the default (with a cursor, the cursor's applies).
    pub fn sort(&self) -> &Sort {
        &self.sort
    }

    /// The paging.
    pub fn paging(&self) -> &Paging {
        &self.paging
    }

    /// What the query asks for once its cursor, if any, is verified and opened:
    /// the filter and sort in effect and the page window.
    ///
    /// # Errors
    /// [`QueryError::InvalidCursor`] when the cursor does not verify under `key`.
    pub fn resolve(&self, key: &CursorKey) -> Result<Plan, QueryError> {
        let limit = self.paging.limit();
        match &self.paging {
            Paging::Offset { .. } => Ok(Plan {
                filter: self.filter.clone(),
                sort: self.sort.clone(),
                window: Window::Offset {
                    limit,
                    offset: self.paging.offset().unwrap_or(0),
                },
            }),
            Paging::Cursor { .. } => match self.paging.cursor() {
                None => Ok(Plan {
                    filter: self.filter.clone(),
                    sort: self.sort.clone(),
                    window: Window::Cursor {
                        limit,
                        boundary: None,
                    },
                }),
                Some(text) => {
                    let cursor = Cursor::decode(text, key)?;
                    Ok(Plan {
                        filter: cursor.filter,
                        sort: cursor.sort,
                        window: Window::Cursor {
                            limit,
                            boundary: Some(cursor.boundary),
                        },
                    })
                }
            },
        }
    }
}

fn cursor_with_query() -> QueryError {
    QueryError::InvalidCursor(
        "a request with cursorPaging.cursor cannot also carry filter or sort".to_owned(),
    )
}

fn is_empty_filter(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(members) => members.is_empty(),
        _ => false,
    }
}

/// A resolved query: the filter and sort in effect, and which page to take.
// An adapter internal: public only because the adapters (adapter-memory) build on
// it; no reseller's backend needs it, so it stays out of the documented API.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The filter in effect (`None`: every package matches).
    pub filter: Option<Filter>,
    /// The sort in effect.
    pub sort: Sort,
    /// The page to take from the sorted matches.
    pub window: Window,
}

/// Which page of the sorted matches a query takes.
// An adapter internal: public only because the adapters (adapter-memory) build on
// it; no reseller's backend needs it, so it stays out of the documented API.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Window {
    /// Keyset paging: the first `limit` matches (no boundary), the first `limit`
    /// after a boundary ([`Direction::Next`]) or the last `limit` before it
    /// ([`Direction::Prev`]).
    Cursor {
        /// Page size (1..=100).
        limit: u32,
        /// The boundary from the cursor, if one was sent.
        boundary: Option<Boundary>,
    },
    /// Offset paging: skip `offset`, take `limit`.
    Offset {
        /// Page size (1..=100).
        limit: u32,
        /// Matches skipped.
        offset: u32,
    },
}

/// One page of query results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPage<'a> {
    /// The packages of the page, in sort order.
    pub packages: Vec<&'a Package>,
    /// `metadata.cursors.next`: present when more matches follow the page.
    pub next_cursor: Option<String>,
    /// `metadata.cursors.prev`: present when matches precede the page.
    pub prev_cursor: Option<String>,
    /// `metadata.total`: the number of matches (offset paging only).
    pub total: Option<u64>,
    /// `metadata.offset`: the offset in effect (offset paging only).
    pub offset: Option<u32>,
}

impl Plan {
    /// Whether `package` matches the filter in effect.
    pub fn matches(&self, package: &Package) -> bool {
        self.filter.as_ref().is_none_or(|f| f.matches(package))
    }

    /// The page, given every match in sort order (as [`Sort::compare`] orders them
    /// under [`Plan::sort`]). Cursors are signed with `key`; each carries the
    /// filter, the sort and the boundary item of this page.
    pub fn page<'a>(&self, sorted_matches: &[&'a Package], key: &CursorKey) -> QueryPage<'a> {
        let len = sorted_matches.len();
        match &self.window {
            Window::Offset { limit, offset } => QueryPage {
                packages: sorted_matches
                    .iter()
                    .skip(to_usize(*offset))
                    .take(to_usize(*limit))
                    .copied()
                    .collect(),
                next_cursor: None,
                prev_cursor: None,
                total: Some(u64::try_from(len).unwrap_or(u64::MAX)),
                offset: Some(*offset),
            },
            Window::Cursor { limit, boundary } => {
                let limit = to_usize(*limit).max(1);
                let (start, end) = match boundary {
                    None => (0, limit.min(len)),
                    Some(b) if b.direction == Direction::Next => {
                        let start = sorted_matches.partition_point(|p| !b.admits(&self.sort, p));
                        (start, start.saturating_add(limit).min(len))
                    }
                    Some(b) => {
                        let end = sorted_matches.partition_point(|p| b.admits(&self.sort, p));
                        (end.saturating_sub(limit), end)
                    }
                };
                let packages: Vec<&'a Package> =
                    sorted_matches.get(start..end).unwrap_or_default().to_vec();
                let (prev, next) = match (packages.first(), packages.last(), boundary) {
                    (Some(first), Some(last), _) => (
                        Boundary::exclusive(Position::of(&self.sort, first), Direction::Prev),
                        Boundary::exclusive(Position::of(&self.sort, last), Direction::Next),
                    ),
                    // An empty page (the matches changed since the cursor was made):
                    // the cursors turn around at the boundary that was asked for.
                    (_, _, Some(b)) => (
                        Boundary {
                            position: b.position.clone(),
                            direction: Direction::Prev,
                            inclusive: !b.inclusive,
                        },
                        Boundary {
                            position: b.position.clone(),
                            direction: Direction::Next,
                            inclusive: !b.inclusive,
                        },
                    ),
                    _ => {
                        return QueryPage {
                            packages,
                            next_cursor: None,
                            prev_cursor: None,
                            total: None,
                            offset: None,
                        };
                    }
                };
                let encode = |b: &Boundary| encode_parts(self.filter.as_ref(), &self.sort, b, key);
                QueryPage {
                    packages,
                    next_cursor: (end < len).then(|| encode(&next)),
                    prev_cursor: (start > 0).then(|| encode(&prev)),
                    total: None,
                    offset: None,
                }
            }
        }
    }
}

fn to_usize(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Runs a query over the packages the caller may see (in any order): verifies the
/// cursor, filters, sorts, and takes the page.
///
/// Cursor paging is keyset paging: following `next_cursor` from the first page
/// visits every match exactly once, in order, even when the limit changes from one
/// page to the next; `prev_cursor` pages back the same way. Offset paging returns
/// `total` and `offset` and no cursors.
///
/// # Errors
/// [`QueryError::InvalidCursor`] when the query's cursor does not verify under `key`.
pub fn run_query<'a>(
    query: &PackageQuery,
    key: &CursorKey,
    visible: impl IntoIterator<Item = &'a Package>,
) -> Result<QueryPage<'a>, QueryError> {
    let plan = query.resolve(key)?;
    let mut matches: Vec<&'a Package> = visible.into_iter().filter(|p| plan.matches(p)).collect();
    matches.sort_by(|a, b| plan.sort.compare(a, b));
    Ok(plan.page(&matches, key))
}
