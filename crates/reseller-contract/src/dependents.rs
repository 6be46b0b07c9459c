//! Revision 2 of the emulator's choices: dependent services (a domain floats when
//! the Premium plan it requires leaves its site, in the same change) and expiring
//! instances (`expirationDate`, expiry at the emulated clock, the dashboard's
//! extension through [`Seed::extend_instance`]).

use reseller_domain::{ErrorCode, Failure, FailureCode, InstanceId, InstanceStatus, StatusName};
use reseller_ports::{ResellerPackages, Seed};

use crate::expect::{first, instance, ok, refused, status};
use crate::fixture::*;

/// One year and a day, in milliseconds: past any yearly `expirationDate` made now.
const A_YEAR_AND_A_DAY: u64 = 366 * 24 * 60 * 60 * 1000;

/// A plan on [`SUB1_SITE`] and, in another package, a domain on the same site.
async fn plan_and_domain(fx: &Fixture<'_>) -> (InstanceId, reseller_domain::PackageId, InstanceId) {
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let domain = fx.buy(SUB1, vec![item(DOMAIN, Some(SUB1_SITE))]).await;
    (plan, domain.id(), first(&domain))
}

async fn site_of(
    fx: &Fixture<'_>,
    package: reseller_domain::PackageId,
    id: InstanceId,
) -> Option<reseller_domain::SiteId> {
    instance(&fx.get(SUB1, package).await, id).site()
}

/// Canceling the plan, canceling its package, unassigning it or moving it to
/// another site floats the domain that required it, in the same change: the
/// next read already shows the domain floating.
pub async fn a_domain_floats_when_its_plan_leaves_the_site(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (plan, package, domain) = plan_and_domain(&fx).await;
    ok(
        "Cancel Product Instance of the plan",
        fx.main.cancel_instance(&on(SUB1), plan).await,
    );
    assert_eq!(site_of(&fx, package, domain).await, None, "after a cancel");
    let after = fx.get(SUB1, package).await;
    assert_eq!(
        status(&after, domain),
        StatusName::Pending,
        "only its site changed"
    );

    let (_, plan) = fx.plan(SUB1, Some(SUB1_SPARE)).await;
    let spare_domain = fx.buy(SUB1, vec![item(DOMAIN, Some(SUB1_SPARE))]).await;
    let (package, domain) = (spare_domain.id(), first(&spare_domain));
    ok(
        "Unassign the plan",
        fx.main.unassign_instance(&on(SUB1), plan).await,
    );
    assert_eq!(
        site_of(&fx, package, domain).await,
        None,
        "after an unassign"
    );

    // The plan, now floating, goes back to the spare site; a new domain joins it,
    // and the plan moves to the first site: the domain stays behind, floating.
    ok(
        "Assign the plan to the spare site",
        fx.main.assign_instance(&on(SUB1), plan, SUB1_SPARE).await,
    );
    let d = fx.buy(SUB1, vec![item(DOMAIN, Some(SUB1_SPARE))]).await;
    ok(
        "Move the plan to the first site",
        fx.main.assign_instance(&on(SUB1), plan, SUB1_SITE).await,
    );
    assert_eq!(site_of(&fx, d.id(), first(&d)).await, None, "after a move");
}

/// A plan that Wix's provisioning moves to `FAILED` or `AWAITING_ACTION` no longer
/// holds its site: the domain floats.
pub async fn a_domain_floats_when_its_plan_fails_or_awaits_action(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (plan, package, domain) = plan_and_domain(&fx).await;
    fx.set_status(plan, InstanceStatus::AwaitingAction).await;
    assert_eq!(site_of(&fx, package, domain).await, None, "AWAITING_ACTION");
    let (_, plan) = fx.plan(SUB1, Some(SUB1_SPARE)).await;
    let d = fx.buy(SUB1, vec![item(DOMAIN, Some(SUB1_SPARE))]).await;
    fx.set_status(
        plan,
        InstanceStatus::Failed(Failure {
            code: FailureCode::DeliveryTimeout,
            message: "delivery of product has reached it's deadline".to_owned(),
        }),
    )
    .await;
    assert_eq!(site_of(&fx, d.id(), first(&d)).await, None, "FAILED");
}

