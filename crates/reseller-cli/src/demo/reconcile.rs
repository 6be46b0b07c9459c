//! The demo's reconcile step: billing says one subscription ended, one was
//! upgraded and one is new; reseller-app's reconcile plans, applies, and plans
//! again to nothing.

use reseller_app::reconcile::desired::billing_label;
use reseller_app::reconcile::{ApplyOptions, StepKind, apply, parse_jsonl, plan, read_actual};
use reseller_app::reconcile::{Catalog, Outcome, Plan, PlanOptions};
use reseller_app::safe;
use reseller_domain::{AccountId, CatalogProductId, ExternalId, Package};
use reseller_ports::Call;

use super::{Demo, WIDTH, attempts, fit};

/// Billing's line of a subscription of `account`: one floating product.
fn line(
    external: &str,
    account: AccountId,
    status: &str,
    product: CatalogProductId,
    billing: &str,
) -> String {
    format!(
        r#"{{"externalId":"{external}","accountId":"{account}","status":"{status}","products":[{{"catalogProductId":"{product}","billing":"{billing}","countryCode":"US"}}]}}"#
    )
}

/// Billing's line of a package it sold earlier, as Wix holds it.
fn as_sold(p: &Package) -> Option<String> {
    let external = p.external_id()?;
    let products: Vec<String> = p
        .instances()
        .iter()
        .filter(|i| i.is_live())
        .map(|i| {
            let site = i
                .site()
                .map(|s| format!(r#","siteId":"{s}""#))
                .unwrap_or_default();
            format!(
                r#"{{"catalogProductId":"{}","billing":"{}","countryCode":"{}"{site}}}"#,
                i.catalog_product_id(),
                i.billing().map(billing_label).unwrap_or_default(),
                i.country_code()
                    .map(|c| c.as_str().to_owned())
                    .unwrap_or_default(),
            )
        })
        .collect();
    if products.is_empty() {
        return None;
    }
    Some(format!(
        r#"{{"externalId":{},"accountId":"{}","status":"active","products":[{}]}}"#,
        serde_json::Value::from(external.as_str()),
        p.account_id(),
        products.join(",")
    ))
}

impl Demo<'_> {
    /// Step 11: reconcile Wix with Acme's billing.
    pub(super) async fn reconcile(&mut self) -> Result<(), String> {
        self.heading(11, "Reconcile with billing (plan, then apply)")?;
        self.wrapped(
            "  ",
            "Acme's billing is its source of truth. Last month it sold two \
             subscriptions (created here with create-once); today's export says the \
             Bakery Co mailbox ended, Florist Ltd's Core plan became Business \
             Unlimited yearly, and Florist Ltd bought a mailbox. Every other package \
             the demo sold is in the export as it is.",
        )?;
        let (bakery_co, florist) = (self.ids.bakery_co, self.ids.florist_ltd);
        let (core, unlimited, mailbox) = (self.ids.core, self.ids.unlimited, self.ids.mailbox);
        let sold = [
            ("bill-1001", bakery_co, mailbox, "monthly"),
            ("bill-1002", florist, core, "monthly"),
        ];
        for (external, account, product, billing) in sold {
            let text = line(external, account, "active", product, billing);
            let catalog = self.catalog();
            let want = parse_jsonl(&text, &catalog).map_err(|e| format!("step 11: {e}"))?;
            let Some(sub) = want.subscriptions().first() else {
                return Err("step 11: billing's line is empty".to_owned());
            };
            let mut request = reseller_app::reconcile::create_request(&sub.products);
            let external = ExternalId::new(external).map_err(|e| format!("step 11: {e}"))?;
            request.external_id = Some(external.clone());
            let made = safe::create_once(
                &self.client,
                &Call::new().account(account),
                &request,
                attempts(),
            )
            .await
            .map_err(|e| format!("step 11: create-once of {external}: {e}"))?;
            self.made.packages.push(made.package.id());
        }
        self.calls_made(true)?;

        let catalog = self.catalog();
        let actual = read_actual(&self.client, &Call::new(), attempts())
            .await
            .map_err(|e| format!("step 11: reading the packages: {e}"))?;
        let mut export: Vec<String> = actual
            .iter()
            .filter(|p| {
                !p.external_id()
                    .is_some_and(|e| e.as_str().starts_with("bill-"))
            })
            .filter_map(as_sold)
            .collect();
        let changed = [
            ("bill-1001", bakery_co, "ended", mailbox, "monthly"),
            ("bill-1002", florist, "active", unlimited, "yearly"),
            ("bill-1003", florist, "active", mailbox, "monthly"),
        ];
        export.extend(changed.iter().map(|(e, a, s, p, b)| line(e, *a, s, *p, b)));
        let want = parse_jsonl(&export.join("\n"), &catalog)
            .map_err(|e| format!("step 11: the export: {e}"))?;
        self.line(format_args!(
            "  The export: {} subscriptions; the three that changed:",
            want.len()
        ))?;
        for (external, account, status, product, billing) in changed {
            let name = catalog
                .product(product)
                .map_or_else(|| product.to_string(), |p| p.name.clone());
            let who = self.account_name(account);
            self.line(format_args!(
                "    {external}  {:<22}{status:<8}{name}, {billing}",
                fit(&who, 21)
            ))?;
        }

        let first = plan(&want, &actual, &catalog, PlanOptions::default());
        self.calls_made(true)?;
        self.line("  reseller reconcile plan:")?;
        self.print_plan(&first, &catalog)?;
        let s = first.summary();
        self.check(
            (s.create, s.change, s.cancel, s.replace, s.problems) == (1, 1, 1, 0, 0),
            "the plan: one create, one change (an adjust), one cancel, nothing else",
        )?;
        let kinds: Vec<StepKind> = first.steps().iter().map(|s| s.action.kind()).collect();
        self.check(
            kinds == [StepKind::Cancel, StepKind::Adjust, StepKind::Create],
            "cancels first, then adjusts, then creates",
        )?;

        let applied = apply(&self.client, &first, &ApplyOptions::default(), &mut |_| {}).await;
        self.calls_made(true)?;
        self.line("  reseller reconcile apply:")?;
        for r in &applied.reports {
            let what = match &r.outcome {
                Outcome::Done(p) => {
                    if r.step.action.kind() == StepKind::Create {
                        self.made.packages.push(*p);
                    }
                    "done".to_owned()
                }
                Outcome::Failed(why) => format!("FAILED: {why}"),
                Outcome::Held => "held".to_owned(),
            };
            let text = format!(
                "{} {} {what}",
                r.step.action.kind().symbol(),
                r.step.external_id.as_str()
            );
            self.line(format_args!("    {}", fit(&text, WIDTH - 4)))?;
        }
        self.check(
            applied.done() == 3 && applied.failed() == 0,
            "apply did every step with the safe operations",
        )?;

        let actual = read_actual(&self.client, &Call::new(), attempts())
            .await
            .map_err(|e| format!("step 11: reading the packages: {e}"))?;
        let again = plan(&want, &actual, &catalog, PlanOptions::default());
        self.calls_made(true)?;
        self.line("  reseller reconcile plan, once more:")?;
        self.print_plan(&again, &catalog)?;
        self.check(
            again.is_empty(),
            "the next plan is empty: Wix is what billing says",
        )
    }

    fn print_plan(&mut self, plan: &Plan, catalog: &Catalog) -> Result<(), String> {
        for step in plan.steps() {
            let text = format!(
                "{:<3} {}  {}",
                step.action.kind().symbol(),
                step.external_id.as_str(),
                step.describe(catalog)
            );
            self.wrapped("    ", &text)?;
        }
        let summary = plan.summary().to_string();
        self.wrapped("    ", &summary)
    }

    /// The demo seed's catalog.
    fn catalog(&self) -> Catalog {
        let products = reseller_emulator::demo_seed()
            .catalog
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.try_into_domain(&format!("catalog[{i}]")).ok())
            .collect::<Vec<_>>();
        Catalog::new(products)
    }
}
