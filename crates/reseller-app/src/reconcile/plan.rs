//! The plan: desired state and actual state in, steps and problems out. Pure: no
//! call to Wix, no clock, no randomness; the same inputs give the same plan.
//!
//! For each external id:
//! - nothing to do: its one live package holds exactly billing's products;
//! - [`Action::Create`]: active in billing, no live package at Wix;
//! - [`Action::Cancel`]: ended in billing, a package still live (every one, when
//!   there are several); with `cancel_orphans`, also a live package billing does
//!   not know;
//! - [`Action::CancelInstance`]: billing no longer has one of the package's products;
//! - [`Action::Adjust`]: same product type, other product or billing cycle;
//! - [`Action::Move`]: other site (or floating);
//! - [`Action::Replace`]: what Adjust and Move cannot reach (another product type,
//!   another country, a product added: Wix cannot add one to a package): cancel the
//!   package and create it again. Destructive.
//!
//! And the [`ProblemKind`]s a person must look at: an instance `FAILED` or
//! `AWAITING_ACTION`, two live packages for one active external id, a live package
//! billing does not know (an orphan), a package in another account than billing
//! says. An external id with a problem gets no step.
//!
//! Steps come in an order that keeps Wix's rules (see [`Plan::steps`]).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt;

use reseller_domain::{
    AccountId, Billing, CatalogProductId, DiscountCode, ExternalId, Failure, InstanceId, Package,
    PackageId, ProductInstance, ProductType, SiteId, StatusName,
};

use super::catalog::Catalog;
use super::desired::{DesiredProduct, DesiredState, SubscriptionStatus, billing_label};

/// Choices of the planner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Plan a cancel for each orphan (a live package whose external id billing does
    /// not know) instead of only reporting it.
    pub cancel_orphans: bool,
}

/// What one step does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Create the subscription's package (create-once by its external id).
    Create {
        /// Its products.
        products: Vec<DesiredProduct>,
        /// Packages with this external id that hold nothing live any more (canceled
        /// or replaced earlier); the create is keyed on them too, so that it makes a
        /// new package once, not none.
        retired: Vec<PackageId>,
    },
    /// Cancel a package.
    Cancel {
        /// The package.
        package: PackageId,
        /// Whether billing does not know it (only with `cancel_orphans`).
        orphan: bool,
    },
    /// Cancel one instance billing no longer has.
    CancelInstance {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// Its product.
        product: CatalogProductId,
    },
    /// Adjust an instance to another product of its type, or another cycle.
    Adjust {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// Its product now.
        product: CatalogProductId,
        /// Its billing now.
        billing: Option<Billing>,
        /// The new product, when it changes.
        to_product: Option<CatalogProductId>,
        /// The billing sent (the new cycle; also sent with a new product).
        to_billing: Billing,
        /// The discount code sent with a new product.
        discount_code: Option<DiscountCode>,
    },
    /// Move an instance to another site, or make it floating.
    Move {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// Its product.
        product: CatalogProductId,
        /// Where it is.
        from: Option<SiteId>,
        /// Where billing wants it (`None`: floating).
        to: Option<SiteId>,
        /// The target site holds an instance of the same type now, which leaves in
        /// this plan: the move unassigns first and assigns after every other move
        /// has left its site (two instances that swap sites).
        through_floating: bool,
    },
    /// Cancel the package and create it again with billing's products.
    Replace {
        /// The package canceled.
        package: PackageId,
        /// What the new package holds.
        products: Vec<DesiredProduct>,
        /// Why Adjust and Move cannot do it.
        why: String,
        /// Packages of this external id holding nothing live, plus `package`
        /// (see [`Action::Create`]).
        retired: Vec<PackageId>,
    },
}

/// The kind of a step, for counting and symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StepKind {
    /// `+`
    Create,
    /// `~` (adjust)
    Adjust,
    /// `~` (move)
    Move,
    /// `-`
    Cancel,
    /// `-/+`
    Replace,
}

impl StepKind {
    /// The table's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Create => "+",
            Self::Adjust | Self::Move => "~",
            Self::Cancel => "-",
            Self::Replace => "-/+",
        }
    }

    /// A lower-case name (`create`, `adjust`, `move`, `cancel`, `replace`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Adjust => "adjust",
            Self::Move => "move",
            Self::Cancel => "cancel",
            Self::Replace => "replace",
        }
    }
}

impl Action {
    /// Its kind.
    pub fn kind(&self) -> StepKind {
        match self {
            Self::Create { .. } => StepKind::Create,
            Self::Cancel { .. } | Self::CancelInstance { .. } => StepKind::Cancel,
            Self::Adjust { .. } => StepKind::Adjust,
            Self::Move { .. } => StepKind::Move,
            Self::Replace { .. } => StepKind::Replace,
        }
    }

