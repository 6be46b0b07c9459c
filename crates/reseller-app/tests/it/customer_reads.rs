//! Reads made on a customer's behalf filter by the customer's account: Query
//! Packages answers the header account's whole family, whichever key asks (a
//! customer's own sub-account key included), so `create_once` and
//! `find_instance` narrow by `accountId` themselves and never take a sibling
//! customer's package for the customer's own. Against the emulator, through the
//! HTTP client, with a key of the customer's sub-account.

use adapter_wix_http::WixHttpClient;
use adapter_wix_http::control::EmulatorControl;
use reseller_app::safe::{Attempts, Origin, create_once, find_instance};
use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::query::PackageQuery;
use reseller_domain::{AccountId, Billing, CatalogProductId, CountryCode, ExternalId};
use reseller_emulator::{DEMO_PREMIUM_PLAN, Emulator};
use reseller_ports::{Call, ResellerPackages};

/// The demo seed's two customers (sub-accounts of Acme Hosting).
const BAKERY_CO: &str = "a1000000-0000-4000-8000-000000000002";
const FLORIST_LTD: &str = "a1000000-0000-4000-8000-000000000003";

fn order() -> CreatePackage {
    CreatePackage {
        external_id: None,
        products: vec![NewInstance {
            catalog_product_id: CatalogProductId::parse(DEMO_PREMIUM_PLAN).unwrap(),
            country_code: Some(CountryCode::new("US").unwrap()),
            site: None,
            billing: Some(BillingRequest::of(Billing::monthly())),
            discount_code: None,
            reference: None,
        }],
    }
}

/// A client with a new key of `account`'s own, acting on `account`.
async fn client_of(base: &str, account: &str) -> WixHttpClient {
    let account = AccountId::parse(account).unwrap();
    let key = EmulatorControl::new(base)
        .unwrap()
        .add_api_key(account, None)
        .await
        .unwrap();
    WixHttpClient::builder(key)
        .base_url(base)
        .account(account)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_sibling_customers_package_is_never_taken_for_the_customers_own() {
    let running = Emulator::spawn_demo().await.unwrap();
    // A key of each customer's own sub-account.
    let base = running.base_url().to_owned();
    let (bakery, florist) = (
        client_of(&base, BAKERY_CO).await,
        client_of(&base, FLORIST_LTD).await,
    );
    let (bakery_co, florist_ltd) = (
        AccountId::parse(BAKERY_CO).unwrap(),
        AccountId::parse(FLORIST_LTD).unwrap(),
    );
    let same_order = ExternalId::new("order-9").unwrap();
    let theirs = create_once(
        &florist,
        &Call::new().account(florist_ltd),
        &order().external_id(same_order.clone()),
        Attempts::immediate(1),
    )
    .await
    .unwrap();

    // Bakery Co's key sees Florist Ltd's package, as on Wix...
    let everything = PackageQuery::all().page_size(100);
    let page = bakery
        .query_packages(&Call::new().account(bakery_co), &everything)
        .await
        .unwrap();
    assert!(page.packages.iter().any(|p| p.id() == theirs.package.id()));

    // ...but the reads made for Bakery Co filter by its account.
    let call = Call::new().account(bakery_co);
    let ours = create_once(
        &bakery,
        &call,
        &order().external_id(same_order.clone()),
        Attempts::immediate(1),
    )
    .await
    .unwrap();
    assert_eq!(ours.origin, Origin::Created);
    assert_eq!(ours.package.account_id(), bakery_co);
    assert_ne!(ours.package.id(), theirs.package.id());
    let their_instance = theirs.package.instances()[0].id();
    assert_eq!(
        find_instance(&bakery, &call, their_instance).await.unwrap(),
        None
    );
}
