//! The demo's own calls (Query Sites, Get Package, Create Package, Transfer
//! Site) and how an answer or a flow's outcome is reported.

use super::*;

impl Demo<'_> {
    /// Every site of `account` through Query Sites (every page), printing the calls.
    pub(super) async fn query_sites(
        &mut self,
        account: AccountId,
    ) -> Result<Vec<SiteInfo>, String> {
        let client = self.client.clone();
        let (call, query) = (
            Call::new().account(account),
            SitesQuery::new(
                None,
                Vec::new(),
                vec![reseller_domain::query::Paging::Cursor {
                    limit: Some(100),
                    cursor: None,
                }],
            )
            .map_err(|e| format!("step {}: Query Sites: {e}", self.step))?,
        );
        let mut walk = std::pin::pin!(pages::site_pages(&client, &call, &query));
        let mut out = Vec::new();
        for _ in 0..100 {
            let Some(page) = walk.next().await else {
                return Ok(out);
            };
            self.calls_made(false)?;
            out.extend(self.accepted("Query Sites", page)?.sites);
        }
        Err(format!("step {}: Query Sites never ends", self.step))
    }

    /// Get Package, printing the call.
    pub(super) async fn get_package(
        &mut self,
        account: AccountId,
        id: PackageId,
    ) -> Result<Package, String> {
        let answer = self
            .client
            .get_package(&Call::new().account(account), id)
            .await;
        self.calls_made(false)?;
        self.accepted("Get Package", answer)
    }

    /// Create Package V2 (a direct call, no external id), printing the call.
    pub(super) async fn create_package(
        &mut self,
        account: AccountId,
        products: Vec<NewInstance>,
    ) -> Result<Result<Package, PortError>, String> {
        let request = CreatePackage {
            external_id: None,
            products,
        };
        let answer = self
            .client
            .create_package(&Call::new().account(account), &request)
            .await;
        self.calls_made(false)?;
        if let Ok(p) = &answer {
            self.made.packages.push(p.id());
        }
        Ok(answer)
    }

    /// Transfer Site of `site` from `source` to `target` (the header account), a
    /// direct call, printing it.
    pub(super) async fn transfer(
        &mut self,
        site: SiteId,
        source: AccountId,
        target: AccountId,
    ) -> Result<Result<SiteTransfer, PortError>, String> {
        let transfer = SiteTransfer {
            site,
            source_account: source,
            enable_notifications: false,
        };
        let answer = self
            .client
            .transfer_site(&Call::new().account(target), &transfer)
            .await;
        self.calls_made(false)?;
        Ok(answer)
    }

    /// The output of a flow that should have finished; the demo fails with where
    /// it stopped, why and what it left otherwise.
    pub(super) fn finished<T, S: Display, L: Display>(
        &self,
        flow: &str,
        answer: Result<T, Stopped<S, L>>,
    ) -> Result<T, String> {
        answer.map_err(|e| format!("step {}: {flow} did not finish: {e}", self.step))
    }

    /// Prints a package a flow created or found, counting it when created now.
    pub(super) fn created(&mut self, created: &Created) -> Result<(), String> {
        if created.origin == Origin::Created {
            self.made.packages.push(created.package.id());
        }
        self.package(&created.package)
    }

    /// The message for a call that should have worked.
    pub(super) fn failed(&self, what: &str, e: &PortError) -> String {
        format!("step {}: {what} failed: {e}", self.step)
    }

    /// The package of a call that should have worked.
    pub(super) fn accepted<T>(
        &self,
        what: &str,
        answer: Result<T, PortError>,
    ) -> Result<T, String> {
        answer.map_err(|e| self.failed(what, &e))
    }

    /// Prints the refusal of a call that Wix documents as refused with `code`;
    /// fails the demo when it was accepted or refused otherwise.
    pub(super) fn refused<T>(
        &mut self,
        what: &str,
        answer: Result<T, PortError>,
        code: &ErrorCode,
    ) -> Result<(), String> {
        match answer {
            Ok(_) => Err(format!(
                "step {}: {what} was accepted; Wix refuses it with {code}",
                self.step
            )),
            Err(e) if e.code() == code => {
                self.refusal(&e)?;
                Ok(())
            }
            Err(e) => Err(format!(
                "step {}: {what}: expected the refusal {code}, got {e}",
                self.step
            )),
        }
    }

    /// The owner of `site` as Query Sites of `account` sees it, if listed there.
    pub(super) fn owner_in(sites: &[SiteInfo], site: SiteId) -> Option<AccountId> {
        sites
            .iter()
            .find(|s| s.id == site)
            .map(|s| s.owner_account_id)
    }

    /// Whether Query Sites marks `site` premium.
    pub(super) fn premium_in(sites: &[SiteInfo], site: SiteId) -> Option<bool> {
        sites.iter().find(|s| s.id == site).map(|s| s.premium)
    }

    /// One product to buy: on `site`, with `billing`, in the demo's country.
    pub(super) fn item(
        &self,
        product: CatalogProductId,
        site: SiteId,
        billing: Billing,
    ) -> NewInstance {
        NewInstance::new(product)
            .country(self.ids.country)
            .site(site)
            .billing(billing)
    }

    /// The plan made in step 2 and its package.
    pub(super) fn plan_ids(&self) -> Result<(PackageId, InstanceId), String> {
        match (self.made.plan_package, self.made.plan) {
            (Some(p), Some(i)) => Ok((p, i)),
            _ => Err(format!("step {}: the plan of step 2 is missing", self.step)),
        }
    }

    /// The voucher made in step 3 and its package.
    pub(super) fn voucher_ids(&self) -> Result<(PackageId, InstanceId), String> {
        match (self.made.voucher_package, self.made.domain) {
            (Some(p), Some(i)) => Ok((p, i)),
            _ => Err(format!(
                "step {}: the voucher of step 3 is missing",
                self.step
            )),
        }
    }
}
