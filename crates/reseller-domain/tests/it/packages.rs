//! Create, get, cancel, assign, unassign, adjust, update external id and status
//! moves: one test per rule, each asserting the Wix code and status.

use reseller_domain::billing::{WixDuration, WixUnit};
use reseller_domain::error::MissingDetail;
use reseller_domain::ops::*;
use reseller_domain::*;

use crate::fixture::*;

fn refuse(w: &World, account: AccountId, products: Vec<NewInstance>) -> Refusal {
    let mut ids = Ids::new();
    create_package(w, &caller(account), &create(products), now(), &mut || {
        ids.next()
    })
    .unwrap_err()
}

#[test]
fn r1_1_package_belongs_to_header_account_with_parent() {
    let mut w = world();
    let mut ids = Ids::new();
    let p = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    assert_eq!(p.account_id(), SUB1);
    assert_eq!(p.parent_account_id(), Some(MAIN));
    let m = buy(&mut w, &mut ids, MAIN, vec![item(PLAN_UNLIMITED, None)]);
    assert_eq!(m.parent_account_id(), Some(MAIN));
}

#[test]
fn r1_2_site_id_assigns_and_r1_12_instances_start_pending() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let i = &p.instances()[0];
    assert_eq!(i.site(), Some(SUB1_SITE));
    assert_eq!(i.status(), &InstanceStatus::Pending);
    assert_eq!(i.created(), now());
    assert_eq!(p.created(), now());
    assert_eq!(i.billing(), Some(Billing::yearly()));
    assert_eq!(i.country_code().unwrap().as_str(), "BR");
}

#[test]
fn r1_3_no_site_id_is_floating() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, None)],
    );
    assert_eq!(p.instances()[0].assignment(), Assignment::Floating);
}

#[test]
fn r1_2_site_of_another_account_is_site_not_found_404_naming_the_owner() {
    let r = refuse(&world(), SUB1, vec![item(PLAN_UNLIMITED, Some(SUB2_SITE))]);
    assert_eq!(codes(&r), ["SITE_NOT_FOUND"]);
    assert_eq!(r.primary().http_status(), 404);
    assert_eq!(
        r.primary().to_string(),
        format!(
            "Site `{}` is not owned by `{}`, but by `{}`.",
            SUB2_SITE, SUB1, SUB2
        )
    );
    let r = refuse(
        &world(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(UNKNOWN_SITE))],
    );
    assert_eq!(codes(&r), ["SITE_NOT_FOUND"]);
}

#[test]
fn r1_4_unknown_account_is_account_not_found_404() {
    let r = refuse(&world(), UNKNOWN_ACCOUNT, vec![item(PLAN_UNLIMITED, None)]);
    assert_eq!(codes(&r), ["ACCOUNT_NOT_FOUND"]);
    assert_eq!(r.primary().http_status(), 404);
    assert_eq!(
        r.primary().to_string(),
        format!("Account with id `{}` was not found.", UNKNOWN_ACCOUNT)
    );
}

#[test]
fn r1_5_unknown_product_is_product_not_found_404() {
    let r = refuse(&world(), SUB1, vec![item(UNKNOWN_PRODUCT, None)]);
    assert_eq!(codes(&r), ["PRODUCT_NOT_FOUND"]);
    assert_eq!(r.primary().http_status(), 404);
    assert_eq!(r.primary().to_string(), "Product id not found in catalog.");
}

#[test]
fn r1_5_not_resellable_is_invalid_products_428() {
    let r = refuse(&world(), SUB1, vec![item(NOT_RESELLABLE, None)]);
    assert_eq!(codes(&r), ["INVALID_PRODUCTS"]);
    assert_eq!(r.primary().http_status(), 428);
    assert_eq!(
        r.primary().to_string(),
        format!("Invalid products: `{}`.", NOT_RESELLABLE)
    );
}

#[test]
fn r1_5_product_without_settings_is_product_settings_not_found_428() {
    let r = refuse(&world(), SUB1, vec![item(NO_SETTINGS, None)]);
    assert_eq!(codes(&r), ["PRODUCT_SETTINGS_NOT_FOUND"]);
    assert_eq!(r.primary().http_status(), 428);
}

#[test]
fn r1_6_subscription_limit_counts_the_family_and_the_request() {
    let mut w = world();
    let mut ids = Ids::new();
    buy(&mut w, &mut ids, SUB1, vec![item(MAILBOX, None)]);
    // The family (MAIN + SUB1 + SUB2) holds one; two more in one request exceed 2.
    let r = refuse(&w, SUB2, vec![item(MAILBOX, None), item(MAILBOX, None)]);
    assert_eq!(codes(&r), ["PRODUCT_LIMIT_EXCEEDED"]);
    assert_eq!(
        r.primary().to_string(),
        format!(
            "Limit for product `{}` exceeded, number of current subscriptions `1`.",
            MAILBOX
        )
    );
    // Another family is not counted.
    buy(
        &mut w,
        &mut ids,
        OTHER,
        vec![item(MAILBOX, None), item(MAILBOX, None)],
    );
    // Canceled instances free their slot.
    let second = buy(&mut w, &mut ids, SUB2, vec![item(MAILBOX, None)]);
    assert_eq!(
        codes(&refuse(&w, SUB1, vec![item(MAILBOX, None)])),
        ["PRODUCT_LIMIT_EXCEEDED"]
    );
    let done = cancel_package(&w, &caller(SUB2), second.id(), later(1));
    apply(&mut w, done);
    buy(&mut w, &mut ids, SUB1, vec![item(MAILBOX, None)]);
}

