//! Reconcile's plan on hand-written cases, one per step kind and problem kind, its
//! order, and apply: each case applied against the in-memory Wix (seeded with the
//! contract suite's standard world) ends with an empty plan.

use std::sync::Arc;

use adapter_memory::MemoryWix;
use reseller_app::Attempts;
use reseller_app::reconcile::{
    Action, ApplyOptions, Catalog, DesiredState, Outcome, Plan, PlanOptions, ProblemKind, StepKind,
    apply, create_key, parse_jsonl, plan, read_actual,
};
use reseller_contract::fixture::*;
use reseller_domain::ops::{CreatePackage, NewInstance};
use reseller_domain::{
    AccountId, Billing, CatalogProductId, CountryCode, ExternalId, Failure, FailureCode,
    InstanceStatus, Package, SiteId, Timestamp,
};
use reseller_ports::{Call, ManualClock, ResellerPackages, SequentialIds};
use serde_json::{Value, json};

fn memory() -> MemoryWix {
    let start = Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").unwrap();
    MemoryWix::builder()
        .clock(Arc::new(ManualClock::new(start)))
        .ids(Arc::new(SequentialIds::new(0x19)))
        .build()
}

fn catalog() -> Catalog {
    Catalog::new(reseller_contract::fixture::catalog())
}

fn ext(text: &str) -> ExternalId {
    ExternalId::new(text).unwrap()
}

/// A desired product line: BR, yearly for the plans, on `site`.
fn product(id: CatalogProductId, site: Option<SiteId>) -> Value {
    let mut p = json!({"catalogProductId": id.to_string(), "countryCode": "BR"});
    if id == PLAN_UNLIMITED || id == PLAN_VIP {
        p["billing"] = json!("yearly");
    }
    if let Some(s) = site {
        p["siteId"] = json!(s.to_string());
    }
    p
}

fn active(id: &str, account: AccountId, products: Vec<Value>) -> Value {
    json!({"externalId": id, "accountId": account.to_string(), "status": "active", "products": products})
}

fn ended(id: &str, account: AccountId) -> Value {
    json!({"externalId": id, "accountId": account.to_string(), "status": "ended"})
}

fn desired(lines: &[Value]) -> DesiredState {
    let text: Vec<String> = lines.iter().map(Value::to_string).collect();
    parse_jsonl(&text.join("\n"), &catalog()).unwrap()
}

/// A package of `items` for `account` with external id `id`.
async fn keyed(fx: &Fixture<'_>, account: AccountId, id: &str, items: Vec<NewInstance>) -> Package {
    let request = CreatePackage {
        external_id: Some(ext(id)),
        products: items,
    };
    fx.main
        .create_package(&on(account), &request)
        .await
        .unwrap()
}

async fn plan_of(fx: &Fixture<'_>, want: &DesiredState, options: PlanOptions) -> Plan {
    let actual = read_actual(&*fx.main, &Call::new(), Attempts::immediate(2))
        .await
        .unwrap();
    plan(want, &actual, &catalog(), options)
}

fn kinds(p: &Plan) -> Vec<(StepKind, String)> {
    p.steps()
        .iter()
        .map(|s| (s.action.kind(), s.external_id.as_str().to_owned()))
        .collect()
}

/// Applies `p` (allowing every destructive step) and answers the next plan.
async fn apply_and_replan(fx: &Fixture<'_>, want: &DesiredState, p: &Plan) -> Plan {
    let options = ApplyOptions {
        max_destroy: usize::MAX,
        attempts: Attempts::immediate(2),
    };
    let applied = apply(&*fx.main, p, &options, &mut |_| {}).await;
    assert_eq!(applied.failed(), 0, "{:?}", applied.reports);
    plan_of(fx, want, PlanOptions::default()).await
}

