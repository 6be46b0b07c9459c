//! Steps 1 to 4: onboard a customer (F4), sell a plan with a voucher (F3), the
//! voucher's second use refused, provisioning watched to `ENABLED`.

use super::*;

impl Demo<'_> {
    /// 1: F4 (a sub-account and a floating package), then List Child Accounts.
    pub(super) async fn onboard_customer(&mut self) -> Result<(), String> {
        self.heading(1, "Onboard a new customer (Create Account; F4)")?;
        self.wrapped(
            "  ",
            "A new customer signs up with Acme and buys Core, billed monthly, before \
             building a site. onboard_customer creates their sub-account (its \
             idempotency key derived from Acme's reference for the customer) and a \
             floating package in it, looked up by its external id first \
             (create-once). Polling is left to step 4.",
        )?;
        let (acme, core, country) = (self.ids.acme, self.ids.core, self.ids.country);
        let input = Onboard {
            main_account: acme,
            email: NEW_CUSTOMER_EMAIL.to_owned(),
            customer_ref: NEW_CUSTOMER_REF.to_owned(),
            known_account: None,
            products: vec![Product::new(core, country).billed(Billing::monthly())],
            external_id: external_id("demo-onboard-corner-cafe")?,
            site: SiteChoice::Floating,
            polls: 0,
            poll_pause: Duration::ZERO,
        };
        let answer = flows::onboard_customer(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let done = self.finished("onboard_customer (F4)", answer)?;
        let customer = done.account;
        self.line(format_args!("  account {customer} ({NEW_CUSTOMER_EMAIL})"))?;
        self.created(&done.package)?;
        let package = &done.package.package;
        self.check(
            done.package.origin == Origin::Created
                && package.account_id() == customer
                && package.instances().iter().all(|i| {
                    i.site().is_none()
                        && i.catalog_product_id() == core
                        && i.status().name() == StatusName::Pending
                }),
            "a floating Core plan in the new account, PENDING",
        )?;
        let paging = ChildAccountsPaging {
            offset: None,
            limit: Some(50),
        };
        let answer = self
            .client
            .list_child_accounts(&Call::new().account(acme), paging)
            .await;
        self.calls_made(false)?;
        let children = self.accepted("List Child Accounts", answer)?;
        self.line(format_args!(
            "    {:<38}{}",
            "childAccounts[].accountId", "name (not in Wix's answer)"
        ))?;
        for child in &children.accounts {
            let name = fit(&self.account_name(*child), 38);
            self.line(format_args!("    {:<38}{name}", child.to_string()))?;
        }
        self.check(
            children.accounts.contains(&customer),
            "the new account is one of Acme's child accounts",
        )?;
        self.check(
            children.total == 3 && children.accounts.len() == 3,
            "Acme now has 3 sub-accounts (2 seeded, 1 new)",
        )
    }

    /// 2: a Premium plan and a free-domain voucher on Bakery Co's blog (F3).
    pub(super) async fn sell_plan(&mut self) -> Result<(), String> {
        self.heading(2, "Sell a Premium plan with a free domain (F3)")?;
        self.wrapped(
            "  ",
            "Bakery Co buys Business Unlimited, billed yearly, for its site bakery-blog, \
             and gets the free first-year domain with it. plan_with_voucher creates \
             the plan's package, then the domain's, whose referenceProductInstanceId \
             names the plan, so Wix does not charge Acme for it. Both belong to the \
             sub-account (wix-account-id names it).",
        )?;
        let (bakery_co, blog) = (self.ids.bakery_co, self.ids.blog);
        let (unlimited, voucher, country) =
            (self.ids.unlimited, self.ids.voucher, self.ids.country);
        let input = PlanWithVoucher {
            account: bakery_co,
            site: blog,
            plan: Product::new(unlimited, country).billed(Billing::yearly()),
            add_ons: vec![Product::new(voucher, country).billed(Billing::yearly())],
            plan_external_id: external_id("demo-bakery-blog-plan")?,
            add_on_external_id: external_id("demo-bakery-blog-domain")?,
        };
        let answer = flows::plan_with_voucher(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let sold = self.finished("plan_with_voucher (F3)", answer)?;
        self.created(&sold.plan)?;
        self.created(&sold.add_on)?;
        let (package, domains) = (&sold.plan.package, &sold.add_on.package);
        let (Some(plan), Some(domain)) = (package.instances().first(), domains.instances().first())
        else {
            return Err("step 2: a package has no instance".to_owned());
        };
        self.made.plan_package = Some(package.id());
        self.made.plan = Some(plan.id());
        self.made.voucher_package = Some(domains.id());
        self.made.domain = Some(domain.id());
        self.check(
            package.account_id() == bakery_co && package.instances().len() == 1,
            "the plan: one instance, in Bakery Co's account",
        )?;
        self.check(
            plan.id() == sold.plan_instance
                && plan.catalog_product_id() == unlimited
                && plan.site() == Some(blog)
                && plan.billing() == Some(Billing::yearly()),
            "Business Unlimited on bakery-blog, yearly",
        )?;
        self.check(
            plan.status().name() == StatusName::Pending,
            "it starts PENDING, as on Wix",
        )?;
        self.check(
            domains.account_id() == bakery_co
                && domain.catalog_product_id() == voucher
                && domain.site() == Some(blog)
                && domain.billing() == Some(Billing::yearly()),
            "the voucher is on bakery-blog, yearly",
        )?;
        self.check(
            domain.reference() == Some(plan.id()),
            &format!("it references the plan {}", short(plan.id())),
        )
    }

    /// 3: the same plan as a voucher reference again: refused (F3 step 4).
    pub(super) async fn add_voucher(&mut self) -> Result<(), String> {
        self.heading(3, "Use the plan as a voucher reference again (F3)")?;
        self.wrapped(
            "  ",
            "A plan instance serves as a voucher reference once only. A second \
             domain voucher on the same reference, floating, by a direct Create \
             Package:",
        )?;
        let (_, plan) = self.plan_ids()?;
        let (bakery_co, blog, voucher) = (self.ids.bakery_co, self.ids.blog, self.ids.voucher);
        let again = NewInstance {
            reference: Some(plan),
            site: None,
            ..self.item(voucher, blog, Billing::yearly())
        };
        let before = self.emulator.wix().package_count();
        let answer = self.create_package(bakery_co, vec![again]).await?;
        self.refused(
            "a second voucher on the same reference",
            answer,
            &ErrorCode::InvalidReferenceProductInstanceId,
        )?;
        self.check(
            self.emulator.wix().package_count() == before,
            "refused, and no package was created",
        )
    }

    /// 4: poll Get Package until provisioning is done (F4 step 6).
    pub(super) async fn watch_provisioning(&mut self) -> Result<(), String> {
        self.heading(4, "Wait for provisioning (poll Get Package)")?;
        self.wrapped(
            "  ",
            "Wix sends no webhooks: poll Get Package until the instances leave \
             PENDING. Between polls the emulator's clock moves 10 s (in process).",
        )?;
        let (plan_package, plan) = self.plan_ids()?;
        let (voucher_package, domain) = self.voucher_ids()?;
        let bakery_co = self.ids.bakery_co;
        self.line(format_args!(
            "    {:<10}{:<33}{}",
            "emulated", "Business Unlimited", "Free first-year domain"
        ))?;
        let call = Call::new().account(bakery_co);
        let mut first_created: Option<i64> = None;
        let mut enabled_after = None;
        let mut pending_at_first = false;
        for poll in 0..MAX_POLLS {
            if poll > 0 {
                self.emulator
                    .wix()
                    .advance_clock(POLL_STEP_MS)
                    .await
                    .map_err(|e| format!("step 4: cannot move the emulator's clock: {e}"))?;
            }
            let p = self.client.get_package(&call, plan_package).await;
            let p = self.accepted("Get Package (plan)", p)?;
            let v = self.client.get_package(&call, voucher_package).await;
            let v = self.accepted("Get Package (voucher)", v)?;
            let (Some(pi), Some(vi)) = (p.instance(plan), v.instance(domain)) else {
                return Err("step 4: an instance vanished from its package".to_owned());
            };
            let created = *first_created.get_or_insert(pi.created().unix_millis());
            let elapsed = self
                .emulator
                .wix()
                .now()
                .unix_millis()
                .saturating_sub(created);
            let (ps, vs) = (pi.status().name(), vi.status().name());
            self.line(format_args!(
                "    {:<10}{:<33}{}",
                format!("t+{}s", elapsed / 1000),
                ps.as_str(),
                vs.as_str()
            ))?;
            let expected = [StatusName::Pending, StatusName::Enabled];
            if !expected.contains(&ps) || !expected.contains(&vs) {
                return Err(format!(
                    "step 4: provisioning gave {ps} and {vs}; expected PENDING or ENABLED"
                ));
            }
            if poll == 0 {
                pending_at_first = ps == StatusName::Pending && vs == StatusName::Pending;
            }
            if ps == StatusName::Enabled && vs == StatusName::Enabled {
                enabled_after = Some(elapsed);
                break;
            }
        }
        self.line("  The polls' calls:")?;
        self.calls_made(true)?;
        let Some(elapsed) = enabled_after else {
            return Err(format!("step 4: still not ENABLED after {MAX_POLLS} polls"));
        };
        self.check(pending_at_first, "both PENDING at first")?;
        let delay = i64::try_from(PROVISIONING_DELAY_MS).unwrap_or(i64::MAX);
        self.check(
            elapsed >= delay,
            &format!(
                "both ENABLED once the {} s provisioning delay had passed",
                PROVISIONING_DELAY_MS / 1000
            ),
        )
    }
}
