//! The actual state: every package of the account family as Wix answers it. The
//! one place reconcile reads Wix: the ports' paginator over Query Packages (cursor
//! paging, 100 a page), the walk started again when a page fails in a way worth
//! retrying (and the adapter did not retry it already).

use futures_util::TryStreamExt;
use reseller_domain::Package;
use reseller_domain::query::PackageQuery;
use reseller_ports::{Call, ResellerPackages, pages};

use crate::retry::retry;
use crate::safe::{Attempts, SafeError};

/// Every package the call's account family holds, live or not, with or without an
/// external id (Query Packages, every page).
///
/// # Errors
/// [`SafeError::Refused`] when Wix refuses the query (a bad key, no read scope);
/// [`SafeError::Unresolved`] when every walk failed transiently.
pub async fn read_actual<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    attempts: Attempts,
) -> Result<Vec<Package>, SafeError> {
    let query = PackageQuery::all().page_size(100);
    retry(attempts, || {
        pages::packages(wix, call, &query).try_collect()
    })
    .await
}
