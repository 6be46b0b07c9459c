//! The five flows against the in-memory Wix seeded with the contract suite's
//! standard world: the happy paths (state read back from Wix), the documented
//! unhappy paths, and reruns that find everything done.

use std::sync::Arc;
use std::time::Duration;

use adapter_memory::MemoryWix;
use reseller_app::flows::{
    HandOver, HandOverStep, Onboard, OnboardStep, Outcome, PackageLeft, PlanWithVoucher, Product,
    Reassign, ReassignStep, SiteAt, SiteChoice, SubAccountLeft, TransferPaidSite, TransferPaidStep,
    VoucherStep, hand_over_site, onboard_customer, plan_with_voucher, reassign_instance,
    recreate_external_id, restore_external_id, transfer_paid_site,
};
use reseller_app::{Attempts, Origin, SafeError};
use reseller_contract::expect::first;
use reseller_contract::fixture::*;
use reseller_domain::{
    AccountId, Assignment, Billing, CatalogProductId, ErrorCode, ExternalId, InstanceId, Package,
    SiteId, StatusName, Timestamp, Violation,
};
use reseller_ports::{
    Accounts, ChildAccountsPaging, ManualClock, NewSite, Provisioning, ResellerPackages,
    SequentialIds,
};

/// A fresh in-memory Wix on a stopped clock with sequential ids.
fn memory() -> MemoryWix {
    let start = Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").unwrap();
    MemoryWix::builder()
        .clock(Arc::new(ManualClock::new(start)))
        .ids(Arc::new(SequentialIds::new(0x5eed)))
        .build()
}

fn attempts() -> Attempts {
    Attempts::immediate(3)
}

fn ext(text: &str) -> ExternalId {
    ExternalId::new(text).unwrap()
}

fn product(id: CatalogProductId) -> Product {
    let p = Product::new(id, brazil());
    if id == PLAN_UNLIMITED || id == PLAN_VIP {
        p.billed(Billing::yearly())
    } else {
        p
    }
}

/// The code of the port error behind a flow's cause.
fn code(cause: &SafeError) -> ErrorCode {
    cause.port_error().unwrap().code().clone()
}

/// Every package of `account` (and its sub-accounts, for `MAIN`).
async fn packages(fx: &Fixture<'_>, account: AccountId) -> Vec<Package> {
    fx.all_packages(&*fx.main, account).await
}

