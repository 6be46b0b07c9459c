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

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use reseller_domain::{ExternalId, Package};

use super::catalog::Catalog;
use super::desired::DesiredState;

mod compare;
mod planner;
mod problem;
mod step;

use planner::Planner;
pub(crate) use planner::is_live;
pub use problem::{Problem, ProblemKind};
pub use step::{Action, Step, StepKind};

/// Choices of the planner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Plan a cancel for each orphan (a live package whose external id billing does
    /// not know) instead of only reporting it.
    pub cancel_orphans: bool,
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
    let mut planner = Planner::new(catalog);
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
        planner.orphan(external_id, p, options.cancel_orphans);
    }
    // A move into a site whose occupant leaves in this plan goes through floating.
    planner.route_through_floating(actual);
    planner.into_plan(unkeyed)
}

/// A map with a fast hasher (the plan hashes every external id once).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The packages of one external id.
struct Group<'a> {
    first: &'a Package,
    more: Vec<&'a Package>,
}
