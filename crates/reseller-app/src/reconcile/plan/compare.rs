//! Billing's products against the live package's live instances: exact matches,
//! then an adjust and/or a move of an instance of the same type and country, a
//! cancel of each instance billing no longer has, or a replace of the package
//! when Adjust and Move cannot reach what billing says.

use reseller_domain::{Package, PackageId, ProductInstance};

use super::super::desired::{DesiredProduct, Subscription};
use super::planner::{Planner, has_dependent, is_exactly, products_have_dependent};
use super::step::Action;
use super::{ADJUST, CANCEL, CANCEL_DEPENDENT, MOVE, MOVE_DEPENDENT, REPLACE, REPLACE_DEPENDENT};

impl Planner<'_> {
    /// Billing's products against the live package's live instances.
    pub(super) fn compare(
        &mut self,
        sub: &Subscription,
        package: &Package,
        mut retired: Vec<PackageId>,
    ) {
        let catalog = self.catalog;
        let mut free: Vec<&ProductInstance> =
            package.instances().iter().filter(|i| i.is_live()).collect();
        let mut unserved: Vec<&DesiredProduct> = Vec::new();
        // Exact matches first.
        for d in &sub.products {
            let exact = free.iter().position(|i| is_exactly(i, d));
            match exact {
                Some(at) => {
                    free.swap_remove(at);
                }
                None => unserved.push(d),
            }
        }
        // Then an instance of the same type and country: adjust and/or move.
        let mut pairs = Vec::new();
        let mut why = None;
        for d in unserved {
            let ty = catalog.product_type(d.catalog_product_id);
            let score = |i: &ProductInstance| {
                u8::from(i.site() == d.site) * 2
                    + u8::from(i.catalog_product_id() == d.catalog_product_id)
            };
            let best = free
                .iter()
                .enumerate()
                .filter(|(_, i)| {
                    ty.is_some()
                        && catalog.product_type(i.catalog_product_id()) == ty
                        && i.country_code() == Some(d.country_code)
                })
                .max_by_key(|(_, i)| score(i))
                .map(|(at, _)| at);
            match best {
                Some(at) => pairs.push((free.swap_remove(at), d)),
                None => {
                    let reason = if free
                        .iter()
                        .any(|i| ty.is_some() && catalog.product_type(i.catalog_product_id()) == ty)
                    {
                        format!("{} is sold for another country", d.catalog_product_id)
                    } else {
                        format!(
                            "billing adds {} and Wix cannot add a product to a package",
                            d.catalog_product_id
                        )
                    };
                    why.get_or_insert(reason);
                }
            }
        }
        if let Some(why) = why {
            self.leave_package(package);
            retired.push(package.id());
            retired.sort();
            let rank = if has_dependent(package, catalog)
                || products_have_dependent(&sub.products, catalog)
            {
                REPLACE_DEPENDENT
            } else {
                REPLACE
            };
            self.step(
                sub,
                package.account_id(),
                Action::Replace {
                    package: package.id(),
                    products: sub.products.clone(),
                    why,
                    retired,
                },
                rank,
            );
            return;
        }
        if free.is_empty() && pairs.is_empty() {
            self.unchanged += 1;
            return;
        }
        for i in free {
            self.leaving.insert(i.id());
            let rank = if catalog.is_dependent(i.catalog_product_id()) {
                CANCEL_DEPENDENT
            } else {
                CANCEL
            };
            self.step(
                sub,
                package.account_id(),
                Action::CancelInstance {
                    package: package.id(),
                    instance: i.id(),
                    product: i.catalog_product_id(),
                },
                rank,
            );
        }
        for (i, d) in pairs {
            let swap = i.catalog_product_id() != d.catalog_product_id;
            if swap || i.billing() != Some(d.billing) {
                self.step(
                    sub,
                    package.account_id(),
                    Action::Adjust {
                        package: package.id(),
                        instance: i.id(),
                        product: i.catalog_product_id(),
                        billing: i.billing(),
                        to_product: swap.then_some(d.catalog_product_id),
                        to_billing: d.billing,
                        discount_code: if swap { d.discount_code.clone() } else { None },
                    },
                    ADJUST,
                );
            }
            if i.site() != d.site {
                if i.site().is_some() {
                    self.leaving.insert(i.id());
                }
                let rank = if catalog.is_dependent(d.catalog_product_id) {
                    MOVE_DEPENDENT
                } else {
                    MOVE
                };
                self.step(
                    sub,
                    package.account_id(),
                    Action::Move {
                        package: package.id(),
                        instance: i.id(),
                        product: d.catalog_product_id,
                        from: i.site(),
                        to: d.site,
                        through_floating: false,
                    },
                    rank,
                );
            }
        }
    }
}