#[test]
fn r1_7_several_cycles_and_none_given_is_missing_billing_cycle() {
    let mut p = item(PLAN_UNLIMITED, None);
    p.billing = None;
    let r = refuse(&world(), SUB1, vec![p.clone()]);
    assert_eq!(codes(&r), ["MISSING_BILLING_CYCLE"]);
    assert_eq!(
        r.primary().to_string(),
        format!(
            "Product `{}` must receive a cycle upon creating.",
            PLAN_UNLIMITED
        )
    );
    // `UNKNOWN` means "not set".
    p.billing = Some(ops::BillingRequest {
        kind: BillingKind::Unknown,
        duration: None,
    });
    assert_eq!(
        codes(&refuse(&world(), SUB1, vec![p])),
        ["MISSING_BILLING_CYCLE"]
    );
}

#[test]
fn r1_7_a_single_cycle_product_takes_its_cycle() {
    let mut w = world();
    let mut p = item(PLAN_WEBSITE, None);
    p.billing = None;
    let pkg = buy(&mut w, &mut Ids::new(), SUB1, vec![p, item(ASCEND, None)]);
    assert_eq!(pkg.instances()[0].billing(), Some(Billing::yearly()));
    assert_eq!(pkg.instances()[1].billing(), Some(Billing::OneTime));
}

#[test]
fn r1_7_unsupported_duration_is_incompatible_billing_cycle() {
    let mut p = item(PLAN_WEBSITE, None);
    p.billing = Some(ops::BillingRequest::of(Billing::monthly()));
    let r = refuse(&world(), SUB1, vec![p]);
    assert_eq!(codes(&r), ["INCOMPATIBLE_BILLING_CYCLE"]);
    assert_eq!(
        r.primary().to_string(),
        format!(
            "Product `{}` cannot be used with cycle: `RECURRING 1 MONTH`, it is not one of `RECURRING 1 YEAR`.",
            PLAN_WEBSITE
        )
    );
}

#[test]
fn r1_7_unoffered_kind_or_recurring_without_duration_is_invalid_billing_cycle() {
    let mut p = item(PLAN_UNLIMITED, None);
    p.billing = Some(ops::BillingRequest::of(Billing::OneTime));
    let r = refuse(&world(), SUB1, vec![p.clone()]);
    assert_eq!(codes(&r), ["INVALID_BILLING_CYCLE"]);
    assert_eq!(r.primary().http_status(), 428);
    p.billing = Some(ops::BillingRequest {
        kind: BillingKind::Recurring,
        duration: None,
    });
    assert_eq!(
        codes(&refuse(&world(), SUB1, vec![p.clone()])),
        ["INVALID_BILLING_CYCLE"]
    );
    p.billing = Some(ops::BillingRequest {
        kind: BillingKind::Recurring,
        duration: Some(WixDuration {
            unit: WixUnit::Unknown,
            count: Some(1),
        }),
    });
    assert_eq!(
        codes(&refuse(&world(), SUB1, vec![p])),
        ["INVALID_BILLING_CYCLE"]
    );
}

#[test]
fn r1_8_two_products_of_one_type_on_one_site_is_multiple_product_assignments() {
    let r = refuse(
        &world(),
        SUB1,
        vec![
            item(PLAN_UNLIMITED, Some(SUB1_SITE)),
            item(PLAN_VIP, Some(SUB1_SITE)),
        ],
    );
    assert_eq!(codes(&r), ["MULTIPLE_PRODUCT_ASSIGNMENTS"]);
    assert_eq!(
        r.primary().to_string(),
        format!(
            "Trying to assign products: `{}, {}` that cannot be assigned simultaneously to the same site `{}`.",
            PLAN_UNLIMITED, PLAN_VIP, SUB1_SITE
        )
    );
    // Different sites, or different types on one site, are fine.
    let mut w = world();
    buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![
            item(PLAN_UNLIMITED, Some(SUB1_SITE)),
            item(PLAN_VIP, Some(SUB1_SPARE)),
        ],
    );
}

