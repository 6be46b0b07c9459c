//! Create Package (E1, and the deprecated v1 create E0): rules R1.1-R1.12 of spec
//! `wix-resellers-api.md` section 4.1, the field rules of section 2, and the
//! reference rules of the emulator's choices. Every refusal is checked for status,
//! code and kind, and for changing nothing.

use reseller_domain::billing::{BillingKind, WixDuration, WixUnit};
use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::{
    Billing, DiscountCode, ErrorCode, ExternalId, Failure, FailureCode, InstanceStatus, RuleType,
    StatusName,
};
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{
    as_on_the_wire, first, instance, instance_ids, invalid_fields, ok, refused, status,
};
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

/// R1.5: the product must exist: 404 `PRODUCT_NOT_FOUND`.
pub async fn r1_5_unknown_product_is_product_not_found_404(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "Create Package with an unknown product",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![item(ASCEND, None), item(UNKNOWN_PRODUCT, None)]),
            )
            .await,
        ErrorCode::ProductNotFound,
    );
    fx.assert_unchanged(&before, "Create Package with an unknown product")
        .await;
}

/// R1.5: the product must be resellable: 428 `INVALID_PRODUCTS`.
pub async fn r1_5_not_resellable_is_invalid_products_428(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "Create Package with a product not for resale",
        fx.main
            .create_package(&on(SUB1), &create(vec![item(NOT_RESELLABLE, None)]))
            .await,
        ErrorCode::InvalidProducts,
    );
    fx.assert_unchanged(&before, "Create Package with a product not for resale")
        .await;
}

/// R1.5: the product must have Wix-side settings: 428 `PRODUCT_SETTINGS_NOT_FOUND`.
pub async fn r1_5_product_without_settings_is_product_settings_not_found_428(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "Create Package with a product without settings",
        fx.main
            .create_package(&on(SUB1), &create(vec![item(NO_SETTINGS, Some(SUB1_SITE))]))
            .await,
        ErrorCode::ProductSettingsNotFound,
    );
    fx.assert_unchanged(&before, "Create Package with a product without settings")
        .await;
}

/// R1.6: a product's subscription limit counts the live instances of the whole
/// account family and the request itself: 428 `PRODUCT_LIMIT_EXCEEDED`. Canceled
/// instances do not count; another family has its own count.
pub async fn r1_6_subscription_limit_counts_the_family_and_the_request(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    fx.buy(SUB1, vec![item(MAILBOX, None)]).await;
    let before = fx.snapshot().await;
    refused(
        "two more mailboxes in one request (limit 2, 1 live)",
        fx.main
            .create_package(
                &on(MAIN),
                &create(vec![item(MAILBOX, None), item(MAILBOX, None)]),
            )
            .await,
        ErrorCode::ProductLimitExceeded,
    );
    fx.assert_unchanged(&before, "over the limit in one request")
        .await;
    let sibling = fx.buy(SUB2, vec![item(MAILBOX, None)]).await;
    let before = fx.snapshot().await;
    refused(
        "a third mailbox in the family",
        fx.main
            .create_package(&on(MAIN), &create(vec![item(MAILBOX, None)]))
            .await,
        ErrorCode::ProductLimitExceeded,
    );
    fx.assert_unchanged(&before, "over the family's limit")
        .await;
    ok(
        "another family has its own count",
        fx.other
            .create_package(
                &on(OTHER),
                &create(vec![item(MAILBOX, None), item(MAILBOX, None)]),
            )
            .await,
    );
    ok(
        "Cancel Product Instance",
        fx.main.cancel_instance(&on(SUB2), first(&sibling)).await,
    );
    fx.buy(MAIN, vec![item(MAILBOX, None)]).await;
}

/// R1.7: a product that sells several cycles needs one: 428
/// `MISSING_BILLING_CYCLE`, also when `billingInfo.type` is `UNKNOWN` ("not set").
pub async fn r1_7_several_cycles_and_none_given_is_missing_billing_cycle(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    let unknown = BillingRequest {
        kind: BillingKind::Unknown,
        duration: None,
    };
    for billing in [None, Some(unknown)] {
        refused(
            &format!("a plan with two cycles and billing {billing:?}"),
            fx.main
                .create_package(
                    &on(SUB1),
                    &create(vec![NewInstance {
                        billing,
                        ..item(PLAN_UNLIMITED, Some(SUB1_SITE))
                    }]),
                )
                .await,
            ErrorCode::MissingBillingCycle,
        );
    }
    fx.assert_unchanged(&before, "Create Package without a cycle")
        .await;
}

