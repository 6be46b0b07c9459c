//! A guided tour of the reseller flows (spec `wix-accounts-and-sites.md` section 5)
//! on built-in sample data: every call the flows make, applied to an in-process
//! world with the real rules, and the state after each step.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::num::NonZeroU32;

use reseller_domain::auth::Caller;
use reseller_domain::ops::{
    self, BillingRequest, CreatePackage, Done, NewInstance, NewSubAccount, SiteTransfer,
};
use reseller_domain::{
    Account, Billing, CatalogProduct, CountryCode, Cycle, CycleUnit, ExternalId, InstanceStatus,
    Package, ProductType, Refusal, Site, SiteId, Timestamp, World, WorldView,
};
use uuid::Uuid;

struct Tour {
    world: World,
    now: Timestamp,
    next: u128,
}

impl Tour {
    fn id(&mut self) -> Uuid {
        self.next += 1;
        Uuid::from_u128(0x7000_0000_0000_0000_0000_0000_0000_0000 + self.next)
    }

    fn tick(&mut self) -> Timestamp {
        self.now = self.now.plus_millis(60_000);
        self.now
    }

    fn apply<T>(&mut self, what: &str, result: Result<Done<T>, Refusal>) -> Option<T> {
        match result {
            Ok(done) => {
                self.world.apply(&done.changes);
                println!("   ok: {what}");
                Some(done.answer)
            }
            Err(refusal) => {
                println!("   refused (wanted: {what})");
                for v in refusal.all() {
                    println!("     {} {} {}", v.http_status(), v.code(), v);
                }
                None
            }
        }
    }
}

fn show(p: &Package) {
    println!(
        "     package {} of {} externalId={}",
        p.id(),
        p.account_id(),
        p.external_id().map_or("-", |e| e.as_str())
    );
    for i in p.instances() {
        println!(
            "       instance {} product {} {} on {} billing {}",
            i.id(),
            i.catalog_product_id(),
            i.status().name(),
            i.site()
                .map_or_else(|| "no site (floating)".to_owned(), |s| s.to_string()),
            i.billing()
                .map_or_else(|| "-".to_owned(), |b| b.to_string())
        );
    }
}

fn product(id: u128, ty: &str, name: &str, cycles: Vec<Billing>) -> CatalogProduct {
    CatalogProduct::new(
        reseller_domain::CatalogProductId::from_uuid(Uuid::from_u128(id)),
        ProductType::new(ty).unwrap_or_else(|e| panic!("{e}")),
        name,
        cycles,
    )
}

fn line(n: u8, title: &str) {
    println!("\n== F{n}: {title}");
}

