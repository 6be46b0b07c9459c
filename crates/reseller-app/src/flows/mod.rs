//! The documented reseller flows (spec `wix-accounts-and-sites.md` section 5), each
//! a use case with typed input and output over the ports.
//!
//! A flow that fails answers [`Stopped`]: the step it stopped at, why (a
//! [`SafeError`]: a refusal, or a failure whose outcome stayed unknown), and what
//! it left behind, read back from Wix where the spec says the outcome is uncertain.
//! Every flow can be run again with the same input after a failure: the steps
//! already done are found done (create-once by external id, idempotent cancels and
//! assigns, state read before acting) and are not applied twice.
//!
//! - [`hand_over_site`] (F1): transfer a finished site to the customer, then sell
//!   its services in the customer's account.
//! - [`reassign_instance`] (F2): move a paid service to another site.
//! - [`plan_with_voucher`] (F3): a Premium plan, then an add-on bought with the
//!   plan instance as voucher reference.
//! - [`onboard_customer`] (F4): a new sub-account, its package, and polling until
//!   provisioning is done.
//! - [`transfer_paid_site`] (F5): cancel, transfer, create again, with the
//!   customer's services restored in the source account when the transfer fails.
//! - [`sell_domain`] (F6): find a domain, put a Premium plan on the site, then sell
//!   the domain product as the plan's voucher (paid otherwise) or connect a domain
//!   the customer owns and wait for its DNS.
//!
//! `docs/flows.md` describes each flow's calls, failure behaviour and choices.

use std::fmt;

use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::query::PackageQuery;
use reseller_domain::{
    AccountId, CatalogProductId, CountryCode, DiscountCode, Package, PackageId, SiteId,
};
use reseller_ports::{Call, PortError, ResellerPackages, SiteTransfers, Sites, SitesQuery};

use crate::retry::Tries;
pub(crate) use crate::safe::retry as read;
use crate::safe::{Attempts, SafeError, query_all};

mod f1_hand_over;
mod f2_reassign;
mod f3_voucher;
mod f4_onboard;
mod f5_transfer_paid;
mod f6_domain;

pub use f1_hand_over::{HandOver, HandOverLeft, HandOverStep, HandedOver, hand_over_site};
pub use f2_reassign::{Reassign, ReassignLeft, ReassignStep, Reassigned, reassign_instance};
pub use f3_voucher::{PlanWithVoucher, VoucherLeft, VoucherSold, VoucherStep, plan_with_voucher};
pub use f4_onboard::{
    Onboard, OnboardLeft, OnboardStep, Onboarded, SiteChoice, SubAccountLeft, onboard_customer,
    sub_account_key,
};
pub use f5_transfer_paid::{
    MovedService, PaidSiteMoved, Recreated, TransferPaidLeft, TransferPaidSite, TransferPaidStep,
    recreate_external_id, restore_external_id, transfer_paid_site,
};
pub use f6_domain::{
    ConnectionLeft, DomainDone, DomainLeft, DomainSale, DomainSold, DomainStep, DomainWanted,
    SellDomain, sell_domain,
};

/// A flow that did not finish: where it stopped, why, and the state it left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped<S, L> {
    /// The step that failed.
    pub step: S,
    /// Why it failed.
    pub cause: SafeError,
    /// What the flow left behind (what was done before the step, and what the step
    /// itself is known to have done).
    pub left: L,
}

impl<S: fmt::Display, L: fmt::Display> fmt::Display for Stopped<S, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stopped at {}: {}; left: {}",
            self.step, self.cause, self.left
        )
    }
}

impl<S, L> std::error::Error for Stopped<S, L>
where
    S: fmt::Display + fmt::Debug,
    L: fmt::Display + fmt::Debug,
{
}

/// One product to sell on a site: the `products[]` entry of Create Package, less
/// the site (the flow decides it) and the voucher reference (F3 and F5 set it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Product {
    /// `catalogProductId`
    pub catalog_product_id: CatalogProductId,
    /// `countryCode` (required by Create Package V2).
    pub country_code: CountryCode,
    /// `billingInfo`: needed when the product sells more than one cycle.
    pub billing: Option<BillingRequest>,
    /// `discountCode`
    pub discount_code: Option<DiscountCode>,
}

impl Product {
    /// `product` sold for `country`, without billing or discount code.
    pub fn new(product: CatalogProductId, country: CountryCode) -> Self {
        Self {
            catalog_product_id: product,
            country_code: country,
            billing: None,
            discount_code: None,
        }
    }

    /// The same product with `billing` asked for.
    pub fn billed(mut self, billing: reseller_domain::Billing) -> Self {
        self.billing = Some(BillingRequest::of(billing));
        self
    }

    /// The `products[]` entry: on `site` (floating when `None`), no reference.
    pub fn instance(&self, site: Option<SiteId>) -> NewInstance {
        NewInstance {
            site,
            billing: self.billing,
            discount_code: self.discount_code.clone(),
            ..NewInstance::new(self.catalog_product_id).country(self.country_code)
        }
    }
}

/// Whether a step was done by this run or found done by an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// This run did it.
    Done,
    /// It was already done (an earlier run, or another process); nothing was sent.
    AlreadyDone,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Done => "done",
            Self::AlreadyDone => "found done",
        })
    }
}

