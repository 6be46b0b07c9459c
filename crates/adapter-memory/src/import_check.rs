//! The invariants a state document must keep before it replaces the world
//! (`PUT /_emulator/state`): the same facts the live store never breaks, checked
//! on the world built from the document, each named by its document path.

use std::collections::HashMap;

use reseller_domain::InstanceId;
use reseller_domain::world::WorldView;
use reseller_ports::PortError;

use crate::engine::seed_violation;
use crate::state::State;

/// The first problem of `st` (built from a document whose packages are
/// `packages` in document order), as a 400 naming its path; `Ok` when none.
///
/// # Errors
/// A field violation naming the member and the broken invariant.
pub(crate) fn check(st: &State, packages: &[reseller_domain::Package]) -> Result<(), PortError> {
    let mut instances: HashMap<InstanceId, (usize, usize)> = HashMap::new();
    for (i, p) in packages.iter().enumerate() {
        for (j, instance) in p.instances().iter().enumerate() {
            if let Some((pi, pj)) = instances.insert(instance.id(), (i, j)) {
                return Err(seed_violation(
                    &format!("packages[{i}].productInstances[{j}].id"),
                    format!(
                        "instance `{}` is also packages[{pi}].productInstances[{pj}]",
                        instance.id()
                    ),
                ));
            }
        }
    }
    if st.packages.len() != packages.len() {
        return Err(seed_violation(
            "packages",
            "two packages share an id".to_owned(),
        ));
    }
    for (i, p) in packages.iter().enumerate() {
        let path = format!("packages[{i}]");
        let Some(owner) = st.account(p.account_id()) else {
            return Err(seed_violation(
                &format!("{path}.accountId"),
                format!("no account `{}` in this state", p.account_id()),
            ));
        };
        let top = owner.parent.unwrap_or(owner.id);
        if p.parent_account_id().is_some_and(|parent| parent != top) {
            return Err(seed_violation(
                &format!("{path}.parentAccountId"),
                format!("the package's account `{}` belongs to `{top}`", owner.id),
            ));
        }
        for (j, instance) in p.instances().iter().enumerate() {
            let at = format!("{path}.productInstances[{j}]");
            if !st.catalog.contains_key(&instance.catalog_product_id()) {
                return Err(seed_violation(
                    &format!("{at}.catalogProductId"),
                    format!(
                        "no product `{}` in this state's catalog",
                        instance.catalog_product_id()
                    ),
                ));
            }
            if let Some(site) = instance.site() {
                match st.sites.get(&site) {
                    None => {
                        return Err(seed_violation(
                            &format!("{at}.siteId"),
                            format!("no site `{site}` in this state"),
                        ));
                    }
                    // Only a live instance is tied to its owner's site: a transfer
                    // (which live instances block) leaves canceled and failed ones
                    // on a site that another account now owns.
                    Some(s) if s.owner != p.account_id() && instance.is_live() => {
                        return Err(seed_violation(
                            &format!("{at}.siteId"),
                            format!(
                                "site `{site}` belongs to account `{}`, not to the package's account",
                                s.owner
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
            if let Some(reference) = instance.reference() {
                if reference == instance.id() {
                    return Err(seed_violation(
                        &format!("{at}.referenceProductInstanceId"),
                        "an instance cannot be its own reference".to_owned(),
                    ));
                }
                if !instances.contains_key(&reference) {
                    return Err(seed_violation(
                        &format!("{at}.referenceProductInstanceId"),
                        format!("no instance `{reference}` in this state"),
                    ));
                }
            }
        }
    }
    dependents(st, packages)?;
    if let Some(problem) = st.violations().into_iter().next() {
        return Err(seed_violation("packages", problem));
    }
    Ok(())
}

/// The rule of dependent services (`reseller_domain::ops::dependents`): after every
/// operation, no live instance sits on a site without an active (`PENDING` or
/// `ENABLED`) instance of the type its product requires. A document that breaks it
/// is a world the live store can never reach, so it is refused at the dependent
/// instance's `siteId`, naming the instance, the site and the required type.
fn dependents(st: &State, packages: &[reseller_domain::Package]) -> Result<(), PortError> {
    for (i, p) in packages.iter().enumerate() {
        for (j, instance) in p.instances().iter().enumerate() {
            let (Some(site), true) = (instance.site(), instance.is_live()) else {
                continue;
            };
            let Some(required) = st
                .product(instance.catalog_product_id())
                .and_then(|product| product.requires_product_type.as_ref())
            else {
                continue;
            };
            let held = st.instances_on_site(site).into_iter().any(|other| {
                other.is_active()
                    && st
                        .product(other.catalog_product_id())
                        .is_some_and(|product| &product.product_type == required)
            });
            if !held {
                return Err(seed_violation(
                    &format!("packages[{i}].productInstances[{j}].siteId"),
                    format!(
                        "instance `{}` is {} on site `{site}`, which holds no active \
                         instance of type `{required}` (its product `{}` requires one)",
                        instance.id(),
                        instance.status().name(),
                        instance.catalog_product_id()
                    ),
                ));
            }
        }
    }
    Ok(())
}
