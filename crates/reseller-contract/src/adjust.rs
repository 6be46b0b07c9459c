//! Adjust Product Instance Specifications (E8): rules R8.1-R8.7 of spec section 4.8
//! and the decisions on billing resolution and `discountCode`.

use reseller_domain::billing::{BillingKind, WixDuration, WixUnit};
use reseller_domain::ops::{Adjust, BillingRequest};
use reseller_domain::{
    Billing, DiscountCode, ErrorCode, Failure, FailureCode, InstanceId, InstanceStatus,
};
use reseller_ports::{PortError, ResellerPackages, Seed};

use crate::expect::{first, instance, ok, refused};
use crate::fixture::*;

fn to_product(product: reseller_domain::CatalogProductId) -> Adjust {
    Adjust {
        catalog_product_id: Some(product),
        billing: None,
        discount_code: None,
    }
}

fn to_billing(billing: BillingRequest) -> Adjust {
    Adjust {
        catalog_product_id: None,
        billing: Some(billing),
        discount_code: None,
    }
}

async fn adjust(
    fx: &Fixture<'_>,
    instance: InstanceId,
    request: &Adjust,
) -> Result<reseller_domain::Package, PortError> {
    fx.main.adjust_instance(&on(SUB1), instance, request).await
}

/// R8.3 and R8.7: Adjust changes the billing cycle, or swaps the product for one
/// of the same type; the instance keeps its id and site, and `updatedDate` moves.
pub async fn r8_adjust_changes_the_billing_or_the_product(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    fx.advance(1_000).await;
    let monthly = ok(
        "Adjust to monthly",
        adjust(
            &fx,
            plan,
            &to_billing(BillingRequest::of(Billing::monthly())),
        )
        .await,
    );
    let i = instance(&monthly, plan);
    assert_eq!(i.billing(), Some(Billing::monthly()));
    assert_eq!(i.catalog_product_id(), PLAN_UNLIMITED);
    assert_eq!(i.site(), Some(SUB1_SITE));
    assert!(
        i.updated() > instance(&p, plan).updated(),
        "updatedDate moved"
    );
    assert!(monthly.updated() > p.updated());
    let vip = ok(
        "Adjust to Business VIP",
        adjust(&fx, plan, &to_product(PLAN_VIP)).await,
    );
    let i = instance(&vip, plan);
    assert_eq!(i.catalog_product_id(), PLAN_VIP);
    assert_eq!(i.billing(), Some(Billing::monthly()), "the cycle is kept");
    assert_eq!(i.site(), Some(SUB1_SITE));
    assert_eq!(fx.get(SUB1, p.id()).await, vip, "Get Package agrees");
}

/// R8.2 (decision on the three messages): Adjust needs `catalogProductId` or a
/// `billingInfo` that says something: 428 `MISSING_PRODUCT_DETAILS`.
pub async fn r8_2_adjust_needs_a_product_or_a_billing(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let before = fx.snapshot().await;
    let nothing = Adjust {
        catalog_product_id: None,
        billing: None,
        discount_code: Some(DiscountCode::new("ALONE").expect("a code")),
    };
    let e = refused(
        "Adjust with neither product nor billing",
        adjust(&fx, plan, &nothing).await,
        ErrorCode::MissingProductDetails,
    );
    assert_eq!(e.message(), "You haven't provided `catalogProductId`.");
    let unknown = BillingRequest {
        kind: BillingKind::Unknown,
        duration: None,
    };
    let e = refused(
        "Adjust with an empty billingInfo",
        adjust(&fx, plan, &to_billing(unknown)).await,
        ErrorCode::MissingProductDetails,
    );
    assert_eq!(e.message(), "You haven't provided `billingInfo`.");
    fx.assert_unchanged(&before, "Adjust without details").await;
}

/// R8.4: a change to `RECURRING` needs `cycleDuration` with a unit: 428
/// `MISSING_PRODUCT_DETAILS`, the `cycleDuration` message.
pub async fn r8_4_a_recurring_change_needs_its_cycle_duration(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let before = fx.snapshot().await;
    let unit_unknown = WixDuration {
        unit: WixUnit::Unknown,
        count: Some(1),
    };
    for duration in [None, Some(unit_unknown)] {
        let request = to_billing(BillingRequest {
            kind: BillingKind::Recurring,
            duration,
        });
        let e = refused(
            &format!("Adjust to RECURRING with duration {duration:?}"),
            adjust(&fx, plan, &request).await,
            ErrorCode::MissingProductDetails,
        );
        assert_eq!(
            e.message(),
            "You haven't provided `cycleDuration`. The field is required for`RECURRING` billing types."
        );
    }
    fx.assert_unchanged(&before, "Adjust to RECURRING without duration")
        .await;
}