    /// Whether a person must allow it (`--max-destroy`): it takes away a service
    /// billing still charges for.
    pub fn is_destructive(&self) -> bool {
        matches!(self, Self::Replace { .. })
    }
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The external id it serves (the orphan's own, for an orphan).
    pub external_id: ExternalId,
    /// The account it acts on (`wix-account-id`: the package's account).
    pub account: AccountId,
    /// What it does.
    pub action: Action,
    /// Its place in the order (see [`Plan::steps`]).
    pub(crate) rank: u8,
}

impl Step {
    /// The step in words, product names from `catalog`.
    pub fn describe(&self, catalog: &Catalog) -> String {
        let name = |id: CatalogProductId| {
            catalog
                .product(id)
                .filter(|p| !p.name.is_empty())
                .map_or_else(|| id.to_string(), |p| p.name.clone())
        };
        let site =
            |s: Option<SiteId>| s.map_or_else(|| "floating".to_owned(), |s| format!("site {s}"));
        let products = |ps: &[DesiredProduct]| {
            ps.iter()
                .map(|p| {
                    format!(
                        "{} ({}, {}) {}",
                        name(p.catalog_product_id),
                        billing_label(p.billing),
                        p.country_code,
                        site(p.site)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        match &self.action {
            Action::Create { products: ps, .. } => {
                format!("create in account {}: {}", self.account, products(ps))
            }
            Action::Cancel {
                package,
                orphan: false,
            } => format!("cancel package {package} (billing: ended)"),
            Action::Cancel {
                package,
                orphan: true,
            } => format!("cancel package {package} (orphan: billing does not know it)"),
            Action::CancelInstance {
                instance, product, ..
            } => format!(
                "cancel instance {instance} ({}): billing no longer has it",
                name(*product)
            ),
            Action::Adjust {
                instance,
                product,
                billing,
                to_product,
                to_billing,
                ..
            } => format!(
                "adjust instance {instance}: {} {} -> {} {}",
                name(*product),
                billing.map_or_else(|| "(no cycle)".to_owned(), billing_label),
                name(to_product.unwrap_or(*product)),
                billing_label(*to_billing)
            ),
            Action::Move {
                instance,
                product,
                from,
                to,
                through_floating,
                ..
            } => format!(
                "move instance {instance} ({}): {} -> {}{}",
                name(*product),
                site(*from),
                site(*to),
                if *through_floating {
                    " (through floating: the site is freed in this plan)"
                } else {
                    ""
                }
            ),
            Action::Replace {
                package,
                products: ps,
                why,
                ..
            } => format!(
                "replace package {package} ({why}): cancel it, create {}",
                products(ps)
            ),
        }
    }
}

/// What a person must look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// An instance billing charges for could not be delivered.
    Failed {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// Why, as Wix says.
        failure: Failure,
    },
    /// An instance waits for the customer or a provider.
    AwaitingAction {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
    },
    /// Two or more live packages carry an active subscription's external id.
    Duplicate {
        /// The packages, oldest first.
        packages: Vec<PackageId>,
    },
    /// A live package whose external id billing does not know.
    Orphan {
        /// The package.
        package: PackageId,
        /// Its account.
        account: AccountId,
    },
    /// The live package is in another account than billing says (moving it is a
    /// site transfer, not reconcile's to decide).
    WrongAccount {
        /// The package.
        package: PackageId,
        /// Where it is.
        is: AccountId,
        /// Where billing wants it.
        billing: AccountId,
    },
}

impl ProblemKind {
    /// A lower-case name (`failed`, `awaiting-action`, `duplicate`, `orphan`,
    /// `wrong-account`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Failed { .. } => "failed",
            Self::AwaitingAction { .. } => "awaiting-action",
            Self::Duplicate { .. } => "duplicate",
            Self::Orphan { .. } => "orphan",
            Self::WrongAccount { .. } => "wrong-account",
        }
    }
}

/// A problem of one external id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The external id.
    pub external_id: ExternalId,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProblemKind::Failed {
                package,
                instance,
                failure,
            } => write!(
                f,
                "instance {instance} of package {package} FAILED ({}: {}); cancel it or end the subscription, and give the package another external id (packages set-external-id) for a new one to be created",
                failure.code.as_str(),
                failure.message
            ),
            ProblemKind::AwaitingAction { package, instance } => write!(
                f,
                "instance {instance} of package {package} is AWAITING_ACTION (the customer or a provider must act first); left as it is"
            ),
            ProblemKind::Duplicate { packages } => write!(
                f,
                "{} live packages carry this external id ({}); cancel all but one",
                packages.len(),
                packages
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ProblemKind::Orphan { package, account } => write!(
                f,
                "package {package} of account {account} is live and billing does not know it (orphan; --cancel-orphans cancels it)"
            ),
            ProblemKind::WrongAccount {
                package,
                is,
                billing,
            } => write!(
                f,
                "package {package} is in account {is}, billing says {billing}"
            ),
        }
    }
}

