//! Query Packages as a stream of packages: the pages are fetched one after the
//! other as the stream is read, following `metadata.cursors.next` (cursor paging)
//! or advancing the offset (offset paging).

use futures_util::stream::{self, Stream, TryStreamExt};
use reseller_domain::query::{PackageQuery, Paging};
use reseller_domain::{ErrorCode, Package};
use reseller_ports::{Call, ErrorKind, PackagesPage, PortError};

use crate::transport::WixHttpClient;

/// Where the walk stands: the client and call it uses, and the query of the next
/// page (`None` once the last page was read).
struct Walk {
    client: WixHttpClient,
    call: Call,
    next: Option<PackageQuery>,
}

impl WixHttpClient {
    /// Every package `query` matches, as a stream that fetches page after page
    /// while it is read (each page a Query Packages call with its own retries).
    ///
    /// With cursor paging (the default) it follows `metadata.cursors.next`, sending
    /// only the cursor and the page size, until no cursor comes back. With offset
    /// paging it advances `paging.offset` by the page's length until a page is
    /// empty or shorter than the limit sent, or `metadata.total` is reached. The
    /// first error ends the stream after being yielded; so does a service that
    /// answers the cursor it was just sent (`UnreadableAnswer`), which would
    /// otherwise loop forever.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use reseller_domain::query::{PackageQuery, Paging};
    /// use reseller_ports::Call;
    ///
    /// # async fn run(client: adapter_wix_http::WixHttpClient) -> Result<(), Box<dyn std::error::Error>> {
    /// let fifty_a_page = Paging::Cursor { limit: Some(50), cursor: None };
    /// let everything = PackageQuery::from_parts(None, None, fifty_a_page)?;
    /// let packages: Vec<_> = client.query_all(&Call::new(), &everything).try_collect().await?;
    /// println!("{} package(s)", packages.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn query_all(
        &self,
        call: &Call,
        query: &PackageQuery,
    ) -> impl Stream<Item = Result<Package, PortError>> + Send + use<> {
        let walk = Walk {
            client: self.clone(),
            call: call.clone(),
            next: Some(query.clone()),
        };
        stream::try_unfold(walk, step)
            .map_ok(|packages| stream::iter(packages.into_iter().map(Ok::<_, PortError>)))
            .try_flatten()
    }
}

/// Fetches the next page: its packages and the walk after it, or `None` at the end.
async fn step(mut walk: Walk) -> Result<Option<(Vec<Package>, Walk)>, PortError> {
    let Some(query) = walk.next.take() else {
        return Ok(None);
    };
    let page = walk.client.query_page(&walk.call, &query).await?;
    walk.next = next_query(&query, &page)?;
    Ok(Some((page.packages, walk)))
}

/// The query of the page after `page` (answered to `sent`), or `None` at the end.
fn next_query(sent: &PackageQuery, page: &PackagesPage) -> Result<Option<PackageQuery>, PortError> {
    let next = match sent.paging() {
        Paging::Cursor { limit, cursor } => {
            let Some(next) = &page.next_cursor else {
                return Ok(None);
            };
            if cursor.as_deref() == Some(next.as_str()) {
                return Err(PortError::new(
                    ErrorKind::UnreadableAnswer,
                    ErrorCode::Other {
                        code: "UNREADABLE_ANSWER".to_owned(),
                        status: 200,
                    },
                    Some(200),
                    format!(
                        "Query Packages answered the cursor it was sent ({next}) as the next one"
                    ),
                ));
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

#[cfg(test)]
mod tests;
