//! Cancel Package (E4, rules R4.1-R4.4) and Update Package External Id (E9):
//! what changes, what stays, and 404 `PACKAGE_NOT_FOUND` outside the account.

use reseller_domain::{
    ErrorCode, ExternalId, Failure, FailureCode, InstanceStatus, Package, StatusName,
};
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{instance, instance_ids, ok, refused, status};
use crate::fixture::*;

fn external(text: &str) -> ExternalId {
    ExternalId::new(text).expect("a valid external id")
}

/// R4.1 and R4.4: Cancel Package cancels every live instance (`PENDING`,
/// `ENABLED`) and leaves a `FAILED` one as it is, with its failure; the site is
/// free again.
pub async fn r4_cancel_package_cancels_live_instances_and_keeps_failed_ones(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let p = fx
        .buy(
            SUB1,
            vec![
                item(PLAN_UNLIMITED, Some(SUB1_SITE)),
                item(ASCEND, None),
                item(MAILBOX_LITE, None),
            ],
        )
        .await;
    let ids = instance_ids(&p);
    let [plan, ascend, mailbox] = ids.as_slice() else {
        panic!("three instances expected");
    };
    let failure = Failure {
        code: FailureCode::ExternalFailure,
        message: "the mail provider refused".to_owned(),
    };
    fx.set_status(*ascend, InstanceStatus::Enabled).await;
    fx.set_status(*mailbox, InstanceStatus::Failed(failure.clone()))
        .await;
    let before = fx.get(SUB1, p.id()).await;
    fx.advance(1_000).await;
    let canceled = ok(
        "Cancel Package",
        fx.main.cancel_package(&on(SUB1), p.id()).await,
    );
    assert_eq!(status(&canceled, *plan), StatusName::Canceled);
    assert_eq!(status(&canceled, *ascend), StatusName::Canceled);
    assert_eq!(
        instance(&canceled, *mailbox).status(),
        &InstanceStatus::Failed(failure),
        "a failed instance stays FAILED with its failure"
    );
    for i in [*plan, *ascend] {
        assert_eq!(instance(&canceled, i).status().failure(), None);
    }
    assert_eq!(canceled.instances().len(), 3, "instances are never removed");
    assert!(canceled.updated() > before.updated(), "updatedDate moved");
    assert_eq!(fx.get(SUB1, p.id()).await, canceled, "Get Package agrees");
    fx.plan(SUB1, Some(SUB1_SITE)).await;
}

/// R4.4 and the emulator's choices: canceling a canceled package, or one with
/// nothing left to cancel, answers 200 and changes nothing.
pub async fn r4_canceling_again_changes_nothing(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, _) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let first = ok(
        "Cancel Package",
        fx.main.cancel_package(&on(SUB1), p.id()).await,
    );
    let failed = fx.buy(SUB1, vec![item(ASCEND, None)]).await;
    fx.set_status(
        crate::expect::first(&failed),
        InstanceStatus::Failed(Failure {
            code: FailureCode::DeliveryTimeout,
            message: String::new(),
        }),
    )
    .await;
    let failed = fx.get(SUB1, failed.id()).await;
    fx.advance(1_000).await;
    let before = fx.snapshot().await;
    let again = ok(
        "Cancel Package again",
        fx.main.cancel_package(&on(SUB1), p.id()).await,
    );
    assert_eq!(again, first, "the answer is the package as it is");
    let only_failed = ok(
        "Cancel Package holding only a failed instance",
        fx.main.cancel_package(&on(SUB1), failed.id()).await,
    );
    assert_eq!(only_failed, failed);
    fx.assert_unchanged(&before, "Cancel Package with nothing to cancel")
        .await;
}

/// R4.2 and the emulator's choices: Cancel Package of another account's package,
/// or of an unknown one, is 404 `PACKAGE_NOT_FOUND` and cancels nothing.
pub async fn cancel_package_of_another_account_is_package_not_found_404(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, _) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let before = fx.snapshot().await;
    for (what, account, id) in [
        ("SUB1's package acting on SUB2", SUB2, p.id()),
        ("SUB1's package acting on MAIN", MAIN, p.id()),
        ("an unknown package", SUB1, UNKNOWN_PACKAGE),
    ] {
        refused(
            what,
            fx.main.cancel_package(&on(account), id).await,
            ErrorCode::PackageNotFound,
        );
    }
    refused(
        "SUB1's package with OTHER's key",
        fx.other.cancel_package(&on(OTHER), p.id()).await,
        ErrorCode::PackageNotFound,
    );
    fx.assert_unchanged(&before, "Cancel Package of another account")
        .await;
}

/// E9: Update Package External Id sets `externalId` and moves `updatedDate`;
/// setting the same value again changes nothing.
pub async fn e9_update_external_id(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, _) = fx.plan(SUB1, None).await;
    fx.advance(1_000).await;
    let updated = ok(
        "Update Package External Id",
        fx.main
            .update_external_id(&on(SUB1), p.id(), &external("order-4712"))
            .await,
    );
    assert_eq!(
        updated.external_id().map(ExternalId::as_str),
        Some("order-4712")
    );
    assert!(updated.updated() > p.updated(), "updatedDate moved");
    assert_eq!(updated.instances(), p.instances(), "instances unchanged");
    assert_eq!(fx.get(SUB1, p.id()).await, updated, "Get Package agrees");
    fx.advance(1_000).await;
    let before = fx.snapshot().await;
    let same = ok(
        "Update Package External Id to the same value",
        fx.main
            .update_external_id(&on(SUB1), p.id(), &external("order-4712"))
            .await,
    );
    assert_eq!(same, updated);
    fx.assert_unchanged(&before, "the same external id again")
        .await;
    let long = external(&"x".repeat(ExternalId::MAX_CHARS));
    let at_limit: Package = ok(
        "an external id of 100 characters",
        fx.main.update_external_id(&on(SUB1), p.id(), &long).await,
    );
    assert_eq!(at_limit.external_id(), Some(&long));
}

/// E9 and the emulator's choices: another account's or an unknown package is 404
/// `PACKAGE_NOT_FOUND`, and its external id stays.
pub async fn update_external_id_of_another_account_is_package_not_found_404(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, _) = fx.plan(SUB1, None).await;
    let before = fx.snapshot().await;
    for (what, account, id) in [
        ("SUB1's package acting on SUB2", SUB2, p.id()),
        ("SUB1's package acting on MAIN", MAIN, p.id()),
        ("an unknown package", SUB1, UNKNOWN_PACKAGE),
    ] {
        refused(
            what,
            fx.main
                .update_external_id(&on(account), id, &external("stolen"))
                .await,
            ErrorCode::PackageNotFound,
        );
    }
    fx.assert_unchanged(&before, "Update Package External Id of another account")
        .await;
}
