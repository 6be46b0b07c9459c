//! Apply: runs a plan's steps with the operations that are safe to call again.
//!
//! - create: create-once keyed by the external id (and the packages it replaces);
//! - cancel (package or instance), unassign, assign and adjust: one idempotency key
//!   per operation, kept across its tries; an assign that fails reads the package
//!   back (R5.3) and says where the instance is;
//! - in the plan's order (see `Plan::steps`), a move "through floating" unassigning
//!   before any move arrives;
//! - destructive steps (replaces) are held when the plan has more of them than
//!   `max_destroy`: apply stops before the first of them (they come last);
//! - a failed step does not stop the others (each external id is independent);
//!   later parts of the same step are skipped.
//!
//! Nothing is kept between runs: a crash or a failure midway leaves Wix with some
//! steps done, and planning again from what Wix then says plans what is left.

use std::collections::HashSet;
use std::fmt;

use reseller_domain::ops::{Adjust, BillingRequest};
use reseller_domain::{Assignment, IdempotencyKey, PackageId};
use reseller_ports::{Call, ResellerPackages};

use super::create::create_live_once;
use super::plan::{Action, Plan, Problem, Step};
use crate::safe::{
    Attempts, SafeError, assign_instance, cancel_instance, cancel_package, retry, unassign_instance,
};

/// Choices of apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplyOptions {
    /// How many destructive steps may run; with more in the plan, none runs.
    pub max_destroy: usize,
    /// The tries of each operation.
    pub attempts: Attempts,
}

impl Default for ApplyOptions {
    /// No destructive step; the safe operations' default tries.
    fn default() -> Self {
        Self {
            max_destroy: 0,
            attempts: Attempts::default(),
        }
    }
}

/// What became of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done (or found done); the package it left.
    Done(PackageId),
    /// It failed: the cause, and what is known of the state it left.
    Failed(String),
    /// Not run: destructive, and the plan has more destructive steps than allowed.
    Held,
}

/// One step and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    /// The step.
    pub step: Step,
    /// What became of it.
    pub outcome: Outcome,
}

/// What apply did and left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Every step of the plan, in the order run, with its outcome.
    pub reports: Vec<StepReport>,
    /// The plan's problems (apply never touches them).
    pub problems: Vec<Problem>,
}

impl Applied {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.reports.iter().filter(|r| f(&r.outcome)).count()
    }

    /// Steps done.
    pub fn done(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Done(_)))
    }

    /// Steps that failed.
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed(_)))
    }

    /// Destructive steps held back.
    pub fn held(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Held))
    }
}

impl fmt::Display for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Applied: {} done, {} failed, {} held (destructive, over --max-destroy); {} problem(s) left for a person.",
            self.done(),
            self.failed(),
            self.held(),
            self.problems.len()
        )
    }
}

/// One call of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The whole step in one operation (a move: its assign).
    Whole,
    /// A through-floating move's unassign.
    Leave,
    /// A replace's cancel.
    CancelOld,
    /// A replace's create.
    CreateNew,
}

/// The parts of every step, in the order they run.
fn schedule(plan: &Plan) -> Vec<(usize, Part)> {
    let mut parts = Vec::new();
    for (n, step) in plan.steps().iter().enumerate() {
        // Twice the step's rank. Every unassign runs before every assign, one
        // rank below the first move: a through-floating move's unassign, and a
        // move to floating, which may free the site another move goes to.
        let rank = u16::from(step.rank) * 2;
        let leave = u16::from(super::plan::FIRST_MOVE) * 2 - 1;
        match &step.action {
            Action::Move {
                through_floating: true,
                ..
            } => {
                parts.push((leave, n, Part::Leave));
                parts.push((rank, n, Part::Whole));
            }
            Action::Move { to: None, .. } => parts.push((leave, n, Part::Whole)),
            Action::Replace { .. } => {
                parts.push((rank, n, Part::CancelOld));
                parts.push((rank + 1, n, Part::CreateNew));
            }
            _ => parts.push((rank, n, Part::Whole)),
        }
    }
    parts.sort_by_key(|(rank, n, _)| (*rank, *n));
    parts.into_iter().map(|(_, n, part)| (n, part)).collect()
}

