//! Create Package, where the package goes: its account (R1.1, R1.4), its site or
//! none (R1.2, R1.3, with R1.12's starting state), and what a site may hold (one
//! live instance per product type, R1.8; a domain after a Premium plan, R1.9).

use reseller_domain::ops::{CreatePackage, NewInstance};
use reseller_domain::{Billing, DiscountCode, ErrorCode, ExternalId, InstanceStatus};
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{first, instance, ok, refused};
use crate::fixture::*;

/// R1.1: the package belongs to the `wix-account-id` account (a sub-account here,
/// created with the main account's key), and only that account gets it.
pub async fn r1_1_the_package_belongs_to_the_header_account(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let p = fx.buy(SUB1, vec![item(ASCEND, None)]).await;
    assert_eq!(p.account_id(), SUB1, "the package's accountId");
    let got = fx.get(SUB1, p.id()).await;
    assert_eq!(got, p, "Get Package answers what Create Package answered");
    let before = fx.snapshot().await;
    refused(
        "Get Package of SUB1's package acting on MAIN",
        fx.main.get_package(&on(MAIN), p.id()).await,
        ErrorCode::PackageNotFound,
    );
    fx.assert_unchanged(&before, "Get Package").await;
}

/// R1.2 and R1.12: a `siteId` assigns the instance on creation; every new instance
/// is `PENDING` without a failure, and keeps what the request gave it.
pub async fn r1_2_site_id_assigns_and_r1_12_instances_start_pending(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let request = CreatePackage {
        external_id: Some(ExternalId::new("order-4711").expect("an external id")),
        products: vec![
            NewInstance {
                discount_code: Some(DiscountCode::new("SPRING-SALE").expect("a code")),
                ..item(PLAN_UNLIMITED, Some(SUB1_SITE))
            },
            item(ASCEND, None),
        ],
    };
    let p = ok(
        "Create Package",
        fx.main.create_package(&on(SUB1), &request).await,
    );
    assert_eq!(p.external_id().map(ExternalId::as_str), Some("order-4711"));
    let [plan, ascend] = p.instances() else {
        panic!("two instances expected: {p:#?}");
    };
    assert_ne!(plan.id(), ascend.id(), "instance ids are distinct");
    assert_eq!(plan.site(), Some(SUB1_SITE), "R1.2: assigned to the site");
    assert_eq!(ascend.site(), None, "R1.3: no siteId is floating");
    for i in [plan, ascend] {
        assert_eq!(
            i.status(),
            &InstanceStatus::Pending,
            "R1.12: starts PENDING"
        );
        assert_eq!(i.status().failure(), None, "no failure unless FAILED");
        assert_eq!(i.country_code(), Some(brazil()));
        assert_eq!(i.created(), i.updated(), "a new instance was never updated");
    }
    assert_eq!(plan.catalog_product_id(), PLAN_UNLIMITED);
    assert_eq!(plan.billing(), Some(Billing::yearly()));
    assert_eq!(
        plan.discount_code().map(DiscountCode::as_str),
        Some("SPRING-SALE")
    );
    assert_eq!(ascend.billing(), Some(Billing::OneTime));
    assert_eq!(ascend.discount_code(), None);
    assert_eq!(p.created(), p.updated(), "a new package was never updated");
    assert_eq!(fx.get(SUB1, p.id()).await, p, "Get Package reads it back");
}

/// R1.3: without `siteId` the instance is floating; floating instances hold no
/// site, so two plans of one type may float in one account.
pub async fn r1_3_no_site_id_is_floating(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (a, ia) = fx.plan(SUB1, None).await;
    let (b, ib) = fx.plan(SUB1, None).await;
    assert_eq!(instance(&a, ia).site(), None);
    assert_eq!(instance(&b, ib).site(), None);
    // The site is still free for a plan.
    fx.plan(SUB1, Some(SUB1_SITE)).await;
}