/// How many of each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Creates.
    pub create: usize,
    /// Adjusts and moves.
    pub change: usize,
    /// Cancels (packages and instances).
    pub cancel: usize,
    /// Replaces.
    pub replace: usize,
    /// Problems.
    pub problems: usize,
    /// External ids already as billing says.
    pub unchanged: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Plan: {} to create, {} to change, {} to cancel, {} to replace (destructive); {} problem(s); {} unchanged.",
            self.create, self.change, self.cancel, self.replace, self.problems, self.unchanged
        )
    }
}

/// The plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    steps: Vec<Step>,
    problems: Vec<Problem>,
    unchanged: usize,
    unkeyed: usize,
}

impl Plan {
    /// The steps, in the order apply runs them: cancels (those of add-ons such as
    /// domains first, so a plan is never canceled under the domain that needs it),
    /// adjusts, moves (unassigns first, plans before the add-ons that need them),
    /// creates (plans before add-ons), and the destructive replaces last, so that
    /// `--max-destroy` stops before the first of them with everything else done.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The problems, by external id.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// How many live packages have no external id (not billing's; not compared).
    pub fn unkeyed(&self) -> usize {
        self.unkeyed
    }

    /// Whether Wix is as billing says: no step and no problem.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.problems.is_empty()
    }

    /// How many steps are destructive.
    pub fn destructive(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| s.action.is_destructive())
            .count()
    }

    /// The counts.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            problems: self.problems.len(),
            unchanged: self.unchanged,
            ..Summary::default()
        };
        for step in &self.steps {
            match step.action.kind() {
                StepKind::Create => s.create += 1,
                StepKind::Adjust | StepKind::Move => s.change += 1,
                StepKind::Cancel => s.cancel += 1,
                StepKind::Replace => s.replace += 1,
            }
        }
        s
    }
}

// The ranks of the order (see `Plan::steps`).
const CANCEL_DEPENDENT: u8 = 0;
const CANCEL: u8 = 1;
const ADJUST: u8 = 2;
const MOVE: u8 = 3;
/// The first rank of moves (a through-floating unassign runs just before it).
pub(crate) const FIRST_MOVE: u8 = MOVE;
const MOVE_DEPENDENT: u8 = 4;
const CREATE: u8 = 5;
const CREATE_DEPENDENT: u8 = 6;
const REPLACE: u8 = 7;
const REPLACE_DEPENDENT: u8 = 8;

/// Plans what makes `actual` (the packages Wix answers, every package of the
/// family, live or not) what `desired` says.
pub fn plan(
    desired: &DesiredState,
    actual: &[Package],
    catalog: &Catalog,
    options: PlanOptions,
) -> Plan {
    // Packages by external id (most ids have one: no allocation for those).
    let mut by_external_id: FastMap<&ExternalId, Group<'_>> =
        FastMap::with_capacity_and_hasher(actual.len(), Default::default());
    let mut unkeyed = 0;
    for p in actual {
        match p.external_id() {
            Some(e) => match by_external_id.entry(e) {
                Entry::Occupied(mut g) => g.get_mut().more.push(p),
                Entry::Vacant(v) => {
                    v.insert(Group {
                        first: p,
                        more: Vec::new(),
                    });
                }
            },
            None => unkeyed += usize::from(is_live(p)),
        }
    }
    let mut planner = Planner {
        catalog,
        steps: Vec::new(),
        problems: Vec::new(),
        unchanged: 0,
        leaving: HashSet::new(),
    };
    for sub in desired.subscriptions() {
        // What is left in the map after this loop is the orphans'.
        match by_external_id.remove(&sub.external_id) {
            None => planner.subscription(sub, &[]),
            Some(Group { first, more }) if more.is_empty() => {
                planner.subscription(sub, std::slice::from_ref(&first));
            }
            Some(Group { first, mut more }) => {
                more.insert(0, first);
                planner.subscription(sub, &more);
            }
        }
    }
    let mut orphans: Vec<(&ExternalId, &Package)> = by_external_id
        .iter()
        .flat_map(|(e, g)| {
            std::iter::once(g.first)
                .chain(g.more.iter().copied())
                .map(move |p| (*e, p))
        })
        .filter(|(_, p)| is_live(p))
        .collect();
    orphans.sort_by_key(|(e, p)| (*e, p.created(), p.id()));
    for (external_id, p) in orphans {
        if options.cancel_orphans {
            planner.leave_package(p);
            let rank = if has_dependent(p, catalog) {
                CANCEL_DEPENDENT
            } else {
                CANCEL
            };
            planner.steps.push(Step {
                external_id: external_id.clone(),
                account: p.account_id(),
                action: Action::Cancel {
                    package: p.id(),
                    orphan: true,
                },
                rank,
            });
        } else {
            planner.problems.push(Problem {
                external_id: external_id.clone(),
                kind: ProblemKind::Orphan {
                    package: p.id(),
                    account: p.account_id(),
                },
            });
        }
    }
    // A move into a site whose occupant leaves in this plan goes through floating.
    let targets: HashSet<(SiteId, &ProductType)> = planner
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
    if !targets.is_empty() {
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
        for step in &mut planner.steps {
            if let Action::Move {
                product,
                to: Some(site),
                through_floating,
                ..
            } = &mut step.action
            {
                if let Some(ty) = catalog.product_type(*product) {
                    if let Some(i) = occupant.get(&(*site, ty)) {
                        *through_floating = planner.leaving.contains(i);
                    }
                }
            }
        }
    }
    let Planner {
        mut steps,
        problems,
        unchanged,
        ..
    } = planner;
    // Stable: within a rank, file order (orphans last).
    steps.sort_by_key(|s| s.rank);
    Plan {
        steps,
        problems,
        unchanged,
        unkeyed,
    }
}

