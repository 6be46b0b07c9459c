//! Operations that are safe to call again after any failure.
//!
//! - [`create_once`]: at most one package per reseller external id, whatever fails
//!   in between. Before every attempt it looks for a package with that external id
//!   (Query Packages); it creates only when there is none, with an idempotency key
//!   derived from the external id, so two attempts (or two processes) that both
//!   found nothing still make one package: Wix answers the second with the first
//!   one's package.
//! - [`cancel_package`], [`cancel_instance`], [`assign_instance`],
//!   [`unassign_instance`]: each attempt after the first carries the first one's
//!   idempotency key, and the operations change nothing when the state is already
//!   the one asked for (a canceled package, an instance already on the site), so
//!   calling them again is harmless. A failed assign reads the package back and
//!   reports where the instance really is (spec R5.3).
//!
//! A failure is retried only when the same request may succeed if sent again
//! ([`PortError::is_retryable`]: 429, 5xx, not sent, outcome unknown) and the
//! adapter did not retry it already: against the HTTP client its `RetryPolicy` is
//! the one retry layer ([`crate::retry`], `docs/retries.md`). A refusal is
//! returned at once, and a refused call changed nothing.

use std::time::Duration;

use futures_util::TryStreamExt;
use reseller_domain::idempotency::fnv1a_128;
use reseller_domain::ops::CreatePackage;
use reseller_domain::query::PackageQuery;
use reseller_domain::{
    Assignment, ErrorCode, ExternalId, IdempotencyKey, InstanceId, Package, PackageId, SiteId,
};
use reseller_ports::{Call, PortError, ResellerPackages, pages};

pub use crate::retry::Attempts;
use crate::retry::Tries;
pub(crate) use crate::retry::retry;

/// Why a safe operation did not complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SafeError {
    /// Wix refused the request: sending it again will not help, and nothing changed.
    #[error("refused: {0}")]
    Refused(PortError),
    /// Every try failed in a way that may have been transient (or the adapter's
    /// own retry policy gave up); the last one may or may not have taken effect.
    /// Reading the state back tells.
    #[error("no answer after {attempts} request(s) in {elapsed:?}; the last: {last}")]
    Unresolved {
        /// The requests the failed calls made, the adapter's retries included.
        attempts: u32,
        /// The time from the start of the operation to giving up.
        elapsed: Duration,
        /// The last try's error.
        last: PortError,
    },
    /// The request has no external id, which names the order [`create_once`] makes
    /// once. Found before anything was sent: nothing was asked of Wix.
    #[error("create-once needs the order's external id (`externalId`); nothing was sent")]
    NoExternalId,
    /// More than one package carries the external id (made outside
    /// [`create_once`]); none was created.
    #[error("{} packages carry external id `{external_id}`; create-once made none", packages.len())]
    Ambiguous {
        /// The external id.
        external_id: ExternalId,
        /// The packages that carry it.
        packages: Vec<PackageId>,
    },
}

impl SafeError {
    /// The port error behind this one, when there is one.
    pub fn port_error(&self) -> Option<&PortError> {
        match self {
            Self::Refused(e) | Self::Unresolved { last: e, .. } => Some(e),
            Self::Ambiguous { .. } | Self::NoExternalId => None,
        }
    }

    /// Whether the operation may have taken effect although it failed.
    pub fn may_have_been_applied(&self) -> bool {
        matches!(self, Self::Unresolved { last, .. } if last.may_have_been_applied())
    }
}

/// Where the package [`create_once`] answers comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Create Package answered it in this call.
    Created,
    /// It existed already (an earlier call, or an earlier try of this one whose
    /// answer was lost, had created it); nothing was created now.
    Found,
}

/// The one package of an external id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The package.
    pub package: Package,
    /// Whether this call created it or found it.
    pub origin: Origin,
    /// Tries made (1 when the first succeeded).
    pub attempts: u32,
}

