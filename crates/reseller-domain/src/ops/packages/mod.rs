//! The nine package and product-instance operations (E1-E9 of the spec), plus the
//! status moves Wix's provisioning makes, one file per concern. Every operation
//! that can take an instance off a site or out of the active statuses ends in
//! `dependents::settle`. This file holds what they all share: finding a caller's
//! instance and storing a changed package.

mod adjust;
mod billing;
mod checks;
mod create;
mod moves;
mod package;
mod voucher;

pub use adjust::{Adjust, adjust_instance};
pub use billing::BillingRequest;
pub use create::{CreatePackage, NewInstance, create_package};
pub use moves::{assign_instance, cancel_instance, set_instance_status, unassign_instance};
pub use package::{cancel_package, get_package, update_external_id};

use super::{Changes, DomainEvent, Done, dependents};
use crate::auth::Caller;
use crate::error::{Refusal, Violation};
use crate::ids::InstanceId;
use crate::instance::ProductInstance;
use crate::package::Package;
use crate::time::Timestamp;
use crate::world::WorldView;

/// Stores the package when events happened, touching `updatedDate`.
pub(super) fn finish(
    mut package: Package,
    mut events: Vec<DomainEvent>,
    now: Timestamp,
    summary: Option<DomainEvent>,
) -> Done<Package> {
    if events.is_empty() {
        return Done {
            answer: package,
            changes: Changes::default(),
        };
    }
    package.touch(now);
    if let Some(s) = summary {
        events.push(s);
    }
    Done {
        answer: package.clone(),
        changes: Changes {
            packages: vec![package],
            events,
            ..Changes::default()
        },
    }
}

/// The instance and its package, when the package belongs to the header account.
fn owned_instance<'w>(
    world: &'w impl WorldView,
    caller: &Caller,
    id: InstanceId,
) -> Result<(&'w Package, &'w ProductInstance), Violation> {
    world
        .package_of_instance(id)
        .filter(|p| p.account_id() == caller.account)
        .and_then(|p| p.instance(id).map(|i| (p, i)))
        .ok_or(Violation::ProductInstanceNotFound { instance: id })
}

/// The package holding instance `id`, to change, whoever owns it (Wix acting: no
/// account check).
pub(super) fn package_holding(world: &impl WorldView, id: InstanceId) -> Result<Package, Refusal> {
    world
        .package_of_instance(id)
        .cloned()
        .ok_or_else(|| Refusal::one(Violation::ProductInstanceNotFound { instance: id }))
}

/// [`finish`] without a summary event, then `dependents::settle`: how an operation
/// that can take an instance off a site or out of the active statuses ends.
pub(super) fn settled(
    world: &impl WorldView,
    package: Package,
    events: Vec<DomainEvent>,
    now: Timestamp,
) -> Done<Package> {
    dependents::settle(world, finish(package, events, now, None), now)
}
