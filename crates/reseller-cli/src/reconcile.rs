//! `reseller reconcile plan|apply --desired FILE`: reseller-app's reconcile on the
//! command line. `plan` prints what would make Wix what billing says (a table with
//! `+` create, `~` adjust or move, `-` cancel, `-/+` replace, `!` needs a person,
//! and a one-line summary; or JSON), `apply` does it with a progress bar and
//! prints what it did and what it left.
//!
//! Exit codes (Terraform's detailed exit code): 0 nothing to do (or, for apply,
//! everything done), 2 changes (for apply: destructive steps held back by
//! `--max-destroy`), 1 problems for a person, a failed step, an invalid file or a
//! refusal; 3 when nothing or an unknown outcome came back from Wix.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use reseller_app::Attempts;
use reseller_app::reconcile::desired::billing_label;
use reseller_app::reconcile::{
    Action, Applied, ApplyOptions, Catalog, DesiredProduct, DesiredState, Outcome, Plan,
    PlanOptions, Problem, ProblemKind, Step, apply, parse_csv, parse_jsonl, plan, read_actual,
};
use reseller_app::safe::SafeError;
use reseller_ports::Call;
use reseller_wire::control::{CatalogList, CatalogProductDoc};
use serde_json::{Value, json};

use crate::Failure;
use crate::ops::Connection;
use crate::output::Format;

/// The reconcile commands.
#[derive(Debug, Subcommand)]
pub(crate) enum ReconcileCommand {
    /// Print the plan that would make Wix what billing says (exit 0: nothing to
    /// do, 2: changes, 1: problems).
    Plan(Inputs),
    /// Plan, then apply with the safe operations; print what was done and left.
    Apply(ApplyArgs),
}

/// What both commands read.
#[derive(Debug, Args)]
pub(crate) struct Inputs {
    /// The desired state billing exported: JSON Lines, or CSV when the name ends
    /// in `.csv` (see docs/reconcile.md).
    #[arg(long)]
    desired: PathBuf,
    /// The catalog (`{"products": [...]}` as the emulator's `GET /_emulator/catalog`
    /// answers, or a seed file's `catalog`). Against an emulator on this machine,
    /// the demo seed's catalog when none is given.
    #[arg(long, env = "RESELLER_CATALOG")]
    catalog: Option<PathBuf>,
    /// Plan a cancel for each orphan (a live package whose external id billing
    /// does not know) instead of only reporting it.
    #[arg(long)]
    cancel_orphans: bool,
}

/// `reseller reconcile apply` flags.
#[derive(Debug, Args)]
pub(crate) struct ApplyArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// How many destructive steps (replaces) may run; with more in the plan, none
    /// runs.
    #[arg(long, default_value_t = 0)]
    max_destroy: usize,
}

/// Runs a reconcile command: its exit code as [`Failure::Exit`] when not 0; an
/// invalid file or a refusal exits 1 (2 means changes here), a transport failure 3.
pub(crate) async fn run(
    connection: &Connection,
    command: ReconcileCommand,
    format: Format,
) -> Result<(), Failure> {
    match reconcile(connection, command, format).await {
        Ok(0) => Ok(()),
        Ok(code) => Err(Failure::Exit(code)),
        Err(Failure::Usage(m)) => Err(Failure::Refused(m)),
        Err(other) => Err(other),
    }
}

/// Runs a reconcile command; answers its exit code.
async fn reconcile(
    connection: &Connection,
    command: ReconcileCommand,
    format: Format,
) -> Result<u8, Failure> {
    let inputs = match &command {
        ReconcileCommand::Plan(i) => i,
        ReconcileCommand::Apply(a) => &a.inputs,
    };
    let catalog = catalog(connection, inputs.catalog.as_deref())?;
    let desired = desired(&inputs.desired, &catalog)?;
    let client = connection.client()?;
    let actual = read_actual(&client, &Call::new(), Attempts::default())
        .await
        .map_err(wix_failure)?;
    let options = PlanOptions {
        cancel_orphans: inputs.cancel_orphans,
    };
    let the_plan = plan(&desired, &actual, &catalog, options);
    match command {
        ReconcileCommand::Plan(_) => {
            print_plan(&the_plan, &catalog, format);
            Ok(plan_code(&the_plan))
        }
        ReconcileCommand::Apply(args) => {
            let bar = indicatif::ProgressBar::new(
                u64::try_from(the_plan.steps().len()).unwrap_or(u64::MAX),
            );
            let options = ApplyOptions {
                max_destroy: args.max_destroy,
                attempts: Attempts::default(),
            };
            let applied = apply(&client, &the_plan, &options, &mut |report| {
                bar.set_message(report.step.external_id.as_str().to_owned());
                bar.inc(1);
            })
            .await;
            bar.finish_and_clear();
            print_applied(&the_plan, &applied, &catalog, format);
            Ok(apply_code(&applied))
        }
    }
}