/// The idempotency key [`create_once`] sends for `external_id`: the same for every
/// try and every process, `create-once-` and the external id's 128-bit FNV-1a hash.
pub fn create_once_key(external_id: &ExternalId) -> IdempotencyKey {
    IdempotencyKey::derived("create-once", fnv1a_128(external_id.as_str().as_bytes()))
}

/// A fresh key for one logical operation, kept across its tries.
fn operation_key(prefix: &str) -> IdempotencyKey {
    IdempotencyKey::derived(prefix, uuid::Uuid::new_v4().as_u128())
}

/// Every package `query` matches: the port-level paginator, 100 a page. The
/// queries are the domain's one-condition helpers (`PackageQuery::by_site`, ...),
/// which are valid by construction, so nothing can fail before the call.
pub(crate) async fn query_all<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    query: PackageQuery,
) -> Result<Vec<Package>, PortError> {
    let query = query.page_size(100);
    pages::packages(wix, call, &query).try_collect().await
}

/// `query`, narrowed to the call's account when the call names one.
///
/// Query Packages answers the header account's whole family whichever key asks
/// (Wix: "returns packages that belong to the parent account, regardless if you
/// pass the ID of a parent or sub-account"), a customer's sub-account key
/// included. A read made on a customer's behalf must therefore filter by
/// `accountId` itself, or it would see, and act on, another customer's packages.
fn on_the_calls_account(call: &Call, query: PackageQuery) -> PackageQuery {
    match call.account_id {
        Some(account) => query.in_account(account),
        None => query,
    }
}

/// The packages the call's account holds with `external_id` (Query Packages,
/// `externalId` `$eq`, and `accountId` `$eq` when the call names its account:
/// a sibling customer's package with the same external id is not this one).
///
/// # Errors
/// The query's [`PortError`].
pub async fn find_by_external_id<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    external_id: &ExternalId,
) -> Result<Vec<Package>, PortError> {
    let query = on_the_calls_account(call, PackageQuery::by_external_id(external_id));
    let mut found = query_all(wix, call, query).await?;
    // Exact match only, whatever the server's collation, and only the call's
    // account, whatever the server's visibility.
    found.retain(|p| {
        p.external_id() == Some(external_id) && call.account_id.is_none_or(|a| p.account_id() == a)
    });
    Ok(found)
}

/// The package holding `instance`, when the call's account has it (Query
/// Packages, `productInstances.instanceId` `$hasSome`, narrowed by `accountId`
/// when the call names its account).
///
/// # Errors
/// The query's [`PortError`].
pub async fn find_instance<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    instance: InstanceId,
) -> Result<Option<Package>, PortError> {
    let query = on_the_calls_account(call, PackageQuery::by_instance(instance));
    let found = query_all(wix, call, query).await?;
    Ok(found.into_iter().find(|p| {
        p.instance(instance).is_some() && call.account_id.is_none_or(|a| p.account_id() == a)
    }))
}

/// Creates the package of `request`'s external id at most once.
///
/// The external id names the order: `request` must carry one
/// ([`CreatePackage::external_id`]). The call's idempotency key, when it has one,
/// is used for every try; otherwise [`create_once_key`]. Each try first looks for
/// a package with the external id and answers it when there is one
/// ([`Origin::Found`]); only when there is none does it send Create Package. A
/// retryable failure of either call moves on to the next try, unless the adapter
/// retried it already (the HTTP client's `RetryPolicy` is then the only retry
/// layer: see [`crate::retry`]).
///
/// A package found is answered as it is, even when it was created from another
/// request: the external id names the order, and the order is served.
///
/// # Errors
/// - [`SafeError::NoExternalId`]: `request` has no external id; nothing was sent.
/// - [`SafeError::Refused`]: Wix refused the create (or the lookup); nothing was
///   created.
/// - [`SafeError::Unresolved`]: every try failed transiently. No package was
///   found; the last create may still have taken effect, so call again (with the
///   same external id) before doing anything else.
/// - [`SafeError::Ambiguous`]: several packages already carry the external id.
pub async fn create_once<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    request: &CreatePackage,
    attempts: Attempts,
) -> Result<Created, SafeError> {
    create_once_among(wix, call, request, attempts, |_| true).await
}