/// R8.3: Adjust swaps only within the product type: 428 `INCOMPATIBLE_PRODUCT`.
pub async fn r8_3_adjust_swaps_only_within_the_product_type(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let before = fx.snapshot().await;
    for other_type in [ASCEND, DOMAIN, MAILBOX_LITE] {
        refused(
            &format!("Adjust a plan to {other_type}"),
            adjust(&fx, plan, &to_product(other_type)).await,
            ErrorCode::IncompatibleProduct,
        );
    }
    fx.assert_unchanged(&before, "Adjust across types").await;
    ok(
        "Adjust within the type",
        adjust(&fx, plan, &to_product(PLAN_VIP)).await,
    );
}

/// R8.5 and the emulator's choices: Adjust of an unknown instance is 428
/// `PRODUCT_INSTANCE_NOT_FOUND` (not 404); of a `CANCELED` or `FAILED` one, 428
/// `INCOMPATIBLE_PRODUCT_INSTANCE_STATUS`.
pub async fn r8_5_adjust_of_an_unknown_or_terminal_instance_is_refused(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let p = fx.buy(SUB1, vec![item(PLAN_UNLIMITED, None); 2]).await;
    let ids = crate::expect::instance_ids(&p);
    let [canceled, failed] = ids.as_slice() else {
        panic!("two instances expected");
    };
    fx.set_status(*canceled, InstanceStatus::Canceled).await;
    fx.set_status(
        *failed,
        InstanceStatus::Failed(Failure {
            code: FailureCode::ExternalFailure,
            message: "refused upstream".to_owned(),
        }),
    )
    .await;
    let before = fx.snapshot().await;
    let monthly = to_billing(BillingRequest::of(Billing::monthly()));
    refused(
        "Adjust of an unknown instance",
        adjust(&fx, UNKNOWN_INSTANCE, &monthly).await,
        ErrorCode::ProductInstanceNotFound,
    );
    for i in [*canceled, *failed] {
        refused(
            &format!("Adjust of terminal instance {i}"),
            adjust(&fx, i, &monthly).await,
            ErrorCode::IncompatibleProductInstanceStatus,
        );
    }
    fx.assert_unchanged(&before, "Adjust of a terminal instance")
        .await;
}

/// R8.6: Adjust applies the catalog rules of Create Package: 404
/// `PRODUCT_NOT_FOUND`, 428 `INVALID_PRODUCTS`, `PRODUCT_SETTINGS_NOT_FOUND`,
/// `INCOMPATIBLE_BILLING_CYCLE`, `INVALID_BILLING_CYCLE`.
pub async fn r8_6_adjust_applies_the_catalog_rules_of_create(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let biennial = fx.buy(SUB1, vec![item(PLAN_BIENNIAL, None)]).await;
    let biennial = first(&biennial);
    let before = fx.snapshot().await;
    for (what, id, request, code) in [
        (
            "to an unknown product",
            plan,
            to_product(UNKNOWN_PRODUCT),
            ErrorCode::ProductNotFound,
        ),
        (
            "to a product not for resale",
            plan,
            to_product(NOT_RESELLABLE),
            ErrorCode::InvalidProducts,
        ),
        (
            "to a product without settings",
            plan,
            to_product(NO_SETTINGS),
            ErrorCode::ProductSettingsNotFound,
        ),
        (
            "a two-year plan to yearly",
            biennial,
            to_billing(BillingRequest::of(Billing::yearly())),
            ErrorCode::IncompatibleBillingCycle,
        ),
        (
            "a plan to one-time",
            plan,
            to_billing(BillingRequest::of(Billing::OneTime)),
            ErrorCode::InvalidBillingCycle,
        ),
    ] {
        refused(
            &format!("Adjust {what}"),
            adjust(&fx, id, &request).await,
            code,
        );
    }
    fx.assert_unchanged(&before, "Adjust against the catalog")
        .await;
}

/// R8.6: Adjust respects the subscription limit of the new product (428
/// `PRODUCT_LIMIT_EXCEEDED`); a domain whose plan was canceled floated with it
/// (revision 2), so swapping it needs no plan any more.
pub async fn r8_6_adjust_respects_limits_and_prerequisites(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let lite = fx.buy(SUB1, vec![item(MAILBOX_LITE, None)]).await;
    let lite = first(&lite);
    fx.buy(SUB2, vec![item(MAILBOX, None); 2]).await;
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let domain = fx.buy(SUB1, vec![item(DOMAIN, Some(SUB1_SITE))]).await;
    let domain = first(&domain);
    ok(
        "Cancel the plan under the domain",
        fx.main.cancel_instance(&on(SUB1), plan).await,
    );
    let before = fx.snapshot().await;
    refused(
        "Adjust to a mailbox whose limit the family has reached",
        adjust(&fx, lite, &to_product(MAILBOX)).await,
        ErrorCode::ProductLimitExceeded,
    );
    fx.assert_unchanged(&before, "Adjust over a limit").await;
    let swapped = ok(
        "Adjust the floated domain",
        adjust(&fx, domain, &to_product(DOMAIN_VOUCHER)).await,
    );
    assert_eq!(
        instance(&swapped, domain).site(),
        None,
        "it floated with its plan"
    );
}