/// Products that expire (domains by default) carry `expirationDate` one billing
/// cycle after creation; renewing products carry none.
pub async fn expiring_products_carry_an_expiration_date(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (plan_pkg, plan) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    assert_eq!(instance(&plan_pkg, plan).expiration(), None);
    let domain = fx.buy(SUB1, vec![item(DOMAIN, Some(SUB1_SITE))]).await;
    let d = instance(&domain, first(&domain));
    let expected = reseller_domain::Billing::yearly()
        .after(d.created(), 1)
        .expect("a date in range");
    assert_eq!(d.expiration(), Some(expected));
    let read = fx.get(SUB1, domain.id()).await;
    assert_eq!(instance(&read, first(&domain)).expiration(), Some(expected));
}

/// When the emulated clock reaches `expirationDate`, the instance is `CANCELED`;
/// when it was the plan a domain required, the domain floats.
pub async fn an_expired_instance_is_canceled_and_its_dependents_float(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let plan = fx
        .buy(SUB1, vec![item(PLAN_EXPIRING, Some(SUB1_SITE))])
        .await;
    let plan_id = first(&plan);
    fx.set_status(plan_id, InstanceStatus::Enabled).await;
    let domain = fx.buy(SUB1, vec![item(DOMAIN, Some(SUB1_SITE))]).await;
    assert!(instance(&plan, plan_id).expiration().is_some());
    // A monthly plan: 32 days later it has expired; the yearly domain has not.
    fx.advance(32 * 24 * 60 * 60 * 1000).await;
    let plan_now = fx.get(SUB1, plan.id()).await;
    assert_eq!(status(&plan_now, plan_id), StatusName::Canceled);
    let domain_now = fx.get(SUB1, domain.id()).await;
    assert_eq!(instance(&domain_now, first(&domain)).site(), None);
    assert_eq!(status(&domain_now, first(&domain)), StatusName::Pending);
    fx.advance(A_YEAR_AND_A_DAY).await;
    let domain_later = fx.get(SUB1, domain.id()).await;
    assert_eq!(status(&domain_later, first(&domain)), StatusName::Canceled);
}

/// The dashboard's extension: whole billing cycles added to `expirationDate`;
/// an extended domain outlives its first date. An instance without a date, or no
/// longer `PENDING`/`ENABLED`, is 409 `INSTANCE_NOT_EXTENDABLE`.
pub async fn extend_moves_the_expiration_date_by_whole_cycles(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let (plan, _, domain) = plan_and_domain(&fx).await;
    let before = fx.seed.extend_instance(domain, 1).await;
    let first_date = instance(&ok("extend by one", before), domain)
        .expiration()
        .expect("a date");
    let extended = ok("extend by two", fx.seed.extend_instance(domain, 2).await);
    let date = instance(&extended, domain).expiration().expect("a date");
    assert_eq!(
        Some(date),
        reseller_domain::Billing::yearly().after(first_date, 2)
    );
    fx.advance(A_YEAR_AND_A_DAY).await;
    let read = fx.get(SUB1, extended.id()).await;
    assert_eq!(status(&read, domain), StatusName::Pending, "still there");
    refused(
        "extend a plan that renews",
        fx.seed.extend_instance(plan, 1).await,
        ErrorCode::InstanceNotExtendable,
    );
    ok(
        "cancel the domain",
        fx.main.cancel_instance(&on(SUB1), domain).await,
    );
    refused(
        "extend a canceled domain",
        fx.seed.extend_instance(domain, 1).await,
        ErrorCode::InstanceNotExtendable,
    );
}
