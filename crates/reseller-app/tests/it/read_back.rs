//! R5.3 against the emulator, through the HTTP client: a failed move between
//! sites leaves the instance either where it was or floating ("the product
//! instance may remain assigned to the original site or be left unassigned").
//! The emulator's fault rules produce both outcomes (a plain 500, and a 500 with
//! `leaveFloating`), and `safe::assign_instance` reads the package back and says
//! which one happened.

use std::time::Duration;

use adapter_wix_http::control::{EmulatorControl, Fault};
use adapter_wix_http::{RetryPolicy, WixHttpClient};
use reseller_app::safe::{Attempts, assign_instance};
use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::{AccountId, Assignment, Billing, CatalogProductId, CountryCode, SiteId};
use reseller_emulator::{DEMO_API_KEY, DEMO_MAIN_ACCOUNT, DEMO_PREMIUM_PLAN, Emulator};
use reseller_ports::{ApiKey, Call, ResellerPackages};

/// The demo seed's sites of the main account: acme-showcase and bakery.
const SHOWCASE: &str = "51000000-0000-4000-8000-000000000001";
const BAKERY: &str = "51000000-0000-4000-8000-000000000002";

struct Setup {
    _running: reseller_emulator::Running,
    base: String,
    client: WixHttpClient,
    call: Call,
}

async fn setup() -> Setup {
    let running = Emulator::spawn_demo().await.unwrap();
    let base = running.base_url().to_string();
    let account = AccountId::parse(DEMO_MAIN_ACCOUNT).unwrap();
    let client = WixHttpClient::builder(ApiKey::new(DEMO_API_KEY))
        .base_url(running.base_url())
        .account(account)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    Setup {
        _running: running,
        base,
        client,
        call: Call::new().account(account),
    }
}

/// A plan on acme-showcase; answers its package and instance.
async fn plan_on_showcase(s: &Setup) -> (reseller_domain::PackageId, reseller_domain::InstanceId) {
    let request = CreatePackage {
        external_id: None,
        products: vec![NewInstance {
            catalog_product_id: CatalogProductId::parse(DEMO_PREMIUM_PLAN).unwrap(),
            country_code: Some(CountryCode::new("US").unwrap()),
            site: Some(SiteId::parse(SHOWCASE).unwrap()),
            billing: Some(BillingRequest::of(Billing::yearly())),
            discount_code: None,
            reference: None,
        }],
    };
    let package = s.client.create_package(&s.call, &request).await.unwrap();
    (package.id(), package.instances()[0].id())
}

/// The next Assign fails with a 500; with `leave_floating`, the instance is left
/// floating.
async fn fail_the_next_assign(s: &Setup, leave_floating: bool) {
    let fault = Fault::on("PATCH", "/resellers/v1/packages/product-instances/")
        .status(500)
        .times(1);
    let fault = if leave_floating {
        fault.leave_floating()
    } else {
        fault
    };
    EmulatorControl::new(s.base.clone())
        .unwrap()
        .add_faults([fault])
        .await
        .unwrap();
}

fn once() -> Attempts {
    Attempts::new(1, Duration::from_millis(1))
}

#[tokio::test]
async fn a_failed_move_read_back_on_its_old_site() {
    let s = setup().await;
    let (_, instance) = plan_on_showcase(&s).await;
    fail_the_next_assign(&s, false).await;
    let bakery = SiteId::parse(BAKERY).unwrap();
    let e = assign_instance(&s.client, &s.call, instance, bakery, once())
        .await
        .unwrap_err();
    assert_eq!(
        e.assignment_now(),
        Some(Assignment::Site(SiteId::parse(SHOWCASE).unwrap())),
        "the instance stayed where it was: {e:?}"
    );
}

#[tokio::test]
async fn a_failed_move_read_back_floating() {
    let s = setup().await;
    let (_, instance) = plan_on_showcase(&s).await;
    fail_the_next_assign(&s, true).await;
    let bakery = SiteId::parse(BAKERY).unwrap();
    let e = assign_instance(&s.client, &s.call, instance, bakery, once())
        .await
        .unwrap_err();
    assert_eq!(
        e.assignment_now(),
        Some(Assignment::Floating),
        "the failed move left the instance floating: {e:?}"
    );
    // Calling again finishes the move.
    let done = assign_instance(&s.client, &s.call, instance, bakery, once())
        .await
        .unwrap();
    assert_eq!(done.instance(instance).unwrap().site(), Some(bakery));
}

#[tokio::test]
async fn leave_floating_leaves_alone_what_is_not_a_move() {
    let s = setup().await;
    let (package, instance) = plan_on_showcase(&s).await;
    fail_the_next_assign(&s, true).await;
    // An Assign to the site the instance is on is no move: it fails, nothing moves.
    let showcase = SiteId::parse(SHOWCASE).unwrap();
    let refused = s.client.assign_instance(&s.call, instance, showcase).await;
    assert!(refused.is_err());
    let package = s.client.get_package(&s.call, package).await.unwrap();
    assert_eq!(package.instance(instance).unwrap().site(), Some(showcase));
}

/// The typed control client's `extend` (the dashboard's extension): a domain
/// bought now expires in a year; extended by one cycle, in two.
#[tokio::test]
async fn the_control_client_extends_an_expiring_domain() {
    let s = setup().await;
    let request = CreatePackage::new([NewInstance::new(reseller_emulator::demo::DOMAIN)
        .country(CountryCode::new("US").unwrap())
        .billing(Billing::yearly())]);
    let package = s.client.create_package(&s.call, &request).await.unwrap();
    let domain = package.instances()[0].clone();
    let first = domain.expiration().unwrap();
    assert_eq!(Some(first), Billing::yearly().after(domain.created(), 1));
    let control = EmulatorControl::new(s.base.clone()).unwrap();
    control.extend(domain.id(), 1).await.unwrap();
    let now = s.client.get_package(&s.call, package.id()).await.unwrap();
    assert_eq!(
        now.instances()[0].expiration(),
        Billing::yearly().after(first, 1)
    );
    // A plan renews: nothing to extend.
    let (_, plan) = plan_on_showcase(&s).await;
    let refused = control.extend(plan, 1).await.unwrap_err();
    assert_eq!(refused.status(), Some(409));
}
