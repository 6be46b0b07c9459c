//! Create-once under the emulator's fault injection: Create Package and Query
//! Packages fail before and after the change was applied (500, 503 after commit,
//! dropped connections before and after commit), the HTTP client gives up quickly,
//! and two callers race for every order. Whatever happens, every external id ends
//! with exactly one package, and both callers are answered that package.

use std::collections::HashMap;
use std::time::Duration;

use adapter_wix_http::control::{EmulatorControl, Fault};
use adapter_wix_http::{RetryPolicy, WixHttpClient};
use futures_util::{StreamExt, TryStreamExt};
use reseller_app::safe::{Attempts, Origin, SafeError, create_once};
use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::query::PackageQuery;
use reseller_domain::{AccountId, Billing, CatalogProductId, CountryCode, ExternalId};
use reseller_emulator::{DEMO_API_KEY, DEMO_MAIN_ACCOUNT, DEMO_PREMIUM_PLAN, Emulator};
use reseller_ports::{ApiKey, Call, pages};

const ORDERS: usize = 60;

fn order(i: usize) -> CreatePackage {
    CreatePackage::new([
        NewInstance::new(CatalogProductId::parse(DEMO_PREMIUM_PLAN).unwrap())
            .country(CountryCode::new("US").unwrap())
            .billing(Billing::monthly()),
    ])
    .external_id(external_id(i))
}

fn external_id(i: usize) -> ExternalId {
    ExternalId::new(format!("shop-order-{i}")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_once_makes_exactly_one_package_per_external_id_under_faults() {
    let running = Emulator::spawn_demo().await.unwrap();
    let base = running.base_url();
    let control = EmulatorControl::new(base.clone()).unwrap();
    control
        .add_faults([
            Fault::on("POST", "/resellers/")
                .probability(0.15)
                .status(500),
            Fault::on("POST", "/resellers/v2/packages")
                .probability(0.2)
                .status(503)
                .after_commit(),
            Fault::on("POST", "/resellers/")
                .probability(0.1)
                .drop_connection(),
            Fault::on("POST", "/resellers/v2/packages")
                .probability(0.15)
                .drop_connection()
                .after_commit(),
        ])
        .await
        .unwrap();

    // The client tries twice at most, so the faults reach create-once, which
    // leaves the retry to the client and is called again until it answers.
    let client = WixHttpClient::builder(ApiKey::new(DEMO_API_KEY))
        .base_url(base.clone())
        .account(AccountId::parse(DEMO_MAIN_ACCOUNT).unwrap())
        .retry(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(2))
                .with_budget(Duration::from_secs(5)),
        )
        .build()
        .unwrap();

    // Two callers per order, racing.
    let results: Vec<_> = futures_util::stream::iter((0..ORDERS).flat_map(|i| [i, i]))
        .map(|i| {
            let client = client.clone();
            async move {
                let mut calls = 0;
                let r = loop {
                    calls += 1;
                    match create_once(&client, &Call::new(), &order(i), Attempts::immediate(40))
                        .await
                    {
                        Err(SafeError::Unresolved { .. }) if calls < 40 => continue,
                        other => break other.map(|c| (c, calls)),
                    }
                };
                (i, r)
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;

    control.clear_faults().await.unwrap();

    let mut answered: HashMap<usize, Vec<_>> = HashMap::new();
    let mut retried = 0;
    let mut found = 0;
    for (i, r) in results {
        let (created, calls) = r.unwrap_or_else(|e| panic!("order {i}: {e}"));
        assert_eq!(
            created.package.external_id(),
            Some(&external_id(i)),
            "order {i} answered another order's package"
        );
        retried += usize::from(calls > 1);
        found += usize::from(created.origin == Origin::Found);
        answered.entry(i).or_default().push(created.package.id());
    }
    assert!(retried > 0, "the faults reached create-once");
    assert!(
        found > 0,
        "some tries found the package an earlier one made"
    );

    // Read everything back with the faults gone: one package per order.
    let mut per_order: HashMap<String, Vec<_>> = HashMap::new();
    let all: Vec<_> = pages::packages(&client, &Call::new(), &PackageQuery::all())
        .try_collect()
        .await
        .unwrap();
    for p in &all {
        if let Some(e) = p.external_id() {
            per_order
                .entry(e.as_str().to_owned())
                .or_default()
                .push(p.id());
        }
    }
    for i in 0..ORDERS {
        let ids = &per_order[external_id(i).as_str()];
        assert_eq!(ids.len(), 1, "order {i} has {} packages", ids.len());
        assert!(
            answered[&i].iter().all(|id| *id == ids[0]),
            "both callers of order {i} were answered its one package"
        );
    }
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_refusal_is_answered_at_once_and_creates_nothing() {
    let running = Emulator::spawn_demo().await.unwrap();
    let client = WixHttpClient::builder(ApiKey::new(DEMO_API_KEY))
        .base_url(running.base_url())
        .account(AccountId::parse(DEMO_MAIN_ACCOUNT).unwrap())
        .build()
        .unwrap();
    let mut bad = order(1);
    // The plan is sold monthly or yearly; a two-week cycle is refused (428).
    bad.products[0].billing = Some(BillingRequest::of(Billing::Recurring(
        reseller_domain::Cycle::new(reseller_domain::CycleUnit::Week, 2.try_into().unwrap()),
    )));
    let e = create_once(&client, &Call::new(), &bad, Attempts::immediate(5))
        .await
        .unwrap_err();
    assert!(matches!(e, SafeError::Refused(_)), "{e}");
    assert!(!e.may_have_been_applied());
    let none = reseller_app::safe::find_by_external_id(&client, &Call::new(), &external_id(1))
        .await
        .unwrap();
    assert!(none.is_empty());
    running.shutdown().await.unwrap();
}

/// One retry layer: against an emulator answering 503 to everything, one
/// create-once call makes at most the client policy's number of requests, and
/// its error says how many it made.
#[tokio::test]
async fn against_503_forever_create_once_makes_at_most_the_client_policys_requests() {
    let emulator = Emulator::in_memory();
    emulator.load_demo_seed_if_empty().await.unwrap();
    let log = emulator.clone();
    let running = emulator
        .spawn("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = running.base_url();
    EmulatorControl::new(base.clone())
        .unwrap()
        .add_faults([Fault::path("/resellers/").status(503)])
        .await
        .unwrap();
    let policy = RetryPolicy::default()
        .with_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .with_budget(Duration::from_secs(30));
    let client = WixHttpClient::builder(ApiKey::new(DEMO_API_KEY))
        .base_url(base)
        .account(AccountId::parse(DEMO_MAIN_ACCOUNT).unwrap())
        .retry(policy)
        .build()
        .unwrap();
    let before = wix_requests(&log);
    let e = create_once(&client, &Call::new(), &order(1), Attempts::default())
        .await
        .unwrap_err();
    let made = wix_requests(&log) - before;
    assert!(
        made <= policy.max_attempts() as usize,
        "{made} requests for a policy of {}",
        policy.max_attempts()
    );
    match e {
        SafeError::Unresolved { attempts, last, .. } => {
            assert_eq!(
                attempts as usize, made,
                "the error counts every request made"
            );
            assert_eq!(last.status(), Some(503));
        }
        other => panic!("{other}"),
    }
    running.shutdown().await.unwrap();
}

/// The requests the emulator's log holds on the Wix API (not its control API).
fn wix_requests(emulator: &Emulator) -> usize {
    emulator
        .requests(10_000)
        .iter()
        .filter(|r| r.path.starts_with("/resellers/"))
        .count()
}
