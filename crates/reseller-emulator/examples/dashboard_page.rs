//! The dashboard's Packages view at scale (a benchmark, not a test): the time to
//! serve its first page (`GET /_emulator/ui/api/packages`, 25 packages, newest
//! first) at 1,000 and at 100,000 packages, in the same run, through the
//! emulator's router in process (no network), rounds alternating the two worlds;
//! also the second page (a cursor) and the Accounts view, for context. Prints
//! medians and the ratios of `docs/benchmarks.md`.
//!
//! `cargo run --release -p reseller-emulator --example dashboard_page [-- --rounds N]`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use adapter_memory::Credentials;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use reseller_domain::AccountId;
use reseller_emulator::{DEMO_API_KEY, DEMO_MAIN_ACCOUNT, DEMO_PREMIUM_PLAN, Emulator};
use reseller_ports::ApiKey;
use reseller_wire::CreatePackageRequest;
use tower::ServiceExt;

/// The sub-accounts of the demo seed: packages go round-robin over all three.
const ACCOUNTS: [&str; 3] = [
    DEMO_MAIN_ACCOUNT,
    "a1000000-0000-4000-8000-000000000002",
    "a1000000-0000-4000-8000-000000000003",
];

/// Requests timed per round and world.
const PER_ROUND: usize = 50;

/// An emulator with the demo seed and `n` floating one-instance packages.
async fn world(n: usize) -> Emulator {
    let emulator = Emulator::in_memory();
    emulator
        .load_demo_seed_if_empty()
        .await
        .expect("the demo seed");
    let request: CreatePackageRequest = serde_json::from_value(serde_json::json!({
        "products": [{
            "catalogProductId": DEMO_PREMIUM_PLAN,
            "countryCode": "US",
            "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}},
        }],
    }))
    .expect("a create request");
    let create = request.try_into_domain().expect("a valid request");
    let key = ApiKey::new(DEMO_API_KEY);
    let accounts: Vec<AccountId> = ACCOUNTS
        .iter()
        .map(|a| AccountId::parse(a).expect("a GUID"))
        .collect();
    for i in 0..n {
        let account = accounts[i % accounts.len()];
        emulator
            .wix()
            .create_package(Credentials { key: &key, account }, None, &create)
            .await
            .expect("created");
    }
    emulator
}

/// Serves `path` once; answers the time and the body.
async fn get(emulator: &Emulator, path: &str) -> (Duration, bytes::Bytes) {
    let router = emulator.router();
    let started = Instant::now();
    let response = router
        .oneshot(Request::get(path).body(Body::empty()).expect("a request"))
        .await
        .expect("an answer");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    let body = response
        .into_body()
        .collect()
        .await
        .expect("the body")
        .to_bytes();
    (started.elapsed(), body)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let rounds: usize = std::env::args()
        .skip_while(|a| a != "--rounds")
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let started = Instant::now();
    let small = world(1_000).await;
    let large = world(100_000).await;
    eprintln!("worlds built in {:.1} s", started.elapsed().as_secs_f64());

    let cursor = |emulator: &Emulator| {
        let emulator = emulator.clone();
        async move {
            let (_, body) = get(&emulator, "/_emulator/ui/api/packages").await;
            let page: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
            assert_eq!(page["packages"].as_array().map(Vec::len), Some(25));
            let next = page["nextCursor"].as_str().expect("a next page").to_owned();
            format!("/_emulator/ui/api/packages?cursor={next}")
        }
    };
    let small_next = cursor(&small).await;
    let large_next = cursor(&large).await;

    let views = [
        (
            "first page",
            "/_emulator/ui/api/packages".to_owned(),
            "/_emulator/ui/api/packages".to_owned(),
        ),
        ("second page", small_next, large_next),
        (
            "accounts",
            "/_emulator/ui/api/accounts".to_owned(),
            "/_emulator/ui/api/accounts".to_owned(),
        ),
    ];
    for (name, small_path, large_path) in views {
        let (mut at_small, mut at_large) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            for _ in 0..PER_ROUND {
                at_small.push(get(&small, &small_path).await.0);
            }
            for _ in 0..PER_ROUND {
                at_large.push(get(&large, &large_path).await.0);
            }
        }
        let (s, l) = (median(at_small), median(at_large));
        println!(
            "{name:<12} 1,000 packages: {:>9.1} µs   100,000 packages: {:>9.1} µs   ratio {:.2}",
            s.as_secs_f64() * 1e6,
            l.as_secs_f64() * 1e6,
            l.as_secs_f64() / s.as_secs_f64()
        );
    }
}
