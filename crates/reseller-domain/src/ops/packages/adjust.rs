//! Adjust Product Instance Specifications (E8): the request and its rules (swap
//! the product within its type, change the billing cycle).

use super::billing::{BillingMode, BillingRequest, resolve_billing};
use super::checks::{
    R_BILLING, R_INCOMPATIBLE_PRODUCT, R_INVALID_PRODUCTS, R_LIMIT, R_NOT_ADJUSTABLE,
    R_NOT_SUPPORTED, R_PRODUCT_NOT_FOUND, R_SETTINGS, R_SITE, R_STATUS, site_owned,
    terminal_status, unsupported_on_site,
};
use super::{owned_instance, settled};
use crate::auth::Caller;
use crate::billing::BillingKind;
use crate::error::{MissingDetail, Refusal, Violation};
use crate::ids::{CatalogProductId, InstanceId};
use crate::ops::{DomainEvent, Done, Findings};
use crate::package::Package;
use crate::text::DiscountCode;
use crate::time::Timestamp;
use crate::world::WorldView;

/// Adjust Product Instance Specifications (E8).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Adjust {
    /// `catalogProductId`: the product to swap to (same product type).
    pub catalog_product_id: Option<CatalogProductId>,
    /// `billingInfo`: the new cycle.
    pub billing: Option<BillingRequest>,
    /// `discountCode`: taken into account only with a new `catalogProductId`.
    pub discount_code: Option<DiscountCode>,
}

/// Adjust Product Instance Specifications (E8): swap the product within its type
/// and/or change the billing cycle (R8.1-R8.7).
///
/// With a new product and no `billingInfo`, the instance keeps its billing when the
/// new product supports it, takes the product's only cycle otherwise, and needs a
/// cycle when the product has several. A `discountCode` without a new product is
/// ignored.
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND`; `MISSING_PRODUCT_DETAILS` (three messages);
/// `INCOMPATIBLE_PRODUCT_INSTANCE_STATUS`; `PRODUCT_NOT_FOUND`; `INVALID_PRODUCTS`;
/// `PRODUCT_SETTINGS_NOT_FOUND`; `INCOMPATIBLE_PRODUCT`; the billing codes;
/// `PRODUCT_LIMIT_EXCEEDED`; `SITE_NOT_FOUND`; `PRODUCT_NOT_SUPPORTED_ON_SITE`; a
/// 400 field violation for a cycle count below 1.
pub fn adjust_instance(
    world: &impl WorldView,
    caller: &Caller,
    id: InstanceId,
    cmd: &Adjust,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let (package, instance) = owned_instance(world, caller, id).map_err(Refusal::one)?;
    let billing_given = cmd.billing.filter(|b| b.kind != BillingKind::Unknown);
    match (cmd.catalog_product_id, cmd.billing, billing_given) {
        (None, None, _) => {
            return Err(Refusal::one(Violation::MissingProductDetails(
                MissingDetail::CatalogProductId,
            )));
        }
        (None, Some(_), None) => {
            return Err(Refusal::one(Violation::MissingProductDetails(
                MissingDetail::BillingInfo,
            )));
        }
        _ => {}
    }
    let mut found = Findings::default();
    if let Some(v) = terminal_status(instance) {
        found.add(R_STATUS, v);
    }
    let current = world.product(instance.catalog_product_id());
    if let Some(cur) = current.filter(|p| !p.adjustable) {
        found.add(
            R_NOT_ADJUSTABLE,
            Violation::OperationNotSupportedForProduct { product: cur.id },
        );
    }
    let target = match cmd.catalog_product_id {
        Some(pid) => match world.product(pid) {
            Some(p) => Some(p),
            None => {
                found.add(
                    R_PRODUCT_NOT_FOUND,
                    Violation::ProductNotFound { product: pid },
                );
                None
            }
        },
        None => {
            if current.is_none() {
                found.add(
                    R_PRODUCT_NOT_FOUND,
                    Violation::ProductNotFound {
                        product: instance.catalog_product_id(),
                    },
                );
            }
            current
        }
    };
    let mut new_billing = None;
    // A swap across types is refused outright; site prerequisites are judged only
    // for a product that could really replace the current one.
    let mut same_type = true;
    if let Some(target) = target {
        let swapping = target.id != instance.catalog_product_id();
        if swapping {
            if !target.resellable {
                found.add(
                    R_INVALID_PRODUCTS,
                    Violation::InvalidProducts {
                        products: vec![target.id],
                    },
                );
            }
            if !target.has_settings {
                found.add(
                    R_SETTINGS,
                    Violation::ProductSettingsNotFound { product: target.id },
                );
            }
            if let Some(cur) = current {
                same_type = cur.product_type == target.product_type;
                if !same_type {
                    found.add(
                        R_INCOMPATIBLE_PRODUCT,
                        Violation::IncompatibleProduct {
                            existing_type: cur.product_type.clone(),
                            existing_product: cur.id,
                            target_product: target.id,
                        },
                    );
                }
            }
            if let Some(limit) = target.subscription_limit {
                let current_count =
                    world.live_subscriptions(target.id, world.top_of(package.account_id()));
                if current_count >= limit {
                    found.add(
                        R_LIMIT,
                        Violation::ProductLimitExceeded {
                            product: target.id,
                            current: current_count,
                        },
                    );
                }
            }
        }
        match resolve_billing(
            target,
            billing_given,
            instance.billing(),
            BillingMode::Adjust,
            "billingInfo",
        ) {
            Ok(b) => new_billing = b,
            Err(v) => found.add(R_BILLING, v),
        }
        if let Some(site) = instance.site() {
            match site_owned(world, caller, site) {
                Err(v) => found.add(R_SITE, v),
                Ok(()) => {
                    if swapping && same_type {
                        if let Some(v) = unsupported_on_site(world, site, target, Some(id)) {
                            found.add(R_NOT_SUPPORTED, v);
                        }
                    }
                }
            }
        }
    }
    if let Some(refusal) = found.into_refusal() {
        return Err(refusal);
    }
    let mut package = package.clone();
    let swap = cmd
        .catalog_product_id
        .map(|pid| (pid, cmd.discount_code.clone()));
    if let Some(inst) = package.instance_mut(id) {
        inst.adjust(swap, new_billing, now);
    }
    let events = vec![DomainEvent::InstanceAdjusted {
        package: package.id(),
        instance: id,
    }];
    Ok(settled(world, package, events, now))
}