/// Runs `plan` against `wix`; `progress` sees each step's report as it ends.
///
/// Every call acts on the step's account (`wix-account-id`).
pub async fn apply<W: ResellerPackages + ?Sized>(
    wix: &W,
    plan: &Plan,
    options: &ApplyOptions,
    progress: &mut (dyn FnMut(&StepReport) + Send),
) -> Applied {
    let hold = plan.destructive() > options.max_destroy;
    let parts = schedule(plan);
    let mut outcomes: Vec<Option<Outcome>> = vec![None; plan.steps().len()];
    let mut order = Vec::with_capacity(plan.steps().len());
    let mut last_part: Vec<usize> = vec![0; plan.steps().len()];
    for (at, (n, _)) in parts.iter().enumerate() {
        if let Some(slot) = last_part.get_mut(*n) {
            *slot = at;
        }
    }
    let mut failed: HashSet<usize> = HashSet::new();
    for (at, (n, part)) in parts.iter().enumerate() {
        let Some(step) = plan.steps().get(*n) else {
            continue;
        };
        if failed.contains(n) {
            continue;
        }
        let result = if hold && step.action.is_destructive() {
            Some(Outcome::Held)
        } else {
            match run(wix, step, *part, options.attempts).await {
                Ok(package) if last_part.get(*n) == Some(&at) => Some(Outcome::Done(package)),
                Ok(_) => None,
                Err(why) => {
                    failed.insert(*n);
                    Some(Outcome::Failed(why))
                }
            }
        };
        if let Some(outcome) = result {
            let report = StepReport {
                step: step.clone(),
                outcome: outcome.clone(),
            };
            progress(&report);
            if let Some(slot) = outcomes.get_mut(*n) {
                *slot = Some(outcome);
            }
            order.push(*n);
            if matches!(report.outcome, Outcome::Held) {
                failed.insert(*n);
            }
        }
    }
    let reports = order
        .into_iter()
        .filter_map(|n| {
            let step = plan.steps().get(n)?.clone();
            let outcome = outcomes.get_mut(n)?.take()?;
            Some(StepReport { step, outcome })
        })
        .collect();
    Applied {
        reports,
        problems: plan.problems().to_vec(),
    }
}

/// Runs one part of a step; answers the package it left, or why it failed.
async fn run<W: ResellerPackages + ?Sized>(
    wix: &W,
    step: &Step,
    part: Part,
    attempts: Attempts,
) -> Result<PackageId, String> {
    let call = Call::new().account(step.account);
    let cause = |e: SafeError| {
        if e.may_have_been_applied() {
            format!("{e} (it may have been applied; the next plan tells)")
        } else {
            e.to_string()
        }
    };
    match (&step.action, part) {
        (Action::Create { products, retired }, _)
        | (
            Action::Replace {
                products, retired, ..
            },
            Part::CreateNew,
        ) => create_live_once(wix, &call, &step.external_id, retired, products, attempts)
            .await
            .map(|c| c.package.id())
            .map_err(cause),
        (Action::Cancel { package, .. }, _) | (Action::Replace { package, .. }, _) => {
            cancel_package(wix, &call, *package, attempts)
                .await
                .map(|p| p.id())
                .map_err(cause)
        }
        (Action::CancelInstance { instance, .. }, _) => {
            cancel_instance(wix, &call, *instance, attempts)
                .await
                .map(|p| p.id())
                .map_err(cause)
        }
        (
            Action::Adjust {
                instance,
                to_product,
                to_billing,
                discount_code,
                ..
            },
            _,
        ) => {
            let request = Adjust {
                catalog_product_id: *to_product,
                billing: Some(BillingRequest::of(*to_billing)),
                discount_code: discount_code.clone(),
            };
            let key = IdempotencyKey::derived("reconcile-adjust", uuid::Uuid::new_v4().as_u128());
            let keyed = call.idempotency_key(key);
            retry(attempts, || {
                wix.adjust_instance(&keyed, *instance, &request)
            })
            .await
            .map(|p| p.id())
            .map_err(cause)
        }
        (Action::Move { instance, .. }, Part::Leave)
        | (
            Action::Move {
                instance, to: None, ..
            },
            _,
        ) => unassign_instance(wix, &call, *instance, attempts)
            .await
            .map(|p| p.id())
            .map_err(cause),
        (
            Action::Move {
                instance,
                to: Some(site),
                ..
            },
            _,
        ) => assign_instance(wix, &call, *instance, *site, attempts)
            .await
            .map(|p| p.id())
            .map_err(|e| {
                let now = match e.assignment_now() {
                    Some(Assignment::Site(s)) => format!("it is on site {s}"),
                    Some(Assignment::Floating) => "it is floating".to_owned(),
                    None => "where it is could not be read".to_owned(),
                };
                format!("{}; read back: {now}", cause(e.cause))
            }),
    }
}
