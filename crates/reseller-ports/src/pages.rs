//! The one paginator: every page of Query Packages, Query Sites and List Child
//! Accounts as a `Stream`, over any implementor of the port (the HTTP client, the
//! in-memory Wix, a mock). Each page is one port call, made when the stream is
//! read; the first error ends the stream after being yielded. A cursor walk ends
//! with `UnreadableAnswer` when the service answers the cursor it was just sent as
//! the next one (it would loop forever otherwise).
//!
//! ```
//! # #[cfg(feature = "mock")] {
//! use futures_util::TryStreamExt;
//! use reseller_domain::query::PackageQuery;
//! use reseller_ports::test_values::{a_package, a_page};
//! use reseller_ports::{Call, MockResellerPackages, pages};
//!
//! let mut wix = MockResellerPackages::new();
//! wix.expect_query_packages().times(1).returning(|_, _| Ok(a_page([a_package().build()])));
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! let all: Vec<_> = pages::packages(&wix, &Call::new(), &PackageQuery::all()).try_collect().await?;
//! assert_eq!(all.len(), 1);
//! # Ok::<(), reseller_ports::PortError>(())
//! # })?;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::future::Future;

use futures_util::stream::{self, Stream, TryStreamExt};
use reseller_domain::ops::ChildAccounts;
use reseller_domain::query::{PackageQuery, Paging};
use reseller_domain::{AccountId, ErrorCode, Package};

use crate::error::{ErrorKind, PortError};
use crate::ports::{
    Accounts, Call, ChildAccountsPaging, PackagesPage, ResellerPackages, SiteInfo, Sites,
    SitesPage, SitesQuery,
};

impl PackagesPage {
    /// A last page holding `packages` (no cursor, no offset metadata).
    pub fn of(packages: Vec<Package>) -> Self {
        Self {
            packages,
            next_cursor: None,
            prev_cursor: None,
            total: None,
            offset: None,
        }
    }

    /// The same page with `cursor` as `metadata.cursors.next`: more follow.
    pub fn with_next(mut self, cursor: impl Into<String>) -> Self {
        self.next_cursor = Some(cursor.into());
        self
    }
}

impl Default for PackagesPage {
    /// An empty last page.
    fn default() -> Self {
        Self::of(Vec::new())
    }
}

/// Every page `query` matches, each fetched with `fetch` when the stream gets to
/// it: the walk itself, for an adapter that fetches a page its own way (the HTTP
/// client holds its connection pool by value). [`package_pages`] is this over
/// [`ResellerPackages::query_packages`].
///
/// With cursor paging it follows `metadata.cursors.next`, sending only the cursor
/// and the page size, until no cursor comes back. With offset paging it advances
/// `paging.offset` by the page's length until a page is empty or shorter than the
/// limit sent, or `metadata.total` is reached.
pub fn package_pages_with<F, Fut>(
    query: &PackageQuery,
    fetch: F,
) -> impl Stream<Item = Result<PackagesPage, PortError>> + use<F, Fut>
where
    F: FnMut(PackageQuery) -> Fut,
    Fut: Future<Output = Result<PackagesPage, PortError>>,
{
    walk(query.clone(), fetch, next_packages_query)
}

/// Every page of Query Packages for `query`, read through `wix`.
pub fn package_pages<'w, W: ResellerPackages + ?Sized>(
    wix: &'w W,
    call: &Call,
    query: &PackageQuery,
) -> impl Stream<Item = Result<PackagesPage, PortError>> + Send + 'w {
    let call = call.clone();
    walk(
        query.clone(),
        move |q: PackageQuery| {
            let call = call.clone();
            async move { wix.query_packages(&call, &q).await }
        },
        next_packages_query,
    )
}

/// Every package `query` matches, page after page, read through `wix`.
pub fn packages<'w, W: ResellerPackages + ?Sized>(
    wix: &'w W,
    call: &Call,
    query: &PackageQuery,
) -> impl Stream<Item = Result<Package, PortError>> + Send + 'w {
    package_pages(wix, call, query)
        .map_ok(|page| stream::iter(page.packages.into_iter().map(Ok)))
        .try_flatten()
}

/// Every page of Query Sites for `query`, read through `wix`: the cursor of each
/// answer is sent with the page size of `query` (a cursor carries the filter).
pub fn site_pages<'w, W: Sites + ?Sized>(
    wix: &'w W,
    call: &Call,
    query: &SitesQuery,
) -> impl Stream<Item = Result<SitesPage, PortError>> + Send + 'w {
    let call = call.clone();
    walk(
        query.clone(),
        move |q: SitesQuery| {
            let call = call.clone();
            async move { wix.query_sites(&call, &q).await }
        },
        next_sites_query,
    )
}

