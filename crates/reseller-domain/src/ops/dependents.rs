//! Dependent services: when a site stops holding an active (`PENDING` or
//! `ENABLED`) instance of a product type, every instance on that site whose product
//! requires that type becomes floating, in the same change (a domain needs the
//! Premium plan of its site). `settle` runs after every operation that can take
//! an instance away from a site or out of the active statuses; [`violations`] is
//! the invariant it keeps.

use std::collections::{BTreeMap, BTreeSet};

use super::{DomainEvent, Done};
use crate::ids::{InstanceId, PackageId, SiteId};
use crate::instance::{Assignment, ProductInstance};
use crate::package::Package;
use crate::text::ProductType;
use crate::time::Timestamp;
use crate::world::WorldView;

/// The world as an operation leaves it: `world` with the changed packages laid
/// over it.
struct Overlay<'a, W> {
    world: &'a W,
    changed: BTreeMap<PackageId, Package>,
}

impl<W: WorldView> Overlay<'_, W> {
    /// Every instance on `site` after the change, whatever its status.
    fn on_site(&self, site: SiteId) -> Vec<&ProductInstance> {
        let mut out: Vec<&ProductInstance> = self
            .world
            .instances_on_site(site)
            .into_iter()
            .filter(|i| {
                self.world
                    .package_of_instance(i.id())
                    .is_none_or(|p| !self.changed.contains_key(&p.id()))
            })
            .collect();
        out.extend(
            self.changed
                .values()
                .flat_map(Package::instances)
                .filter(|i| i.site() == Some(site)),
        );
        out
    }

    fn product_type(&self, instance: &ProductInstance) -> Option<&ProductType> {
        self.world
            .product(instance.catalog_product_id())
            .map(|p| &p.product_type)
    }

    fn required_type(&self, instance: &ProductInstance) -> Option<&ProductType> {
        self.world
            .product(instance.catalog_product_id())
            .and_then(|p| p.requires_product_type.as_ref())
    }

    /// The product types `site` holds: those of its active instances.
    fn held_types(&self, site: SiteId) -> BTreeSet<ProductType> {
        self.on_site(site)
            .into_iter()
            .filter(|i| i.is_active())
            .filter_map(|i| self.product_type(i).cloned())
            .collect()
    }

    /// Makes `instance` (of the package `package`) floating.
    fn float(&mut self, package: PackageId, instance: InstanceId, now: Timestamp) {
        let entry = match self.changed.entry(package) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => match self.world.package(package) {
                Some(p) => e.insert(p.clone()),
                None => return,
            },
        };
        if let Some(inst) = entry.instance_mut(instance) {
            inst.set_assignment(Assignment::Floating, now);
        }
        entry.touch(now);
    }
}

/// The product types `site` holds in `world` (its active instances' types).
fn held_in(world: &impl WorldView, site: SiteId) -> BTreeSet<ProductType> {
    world
        .instances_on_site(site)
        .into_iter()
        .filter(|i| i.is_active())
        .filter_map(|i| world.product(i.catalog_product_id()))
        .map(|p| p.product_type.clone())
        .collect()
}

/// The sites an instance of `changed` held a type on before the change and may no
/// longer: it was active there, and now is elsewhere, floating, or not active.
fn sites_that_may_have_lost(world: &impl WorldView, changed: &[Package]) -> BTreeSet<SiteId> {
    let mut sites = BTreeSet::new();
    for package in changed {
        let before = world.package(package.id());
        for after in package.instances() {
            let Some(prev) = before.and_then(|p| p.instance(after.id())) else {
                continue;
            };
            if let Some(site) = prev.site() {
                if prev.is_active() && (after.site() != Some(site) || !after.is_active()) {
                    sites.insert(site);
                }
            }
        }
    }
    sites
}

/// Applies the dependent-services rule to an operation's outcome: floats every
/// instance left on a site without an active instance of its required type, adds
/// its package to the changes (the answer too, when it is the answer's package)
/// and says what happened ([`DomainEvent::InstanceUnassigned`] for each floated
/// instance, [`DomainEvent::SiteStoppedHolding`] for each type a site lost).
pub(crate) fn settle(world: &impl WorldView, done: Done<Package>, now: Timestamp) -> Done<Package> {
    let Done {
        answer,
        mut changes,
    } = done;
    let sites = sites_that_may_have_lost(world, &changes.packages);
    if sites.is_empty() {
        return Done { answer, changes };
    }
    let mut overlay = Overlay {
        world,
        changed: changes.packages.drain(..).map(|p| (p.id(), p)).collect(),
    };
    let mut events = Vec::new();
    for site in sites {
        let before = held_in(world, site);
        loop {
            let held = overlay.held_types(site);
            let orphans: Vec<(PackageId, InstanceId)> = overlay
                .on_site(site)
                .into_iter()
                .filter(|i| i.is_live())
                .filter(|i| overlay.required_type(i).is_some_and(|t| !held.contains(t)))
                .filter_map(|i| world.package_of_instance(i.id()).map(|p| (p.id(), i.id())))
                .collect();
            if orphans.is_empty() {
                break;
            }
            for (package, instance) in orphans {
                overlay.float(package, instance, now);
                events.push(DomainEvent::InstanceUnassigned {
                    package,
                    instance,
                    previous: site,
                });
            }
        }
        let after = overlay.held_types(site);
        for product_type in before.difference(&after) {
            // The one place where the domain knows that a site stopped holding a
            // type: for `PREMIUM_PLAN`, that the site is no longer premium.
            events.push(DomainEvent::SiteStoppedHolding {
                site,
                product_type: product_type.clone(),
            });
        }
    }
    let answer = overlay.changed.get(&answer.id()).cloned().unwrap_or(answer);
    changes.packages = overlay.changed.into_values().collect();
    changes.events.extend(events);
    Done { answer, changes }
}

/// The invariant the rule keeps: every live instance on a site whose product
/// requires a type sits beside an active instance of that type. Answers one line
/// per instance that breaks it (empty when the world is sound).
pub fn violations(world: &impl WorldView, packages: &[&Package]) -> Vec<String> {
    let mut out = Vec::new();
    for instance in packages.iter().flat_map(|p| p.instances()) {
        let (Some(site), true) = (instance.site(), instance.is_live()) else {
            continue;
        };
        let Some(required) = world
            .product(instance.catalog_product_id())
            .and_then(|p| p.requires_product_type.as_ref())
        else {
            continue;
        };
        if !held_in(world, site).contains(required) {
            out.push(format!(
                "instance {} is {} on site {site} without an active {required}",
                instance.id(),
                instance.status().name()
            ));
        }
    }
    out
}