#[test]
fn r1_8_a_site_holds_one_live_instance_per_product_type() {
    let mut w = world();
    let mut ids = Ids::new();
    let first = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let r = refuse(&w, SUB1, vec![item(PLAN_VIP, Some(SUB1_SITE))]);
    assert_eq!(codes(&r), ["PRODUCT_TYPE_ALREADY_ASSIGNED"]);
    assert_eq!(
        r.primary().to_string(),
        format!(
            "Product type: `PREMIUM_PLAN` is allowed only as one instance per site and site `{}` already has one product of that type.",
            SUB1_SITE
        )
    );
    // Once canceled, the type is free again.
    let done = cancel_package(&w, &caller(SUB1), first.id(), later(1));
    apply(&mut w, done);
    buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_VIP, Some(SUB1_SITE))],
    );
}

#[test]
fn r1_9_a_domain_needs_a_premium_plan_on_the_site_first() {
    let mut w = world();
    let mut ids = Ids::new();
    let r = refuse(&w, SUB1, vec![item(DOMAIN, Some(SUB1_SITE))]);
    assert_eq!(codes(&r), ["PRODUCT_NOT_SUPPORTED_ON_SITE"]);
    assert_eq!(
        r.primary().to_string(),
        format!(
            "Site `{}` is not compatible with product `{}`.",
            SUB1_SITE, DOMAIN
        )
    );
    // Not even in the same request: Wix's advice is two packages, essential first.
    let r = refuse(
        &w,
        SUB1,
        vec![
            item(PLAN_UNLIMITED, Some(SUB1_SITE)),
            item(DOMAIN, Some(SUB1_SITE)),
        ],
    );
    assert_eq!(codes(&r), ["PRODUCT_NOT_SUPPORTED_ON_SITE"]);
    buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    buy(&mut w, &mut ids, SUB1, vec![item(DOMAIN, Some(SUB1_SITE))]);
    // A floating domain needs nothing.
    buy(&mut w, &mut ids, SUB1, vec![item(DOMAIN, None)]);
}

#[test]
fn r1_11_create_requires_country_code_on_every_product() {
    let mut a = item(PLAN_UNLIMITED, None);
    a.country_code = None;
    let b = item(PLAN_VIP, None);
    let mut c = item(ASCEND, None);
    c.country_code = None;
    let r = refuse(&world(), SUB1, vec![a.clone(), b, c]);
    let Violation::InvalidFields(fields) = r.primary() else {
        panic!("{r}")
    };
    assert_eq!(r.primary().http_status(), 400);
    let paths: Vec<_> = fields.iter().map(|f| (f.field.as_str(), f.rule)).collect();
    assert_eq!(
        paths,
        [
            ("products[0].countryCode", RuleType::RequiredField),
            ("products[2].countryCode", RuleType::RequiredField)
        ]
    );
}

#[test]
fn products_must_number_1_to_1000() {
    let r = refuse(&world(), SUB1, vec![]);
    let Violation::InvalidFields(f) = r.primary() else {
        panic!()
    };
    assert_eq!(
        (f[0].field.as_str(), f[0].rule),
        ("products", RuleType::MinSize)
    );
    let r = refuse(&world(), SUB1, vec![item(MAILBOX_LITE, None); 1001]);
    let Violation::InvalidFields(f) = r.primary() else {
        panic!()
    };
    assert_eq!(
        (f[0].field.as_str(), f[0].rule),
        ("products", RuleType::MaxSize)
    );
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(MAILBOX_LITE, None); 1000],
    );
    assert_eq!(p.instances().len(), 1000);
}

#[test]
fn a_cycle_count_below_one_is_a_field_violation() {
    let mut p = item(PLAN_UNLIMITED, None);
    p.billing = Some(ops::BillingRequest {
        kind: BillingKind::Recurring,
        duration: Some(WixDuration {
            unit: WixUnit::Year,
            count: Some(0),
        }),
    });
    let r = refuse(&world(), SUB1, vec![p]);
    let Violation::InvalidFields(f) = r.primary() else {
        panic!()
    };
    assert_eq!(
        (f[0].field.as_str(), f[0].rule),
        ("products[0].billingInfo.cycleDuration.count", RuleType::Min)
    );
}

#[test]
fn create_reports_every_broken_rule_in_rule_order() {
    let mut no_cycle = item(PLAN_UNLIMITED, Some(SUB2_SITE));
    no_cycle.billing = None;
    let r = refuse(
        &world(),
        SUB1,
        vec![
            no_cycle,
            item(UNKNOWN_PRODUCT, None),
            item(NOT_RESELLABLE, None),
        ],
    );
    assert_eq!(
        codes(&r),
        [
            "PRODUCT_NOT_FOUND",
            "INVALID_PRODUCTS",
            "MISSING_BILLING_CYCLE",
            "SITE_NOT_FOUND"
        ]
    );
    assert_eq!(r.primary().http_status(), 404);
}

