//! A validated Query Sites or Count Sites request, its plan (what a page needs once
//! the cursor is opened), and the reference execution over the header account's
//! sites that every adapter's indexed execution must equal.

use crate::ids::{AccountId, SiteId};
use crate::query::{CursorKey, Paging, QueryError, Value};
use crate::world::{Site, WorldView};

use super::cursor::SitesCursor;
use super::filter::{Endpoint, SiteField, SiteFilter, default_namespace, default_state};
use super::kinds::SiteState;
use super::order::{SiteSort, SortKey};
use super::row::SiteRow;

/// Default `cursorPaging.limit` of Query Sites.
pub const SITES_DEFAULT_LIMIT: u32 = 50;
/// Largest `cursorPaging.limit` of Query Sites.
pub const SITES_MAX_LIMIT: u32 = 100;
/// How many matches of one query Query Sites can reach (Wix's documented limit).
pub const SITES_REACHABLE: u32 = 1000;

/// The filter a site must pass: the request's filter, and, when it names neither,
/// `namespace` `WIX` (Query Sites only) and `state` `ACTIVE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteMatcher {
    filter: Option<SiteFilter>,
    wix_only: bool,
    active_only: bool,
}

impl SiteMatcher {
    /// The matcher of a parsed filter: the defaults apply to what it does not name.
    pub fn new(filter: Option<SiteFilter>) -> Self {
        let names = |f| filter.as_ref().is_some_and(|x| x.mentions(f));
        Self {
            wix_only: !names(SiteField::Namespace),
            active_only: !names(SiteField::State),
            filter,
        }
    }

    /// Whether `row` is answered.
    pub fn matches(&self, row: &SiteRow<'_>) -> bool {
        (!self.wix_only || default_namespace().matches(row))
            && (!self.active_only || default_state().matches(row))
            && self.filter.as_ref().is_none_or(|f| f.matches(row))
    }
}

fn parse_filter(
    filter: Option<&Value>,
    endpoint: Endpoint,
) -> Result<Option<SiteFilter>, QueryError> {
    filter
        .filter(|v| !v.is_null())
        .map(|v| SiteFilter::parse(v, endpoint))
        .transpose()
        .map(Option::flatten)
}

/// A validated Query Sites request. `Default` is the first page of the default
/// query (no filter, `createdDate` `DESC`, 50 per page).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteQuery {
    filter: Option<Value>,
    parsed: Option<SiteFilter>,
    sort: Option<SiteSort>,
    limit: Option<u32>,
    cursor: Option<String>,
}

impl SiteQuery {
    /// Validates a request as sent: `query.filter`, the `query.sort` entries as
    /// `(fieldName, order)`, and every paging member (`query.cursorPaging` as
    /// [`Paging::Cursor`], `query.paging` as [`Paging::Offset`]).
    ///
    /// # Errors
    /// `INVALID_QUERY` for offset paging (cursor paging only), a filter
    /// [`SiteFilter::parse`] refuses, or a sort [`SiteSort::from_wire`] refuses; a
    /// `MAX` field violation on `query.cursorPaging.limit` above 100;
    /// `INVALID_CURSOR` for a cursor sent with a filter or a sort.
    pub fn new(
        filter: Option<Value>,
        sort: Vec<(String, Option<String>)>,
        paging: Vec<Paging>,
    ) -> Result<Self, QueryError> {
        let mut limit = None;
        let mut cursor = None;
        for p in paging {
            match p {
                Paging::Offset { .. } => {
                    return Err(QueryError::InvalidQuery(
                        "Query Sites pages with cursorPaging only; paging is not supported"
                            .to_owned(),
                    ));
                }
                Paging::Cursor {
                    limit: l,
                    cursor: c,
                } => {
                    limit = l;
                    cursor = c;
                }
            }
        }
        if let Some(n) = limit.filter(|n| *n > SITES_MAX_LIMIT) {
            return Err(QueryError::Field(crate::error::FieldViolation::new(
                "query.cursorPaging.limit",
                crate::error::RuleType::Max,
                format!("at most {SITES_MAX_LIMIT}, got {n}"),
            )));
        }
        let filter = filter.filter(|f| !f.is_null() && f.as_object().is_none_or(|o| !o.is_empty()));
        if cursor.is_some() && (filter.is_some() || !sort.is_empty()) {
            return Err(QueryError::InvalidCursor(
                "a request with cursorPaging.cursor cannot also carry a filter or a sort"
                    .to_owned(),
            ));
        }
        let parsed = parse_filter(filter.as_ref(), Endpoint::Query)?;
        let sort = if sort.is_empty() {
            None
        } else {
            Some(SiteSort::from_wire(&sort)?)
        };
        Ok(Self {
            filter,
            parsed,
            sort,
            limit,
            cursor,
        })
    }

