//! Expiring instances: an instance of a product that `expires` (domains by
//! default) carries an `expirationDate`; when the clock reaches it, the instance is
//! canceled (the reseller did not extend it) and the instances that required it
//! on its site float. [`extend_instance`] stands for the extension a reseller makes
//! in Wix's dashboard (Wix offers no API for it).

use super::packages::{finish, package_holding, settled};
use super::{DomainEvent, Done};
use crate::error::{Refusal, RuleType, Violation};
use crate::ids::InstanceId;
use crate::package::Package;
use crate::time::Timestamp;
use crate::world::WorldView;

/// The `expirationDate` a new instance of an expiring product gets: one billing
/// cycle after `created` (a `ONE_TIME` product: one year), in calendar
/// arithmetic; the latest writable date when that lies past 9999-12-31.
pub fn first_expiration(billing: Option<crate::Billing>, created: Timestamp) -> Timestamp {
    billing
        .unwrap_or(crate::Billing::OneTime)
        .after(created, 1)
        .unwrap_or_else(Timestamp::max_writable)
}

/// Cancels an instance whose `expirationDate` has come (`now` at or after it),
/// and floats what required it on its site. An instance that is not due, has no
/// date, or is already canceled or failed changes nothing.
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND` for an unknown instance.
pub fn expire_instance(
    world: &impl WorldView,
    id: InstanceId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let mut package = package_holding(world, id)?;
    let mut events = Vec::new();
    if let Some(inst) = package.instance_mut(id) {
        let due = inst.expiration().is_some_and(|at| at <= now);
        if due && inst.cancel(now) {
            events.push(DomainEvent::InstanceExpired {
                package: package.id(),
                instance: id,
            });
            events.push(DomainEvent::InstanceCanceled {
                package: package.id(),
                instance: id,
            });
        }
    }
    Ok(settled(world, package, events, now))
}

/// Moves an expiring instance's `expirationDate` on by `cycles` billing cycles of
/// its billing (a `ONE_TIME` billing: years), from its current date. Wix acting
/// (the dashboard): no account check.
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND` for an unknown instance; 400 `cycles` `MIN` below
/// 1 and `MAX` when the date would pass 9999-12-31; `INSTANCE_NOT_EXTENDABLE`
/// (409) for an instance without `expirationDate` or not `PENDING`/`ENABLED`.
pub fn extend_instance(
    world: &impl WorldView,
    id: InstanceId,
    cycles: i64,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let mut package = package_holding(world, id)?;
    let Some(inst) = package.instance_mut(id) else {
        return Err(Refusal::one(Violation::ProductInstanceNotFound {
            instance: id,
        }));
    };
    let Some(current) = inst.expiration() else {
        return Err(Refusal::one(Violation::InstanceNotExtendable {
            instance: id,
            reason: "it has no expirationDate".to_owned(),
        }));
    };
    if !inst.is_active() {
        return Err(Refusal::one(Violation::InstanceNotExtendable {
            instance: id,
            reason: format!("it is {}", inst.status().name()),
        }));
    }
    let cycles = u32::try_from(cycles)
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| {
            Refusal::one(Violation::field(
                "cycles",
                RuleType::Min,
                format!("must be at least 1, got {cycles}"),
            ))
        })?;
    let billing = inst.billing().unwrap_or(crate::Billing::OneTime);
    let next = billing.after(current, cycles).ok_or_else(|| {
        Refusal::one(Violation::field(
            "cycles",
            RuleType::Max,
            "the expirationDate would pass 9999-12-31",
        ))
    })?;
    inst.set_expiration(next, now);
    let events = vec![DomainEvent::InstanceExtended {
        package: package.id(),
        instance: id,
    }];
    Ok(finish(package, events, now, None))
}