#[tokio::test]
async fn a_package_as_billing_says_is_nothing_to_do() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    keyed(
        &fx,
        SUB1,
        "sub-1",
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    )
    .await;
    let want = desired(&[active(
        "sub-1",
        SUB1,
        vec![product(PLAN_UNLIMITED, Some(SUB1_SITE))],
    )]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert!(p.is_empty(), "{p:?}");
    assert_eq!(p.summary().unchanged, 1);
}

#[tokio::test]
async fn an_active_subscription_without_a_package_is_created_once() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let want = desired(&[active(
        "sub-1",
        SUB1,
        vec![product(PLAN_VIP, Some(SUB1_SITE))],
    )]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert_eq!(kinds(&p), [(StepKind::Create, "sub-1".to_owned())]);
    assert_eq!(p.steps()[0].account, SUB1);
    assert_eq!(p.steps()[0].action.kind().symbol(), "+");
    assert!(apply_and_replan(&fx, &want, &p).await.is_empty());
    // Applying the same (now stale) plan again creates nothing more.
    let again = apply_and_replan(&fx, &want, &p).await;
    assert!(again.is_empty());
    let all = fx.all_packages(&*fx.main, MAIN).await;
    assert_eq!(
        all.iter()
            .filter(|p| p.external_id() == Some(&ext("sub-1")))
            .count(),
        1
    );
}

#[tokio::test]
async fn an_ended_subscription_with_a_live_package_is_canceled() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    keyed(
        &fx,
        SUB1,
        "sub-1",
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    )
    .await;
    let want = desired(&[ended("sub-1", SUB1)]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert_eq!(kinds(&p), [(StepKind::Cancel, "sub-1".to_owned())]);
    assert!(!p.steps()[0].action.is_destructive());
    let after = apply_and_replan(&fx, &want, &p).await;
    assert!(after.is_empty());
    assert_eq!(after.summary().unchanged, 1);
}

#[tokio::test]
async fn a_product_billing_dropped_is_an_instance_cancel() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let pkg = keyed(
        &fx,
        SUB1,
        "sub-1",
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE)), item(ASCEND, None)],
    )
    .await;
    let want = desired(&[active(
        "sub-1",
        SUB1,
        vec![product(PLAN_UNLIMITED, Some(SUB1_SITE))],
    )]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    let ascend = pkg.instances()[1].id();
    assert!(matches!(
        p.steps(),
        [s] if s.action == Action::CancelInstance { package: pkg.id(), instance: ascend, product: ASCEND }
    ));
    assert!(apply_and_replan(&fx, &want, &p).await.is_empty());
}

#[tokio::test]
async fn another_product_or_cycle_of_the_same_type_is_an_adjust() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let one = keyed(
        &fx,
        SUB1,
        "sub-1",
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    )
    .await;
    keyed(
        &fx,
        SUB2,
        "sub-2",
        vec![item(PLAN_UNLIMITED, Some(SUB2_SITE))],
    )
    .await;
    let mut monthly = product(PLAN_UNLIMITED, Some(SUB2_SITE));
    monthly["billing"] = json!("monthly");
    let want = desired(&[
        active("sub-1", SUB1, vec![product(PLAN_VIP, Some(SUB1_SITE))]),
        active("sub-2", SUB2, vec![monthly]),
    ]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert_eq!(
        kinds(&p),
        [
            (StepKind::Adjust, "sub-1".to_owned()),
            (StepKind::Adjust, "sub-2".to_owned())
        ]
    );
    match &p.steps()[0].action {
        Action::Adjust {
            instance,
            to_product,
            to_billing,
            ..
        } => {
            assert_eq!(*instance, one.instances()[0].id());
            assert_eq!(*to_product, Some(PLAN_VIP));
            assert_eq!(*to_billing, Billing::yearly());
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        &p.steps()[1].action,
        Action::Adjust { to_product: None, to_billing, .. } if *to_billing == Billing::monthly()
    ));
    assert!(apply_and_replan(&fx, &want, &p).await.is_empty());
}