/// Decision: swapping without `billingInfo` keeps the current cycle when the new
/// product sells it, takes the new product's only cycle otherwise, and is 428
/// `MISSING_BILLING_CYCLE` when the new product sells several but not this one.
pub async fn r8_adjust_billing_resolution_when_swapping(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let p = fx
        .buy(
            SUB1,
            vec![
                billed(PLAN_UNLIMITED, None, Billing::monthly()),
                item(PLAN_BIENNIAL, None),
            ],
        )
        .await;
    let ids = crate::expect::instance_ids(&p);
    let [monthly, biennial_plan] = ids.as_slice() else {
        panic!("two instances expected");
    };
    let kept = ok(
        "UNLIMITED monthly to VIP",
        adjust(&fx, *monthly, &to_product(PLAN_VIP)).await,
    );
    assert_eq!(
        instance(&kept, *monthly).billing(),
        Some(Billing::monthly())
    );
    let only = ok(
        "VIP monthly to the two-year plan",
        adjust(&fx, *monthly, &to_product(PLAN_BIENNIAL)).await,
    );
    assert_eq!(instance(&only, *monthly).billing(), Some(biennial()));
    let before = fx.snapshot().await;
    refused(
        "the two-year plan to UNLIMITED without a cycle",
        adjust(&fx, *biennial_plan, &to_product(PLAN_UNLIMITED)).await,
        ErrorCode::MissingBillingCycle,
    );
    fx.assert_unchanged(&before, "a swap without a cycle").await;
    let chosen = ok(
        "the two-year plan to UNLIMITED yearly",
        adjust(
            &fx,
            *biennial_plan,
            &Adjust {
                billing: Some(BillingRequest::of(Billing::yearly())),
                ..to_product(PLAN_UNLIMITED)
            },
        )
        .await,
    );
    let i = instance(&chosen, *biennial_plan);
    assert_eq!(
        (i.catalog_product_id(), i.billing()),
        (PLAN_UNLIMITED, Some(Billing::yearly()))
    );
}

/// Spec 4.8 and 11.1 item 8: a `discountCode` counts only together with a new
/// product; alone (with a billing change) it is ignored.
pub async fn r8_discount_code_counts_only_with_a_new_product(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let code = |text: &str| Some(DiscountCode::new(text).expect("a code"));
    let billing_only = ok(
        "Adjust the billing with a discount code",
        adjust(
            &fx,
            plan,
            &Adjust {
                discount_code: code("IGNORED"),
                ..to_billing(BillingRequest::of(Billing::monthly()))
            },
        )
        .await,
    );
    let i = instance(&billing_only, plan);
    assert_eq!(i.billing(), Some(Billing::monthly()));
    assert_eq!(i.discount_code(), None, "a code alone is ignored");
    let swapped = ok(
        "Adjust the product with a discount code",
        adjust(
            &fx,
            plan,
            &Adjust {
                discount_code: code("UPGRADE-25"),
                ..to_product(PLAN_VIP)
            },
        )
        .await,
    );
    assert_eq!(
        instance(&swapped, plan)
            .discount_code()
            .map(DiscountCode::as_str),
        Some("UPGRADE-25")
    );
}

/// Revision 2 (Wix, spec 9.1): Adjust of an instance whose product is not
/// adjustable is 428 `OPERATION_NOT_SUPPORTED_FOR_PRODUCT` "This action isn't
/// supported for product `<productId>`.", and nothing changes.
pub async fn adjust_of_a_product_that_cannot_be_adjusted_is_428(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let logo = fx.buy(SUB1, vec![item(LOGO, None)]).await;
    let before = fx.snapshot().await;
    let e = refused(
        "Adjust of a logo",
        adjust(
            &fx,
            first(&logo),
            &to_billing(BillingRequest::of(Billing::OneTime)),
        )
        .await,
        ErrorCode::OperationNotSupportedForProduct,
    );
    assert_eq!(e.status(), Some(428));
    assert_eq!(
        e.message(),
        format!("This action isn't supported for product `{LOGO}`.")
    );
    fx.assert_unchanged(&before, "a refused Adjust").await;
}