/// [`create_once`], where only the packages `counts` keeps are the order's: the
/// others with the external id are passed over as if absent (reconcile counts
/// only a package with a live instance; the rest are retired orders).
pub(crate) async fn create_once_among<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    request: &CreatePackage,
    attempts: Attempts,
    counts: impl Fn(&Package) -> bool,
) -> Result<Created, SafeError> {
    let Some(external_id) = request.external_id.as_ref() else {
        return Err(SafeError::NoExternalId);
    };
    let key = call
        .idempotency_key
        .clone()
        .unwrap_or_else(|| create_once_key(external_id));
    let create_call = call.clone().idempotency_key(key);
    let mut tries = Tries::new(attempts);
    while tries.next().await {
        let n = tries.number();
        let found = find_by_external_id(wix, call, external_id).await;
        match found.map(|found| found.into_iter().filter(|p| counts(p)).collect::<Vec<_>>()) {
            Ok(mut found) if found.len() > 1 => {
                found.sort_by_key(|p| (p.created(), p.id()));
                return Err(SafeError::Ambiguous {
                    external_id: external_id.clone(),
                    packages: found.iter().map(Package::id).collect(),
                });
            }
            Ok(found) => {
                if let Some(package) = found.into_iter().next() {
                    return Ok(Created {
                        package,
                        origin: Origin::Found,
                        attempts: n,
                    });
                }
            }
            Err(e) if e.is_retryable() => {
                tries.failed(e);
                continue;
            }
            Err(e) => return Err(SafeError::Refused(e)),
        }
        match wix.create_package(&create_call, request).await {
            Ok(package) => {
                return Ok(Created {
                    package,
                    origin: Origin::Created,
                    attempts: n,
                });
            }
            // The key was used by another request with this external id: that
            // request's package exists, and the next lookup finds it.
            Err(e) if e.is_retryable() || *e.code() == ErrorCode::IdempotencyKeyReused => {
                tries.failed(e);
            }
            Err(e) => return Err(SafeError::Refused(e)),
        }
    }
    Err(tries.unresolved())
}

/// Sends `op` up to `attempts` times with one idempotency key, until it answers
/// or is refused.
async fn retried<F, Fut>(
    call: &Call,
    prefix: &str,
    attempts: Attempts,
    op: F,
) -> Result<Package, SafeError>
where
    F: Fn(Call) -> Fut,
    Fut: std::future::Future<Output = Result<Package, PortError>>,
{
    let key = call
        .idempotency_key
        .clone()
        .unwrap_or_else(|| operation_key(prefix));
    let keyed = call.clone().idempotency_key(key);
    retry(attempts, || op(keyed.clone())).await
}

/// Cancel Package, safe to call again: canceling a canceled package changes
/// nothing, and every try carries the same idempotency key.
///
/// # Errors
/// [`SafeError::Refused`] (`PACKAGE_NOT_FOUND`, ...) or [`SafeError::Unresolved`].
pub async fn cancel_package<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    id: PackageId,
    attempts: Attempts,
) -> Result<Package, SafeError> {
    retried(call, "cancel-package", attempts, move |c| async move {
        wix.cancel_package(&c, id).await
    })
    .await
}

/// Cancel Product Instance, safe to call again: a canceled instance stays as it is.
///
/// # Errors
/// [`SafeError::Refused`] (`PRODUCT_INSTANCE_NOT_FOUND`) or
/// [`SafeError::Unresolved`].
pub async fn cancel_instance<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    instance: InstanceId,
    attempts: Attempts,
) -> Result<Package, SafeError> {
    retried(call, "cancel-instance", attempts, move |c| async move {
        wix.cancel_instance(&c, instance).await
    })
    .await
}

