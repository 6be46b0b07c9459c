//! The rules of one external id: unchanged, canceled (ended in billing), created
//! (no live package), or a problem (duplicates, a failed or waiting instance,
//! another account); then the orphans billing does not know, and the moves that
//! must go through floating because their target site is freed in the same plan.

use std::collections::{HashMap, HashSet};

use reseller_domain::{
    AccountId, ExternalId, InstanceId, Package, PackageId, ProductInstance, ProductType, SiteId,
    StatusName,
};

use super::super::catalog::Catalog;
use super::super::desired::{DesiredProduct, Subscription, SubscriptionStatus};
use super::problem::{Problem, ProblemKind};
use super::step::{Action, Step};
use super::{CANCEL, CANCEL_DEPENDENT, CREATE, CREATE_DEPENDENT, Plan};

/// Whether a package holds a live instance.
pub(crate) fn is_live(p: &Package) -> bool {
    p.instances().iter().any(ProductInstance::is_live)
}

/// The common case, without allocating: an active subscription whose one
/// package holds exactly its products, in its order, every instance `PENDING` or
/// `ENABLED`; or an ended one whose one package holds nothing live.
fn as_billing_says(sub: &Subscription, p: &Package) -> bool {
    if sub.status == SubscriptionStatus::Ended {
        return !is_live(p);
    }
    let instances = p.instances();
    p.account_id() == sub.account
        && instances.len() == sub.products.len()
        && instances.iter().zip(&sub.products).all(|(i, d)| {
            matches!(i.status().name(), StatusName::Pending | StatusName::Enabled)
                && is_exactly(i, d)
        })
}

/// Whether an instance is billing's product as billing says it: the product,
/// cycle, country and site.
pub(super) fn is_exactly(i: &ProductInstance, d: &DesiredProduct) -> bool {
    i.catalog_product_id() == d.catalog_product_id
        && i.billing() == Some(d.billing)
        && i.country_code() == Some(d.country_code)
        && i.site() == d.site
}

pub(super) fn has_dependent(p: &Package, catalog: &Catalog) -> bool {
    p.instances()
        .iter()
        .any(|i| i.is_live() && catalog.is_dependent(i.catalog_product_id()))
}

pub(super) fn products_have_dependent(ps: &[DesiredProduct], catalog: &Catalog) -> bool {
    ps.iter()
        .any(|p| catalog.is_dependent(p.catalog_product_id))
}

/// The plan being made: its steps and problems so far.
pub(super) struct Planner<'a> {
    pub(super) catalog: &'a Catalog,
    steps: Vec<Step>,
    problems: Vec<Problem>,
    pub(super) unchanged: usize,
    /// Live instances this plan cancels, unassigns or moves away from their site.
    pub(super) leaving: HashSet<InstanceId>,
}

impl<'a> Planner<'a> {
    /// A plan with nothing in it yet.
    pub(super) fn new(catalog: &'a Catalog) -> Self {
        Self {
            catalog,
            steps: Vec::new(),
            problems: Vec::new(),
            unchanged: 0,
            leaving: HashSet::new(),
        }
    }

    pub(super) fn leave_package(&mut self, p: &Package) {
        self.leaving
            .extend(p.instances().iter().filter(|i| i.is_live()).map(|i| i.id()));
    }

    pub(super) fn step(
        &mut self,
        sub: &Subscription,
        account: AccountId,
        action: Action,
        rank: u8,
    ) {
        self.steps.push(Step {
            external_id: sub.external_id.clone(),
            account,
            action,
            rank,
        });
    }

    fn problem(&mut self, external_id: &ExternalId, kind: ProblemKind) {
        self.problems.push(Problem {
            external_id: external_id.clone(),
            kind,
        });
    }

    /// The steps or problems of one subscription and its packages.
    pub(super) fn subscription(&mut self, sub: &Subscription, packages: &[&Package]) {
        if let [only] = packages {
            if as_billing_says(sub, only) {
                self.unchanged += 1;
                return;
            }
        }
        let mut live: Vec<&Package> = packages.iter().copied().filter(|p| is_live(p)).collect();
        live.sort_by_key(|p| (p.created(), p.id()));
        if sub.status == SubscriptionStatus::Ended {
            if live.is_empty() {
                self.unchanged += 1;
            }
            for p in live {
                self.leave_package(p);
                let rank = if has_dependent(p, self.catalog) {
                    CANCEL_DEPENDENT
                } else {
                    CANCEL
                };
                self.step(
                    sub,
                    p.account_id(),
                    Action::Cancel {
                        package: p.id(),
                        orphan: false,
                    },
                    rank,
                );
            }
            return;
        }
        let mut retired: Vec<PackageId> = packages
            .iter()
            .filter(|p| !is_live(p))
            .map(|p| p.id())
            .collect();
        retired.sort();
        // The package to judge: the live one, else the newest.
        let newest = packages
            .iter()
            .copied()
            .max_by_key(|p| (p.created(), p.id()));
        let judged = match live.as_slice() {
            [] => newest,
            [one] => Some(*one),
            several => {
                self.problem(
                    &sub.external_id,
                    ProblemKind::Duplicate {
                        packages: several.iter().map(|p| p.id()).collect(),
                    },
                );
                return;
            }
        };
        let before = self.problems.len();
        if let Some(p) = judged {
            self.instance_problems(sub, p);
        }
        if self.problems.len() > before {
            return;
        }
        let Some(package) = live.first().copied() else {
            let rank = if products_have_dependent(&sub.products, self.catalog) {
                CREATE_DEPENDENT
            } else {
                CREATE
            };
            self.step(
                sub,
                sub.account,
                Action::Create {
                    products: sub.products.clone(),
                    retired,
                },
                rank,
            );
            return;
        };
        if package.account_id() != sub.account {
            self.problem(
                &sub.external_id,
                ProblemKind::WrongAccount {
                    package: package.id(),
                    is: package.account_id(),
                    billing: sub.account,
                },
            );
            return;
        }
        self.compare(sub, package, retired);
    }

