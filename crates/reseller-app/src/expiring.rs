//! Expiring domains (`wix-domains.md` 5.3, D25): the one resold service that
//! expires, with no API to extend it. [`expiring_domains`] reads the call's account
//! family (Query Packages, every page) and lists the live instances whose
//! `expirationDate` falls within a window, soonest first, for the reseller to
//! extend in Wix's dashboard before the customer loses the domain.

use reseller_domain::domains::{Expiring, expiring_within};
use reseller_domain::query::PackageQuery;
use reseller_domain::{Package, Timestamp};
use reseller_ports::{Call, ResellerPackages, pages};

use crate::safe::{Attempts, SafeError, retry};

/// The expiring instances of `packages`: live, with an `expirationDate` at or
/// before `now + window_millis` (those already past it first), soonest first.
pub fn expiring_in(packages: &[Package], now: Timestamp, window_millis: i64) -> Vec<Expiring> {
    let items = packages.iter().flat_map(|p| {
        p.instances()
            .iter()
            .filter(|i| i.is_live())
            .filter_map(|i| {
                i.expiration().map(|expires| Expiring {
                    instance: i.id(),
                    package: p.id(),
                    account: p.account_id(),
                    product: i.catalog_product_id(),
                    site: i.site(),
                    expires,
                })
            })
    });
    expiring_within(items, now, window_millis)
}

/// Every live instance of the call's account family (the header account's whole
/// family, as Query Packages answers) that expires within `window_millis` of
/// `now`, soonest first. Domains expire by default; any product the catalog sells
/// with an expiry is listed too.
///
/// # Errors
/// The reads' [`SafeError`] (refused, or unresolved after the tries).
pub async fn expiring_domains<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    now: Timestamp,
    window_millis: i64,
    attempts: Attempts,
) -> Result<Vec<Expiring>, SafeError> {
    let packages = retry(attempts, || async {
        let query = PackageQuery::all().page_size(100);
        futures_util::TryStreamExt::try_collect::<Vec<Package>>(pages::packages(wix, call, &query))
            .await
    })
    .await?;
    Ok(expiring_in(&packages, now, window_millis))
}
