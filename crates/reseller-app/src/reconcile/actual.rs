//! The actual state: every package of the account family as Wix answers it. The
//! one place reconcile reads Wix; it walks Query Packages' pages (cursor paging) and
//! starts the walk again when a page fails in a way worth retrying.

use reseller_domain::Package;
use reseller_domain::query::{Condition, Filter, KeyField, KeyOp};
use reseller_ports::{Call, ResellerPackages};

use crate::safe::{Attempts, SafeError, query_all, retry};

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
    let every = |present: bool| {
        Filter::Cond(Condition::Key {
            field: KeyField::ExternalId,
            op: KeyOp::Exists(present),
        })
    };
    let filter = Filter::Or(vec![every(true), every(false)]);
    retry(attempts, || query_all(wix, call, filter.clone())).await
}
