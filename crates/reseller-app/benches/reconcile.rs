//! Reconcile's planning cost against reading the packages it plans from: an
//! in-memory Wix holding 100,000 packages (each a subscription's one package),
//! billing's 100,000 subscriptions (1% ended, 1% with another cycle, 1% new), and
//! rounds alternating between reading every package (`read_actual`, Query
//! Packages page by page) and planning (`plan`, from what was read). Prints each
//! median and the ratio plan / read; the target is at most 1.5.
//!
//! `cargo bench -p reseller-app --bench reconcile` (about half a minute on a busy
//! two-core machine, most of it building the world); `RECONCILE_BENCH_N` changes
//! the size.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use adapter_memory::MemoryWix;
use reseller_app::Attempts;
use reseller_app::reconcile::{Catalog, PlanOptions, parse_jsonl, plan, read_actual};
use reseller_contract::fixture::{ASCEND, Fixture, MAILBOX_LITE, PLAN_UNLIMITED, SUB1, SUB2, on};
use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::{Billing, CountryCode, ExternalId};
use reseller_ports::{Call, ManualClock, SequentialIds};

const ROUNDS: usize = 7;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::var("RECONCILE_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let start = reseller_domain::Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").unwrap();
        // The clock moves 1 ms a package, as Wix's creation times do.
        let clock = Arc::new(ManualClock::new(start));
        let wix = MemoryWix::builder()
            .clock(clock.clone())
            .ids(Arc::new(SequentialIds::new(0xbe)))
            .build();
        let fx = Fixture::new(&wix).await;
        let catalog = Catalog::new(reseller_contract::fixture::catalog());
        let built = Instant::now();
        let mut lines = Vec::with_capacity(n);
        for i in 0..n {
            let account = if i % 2 == 0 { SUB1 } else { SUB2 };
            let (product, billing) = if i % 3 == 0 {
                (PLAN_UNLIMITED, Billing::yearly())
            } else if i % 3 == 1 {
                (ASCEND, Billing::OneTime)
            } else {
                (MAILBOX_LITE, reseller_contract::fixture::quarterly())
            };
            let external = format!("sub-{i:06}");
            // 1% new in billing (no package yet).
            if i % 100 != 7 {
                clock.advance_millis(1);
                let request = CreatePackage {
                    external_id: Some(ExternalId::new(external.clone()).unwrap()),
                    products: vec![NewInstance {
                        catalog_product_id: product,
                        country_code: Some(CountryCode::new("BR").unwrap()),
                        site: None,
                        billing: Some(BillingRequest::of(billing)),
                        discount_code: None,
                        reference: None,
                    }],
                };
                fx.main.create_package(&on(account), &request).await.unwrap();
            }
            let status = if i % 100 == 3 { "ended" } else { "active" };
            // 1% with another cycle (an adjust).
            let label = match (product == PLAN_UNLIMITED, i % 100 == 5) {
                (true, true) => "monthly",
                (true, false) => "yearly",
                _ if product == ASCEND => "one-time",
                _ => "3-month",
            };
            lines.push(format!(
                r#"{{"externalId":"{external}","accountId":"{account}","status":"{status}","products":[{{"catalogProductId":"{product}","billing":"{label}","countryCode":"BR"}}]}}"#
            ));
        }
        let desired = parse_jsonl(&lines.join("\n"), &catalog).unwrap();
        eprintln!("world of {n} packages and subscriptions built in {:?}", built.elapsed());

        let mut reads = Vec::new();
        let mut plans = Vec::new();
        let mut steps = 0;
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let actual = read_actual(&*fx.main, &Call::new(), Attempts::immediate(1))
                .await
                .unwrap();
            reads.push(t.elapsed());
            assert!(actual.len() >= n * 99 / 100);
            let t = Instant::now();
            let p = plan(&desired, &actual, &catalog, PlanOptions::default());
            plans.push(t.elapsed());
            steps = p.steps().len();
            std::hint::black_box(p);
        }
        let (read, planned) = (median(reads), median(plans));
        let ratio = planned.as_secs_f64() / read.as_secs_f64();
        println!(
            "reconcile/{n}: read {read:?} (median of {ROUNDS}), plan {planned:?} ({steps} steps), plan / read {ratio:.3} (target at most 1.5: {})",
            if ratio <= 1.5 { "met" } else { "NOT met" }
        );
    });
}