#[test]
fn r1_10_a_reference_instance_is_a_single_use_voucher() {
    let mut w = world();
    let mut ids = Ids::new();
    let plan = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let voucher = plan.instances()[0].id();
    let mut domain = item(DOMAIN, None);
    domain.reference = Some(voucher);
    let add_on = buy(&mut w, &mut ids, SUB1, vec![domain.clone()]);
    assert_eq!(add_on.instances()[0].reference(), Some(voucher));
    let stored = w.package(plan.id()).unwrap();
    assert!(stored.instances()[0].used_as_reference());
    assert_eq!(
        stored.updated(),
        plan.updated(),
        "using a voucher is not a visible change"
    );
    let r = refuse(&w, SUB1, vec![domain]);
    assert_eq!(codes(&r), ["INVALID_REFERENCE_PRODUCT_INSTANCE_ID"]);
    assert_eq!(r.primary().http_status(), 404);
    assert_eq!(
        r.primary().to_string(),
        "Reference product instance ID is invalid or has already been used."
    );
    assert!(matches!(
        r.primary(),
        Violation::InvalidReference {
            problem: ReferenceProblem::AlreadyUsed,
            ..
        }
    ));
}

#[test]
fn r1_10_only_a_product_that_grants_the_type_is_a_voucher_and_a_refusal_consumes_nothing() {
    let mut w = world();
    let mut ids = Ids::new();
    let plans = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![
            item(PLAN_WEBSITE, Some(SUB1_SITE)),
            item(PLAN_UNLIMITED, Some(SUB1_SPARE)),
        ],
    );
    let (website, unlimited) = (plans.instances()[0].id(), plans.instances()[1].id());
    // Website grants no voucher at all; Unlimited grants one for DOMAIN only.
    let mut d = item(DOMAIN, None);
    d.reference = Some(website);
    let r = refuse(&w, SUB1, vec![d.clone()]);
    assert_eq!(codes(&r), ["INVALID_REFERENCE_PRODUCT_INSTANCE_ID"]);
    assert!(matches!(
        r.primary(),
        Violation::InvalidReference {
            problem: ReferenceProblem::NotEligible,
            ..
        }
    ));
    let mut mailbox = item(MAILBOX_LITE, None);
    mailbox.reference = Some(unlimited);
    let r = refuse(&w, SUB1, vec![mailbox]);
    assert_eq!(codes(&r), ["INVALID_REFERENCE_PRODUCT_INSTANCE_ID"]);
    // A create refused for another product consumes no reference.
    let mut good = item(DOMAIN, None);
    good.reference = Some(unlimited);
    let r = refuse(&w, SUB1, vec![good.clone(), item(NOT_RESELLABLE, None)]);
    assert_eq!(codes(&r), ["INVALID_PRODUCTS"]);
    assert!(!w.package(plans.id()).unwrap().instances()[1].used_as_reference());
    buy(&mut w, &mut ids, SUB1, vec![good]);
    assert!(w.package(plans.id()).unwrap().instances()[1].used_as_reference());
}

#[test]
fn r1_10_the_same_reference_twice_in_one_request_is_already_used() {
    let mut w = world();
    let mut ids = Ids::new();
    let plan = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let mut d = item(DOMAIN, None);
    d.reference = Some(plan.instances()[0].id());
    assert_eq!(
        codes(&refuse(&w, SUB1, vec![d.clone(), d])),
        ["INVALID_REFERENCE_PRODUCT_INSTANCE_ID"]
    );
}

#[test]
fn r1_10_reference_must_be_pending_or_enabled() {
    let mut w = world();
    let mut ids = Ids::new();
    let plan = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE)), item(PLAN_VIP, None)],
    );
    let (a, b) = (plan.instances()[0].id(), plan.instances()[1].id());
    let done = set_instance_status(&w, a, InstanceStatus::Enabled, later(1));
    apply(&mut w, done);
    let mut d = item(DOMAIN, None);
    d.reference = Some(a);
    buy(&mut w, &mut ids, SUB1, vec![d.clone()]);
    let done = set_instance_status(&w, b, InstanceStatus::AwaitingAction, later(2));
    apply(&mut w, done);
    d.reference = Some(b);
    let r = refuse(&w, SUB1, vec![d.clone()]);
    assert_eq!(codes(&r), ["INVALID_REFERENCE_PRODUCT_INSTANCE_ID"]);
    let done = cancel_instance(&w, &caller(SUB1), b, later(3));
    apply(&mut w, done);
    assert_eq!(
        codes(&refuse(&w, SUB1, vec![d])),
        ["INVALID_REFERENCE_PRODUCT_INSTANCE_ID"]
    );
}

#[test]
fn r1_10_reference_must_exist_in_the_callers_family() {
    let mut w = world();
    let mut ids = Ids::new();
    let foreign = buy(
        &mut w,
        &mut ids,
        OTHER,
        vec![item(PLAN_UNLIMITED, Some(OTHER_SITE))],
    );
    let sibling = buy(
        &mut w,
        &mut ids,
        SUB2,
        vec![item(PLAN_UNLIMITED, Some(SUB2_SITE))],
    );
    let mut d = item(DOMAIN, None);
    d.reference = Some(foreign.instances()[0].id());
    assert_eq!(
        codes(&refuse(&w, SUB1, vec![d.clone()])),
        ["INVALID_REFERENCE_PRODUCT_INSTANCE_ID"]
    );
    d.reference = Some(UNKNOWN_INSTANCE);
    assert_eq!(
        codes(&refuse(&w, SUB1, vec![d.clone()])),
        ["INVALID_REFERENCE_PRODUCT_INSTANCE_ID"]
    );
    d.reference = Some(sibling.instances()[0].id());
    buy(&mut w, &mut ids, SUB1, vec![d]);
}