    /// The sites with these ids, whatever their namespace or state (`{"id":
    /// {"$in": [...]}, "namespace": {"$exists": true}, "state": {"$in": ["ACTIVE",
    /// "TRASHED"]}}`), in the default order.
    pub fn ids(ids: &[SiteId]) -> Self {
        let list: Vec<Value> = ids.iter().map(|i| Value::String(i.to_string())).collect();
        let states = SiteState::ALL.iter().map(|s| Value::from(s.as_str()));
        let filter = Value::object([
            ("id", Value::object([("$in", Value::Array(list))])),
            ("namespace", Value::object([("$exists", Value::Bool(true))])),
            ("state", Value::object([("$in", Value::array(states))])),
        ]);
        let parsed = parse_filter(Some(&filter), Endpoint::Query).ok().flatten();
        Self {
            filter: Some(filter),
            parsed,
            ..Self::default()
        }
    }

    /// The page after the one that answered `cursor`, `limit` per page.
    pub fn next_page(cursor: impl Into<String>, limit: Option<u32>) -> Self {
        Self {
            cursor: Some(cursor.into()),
            limit: limit.map(|l| l.min(SITES_MAX_LIMIT)),
            ..Self::default()
        }
    }

    /// `query.filter` as sent (`None` for no filter).
    pub fn filter(&self) -> Option<&Value> {
        self.filter.as_ref()
    }

    /// The sort as sent (`None`: the default, `createdDate` `DESC`).
    pub fn sort(&self) -> Option<SiteSort> {
        self.sort
    }

    /// `cursorPaging.limit` as sent.
    pub fn limit(&self) -> Option<u32> {
        self.limit
    }

    /// `cursorPaging.cursor`.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// The page size: the limit, 50 when absent or 0.
    pub fn page_size(&self) -> u32 {
        match self.limit {
            None | Some(0) => SITES_DEFAULT_LIMIT,
            Some(n) => n.min(SITES_MAX_LIMIT),
        }
    }

    /// What the page needs, the cursor opened with `key` for `account`.
    ///
    /// # Errors
    /// `INVALID_CURSOR` for a cursor that is altered, made under another key, made
    /// for another account, or carries a filter that no longer parses.
    pub fn plan(&self, key: &CursorKey, account: AccountId) -> Result<SitePlan, QueryError> {
        let size = self.page_size();
        let Some(text) = &self.cursor else {
            return Ok(SitePlan {
                account,
                raw_filter: self.filter.clone(),
                matcher: SiteMatcher::new(self.parsed.clone()),
                sort: self.sort.unwrap_or_default(),
                after: None,
                returned: 0,
                size,
            });
        };
        let c = SitesCursor::open(text, key)?;
        if c.account != account {
            return Err(QueryError::InvalidCursor(
                "the cursor belongs to another account's query".to_owned(),
            ));
        }
        let parsed = parse_filter(c.filter.as_ref(), Endpoint::Query)
            .map_err(|_| QueryError::InvalidCursor("malformed Query Sites cursor".to_owned()))?;
        Ok(SitePlan {
            account,
            raw_filter: c.filter,
            matcher: SiteMatcher::new(parsed),
            sort: c.sort,
            after: Some((c.key, c.id)),
            returned: c.returned,
            size,
        })
    }
}

/// One page's work: which sites, in which order, after which site, how many.
#[derive(Debug, Clone, PartialEq)]
pub struct SitePlan {
    account: AccountId,
    raw_filter: Option<Value>,
    /// The filter with its defaults.
    pub matcher: SiteMatcher,
    /// The order.
    pub sort: SiteSort,
    /// The last site of the previous page (its sort key and id).
    pub after: Option<(SortKey, SiteId)>,
    /// How many sites the previous pages answered.
    pub returned: u32,
    /// The requested page size.
    pub size: u32,
}