/// 0 nothing to do, 2 changes, 1 problems.
pub(crate) fn plan_code(plan: &Plan) -> u8 {
    if !plan.problems().is_empty() {
        1
    } else if plan.steps().is_empty() {
        0
    } else {
        2
    }
}

/// 1 a step failed or problems are left, 2 destructive steps held, 0 all done.
pub(crate) fn apply_code(applied: &Applied) -> u8 {
    if applied.failed() > 0 || !applied.problems.is_empty() {
        1
    } else if applied.held() > 0 {
        2
    } else {
        0
    }
}

fn wix_failure(e: SafeError) -> Failure {
    match e {
        SafeError::Refused(e) | SafeError::Unresolved { last: e, .. } => Failure::from(e),
        other => Failure::Refused(other.to_string()),
    }
}

/// The catalog from `path`, or the demo seed's against a local emulator.
fn catalog(connection: &Connection, path: Option<&Path>) -> Result<Catalog, Failure> {
    let docs: Vec<CatalogProductDoc> = match path {
        None if connection.is_local() => reseller_emulator::demo_seed().catalog,
        None => {
            return Err(Failure::Usage(
                "a catalog is needed: --catalog FILE or RESELLER_CATALOG (Wix publishes no catalog call)".to_owned(),
            ));
        }
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::Usage(format!("--catalog {}: {e}", path.display())))?;
            let value: Value = serde_json::from_str(&text)
                .map_err(|e| Failure::Usage(format!("--catalog {}: {e}", path.display())))?;
            let list = match value.get("catalog") {
                Some(catalog) => json!({ "products": catalog }),
                None => value,
            };
            serde_json::from_value::<CatalogList>(list)
                .map_err(|e| Failure::Usage(format!("--catalog {}: {e}", path.display())))?
                .products
        }
    };
    let products = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            d.try_into_domain(&format!("products[{i}]"))
                .map_err(|e| Failure::Usage(format!("--catalog: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Catalog::new(products))
}

/// The desired state of `path`, checked whole.
fn desired(path: &Path, catalog: &Catalog) -> Result<DesiredState, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("--desired {}: {e}", path.display())))?;
    let csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let parsed = if csv {
        parse_csv(&text, catalog)
    } else {
        parse_jsonl(&text, catalog)
    };
    parsed.map_err(|e| {
        Failure::Usage(format!(
            "--desired {}: {e}; nothing was read from Wix",
            path.display()
        ))
    })
}

fn print_plan(plan: &Plan, catalog: &Catalog, format: Format) {
    match format {
        Format::Json => out!("{}", plan_json(plan, catalog)),
        Format::Table => {
            for step in plan.steps() {
                out!("{}", step_line(step, catalog));
            }
            for problem in plan.problems() {
                out!("{}", problem_line(problem));
            }
            if plan.unkeyed() > 0 {
                out!(
                    "({} live package(s) without an external id: not billing's, not compared)",
                    plan.unkeyed()
                );
            }
            out!("{}", plan.summary());
        }
    }
}

fn step_line(step: &Step, catalog: &Catalog) -> String {
    format!(
        "{:<3} {}  {}",
        step.action.kind().symbol(),
        step.external_id.as_str(),
        step.describe(catalog)
    )
}

fn problem_line(problem: &Problem) -> String {
    format!("{:<3} {}  {problem}", "!", problem.external_id.as_str())
}

fn print_applied(plan: &Plan, applied: &Applied, catalog: &Catalog, format: Format) {
    match format {
        Format::Json => {
            let steps: Vec<Value> = applied
                .reports
                .iter()
                .map(|r| {
                    let mut v = step_json(&r.step, catalog);
                    match &r.outcome {
                        Outcome::Done(p) => {
                            set(&mut v, "outcome", json!("done"));
                            set(&mut v, "resultPackageId", json!(p.to_string()));
                        }
                        Outcome::Failed(why) => {
                            set(&mut v, "outcome", json!("failed"));
                            set(&mut v, "error", json!(why));
                        }
                        Outcome::Held => set(&mut v, "outcome", json!("held")),
                    }
                    v
                })
                .collect();
            out!(
                "{}",
                json!({
                    "plan": summary_json(plan),
                    "summary": {"done": applied.done(), "failed": applied.failed(), "held": applied.held(), "problems": applied.problems.len()},
                    "steps": steps,
                    "problems": applied.problems.iter().map(problem_json).collect::<Vec<_>>(),
                })
            );
        }
        Format::Table => {
            for r in &applied.reports {
                let what = match &r.outcome {
                    Outcome::Done(_) => "done".to_owned(),
                    Outcome::Failed(why) => format!("FAILED: {why}"),
                    Outcome::Held => "held (destructive: allow it with --max-destroy)".to_owned(),
                };
                out!("{}  [{what}]", step_line(&r.step, catalog));
            }
            for problem in &applied.problems {
                out!("{}", problem_line(problem));
            }
            out!("{}", plan.summary());
            out!("{applied}");
        }
    }
}

