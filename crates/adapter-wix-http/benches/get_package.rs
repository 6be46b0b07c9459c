//! What the client costs on top of the HTTP stack: one Get Package call through
//! `WixHttpClient` (URL, headers, span, retry loop, error classification, wire
//! decoding, conversion to the domain) against the same call made with bare
//! reqwest doing the same decoding, both against one local axum server in the
//! same run. The ratio of the two is the client's overhead; the target is at most
//! 1.10. After criterion's two measurements, `cargo bench` also prints a paired
//! ratio (blocks of each alternating), which load from other processes on the
//! machine cannot tilt. Results: `docs/benchmarks.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use adapter_wix_http::WixHttpClient;
use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use criterion::{Criterion, criterion_main};
use reseller_domain::{AccountId, PackageId};
use reseller_ports::{ApiKey, Call, ResellerPackages};
use reseller_wire::GetPackageResponse;

const KEY: &str = "IST.bench-key";
const ACCOUNT: &str = "2250b761-b31c-853b-485b-76e9fc04bdc6";
const PACKAGE: &str = "828b98fb-7114-4b3c-90fd-8d0db76aa72b";

/// A Get Package answer with three instances (the docs example's shape).
const ANSWER: &str = r#"{"package": {
  "id": "828b98fb-7114-4b3c-90fd-8d0db76aa72b",
  "accountId": "2250b761-b31c-853b-485b-76e9fc04bdc6",
  "externalId": "some-external-id",
  "productInstances": [
    {"instanceId": "b83e5be9-763e-4e1f-bd30-763ca0f7f3e5",
     "siteId": "918aa943-ab4f-40bc-88c3-8dfd02fae7cd",
     "catalogProductId": "00ba7923-2655-402a-852d-2b2100568bcf",
     "status": "ENABLED",
     "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}},
     "countryCode": "BR",
     "createdDate": "2021-12-02T09:16:32.890Z", "updatedDate": "2021-12-02T09:16:32.890Z"},
    {"instanceId": "db59c0b3-81a0-469f-8f17-9c2a8b6ed3ad",
     "siteId": "918aa943-ab4f-40bc-88c3-8dfd02fae7cd",
     "catalogProductId": "040639ae-277e-4a73-a4d2-1b6801b92f45",
     "status": "CANCELED",
     "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}},
     "createdDate": "2021-12-02T09:16:32.890Z", "updatedDate": "2021-12-02T09:16:32.890Z"},
    {"instanceId": "0080aebd-117b-47e9-93e1-1b1c0b461ed2",
     "catalogProductId": "53cfc9f8-197a-4e12-b570-ad9ed0cb4e2c",
     "status": "FAILED",
     "failure": {"code": "DELIVERY_TIMEOUT", "message": "delivery of product has reached it's deadline"},
     "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}},
     "createdDate": "2021-12-02T09:16:32.893Z", "updatedDate": "2021-12-02T09:16:32.893Z"}],
  "createdDate": "2021-12-02T09:16:33.142Z",
  "updatedDate": "2021-12-02T10:28:00.767Z"}}"#;

/// Starts the server on a free port; answers its base URL.
async fn serve() -> String {
    let app = Router::new().route(
        "/resellers/v1/packages/{id}",
        get(|| async { ([(CONTENT_TYPE, "application/json")], ANSWER) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn get_package(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let base = rt.block_on(serve());
    let account = AccountId::parse(ACCOUNT).unwrap();
    let id = PackageId::parse(PACKAGE).unwrap();

    let client = WixHttpClient::builder(ApiKey::new(KEY))
        .base_url(base.clone())
        .account(account)
        .build()
        .unwrap();
    let call = Call::new();

    let bare = reqwest::Client::builder().build().unwrap();
    let url = format!("{base}/resellers/v1/packages/{PACKAGE}");

    // Both paths must agree before they are timed.
    let through_client = rt.block_on(client.get_package(&call, id)).unwrap();
    let through_bare = rt.block_on(bare_get(&bare, &url)).unwrap();
    assert_eq!(through_client, through_bare);

    let mut group = c.benchmark_group("get_package");
    group.bench_function("adapter_wix_http", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(client.get_package(&call, black_box(id)).await.unwrap()) });
    });
    group.bench_function("bare_reqwest", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(bare_get(&bare, black_box(&url)).await.unwrap()) });
    });
    group.finish();

    // Under `cargo bench` only (not when run as a test): the same comparison,
    // paired, so that load from other processes hits both sides alike.
    if std::env::args().any(|a| a == "--bench") {
        rt.block_on(paired(&client, &call, id, &bare, &url));
    }
}

/// Alternates blocks of client calls and bare calls (the order swapped every
/// round) and prints the median per-call time of each side and the median of the
/// per-round ratios: a drift in machine load during the run cancels out.
async fn paired(
    client: &WixHttpClient,
    call: &Call,
    id: PackageId,
    bare: &reqwest::Client,
    url: &str,
) {
    const ROUNDS: usize = 201;
    const CALLS: u32 = 100;
    let time_client = || async {
        let started = Instant::now();
        for _ in 0..CALLS {
            black_box(client.get_package(call, black_box(id)).await.unwrap());
        }
        started.elapsed() / CALLS
    };
    let time_bare = || async {
        let started = Instant::now();
        for _ in 0..CALLS {
            black_box(bare_get(bare, black_box(url)).await.unwrap());
        }
        started.elapsed() / CALLS
    };
    let mut rounds = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let (with_client, with_bare) = if round % 2 == 0 {
            let c = time_client().await;
            (c, time_bare().await)
        } else {
            let b = time_bare().await;
            (time_client().await, b)
        };
        rounds.push((with_client, with_bare));
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let client_us = median(rounds.iter().map(|(c, _)| micros(*c)).collect());
    let bare_us = median(rounds.iter().map(|(_, b)| micros(*b)).collect());
    let ratio = median(
        rounds
            .iter()
            .map(|(c, b)| micros(*c) / micros(*b))
            .collect(),
    );
    println!(
        "get_package/paired: adapter_wix_http {client_us:.2} µs, bare_reqwest {bare_us:.2} µs, \
         ratio {ratio:.3} (median of {ROUNDS} interleaved rounds of {CALLS} calls each)"
    );
}

/// The same call with bare reqwest: the same headers, the same decoding.
async fn bare_get(
    http: &reqwest::Client,
    url: &str,
) -> Result<reseller_domain::Package, Box<dyn std::error::Error>> {
    let response = http
        .get(url)
        .header("authorization", KEY)
        .header("wix-account-id", ACCOUNT)
        .header("content-type", "application/json")
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("status {}", response.status()).into());
    }
    let body = response.bytes().await?;
    let answer: GetPackageResponse = serde_json::from_slice(&body)?;
    Ok(answer.try_into_domain()?)
}

/// The benchmark, with a short measurement so a run takes well under a minute
/// (command-line options of `cargo bench` still apply).
fn benches() {
    let mut criterion = Criterion::default()
        .sample_size(60)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .configure_from_args();
    get_package(&mut criterion);
}

criterion_main!(benches);