#[test]
fn external_id_and_discount_code_are_kept() {
    let mut w = world();
    let mut p = item(PLAN_UNLIMITED, None);
    p.discount_code = Some(DiscountCode::new("BLACKFRIDAY").unwrap());
    let mut cmd = create(vec![p]);
    cmd.external_id = Some(ExternalId::new("order-4711").unwrap());
    let mut ids = Ids::new();
    let done = create_package(&w, &caller(SUB1), &cmd, now(), &mut || ids.next());
    let pkg = apply(&mut w, done);
    assert_eq!(pkg.external_id().unwrap().as_str(), "order-4711");
    assert_eq!(
        pkg.instances()[0].discount_code().unwrap().as_str(),
        "BLACKFRIDAY"
    );
}

#[test]
fn get_package_of_another_account_is_package_not_found_404() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, None)],
    );
    assert_eq!(get_package(&w, &caller(SUB1), p.id()).unwrap().id(), p.id());
    for who in [SUB2, MAIN] {
        let r = get_package(&w, &caller(who), p.id()).unwrap_err();
        assert_eq!(codes(&r), ["PACKAGE_NOT_FOUND"]);
        assert_eq!(r.primary().http_status(), 404);
    }
    let r = get_package(&w, &caller(SUB1), UNKNOWN_PACKAGE).unwrap_err();
    assert_eq!(codes(&r), ["PACKAGE_NOT_FOUND"]);
}

#[test]
fn r4_cancel_package_cancels_live_instances_and_keeps_failed_ones() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE)), item(PLAN_VIP, None)],
    );
    let failed = p.instances()[1].id();
    let reason = Failure {
        code: FailureCode::DeliveryTimeout,
        message: "late".into(),
    };
    let done = set_instance_status(&w, failed, InstanceStatus::Failed(reason.clone()), later(1));
    apply(&mut w, done);
    let done = cancel_package(&w, &caller(SUB1), p.id(), later(2)).unwrap();
    assert!(
        done.changes
            .events
            .contains(&DomainEvent::PackageCanceled { package: p.id() })
    );
    w.apply(&done.changes);
    let c = done.answer;
    assert_eq!(c.instances()[0].status(), &InstanceStatus::Canceled);
    assert_eq!(c.instances()[1].status(), &InstanceStatus::Failed(reason));
    assert_eq!(c.updated(), later(2));
    // Again: 200, nothing changes.
    let again = cancel_package(&w, &caller(SUB1), p.id(), later(3)).unwrap();
    assert!(again.changes.is_empty());
    assert_eq!(again.answer, c);
    assert_eq!(
        codes(&cancel_package(&w, &caller(SUB2), p.id(), later(3)).unwrap_err()),
        ["PACKAGE_NOT_FOUND"]
    );
}

#[test]
fn r5_3_assign_moves_between_sites_directly() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let i = p.instances()[0].id();
    let done = assign_instance(&w, &caller(SUB1), i, SUB1_SPARE, later(1)).unwrap();
    assert_eq!(
        done.changes.events,
        [
            DomainEvent::InstanceAssigned {
                package: p.id(),
                instance: i,
                site: SUB1_SPARE,
                previous: Some(SUB1_SITE)
            },
            DomainEvent::SiteStoppedHolding {
                site: SUB1_SITE,
                product_type: ProductType::new("PREMIUM_PLAN").unwrap()
            }
        ]
    );
    w.apply(&done.changes);
    assert_eq!(done.answer.instances()[0].site(), Some(SUB1_SPARE));
    assert_eq!(done.answer.updated(), later(1));
    // The same site again: nothing changes.
    assert!(
        assign_instance(&w, &caller(SUB1), i, SUB1_SPARE, later(2))
            .unwrap()
            .changes
            .is_empty()
    );
}

#[test]
fn r5_3_a_refused_move_leaves_the_instance_where_it_was() {
    let mut w = world();
    let mut ids = Ids::new();
    buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_VIP, Some(SUB1_SPARE))],
    );
    let p = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let i = p.instances()[0].id();
    let r = assign_instance(&w, &caller(SUB1), i, SUB1_SPARE, later(1)).unwrap_err();
    assert_eq!(codes(&r), ["PRODUCT_TYPE_ALREADY_ASSIGNED"]);
    assert_eq!(
        w.package_of_instance(i)
            .unwrap()
            .instance(i)
            .unwrap()
            .site(),
        Some(SUB1_SITE)
    );
}

