//! Create Package, reference instances as single-use vouchers (R1.10): used once,
//! `PENDING` or `ENABLED`, in the caller's family, and only for the product types
//! its product grants.

use reseller_domain::ops::NewInstance;
use reseller_domain::{ErrorCode, Failure, FailureCode, InstanceStatus, StatusName};
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{as_on_the_wire, first, instance, instance_ids, ok, refused, status};
use crate::fixture::*;

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