/// The live instances on `site`, with their package's account, as Query Packages
/// sees them from `MAIN`.
async fn live_on(fx: &Fixture<'_>, site: SiteId) -> Vec<(AccountId, InstanceId, CatalogProductId)> {
    let mut out: Vec<_> = packages(fx, MAIN)
        .await
        .iter()
        .flat_map(|p| {
            p.instances()
                .iter()
                .filter(|i| i.site() == Some(site) && i.is_live())
                .map(|i| (p.account_id(), i.id(), i.catalog_product_id()))
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort();
    out
}

async fn owner_of(fx: &Fixture<'_>, site: SiteId) -> AccountId {
    for account in [MAIN, SUB1, SUB2] {
        if fx
            .sites_of(&*fx.main, account)
            .await
            .iter()
            .any(|s| s.id == site)
        {
            return account;
        }
    }
    panic!("site {site} is nowhere");
}

async fn status_of(fx: &Fixture<'_>, account: AccountId, instance: InstanceId) -> StatusName {
    let all = packages(fx, account).await;
    let p = all.iter().find(|p| p.instance(instance).is_some()).unwrap();
    p.instance(instance).unwrap().status().name()
}

// ----- F1 -------------------------------------------------------------------

fn hand_over(
    site: SiteId,
    team: AccountId,
    customer: AccountId,
    products: &[CatalogProductId],
) -> HandOver {
    HandOver {
        site,
        team_account: team,
        customer_account: customer,
        products: products.iter().map(|p| product(*p)).collect(),
        external_id: ext("f1-order-1"),
        enable_notifications: true,
    }
}

#[tokio::test]
async fn f1_hands_the_site_over_and_sells_the_plan_then_a_rerun_finds_both_done() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let input = hand_over(MAIN_SPARE, MAIN, SUB1, &[PLAN_UNLIMITED]);
    let done = hand_over_site(&*fx.main, &input, attempts()).await.unwrap();
    assert_eq!(done.transfer, Outcome::Done);
    assert_eq!(done.package.origin, Origin::Created);
    assert_eq!(owner_of(&fx, MAIN_SPARE).await, SUB1);
    let p = fx.get(SUB1, done.package.package.id()).await;
    assert_eq!(p.account_id(), SUB1);
    assert_eq!(p.external_id(), Some(&ext("f1-order-1")));
    let plan = p.instance(first(&p)).unwrap();
    assert_eq!(plan.site(), Some(MAIN_SPARE));
    assert_eq!(plan.catalog_product_id(), PLAN_UNLIMITED);

    let before = fx.snapshot().await;
    let again = hand_over_site(&*fx.main, &input, attempts()).await.unwrap();
    assert_eq!(again.transfer, Outcome::AlreadyDone);
    assert_eq!(again.package.origin, Origin::Found);
    assert_eq!(again.package.package.id(), p.id());
    fx.assert_unchanged(&before, "F1 rerun").await;
}

#[tokio::test]
async fn f1_refuses_a_site_holding_a_reseller_instance_before_changing_anything() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let (_, plan) = fx.plan(MAIN, Some(MAIN_SITE)).await;
    let before = fx.snapshot().await;
    let input = hand_over(MAIN_SITE, MAIN, SUB1, &[PLAN_UNLIMITED]);
    let stopped = hand_over_site(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, HandOverStep::CheckPaidServices);
    let SafeError::Refused(e) = &stopped.cause else {
        panic!("a refusal: {stopped}");
    };
    assert_eq!(e.code(), &ErrorCode::SiteTransferNotSupported);
    assert_eq!(e.status(), Some(428));
    assert!(matches!(
        e.violations(),
        [Violation::SiteTransferNotSupported { site, instances, .. }]
            if *site == MAIN_SITE && instances == &[plan]
    ));
    assert_eq!(stopped.left.blocking, vec![plan]);
    assert_eq!(stopped.left.site_at, SiteAt::Source);
    assert_eq!(stopped.left.package, PackageLeft::NotCreated);
    assert!(stopped.to_string().contains(&plan.to_string()));
    fx.assert_unchanged(&before, "F1 refused early").await;
}

#[tokio::test]
async fn f1_stops_at_the_transfer_of_a_site_with_a_paid_service_bought_outside() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let before = fx.snapshot().await;
    let input = hand_over(MAIN_PAID, MAIN, SUB1, &[PLAN_UNLIMITED]);
    let stopped = hand_over_site(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, HandOverStep::Transfer);
    assert_eq!(code(&stopped.cause), ErrorCode::SiteTransferNotSupported);
    assert!(stopped.left.blocking.is_empty());
    assert_eq!(stopped.left.site_at, SiteAt::Source);
    fx.assert_unchanged(&before, "F1 transfer refused").await;
}

#[tokio::test]
async fn f1_stops_at_a_transfer_off_the_allow_list() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let input = hand_over(SUB2_SITE, SUB2, SUB1, &[PLAN_UNLIMITED]);
    let stopped = hand_over_site(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, HandOverStep::Transfer);
    assert_eq!(code(&stopped.cause), ErrorCode::SiteTransferNotAllowed);
    assert_eq!(owner_of(&fx, SUB2_SITE).await, SUB2);
}

#[tokio::test]
async fn f1_after_a_refused_package_a_rerun_skips_the_transfer_and_creates_it() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    // A domain needs a Premium plan on its site: refused after the transfer.
    let wrong = hand_over(MAIN_SPARE, MAIN, SUB1, &[DOMAIN]);
    let stopped = hand_over_site(&*fx.main, &wrong, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, HandOverStep::CreatePackage);
    assert_eq!(code(&stopped.cause), ErrorCode::ProductNotSupportedOnSite);
    assert_eq!(stopped.left.site_at, SiteAt::Target);
    assert_eq!(stopped.left.package, PackageLeft::NotCreated);
    assert_eq!(owner_of(&fx, MAIN_SPARE).await, SUB1);

    let fixed = hand_over(MAIN_SPARE, MAIN, SUB1, &[PLAN_UNLIMITED]);
    let done = hand_over_site(&*fx.main, &fixed, attempts()).await.unwrap();
    assert_eq!(done.transfer, Outcome::AlreadyDone);
    assert_eq!(done.package.origin, Origin::Created);
    assert_eq!(packages(&fx, SUB1).await.len(), 1);
}