#[tokio::test]
async fn another_site_or_none_is_a_move() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    keyed(
        &fx,
        SUB1,
        "sub-1",
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    )
    .await;
    keyed(&fx, MAIN, "sub-2", vec![item(PLAN_VIP, Some(MAIN_SITE))]).await;
    let want = desired(&[
        active(
            "sub-1",
            SUB1,
            vec![product(PLAN_UNLIMITED, Some(SUB1_SPARE))],
        ),
        active("sub-2", MAIN, vec![product(PLAN_VIP, None)]),
    ]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert_eq!(
        kinds(&p),
        [
            (StepKind::Move, "sub-1".to_owned()),
            (StepKind::Move, "sub-2".to_owned())
        ]
    );
    assert!(matches!(
        &p.steps()[0].action,
        Action::Move {
            from: Some(SUB1_SITE),
            to: Some(SUB1_SPARE),
            through_floating: false,
            ..
        }
    ));
    assert!(matches!(
        &p.steps()[1].action,
        Action::Move { to: None, .. }
    ));
    assert_eq!(p.steps()[0].action.kind().symbol(), "~");
    assert!(apply_and_replan(&fx, &want, &p).await.is_empty());
}

#[tokio::test]
async fn two_plans_that_swap_sites_move_through_floating() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    keyed(
        &fx,
        SUB1,
        "sub-1",
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    )
    .await;
    keyed(&fx, SUB1, "sub-2", vec![item(PLAN_VIP, Some(SUB1_SPARE))]).await;
    let want = desired(&[
        active(
            "sub-1",
            SUB1,
            vec![product(PLAN_UNLIMITED, Some(SUB1_SPARE))],
        ),
        active("sub-2", SUB1, vec![product(PLAN_VIP, Some(SUB1_SITE))]),
    ]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert!(
        p.steps().iter().all(|s| matches!(
            s.action,
            Action::Move {
                through_floating: true,
                ..
            }
        )),
        "{p:?}"
    );
    assert!(apply_and_replan(&fx, &want, &p).await.is_empty());
}

/// Two plans of one package: one moves onto the site the other leaves for floating.
/// The leaving unassign must run before the arriving assign, or Wix refuses the
/// assign (428 `PRODUCT_TYPE_ALREADY_ASSIGNED`), whatever order the file gives.
#[tokio::test]
async fn a_plan_moves_onto_a_site_another_leaves_for_floating() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let gb = CountryCode::new("GB").unwrap();
    keyed(
        &fx,
        SUB1,
        "sub-1",
        vec![
            item(PLAN_UNLIMITED, Some(SUB1_SPARE)),
            NewInstance {
                country_code: Some(gb),
                ..item(PLAN_UNLIMITED, Some(SUB1_SITE))
            },
        ],
    )
    .await;
    let mut floating = product(PLAN_UNLIMITED, None);
    floating["countryCode"] = json!("GB");
    let want = desired(&[active(
        "sub-1",
        SUB1,
        vec![product(PLAN_UNLIMITED, Some(SUB1_SITE)), floating],
    )]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert_eq!(
        kinds(&p),
        [
            (StepKind::Move, "sub-1".to_owned()),
            (StepKind::Move, "sub-1".to_owned())
        ],
        "{p:?}"
    );
    assert!(apply_and_replan(&fx, &want, &p).await.is_empty());
}