#[test]
fn r5_4_assign_checks_ownership_type_and_prerequisites() {
    let mut w = world();
    let mut ids = Ids::new();
    let p = buy(&mut w, &mut ids, SUB1, vec![item(DOMAIN, None)]);
    let i = p.instances()[0].id();
    assert_eq!(
        codes(&assign_instance(&w, &caller(SUB1), i, SUB2_SITE, later(1)).unwrap_err()),
        ["SITE_NOT_FOUND"]
    );
    assert_eq!(
        codes(&assign_instance(&w, &caller(SUB1), i, SUB1_SITE, later(1)).unwrap_err()),
        ["PRODUCT_NOT_SUPPORTED_ON_SITE"]
    );
    buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let done = assign_instance(&w, &caller(SUB1), i, SUB1_SITE, later(2));
    apply(&mut w, done);
}

#[test]
fn r5_5_assign_of_a_canceled_or_failed_instance_is_incompatible_status() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, None), item(PLAN_VIP, None)],
    );
    let (a, b) = (p.instances()[0].id(), p.instances()[1].id());
    let done = cancel_instance(&w, &caller(SUB1), a, later(1));
    apply(&mut w, done);
    let failed = InstanceStatus::Failed(Failure {
        code: FailureCode::ExternalFailure,
        message: "x".into(),
    });
    let done = set_instance_status(&w, b, failed, later(1));
    apply(&mut w, done);
    for (i, status) in [(a, "CANCELED"), (b, "FAILED")] {
        let r = assign_instance(&w, &caller(SUB1), i, SUB1_SITE, later(2)).unwrap_err();
        assert_eq!(codes(&r), ["INCOMPATIBLE_PRODUCT_INSTANCE_STATUS"]);
        assert_eq!(
            r.primary().to_string(),
            format!("Product instance with id `{i}` is with incompatible status `{status}`.")
        );
    }
}

#[test]
fn instance_of_another_account_is_product_instance_not_found_428() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, None)],
    );
    let i = p.instances()[0].id();
    let other = caller(SUB2);
    let checks = [
        assign_instance(&w, &other, i, SUB2_SITE, later(1)).unwrap_err(),
        unassign_instance(&w, &other, i, later(1)).unwrap_err(),
        cancel_instance(&w, &other, i, later(1)).unwrap_err(),
        adjust_instance(
            &w,
            &other,
            i,
            &Adjust {
                catalog_product_id: Some(PLAN_VIP),
                billing: None,
                discount_code: None,
            },
            later(1),
        )
        .unwrap_err(),
    ];
    for r in checks {
        assert_eq!(codes(&r), ["PRODUCT_INSTANCE_NOT_FOUND"]);
        assert_eq!(r.primary().http_status(), 428);
    }
}

#[test]
fn r6_unassign_makes_floating_and_a_floating_instance_stays() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let i = p.instances()[0].id();
    let done = unassign_instance(&w, &caller(SUB1), i, later(1)).unwrap();
    assert_eq!(
        done.changes.events,
        [
            DomainEvent::InstanceUnassigned {
                package: p.id(),
                instance: i,
                previous: SUB1_SITE
            },
            DomainEvent::SiteStoppedHolding {
                site: SUB1_SITE,
                product_type: ProductType::new("PREMIUM_PLAN").unwrap()
            }
        ]
    );
    w.apply(&done.changes);
    assert_eq!(
        done.answer.instances()[0].assignment(),
        Assignment::Floating
    );
    let again = unassign_instance(&w, &caller(SUB1), i, later(2)).unwrap();
    assert!(again.changes.is_empty());
    // Floating again, it can be assigned (R6.3).
    let done = assign_instance(&w, &caller(SUB1), i, SUB1_THIRD, later(3));
    apply(&mut w, done);
}

#[test]
fn r7_cancel_instance_leaves_the_others_and_is_safe_to_repeat() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE)), item(ASCEND, None)],
    );
    let i = p.instances()[0].id();
    let done = cancel_instance(&w, &caller(SUB1), i, later(1)).unwrap();
    w.apply(&done.changes);
    assert_eq!(
        done.answer.instances()[0].status(),
        &InstanceStatus::Canceled
    );
    assert_eq!(
        done.answer.instances()[1].status(),
        &InstanceStatus::Pending
    );
    assert!(
        cancel_instance(&w, &caller(SUB1), i, later(2))
            .unwrap()
            .changes
            .is_empty()
    );
}

fn adjust(w: &World, i: InstanceId, a: Adjust) -> Result<Package, Refusal> {
    adjust_instance(w, &caller(SUB1), i, &a, later(5)).map(|d| d.answer)
}

fn swap(p: CatalogProductId) -> Adjust {
    Adjust {
        catalog_product_id: Some(p),
        billing: None,
        discount_code: None,
    }
}