/// R1.7 (decision): without `billingInfo`, a product that sells one cycle gets it.
pub async fn r1_7_a_single_cycle_product_takes_its_cycle(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let p = fx
        .buy(
            SUB1,
            vec![
                item(PLAN_BIENNIAL, None),
                item(ASCEND, None),
                item(MAILBOX_LITE, None),
            ],
        )
        .await;
    let billings: Vec<_> = p.instances().iter().map(|i| i.billing()).collect();
    assert_eq!(
        billings,
        [Some(biennial()), Some(Billing::OneTime), Some(quarterly())]
    );
}

/// R1.7 (decision): a cycle of a kind the product sells but with a duration it does
/// not sell is 428 `INCOMPATIBLE_BILLING_CYCLE`.
pub async fn r1_7_unsupported_duration_is_incompatible_billing_cycle(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    let weekly = Billing::Recurring(reseller_domain::Cycle::one(
        reseller_domain::CycleUnit::Week,
    ));
    for (product, billing) in [(PLAN_BIENNIAL, Billing::yearly()), (PLAN_UNLIMITED, weekly)] {
        refused(
            &format!("{product} billed {billing}"),
            fx.main
                .create_package(&on(SUB1), &create(vec![billed(product, None, billing)]))
                .await,
            ErrorCode::IncompatibleBillingCycle,
        );
    }
    fx.assert_unchanged(&before, "Create Package with an unsold duration")
        .await;
}

/// R1.7 (decision): a kind the product does not sell at all, or `RECURRING`
/// without its duration, is 428 `INVALID_BILLING_CYCLE`.
pub async fn r1_7_unoffered_kind_or_recurring_without_duration_is_invalid_billing_cycle(
    seed: &dyn Seed,
) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    let no_duration = BillingRequest {
        kind: BillingKind::Recurring,
        duration: None,
    };
    let cases = [
        (PLAN_UNLIMITED, BillingRequest::of(Billing::OneTime)),
        (ASCEND, BillingRequest::of(Billing::monthly())),
        (PLAN_UNLIMITED, no_duration),
    ];
    for (product, billing) in cases {
        refused(
            &format!("{product} with billing {billing:?}"),
            fx.main
                .create_package(
                    &on(SUB1),
                    &create(vec![NewInstance {
                        billing: Some(billing),
                        ..item(product, None)
                    }]),
                )
                .await,
            ErrorCode::InvalidBillingCycle,
        );
    }
    fx.assert_unchanged(&before, "Create Package with an unsold kind")
        .await;
}

/// Decision: `cycleDuration.count` below 1 is a 400 field violation (`MIN`) on
/// `products[i].billingInfo.cycleDuration.count`.
pub async fn a_cycle_count_below_one_is_a_field_violation(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    let zero = BillingRequest {
        kind: BillingKind::Recurring,
        duration: Some(WixDuration {
            unit: WixUnit::Year,
            count: Some(0),
        }),
    };
    invalid_fields(
        "a yearly cycle of count 0",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![
                    item(ASCEND, None),
                    NewInstance {
                        billing: Some(zero),
                        ..item(PLAN_UNLIMITED, None)
                    },
                ]),
            )
            .await,
        &[("products[1].billingInfo.cycleDuration.count", RuleType::Min)],
    );
    fx.assert_unchanged(&before, "Create Package with count 0")
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

