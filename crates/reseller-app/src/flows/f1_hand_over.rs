//! F1: hand a finished site over from the team account to the customer's account,
//! then sell its paid services in the customer's account.

use std::fmt;

use reseller_domain::ops::SiteTransfer;
use reseller_domain::{AccountId, ExternalId, InstanceId, SiteId, Violation};
use reseller_ports::{PortError, ResellerPackages, SiteTransfers, Sites};

use super::{
    Outcome, PackageLeft, Product, SiteAt, Stopped, create_request, list, on, packages_on_site,
    read, site_in, transfer_once,
};
use crate::safe::{Attempts, Created, SafeError, create_once};

/// The input of [`hand_over_site`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandOver {
    /// The finished site.
    pub site: SiteId,
    /// The team account that holds it now (the transfer's source).
    pub team_account: AccountId,
    /// The customer's account (the transfer's target and the package's owner).
    pub customer_account: AccountId,
    /// The products to sell on the site, in one package.
    pub products: Vec<Product>,
    /// The package's external id: create-once finds the package by it on a rerun.
    pub external_id: ExternalId,
    /// Whether Wix e-mails the site owner after the transfer.
    pub enable_notifications: bool,
}

/// What [`hand_over_site`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandedOver {
    /// The transfer: done now, or found done (the site was in the customer's
    /// account already).
    pub transfer: Outcome,
    /// The customer's package.
    pub package: Created,
}

/// The steps of [`hand_over_site`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandOverStep {
    /// Query Sites on the customer's account: is the site there already?
    LocateSite,
    /// Query Packages on the team account: does the site hold a live reseller
    /// instance (which would block the transfer)?
    CheckPaidServices,
    /// Transfer Site to the customer's account.
    Transfer,
    /// Create Package (create-once) in the customer's account.
    CreatePackage,
}

impl fmt::Display for HandOverStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::LocateSite => "F1 locate the site",
            Self::CheckPaidServices => "F1 check the site for paid services",
            Self::Transfer => "F1 transfer the site",
            Self::CreatePackage => "F1 create the package",
        })
    }
}

/// What a stopped [`hand_over_site`] left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandOverLeft {
    /// The site.
    pub site: SiteId,
    /// Where the site is: [`SiteAt::Source`] is the team account,
    /// [`SiteAt::Target`] the customer's.
    pub site_at: SiteAt,
    /// The live reseller instances on the site that block the transfer (the
    /// early refusal names them too).
    pub blocking: Vec<InstanceId>,
    /// The customer's package.
    pub package: PackageLeft,
}

impl fmt::Display for HandOverLeft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "site {} {}; blocking instances: {}; package: {}",
            self.site,
            match self.site_at {
                SiteAt::Source => "in the team account",
                SiteAt::Target => "in the customer account",
                SiteAt::Unknown => "in an unknown account",
            },
            list(&self.blocking),
            self.package
        )
    }
}

/// F1: hand a finished site over to the customer and sell its services.
///
/// Calls, in order:
/// 1. Query Sites on the customer's account (`id` = the site). When the site is
///    there, the transfer is done: steps 2 and 3 are skipped.
/// 2. Query Packages on the team account (`productInstances.siteId`): a live
///    instance on the site blocks the transfer (T6), so the flow refuses before
///    changing anything, with `SITE_TRANSFER_NOT_SUPPORTED` (428) naming the
///    blocking instances (in [`PortError::violations`] and in the left state).
///    Cancel them first, or use [`super::transfer_paid_site`] (F5).
/// 3. Transfer Site (`wix-account-id` = customer, source = team account), read
///    back before each retry.
/// 4. Create Package in the customer's account with every product on the site,
///    through create-once with `external_id`.
///
/// Run again after any failure: a transferred site is found in step 1 and the
/// package by its external id in step 4.
///
/// # Errors
/// [`Stopped`] at the step that failed, with where the site is and whether the
/// package exists.
pub async fn hand_over_site<W>(
    wix: &W,
    input: &HandOver,
    attempts: Attempts,
) -> Result<HandedOver, Stopped<HandOverStep, HandOverLeft>>
where
    W: ResellerPackages + SiteTransfers + Sites + ?Sized,
{
    let stop = |step, cause, site_at, blocking, package| Stopped {
        step,
        cause,
        left: HandOverLeft {
            site: input.site,
            site_at,
            blocking,
            package,
        },
    };
    let there = read(attempts, || {
        site_in(wix, input.customer_account, input.site)
    })
    .await
    .map_err(|e| {
        stop(
            HandOverStep::LocateSite,
            e,
            SiteAt::Unknown,
            Vec::new(),
            PackageLeft::NotCreated,
        )
    })?;
    let transfer = if there {
        Outcome::AlreadyDone
    } else {
        let team = on(input.team_account);
        let packages = read(attempts, || packages_on_site(wix, &team, input.site))
            .await
            .map_err(|e| {
                stop(
                    HandOverStep::CheckPaidServices,
                    e,
                    SiteAt::Source,
                    Vec::new(),
                    PackageLeft::NotCreated,
                )
            })?;
        let blocking: Vec<InstanceId> = packages
            .iter()
            .flat_map(|p| p.instances())
            .filter(|i| i.site() == Some(input.site) && i.is_live())
            .map(|i| i.id())
            .collect();
        if !blocking.is_empty() {
            let refusal = PortError::from(Violation::SiteTransferNotSupported {
                site: input.site,
                instances: blocking.clone(),
                external_services: Vec::new(),
            });
            return Err(stop(
                HandOverStep::CheckPaidServices,
                SafeError::Refused(refusal),
                SiteAt::Source,
                blocking,
                PackageLeft::NotCreated,
            ));
        }
        let request = SiteTransfer {
            site: input.site,
            source_account: input.team_account,
            enable_notifications: input.enable_notifications,
        };
        transfer_once(wix, input.customer_account, &request, attempts)
            .await
            .map_err(|e| {
                let at = e.site_at();
                stop(
                    HandOverStep::Transfer,
                    e.cause,
                    at,
                    Vec::new(),
                    PackageLeft::NotCreated,
                )
            })?;
        Outcome::Done
    };
    let products = input
        .products
        .iter()
        .map(|p| p.instance(Some(input.site)))
        .collect();
    let package = create_once(
        wix,
        &on(input.customer_account),
        &create_request(products).external_id(input.external_id.clone()),
        attempts,
    )
    .await
    .map_err(|e| {
        let package = PackageLeft::after(&e);
        stop(
            HandOverStep::CreatePackage,
            e,
            SiteAt::Target,
            Vec::new(),
            package,
        )
    })?;
    Ok(HandedOver { transfer, package })
}
