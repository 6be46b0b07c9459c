//! Create Package, the billing cycle (R1.7): needed when a product sells several,
//! taken when it sells one, refused when it sells no such kind or duration; and a
//! cycle count below one as a field violation.

use reseller_domain::billing::{BillingKind, WixDuration, WixUnit};
use reseller_domain::ops::{BillingRequest, NewInstance};
use reseller_domain::{Billing, ErrorCode, RuleType};
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{invalid_fields, refused};
use crate::fixture::*;

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