/// Sets `key` of a JSON object.
fn set(v: &mut Value, key: &str, value: Value) {
    if let Value::Object(m) = v {
        m.insert(key.to_owned(), value);
    }
}

fn summary_json(plan: &Plan) -> Value {
    let s = plan.summary();
    json!({
        "create": s.create, "change": s.change, "cancel": s.cancel, "replace": s.replace,
        "problems": s.problems, "unchanged": s.unchanged, "destructive": plan.destructive(),
        "unkeyed": plan.unkeyed(),
    })
}

/// The plan as one JSON object: `summary`, `steps`, `problems`.
pub(crate) fn plan_json(plan: &Plan, catalog: &Catalog) -> Value {
    json!({
        "summary": summary_json(plan),
        "steps": plan.steps().iter().map(|s| step_json(s, catalog)).collect::<Vec<_>>(),
        "problems": plan.problems().iter().map(problem_json).collect::<Vec<_>>(),
    })
}

fn product_json(p: &DesiredProduct) -> Value {
    let mut v = json!({
        "catalogProductId": p.catalog_product_id.to_string(),
        "billing": billing_label(p.billing),
        "countryCode": p.country_code.as_str(),
    });
    if let Some(s) = p.site {
        set(&mut v, "siteId", json!(s.to_string()));
    }
    if let Some(d) = &p.discount_code {
        set(&mut v, "discountCode", json!(d.as_str()));
    }
    v
}

fn step_json(step: &Step, catalog: &Catalog) -> Value {
    let kind = step.action.kind();
    let mut v = json!({
        "symbol": kind.symbol(),
        "kind": kind.name(),
        "externalId": step.external_id.as_str(),
        "accountId": step.account.to_string(),
        "destructive": step.action.is_destructive(),
        "description": step.describe(catalog),
    });
    let site = |s: Option<reseller_domain::SiteId>| s.map(|s| s.to_string());
    let extra = match &step.action {
        Action::Create { products, .. } => json!({
            "products": products.iter().map(product_json).collect::<Vec<_>>(),
        }),
        Action::Cancel { package, orphan } => {
            json!({"packageId": package.to_string(), "orphan": orphan})
        }
        Action::CancelInstance {
            package,
            instance,
            product,
        } => json!({
            "kind": "cancel-instance",
            "packageId": package.to_string(),
            "instanceId": instance.to_string(),
            "catalogProductId": product.to_string(),
        }),
        Action::Adjust {
            package,
            instance,
            product,
            billing,
            to_product,
            to_billing,
            ..
        } => json!({
            "packageId": package.to_string(),
            "instanceId": instance.to_string(),
            "catalogProductId": product.to_string(),
            "billing": billing.map(billing_label),
            "toCatalogProductId": to_product.map(|p| p.to_string()),
            "toBilling": billing_label(*to_billing),
        }),
        Action::Move {
            package,
            instance,
            from,
            to,
            through_floating,
            ..
        } => json!({
            "packageId": package.to_string(),
            "instanceId": instance.to_string(),
            "fromSiteId": site(*from),
            "toSiteId": site(*to),
            "throughFloating": through_floating,
        }),
        Action::Replace {
            package,
            products,
            why,
            ..
        } => json!({
            "packageId": package.to_string(),
            "why": why,
            "products": products.iter().map(product_json).collect::<Vec<_>>(),
        }),
    };
    if let (Value::Object(m), Value::Object(extra)) = (&mut v, extra) {
        m.extend(extra);
    }
    v
}

fn problem_json(p: &Problem) -> Value {
    let mut v = json!({
        "symbol": "!",
        "kind": p.kind.name(),
        "externalId": p.external_id.as_str(),
        "message": p.to_string(),
    });
    let extra = match &p.kind {
        ProblemKind::Failed {
            package,
            instance,
            failure,
        } => json!({
            "packageId": package.to_string(),
            "instanceId": instance.to_string(),
            "failure": {"code": failure.code.as_str(), "message": failure.message},
        }),
        ProblemKind::AwaitingAction { package, instance } => json!({
            "packageId": package.to_string(),
            "instanceId": instance.to_string(),
        }),
        ProblemKind::Duplicate { packages } => json!({
            "packageIds": packages.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }),
        ProblemKind::Orphan { package, account } => json!({
            "packageId": package.to_string(),
            "accountId": account.to_string(),
        }),
        ProblemKind::WrongAccount {
            package,
            is,
            billing,
        } => json!({
            "packageId": package.to_string(),
            "accountId": is.to_string(),
            "billingAccountId": billing.to_string(),
        }),
    };
    if let (Value::Object(m), Value::Object(extra)) = (&mut v, extra) {
        m.extend(extra);
    }
    v
}