// ----- F2 -------------------------------------------------------------------

fn reassign(instance: InstanceId, new_site: SiteId, unassign_first: bool) -> Reassign {
    Reassign {
        account: SUB1,
        instance,
        new_site,
        unassign_first,
    }
}

#[tokio::test]
async fn f2_moves_a_plan_through_floating_then_a_rerun_finds_it_moved() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let (p, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let input = reassign(plan, SUB1_SPARE, true);
    let done = reassign_instance(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert!(done.unassigned);
    assert_eq!(done.assigned, Outcome::Done);
    let back = fx.get(SUB1, p.id()).await;
    assert_eq!(back.instance(plan).unwrap().site(), Some(SUB1_SPARE));
    assert_eq!(done.package, back);

    let before = fx.snapshot().await;
    let again = reassign_instance(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert!(!again.unassigned);
    assert_eq!(again.assigned, Outcome::AlreadyDone);
    fx.assert_unchanged(&before, "F2 rerun").await;
}

#[tokio::test]
async fn f2_moves_a_plan_directly() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let (p, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let done = reassign_instance(&*fx.main, &reassign(plan, SUB1_SPARE, false), attempts())
        .await
        .unwrap();
    assert!(!done.unassigned);
    assert_eq!(
        fx.get(SUB1, p.id()).await.instance(plan).unwrap().site(),
        Some(SUB1_SPARE)
    );
}

#[tokio::test]
async fn f2_type_already_assigned_leaves_the_plan_floating_after_an_unassign() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let (p, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let (other, taken) = fx.plan(SUB1, Some(SUB1_SPARE)).await;
    let stopped = reassign_instance(&*fx.main, &reassign(plan, SUB1_SPARE, true), attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, ReassignStep::Assign);
    assert_eq!(code(&stopped.cause), ErrorCode::ProductTypeAlreadyAssigned);
    assert_eq!(stopped.left.assignment, Some(Assignment::Floating));
    let back = fx.get(SUB1, p.id()).await;
    assert_eq!(
        back.instance(plan).unwrap().site(),
        None,
        "read back: floating"
    );
    assert!(stopped.to_string().contains("floating"));

    // Once the site is free, a rerun assigns the floating plan (no unassign).
    fx.main.cancel_package(&on(SUB1), other.id()).await.unwrap();
    assert_eq!(status_of(&fx, SUB1, taken).await, StatusName::Canceled);
    let done = reassign_instance(&*fx.main, &reassign(plan, SUB1_SPARE, true), attempts())
        .await
        .unwrap();
    assert!(!done.unassigned);
    assert_eq!(
        done.package.instance(plan).unwrap().site(),
        Some(SUB1_SPARE)
    );
}

#[tokio::test]
async fn f2_type_already_assigned_leaves_a_direct_move_on_the_old_site() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let (p, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    fx.plan(SUB1, Some(SUB1_SPARE)).await;
    let stopped = reassign_instance(&*fx.main, &reassign(plan, SUB1_SPARE, false), attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, ReassignStep::Assign);
    assert_eq!(code(&stopped.cause), ErrorCode::ProductTypeAlreadyAssigned);
    assert_eq!(stopped.left.assignment, Some(Assignment::Site(SUB1_SITE)));
    assert_eq!(
        fx.get(SUB1, p.id()).await.instance(plan).unwrap().site(),
        Some(SUB1_SITE)
    );
}

#[tokio::test]
async fn f2_a_domain_is_not_supported_on_a_site_without_a_plan() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    fx.plan(SUB1, Some(SUB1_SITE)).await;
    let d = fx.buy(SUB1, vec![item(DOMAIN, Some(SUB1_SITE))]).await;
    let domain = first(&d);
    for (unassign_first, where_) in [
        (false, Assignment::Site(SUB1_SITE)),
        (true, Assignment::Floating),
    ] {
        let stopped = reassign_instance(
            &*fx.main,
            &reassign(domain, SUB1_SPARE, unassign_first),
            attempts(),
        )
        .await
        .unwrap_err();
        assert_eq!(stopped.step, ReassignStep::Assign);
        assert_eq!(code(&stopped.cause), ErrorCode::ProductNotSupportedOnSite);
        assert_eq!(stopped.left.assignment, Some(where_));
        assert_eq!(
            fx.get(SUB1, d.id())
                .await
                .instance(domain)
                .unwrap()
                .assignment(),
            where_
        );
    }
}

#[tokio::test]
async fn f2_an_unknown_instance_stops_at_the_read() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let stopped = reassign_instance(
        &*fx.main,
        &reassign(UNKNOWN_INSTANCE, SUB1_SPARE, true),
        attempts(),
    )
    .await
    .unwrap_err();
    assert_eq!(stopped.step, ReassignStep::Read);
    assert_eq!(code(&stopped.cause), ErrorCode::ProductInstanceNotFound);
    assert_eq!(stopped.left.assignment, None);
}

