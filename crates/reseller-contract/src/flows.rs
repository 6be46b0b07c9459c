//! The documented reseller flows F1-F5 (spec `wix-accounts-and-sites.md` section
//! 5), end to end through the ports.

use reseller_domain::ops::NewSubAccount;
use reseller_domain::sites::SiteDetails;
use reseller_domain::{ErrorCode, StatusName};
use reseller_ports::{
    Accounts, ChildAccountsPaging, NewSite, Provisioning, ResellerPackages, Seed, SiteTransfers,
};

use crate::expect::{first, instance, ok, refused, status};
use crate::fixture::*;
use crate::transfer::transfer;

/// F1: the partner finishes a site in its own account, transfers it to the
/// customer's sub-account (the site has no paid service yet), then sells the
/// customer a plan for it.
pub async fn f1_build_in_the_team_account_then_hand_over(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    ok(
        "step 3: Transfer Site to the customer",
        fx.main
            .transfer_site(&on(SUB1), &transfer(MAIN_SPARE, MAIN))
            .await,
    );
    let customer_sites = fx.sites_of(&*fx.main, SUB1).await;
    assert!(customer_sites.iter().any(|s| s.id == MAIN_SPARE));
    let p = fx
        .buy(SUB1, vec![item(PLAN_UNLIMITED, Some(MAIN_SPARE))])
        .await;
    let plan = instance(&p, first(&p));
    assert_eq!(plan.site(), Some(MAIN_SPARE));
    assert_eq!(plan.status().name(), StatusName::Pending);
    assert_eq!(p.account_id(), SUB1);
}

/// F2: a paid service moves to another site of the customer: unassign (floating),
/// assign to the new site; a direct move works too.
pub async fn f2_reassign_a_paid_service_to_another_site(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let picked = fx.all_packages(&*fx.sub1, SUB1).await;
    assert!(
        picked.iter().any(|q| q.instance(plan).is_some()),
        "step 2: the customer finds the instance through Query Packages"
    );
    let sites = fx.sites_of(&*fx.sub1, SUB1).await;
    assert!(sites.iter().any(|s| s.id == SUB1_SPARE), "and the new site");
    let floating = ok(
        "step 3: Unassign",
        fx.main.unassign_instance(&on(SUB1), plan).await,
    );
    assert_eq!(instance(&floating, plan).site(), None);
    let moved = ok(
        "step 4: Assign to the new site",
        fx.main.assign_instance(&on(SUB1), plan, SUB1_SPARE).await,
    );
    assert_eq!(instance(&moved, plan).site(), Some(SUB1_SPARE));
    let back = ok(
        "a direct move back",
        fx.main.assign_instance(&on(SUB1), plan, SUB1_SITE).await,
    );
    assert_eq!(instance(&back, plan).site(), Some(SUB1_SITE));
    assert_eq!(fx.get(SUB1, p.id()).await, back, "re-read after the move");
}

/// F3: a Premium plan first, then a second package with the free domain, its
/// `referenceProductInstanceId` naming the plan instance; the voucher serves once.
pub async fn f3_premium_plan_plus_voucher_add_on(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    refused(
        "the add-on before the plan",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![item(DOMAIN_VOUCHER, Some(SUB1_SITE))]),
            )
            .await,
        ErrorCode::ProductNotSupportedOnSite,
    );
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let voucher = item(DOMAIN_VOUCHER, Some(SUB1_SITE)).reference(plan);
    let addon = fx.buy(SUB1, vec![voucher]).await;
    let domain = instance(&addon, first(&addon));
    assert_eq!(domain.reference(), Some(plan));
    assert_eq!(domain.site(), Some(SUB1_SITE));
    refused(
        "step 4: the reference again, for another add-on",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![item(DOMAIN_VOUCHER, None).reference(plan)]),
            )
            .await,
        ErrorCode::InvalidReferenceProductInstanceId,
    );
}

/// F4: DIY onboarding: create the customer's sub-account, find it again, find the
/// site the customer built, sell a plan on the sub-account, and poll until the plan
/// is `ENABLED`.
pub async fn f4_diy_onboarding_of_a_new_customer(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    fx.seed
        .set_provisioning(Provisioning::Auto {
            delay_millis: 5_000,
        })
        .await
        .unwrap_or_else(|e| panic!("set provisioning with a delay: {e}"));
    let customer = ok(
        "step 1: Create Account",
        fx.main
            .create_sub_account(
                &on(MAIN),
                &NewSubAccount {
                    email: "ana@customer.example".to_owned(),
                },
            )
            .await,
    );
    let children = ok(
        "step 2: List Child Accounts",
        fx.main
            .list_child_accounts(&on(MAIN), ChildAccountsPaging::default())
            .await,
    );
    assert!(children.accounts.contains(&customer));
    let built = fx
        .seed
        .add_site(&NewSite {
            id: None,
            account: customer,
            name: String::new(),
            external_paid_services: Vec::new(),
            details: SiteDetails::default(),
            created: None,
        })
        .await
        .unwrap_or_else(|e| panic!("step 3: the customer builds a site: {e}"));
    let sites = fx.sites_of(&*fx.main, customer).await;
    let [found] = sites.as_slice() else {
        panic!("step 4: one site expected: {sites:#?}");
    };
    assert_eq!(found.id, built.id);
    assert_eq!(found.owner_account_id, customer);
    let p = fx
        .buy(customer, vec![item(PLAN_UNLIMITED, Some(found.id))])
        .await;
    let plan = first(&p);
    assert_eq!(status(&p, plan), StatusName::Pending);
    let mut polls = 0;
    loop {
        let now = fx.get(customer, p.id()).await;
        if status(&now, plan) == StatusName::Enabled {
            break;
        }
        assert_eq!(status(&now, plan), StatusName::Pending, "step 6: poll");
        polls += 1;
        assert!(polls <= 10, "the plan never left PENDING");
        fx.advance(1_000).await;
    }
    assert!(polls >= 3, "ENABLED only after the delay (polls: {polls})");
}

/// F5: a site with a paid service cannot move until its package is canceled;
/// then the transfer goes through and the service is bought again for the target.
pub async fn f5_transfer_a_site_that_holds_a_paid_service(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, _) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    refused(
        "the transfer while the plan is live",
        fx.main
            .transfer_site(&on(SUB2), &transfer(SUB1_SITE, SUB1))
            .await,
        ErrorCode::SiteTransferNotSupported,
    );
    ok(
        "step 1: Cancel Package",
        fx.main.cancel_package(&on(SUB1), p.id()).await,
    );
    ok(
        "step 2: Transfer Site",
        fx.main
            .transfer_site(&on(SUB2), &transfer(SUB1_SITE, SUB1))
            .await,
    );
    let restored = fx
        .buy(SUB2, vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))])
        .await;
    assert_eq!(
        instance(&restored, first(&restored)).site(),
        Some(SUB1_SITE),
        "step 3: the service restored for the new owner"
    );
    assert_eq!(
        status(&fx.get(SUB1, p.id()).await, first(&p)),
        StatusName::Canceled,
        "the old package stays canceled with its old owner"
    );
}