#[tokio::test]
async fn another_product_type_or_an_added_product_is_a_destructive_replace() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let old = keyed(&fx, SUB1, "sub-1", vec![item(PLAN_UNLIMITED, None)]).await;
    keyed(&fx, SUB2, "sub-2", vec![item(PLAN_UNLIMITED, None)]).await;
    let want = desired(&[
        active("sub-1", SUB1, vec![product(ASCEND, None)]),
        active(
            "sub-2",
            SUB2,
            vec![product(PLAN_UNLIMITED, None), product(MAILBOX_LITE, None)],
        ),
    ]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert_eq!(
        kinds(&p),
        [
            (StepKind::Replace, "sub-1".to_owned()),
            (StepKind::Replace, "sub-2".to_owned())
        ]
    );
    assert_eq!(p.destructive(), 2);
    assert_eq!(p.steps()[0].action.kind().symbol(), "-/+");
    match &p.steps()[0].action {
        Action::Replace {
            package, retired, ..
        } => {
            assert_eq!(*package, old.id());
            assert_eq!(retired, &vec![old.id()]);
        }
        other => panic!("{other:?}"),
    }

    // Over --max-destroy: held, nothing changed.
    let held = apply(
        &*fx.main,
        &p,
        &ApplyOptions {
            max_destroy: 1,
            attempts: Attempts::immediate(2),
        },
        &mut |_| {},
    )
    .await;
    assert_eq!((held.held(), held.done()), (2, 0));
    assert!(held.reports.iter().all(|r| r.outcome == Outcome::Held));
    assert_eq!(plan_of(&fx, &want, PlanOptions::default()).await, p);

    let after = apply_and_replan(&fx, &want, &p).await;
    assert!(after.is_empty(), "{after:?}");
    // The old package stays canceled, a new one carries the external id.
    let all = fx.all_packages(&*fx.main, MAIN).await;
    let sub1: Vec<_> = all
        .iter()
        .filter(|p| p.external_id() == Some(&ext("sub-1")))
        .collect();
    assert_eq!(sub1.len(), 2);
    assert_eq!(
        sub1.iter().filter(|p| p.instances()[0].is_live()).count(),
        1
    );
}