impl SitePlan {
    /// How many sites this page may answer: the page size, within the first 1,000.
    pub fn take(&self) -> usize {
        let room = SITES_REACHABLE.saturating_sub(self.returned);
        usize::try_from(self.size.min(room)).unwrap_or(usize::MAX)
    }

    /// Whether a site with this key and id comes after the previous page.
    pub fn is_after(&self, key: &SortKey, id: SiteId) -> bool {
        self.after
            .as_ref()
            .is_none_or(|(k, i)| self.sort.compare((key, id), (k, *i)).is_gt())
    }

    /// The cursor of the page after `page`, when `more` matches follow it and the
    /// 1,000 reachable are not all answered.
    pub fn next_cursor(&self, page: &[&Site], more: bool, key: &CursorKey) -> Option<String> {
        let last = page.last()?;
        let len = u32::try_from(page.len()).unwrap_or(u32::MAX);
        let returned = self.returned.saturating_add(len);
        (more && returned < SITES_REACHABLE).then(|| {
            SitesCursor {
                account: self.account,
                filter: self.raw_filter.clone(),
                sort: self.sort,
                returned,
                key: self.sort.field.key(last),
                id: last.id,
            }
            .seal(key)
        })
    }
}

/// One page of Query Sites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitesAnswer<'w> {
    /// The sites, in order, with their derived facts.
    pub rows: Vec<SiteRow<'w>>,
    /// The cursor of the next page.
    pub next_cursor: Option<String>,
}

/// Query Sites over `world`, the reference execution: the header account's sites,
/// filtered, sorted, after the cursor's site, one page.
///
/// # Errors
/// As [`SiteQuery::plan`].
pub fn query_sites<'w>(
    world: &'w impl WorldView,
    account: AccountId,
    query: &SiteQuery,
    key: &CursorKey,
) -> Result<SitesAnswer<'w>, QueryError> {
    let plan = query.plan(key, account)?;
    let mut rows: Vec<SiteRow<'w>> = world
        .sites_of(account)
        .into_iter()
        .map(|s| SiteRow::of(world, s))
        .filter(|r| plan.matcher.matches(r))
        .filter(|r| plan.is_after(&plan.sort.field.key(r.site), r.site.id))
        .collect();
    rows.sort_by(|a, b| {
        plan.sort.compare(
            (&plan.sort.field.key(a.site), a.site.id),
            (&plan.sort.field.key(b.site), b.site.id),
        )
    });
    let take = plan.take();
    let more = rows.len() > take;
    rows.truncate(take);
    let sites: Vec<&Site> = rows.iter().map(|r| r.site).collect();
    let next_cursor = plan.next_cursor(&sites, more, key);
    Ok(SitesAnswer { rows, next_cursor })
}

/// A validated Count Sites filter (`premium` and `appIds` ignored).
#[derive(Debug, Clone, PartialEq)]
pub struct SiteCount {
    filter: Option<Value>,
    matcher: SiteMatcher,
}

impl SiteCount {
    /// Validates `filter` as sent.
    ///
    /// # Errors
    /// `INVALID_QUERY` as [`SiteFilter::parse`].
    pub fn new(filter: Option<Value>) -> Result<Self, QueryError> {
        let filter = filter.filter(|f| !f.is_null() && f.as_object().is_none_or(|o| !o.is_empty()));
        let parsed = parse_filter(filter.as_ref(), Endpoint::Count)?;
        Ok(Self {
            filter,
            matcher: SiteMatcher::new(parsed),
        })
    }

    /// The filter as sent.
    pub fn filter(&self) -> Option<&Value> {
        self.filter.as_ref()
    }

    /// The filter with its defaults.
    pub fn matcher(&self) -> &SiteMatcher {
        &self.matcher
    }
}

impl Default for SiteCount {
    fn default() -> Self {
        Self {
            filter: None,
            matcher: SiteMatcher::new(None),
        }
    }
}

/// Count Sites over `world`: how many of the header account's sites pass.
pub fn count_sites(world: &impl WorldView, account: AccountId, count: &SiteCount) -> u64 {
    let n = world
        .sites_of(account)
        .into_iter()
        .filter(|s| count.matcher.matches(&SiteRow::of(world, s)))
        .count();
    u64::try_from(n).unwrap_or(u64::MAX)
}