// ----- F3 -------------------------------------------------------------------

fn voucher(plan_ext: &str, add_on_ext: &str) -> PlanWithVoucher {
    PlanWithVoucher {
        account: SUB1,
        site: SUB1_SITE,
        plan: product(PLAN_UNLIMITED),
        add_ons: vec![product(DOMAIN_VOUCHER)],
        plan_external_id: ext(plan_ext),
        add_on_external_id: ext(add_on_ext),
    }
}

#[tokio::test]
async fn f3_sells_the_plan_then_the_voucher_and_a_rerun_finds_both() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let input = voucher("f3-plan", "f3-domain");
    let sold = plan_with_voucher(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert_eq!(sold.plan.origin, Origin::Created);
    assert_eq!(sold.add_on.origin, Origin::Created);
    let plan = fx.get(SUB1, sold.plan.package.id()).await;
    assert_eq!(first(&plan), sold.plan_instance);
    let add_on = fx.get(SUB1, sold.add_on.package.id()).await;
    let domain = add_on.instance(first(&add_on)).unwrap();
    assert_eq!(domain.reference(), Some(sold.plan_instance));
    assert_eq!(domain.site(), Some(SUB1_SITE));
    assert_eq!(domain.catalog_product_id(), DOMAIN_VOUCHER);

    let before = fx.snapshot().await;
    let again = plan_with_voucher(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert_eq!(again.plan.origin, Origin::Found);
    assert_eq!(again.add_on.origin, Origin::Found);
    assert_eq!(again.add_on.package.id(), add_on.id());
    fx.assert_unchanged(&before, "F3 rerun").await;
}

#[tokio::test]
async fn f3_a_reference_used_already_leaves_the_plan_and_no_add_on() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let sold = plan_with_voucher(&*fx.main, &voucher("f3-plan", "f3-domain"), attempts())
        .await
        .unwrap();
    // The customer drops the domain; the plan instance has served as a voucher.
    fx.main
        .cancel_package(&on(SUB1), sold.add_on.package.id())
        .await
        .unwrap();
    let before = fx.snapshot().await;
    // The same plan package (found by its external id), a second add-on order.
    let stopped = plan_with_voucher(&*fx.main, &voucher("f3-plan", "f3-domain-2"), attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, VoucherStep::AddOn);
    assert_eq!(
        code(&stopped.cause),
        ErrorCode::InvalidReferenceProductInstanceId
    );
    assert_eq!(
        stopped.left.plan,
        PackageLeft::Exists(sold.plan.package.id())
    );
    assert_eq!(stopped.left.plan_instance, Some(sold.plan_instance));
    assert_eq!(stopped.left.add_on, PackageLeft::NotCreated);
    fx.assert_unchanged(&before, "F3 refused add-on").await;
}

#[tokio::test]
async fn f3_a_refused_plan_stops_before_the_add_on_and_a_fixed_rerun_completes() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let mut input = voucher("f3-plan", "f3-domain");
    input.plan = Product::new(PLAN_UNLIMITED, brazil()); // two cycles, none chosen
    let stopped = plan_with_voucher(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, VoucherStep::Plan);
    assert_eq!(code(&stopped.cause), ErrorCode::MissingBillingCycle);
    assert_eq!(stopped.left.plan, PackageLeft::NotCreated);
    assert_eq!(stopped.left.add_on, PackageLeft::NotCreated);
    assert!(packages(&fx, SUB1).await.is_empty());

    // The add-on refused (a mailbox cycle it does not sell), then fixed.
    let mut input = voucher("f3-plan", "f3-domain");
    input.add_ons = vec![product(DOMAIN_VOUCHER).billed(Billing::monthly())];
    let stopped = plan_with_voucher(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, VoucherStep::AddOn);
    let PackageLeft::Exists(plan) = stopped.left.plan else {
        panic!("the plan exists: {stopped}");
    };
    let done = plan_with_voucher(&*fx.main, &voucher("f3-plan", "f3-domain"), attempts())
        .await
        .unwrap();
    assert_eq!(done.plan.origin, Origin::Found);
    assert_eq!(done.plan.package.id(), plan);
    assert_eq!(done.add_on.origin, Origin::Created);
    assert_eq!(packages(&fx, SUB1).await.len(), 2);
}

