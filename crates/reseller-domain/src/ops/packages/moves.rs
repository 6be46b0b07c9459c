//! Instance moves: Assign (E5), Unassign (E6) and Cancel (E7) Product Instance,
//! and the status moves Wix's provisioning makes.

use super::checks::{
    R_NOT_SUPPORTED, R_PRODUCT_NOT_FOUND, R_SITE, R_STATUS, R_TYPE_TAKEN, site_owned,
    terminal_status, type_taken, unsupported_on_site,
};
use super::{owned_instance, package_holding, settled};
use crate::auth::Caller;
use crate::error::{Refusal, Violation};
use crate::ids::{InstanceId, SiteId};
use crate::instance::{Assignment, InstanceStatus};
use crate::ops::{DomainEvent, Done, Findings};
use crate::package::Package;
use crate::time::Timestamp;
use crate::world::WorldView;

/// Assign Product Instance To Site (E5). Moves an assigned instance directly
/// (R5.3); assigning to the site it is already on changes nothing. When refused, the
/// instance stays where it was.
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND`; `INCOMPATIBLE_PRODUCT_INSTANCE_STATUS` for a
/// canceled or failed instance; `PRODUCT_NOT_FOUND` when its product left the
/// catalog; `SITE_NOT_FOUND`; `PRODUCT_TYPE_ALREADY_ASSIGNED`;
/// `PRODUCT_NOT_SUPPORTED_ON_SITE`.
pub fn assign_instance(
    world: &impl WorldView,
    caller: &Caller,
    id: InstanceId,
    site: SiteId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let (package, instance) = owned_instance(world, caller, id).map_err(Refusal::one)?;
    let mut found = Findings::default();
    if let Some(v) = terminal_status(instance) {
        found.add(R_STATUS, v);
    }
    let product = world.product(instance.catalog_product_id());
    if product.is_none() {
        found.add(
            R_PRODUCT_NOT_FOUND,
            Violation::ProductNotFound {
                product: instance.catalog_product_id(),
            },
        );
    }
    match site_owned(world, caller, site) {
        Err(v) => found.add(R_SITE, v),
        Ok(()) => {
            if let Some(product) = product {
                if let Some(v) = type_taken(world, site, product, Some(id)) {
                    found.add(R_TYPE_TAKEN, v);
                }
                if let Some(v) = unsupported_on_site(world, site, product, Some(id)) {
                    found.add(R_NOT_SUPPORTED, v);
                }
            }
        }
    }
    if let Some(refusal) = found.into_refusal() {
        return Err(refusal);
    }
    let previous = instance.site();
    let mut package = package.clone();
    let mut events = Vec::new();
    if previous != Some(site) {
        if let Some(inst) = package.instance_mut(id) {
            inst.set_assignment(Assignment::Site(site), now);
            events.push(DomainEvent::InstanceAssigned {
                package: package.id(),
                instance: id,
                site,
                previous,
            });
        }
    }
    Ok(settled(world, package, events, now))
}

/// Unassign Product Instance From Site (E6): the instance becomes floating; a
/// floating instance stays as it is (200, nothing changes).
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND`.
pub fn unassign_instance(
    world: &impl WorldView,
    caller: &Caller,
    id: InstanceId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let (package, instance) = owned_instance(world, caller, id).map_err(Refusal::one)?;
    let mut package = package.clone();
    let mut events = Vec::new();
    if let Some(previous) = instance.site() {
        if let Some(inst) = package.instance_mut(id) {
            inst.set_assignment(Assignment::Floating, now);
            events.push(DomainEvent::InstanceUnassigned {
                package: package.id(),
                instance: id,
                previous,
            });
        }
    }
    Ok(settled(world, package, events, now))
}

/// Cancel Product Instance (E7): the other instances of the package are untouched; a
/// canceled or failed instance stays as it is (200, nothing changes).
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND`.
pub fn cancel_instance(
    world: &impl WorldView,
    caller: &Caller,
    id: InstanceId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let (package, _) = owned_instance(world, caller, id).map_err(Refusal::one)?;
    let mut package = package.clone();
    let mut events = Vec::new();
    if let Some(inst) = package.instance_mut(id) {
        if inst.cancel(now) {
            events.push(DomainEvent::InstanceCanceled {
                package: package.id(),
                instance: id,
            });
        }
    }
    Ok(settled(world, package, events, now))
}

/// Moves an instance's status as Wix's own provisioning would (the emulator's
/// control call and automatic provisioning). No account check: this is Wix acting.
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND` for an unknown instance; `ILLEGAL_STATUS_TRANSITION`
/// (409) for an edge that section 2.5 does not allow.
pub fn set_instance_status(
    world: &impl WorldView,
    id: InstanceId,
    status: InstanceStatus,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let mut package = package_holding(world, id)?;
    let to = status.name();
    let Some(inst) = package.instance_mut(id) else {
        return Err(Refusal::one(Violation::ProductInstanceNotFound {
            instance: id,
        }));
    };
    let from = inst.status().name();
    inst.transition(status, now).map_err(|e| {
        Refusal::one(Violation::IllegalStatusTransition {
            instance: id,
            from: e.from,
            to: e.to,
        })
    })?;
    let events = vec![DomainEvent::InstanceStatusChanged {
        package: package.id(),
        instance: id,
        from,
        to,
    }];
    Ok(settled(world, package, events, now))
}
