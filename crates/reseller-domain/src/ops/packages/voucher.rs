//! Voucher references (`referenceProductInstanceId`): whether an instance may
//! serve as one, and marking the ones a created package used.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::ReferenceProblem;
use crate::ids::{AccountId, InstanceId, PackageId};
use crate::ops::DomainEvent;
use crate::package::Package;
use crate::text::ProductType;
use crate::world::WorldView;

/// Why `reference` cannot serve as a voucher for a new instance of `for_type` in
/// the family headed by `top`: unknown or outside the family, not `PENDING` or
/// `ENABLED`, already used (or named twice in the request), or of a product whose
/// `grantsVoucherFor` does not name `for_type`.
pub(super) fn reference_problem(
    world: &impl WorldView,
    top: AccountId,
    reference: InstanceId,
    for_type: &ProductType,
    seen_in_request: &BTreeSet<InstanceId>,
) -> Option<ReferenceProblem> {
    let holder = world
        .package_of_instance(reference)
        .filter(|p| world.top_of(p.account_id()) == top);
    let Some(instance) = holder.and_then(|p| p.instance(reference)) else {
        return Some(ReferenceProblem::NotFound);
    };
    let status = instance.status().name();
    if !status.is_active() {
        return Some(ReferenceProblem::Status(status));
    }
    if instance.used_as_reference() || seen_in_request.contains(&reference) {
        return Some(ReferenceProblem::AlreadyUsed);
    }
    let eligible = world
        .product(instance.catalog_product_id())
        .is_some_and(|p| p.grants_voucher(for_type));
    if !eligible {
        return Some(ReferenceProblem::NotEligible);
    }
    None
}

/// Marks every reference of `used` (reference, the new instance bought with it)
/// as used, one [`DomainEvent::ReferenceUsed`] each, and answers the packages
/// holding them, changed (each once).
pub(super) fn mark_references_used(
    world: &impl WorldView,
    used: Vec<(InstanceId, InstanceId)>,
    events: &mut Vec<DomainEvent>,
) -> Vec<Package> {
    let mut touched: BTreeMap<PackageId, Package> = BTreeMap::new();
    for (reference, by) in used {
        let Some(holder) = world.package_of_instance(reference) else {
            continue;
        };
        let entry = touched.entry(holder.id()).or_insert_with(|| holder.clone());
        if let Some(inst) = entry.instance_mut(reference) {
            inst.mark_used_as_reference();
        }
        events.push(DomainEvent::ReferenceUsed { reference, by });
    }
    touched.into_values().collect()
}
