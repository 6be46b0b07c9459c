//! Revision 2 rules: dependent services float when their required type leaves the
//! site, expiring instances, and Adjust of a product that cannot be adjusted.

use reseller_domain::ops::*;
use reseller_domain::*;

use crate::fixture::*;

fn plan_type() -> ProductType {
    ProductType::new("PREMIUM_PLAN").unwrap()
}

/// A plan on `SUB1_SITE` (one package) and a domain on it (another package),
/// both of SUB1. Answers (plan instance, domain package, domain instance).
fn plan_and_domain(w: &mut World, ids: &mut Ids) -> (InstanceId, PackageId, InstanceId) {
    let plan = buy(w, ids, SUB1, vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))]);
    let domain = buy(w, ids, SUB1, vec![item(DOMAIN, Some(SUB1_SITE))]);
    (
        plan.instances()[0].id(),
        domain.id(),
        domain.instances()[0].id(),
    )
}

fn site_of(w: &World, i: InstanceId) -> Option<SiteId> {
    w.package_of_instance(i)
        .unwrap()
        .instance(i)
        .unwrap()
        .site()
}

fn floated_in_the_same_change(
    w: &mut World,
    done: Done<Package>,
    domain_package: PackageId,
    domain: InstanceId,
) {
    assert!(
        done.changes
            .packages
            .iter()
            .any(|p| p.id() == domain_package),
        "the dependent's package is part of the change"
    );
    assert!(
        done.changes
            .events
            .contains(&DomainEvent::InstanceUnassigned {
                package: domain_package,
                instance: domain,
                previous: SUB1_SITE,
            })
    );
    assert!(
        done.changes
            .events
            .contains(&DomainEvent::SiteStoppedHolding {
                site: SUB1_SITE,
                product_type: plan_type(),
            })
    );
    w.apply(&done.changes);
    assert_eq!(site_of(w, domain), None);
    let all: Vec<&Package> = w.packages.values().collect();
    assert!(dependents::violations(w, &all).is_empty());
}

#[test]
fn canceling_the_plan_floats_the_domain() {
    let mut w = world();
    let (plan, pkg, domain) = plan_and_domain(&mut w, &mut Ids::new());
    let done = cancel_instance(&w, &caller(SUB1), plan, later(1)).unwrap();
    floated_in_the_same_change(&mut w, done, pkg, domain);
    let domain_pkg = w.package(pkg).unwrap();
    assert_eq!(domain_pkg.updated(), later(1), "the floated package moved");
}

#[test]
fn canceling_the_plans_package_floats_the_domain() {
    let mut w = world();
    let mut ids = Ids::new();
    let plan = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let domain = buy(&mut w, &mut ids, SUB1, vec![item(DOMAIN, Some(SUB1_SITE))]);
    let done = cancel_package(&w, &caller(SUB1), plan.id(), later(1)).unwrap();
    floated_in_the_same_change(&mut w, done, domain.id(), domain.instances()[0].id());
}

#[test]
fn unassigning_or_moving_the_plan_away_floats_the_domain() {
    let mut w = world();
    let (plan, pkg, domain) = plan_and_domain(&mut w, &mut Ids::new());
    let done = unassign_instance(&w, &caller(SUB1), plan, later(1)).unwrap();
    floated_in_the_same_change(&mut w, done, pkg, domain);

    let mut w = world();
    let (plan, pkg, domain) = plan_and_domain(&mut w, &mut Ids::new());
    let done = assign_instance(&w, &caller(SUB1), plan, SUB1_SPARE, later(1)).unwrap();
    floated_in_the_same_change(&mut w, done, pkg, domain);
    assert_eq!(site_of(&w, plan), Some(SUB1_SPARE));
}

#[test]
fn a_plan_that_fails_or_awaits_action_floats_the_domain() {
    for status in [
        InstanceStatus::AwaitingAction,
        InstanceStatus::Failed(Failure {
            code: FailureCode::DeliveryTimeout,
            message: "late".into(),
        }),
    ] {
        let mut w = world();
        let (plan, pkg, domain) = plan_and_domain(&mut w, &mut Ids::new());
        let done = set_instance_status(&w, plan, status, later(1)).unwrap();
        floated_in_the_same_change(&mut w, done, pkg, domain);
    }
}