#[test]
fn r8_2_adjust_needs_a_product_or_a_billing_three_messages() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let i = p.instances()[0].id();
    let none = Adjust {
        catalog_product_id: None,
        billing: None,
        discount_code: None,
    };
    let r = adjust(&w, i, none).unwrap_err();
    assert_eq!(
        r.primary(),
        &Violation::MissingProductDetails(MissingDetail::CatalogProductId)
    );
    assert_eq!(
        r.primary().to_string(),
        "You haven't provided `catalogProductId`."
    );
    let empty = Adjust {
        catalog_product_id: None,
        billing: Some(ops::BillingRequest {
            kind: BillingKind::Unknown,
            duration: None,
        }),
        discount_code: None,
    };
    let r = adjust(&w, i, empty).unwrap_err();
    assert_eq!(
        r.primary().to_string(),
        "You haven't provided `billingInfo`."
    );
    assert_eq!(r.primary().http_status(), 428);
}

#[test]
fn r8_4_a_recurring_change_needs_its_cycle_duration() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let a = Adjust {
        catalog_product_id: None,
        billing: Some(ops::BillingRequest {
            kind: BillingKind::Recurring,
            duration: None,
        }),
        discount_code: None,
    };
    let r = adjust(&w, p.instances()[0].id(), a).unwrap_err();
    assert_eq!(codes(&r), ["MISSING_PRODUCT_DETAILS"]);
    assert_eq!(
        r.primary().to_string(),
        "You haven't provided `cycleDuration`. The field is required for`RECURRING` billing types."
    );
}

#[test]
fn r8_3_adjust_swaps_only_within_the_product_type() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let i = p.instances()[0].id();
    let r = adjust(&w, i, swap(DOMAIN)).unwrap_err();
    assert_eq!(codes(&r), ["INCOMPATIBLE_PRODUCT"]);
    assert_eq!(
        r.primary().to_string(),
        format!(
            "Cannot change asset from product of type `PREMIUM_PLAN` with id `{}` to product with id: `{}`.",
            PLAN_UNLIMITED, DOMAIN
        )
    );
    let up = adjust(&w, i, swap(PLAN_VIP)).unwrap();
    assert_eq!(up.instances()[0].catalog_product_id(), PLAN_VIP);
    assert_eq!(
        up.instances()[0].billing(),
        Some(Billing::yearly()),
        "the cycle is kept when supported"
    );
    assert_eq!(up.instances()[0].updated(), later(5));
}

#[test]
fn r8_6_adjust_applies_the_catalog_rules_of_create() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let i = p.instances()[0].id();
    assert_eq!(
        codes(&adjust(&w, i, swap(UNKNOWN_PRODUCT)).unwrap_err()),
        ["PRODUCT_NOT_FOUND"]
    );
    assert_eq!(
        codes(&adjust(&w, i, swap(NOT_RESELLABLE)).unwrap_err()),
        ["INVALID_PRODUCTS"]
    );
    assert_eq!(
        codes(&adjust(&w, i, swap(NO_SETTINGS)).unwrap_err()),
        ["PRODUCT_SETTINGS_NOT_FOUND"]
    );
    let monthly = Adjust {
        catalog_product_id: Some(PLAN_WEBSITE),
        billing: Some(ops::BillingRequest::of(Billing::monthly())),
        discount_code: None,
    };
    assert_eq!(
        codes(&adjust(&w, i, monthly).unwrap_err()),
        ["INCOMPATIBLE_BILLING_CYCLE"]
    );
    let one_time = Adjust {
        catalog_product_id: None,
        billing: Some(ops::BillingRequest::of(Billing::OneTime)),
        discount_code: None,
    };
    assert_eq!(
        codes(&adjust(&w, i, one_time).unwrap_err()),
        ["INVALID_BILLING_CYCLE"]
    );
}

#[test]
fn r8_adjust_billing_resolution_when_swapping() {
    let mut w = world();
    let mut ids = Ids::new();
    let mut monthly = item(PLAN_UNLIMITED, Some(SUB1_SITE));
    monthly.billing = Some(ops::BillingRequest::of(Billing::monthly()));
    let p = buy(&mut w, &mut ids, SUB1, vec![monthly]);
    let i = p.instances()[0].id();
    // Monthly is not sold for the website plan: its only cycle is taken.
    let q = adjust(&w, i, swap(PLAN_WEBSITE)).unwrap();
    assert_eq!(q.instances()[0].billing(), Some(Billing::yearly()));
    // A plan with a single yearly cycle swapped to one with several keeps yearly.
    let mut website = item(PLAN_WEBSITE, Some(SUB1_SPARE));
    website.billing = None;
    let p2 = buy(&mut w, &mut ids, SUB1, vec![website]);
    let q = adjust(&w, p2.instances()[0].id(), swap(PLAN_VIP)).unwrap();
    assert_eq!(q.instances()[0].billing(), Some(Billing::yearly()));
    // A billing-only change.
    let change = Adjust {
        catalog_product_id: None,
        billing: Some(ops::BillingRequest::of(Billing::monthly())),
        discount_code: None,
    };
    assert_eq!(
        adjust(&w, i, change).unwrap().instances()[0].billing(),
        Some(Billing::monthly())
    );
}