#[tokio::test]
async fn a_replace_stopped_after_its_cancel_is_finished_by_a_create_with_the_same_key() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let old = keyed(&fx, SUB1, "sub-1", vec![item(PLAN_UNLIMITED, None)]).await;
    let want = desired(&[active("sub-1", SUB1, vec![product(ASCEND, None)])]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    // The crash: only the cancel ran.
    fx.main.cancel_package(&on(SUB1), old.id()).await.unwrap();
    let rest = plan_of(&fx, &want, PlanOptions::default()).await;
    match &rest.steps() {
        [s] => match &s.action {
            Action::Create { retired, .. } => assert_eq!(retired, &vec![old.id()]),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(
        rest.destructive(),
        0,
        "what is left is no longer destructive"
    );
    // The replace's create and the rerun's create are one request.
    assert_ne!(
        create_key(&ext("sub-1"), &[old.id()]),
        create_key(&ext("sub-1"), &[])
    );
    assert!(
        matches!(&p.steps()[0].action, Action::Replace { retired, .. } if retired == &vec![old.id()])
    );
    assert!(apply_and_replan(&fx, &want, &rest).await.is_empty());
}

#[tokio::test]
async fn a_failed_instance_needs_a_person_and_nothing_is_created() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let pkg = keyed(&fx, SUB1, "sub-1", vec![item(PLAN_UNLIMITED, None)]).await;
    let failure = Failure {
        code: FailureCode::DeliveryTimeout,
        message: "delivery of product has reached it's deadline".to_owned(),
    };
    fx.set_status(
        pkg.instances()[0].id(),
        InstanceStatus::Failed(failure.clone()),
    )
    .await;
    let want = desired(&[active("sub-1", SUB1, vec![product(PLAN_UNLIMITED, None)])]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert!(p.steps().is_empty());
    assert_eq!(
        p.problems()[0].kind,
        ProblemKind::Failed {
            package: pkg.id(),
            instance: pkg.instances()[0].id(),
            failure
        }
    );
    assert!(p.problems()[0].to_string().contains("DELIVERY_TIMEOUT"));
    // Ended in billing, the failed package is no concern.
    let gone = desired(&[ended("sub-1", SUB1)]);
    assert!(plan_of(&fx, &gone, PlanOptions::default()).await.is_empty());
}

#[tokio::test]
async fn an_instance_awaiting_action_needs_a_person() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let pkg = keyed(&fx, SUB1, "sub-1", vec![item(PLAN_UNLIMITED, None)]).await;
    fx.set_status(pkg.instances()[0].id(), InstanceStatus::AwaitingAction)
        .await;
    let want = desired(&[active("sub-1", SUB1, vec![product(PLAN_VIP, None)])]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert!(p.steps().is_empty());
    assert_eq!(p.problems()[0].kind.name(), "awaiting-action");
}

#[tokio::test]
async fn two_live_packages_for_one_external_id_need_a_person() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let a = keyed(&fx, SUB1, "sub-1", vec![item(PLAN_UNLIMITED, None)]).await;
    let b = keyed(&fx, SUB1, "sub-1", vec![item(PLAN_UNLIMITED, None)]).await;
    let want = desired(&[active("sub-1", SUB1, vec![product(PLAN_VIP, None)])]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert!(p.steps().is_empty());
    assert_eq!(
        p.problems()[0].kind,
        ProblemKind::Duplicate {
            packages: vec![a.id(), b.id()]
        }
    );
    // Ended: both are canceled.
    let gone = desired(&[ended("sub-1", SUB1)]);
    let p = plan_of(&fx, &gone, PlanOptions::default()).await;
    assert_eq!(p.summary().cancel, 2);
    assert!(apply_and_replan(&fx, &gone, &p).await.is_empty());
}

#[tokio::test]
async fn an_orphan_is_reported_and_canceled_only_when_asked() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let orphan = keyed(&fx, SUB2, "stopped-paying", vec![item(ASCEND, None)]).await;
    // A package without an external id is not billing's: not compared.
    fx.buy(SUB2, vec![item(MAILBOX_LITE, None)]).await;
    let want = desired(&[]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert!(p.steps().is_empty());
    assert_eq!(
        p.problems()[0].kind,
        ProblemKind::Orphan {
            package: orphan.id(),
            account: SUB2
        }
    );
    assert_eq!(p.unkeyed(), 1);
    let p = plan_of(
        &fx,
        &want,
        PlanOptions {
            cancel_orphans: true,
        },
    )
    .await;
    assert!(matches!(
        &p.steps()[0].action,
        Action::Cancel { package, orphan: true } if *package == orphan.id()
    ));
    assert!(p.problems().is_empty());
    assert!(apply_and_replan(&fx, &want, &p).await.is_empty());
}

#[tokio::test]
async fn a_package_in_another_account_needs_a_person() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let pkg = keyed(&fx, SUB1, "sub-1", vec![item(PLAN_UNLIMITED, None)]).await;
    let want = desired(&[active("sub-1", SUB2, vec![product(PLAN_UNLIMITED, None)])]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert_eq!(
        p.problems()[0].kind,
        ProblemKind::WrongAccount {
            package: pkg.id(),
            is: SUB1,
            billing: SUB2
        }
    );
}

#[tokio::test]
async fn add_ons_are_canceled_before_and_created_after_the_plans_they_need() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    keyed(
        &fx,
        SUB1,
        "plan-old",
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    )
    .await;
    keyed(&fx, SUB1, "domain-old", vec![item(DOMAIN, Some(SUB1_SITE))]).await;
    // The domain's line comes first in the file; the plan still comes first.
    let want = desired(&[
        ended("plan-old", SUB1),
        ended("domain-old", SUB1),
        active("domain-new", SUB1, vec![product(DOMAIN, Some(SUB1_SPARE))]),
        active("plan-new", SUB1, vec![product(PLAN_VIP, Some(SUB1_SPARE))]),
    ]);
    let p = plan_of(&fx, &want, PlanOptions::default()).await;
    assert_eq!(
        kinds(&p),
        [
            (StepKind::Cancel, "domain-old".to_owned()),
            (StepKind::Cancel, "plan-old".to_owned()),
            (StepKind::Create, "plan-new".to_owned()),
            (StepKind::Create, "domain-new".to_owned()),
        ]
    );
    assert!(apply_and_replan(&fx, &want, &p).await.is_empty());
}