// ----- F4 -------------------------------------------------------------------

fn onboard(customer_ref: &str, site: SiteChoice, polls: u32) -> Onboard {
    Onboard {
        main_account: MAIN,
        email: "ana@customer.example".to_owned(),
        customer_ref: customer_ref.to_owned(),
        known_account: None,
        products: vec![product(PLAN_UNLIMITED)],
        external_id: ext(&format!("f4-{customer_ref}")),
        site,
        polls,
        poll_pause: Duration::ZERO,
    }
}

async fn children(fx: &Fixture<'_>) -> Vec<AccountId> {
    fx.main
        .list_child_accounts(
            &on(MAIN),
            ChildAccountsPaging {
                offset: None,
                limit: Some(50),
            },
        )
        .await
        .unwrap()
        .accounts
}

#[tokio::test]
async fn f4_onboards_polls_until_enabled_and_a_rerun_makes_no_second_account() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    fx.seed
        .set_provisioning(Provisioning::Auto { delay_millis: 0 })
        .await
        .unwrap();
    let input = onboard("cust-1", SiteChoice::Floating, 5);
    let done = onboard_customer(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert!(children(&fx).await.contains(&done.account));
    assert_eq!(done.site, None);
    assert_eq!(done.package.origin, Origin::Created);
    assert_eq!(done.package.package.account_id(), done.account);
    assert!(done.pending.is_empty());
    assert_eq!(done.polls, 1);
    let back = fx.get(done.account, done.package.package.id()).await;
    assert_eq!(back, done.latest);
    assert_eq!(
        back.instance(first(&back)).unwrap().status().name(),
        StatusName::Enabled
    );

    let before = fx.snapshot().await;
    let again = onboard_customer(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert_eq!(
        again.account, done.account,
        "the key gives the same account"
    );
    assert_eq!(again.package.origin, Origin::Found);
    assert_eq!(again.polls, 0);
    fx.assert_unchanged(&before, "F4 rerun").await;
}

#[tokio::test]
async fn f4_ending_with_pending_instances_is_not_an_error() {
    let wix = memory();
    let fx = Fixture::new(&wix).await; // manual provisioning: stays PENDING
    let done = onboard_customer(
        &*fx.main,
        &onboard("cust-2", SiteChoice::Floating, 3),
        attempts(),
    )
    .await
    .unwrap();
    assert_eq!(done.polls, 3);
    assert_eq!(done.pending, vec![first(&done.latest)]);
}

#[tokio::test]
async fn f4_without_a_site_stops_with_the_account_and_a_rerun_finds_the_new_site() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let input = onboard("cust-3", SiteChoice::FirstOfAccount, 0);
    let stopped = onboard_customer(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, OnboardStep::FindSite);
    assert_eq!(code(&stopped.cause), ErrorCode::SiteNotFound);
    let SubAccountLeft::Exists(account) = stopped.left.account else {
        panic!("the account exists: {stopped}");
    };
    assert_eq!(stopped.left.package, PackageLeft::NotCreated);
    let built = fx
        .seed
        .add_site(&NewSite {
            id: None,
            account,
            name: String::new(),
            external_paid_services: Vec::new(),
            details: Default::default(),
            created: None,
        })
        .await
        .unwrap();
    let count = children(&fx).await.len();
    let done = onboard_customer(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert_eq!(done.account, account);
    assert_eq!(children(&fx).await.len(), count, "no second sub-account");
    assert_eq!(done.site, Some(built.id));
    let p = fx.get(account, done.package.package.id()).await;
    assert_eq!(p.instance(first(&p)).unwrap().site(), Some(built.id));
    assert_eq!(done.pending, vec![first(&p)], "no poll asked for");
}

#[tokio::test]
async fn f4_a_known_account_skips_create_account() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let count = children(&fx).await.len();
    let mut input = onboard("cust-4", SiteChoice::Site(SUB1_SITE), 0);
    input.known_account = Some(SUB1);
    let done = onboard_customer(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert_eq!(done.account, SUB1);
    assert_eq!(children(&fx).await.len(), count);
    let p = fx.get(SUB1, done.package.package.id()).await;
    assert_eq!(p.instance(first(&p)).unwrap().site(), Some(SUB1_SITE));
}

#[tokio::test]
async fn f4_a_bad_e_mail_is_refused_and_nothing_is_created() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let before = fx.snapshot().await;
    let mut input = onboard("cust-5", SiteChoice::Floating, 0);
    input.email = "not an e-mail".to_owned();
    let stopped = onboard_customer(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, OnboardStep::CreateAccount);
    assert_eq!(stopped.left.account, SubAccountLeft::NotCreated);
    assert_eq!(code(&stopped.cause), ErrorCode::InvalidArgument);
    fx.assert_unchanged(&before, "F4 refused").await;
}