/// A map with a fast hasher (the plan hashes every external id once).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The packages of one external id.
struct Group<'a> {
    first: &'a Package,
    more: Vec<&'a Package>,
}

/// Whether a package holds a live instance.
pub(crate) fn is_live(p: &Package) -> bool {
    p.instances().iter().any(ProductInstance::is_live)
}

/// The common case, without allocating: an active subscription whose one
/// package holds exactly its products, in its order, every instance `PENDING` or
/// `ENABLED`; or an ended one whose one package holds nothing live.
fn as_billing_says(sub: &super::desired::Subscription, p: &Package) -> bool {
    if sub.status == SubscriptionStatus::Ended {
        return !is_live(p);
    }
    let instances = p.instances();
    p.account_id() == sub.account
        && instances.len() == sub.products.len()
        && instances.iter().zip(&sub.products).all(|(i, d)| {
            matches!(i.status().name(), StatusName::Pending | StatusName::Enabled)
                && i.catalog_product_id() == d.catalog_product_id
                && i.billing() == Some(d.billing)
                && i.country_code() == Some(d.country_code)
                && i.site() == d.site
        })
}

fn has_dependent(p: &Package, catalog: &Catalog) -> bool {
    p.instances()
        .iter()
        .any(|i| i.is_live() && catalog.is_dependent(i.catalog_product_id()))
}

fn products_have_dependent(ps: &[DesiredProduct], catalog: &Catalog) -> bool {
    ps.iter()
        .any(|p| catalog.is_dependent(p.catalog_product_id))
}

struct Planner<'a> {
    catalog: &'a Catalog,
    steps: Vec<Step>,
    problems: Vec<Problem>,
    unchanged: usize,
    /// Live instances this plan cancels, unassigns or moves away from their site.
    leaving: HashSet<InstanceId>,
}

impl Planner<'_> {
    fn leave_package(&mut self, p: &Package) {
        self.leaving
            .extend(p.instances().iter().filter(|i| i.is_live()).map(|i| i.id()));
    }

    fn step(
        &mut self,
        sub: &super::desired::Subscription,
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

    fn subscription(&mut self, sub: &super::desired::Subscription, packages: &[&Package]) {
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
    fn instance_problems(&mut self, sub: &super::desired::Subscription, p: &Package) {
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
    fn wanted(&self, sub: &super::desired::Subscription, i: &ProductInstance) -> bool {
        let ty = self.catalog.product_type(i.catalog_product_id());
        sub.products.iter().any(|d| {
            d.catalog_product_id == i.catalog_product_id()
                || (ty.is_some() && self.catalog.product_type(d.catalog_product_id) == ty)
        })
    }

    /// Billing's products against the live package's live instances.
    fn compare(
        &mut self,
        sub: &super::desired::Subscription,
        package: &Package,
        mut retired: Vec<PackageId>,
    ) {
        let catalog = self.catalog;
        let mut free: Vec<&ProductInstance> =
            package.instances().iter().filter(|i| i.is_live()).collect();
        let mut unserved: Vec<&DesiredProduct> = Vec::new();
        // Exact matches first.
        for d in &sub.products {
            let exact = free.iter().position(|i| {
                i.catalog_product_id() == d.catalog_product_id
                    && i.billing() == Some(d.billing)
                    && i.country_code() == Some(d.country_code)
                    && i.site() == d.site
            });
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
