//! Reconcile: keep Wix in step with the reseller's own billing, as a plan a person
//! reads and then applies (the model of Terraform's plan and apply).
//!
//! 1. [`desired`]: the subscriptions billing exports (JSON Lines, or [`csv`]),
//!    checked whole against the [`Catalog`] before anything is read from Wix;
//! 2. [`actual`]: every package of the account family, read through one function;
//! 3. [`plan()`](plan::plan): pure, desired and actual in, steps and problems out;
//! 4. [`apply()`](apply::apply): runs the steps with the safe operations in an
//!    order that keeps Wix's rules, holds the destructive ones unless allowed, and
//!    leaves nothing doubled when it stops midway: planning again plans what is
//!    left.
//!
//! `docs/reconcile.md` describes the file format, the plan's rules and the choices.

pub mod actual;
pub mod apply;
pub mod catalog;
mod create;
pub mod csv;
pub mod desired;
pub mod plan;

pub use actual::read_actual;
pub use apply::{Applied, ApplyOptions, Outcome, StepReport, apply};
pub use catalog::Catalog;
pub use create::{create_key, request as create_request};
pub use csv::parse_csv;
pub use desired::{
    DesiredError, DesiredProduct, DesiredState, InvalidDesired, Subscription, SubscriptionStatus,
    parse_jsonl,
};
pub use plan::{Action, Plan, PlanOptions, Problem, ProblemKind, Step, StepKind, Summary, plan};
