//! Get Package (E2): the stored package, and only to its own account (R2.1, spec
//! section 6 and the emulator's choices: 404 `PACKAGE_NOT_FOUND` otherwise).

use reseller_domain::{ErrorCode, InstanceStatus};
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{first, instance, ok, refused, status};
use crate::fixture::*;

/// E2: Get Package answers the package as stored, and follows every change.
pub async fn get_package_reads_the_stored_package(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (created, plan) = fx.plan(SUB1, None).await;
    assert_eq!(fx.get(SUB1, created.id()).await, created);
    fx.advance(1_000).await;
    let assigned = ok(
        "Assign Product Instance To Site",
        fx.main.assign_instance(&on(SUB1), plan, SUB1_SITE).await,
    );
    let got = fx.get(SUB1, created.id()).await;
    assert_eq!(got, assigned, "Get Package shows the assignment");
    assert_eq!(instance(&got, plan).site(), Some(SUB1_SITE));
    assert!(got.updated() > created.updated(), "updatedDate moved");
    assert_eq!(got.created(), created.created(), "createdDate stays");
    fx.set_status(plan, InstanceStatus::Enabled).await;
    let got = fx.get(SUB1, created.id()).await;
    assert_eq!(status(&got, plan), reseller_domain::StatusName::Enabled);
    let sub_key = ok(
        "Get Package with the sub-account's own key",
        fx.sub1.get_package(&on(SUB1), created.id()).await,
    );
    assert_eq!(
        sub_key, got,
        "every key of the family reads the same package"
    );
}

/// R2.1 and the emulator's choices: a package of another account, or an unknown
/// id, is 404 `PACKAGE_NOT_FOUND`, also for the main account acting on itself.
pub async fn get_package_of_another_account_is_package_not_found_404(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, _) = fx.plan(SUB1, None).await;
    let others = ok(
        "Create Package on OTHER",
        fx.other
            .create_package(&on(OTHER), &create(vec![item(ASCEND, None)]))
            .await,
    );
    let before = fx.snapshot().await;
    for (what, result) in [
        (
            "SUB1's package acting on MAIN",
            fx.main.get_package(&on(MAIN), p.id()).await,
        ),
        (
            "SUB1's package acting on SUB2",
            fx.main.get_package(&on(SUB2), p.id()).await,
        ),
        (
            "SUB1's package with OTHER's key",
            fx.other.get_package(&on(OTHER), p.id()).await,
        ),
        (
            "OTHER's package with the main key",
            fx.main.get_package(&on(MAIN), others.id()).await,
        ),
        (
            "an unknown package",
            fx.main.get_package(&on(SUB1), UNKNOWN_PACKAGE).await,
        ),
    ] {
        let e = refused(what, result, ErrorCode::PackageNotFound);
        assert!(
            !e.message().contains(&first(&p).to_string()),
            "{what}: the refusal reveals nothing of the package: {e}"
        );
    }
    fx.assert_unchanged(&before, "Get Package of another account")
        .await;
}