#[test]
fn the_domain_in_the_plans_own_package_is_floated_in_the_answer() {
    let mut w = world();
    let mut ids = Ids::new();
    let both = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE)), item(DOMAIN, None)],
    );
    let (plan, domain) = (both.instances()[0].id(), both.instances()[1].id());
    let done = assign_instance(&w, &caller(SUB1), domain, SUB1_SITE, later(1));
    apply(&mut w, done);
    let done = cancel_instance(&w, &caller(SUB1), plan, later(2)).unwrap();
    assert_eq!(done.changes.packages.len(), 1, "one package, stored once");
    assert_eq!(done.answer.instance(domain).unwrap().site(), None);
    assert_eq!(done.answer, done.changes.packages[0]);
}

#[test]
fn dependents_of_dependents_float_too_and_other_types_stay() {
    let mut w = world();
    let mut ids = Ids::new();
    let (plan, _, domain) = plan_and_domain(&mut w, &mut ids);
    let ssl = buy(&mut w, &mut ids, SUB1, vec![item(SSL, Some(SUB1_SITE))]);
    let mailbox = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(MAILBOX_LITE, Some(SUB1_SITE))],
    );
    let done = cancel_instance(&w, &caller(SUB1), plan, later(1)).unwrap();
    w.apply(&done.changes);
    assert_eq!(site_of(&w, domain), None);
    assert_eq!(
        site_of(&w, ssl.instances()[0].id()),
        None,
        "SSL needs DOMAIN"
    );
    assert_eq!(
        site_of(&w, mailbox.instances()[0].id()),
        Some(SUB1_SITE),
        "a mailbox requires nothing"
    );
}

#[test]
fn an_instance_that_keeps_its_type_on_the_site_floats_nothing() {
    let mut w = world();
    let (_, _, domain) = plan_and_domain(&mut w, &mut Ids::new());
    // Unassigning the domain itself leaves the plan: nothing else moves.
    let done = unassign_instance(&w, &caller(SUB1), domain, later(1)).unwrap();
    assert_eq!(done.changes.packages.len(), 1);
    assert!(
        !done
            .changes
            .events
            .iter()
            .any(|e| matches!(e, DomainEvent::SiteStoppedHolding { product_type, .. } if *product_type == plan_type()))
    );
}

#[test]
fn a_domain_needs_an_active_plan_not_one_awaiting_action() {
    let mut w = world();
    let mut ids = Ids::new();
    let plan = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let done = set_instance_status(
        &w,
        plan.instances()[0].id(),
        InstanceStatus::AwaitingAction,
        later(1),
    );
    apply(&mut w, done);
    let r = create_package(
        &w,
        &caller(SUB1),
        &create(vec![item(DOMAIN, Some(SUB1_SITE))]),
        later(2),
        &mut || ids.next(),
    )
    .unwrap_err();
    assert_eq!(codes(&r), ["PRODUCT_NOT_SUPPORTED_ON_SITE"]);
}

#[test]
fn expiring_products_get_an_expiration_date_one_cycle_after_creation() {
    let mut w = world();
    let mut ids = Ids::new();
    let p = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE)), item(DOMAIN, None)],
    );
    assert_eq!(p.instances()[0].expiration(), None, "plans renew");
    assert_eq!(
        p.instances()[1].expiration(),
        Some(Timestamp::parse_rfc3339("2027-01-01T00:00:00.000Z").unwrap())
    );
}