/// R1.10: a reference instance is a single-use voucher: the add-on keeps its
/// `referenceProductInstanceId`; using it again, or twice in one request, is 404
/// `INVALID_REFERENCE_PRODUCT_INSTANCE_ID` (revision 2: the one code Wix has
/// published for every bad reference). Using a voucher is not a visible
/// change of the reference's package (decision).
pub async fn r1_10_a_reference_instance_is_a_single_use_voucher(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (plan_package, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let voucher = NewInstance {
        reference: Some(plan),
        ..item(DOMAIN_VOUCHER, None)
    };
    let addon = fx.buy(SUB1, vec![voucher.clone()]).await;
    assert_eq!(
        instance(&addon, first(&addon)).reference(),
        Some(plan),
        "the add-on names its reference"
    );
    assert_eq!(
        as_on_the_wire(&fx.get(SUB1, plan_package.id()).await),
        as_on_the_wire(&plan_package),
        "using a voucher is no visible change of the reference's package"
    );
    let before = fx.snapshot().await;
    refused(
        "the same reference again",
        fx.main
            .create_package(&on(SUB1), &create(vec![voucher]))
            .await,
        ErrorCode::InvalidReferenceProductInstanceId,
    );
    fx.assert_unchanged(&before, "a used reference again").await;
    let (_, fresh) = fx.plan(SUB1, None).await;
    let before_twice = fx.snapshot().await;
    let twice = NewInstance {
        reference: Some(fresh),
        ..item(DOMAIN_VOUCHER, None)
    };
    refused(
        "one reference twice in one request",
        fx.main
            .create_package(&on(SUB1), &create(vec![twice.clone(), twice.clone()]))
            .await,
        ErrorCode::InvalidReferenceProductInstanceId,
    );
    fx.assert_unchanged(&before_twice, "a reference used twice in one request")
        .await;
    // The refused request used nothing: the fresh reference still serves once.
    fx.buy(SUB1, vec![twice]).await;
}

/// R1.10: the reference must be `PENDING` or `ENABLED`; `AWAITING_ACTION`,
/// `FAILED` and `CANCELED` are 404 `INVALID_REFERENCE_PRODUCT_INSTANCE_ID`.
pub async fn r1_10_reference_must_be_pending_or_enabled(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let plans = fx.buy(SUB1, vec![item(PLAN_UNLIMITED, None); 5]).await;
    let ids = instance_ids(&plans);
    let [pending, enabled, awaiting, failed, canceled] = ids.as_slice() else {
        panic!("five instances expected");
    };
    fx.set_status(*enabled, InstanceStatus::Enabled).await;
    fx.set_status(*awaiting, InstanceStatus::AwaitingAction)
        .await;
    fx.set_status(
        *failed,
        InstanceStatus::Failed(Failure {
            code: FailureCode::DeliveryTimeout,
            message: "delivery of product has reached it's deadline".to_owned(),
        }),
    )
    .await;
    fx.set_status(*canceled, InstanceStatus::Canceled).await;
    let voucher = |reference| NewInstance {
        reference: Some(reference),
        ..item(DOMAIN_VOUCHER, None)
    };
    let before = fx.snapshot().await;
    for (reference, name) in [
        (*awaiting, "AWAITING_ACTION"),
        (*failed, "FAILED"),
        (*canceled, "CANCELED"),
    ] {
        refused(
            &format!("a reference in status {name}"),
            fx.main
                .create_package(&on(SUB1), &create(vec![voucher(reference)]))
                .await,
            ErrorCode::InvalidReferenceProductInstanceId,
        );
    }
    fx.assert_unchanged(&before, "a reference in a wrong status")
        .await;
    for reference in [*pending, *enabled] {
        fx.buy(SUB1, vec![voucher(reference)]).await;
    }
    let now = fx.get(SUB1, plans.id()).await;
    assert_eq!(status(&now, *pending), StatusName::Pending);
    assert_eq!(status(&now, *enabled), StatusName::Enabled);
}

/// R1.10 and the emulator's choices: the reference must exist in the caller's
/// account family (404 `INVALID_REFERENCE_PRODUCT_INSTANCE_ID` otherwise); a
/// sibling sub-account's instance qualifies (decision).
pub async fn r1_10_reference_must_exist_in_the_callers_family(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let others = ok(
        "Create Package on OTHER",
        fx.other
            .create_package(&on(OTHER), &create(vec![item(PLAN_UNLIMITED, None)]))
            .await,
    );
    let (_, sibling) = fx.plan(SUB2, None).await;
    let voucher = |reference| NewInstance {
        reference: Some(reference),
        ..item(DOMAIN_VOUCHER, None)
    };
    let before = fx.snapshot().await;
    for reference in [UNKNOWN_INSTANCE, first(&others)] {
        refused(
            &format!("reference {reference}"),
            fx.main
                .create_package(&on(SUB1), &create(vec![voucher(reference)]))
                .await,
            ErrorCode::InvalidReferenceProductInstanceId,
        );
    }
    fx.assert_unchanged(&before, "a reference outside the family")
        .await;
    fx.buy(SUB1, vec![voucher(sibling)]).await;
}

/// R1.11: Create Package requires `countryCode` on every product (400
/// `REQUIRED_FIELD` on each `products[i].countryCode`); the v1 create that did
/// not is gone (Wix removed it).
pub async fn r1_11_create_requires_country_code_on_every_product(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let without = NewInstance {
        country_code: None,
        ..item(ASCEND, None)
    };
    let products = vec![without.clone(), item(ASCEND, None), without];
    let before = fx.snapshot().await;
    invalid_fields(
        "V2 without countryCode",
        fx.main
            .create_package(&on(SUB1), &create(products.clone()))
            .await,
        &[
            ("products[0].countryCode", RuleType::RequiredField),
            ("products[2].countryCode", RuleType::RequiredField),
        ],
    );
    fx.assert_unchanged(&before, "V2 without countryCode").await;
}

/// R1.10 (revision 2): "not all products can be used as reference products": an
/// instance serves as a voucher only for the product types its product's
/// `grantsVoucherFor` names; any other is 404
/// `INVALID_REFERENCE_PRODUCT_INSTANCE_ID`, and the refused create consumes
/// nothing (the reference still serves once afterwards).
pub async fn r1_10_a_reference_serves_only_the_types_its_product_grants(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (_, biennial) = {
        let p = fx.buy(SUB1, vec![item(PLAN_BIENNIAL, None)]).await;
        let i = first(&p);
        (p, i)
    };
    let (_, unlimited) = fx.plan(SUB1, None).await;
    let before = fx.snapshot().await;
    let with = |reference, product| NewInstance {
        reference: Some(reference),
        ..item(product, None)
    };
    refused(
        "a plan that grants no voucher",
        fx.main
            .create_package(&on(SUB1), &create(vec![with(biennial, DOMAIN_VOUCHER)]))
            .await,
        ErrorCode::InvalidReferenceProductInstanceId,
    );
    refused(
        "a plan that grants a domain, for a mailbox",
        fx.main
            .create_package(&on(SUB1), &create(vec![with(unlimited, MAILBOX_LITE)]))
            .await,
        ErrorCode::InvalidReferenceProductInstanceId,
    );
    refused(
        "a good reference beside a product that is not resellable",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![
                    with(unlimited, DOMAIN_VOUCHER),
                    item(NOT_RESELLABLE, None),
                ]),
            )
            .await,
        ErrorCode::InvalidProducts,
    );
    fx.assert_unchanged(&before, "refused vouchers").await;
    fx.buy(SUB1, vec![with(unlimited, DOMAIN_VOUCHER)]).await;
}