// ----- F5 -------------------------------------------------------------------

fn move_site(site: SiteId, source: AccountId, target: AccountId) -> TransferPaidSite {
    TransferPaidSite {
        site,
        source_account: source,
        target_account: target,
        enable_notifications: false,
        external_id_prefix: "move-1".to_owned(),
        services: None,
    }
}

/// SUB1_SITE with a plan, a free domain bought with the plan as voucher, and a
/// mailbox with a discount code; answers (plan, domain, mailbox).
async fn paid_sub1_site(fx: &Fixture<'_>) -> (InstanceId, InstanceId, InstanceId) {
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let d = fx
        .buy(
            SUB1,
            vec![item(DOMAIN_VOUCHER, Some(SUB1_SITE)).reference(plan)],
        )
        .await;
    let m = fx
        .buy(
            SUB1,
            vec![
                item(MAILBOX, Some(SUB1_SITE))
                    .discount_code(reseller_domain::DiscountCode::new("SPRING").unwrap()),
            ],
        )
        .await;
    (plan, first(&d), first(&m))
}

#[tokio::test]
async fn f5_moves_the_services_with_the_site_and_a_rerun_finds_everything_done() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let (plan, domain, mailbox) = paid_sub1_site(&fx).await;
    let input = move_site(SUB1_SITE, SUB1, SUB2);
    let done = transfer_paid_site(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert_eq!(done.transfer, Outcome::Done);
    let froms: Vec<_> = done.services.iter().map(|s| s.from).collect();
    assert_eq!(froms, vec![plan, domain, mailbox], "plan before its add-on");
    assert_eq!(owner_of(&fx, SUB1_SITE).await, SUB2);
    for old in [plan, domain, mailbox] {
        assert_eq!(status_of(&fx, SUB1, old).await, StatusName::Canceled);
    }
    let live = live_on(&fx, SUB1_SITE).await;
    assert_eq!(live.len(), 3);
    assert!(live.iter().all(|(account, _, _)| *account == SUB2));
    let new_plan = done.services[0].instance;
    assert_eq!(
        done.services[1].reference,
        Some(new_plan),
        "the new voucher"
    );
    for s in &done.services {
        let p = fx.get(SUB2, s.package.package.id()).await;
        assert_eq!(
            p.external_id(),
            Some(&recreate_external_id("move-1", s.from).unwrap())
        );
        let i = p.instance(s.instance).unwrap();
        assert_eq!(i.site(), Some(SUB1_SITE));
        assert_eq!(i.country_code(), Some(brazil()));
    }
    let m = fx.get(SUB2, done.services[2].package.package.id()).await;
    let new_mailbox = m.instance(done.services[2].instance).unwrap();
    assert_eq!(new_mailbox.discount_code().unwrap().as_str(), "SPRING");
    assert_eq!(new_mailbox.billing(), Some(quarterly()));

    let before = fx.snapshot().await;
    let again = transfer_paid_site(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert_eq!(again.transfer, Outcome::AlreadyDone);
    assert!(
        again
            .services
            .iter()
            .all(|s| s.package.origin == Origin::Found)
    );
    let ids = |moved: &[reseller_app::flows::MovedService]| {
        moved
            .iter()
            .map(|s| (s.from, s.package.package.id(), s.instance, s.reference))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&again.services), ids(&done.services));
    fx.assert_unchanged(&before, "F5 rerun").await;
}