#[test]
fn r8_discount_code_counts_only_with_a_new_product() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let i = p.instances()[0].id();
    let code = Some(DiscountCode::new("SALE25").unwrap());
    let alone = Adjust {
        catalog_product_id: None,
        billing: Some(ops::BillingRequest::of(Billing::monthly())),
        discount_code: code.clone(),
    };
    assert_eq!(
        adjust(&w, i, alone).unwrap().instances()[0].discount_code(),
        None
    );
    let with = Adjust {
        catalog_product_id: Some(PLAN_VIP),
        billing: None,
        discount_code: code,
    };
    assert_eq!(
        adjust(&w, i, with).unwrap().instances()[0]
            .discount_code()
            .unwrap()
            .as_str(),
        "SALE25"
    );
}

#[test]
fn r8_5_adjust_of_a_canceled_instance_is_incompatible_status() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    let i = p.instances()[0].id();
    let done = cancel_instance(&w, &caller(SUB1), i, later(1));
    apply(&mut w, done);
    assert_eq!(
        codes(&adjust(&w, i, swap(PLAN_VIP)).unwrap_err()),
        ["INCOMPATIBLE_PRODUCT_INSTANCE_STATUS"]
    );
    let unknown = UNKNOWN_INSTANCE;
    assert_eq!(
        codes(&adjust(&w, unknown, swap(PLAN_VIP)).unwrap_err()),
        ["PRODUCT_INSTANCE_NOT_FOUND"]
    );
}

#[test]
fn r8_6_adjust_respects_limits_and_site_ownership() {
    let mut w = world();
    let mut ids = Ids::new();
    let mut other = w.catalog[&ASCEND].clone();
    other.id = product(0x50);
    other.subscription_limit = Some(1);
    w.catalog.insert(other.id, other);
    buy(&mut w, &mut ids, SUB2, vec![item(ASCEND, None)]);
    let mut x = item(product(0x50), None);
    x.billing = None;
    buy(&mut w, &mut ids, SUB2, vec![x]);
    let p = buy(&mut w, &mut ids, SUB1, vec![item(ASCEND, None)]);
    assert_eq!(
        codes(&adjust(&w, p.instances()[0].id(), swap(product(0x50))).unwrap_err()),
        ["PRODUCT_LIMIT_EXCEEDED"]
    );
    // A site that left the account (transferred away) is SITE_NOT_FOUND.
    let q = buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_THIRD))],
    );
    w.sites.get_mut(&SUB1_THIRD).unwrap().owner = SUB2;
    assert_eq!(
        codes(&adjust(&w, q.instances()[0].id(), swap(PLAN_VIP)).unwrap_err()),
        ["SITE_NOT_FOUND"]
    );
}

#[test]
fn e9_update_external_id() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, None)],
    );
    let e = ExternalId::new("order-4711").unwrap();
    let done = update_external_id(&w, &caller(SUB1), p.id(), e.clone(), later(1)).unwrap();
    assert_eq!(done.answer.external_id(), Some(&e));
    assert_eq!(done.answer.updated(), later(1));
    w.apply(&done.changes);
    assert!(
        update_external_id(&w, &caller(SUB1), p.id(), e.clone(), later(2))
            .unwrap()
            .changes
            .is_empty()
    );
    assert_eq!(
        codes(&update_external_id(&w, &caller(SUB2), p.id(), e, later(2)).unwrap_err()),
        ["PACKAGE_NOT_FOUND"]
    );
}

#[test]
fn provisioning_moves_only_along_legal_edges() {
    let mut w = world();
    let p = buy(
        &mut w,
        &mut Ids::new(),
        SUB1,
        vec![item(PLAN_UNLIMITED, None)],
    );
    let i = p.instances()[0].id();
    let done = set_instance_status(&w, i, InstanceStatus::AwaitingAction, later(1));
    apply(&mut w, done);
    let done = set_instance_status(&w, i, InstanceStatus::Enabled, later(2)).unwrap();
    assert_eq!(
        done.changes.events,
        [DomainEvent::InstanceStatusChanged {
            package: p.id(),
            instance: i,
            from: StatusName::AwaitingAction,
            to: StatusName::Enabled
        }]
    );
    w.apply(&done.changes);
    let r = set_instance_status(&w, i, InstanceStatus::Pending, later(3)).unwrap_err();
    assert_eq!(codes(&r), ["ILLEGAL_STATUS_TRANSITION"]);
    assert_eq!(r.primary().http_status(), 409);
    let r =
        set_instance_status(&w, UNKNOWN_INSTANCE, InstanceStatus::Enabled, later(3)).unwrap_err();
    assert_eq!(codes(&r), ["PRODUCT_INSTANCE_NOT_FOUND"]);
}
