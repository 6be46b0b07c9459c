//! Transfer Site (B2B site management): rules T1-T9 of spec
//! `wix-site-transfer-api.md` section 2.4, each refusal with its status and code,
//! and the move itself seen through Query Sites and the Resellers API.

use reseller_domain::ops::SiteTransfer;
use reseller_domain::{AccountId, ErrorCode, Failure, FailureCode, InstanceStatus, SiteId};
use reseller_ports::{ResellerPackages, Seed, SiteTransfers};

use crate::expect::{ok, refused};
use crate::fixture::*;

/// The `siteTransfer` of `site` from `source`, without notifications.
pub fn transfer(site: SiteId, source: AccountId) -> SiteTransfer {
    SiteTransfer {
        site,
        source_account: source,
        enable_notifications: false,
    }
}

async fn owner_of(fx: &Fixture<'_>, site: SiteId) -> Option<AccountId> {
    let snapshot = fx.snapshot().await;
    snapshot
        .sites
        .iter()
        .find(|s| s.id == site)
        .map(|s| s.owner_account_id)
}

/// T7 and T8: an allowed transfer moves the site to the header account and answers
/// the request's `siteTransfer`; from then on Query Sites and the Resellers API
/// see the new owner.
pub async fn t8_an_allowed_transfer_moves_the_site_to_the_header_account(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let request = SiteTransfer {
        enable_notifications: true,
        ..transfer(MAIN_SITE, MAIN)
    };
    let answer = ok(
        "Transfer Site MAIN -> SUB1",
        fx.main.transfer_site(&on(SUB1), &request).await,
    );
    assert_eq!(answer, request, "the siteTransfer is echoed");
    assert_eq!(owner_of(&fx, MAIN_SITE).await, Some(SUB1));
    let main_sites = fx.sites_of(&*fx.main, MAIN).await;
    assert!(
        main_sites.iter().all(|s| s.id != MAIN_SITE),
        "the site left MAIN: {main_sites:#?}"
    );
    let e = refused(
        "a plan on the moved site for its old owner",
        fx.main
            .create_package(
                &on(MAIN),
                &create(vec![item(PLAN_UNLIMITED, Some(MAIN_SITE))]),
            )
            .await,
        ErrorCode::SiteNotFound,
    );
    assert!(
        e.message().contains(&SUB1.to_string()),
        "SITE_NOT_FOUND names the new owner: {e}"
    );
    fx.plan(SUB1, Some(MAIN_SITE)).await;
}

/// T1: only strategic partners transfer sites: 403 `PERMISSION_DENIED`.
pub async fn t1_only_strategic_partners_transfer(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "a transfer by a non-partner",
        fx.other
            .transfer_site(&on(OTHER), &transfer(OTHER_SITE, OTHER))
            .await,
        ErrorCode::PermissionDenied,
    );
    fx.assert_unchanged(&before, "a transfer by a non-partner")
        .await;
}

/// T2: the target is the key's main account or one of its sub-accounts; any other
/// target is 403 `PERMISSION_DENIED`.
pub async fn t2_the_target_is_the_callers_account_or_a_sub_account(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "the main key moving a site to OTHER",
        fx.main
            .transfer_site(&on(OTHER), &transfer(MAIN_SITE, MAIN))
            .await,
        ErrorCode::PermissionDenied,
    );
    refused(
        "SUB1's key moving a site to its sibling",
        fx.sub1
            .transfer_site(&on(SUB2), &transfer(SUB1_SITE, SUB1))
            .await,
        ErrorCode::PermissionDenied,
    );
    // T1a: a sub-account's key, even on its own account and an allowed pair.
    refused(
        "SUB2's key acting on SUB2 (an allowed pair)",
        fx.sub2
            .transfer_site(&on(SUB2), &transfer(SUB2_SITE, SUB2))
            .await,
        ErrorCode::PermissionDenied,
    );
    fx.assert_unchanged(
        &before,
        "a transfer to a foreign target or by a sub-account's key",
    )
    .await;
    ok(
        "the main key acting on SUB2 (an allowed pair)",
        fx.main
            .transfer_site(&on(SUB2), &transfer(SUB2_SITE, SUB2))
            .await,
    );
}

/// T3: a (source, target) pair off Wix's allow-list is 403
/// `SITE_TRANSFER_NOT_ALLOWED`.
pub async fn t3_a_pair_off_the_allow_list_is_site_transfer_not_allowed_403(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    for (site, source, target) in [(SUB2_SITE, SUB2, MAIN), (SUB2_SITE, SUB2, SUB1)] {
        refused(
            &format!("a transfer {source} -> {target}"),
            fx.main
                .transfer_site(&on(target), &transfer(site, source))
                .await,
            ErrorCode::SiteTransferNotAllowed,
        );
    }
    fx.assert_unchanged(&before, "a transfer off the allow-list")
        .await;
}