/// R1.2: the site must belong to the header account: 404 `SITE_NOT_FOUND`, the
/// message naming the real owner ("no account" for a site that does not exist).
pub async fn r1_2_site_of_another_account_is_site_not_found_404(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    for (site, owner) in [
        (SUB2_SITE, SUB2.to_string()),
        (MAIN_SITE, MAIN.to_string()),
        (OTHER_SITE, OTHER.to_string()),
        (UNKNOWN_SITE, "no account".to_owned()),
    ] {
        let e = refused(
            &format!("Create Package on SUB1 with site {site}"),
            fx.main
                .create_package(&on(SUB1), &create(vec![item(PLAN_UNLIMITED, Some(site))]))
                .await,
            ErrorCode::SiteNotFound,
        );
        assert!(
            e.message().contains(&site.to_string()) && e.message().contains(&owner),
            "the message names the site and its owner {owner}: {e}"
        );
    }
    fx.assert_unchanged(&before, "Create Package on a foreign site")
        .await;
}

/// R1.4: the header account must exist: 404 `ACCOUNT_NOT_FOUND`.
pub async fn r1_4_unknown_account_is_account_not_found_404(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "Create Package on an unknown account",
        fx.main
            .create_package(&on(UNKNOWN_ACCOUNT), &create(vec![item(ASCEND, None)]))
            .await,
        ErrorCode::AccountNotFound,
    );
    fx.assert_unchanged(&before, "Create Package on an unknown account")
        .await;
}

/// R1.8: a site holds one live instance per product type: 428
/// `PRODUCT_TYPE_ALREADY_ASSIGNED`; another type is fine, and a canceled instance
/// frees the site.
pub async fn r1_8_a_site_holds_one_live_instance_per_product_type(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let before = fx.snapshot().await;
    refused(
        "a second Premium plan on the site",
        fx.main
            .create_package(&on(SUB1), &create(vec![item(PLAN_VIP, Some(SUB1_SITE))]))
            .await,
        ErrorCode::ProductTypeAlreadyAssigned,
    );
    fx.assert_unchanged(&before, "a second plan on one site")
        .await;
    fx.buy(SUB1, vec![item(ASCEND, Some(SUB1_SITE))]).await;
    ok(
        "Cancel Product Instance",
        fx.main.cancel_instance(&on(SUB1), plan).await,
    );
    fx.buy(SUB1, vec![item(PLAN_VIP, Some(SUB1_SITE))]).await;
}

/// R1.8: one request putting two products of one type on one site is 428
/// `MULTIPLE_PRODUCT_ASSIGNMENTS`; on two sites it is fine.
pub async fn r1_8_two_products_of_one_type_on_one_site_is_multiple_product_assignments(
    seed: &dyn Seed,
) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    for second in [PLAN_VIP, PLAN_UNLIMITED] {
        refused(
            &format!("a plan and {second} on one site in one request"),
            fx.main
                .create_package(
                    &on(SUB1),
                    &create(vec![
                        item(PLAN_UNLIMITED, Some(SUB1_SITE)),
                        item(second, Some(SUB1_SITE)),
                    ]),
                )
                .await,
            ErrorCode::MultipleProductAssignments,
        );
    }
    fx.assert_unchanged(&before, "two plans on one site in one request")
        .await;
    fx.buy(
        SUB1,
        vec![
            item(PLAN_UNLIMITED, Some(SUB1_SITE)),
            item(PLAN_VIP, Some(SUB1_SPARE)),
        ],
    )
    .await;
}

/// R1.9: a domain needs a live Premium plan on the site first: 428
/// `PRODUCT_NOT_SUPPORTED_ON_SITE`, also when the plan is in the same request
/// (decision: Wix's advice is two packages); floating, it needs nothing.
pub async fn r1_9_a_domain_needs_a_premium_plan_on_the_site_first(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "a domain on a site without a plan",
        fx.main
            .create_package(&on(SUB1), &create(vec![item(DOMAIN, Some(SUB1_SITE))]))
            .await,
        ErrorCode::ProductNotSupportedOnSite,
    );
    refused(
        "a plan and a domain for one site in one request",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![
                    item(PLAN_UNLIMITED, Some(SUB1_SITE)),
                    item(DOMAIN, Some(SUB1_SITE)),
                ]),
            )
            .await,
        ErrorCode::ProductNotSupportedOnSite,
    );
    fx.assert_unchanged(&before, "a domain without a plan")
        .await;
    fx.buy(SUB1, vec![item(DOMAIN, None)]).await;
    fx.plan(SUB1, Some(SUB1_SITE)).await;
    let p = fx.buy(SUB1, vec![item(DOMAIN, Some(SUB1_SITE))]).await;
    assert_eq!(instance(&p, first(&p)).site(), Some(SUB1_SITE));
}