/// Spec 2.1: a package holds 1 to 1000 instances: none is 400 `MIN_SIZE`, 1001 is
/// 400 `MAX_SIZE` (both on `products`); exactly 1000 is fine.
pub async fn products_must_number_1_to_1000(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    invalid_fields(
        "no products",
        fx.main.create_package(&on(SUB1), &create(Vec::new())).await,
        &[("products", RuleType::MinSize)],
    );
    invalid_fields(
        "1001 products",
        fx.main
            .create_package(&on(SUB1), &create(vec![item(ASCEND, None); 1001]))
            .await,
        &[("products", RuleType::MaxSize)],
    );
    fx.assert_unchanged(&before, "0 or 1001 products").await;
    let p = fx.buy(SUB1, vec![item(ASCEND, None); 1000]).await;
    let ids: std::collections::BTreeSet<_> = instance_ids(&p).into_iter().collect();
    assert_eq!(ids.len(), 1000, "1000 distinct instances");
}

/// Design: every broken rule is found and the first in rule order decides the
/// answer; field violations are reported alone.
pub async fn create_reports_the_first_broken_rule_in_rule_order(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "a product not for resale and an unknown one",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![
                    item(NOT_RESELLABLE, None),
                    item(UNKNOWN_PRODUCT, None),
                ]),
            )
            .await,
        ErrorCode::ProductNotFound,
    );
    refused(
        "a foreign site and a missing cycle",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![
                    item(PLAN_UNLIMITED, Some(SUB2_SITE)),
                    NewInstance {
                        billing: None,
                        ..item(PLAN_VIP, None)
                    },
                ]),
            )
            .await,
        ErrorCode::MissingBillingCycle,
    );
    invalid_fields(
        "a missing countryCode and an unknown product",
        fx.main
            .create_package(
                &on(SUB1),
                &create(vec![
                    item(UNKNOWN_PRODUCT, None),
                    NewInstance {
                        country_code: None,
                        ..item(ASCEND, None)
                    },
                ]),
            )
            .await,
        &[("products[1].countryCode", RuleType::RequiredField)],
    );
    fx.assert_unchanged(&before, "refusals with several broken rules")
        .await;
}