/// Every site `query` matches, page after page, read through `wix`.
pub fn sites<'w, W: Sites + ?Sized>(
    wix: &'w W,
    call: &Call,
    query: &SitesQuery,
) -> impl Stream<Item = Result<SiteInfo, PortError>> + Send + 'w {
    site_pages(wix, call, query)
        .map_ok(|page| stream::iter(page.sites.into_iter().map(Ok)))
        .try_flatten()
}

/// Every child account of the call's account (List Child Accounts, offset paging
/// from `paging`, until `total` or a short or empty page).
pub fn child_accounts<'w, W: Accounts + ?Sized>(
    wix: &'w W,
    call: &Call,
    paging: ChildAccountsPaging,
) -> impl Stream<Item = Result<AccountId, PortError>> + Send + 'w {
    let call = call.clone();
    walk(
        paging,
        move |p: ChildAccountsPaging| {
            let call = call.clone();
            async move { wix.list_child_accounts(&call, p).await }
        },
        next_child_paging,
    )
    .map_ok(|page| stream::iter(page.accounts.into_iter().map(Ok)))
    .try_flatten()
}

/// The walk: `fetch` the page of `first`, then of each request `next` derives,
/// until `next` says the last page was read.
fn walk<Q: Clone, P, F, Fut>(
    first: Q,
    fetch: F,
    next: fn(&Q, &P) -> Result<Option<Q>, PortError>,
) -> impl Stream<Item = Result<P, PortError>>
where
    F: FnMut(Q) -> Fut,
    Fut: Future<Output = Result<P, PortError>>,
{
    stream::try_unfold(
        (fetch, Some(first)),
        move |(mut fetch, pending)| async move {
            let Some(request) = pending else {
                return Ok(None);
            };
            let page = fetch(request.clone()).await?;
            let following = next(&request, &page)?;
            Ok(Some((page, (fetch, following))))
        },
    )
}

/// The error of a service that answered the cursor it was sent as the next one.
fn same_cursor(operation: &str, cursor: &str) -> PortError {
    PortError::new(
        ErrorKind::UnreadableAnswer,
        ErrorCode::Other {
            code: "UNREADABLE_ANSWER".to_owned(),
            status: 200,
        },
        Some(200),
        format!("{operation} answered the cursor it was sent ({cursor}) as the next one"),
    )
}

/// The Query Packages request after `page` (answered to `sent`), or `None` at the
/// end.
pub(crate) fn next_packages_query(
    sent: &PackageQuery,
    page: &PackagesPage,
) -> Result<Option<PackageQuery>, PortError> {
    let next = match sent.paging() {
        Paging::Cursor { limit, cursor } => {
            let Some(next) = &page.next_cursor else {
                return Ok(None);
            };
            if cursor.as_deref() == Some(next.as_str()) {
                return Err(same_cursor("Query Packages", next));
            }
            PackageQuery::from_parts(
                None,
                None,
                Paging::Cursor {
                    limit: *limit,
                    cursor: Some(next.clone()),
                },
            )
        }
        Paging::Offset { limit, offset } => {
            let count = u32::try_from(page.packages.len()).unwrap_or(u32::MAX);
            let next_offset = offset.unwrap_or(0).saturating_add(count);
            // Only a limit sent says how long a full page is (Wix's default may differ).
            let short = limit.filter(|l| *l > 0).is_some_and(|l| count < l);
            let past_total = page.total.is_some_and(|t| u64::from(next_offset) >= t);
            if count == 0 || short || past_total {
                return Ok(None);
            }
            PackageQuery::from_parts(
                sent.filter().cloned(),
                Some(sent.sort().clone()),
                Paging::Offset {
                    limit: *limit,
                    offset: Some(next_offset),
                },
            )
        }
    };
    next.map(Some).map_err(|e| {
        PortError::new(
            ErrorKind::InvalidInput,
            ErrorCode::InvalidQuery,
            None,
            format!("the query of the next page cannot be built: {e}"),
        )
    })
}

/// The Query Sites request after `page`: the cursor and the page size sent.
fn next_sites_query(sent: &SitesQuery, page: &SitesPage) -> Result<Option<SitesQuery>, PortError> {
    let Some(next) = &page.next_cursor else {
        return Ok(None);
    };
    if sent.cursor() == Some(next.as_str()) {
        return Err(same_cursor("Query Sites", next));
    }
    Ok(Some(SitesQuery::next_page(next.clone(), sent.limit())))
}

/// The List Child Accounts paging after `page`.
fn next_child_paging(
    sent: &ChildAccountsPaging,
    page: &ChildAccounts,
) -> Result<Option<ChildAccountsPaging>, PortError> {
    let count = u32::try_from(page.accounts.len()).unwrap_or(u32::MAX);
    let next_offset = page.offset.saturating_add(count);
    let short = sent.limit.filter(|l| *l > 0).is_some_and(|l| count < l);
    if count == 0 || short || next_offset >= page.total {
        return Ok(None);
    }
    Ok(Some(ChildAccountsPaging {
        offset: Some(next_offset),
        limit: sent.limit,
    }))
}

#[cfg(test)]
mod tests;
