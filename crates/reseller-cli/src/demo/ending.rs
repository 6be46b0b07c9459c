//! Steps 9 and 10 and the summary: cancel an instance and a package, read the
//! change feed, and what the demo made.

use super::*;

impl Demo<'_> {
    /// 9: Cancel Product Instance (the domain), then Cancel Package (the plan's),
    /// through reseller-app's safe operations.
    pub(super) async fn cancel(&mut self) -> Result<(), String> {
        self.heading(9, "Cancel (Cancel Product Instance, Cancel Package)")?;
        self.wrapped(
            "  ",
            "Bakery Co lets the domain go, then ends its plan. Canceling an instance \
             leaves the other instances alone; canceling a package cancels every live \
             instance in it. safe::cancel_instance and safe::cancel_package send one \
             idempotency key with every try, so a retry cannot cancel twice.",
        )?;
        let (plan_package, plan) = self.plan_ids()?;
        let (_, domain) = self.voucher_ids()?;
        let (bakery_co, bakery) = (self.ids.bakery_co, self.ids.bakery);
        let call = Call::new().account(bakery_co);
        let answer = safe::cancel_instance(&self.client, &call, domain, attempts()).await;
        self.calls_made(false)?;
        let v = answer.map_err(|e| format!("step 9: Cancel Product Instance failed: {e}"))?;
        self.package(&v)?;
        self.check(
            v.instance(domain)
                .is_some_and(|i| i.status().name() == StatusName::Canceled),
            "the domain is CANCELED",
        )?;
        let p = self.get_package(bakery_co, plan_package).await?;
        self.check(
            p.instance(plan)
                .is_some_and(|i| i.status().name() == StatusName::Enabled),
            "the plan, in its own package, is still ENABLED",
        )?;
        let answer = safe::cancel_package(&self.client, &call, plan_package, attempts()).await;
        self.calls_made(false)?;
        let p = answer.map_err(|e| format!("step 9: Cancel Package failed: {e}"))?;
        self.package(&p)?;
        self.check(
            p.instances()
                .iter()
                .all(|i| i.status().name() == StatusName::Canceled),
            "every instance of the package is CANCELED",
        )?;
        let sites = self.query_sites(bakery_co).await?;
        self.sites(&sites)?;
        self.check(
            Self::premium_in(&sites, bakery) == Some(false),
            "Query Sites: bakery is no longer premium",
        )
    }

    /// 10: one poll of a change feed over Acme's account family.
    pub(super) async fn change_feed(&mut self) -> Result<(), String> {
        self.heading(10, "Read the changes (ChangeFeed over Query Packages)")?;
        self.wrapped(
            "  ",
            "Wix sends no webhooks. reseller-app's ChangeFeed polls Query Packages as \
             Acme (its whole account family) and turns what changed since its \
             checkpoint into events; a first poll announces every package it sees.",
        )?;
        let options = FeedOptions {
            call: Call::new().account(self.ids.acme),
            lookback: Duration::ZERO,
            ..FeedOptions::default()
        };
        let id = FeedId::new("reseller-demo").map_err(|e| format!("step 10: {e}"))?;
        let feed = ChangeFeed::open(self.client.clone(), MemoryCheckpoints::new(), id, options)
            .await
            .map_err(|e| format!("step 10: cannot open the feed: {e}"))?;
        let poll = feed.poll().await;
        self.calls_made(false)?;
        let poll = poll.map_err(|e| format!("step 10: the feed's poll failed: {e}"))?;
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for event in poll.events() {
            *kinds.entry(event.kind.name()).or_default() += 1;
        }
        self.line(format_args!("    {:<28}{}", "event", "count"))?;
        for (kind, count) in &kinds {
            self.line(format_args!("    {kind:<28}{count}"))?;
        }
        self.line("  The first events:")?;
        for event in poll.events().iter().take(3) {
            self.line(format_args!("    {}", fit(&event.to_string(), WIDTH - 4)))?;
        }
        let announced: Vec<PackageId> = poll
            .events()
            .iter()
            .filter(|e| matches!(e.kind, ChangeKind::PackageCreated { .. }))
            .map(|e| e.package)
            .collect();
        let made = self.made.packages.clone();
        self.check(
            made.iter().all(|p| announced.contains(p)),
            &format!(
                "the feed saw all {} packages the demo created ({} packages read)",
                made.len(),
                poll.packages_read()
            ),
        )
    }

    /// The closing summary.
    pub(super) fn summary(&mut self) -> Result<(), String> {
        self.heading(13, "Summary")?;
        let violations = self.emulator.wix().invariant_violations();
        if !violations.is_empty() {
            return Err(format!(
                "the emulator's state broke its invariants: {}",
                violations.join("; ")
            ));
        }
        let text = format!(
            "Every step behaved as Wix documents it: {} checks passed, {} HTTP calls \
             made through adapter-wix-http, {} packages created. reseller-app's flows \
             ran: F1 hand-over, F2 reassign, F3 voucher, F4 onboarding (polled by the \
             demo), F5 transfer of a site with a paid service; the safe cancels, \
             a change feed and reconcile. Adjust was a direct call.",
            self.checks,
            self.calls,
            self.made.packages.len()
        );
        self.wrapped("  ", &text)?;
        self.wrapped(
            "  ",
            "To try these calls yourself: `reseller serve` keeps an emulator running \
             with the same seed and prints its key and ids.",
        )
    }
}