#[allow(clippy::too_many_lines)]
fn main() {
    let start =
        Timestamp::parse_rfc3339("2026-11-21T09:00:00.000Z").unwrap_or_else(|e| panic!("{e}"));
    let mut t = Tour {
        world: World::new(),
        now: start,
        next: 0,
    };
    let main_acc = reseller_domain::AccountId::from_uuid(t.id());
    t.world.accounts.insert(
        main_acc,
        Account {
            id: main_acc,
            parent: None,
            name: "Acme Hosting".into(),
            strategic_partner: true,
        },
    );
    let new_site = |t: &mut Tour, owner, name: &str| {
        let id = SiteId::from_uuid(t.id());
        t.world.sites.insert(
            id,
            Site {
                id,
                owner,
                name: name.into(),
                external_paid_services: vec![],
                created: start,
                updated: start,
                details: Default::default(),
            },
        );
        id
    };
    let team_site = new_site(&mut t, main_acc, "bakery");
    let unlimited = product(
        0xC1,
        "PREMIUM_PLAN",
        "Business Unlimited",
        vec![Billing::monthly(), Billing::yearly()],
    );
    let vip = product(
        0xC2,
        "PREMIUM_PLAN",
        "Business VIP",
        vec![Billing::monthly(), Billing::yearly()],
    );
    let mut domain = product(0xC3, "DOMAIN", "Domain (1 year)", vec![Billing::yearly()]);
    domain.requires_product_type =
        Some(ProductType::new("PREMIUM_PLAN").unwrap_or_else(|e| panic!("{e}")));
    for p in [&unlimited, &vip, &domain] {
        t.world.catalog.insert(p.id, p.clone());
        println!(
            "catalog: {} {} ({}) cycles {:?}",
            p.id,
            p.name,
            p.product_type,
            p.billing_cycles
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        );
    }
    let br = CountryCode::new("BR").unwrap_or_else(|e| panic!("{e}"));
    let item =
        |product: &CatalogProduct, site: Option<SiteId>, billing: Option<Billing>| NewInstance {
            catalog_product_id: product.id,
            country_code: Some(br),
            site,
            billing: billing.map(BillingRequest::of),
            discount_code: None,
            reference: None,
        };
    let as_main = Caller {
        key_account: main_acc,
        account: main_acc,
    };

    line(4, "DIY onboarding: a sub-account for a new customer");
    println!("-> POST /accounts/v1/accounts/create (wix-account-id: {main_acc})");
    let ids = |t: &mut Tour| t.id();
    let next = ids(&mut t);
    let created = ops::create_sub_account(
        &t.world,
        &as_main,
        &NewSubAccount {
            email: "ana@customer.example".into(),
        },
        &mut || next,
    );
    let Some(customer) = t.apply("sub-account created", created) else {
        return;
    };
    println!("     customer account {customer}");
    let as_customer = Caller {
        key_account: main_acc,
        account: customer,
    };
    t.world.allowed_transfers.insert((main_acc, customer));

    line(
        1,
        "build a site in the team account, hand it over, then sell the plan",
    );
    println!(
        "-> POST /b2b-site-management/v1/transfer-site (wix-account-id: {customer}) site {team_site}"
    );
    let transfer = SiteTransfer {
        site: team_site,
        source_account: main_acc,
        enable_notifications: false,
    };
    let now = t.tick();
    let moved = ops::transfer_site(&t.world, &as_customer, &transfer, now);
    t.apply("site now belongs to the customer", moved);
    println!(
        "-> POST /resellers/v2/packages (wix-account-id: {customer}) Business Unlimited on the site, yearly"
    );
    let cmd = CreatePackage {
        external_id: Some(ExternalId::new("order-4711").unwrap_or_else(|e| panic!("{e}"))),
        products: vec![item(&unlimited, Some(team_site), Some(Billing::yearly()))],
    };
    let (now, a, b) = (t.tick(), t.id(), t.id());
    let mut fresh = [a, b].into_iter();
    let created = ops::create_package(&t.world, &as_customer, &cmd, now, &mut || {
        fresh.next().unwrap_or_else(Uuid::nil)
    });
    let Some(plan) = t.apply("package created; instances start PENDING", created) else {
        return;
    };
    show(&plan);
    let plan_instance = plan.instances()[0].id();
    println!("-> Wix provisions the plan (no webhooks: poll Get Package)");
    let now = t.tick();
    let enabled = ops::set_instance_status(&t.world, plan_instance, InstanceStatus::Enabled, now);
    if let Some(p) = t.apply("instance ENABLED", enabled) {
        show(&p);
    }

    line(3, "a free first-year domain through a voucher reference");
    let mut voucher = item(&domain, Some(team_site), None);
    voucher.reference = Some(plan_instance);
    let cmd = CreatePackage {
        external_id: None,
        products: vec![voucher],
    };
    for attempt in 1..=2 {
        println!(
            "-> POST /resellers/v2/packages domain with referenceProductInstanceId {plan_instance} (attempt {attempt})"
        );
        let (now, a, b) = (t.tick(), t.id(), t.id());
        let mut fresh = [a, b].into_iter();
        let r = ops::create_package(&t.world, &as_customer, &cmd, now, &mut || {
            fresh.next().unwrap_or_else(Uuid::nil)
        });
        if let Some(p) = t.apply("voucher add-on created", r) {
            show(&p);
        }
    }

    line(2, "move the plan to the customer's second site");
    let second = new_site(&mut t, customer, "bakery-shop");
    println!("-> PATCH /resellers/v1/packages/product-instances/{plan_instance}/{second}");
    let now = t.tick();
    let r = ops::assign_instance(&t.world, &as_customer, plan_instance, second, now);
    if let Some(p) = t.apply("moved", r) {
        show(&p);
    }

    println!("\n== Adjust: upgrade to Business VIP, monthly");
    let adjust = ops::Adjust {
        catalog_product_id: Some(vip.id),
        billing: Some(BillingRequest::of(Billing::Recurring(Cycle::new(
            CycleUnit::Month,
            NonZeroU32::MIN,
        )))),
        discount_code: None,
    };
    let now = t.tick();
    let r = ops::adjust_instance(&t.world, &as_customer, plan_instance, &adjust, now);
    if let Some(p) = t.apply("adjusted", r) {
        show(&p);
    }

    line(5, "transfer a site that holds a paid service");
    t.world.allowed_transfers.insert((customer, main_acc));
    let back = SiteTransfer {
        site: second,
        source_account: customer,
        enable_notifications: true,
    };
    println!(
        "-> POST /b2b-site-management/v1/transfer-site (wix-account-id: {main_acc}) site {second}"
    );
    let now = t.tick();
    let r = ops::transfer_site(&t.world, &as_main, &back, now);
    t.apply("transfer", r);
    println!(
        "-> Wix's remedy: DELETE /resellers/v1/packages/{} (Cancel Package), transfer, create again",
        plan.id()
    );
    let now = t.tick();
    let r = ops::cancel_package(&t.world, &as_customer, plan.id(), now);
    if let Some(p) = t.apply("package canceled", r) {
        show(&p);
    }
    let now = t.tick();
    let r = ops::transfer_site(&t.world, &as_main, &back, now);
    t.apply("site transferred back to the team account", r);
    let cmd = CreatePackage {
        external_id: None,
        products: vec![item(&vip, Some(second), Some(Billing::monthly()))],
    };
    let (now, a, b) = (t.tick(), t.id(), t.id());
    let mut fresh = [a, b].into_iter();
    let r = ops::create_package(&t.world, &as_main, &cmd, now, &mut || {
        fresh.next().unwrap_or_else(Uuid::nil)
    });
    if let Some(p) = t.apply("service restored on the moved site", r) {
        show(&p);
    }
    let owner = t.world.site(second).map(|s| s.owner);
    println!(
        "\nsite {second} is owned by {}; {} packages in the world",
        owner.map_or_else(|| "-".into(), |o| o.to_string()),
        t.world.packages.len()
    );
}
