//! Assign (E5, R5.1-R5.5), Unassign (E6, R6.1-R6.4) and Cancel Product Instance
//! (E7, R7.1), and 428 `PRODUCT_INSTANCE_NOT_FOUND` for an instance outside the
//! header account (emulator's choices).

use reseller_domain::ops::Adjust;
use reseller_domain::{ErrorCode, Failure, FailureCode, InstanceStatus, StatusName};
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{first, instance, instance_ids, ok, refused, status};
use crate::fixture::*;

/// R5.3: Assign puts a floating instance on a site and moves an assigned one
/// directly to another; assigning it to the site it is on changes nothing.
pub async fn r5_3_assign_moves_between_sites_directly(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, plan) = fx.plan(SUB1, None).await;
    fx.advance(1_000).await;
    let on_site = ok(
        "Assign a floating instance",
        fx.main.assign_instance(&on(SUB1), plan, SUB1_SITE).await,
    );
    assert_eq!(instance(&on_site, plan).site(), Some(SUB1_SITE));
    assert!(on_site.updated() > p.updated(), "updatedDate moved");
    let moved = ok(
        "Assign to another site",
        fx.main.assign_instance(&on(SUB1), plan, SUB1_SPARE).await,
    );
    assert_eq!(instance(&moved, plan).site(), Some(SUB1_SPARE));
    assert_eq!(fx.get(SUB1, p.id()).await, moved, "Get Package agrees");
    // The old site is free again.
    fx.plan(SUB1, Some(SUB1_SITE)).await;
    fx.advance(1_000).await;
    let before = fx.snapshot().await;
    let same = ok(
        "Assign to the site it is on",
        fx.main.assign_instance(&on(SUB1), plan, SUB1_SPARE).await,
    );
    assert_eq!(same, moved);
    fx.assert_unchanged(&before, "Assign to the same site")
        .await;
}

/// R5.3 (decision): a refused move leaves the instance on its old site.
pub async fn r5_3_a_refused_move_leaves_the_instance_where_it_was(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    fx.plan(SUB1, Some(SUB1_SPARE)).await;
    let before = fx.snapshot().await;
    refused(
        "a move onto a site that holds a plan",
        fx.main.assign_instance(&on(SUB1), plan, SUB1_SPARE).await,
        ErrorCode::ProductTypeAlreadyAssigned,
    );
    fx.assert_unchanged(&before, "a refused move").await;
    let now = fx.get(SUB1, p.id()).await;
    assert_eq!(instance(&now, plan).site(), Some(SUB1_SITE));
}

/// R5.4: Assign applies the site ownership (404 `SITE_NOT_FOUND`), product type
/// (428 `PRODUCT_TYPE_ALREADY_ASSIGNED`) and prerequisite (428
/// `PRODUCT_NOT_SUPPORTED_ON_SITE`) rules of Create Package.
pub async fn r5_4_assign_checks_ownership_type_and_prerequisites(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (_, plan) = fx.plan(SUB1, None).await;
    let domain = fx.buy(SUB1, vec![item(DOMAIN, None)]).await;
    let domain = first(&domain);
    fx.plan(SUB1, Some(SUB1_SPARE)).await;
    let before = fx.snapshot().await;
    for site in [SUB2_SITE, MAIN_SITE, OTHER_SITE, UNKNOWN_SITE] {
        refused(
            &format!("Assign to site {site} of another account"),
            fx.main.assign_instance(&on(SUB1), plan, site).await,
            ErrorCode::SiteNotFound,
        );
    }
    refused(
        "Assign a plan to a site holding a plan",
        fx.main.assign_instance(&on(SUB1), plan, SUB1_SPARE).await,
        ErrorCode::ProductTypeAlreadyAssigned,
    );
    refused(
        "Assign a domain to a site without a plan",
        fx.main.assign_instance(&on(SUB1), domain, SUB1_SITE).await,
        ErrorCode::ProductNotSupportedOnSite,
    );
    fx.assert_unchanged(&before, "refused assignments").await;
    let p = ok(
        "Assign a domain to a site with a plan",
        fx.main.assign_instance(&on(SUB1), domain, SUB1_SPARE).await,
    );
    assert_eq!(instance(&p, domain).site(), Some(SUB1_SPARE));
}

/// R5.5 and the emulator's choices: assigning a `CANCELED` or `FAILED` instance is
/// 428 `INCOMPATIBLE_PRODUCT_INSTANCE_STATUS`.
pub async fn r5_5_assign_of_a_canceled_or_failed_instance_is_incompatible_status(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let p = fx.buy(SUB1, vec![item(PLAN_UNLIMITED, None); 2]).await;
    let ids = instance_ids(&p);
    let [canceled, failed] = ids.as_slice() else {
        panic!("two instances expected");
    };
    ok(
        "Cancel Product Instance",
        fx.main.cancel_instance(&on(SUB1), *canceled).await,
    );
    fx.set_status(
        *failed,
        InstanceStatus::Failed(Failure {
            code: FailureCode::Unknown,
            message: "never delivered".to_owned(),
        }),
    )
    .await;
    let before = fx.snapshot().await;
    for i in [*canceled, *failed] {
        refused(
            &format!("Assign instance {i}"),
            fx.main.assign_instance(&on(SUB1), i, SUB1_SITE).await,
            ErrorCode::IncompatibleProductInstanceStatus,
        );
    }
    fx.assert_unchanged(&before, "Assign of a terminal instance")
        .await;
}