#[tokio::test]
async fn f5_cancels_only_the_instances_on_the_site() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let both = fx
        .buy(
            SUB1,
            vec![
                item(PLAN_UNLIMITED, Some(SUB1_SITE)),
                item(PLAN_UNLIMITED, Some(SUB1_SPARE)),
            ],
        )
        .await;
    let [here, there] = [both.instances()[0].id(), both.instances()[1].id()];
    let done = transfer_paid_site(&*fx.main, &move_site(SUB1_SITE, SUB1, SUB2), attempts())
        .await
        .unwrap();
    assert_eq!(done.services.len(), 1);
    assert_eq!(done.services[0].from, here);
    assert_eq!(status_of(&fx, SUB1, here).await, StatusName::Canceled);
    assert_eq!(status_of(&fx, SUB1, there).await, StatusName::Pending);
}

#[tokio::test]
async fn f5_a_refused_transfer_restores_the_services_in_the_source_account() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let (plan, domain, mailbox) = paid_sub1_site(&fx).await;
    // (SUB1, MAIN) is not on the allow-list.
    let input = move_site(SUB1_SITE, SUB1, MAIN);
    let stopped = transfer_paid_site(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, TransferPaidStep::Transfer);
    assert_eq!(code(&stopped.cause), ErrorCode::SiteTransferNotAllowed);
    let left = &stopped.left;
    assert_eq!(left.site_at, SiteAt::Source);
    assert_eq!(left.services, vec![plan, domain, mailbox]);
    let mut canceled = left.canceled.clone();
    canceled.sort();
    let mut all = vec![plan, domain, mailbox];
    all.sort();
    assert_eq!(canceled, all);
    assert!(left.unrestored.is_empty(), "{stopped}");
    assert_eq!(left.restored.len(), 3);
    assert_eq!(owner_of(&fx, SUB1_SITE).await, SUB1);
    // Read back: the services are live again in the source account, the voucher
    // bought with the restored plan.
    let live = live_on(&fx, SUB1_SITE).await;
    assert_eq!(live.len(), 3);
    assert!(live.iter().all(|(account, _, _)| *account == SUB1));
    for r in &left.restored {
        let p = fx.get(SUB1, r.package).await;
        assert_eq!(
            p.external_id(),
            Some(&restore_external_id("move-1", r.from).unwrap())
        );
        assert!(p.instance(r.instance).unwrap().is_live());
    }
    let restored_plan = left.restored.iter().find(|r| r.from == plan).unwrap();
    let restored_domain = left.restored.iter().find(|r| r.from == domain).unwrap();
    let d = fx.get(SUB1, restored_domain.package).await;
    assert_eq!(
        d.instance(restored_domain.instance).unwrap().reference(),
        Some(restored_plan.instance)
    );
    assert!(
        stopped
            .to_string()
            .contains("restored in the source account")
    );

    // A rerun while the pair is still refused converges to the same state.
    let stopped = transfer_paid_site(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, TransferPaidStep::Transfer);
    assert_eq!(stopped.left.restored.len(), 3);
    let live = live_on(&fx, SUB1_SITE).await;
    assert_eq!(live.len(), 3);
    assert!(live.iter().all(|(account, _, _)| *account == SUB1));

    // Once Wix allows the pair, a rerun moves the (restored) services.
    fx.seed.allow_transfer(SUB1, MAIN).await.unwrap();
    let done = transfer_paid_site(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert_eq!(done.transfer, Outcome::Done);
    assert_eq!(done.services.len(), 3);
    assert_eq!(owner_of(&fx, SUB1_SITE).await, MAIN);
    let live = live_on(&fx, SUB1_SITE).await;
    assert_eq!(live.len(), 3);
    assert!(live.iter().all(|(account, _, _)| *account == MAIN));
    let products: Vec<_> = live.iter().map(|(_, _, p)| *p).collect();
    for p in [PLAN_UNLIMITED, DOMAIN_VOUCHER, MAILBOX] {
        assert!(products.contains(&p));
    }
}