/// T4: an unknown target is 428 `TARGET_ACCOUNT_ID_NOT_FOUND` (not the 404 of the
/// other endpoints).
pub async fn t4_unknown_target_is_target_account_id_not_found_428(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "a transfer to an unknown account",
        fx.main
            .transfer_site(&on(UNKNOWN_ACCOUNT), &transfer(MAIN_SITE, MAIN))
            .await,
        ErrorCode::TargetAccountIdNotFound,
    );
    fx.assert_unchanged(&before, "a transfer to an unknown account")
        .await;
}

/// T5: the site must be in the source account: 400 `SITE_NOT_FOUND` (not the 404
/// of the Resellers API).
pub async fn t5_a_site_not_in_the_source_account_is_site_not_found_400(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    for site in [SUB2_SITE, UNKNOWN_SITE] {
        refused(
            &format!("a transfer of {site} from MAIN"),
            fx.main
                .transfer_site(&on(SUB1), &transfer(site, MAIN))
                .await,
            ErrorCode::TransferSiteNotFound,
        );
    }
    fx.assert_unchanged(&before, "a transfer of a site not in the source")
        .await;
}

/// T6: a site with a live reseller instance is 428 `SITE_TRANSFER_NOT_SUPPORTED`;
/// Wix's remedy: cancel the package, then transfer.
pub async fn t6_a_site_with_a_live_reseller_instance_is_not_transferable_until_canceled(
    seed: &dyn Seed,
) {
    let fx = Fixture::new(seed).await;
    let (p, plan) = fx.plan(MAIN, Some(MAIN_SITE)).await;
    for status in [
        None,
        Some(InstanceStatus::AwaitingAction),
        Some(InstanceStatus::Enabled),
    ] {
        if let Some(status) = status {
            fx.set_status(plan, status).await;
        }
        let before = fx.snapshot().await;
        refused(
            "a transfer of a site with a live plan",
            fx.main
                .transfer_site(&on(SUB1), &transfer(MAIN_SITE, MAIN))
                .await,
            ErrorCode::SiteTransferNotSupported,
        );
        fx.assert_unchanged(&before, "a transfer of a paid site")
            .await;
    }
    ok(
        "Cancel Package",
        fx.main.cancel_package(&on(MAIN), p.id()).await,
    );
    ok(
        "the transfer after the cancel",
        fx.main
            .transfer_site(&on(SUB1), &transfer(MAIN_SITE, MAIN))
            .await,
    );
    assert_eq!(owner_of(&fx, MAIN_SITE).await, Some(SUB1));
}

/// T6 (decision): a paid service bought outside the reseller flow blocks a
/// transfer; floating and failed instances do not.
pub async fn t6_external_paid_services_block_a_transfer_and_floating_instances_do_not(
    seed: &dyn Seed,
) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "a transfer of a site with an external paid service",
        fx.main
            .transfer_site(&on(SUB1), &transfer(MAIN_PAID, MAIN))
            .await,
        ErrorCode::SiteTransferNotSupported,
    );
    fx.assert_unchanged(&before, "a transfer of an externally paid site")
        .await;
    fx.plan(MAIN, None).await;
    let (_, failed) = fx.plan(MAIN, Some(MAIN_SPARE)).await;
    fx.set_status(
        failed,
        InstanceStatus::Failed(Failure {
            code: FailureCode::DeliveryTimeout,
            message: "late".to_owned(),
        }),
    )
    .await;
    ok(
        "a transfer with a floating plan in the account",
        fx.main
            .transfer_site(&on(SUB1), &transfer(MAIN_SITE, MAIN))
            .await,
    );
    ok(
        "a transfer of a site holding a failed plan",
        fx.main
            .transfer_site(&on(SUB2), &transfer(MAIN_SPARE, MAIN))
            .await,
    );
    assert_eq!(owner_of(&fx, MAIN_SITE).await, Some(SUB1));
    assert_eq!(owner_of(&fx, MAIN_SPARE).await, Some(SUB2));
}

/// T9 (decision): a transfer within one account is judged by the same rules; when
/// allowed it answers 200 and changes nothing.
pub async fn t9_a_transfer_within_one_account_changes_nothing_when_allowed(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    let request = transfer(SUB2_SITE, SUB2);
    let answer = ok(
        "a transfer SUB2 -> SUB2 (allowed)",
        fx.main.transfer_site(&on(SUB2), &request).await,
    );
    assert_eq!(answer, request);
    refused(
        "a transfer SUB1 -> SUB1 (not allowed)",
        fx.main
            .transfer_site(&on(SUB1), &transfer(SUB1_SITE, SUB1))
            .await,
        ErrorCode::SiteTransferNotAllowed,
    );
    fx.assert_unchanged(&before, "transfers within one account")
        .await;
}
