//! Steps 5 to 8: hand a site over (F1), move the plan (F2), adjust it, transfer a
//! site holding paid services (F5).

use super::*;

impl Demo<'_> {
    /// 5: F1 from Acme to Bakery Co, after F1's refusal of a site with a paid
    /// service bought outside the reseller flow.
    pub(super) async fn hand_over_site(&mut self) -> Result<(), String> {
        self.heading(
            5,
            "Hand a finished site over to a customer (Transfer Site; F1)",
        )?;
        self.wrapped(
            "  ",
            "Acme built the site bakery for Bakery Co in its own account. \
             hand_over_site checks where the site is (Query Sites) and what is sold \
             on it (Query Packages), moves it with Transfer Site (wix-account-id names \
             the target, sourceAccountId the source), then sells the customer a \
             mailbox on it. A site with any paid Wix service cannot move: legacy-shop \
             has one bought on wix.com.",
        )?;
        let (acme, bakery_co) = (self.ids.acme, self.ids.bakery_co);
        let (legacy, bakery) = (self.ids.legacy_shop, self.ids.bakery);
        let mailbox = Product::new(self.ids.mailbox, self.ids.country).billed(Billing::monthly());
        let input = HandOver {
            site: legacy,
            team_account: acme,
            customer_account: bakery_co,
            products: vec![mailbox.clone()],
            external_id: external_id("demo-legacy-shop-mailbox")?,
            enable_notifications: false,
        };
        let answer = flows::hand_over_site(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let stopped = match answer {
            Ok(_) => {
                return Err(
                    "step 5: legacy-shop was handed over; Wix refuses its transfer".to_owned(),
                );
            }
            Err(stopped) => stopped,
        };
        match stopped.cause.port_error() {
            Some(e) if e.code() == &ErrorCode::SiteTransferNotSupported => self.refusal(e)?,
            _ => {
                return Err(format!(
                    "step 5: expected the refusal {}, got: {stopped}",
                    ErrorCode::SiteTransferNotSupported
                ));
            }
        }
        self.check(
            stopped.left.site_at == SiteAt::Source
                && stopped.left.package == flows::PackageLeft::NotCreated,
            "F1 stopped: legacy-shop stayed with Acme, nothing was sold",
        )?;
        let input = HandOver {
            site: bakery,
            external_id: external_id("demo-bakery-mailbox")?,
            ..input
        };
        let answer = flows::hand_over_site(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let handed = self.finished("hand_over_site (F1)", answer)?;
        self.created(&handed.package)?;
        self.check(
            handed.transfer == Outcome::Done
                && handed.package.package.account_id() == bakery_co
                && handed
                    .package
                    .package
                    .instances()
                    .iter()
                    .all(|i| i.site() == Some(bakery)),
            "bakery moved, and its mailbox is Bakery Co's",
        )?;
        let theirs = self.query_sites(bakery_co).await?;
        self.sites(&theirs)?;
        self.check(
            Self::owner_in(&theirs, bakery) == Some(bakery_co),
            "bakery is Bakery Co's now (Query Sites, ownerAccountId)",
        )?;
        let acmes = self.query_sites(acme).await?;
        self.sites(&acmes)?;
        self.check(
            Self::owner_in(&acmes, bakery).is_none()
                && Self::owner_in(&acmes, legacy) == Some(acme),
            "bakery left Acme's sites; legacy-shop stayed",
        )
    }

    /// 6: the plan, and then the domain that needs it, move to the new site (F2).
    pub(super) async fn move_plan(&mut self) -> Result<(), String> {
        self.heading(6, "Move the plan to another site (Unassign, Assign; F2)")?;
        self.wrapped(
            "  ",
            "Bakery Co wants its Premium plan on the shop, bakery, instead of the blog. \
             reassign_instance finds the instance (Query Packages), unassigns it (it \
             floats), then assigns it to the new site. The domain needs a plan on its \
             site: when the plan left the blog, the domain floated with it, in the \
             same change. It follows once the plan is there: reassign_instance \
             again, by Assign alone.",
        )?;
        let (plan_package, plan) = self.plan_ids()?;
        let (voucher_package, domain) = self.voucher_ids()?;
        let (bakery_co, bakery, blog) = (self.ids.bakery_co, self.ids.bakery, self.ids.blog);
        let input = Reassign {
            account: bakery_co,
            instance: plan,
            new_site: bakery,
            unassign_first: true,
        };
        let answer = flows::reassign_instance(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let moved = self.finished("reassign_instance (F2, the plan)", answer)?;
        self.package(&moved.package)?;
        self.check(
            moved.unassigned
                && moved.assigned == Outcome::Done
                && moved
                    .package
                    .instance(plan)
                    .is_some_and(|i| i.site() == Some(bakery)),
            "the plan was unassigned (floating), then assigned to bakery",
        )?;
        let floated = self
            .emulator
            .wix()
            .package(voucher_package)
            .and_then(|p| p.instance(domain).map(ProductInstance::site))
            == Some(None);
        self.check(floated, "the domain floated when its plan left the blog")?;
        let input = Reassign {
            instance: domain,
            unassign_first: false,
            ..input
        };
        let answer = flows::reassign_instance(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let moved = self.finished("reassign_instance (F2, the domain)", answer)?;
        self.check(
            !moved.unassigned && moved.assigned == Outcome::Done,
            "the floated domain was assigned by Assign alone",
        )?;
        self.line("  Read back (Wix: after a move, re-read the package):")?;
        let p = self.get_package(bakery_co, plan_package).await?;
        let v = self.get_package(bakery_co, voucher_package).await?;
        self.package(&p)?;
        self.package(&v)?;
        self.check(
            p.instance(plan).is_some_and(|i| i.site() == Some(bakery))
                && v.instance(domain).is_some_and(|i| i.site() == Some(bakery)),
            "the plan and the domain are on bakery",
        )?;
        let sites = self.query_sites(bakery_co).await?;
        self.sites(&sites)?;
        self.check(
            Self::premium_in(&sites, bakery) == Some(true)
                && Self::premium_in(&sites, blog) == Some(false),
            "Query Sites: bakery is premium, bakery-blog no longer",
        )
    }

    /// 7: Adjust Product Instance Specifications: another plan, another cycle.
    pub(super) async fn adjust_plan(&mut self) -> Result<(), String> {
        self.heading(
            7,
            "Adjust the plan (Adjust Product Instance Specifications)",
        )?;
        self.wrapped(
            "  ",
            "Bakery Co moves down to Core, billed monthly: a product of the same type \
             (PREMIUM_PLAN) and one of its billing cycles.",
        )?;
        let (_, plan) = self.plan_ids()?;
        let (bakery_co, bakery, core) = (self.ids.bakery_co, self.ids.bakery, self.ids.core);
        let adjust = Adjust {
            catalog_product_id: Some(core),
            billing: Some(BillingRequest::of(Billing::monthly())),
            discount_code: None,
        };
        let answer = self
            .client
            .adjust_instance(&Call::new().account(bakery_co), plan, &adjust)
            .await;
        self.calls_made(false)?;
        let package = self.accepted("Adjust", answer)?;
        self.package(&package)?;
        let adjusted = package
            .instance(plan)
            .ok_or_else(|| "step 7: the plan left its package".to_owned())?;
        self.check(
            adjusted.catalog_product_id() == core && adjusted.billing() == Some(Billing::monthly()),
            "the same instance is Core, monthly",
        )?;
        self.check(
            adjusted.site() == Some(bakery) && adjusted.status().name() == StatusName::Enabled,
            "still on bakery, still ENABLED",
        )?;
        self.wrapped(
            "  ",
            "Not every product can be adjusted: Bakery Co buys a Logo Maker (one-time, \
             floating) and asks to change its billing. Wix answers 428 \
             OPERATION_NOT_SUPPORTED_FOR_PRODUCT, and nothing changes.",
        )?;
        let logo = NewInstance {
            site: None,
            ..self.item(self.ids.logo, bakery, Billing::OneTime)
        };
        let answer = self.create_package(bakery_co, vec![logo]).await?;
        let bought = self.accepted("Create Package (Logo Maker)", answer)?;
        let logo = bought
            .instances()
            .first()
            .map(ProductInstance::id)
            .ok_or_else(|| "step 7: the logo package has no instance".to_owned())?;
        let answer = self
            .client
            .adjust_instance(
                &Call::new().account(bakery_co),
                logo,
                &Adjust {
                    catalog_product_id: None,
                    billing: Some(BillingRequest::of(Billing::OneTime)),
                    discount_code: None,
                },
            )
            .await;
        self.calls_made(false)?;
        self.refused(
            "Adjust of the Logo Maker",
            answer,
            &ErrorCode::OperationNotSupportedForProduct,
        )?;
        let after = self
            .emulator
            .wix()
            .package(bought.id())
            .ok_or_else(|| "step 7: the logo package is gone".to_owned())?;
        let unchanged = after.instances().first().is_some_and(|i| {
            i.catalog_product_id() == self.ids.logo && i.billing() == Some(Billing::OneTime)
        });
        self.check(unchanged, "the Logo Maker is as it was")
    }

    /// 8: a site holding a reseller instance cannot move; Wix's remedy (F5).
    pub(super) async fn transfer_paid_site(&mut self) -> Result<(), String> {
        self.heading(8, "Transfer a site that holds a plan (F5)")?;
        self.wrapped(
            "  ",
            "Florist Ltd hands its site over to Acme for a redesign, but the site holds \
             a Premium plan sold through Acme (created first, below), so a plain \
             Transfer Site is refused. Wix's remedy, which transfer_paid_site runs: \
             cancel what is sold on the site, transfer, then buy it again in the \
             target account.",
        )?;
        let (acme, florist_ltd) = (self.ids.acme, self.ids.florist_ltd);
        let (florist, unlimited) = (self.ids.florist, self.ids.unlimited);
        let item = self.item(unlimited, florist, Billing::monthly());
        let answer = self.create_package(florist_ltd, vec![item]).await?;
        let theirs = self.accepted("Create Package (Florist Ltd)", answer)?;
        self.package(&theirs)?;
        let their_plan = theirs
            .instances()
            .first()
            .map(ProductInstance::id)
            .ok_or_else(|| "step 8: the package has no instance".to_owned())?;
        let answer = self.transfer(florist, florist_ltd, acme).await?;
        self.refused(
            "the transfer of a site with a live plan",
            answer,
            &ErrorCode::SiteTransferNotSupported,
        )?;
        let sites = self.query_sites(florist_ltd).await?;
        self.check(
            Self::owner_in(&sites, florist) == Some(florist_ltd),
            "florist stayed with Florist Ltd",
        )?;
        self.wrapped(
            "  ",
            "The refusal does not say what blocks the site. transfer_paid_site finds \
             the packages with an instance on it (Query Packages), cancels those \
             instances (Cancel Product Instance), transfers, and creates each again \
             in Acme's account (create-once):",
        )?;
        let input = TransferPaidSite {
            site: florist,
            source_account: florist_ltd,
            target_account: acme,
            enable_notifications: false,
            external_id_prefix: "demo-florist".to_owned(),
            services: None,
        };
        let answer = flows::transfer_paid_site(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let moved = self.finished("transfer_paid_site (F5)", answer)?;
        for service in &moved.services {
            self.created(&service.package)?;
        }
        let froms: Vec<InstanceId> = moved.services.iter().map(|s| s.from).collect();
        self.check(
            moved.transfer == Outcome::Done && froms == [their_plan],
            "one service on florist, the plan just sold: canceled, moved, sold again",
        )?;
        let acmes = self.query_sites(acme).await?;
        self.check(
            Self::owner_in(&acmes, florist) == Some(acme),
            "florist is Acme's now (Query Sites)",
        )?;
        self.check(
            moved.services.iter().all(|s| {
                let p = &s.package.package;
                p.account_id() == acme
                    && p.instances().iter().all(|i| {
                        i.catalog_product_id() == unlimited
                            && i.site() == Some(florist)
                            && i.status().name() == StatusName::Pending
                    })
            }),
            "a new plan on florist, in Acme's account",
        )?;
        let old = self.get_package(florist_ltd, theirs.id()).await?;
        self.package(&old)?;
        self.check(
            old.instances()
                .iter()
                .all(|i| i.status().name() == StatusName::Canceled),
            "the old package stays canceled with Florist Ltd",
        )
    }
}