/// Unassign Product Instance From Site, safe to call again: a floating instance
/// stays as it is.
///
/// # Errors
/// [`SafeError::Refused`] (`PRODUCT_INSTANCE_NOT_FOUND`) or
/// [`SafeError::Unresolved`].
pub async fn unassign_instance<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    instance: InstanceId,
    attempts: Attempts,
) -> Result<Package, SafeError> {
    retried(call, "unassign-instance", attempts, move |c| async move {
        wix.unassign_instance(&c, instance).await
    })
    .await
}

/// A failed [`assign_instance`]: why, and where the instance is now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{cause}{}", match .now {
    Some(p) => match p.instance(*.instance).map(|i| i.assignment()) {
        Some(Assignment::Site(s)) => format!("; the instance is on site {s}"),
        Some(Assignment::Floating) => "; the instance is floating".to_owned(),
        None => String::new(),
    },
    None => "; where the instance is now could not be read".to_owned(),
})]
pub struct AssignError {
    /// The instance.
    pub instance: InstanceId,
    /// Why the assign did not complete.
    pub cause: SafeError,
    /// The package holding the instance, read back after the failure (a failed
    /// move may leave the instance on its old site or floating, R5.3); `None` when
    /// that read failed too.
    pub now: Option<Package>,
}

impl AssignError {
    /// Where the instance is, as read back.
    pub fn assignment_now(&self) -> Option<Assignment> {
        self.now
            .as_ref()
            .and_then(|p| p.instance(self.instance))
            .map(|i| i.assignment())
    }
}

/// Assign Product Instance To Site (also a move between sites), safe to call
/// again: an instance already on the site stays as it is.
///
/// After a failure it reads the package back: when the instance turns out to be on
/// `site` (an answer lost after the change), the assign succeeded; otherwise the
/// error says where the instance is.
///
/// # Errors
/// [`AssignError`], with the refusal or the last transient error and the package
/// as read back.
pub async fn assign_instance<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    instance: InstanceId,
    site: SiteId,
    attempts: Attempts,
) -> Result<Package, AssignError> {
    let cause = match retried(call, "assign-instance", attempts, move |c| async move {
        wix.assign_instance(&c, instance, site).await
    })
    .await
    {
        Ok(p) => return Ok(p),
        Err(e) => e,
    };
    let reading = Call {
        account_id: call.account_id,
        idempotency_key: None,
    };
    let now = read_back(wix, &reading, instance, attempts).await;
    if let Some(p) = &now {
        if p.instance(instance).and_then(|i| i.site()) == Some(site) && !is_refusal(&cause) {
            return Ok(p.clone());
        }
    }
    Err(AssignError {
        instance,
        cause,
        now,
    })
}

fn is_refusal(e: &SafeError) -> bool {
    matches!(e, SafeError::Refused(_))
}

/// The package of `instance`, read with up to `attempts` tries; `None` when every
/// read failed or the instance is not visible.
pub(crate) async fn read_back<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    instance: InstanceId,
    attempts: Attempts,
) -> Option<Package> {
    retry(attempts, || find_instance(wix, call, instance))
        .await
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_once_keys_are_stable_and_valid_for_any_external_id() {
        let a = ExternalId::new("order-4711").unwrap();
        let b = ExternalId::new("order-4712").unwrap();
        assert_eq!(create_once_key(&a), create_once_key(&a));
        assert_ne!(create_once_key(&a), create_once_key(&b));
        assert_eq!(
            create_once_key(&ExternalId::new("").unwrap()).as_str(),
            "create-once-6c62272e07bb014262b821756295c58d"
        );
        let control = ExternalId::new("a\u{7}b\nc").unwrap();
        assert!(
            create_once_key(&control)
                .as_str()
                .starts_with("create-once-")
        );
    }
}
