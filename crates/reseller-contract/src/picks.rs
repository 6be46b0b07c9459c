//! What the model-based and property tests pick from a world: a random status, and
//! the instance or package a random index names. Written once here for the
//! domain's property tests and the in-memory Wix's model test, which pick alike.

use reseller_domain::world::World;
use reseller_domain::{Failure, FailureCode, InstanceId, InstanceStatus, PackageId};

use crate::fixture::{UNKNOWN_INSTANCE, UNKNOWN_PACKAGE};

/// One of the five statuses, by `n` modulo 5 (a failure carries its reason).
pub fn status_of(n: u8) -> InstanceStatus {
    match n % 5 {
        0 => InstanceStatus::Pending,
        1 => InstanceStatus::AwaitingAction,
        2 => InstanceStatus::Enabled,
        3 => InstanceStatus::Failed(Failure {
            code: FailureCode::DeliveryTimeout,
            message: "late".into(),
        }),
        _ => InstanceStatus::Canceled,
    }
}

/// Every instance id of `world`, package by package in id order.
pub fn instance_ids(world: &World) -> Vec<InstanceId> {
    world
        .packages
        .values()
        .flat_map(|p| p.instances().iter().map(|i| i.id()))
        .collect()
}

/// The instance `pick` names (modulo their number), or [`UNKNOWN_INSTANCE`] in a
/// world without one.
pub fn pick_instance(world: &World, pick: usize) -> InstanceId {
    let all = instance_ids(world);
    all.get(pick.checked_rem(all.len()).unwrap_or(0))
        .copied()
        .unwrap_or(UNKNOWN_INSTANCE)
}

/// The package `pick` names (modulo their number), or [`UNKNOWN_PACKAGE`] in a
/// world without one.
pub fn pick_package(world: &World, pick: usize) -> PackageId {
    let count = world.packages.len();
    world
        .packages
        .keys()
        .nth(pick.checked_rem(count).unwrap_or(0))
        .copied()
        .unwrap_or(UNKNOWN_PACKAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_world_picks_the_unknown_ids() {
        let world = World::new();
        assert_eq!(pick_instance(&world, 7), UNKNOWN_INSTANCE);
        assert_eq!(pick_package(&world, 7), UNKNOWN_PACKAGE);
        assert!(instance_ids(&world).is_empty());
        assert_eq!(status_of(8).name(), status_of(3).name());
    }
}
