//! Step 0: the emulator and its seed, as the demo names them.

use super::*;

impl Demo<'_> {
    /// 0: what runs where, and the seeded world.
    pub(super) fn start(&mut self) -> Result<(), String> {
        self.line("reseller demo: the documented Wix reseller flows, end to end, against a")?;
        self.line("local Wix (the emulator, in this process) through the real HTTP client.")?;
        self.line("No Wix account, API key or server is needed.")?;
        self.heading(0, "A local Wix, seeded")?;
        let base_url = self.base_url.clone();
        self.line(format_args!(
            "  emulator      {base_url} (in memory, demo seed)"
        ))?;
        self.line(format_args!(
            "  provisioning  automatic: PENDING, then ENABLED {} s later (emulated)",
            PROVISIONING_DELAY_MS / 1000
        ))?;
        self.line("  caller        the demo seed's API key of Acme Hosting (not shown)")?;
        self.line("")?;
        self.line(format_args!("    {:<38}{}", "account", "name"))?;
        for a in self.emulator.wix().accounts() {
            let role = match a.parent {
                None if a.strategic_partner => "main account, partner",
                None => "main",
                Some(_) => "sub-account",
            };
            let name = fit(&format!("{} ({role})", a.name), 38);
            self.line(format_args!("    {:<38}{name}", a.id.to_string()))?;
        }
        self.line("")?;
        self.line(format_args!("    {:<15}{:<28}{}", "site", "owner", "note"))?;
        for s in self.emulator.wix().sites(None) {
            let owner = fit(&self.account_name(s.owner), 27);
            let note = if !s.external_paid_services.is_empty() {
                "paid outside the reseller flow"
            } else if s.details.namespace == Namespace::Headless {
                "headless"
            } else {
                ""
            };
            self.line(format_args!(
                "    {:<15}{owner:<28}{note}",
                fit(&s.name, 14)
            ))?;
        }
        self.line("")?;
        self.check(
            self.seed_is_as_named(),
            "the seed holds what the demo names",
        )
    }

    /// Whether the demo seed still has the accounts, sites and products the demo
    /// names, as the demo expects them (a changed seed fails here, not midway).
    /// Step 0, continued: Query Sites answers `WIX` sites unless asked for more,
    /// so the headless site shows only with a `namespace` filter.
    pub(super) async fn headless_site_hidden(&mut self) -> Result<(), String> {
        let acme = self.ids.acme;
        let headless = self
            .emulator
            .wix()
            .sites(Some(acme))
            .into_iter()
            .find(|s| s.details.namespace == Namespace::Headless)
            .map(|s| s.id)
            .ok_or_else(|| "the demo seed has no headless site".to_owned())?;
        self.line("  Query Sites without a namespace filter answers WIX sites only:")?;
        let plain = self.query_sites(acme).await?;
        self.check(
            !plain.iter().any(|s| s.id == headless),
            "the headless site is not in Query Sites' default answer",
        )?;
        self.line("  ... and with {\"namespace\": {\"$in\": [\"WIX\", \"HEADLESS\"]}}:")?;
        let filter = QValue::object([(
            "namespace",
            QValue::object([(
                "$in",
                QValue::array([QValue::from("WIX"), QValue::from("HEADLESS")]),
            )]),
        )]);
        let query = SitesQuery::new(Some(filter), Vec::new(), Vec::new())
            .map_err(|e| format!("step {}: Query Sites: {e}", self.step))?;
        let answer = self
            .client
            .query_sites(&Call::new().account(acme), &query)
            .await;
        self.calls_made(false)?;
        let page = self.accepted("Query Sites", answer)?;
        self.check(
            page.sites.iter().any(|s| s.id == headless),
            "asked for HEADLESS too, Query Sites answers the headless site",
        )
    }

    pub(super) fn seed_is_as_named(&self) -> bool {
        let wix = self.emulator.wix();
        let ids = &self.ids;
        let accounts = wix.accounts();
        let account = |id: AccountId, parent: Option<AccountId>| {
            accounts.iter().any(|a| a.id == id && a.parent == parent)
        };
        let sites = wix.sites(None);
        let site = |id: SiteId, owner: AccountId, paid_outside: bool| {
            sites.iter().any(|s| {
                s.id == id
                    && s.owner == owner
                    && s.external_paid_services.is_empty() != paid_outside
            })
        };
        let catalog = wix.catalog();
        let product = |id: CatalogProductId, billing: &[Billing]| {
            catalog
                .iter()
                .any(|p| p.id == id && billing.iter().all(|b| p.billing_cycles.contains(b)))
        };
        let plan_cycles = [Billing::monthly(), Billing::yearly()];
        account(ids.acme, None)
            && accounts
                .iter()
                .any(|a| a.id == ids.acme && a.strategic_partner)
            && account(ids.bakery_co, Some(ids.acme))
            && account(ids.florist_ltd, Some(ids.acme))
            && site(ids.bakery, ids.acme, false)
            && site(ids.blog, ids.bakery_co, false)
            && site(ids.florist, ids.florist_ltd, false)
            && site(ids.legacy_shop, ids.acme, true)
            && product(ids.unlimited, &plan_cycles)
            && product(ids.core, &plan_cycles)
            && product(ids.voucher, &[Billing::yearly()])
    }
}