/// What a stopped flow left of one package it was to create (with create-once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageLeft {
    /// Not created: the step was not reached, or Wix refused it (a refused call
    /// changes nothing).
    NotCreated,
    /// Maybe created: every try failed in a way that may have taken effect. A
    /// rerun with the same external id finds it, or creates it.
    Unknown,
    /// It exists.
    Exists(PackageId),
    /// Several packages carry the external id (made outside create-once); none
    /// was created.
    Several(Vec<PackageId>),
}

impl PackageLeft {
    /// What a failed [`crate::safe::create_once`] left.
    pub fn after(error: &SafeError) -> Self {
        match error {
            SafeError::Refused(_) | SafeError::NoExternalId => Self::NotCreated,
            SafeError::Unresolved { .. } => Self::Unknown,
            SafeError::Ambiguous { packages, .. } => Self::Several(packages.clone()),
        }
    }
}

impl fmt::Display for PackageLeft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotCreated => f.write_str("not created"),
            Self::Unknown => f.write_str("maybe created (outcome unknown)"),
            Self::Exists(id) => write!(f, "package {id}"),
            Self::Several(ids) => write!(f, "{} packages ({})", ids.len(), list(ids)),
        }
    }
}

/// Where a site is, between the source and the target account of a transfer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SiteAt {
    /// Still in the source account (F1: the team account).
    Source,
    /// In the target account (F1: the customer account): the transfer is done.
    Target,
    /// Not known: a transfer's outcome stayed unknown, or the site could not be
    /// read.
    #[default]
    Unknown,
}

impl fmt::Display for SiteAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Source => "in the source account",
            Self::Target => "in the target account",
            Self::Unknown => "in an unknown account",
        })
    }
}

/// `items` joined with `, ` (`none` when empty).
pub(crate) fn list<T: fmt::Display>(items: &[T]) -> String {
    if items.is_empty() {
        return "none".to_owned();
    }
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Options acting on `account`.
pub(crate) fn on(account: AccountId) -> Call {
    Call::new().account(account)
}

/// A Create Package V2 request of `products` (create-once sets the external id).
pub(crate) fn create_request(products: Vec<NewInstance>) -> CreatePackage {
    CreatePackage::new(products)
}

/// Whether `account` holds `site` (Query Sites on `account`, `id` in `[site]`,
/// whatever its namespace or state).
pub(crate) async fn site_in<W: Sites + ?Sized>(
    wix: &W,
    account: AccountId,
    site: SiteId,
) -> Result<bool, PortError> {
    let query = SitesQuery::ids(&[site]);
    let page = wix.query_sites(&on(account), &query).await?;
    Ok(page
        .sites
        .iter()
        .any(|s| s.id == site && s.owner_account_id == account))
}

/// The packages the call's account family holds with an instance on `site`, live
/// or not (Query Packages, `productInstances.siteId` `$hasSome`, every page).
pub(crate) async fn packages_on_site<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    site: SiteId,
) -> Result<Vec<Package>, PortError> {
    let mut found = query_all(wix, call, PackageQuery::by_site(site)).await?;
    found.retain(|p| p.instances().iter().any(|i| i.site() == Some(site)));
    Ok(found)
}

/// A failed [`transfer_once`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TransferFailed {
    /// Why.
    pub(crate) cause: SafeError,
    /// Whether the site may have moved all the same (a try's outcome stayed
    /// unknown and no later read showed the site outside the target).
    pub(crate) maybe_moved: bool,
}

impl TransferFailed {
    /// Where the failed transfer left the site.
    pub(crate) fn site_at(&self) -> SiteAt {
        if self.maybe_moved {
            SiteAt::Unknown
        } else {
            SiteAt::Source
        }
    }
}

/// Transfer Site to `target`, safe to call again. Wix documents no idempotency
/// key for Transfer Site, so before every try after the first it reads where the
/// site is (Query Sites on `target`): a site found in the target was moved by an
/// earlier try whose answer was lost. After a last try whose outcome stayed
/// unknown it reads once more. The caller checks before the first try.
pub(crate) async fn transfer_once<W: SiteTransfers + Sites + ?Sized>(
    wix: &W,
    target: AccountId,
    transfer: &reseller_domain::ops::SiteTransfer,
    attempts: Attempts,
) -> Result<(), TransferFailed> {
    let call = on(target);
    let mut tries = Tries::new(attempts);
    let mut maybe_moved = false;
    let fail = |cause: SafeError, maybe_moved: bool| TransferFailed { cause, maybe_moved };
    while tries.next().await {
        if tries.number() > 1 {
            match site_in(wix, target, transfer.site).await {
                Ok(true) => return Ok(()),
                Ok(false) => maybe_moved = false,
                Err(e) if e.is_retryable() => {
                    tries.failed(e);
                    continue;
                }
                Err(e) => return Err(fail(SafeError::Refused(e), maybe_moved)),
            }
        }
        match wix.transfer_site(&call, transfer).await {
            Ok(_) => return Ok(()),
            Err(e) if e.is_retryable() => {
                maybe_moved |= e.may_have_been_applied();
                tries.failed(e);
            }
            Err(e) => return Err(fail(SafeError::Refused(e), maybe_moved)),
        }
    }
    if maybe_moved {
        match site_in(wix, target, transfer.site).await {
            Ok(true) => return Ok(()),
            Ok(false) => maybe_moved = false,
            Err(_) => {}
        }
    }
    Err(fail(tries.unresolved(), maybe_moved))
}
