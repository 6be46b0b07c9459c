//! The operations on a whole package: Get Package (E2), Cancel Package (E4) and
//! Update Package External Id (E9).

use super::{finish, settled};
use crate::auth::Caller;
use crate::error::{Refusal, Violation};
use crate::ids::PackageId;
use crate::ops::{DomainEvent, Done, dependents};
use crate::package::Package;
use crate::text::ExternalId;
use crate::time::Timestamp;
use crate::world::WorldView;

/// Get Package (E2): the package, when it belongs to the header account.
///
/// # Errors
/// `PACKAGE_NOT_FOUND` (404) when unknown or owned by another account.
pub fn get_package<'w>(
    world: &'w impl WorldView,
    caller: &Caller,
    id: PackageId,
) -> Result<&'w Package, Refusal> {
    world
        .package(id)
        .filter(|p| p.account_id() == caller.account)
        .ok_or_else(|| Refusal::one(Violation::PackageNotFound { package: id }))
}

/// Cancel Package (E4): cancels every live instance; canceled and failed instances
/// stay as they are. Canceling a fully canceled package changes nothing (200).
///
/// # Errors
/// `PACKAGE_NOT_FOUND` (404) when unknown or owned by another account.
pub fn cancel_package(
    world: &impl WorldView,
    caller: &Caller,
    id: PackageId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let mut package = get_package(world, caller, id)?.clone();
    let mut events = Vec::new();
    for inst in package.instances_mut() {
        if inst.cancel(now) {
            events.push(DomainEvent::InstanceCanceled {
                package: id,
                instance: inst.id(),
            });
        }
    }
    let done = finish(
        package,
        events,
        now,
        Some(DomainEvent::PackageCanceled { package: id }),
    );
    Ok(dependents::settle(world, done, now))
}

/// Update Package External Id (E9).
///
/// # Errors
/// `PACKAGE_NOT_FOUND` (404) when unknown or owned by another account.
pub fn update_external_id(
    world: &impl WorldView,
    caller: &Caller,
    id: PackageId,
    external_id: ExternalId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let mut package = get_package(world, caller, id)?.clone();
    let mut events = Vec::new();
    if package.external_id() != Some(&external_id) {
        package.set_external_id(Some(external_id));
        events.push(DomainEvent::ExternalIdChanged { package: id });
    }
    Ok(settled(world, package, events, now))
}