    /// Problems of the instances of `p` that billing's products concern.
    fn instance_problems(&mut self, sub: &Subscription, p: &Package) {
        for i in p.instances() {
            match i.status().name() {
                StatusName::AwaitingAction => self.problem(
                    &sub.external_id,
                    ProblemKind::AwaitingAction {
                        package: p.id(),
                        instance: i.id(),
                    },
                ),
                StatusName::Failed if self.wanted(sub, i) => {
                    if let Some(failure) = i.status().failure() {
                        self.problem(
                            &sub.external_id,
                            ProblemKind::Failed {
                                package: p.id(),
                                instance: i.id(),
                                failure: failure.clone(),
                            },
                        );
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether billing has a product of the instance's type (its product, when
    /// the catalog does not know it).
    fn wanted(&self, sub: &Subscription, i: &ProductInstance) -> bool {
        let ty = self.catalog.product_type(i.catalog_product_id());
        sub.products.iter().any(|d| {
            d.catalog_product_id == i.catalog_product_id()
                || (ty.is_some() && self.catalog.product_type(d.catalog_product_id) == ty)
        })
    }

    /// A live package whose external id billing does not know: canceled with
    /// `cancel`, else reported.
    pub(super) fn orphan(&mut self, external_id: &ExternalId, p: &Package, cancel: bool) {
        if cancel {
            self.leave_package(p);
            let rank = if has_dependent(p, self.catalog) {
                CANCEL_DEPENDENT
            } else {
                CANCEL
            };
            self.steps.push(Step {
                external_id: external_id.clone(),
                account: p.account_id(),
                action: Action::Cancel {
                    package: p.id(),
                    orphan: true,
                },
                rank,
            });
        } else {
            self.problem(
                external_id,
                ProblemKind::Orphan {
                    package: p.id(),
                    account: p.account_id(),
                },
            );
        }
    }

    /// Marks each move into a site whose occupant (the live instance of its type
    /// there in `actual`) leaves in this plan: it goes through floating.
    pub(super) fn route_through_floating(&mut self, actual: &[Package]) {
        let catalog = self.catalog;
        let targets: HashSet<(SiteId, &ProductType)> = self
            .steps
            .iter()
            .filter_map(|s| match &s.action {
                Action::Move {
                    product,
                    to: Some(site),
                    ..
                } => catalog.product_type(*product).map(|ty| (*site, ty)),
                _ => None,
            })
            .collect();
        if targets.is_empty() {
            return;
        }
        // The live instance of each target's type on its site now.
        let mut occupant: HashMap<(SiteId, &ProductType), InstanceId> = HashMap::new();
        for i in actual
            .iter()
            .flat_map(|p| p.instances())
            .filter(|i| i.is_live())
        {
            if let (Some(site), Some(ty)) = (i.site(), catalog.product_type(i.catalog_product_id()))
            {
                if targets.contains(&(site, ty)) {
                    occupant.insert((site, ty), i.id());
                }
            }
        }
        for step in &mut self.steps {
            if let Action::Move {
                product,
                to: Some(site),
                through_floating,
                ..
            } = &mut step.action
            {
                if let Some(ty) = catalog.product_type(*product) {
                    if let Some(i) = occupant.get(&(*site, ty)) {
                        *through_floating = self.leaving.contains(i);
                    }
                }
            }
        }
    }

    /// The plan, its steps in order (stable: within a rank, file order, orphans
    /// last).
    pub(super) fn into_plan(self, unkeyed: usize) -> Plan {
        let Self {
            mut steps,
            problems,
            unchanged,
            ..
        } = self;
        steps.sort_by_key(|s| s.rank);
        Plan {
            steps,
            problems,
            unchanged,
            unkeyed,
        }
    }
}
