//! The changes between two states of one package, as the events say them.

use reseller_domain::{InstanceStatus, Package};

use super::event::ChangeKind;

/// The changes between the last state seen of a package (`None`: never seen) and
/// the state read now, in a fixed order: external id, then each instance in the
/// package's order (status, then site, then adjustments), then removed instances,
/// then package-canceled.
pub fn changes(before: Option<&Package>, now: &Package) -> Vec<ChangeKind> {
    let Some(before) = before else {
        return vec![ChangeKind::PackageCreated {
            package: now.clone(),
        }];
    };
    let mut out = Vec::new();
    if before.external_id() != now.external_id() {
        out.push(ChangeKind::ExternalIdChanged {
            from: before.external_id().cloned(),
            to: now.external_id().cloned(),
        });
    }
    for inst in now.instances() {
        let id = inst.id();
        let Some(old) = before.instance(id) else {
            out.push(ChangeKind::InstanceAdded {
                instance: inst.clone(),
            });
            continue;
        };
        if old.status() != inst.status() {
            out.push(match inst.status() {
                InstanceStatus::Pending => ChangeKind::InstancePending { instance: id },
                InstanceStatus::AwaitingAction => {
                    ChangeKind::InstanceAwaitingAction { instance: id }
                }
                InstanceStatus::Enabled => ChangeKind::InstanceEnabled { instance: id },
                InstanceStatus::Failed(failure) => ChangeKind::InstanceFailed {
                    instance: id,
                    failure: failure.clone(),
                },
                InstanceStatus::Canceled => ChangeKind::InstanceCanceled { instance: id },
            });
        }
        if old.site() != inst.site() {
            out.push(match (old.site(), inst.site()) {
                (from, Some(site)) => ChangeKind::InstanceAssigned {
                    instance: id,
                    site,
                    from,
                },
                (Some(from), None) => ChangeKind::InstanceUnassigned { instance: id, from },
                (None, None) => continue,
            });
        }
        if old.catalog_product_id() != inst.catalog_product_id()
            || old.billing() != inst.billing()
            || old.discount_code() != inst.discount_code()
        {
            out.push(ChangeKind::InstanceAdjusted {
                instance: id,
                catalog_product_id: inst.catalog_product_id(),
                billing: inst.billing(),
                discount_code: inst.discount_code().cloned(),
            });
        }
    }
    for old in before.instances() {
        if now.instance(old.id()).is_none() {
            out.push(ChangeKind::InstanceRemoved { instance: old.id() });
        }
    }
    let all_canceled = |p: &Package| {
        p.instances()
            .iter()
            .all(|i| matches!(i.status(), InstanceStatus::Canceled))
    };
    if all_canceled(now) && !all_canceled(before) {
        out.push(ChangeKind::PackageCanceled);
    }
    out
}