/// R6.1-R6.4: Unassign makes an instance floating and frees the site; a floating
/// instance stays as it is (200, nothing changes); a canceled instance may be
/// unassigned too (decision).
pub async fn r6_unassign_makes_floating_and_a_floating_instance_stays(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (p, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    fx.advance(1_000).await;
    let floating = ok("Unassign", fx.main.unassign_instance(&on(SUB1), plan).await);
    assert_eq!(instance(&floating, plan).site(), None);
    assert!(floating.updated() > p.updated(), "updatedDate moved");
    assert_eq!(fx.get(SUB1, p.id()).await, floating, "Get Package agrees");
    fx.plan(SUB1, Some(SUB1_SITE)).await;
    fx.advance(1_000).await;
    let before = fx.snapshot().await;
    let again = ok(
        "Unassign a floating instance",
        fx.main.unassign_instance(&on(SUB1), plan).await,
    );
    assert_eq!(again, floating);
    fx.assert_unchanged(&before, "Unassign of a floating instance")
        .await;
    let (q, gone) = fx.plan(SUB2, Some(SUB2_SITE)).await;
    ok(
        "Cancel Product Instance",
        fx.main.cancel_instance(&on(SUB2), gone).await,
    );
    let unassigned = ok(
        "Unassign a canceled instance",
        fx.main.unassign_instance(&on(SUB2), gone).await,
    );
    assert_eq!(instance(&unassigned, gone).site(), None);
    assert_eq!(status(&unassigned, gone), StatusName::Canceled);
    assert_eq!(unassigned.id(), q.id());
}

/// R7.1 and the emulator's choices: Cancel Product Instance cancels that instance
/// only; canceling it again, or canceling a failed one, answers 200 unchanged.
pub async fn r7_cancel_instance_leaves_the_others_and_is_safe_to_repeat(seed: &dyn Seed) {
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
    fx.set_status(*ascend, InstanceStatus::Enabled).await;
    let failure = Failure {
        code: FailureCode::DeliveryTimeout,
        message: "late".to_owned(),
    };
    fx.set_status(*mailbox, InstanceStatus::Failed(failure.clone()))
        .await;
    fx.advance(1_000).await;
    let before_cancel = fx.get(SUB1, p.id()).await;
    let canceled = ok(
        "Cancel Product Instance",
        fx.main.cancel_instance(&on(SUB1), *plan).await,
    );
    assert_eq!(status(&canceled, *plan), StatusName::Canceled);
    assert_eq!(status(&canceled, *ascend), StatusName::Enabled);
    assert_eq!(
        instance(&canceled, *mailbox).status(),
        &InstanceStatus::Failed(failure)
    );
    assert_eq!(
        instance(&canceled, *plan).site(),
        Some(SUB1_SITE),
        "a canceled instance keeps its siteId"
    );
    assert!(canceled.updated() > before_cancel.updated());
    fx.advance(1_000).await;
    let before = fx.snapshot().await;
    for i in [*plan, *mailbox] {
        let again = ok(
            "Cancel Product Instance of a terminal instance",
            fx.main.cancel_instance(&on(SUB1), i).await,
        );
        assert_eq!(again, canceled);
    }
    fx.assert_unchanged(&before, "Cancel of a terminal instance")
        .await;
    // The canceled plan no longer holds the site.
    fx.plan(SUB1, Some(SUB1_SITE)).await;
}

/// R5.1, R7.1, R8.1 and the emulator's choices: Assign, Unassign, Cancel and Adjust
/// of an instance outside the header account, or unknown, are 428
/// `PRODUCT_INSTANCE_NOT_FOUND` and change nothing.
pub async fn instance_of_another_account_is_product_instance_not_found_428(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (_, theirs) = fx.plan(SUB2, Some(SUB2_SITE)).await;
    let adjust = Adjust {
        catalog_product_id: Some(PLAN_VIP),
        billing: None,
        discount_code: None,
    };
    let before = fx.snapshot().await;
    for (account, instance) in [(SUB1, theirs), (MAIN, theirs), (SUB1, UNKNOWN_INSTANCE)] {
        let what = |op: &str| format!("{op} of {instance} acting on {account}");
        refused(
            &what("Assign"),
            fx.main
                .assign_instance(&on(account), instance, SUB1_SITE)
                .await,
            ErrorCode::ProductInstanceNotFound,
        );
        refused(
            &what("Unassign"),
            fx.main.unassign_instance(&on(account), instance).await,
            ErrorCode::ProductInstanceNotFound,
        );
        refused(
            &what("Cancel"),
            fx.main.cancel_instance(&on(account), instance).await,
            ErrorCode::ProductInstanceNotFound,
        );
        refused(
            &what("Adjust"),
            fx.main
                .adjust_instance(&on(account), instance, &adjust)
                .await,
            ErrorCode::ProductInstanceNotFound,
        );
    }
    refused(
        "Cancel of SUB2's instance with OTHER's key",
        fx.other.cancel_instance(&on(OTHER), theirs).await,
        ErrorCode::ProductInstanceNotFound,
    );
    fx.assert_unchanged(&before, "instance calls outside the account")
        .await;
}
