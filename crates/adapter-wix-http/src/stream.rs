//! Query Packages as a stream of packages: the port-level paginator of
//! reseller-ports (`pages`) over this client, owning a clone of it so the stream
//! borrows nothing.

use futures_util::stream::{self, Stream, TryStreamExt};
use reseller_domain::Package;
use reseller_domain::query::PackageQuery;
use reseller_ports::{Call, PortError, pages};

use crate::transport::WixHttpClient;

impl WixHttpClient {
    /// Every package `query` matches, as a stream that fetches page after page
    /// while it is read (each page a Query Packages call with its own retries).
    ///
    /// The walk is reseller-ports' paginator (`pages::package_pages_with`): with
    /// cursor paging (the default) it follows `metadata.cursors.next`, sending
    /// only the cursor and the page size, until no cursor comes back; with offset
    /// paging it advances `paging.offset`. The first error ends the stream after
    /// being yielded; so does a service that answers the cursor it was just sent
    /// (`UnreadableAnswer`), which would otherwise loop forever.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use reseller_domain::query::PackageQuery;
    /// use reseller_ports::Call;
    ///
    /// # async fn run(client: adapter_wix_http::WixHttpClient) -> Result<(), Box<dyn std::error::Error>> {
    /// let everything = PackageQuery::all().page_size(50);
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
        let client = self.clone();
        let call = call.clone();
        pages::package_pages_with(query, move |q: PackageQuery| {
            let client = client.clone();
            let call = call.clone();
            async move { client.query_page(&call, &q).await }
        })
        .map_ok(|page| stream::iter(page.packages.into_iter().map(Ok::<_, PortError>)))
        .try_flatten()
    }
}
