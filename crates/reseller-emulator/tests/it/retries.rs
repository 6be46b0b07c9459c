//! The fault test: with faults injected on Create Package (500, 503 after the
//! change was applied, 429 with `Retry-After`, dropped connections before and after
//! the change), the HTTP client's retries with one idempotency key per call end with
//! exactly one package per call: none lost, none doubled.

use std::collections::HashMap;
use std::time::Duration;

use adapter_wix_http::control::{EmulatorControl, Fault};
use adapter_wix_http::{RetryPolicy, WixHttpClient};
use futures_util::StreamExt;
use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::query::PackageQuery;
use reseller_domain::{AccountId, Billing, CatalogProductId, CountryCode, ExternalId};
use reseller_emulator::{DEMO_API_KEY, Emulator};
use reseller_ports::{ApiKey, Call, ResellerPackages};

const MAIN: &str = reseller_emulator::DEMO_MAIN_ACCOUNT;
const PLAN: &str = reseller_emulator::DEMO_PREMIUM_PLAN;
const ORDERS: usize = 120;

fn order(i: usize) -> CreatePackage {
    CreatePackage {
        external_id: Some(ExternalId::new(format!("order-{i}")).unwrap()),
        products: vec![NewInstance {
            catalog_product_id: CatalogProductId::parse(PLAN).unwrap(),
            country_code: Some(CountryCode::new("US").unwrap()),
            site: None,
            billing: Some(BillingRequest::of(Billing::monthly())),
            discount_code: None,
            reference: None,
        }],
    }
}

async fn run(durable: bool) {
    let dir = std::env::temp_dir().join(format!(
        "reseller-emulator-retries-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    let emulator = if durable {
        Emulator::open(&dir).unwrap()
    } else {
        Emulator::in_memory()
    };
    emulator.load_demo_seed_if_empty().await.unwrap();
    let running = emulator
        .spawn("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = running.base_url();
    let control = EmulatorControl::new(base.clone()).unwrap();
    let path = "/resellers/v2/packages";
    let create = || Fault::on("POST", path);
    control
        .add_faults([
            create().probability(0.12).status(500),
            create().probability(0.12).status(503).after_commit(),
            create().probability(0.10).drop_connection(),
            create().probability(0.10).drop_connection().after_commit(),
            create()
                .times(3)
                .status(429)
                .retry_after(Duration::from_secs(1)),
            create()
                .probability(0.05)
                .status(502)
                .delay(Duration::from_millis(20)),
        ])
        .await
        .unwrap();

    let client = WixHttpClient::builder(ApiKey::new(DEMO_API_KEY))
        .base_url(base.clone())
        .account(AccountId::parse(MAIN).unwrap())
        .retry(
            RetryPolicy::default()
                .with_max_attempts(16)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(20))
                .with_budget(Duration::from_secs(60)),
        )
        .build()
        .unwrap();

    let answers: Vec<_> = futures_util::stream::iter(0..ORDERS)
        .map(|i| {
            let client = client.clone();
            async move {
                let result = client.create_package(&Call::new(), &order(i)).await;
                (i, result)
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;

    control.clear_faults().await.unwrap();

    // Every call answered, and the log shows the faults really fired.
    let mut answered = HashMap::new();
    for (i, result) in answers {
        let package = result.unwrap_or_else(|e| panic!("order {i} was not created: {e}"));
        answered.insert(format!("order-{i}"), package.id());
    }
    let statuses: Vec<u16> = control
        .requests(usize::MAX)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.path == path)
        .map(|r| r.status)
        .collect();
    for status in [0, 429, 500, 503] {
        assert!(
            statuses.contains(&status),
            "no {status} answer was injected: {statuses:?}"
        );
    }

    // Exactly one package per order, and it is the one the call answered.
    let mut stored: HashMap<String, Vec<_>> = HashMap::new();
    let query = PackageQuery::all().page_size(100);
    let mut all = std::pin::pin!(client.query_all(&Call::new(), &query));
    while let Some(package) = all.next().await {
        let package = package.unwrap();
        let external = package
            .external_id()
            .map(|e| e.as_str().to_owned())
            .unwrap();
        stored.entry(external).or_default().push(package.id());
    }
    assert_eq!(stored.len(), ORDERS, "a package is missing");
    for (external, ids) in &stored {
        assert_eq!(ids.len(), 1, "{external} was created {} times", ids.len());
        assert_eq!(Some(&ids[0]), answered.get(external));
    }

    running.shutdown().await.unwrap();
    if durable {
        // Reopened, the store holds the same packages.
        let reopened = Emulator::open(&dir).unwrap();
        assert_eq!(reopened.wix().package_count(), ORDERS);
        drop(reopened);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_under_faults_create_each_package_exactly_once() {
    run(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_under_faults_create_each_package_exactly_once_durably() {
    run(true).await;
}