#[tokio::test]
async fn f5_an_external_paid_service_refuses_the_transfer_and_the_plan_comes_back() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let (_, plan) = fx.plan(MAIN, Some(MAIN_PAID)).await;
    let stopped = transfer_paid_site(&*fx.main, &move_site(MAIN_PAID, MAIN, SUB1), attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, TransferPaidStep::Transfer);
    assert_eq!(code(&stopped.cause), ErrorCode::SiteTransferNotSupported);
    assert_eq!(stopped.left.canceled, vec![plan]);
    assert_eq!(stopped.left.restored.len(), 1);
    assert_eq!(status_of(&fx, MAIN, plan).await, StatusName::Canceled);
    let live = live_on(&fx, MAIN_PAID).await;
    assert_eq!(
        live,
        vec![(MAIN, stopped.left.restored[0].instance, PLAN_UNLIMITED)]
    );
    assert_eq!(owner_of(&fx, MAIN_PAID).await, MAIN);
}

#[tokio::test]
async fn f5_a_refused_recreate_stops_after_the_transfer_and_a_rerun_converges() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    // Wix stops reselling the plan: the cancel and the transfer still go through,
    // the create in the target account is refused.
    let original = catalog()
        .into_iter()
        .find(|p| p.id == PLAN_UNLIMITED)
        .unwrap();
    let withdrawn = reseller_domain::CatalogProduct {
        resellable: false,
        ..original.clone()
    };
    fx.seed.add_product(&withdrawn).await.unwrap();
    let input = move_site(SUB1_SITE, SUB1, SUB2);
    let stopped = transfer_paid_site(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, TransferPaidStep::Recreate);
    assert_eq!(code(&stopped.cause), ErrorCode::InvalidProducts);
    assert_eq!(stopped.left.site_at, SiteAt::Target);
    assert_eq!(stopped.left.canceled, vec![plan]);
    assert_eq!(stopped.left.not_recreated, vec![plan]);
    assert!(stopped.left.restored.is_empty());
    assert_eq!(owner_of(&fx, SUB1_SITE).await, SUB2);

    fx.seed.add_product(&original).await.unwrap();
    let done = transfer_paid_site(&*fx.main, &input, attempts())
        .await
        .unwrap();
    assert_eq!(done.transfer, Outcome::AlreadyDone);
    assert_eq!(done.services.len(), 1);
    assert_eq!(done.services[0].from, plan);
    assert_eq!(done.services[0].package.origin, Origin::Created);
    let live = live_on(&fx, SUB1_SITE).await;
    assert_eq!(
        live,
        vec![(SUB2, done.services[0].instance, PLAN_UNLIMITED)]
    );
}

#[tokio::test]
async fn f5_a_rerun_with_the_reported_services_ignores_older_cancellations() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    // A mailbox canceled long ago stays on the site, canceled.
    let old = fx
        .buy(SUB1, vec![item(MAILBOX_LITE, Some(SUB1_SITE))])
        .await;
    fx.main.cancel_package(&on(SUB1), old.id()).await.unwrap();
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let first_run = move_site(SUB1_SITE, SUB1, SUB2);
    let done = transfer_paid_site(&*fx.main, &first_run, attempts())
        .await
        .unwrap();
    assert_eq!(done.services.len(), 1);
    assert_eq!(done.services[0].from, plan);

    let before = fx.snapshot().await;
    let rerun = TransferPaidSite {
        services: Some(done.services.iter().map(|s| s.from).collect()),
        ..first_run
    };
    let again = transfer_paid_site(&*fx.main, &rerun, attempts())
        .await
        .unwrap();
    assert_eq!(again.services.len(), 1);
    assert_eq!(again.services[0].package.origin, Origin::Found);
    fx.assert_unchanged(&before, "F5 rerun with the services")
        .await;
}

#[tokio::test]
async fn f5_an_unknown_service_is_refused_before_anything_changes() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    fx.plan(SUB1, Some(SUB1_SITE)).await;
    let before = fx.snapshot().await;
    let input = TransferPaidSite {
        services: Some(vec![UNKNOWN_INSTANCE]),
        ..move_site(SUB1_SITE, SUB1, SUB2)
    };
    let stopped = transfer_paid_site(&*fx.main, &input, attempts())
        .await
        .unwrap_err();
    assert_eq!(stopped.step, TransferPaidStep::Inventory);
    assert_eq!(code(&stopped.cause), ErrorCode::ProductInstanceNotFound);
    fx.assert_unchanged(&before, "F5 unknown service").await;
}
