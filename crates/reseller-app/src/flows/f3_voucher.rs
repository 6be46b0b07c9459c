//! F3: a Premium plan, then an add-on package bought with the plan instance as
//! voucher reference (e.g. a free first-year domain).

use std::fmt;

use reseller_domain::{AccountId, ErrorCode, ExternalId, InstanceId, SiteId};
use reseller_ports::{ErrorKind, PortError, ResellerPackages};

use super::{PackageLeft, Product, Stopped, create_request, on};
use crate::safe::{Attempts, Created, SafeError, create_once};

/// The input of [`plan_with_voucher`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanWithVoucher {
    /// The account that buys both packages.
    pub account: AccountId,
    /// The site both go on.
    pub site: SiteId,
    /// The essential product (a Premium plan), with its billing and country.
    pub plan: Product,
    /// The add-on products, sold together in the second package. The first one is
    /// the voucher: it carries `referenceProductInstanceId` = the plan instance.
    /// The others are sold without a reference (an instance serves as a reference
    /// once only, so two products of one request cannot both use it).
    pub add_ons: Vec<Product>,
    /// The plan package's external id.
    pub plan_external_id: ExternalId,
    /// The add-on package's external id.
    pub add_on_external_id: ExternalId,
}

/// What [`plan_with_voucher`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherSold {
    /// The plan package.
    pub plan: Created,
    /// The plan instance the voucher references.
    pub plan_instance: InstanceId,
    /// The add-on package.
    pub add_on: Created,
}

/// The steps of [`plan_with_voucher`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoucherStep {
    /// Create Package (create-once) with the plan.
    Plan,
    /// Create Package (create-once) with the add-on(s), referencing the plan
    /// instance.
    AddOn,
}

impl fmt::Display for VoucherStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Plan => "F3 create the plan package",
            Self::AddOn => "F3 create the add-on package",
        })
    }
}

/// What a stopped [`plan_with_voucher`] left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherLeft {
    /// The plan package.
    pub plan: PackageLeft,
    /// The plan instance, when the plan package exists.
    pub plan_instance: Option<InstanceId>,
    /// The add-on package.
    pub add_on: PackageLeft,
}

impl fmt::Display for VoucherLeft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "plan: {}", self.plan)?;
        if let Some(i) = self.plan_instance {
            write!(f, " (instance {i})")?;
        }
        write!(f, "; add-on: {}", self.add_on)
    }
}

/// F3: the plan, then the add-on bought with the plan instance as voucher.
///
/// Calls, in order:
/// 1. create-once of the plan package (Query Packages by external id, then Create
///    Package) on the site.
/// 2. create-once of the add-on package on the site, its first product
///    referencing the plan instance (the instance of the plan's product in the
///    plan package).
///
/// The essential package comes first: an add-on that needs a Premium plan on its
/// site is refused (`PRODUCT_NOT_SUPPORTED_ON_SITE`) before it.
///
/// Run again after any failure: both packages are found by their external ids.
/// When the add-on is refused (e.g. `INVALID_REFERENCE_PRODUCT_INSTANCE_ID`:
/// the plan instance has served as a voucher already), the plan package stays.
///
/// # Errors
/// [`Stopped`] with which of the two packages exist.
pub async fn plan_with_voucher<W>(
    wix: &W,
    input: &PlanWithVoucher,
    attempts: Attempts,
) -> Result<VoucherSold, Stopped<VoucherStep, VoucherLeft>>
where
    W: ResellerPackages + ?Sized,
{
    let call = on(input.account);
    let plan_request = create_request(vec![input.plan.instance(Some(input.site))])
        .external_id(input.plan_external_id.clone());
    let plan = create_once(wix, &call, &plan_request, attempts)
        .await
        .map_err(|e| Stopped {
            step: VoucherStep::Plan,
            left: VoucherLeft {
                plan: PackageLeft::after(&e),
                plan_instance: None,
                add_on: PackageLeft::NotCreated,
            },
            cause: e,
        })?;
    let instances = plan.package.instances();
    let plan_instance = instances
        .iter()
        .find(|i| i.catalog_product_id() == input.plan.catalog_product_id)
        .or_else(|| instances.first())
        .map(|i| i.id());
    let Some(plan_instance) = plan_instance else {
        let unreadable = PortError::new(
            ErrorKind::UnreadableAnswer,
            ErrorCode::InvalidArgument,
            None,
            format!("package {} holds no instance", plan.package.id()),
        );
        return Err(Stopped {
            step: VoucherStep::Plan,
            cause: SafeError::Refused(unreadable),
            left: VoucherLeft {
                plan: PackageLeft::Exists(plan.package.id()),
                plan_instance: None,
                add_on: PackageLeft::NotCreated,
            },
        });
    };
    let products = input
        .add_ons
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let mut item = p.instance(Some(input.site));
            if n == 0 {
                item.reference = Some(plan_instance);
            }
            item
        })
        .collect();
    let add_on = create_once(
        wix,
        &call,
        &create_request(products).external_id(input.add_on_external_id.clone()),
        attempts,
    )
    .await
    .map_err(|e| Stopped {
        step: VoucherStep::AddOn,
        left: VoucherLeft {
            plan: PackageLeft::Exists(plan.package.id()),
            plan_instance: Some(plan_instance),
            add_on: PackageLeft::after(&e),
        },
        cause: e,
    })?;
    Ok(VoucherSold {
        plan,
        plan_instance,
        add_on,
    })
}