#[test]
fn cycles_add_in_calendar_arithmetic() {
    let at = |t: &str| Timestamp::parse_rfc3339(t).unwrap();
    let jan31 = at("2026-01-31T10:00:00.000Z");
    assert_eq!(
        Billing::monthly().after(jan31, 1),
        Some(at("2026-02-28T10:00:00.000Z"))
    );
    assert_eq!(
        Billing::monthly().after(at("2028-01-31T10:00:00.000Z"), 1),
        Some(at("2028-02-29T10:00:00.000Z")),
        "a leap year's February"
    );
    assert_eq!(
        Billing::OneTime.after(at("2028-02-29T00:00:00.000Z"), 1),
        Some(at("2029-02-28T00:00:00.000Z")),
        "ONE_TIME counts a year"
    );
    let weekly = Billing::Recurring(Cycle::one(CycleUnit::Week));
    assert_eq!(weekly.after(jan31, 2), Some(at("2026-02-14T10:00:00.000Z")));
    assert_eq!(Billing::yearly().after(jan31, 8000), None, "past 9999");
    assert_eq!(
        first_expiration(Some(Billing::yearly()), at("9999-06-01T00:00:00.000Z")),
        Timestamp::max_writable()
    );
}

#[test]
fn an_expired_domain_is_canceled_and_an_expired_plan_floats_its_domain() {
    let mut w = world();
    let mut ids = Ids::new();
    // Plans that expire, to see the dependents follow.
    w.catalog.get_mut(&PLAN_UNLIMITED).unwrap().expires = true;
    let (plan, pkg, domain) = plan_and_domain(&mut w, &mut ids);
    let due = w
        .package_of_instance(plan)
        .unwrap()
        .instance(plan)
        .unwrap()
        .expiration()
        .unwrap();
    let early = expire_instance(&w, plan, due.plus_millis(-1)).unwrap();
    assert!(early.changes.is_empty(), "not due yet");
    let done = expire_instance(&w, plan, due).unwrap();
    assert!(done.changes.events.contains(&DomainEvent::InstanceExpired {
        package: w.package_of_instance(plan).unwrap().id(),
        instance: plan,
    }));
    floated_in_the_same_change(&mut w, done, pkg, domain);
    let status = w
        .package_of_instance(plan)
        .unwrap()
        .instance(plan)
        .unwrap()
        .status()
        .name();
    assert_eq!(status, StatusName::Canceled);
    let again = expire_instance(&w, plan, due.plus_millis(1)).unwrap();
    assert!(
        again.changes.is_empty(),
        "a canceled instance stays as it is"
    );
}

#[test]
fn extend_moves_the_date_by_whole_cycles_and_refuses_what_cannot_expire() {
    let mut w = world();
    let mut ids = Ids::new();
    let (plan, _, domain) = plan_and_domain(&mut w, &mut ids);
    let done = extend_instance(&w, domain, 2, later(5)).unwrap();
    let extended = done.answer.instance(domain).unwrap();
    assert_eq!(
        extended.expiration(),
        Some(Timestamp::parse_rfc3339("2029-01-01T00:00:00.000Z").unwrap())
    );
    assert_eq!(extended.updated(), later(5));
    w.apply(&done.changes);
    let r = extend_instance(&w, plan, 1, later(6)).unwrap_err();
    assert_eq!(codes(&r), ["INSTANCE_NOT_EXTENDABLE"]);
    assert_eq!(r.primary().http_status(), 409);
    let r = extend_instance(&w, domain, 0, later(6)).unwrap_err();
    assert_eq!(r.primary().http_status(), 400);
    let done = cancel_instance(&w, &caller(SUB1), domain, later(7));
    apply(&mut w, done);
    let r = extend_instance(&w, domain, 1, later(8)).unwrap_err();
    assert_eq!(codes(&r), ["INSTANCE_NOT_EXTENDABLE"]);
}

#[test]
fn adjust_of_a_product_that_cannot_be_adjusted_is_428() {
    let mut w = world();
    let mut ids = Ids::new();
    let p = buy(&mut w, &mut ids, SUB1, vec![item(LOGO, None)]);
    let i = p.instances()[0].id();
    let r = adjust_instance(
        &w,
        &caller(SUB1),
        i,
        &Adjust {
            catalog_product_id: None,
            billing: Some(BillingRequest::of(Billing::OneTime)),
            discount_code: None,
        },
        later(1),
    )
    .unwrap_err();
    assert_eq!(codes(&r), ["OPERATION_NOT_SUPPORTED_FOR_PRODUCT"]);
    assert_eq!(r.primary().http_status(), 428);
    assert_eq!(
        r.primary().to_string(),
        format!("This action isn't supported for product `{}`.", LOGO)
    );
}
