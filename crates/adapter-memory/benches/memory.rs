//! The in-memory Wix's performance targets, measured with criterion:
//!
//! - `query_page`: Query Packages (limit 100, `accountId` filter, default sort,
//!   cursor paging) in a world of 1,000 and one of 1,000,000 packages, first page
//!   and the `next_cursor` page; the 1M / 1k ratio must stay at most 2. After the
//!   criterion runs, an interleaved run of both worlds prints the ratio measured
//!   under the same machine load.
//! - `create_memory`: single-instance creations per second on one thread (target
//!   200,000/s), without and with an idempotency key, with automatic provisioning
//!   (the default: each create also enables the previous call's instance) and with
//!   manual provisioning, in worlds growing from 0 to 1M packages.
//! - `create_durable`: creations per second with 16 concurrent writers on a
//!   durable (SQLite WAL) world (target 10,000/s), both provisioning modes.
//!
//! The machine these run on may be shared, so after each criterion group an
//! interleaved run (rounds alternating between the variants) prints medians and
//! ratios measured under the same load.
//!
//! The heap per package is measured by the `heap` bench. Run both with
//! `cargo bench -p adapter-memory`. Without `--bench` (as `cargo test --benches`
//! runs them) the worlds are small and every routine runs once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use adapter_memory::Credentials;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use reseller_domain::query::PackageQuery;
use reseller_ports::Provisioning;
use support::{TempDir, World, cursor_query, idem_key};
use tokio::runtime::Runtime;

/// Whether this is a real bench run (`cargo bench`), not a test-mode pass.
fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn current_thread() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
}

// ----- Query Packages ---------------------------------------------------------

async fn query(world: &World, q: &PackageQuery) -> reseller_ports::PackagesPage {
    world.wix.query_packages(world.main(), q).await.unwrap()
}

fn query_page(c: &mut Criterion) {
    let (small_n, big_n) = if bench_mode() {
        (1_000, 1_000_000)
    } else {
        (1_000, 20_000)
    };
    let rt = current_thread();
    let started = Instant::now();
    let worlds = rt.block_on(async {
        let mut small = World::memory(1).await;
        small.fill(small_n).await;
        let mut big = World::memory(2).await;
        big.fill(big_n).await;
        [small, big]
    });
    eprintln!(
        "query_page: built worlds of {small_n} and {big_n} packages in {:.1?}",
        started.elapsed()
    );
    let labels = [label(small_n), label(big_n)];
    // Sub-account 1 holds a quarter of each world.
    let first: Vec<PackageQuery> = worlds.iter().map(|w| w.first_page_query(1)).collect();
    let next: Vec<PackageQuery> = worlds
        .iter()
        .zip(&first)
        .map(|(w, q)| {
            let page = rt.block_on(query(w, q));
            assert_eq!(page.packages.len(), 100);
            cursor_query(page.next_cursor.expect("a next page"))
        })
        .collect();
    for (w, q) in worlds.iter().zip(&next) {
        assert_eq!(rt.block_on(query(w, q)).packages.len(), 100);
    }

    let mut group = c.benchmark_group("query_page");
    group.measurement_time(Duration::from_secs(4));
    group.warm_up_time(Duration::from_secs(1));
    for (page, queries) in [("first", &first), ("next", &next)] {
        for ((w, q), l) in worlds.iter().zip(queries).zip(&labels) {
            group.bench_with_input(BenchmarkId::new(page, l), q, |b, q| {
                b.to_async(&rt)
                    .iter(|| async { black_box(query(w, q).await) });
            });
        }
    }
    group.finish();

    // The ratio under one load: rounds alternating between the two worlds.
    let rounds = if bench_mode() { 15 } else { 1 };
    let per_round = if bench_mode() { 300 } else { 2 };
    for (page, queries) in [("first", &first), ("next", &next)] {
        let mut ratios = Vec::new();
        let mut times = [Vec::new(), Vec::new()];
        for _ in 0..rounds {
            let mut round = [0.0; 2];
            for (i, (w, q)) in worlds.iter().zip(queries.iter()).enumerate() {
                let t = Instant::now();
                rt.block_on(async {
                    for _ in 0..per_round {
                        black_box(query(w, q).await);
                    }
                });
                round[i] = t.elapsed().as_secs_f64() / f64::from(per_round);
                times[i].push(round[i]);
            }
            ratios.push(round[1] / round[0]);
        }
        println!(
            "query_page/{page}: interleaved median {:.1} us at {} vs {:.1} us at {}: ratio {:.2} (target <= 2)",
            median(&mut times[1]) * 1e6,
            labels[1],
            median(&mut times[0]) * 1e6,
            labels[0],
            median(&mut ratios),
        );
    }
    drop(worlds);
}

fn label(n: u64) -> String {
    if n >= 1_000_000 && n % 1_000_000 == 0 {
        format!("{}M", n / 1_000_000)
    } else if n >= 1_000 && n % 1_000 == 0 {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

// ----- Creations, in memory, one thread ------------------------------------------

#[derive(Clone, Copy)]
enum Variant {
    NoKey,
    Keyed,
    Manual,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Self::NoKey => "no_key",
            Self::Keyed => "idempotency_key",
            Self::Manual => "no_key_manual_provisioning",
        }
    }
}

async fn fresh(variant: Variant, seed: u64) -> World {
    let world = World::memory(seed).await;
    if let Variant::Manual = variant {
        world
            .wix
            .set_provisioning(Provisioning::Manual)
            .await
            .unwrap();
    }
    world
}

/// Creates `n` packages in `w` (with fresh idempotency keys for [`Variant::Keyed`]);
/// answers the time the creations took (making the keys is not timed).
fn timed_creations(rt: &Runtime, w: &mut World, variant: Variant, n: u64) -> Duration {
    let keys: Vec<_> = match variant {
        Variant::Keyed => (0..n).map(|i| idem_key(w.made() + i)).collect(),
        Variant::NoKey | Variant::Manual => Vec::new(),
    };
    rt.block_on(async {
        let start = Instant::now();
        if keys.is_empty() {
            for _ in 0..n {
                black_box(w.create().await);
            }
        } else {
            for k in &keys {
                black_box(w.create_keyed(k).await);
            }
        }
        start.elapsed()
    })
}

const VARIANTS: [Variant; 3] = [Variant::NoKey, Variant::Keyed, Variant::Manual];

fn create_memory(c: &mut Criterion) {
    // Each world grows to at most this many packages, then a fresh one replaces it
    // (outside the timed part), so the figures are for worlds of 0 to 1M packages.
    let cap = if bench_mode() { 1_000_000 } else { 1_000 };
    let rt = current_thread();
    let mut group = c.benchmark_group("create_memory");
    group.throughput(Throughput::Elements(1));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(6));
    group.warm_up_time(Duration::from_secs(2));
    for (seed, variant) in [
        (10, Variant::NoKey),
        (20, Variant::Keyed),
        (30, Variant::Manual),
    ] {
        let mut world = Some(rt.block_on(fresh(variant, seed)));
        let mut serial = 0_u64;
        group.bench_function(variant.name(), |b| {
            b.iter_custom(|iters| {
                if world.as_ref().is_none_or(|w| w.made() + iters > cap) {
                    drop(world.take());
                    serial += 1;
                    world = Some(rt.block_on(fresh(variant, seed + serial)));
                }
                let w = world.as_mut().expect("a world");
                timed_creations(&rt, w, variant, iters)
            });
        });
        drop(world);
    }
    group.finish();

    // The three variants under one load: rounds alternating between three worlds,
    // each round adding the same number of packages to each.
    let (rounds, per_round) = if bench_mode() { (10, 50_000) } else { (1, 10) };
    let mut worlds: Vec<World> = VARIANTS
        .iter()
        .zip(100..)
        .map(|(v, seed)| rt.block_on(fresh(*v, seed)))
        .collect();
    let mut rates = vec![Vec::new(); VARIANTS.len()];
    for _ in 0..rounds {
        for ((w, v), r) in worlds.iter_mut().zip(VARIANTS).zip(&mut rates) {
            let took = timed_creations(&rt, w, v, per_round);
            r.push(per_round as f64 / took.as_secs_f64());
        }
    }
    let medians: Vec<f64> = rates.iter_mut().map(|r| median(r)).collect();
    for (v, m) in VARIANTS.iter().zip(&medians) {
        println!(
            "create_memory/{}: interleaved median {:.0} creations/s (rounds of {per_round} in worlds of 0 to {} packages; target >= 200000); {:.2} x no_key",
            v.name(),
            m,
            rounds * per_round,
            m / medians[0],
        );
    }
}

// ----- Creations, durable, 16 writers ---------------------------------------------

const WRITERS: u64 = 16;

/// Creates `n` packages in `world` from [`WRITERS`] concurrent tasks; answers the
/// time they took.
fn timed_concurrent_creations(rt: &Runtime, world: &World, n: u64) -> Duration {
    let request = Arc::new(world.request.clone());
    rt.block_on(async {
        let start = Instant::now();
        let mut tasks = Vec::new();
        for t in 0..WRITERS {
            // Spread `n` over the writers.
            let mine = n / WRITERS + u64::from(t < n % WRITERS);
            let wix = world.wix.clone();
            let key = world.key.clone();
            let clock = world.clock.clone();
            let request = request.clone();
            let account = world.accounts[usize::try_from(t % 4).unwrap()];
            tasks.push(tokio::spawn(async move {
                for _ in 0..mine {
                    clock.advance_millis(1);
                    let cred = Credentials { key: &key, account };
                    black_box(wix.create_package(cred, None, &request).await.unwrap());
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        start.elapsed()
    })
}

async fn durable_world(seed: u64, dir: &TempDir, manual: bool) -> World {
    let world = World::durable(seed, &dir.path().join("state.db")).await;
    if manual {
        world
            .wix
            .set_provisioning(Provisioning::Manual)
            .await
            .unwrap();
    }
    world
}

fn create_durable(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a multi-thread runtime");
    let mut group = c.benchmark_group("create_durable");
    group.throughput(Throughput::Elements(1));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.warm_up_time(Duration::from_secs(2));
    for (seed, manual) in [(40, false), (50, true)] {
        let dir = TempDir::new(if manual { "manual" } else { "auto" });
        let world = rt.block_on(durable_world(seed, &dir, manual));
        let name = if manual {
            "16_writers_manual_provisioning"
        } else {
            "16_writers"
        };
        group.bench_function(name, |b| {
            b.iter_custom(|iters| timed_concurrent_creations(&rt, &world, iters));
        });
        eprintln!(
            "create_durable/{name}: {} packages written",
            world.wix.package_count()
        );
        drop(world);
        drop(dir);
    }
    group.finish();

    // Both modes under one load: rounds of 20,000 creations alternating between a
    // fresh automatic-provisioning store and a fresh manual one.
    let (rounds, per_round) = if bench_mode() { (3, 20_000) } else { (1, 32) };
    let dirs = [TempDir::new("auto-rounds"), TempDir::new("manual-rounds")];
    let worlds: Vec<World> = dirs
        .iter()
        .zip([(60, false), (70, true)])
        .map(|(dir, (seed, manual))| rt.block_on(durable_world(seed, dir, manual)))
        .collect();
    let mut rates = [Vec::new(), Vec::new()];
    for _ in 0..rounds {
        for (w, r) in worlds.iter().zip(&mut rates) {
            let took = timed_concurrent_creations(&rt, w, per_round);
            r.push(per_round as f64 / took.as_secs_f64());
        }
    }
    let auto = median(&mut rates[0]);
    let manual = median(&mut rates[1]);
    println!(
        "create_durable/16_writers: interleaved median {auto:.0} creations/s (rounds of {per_round}; target >= 10000)"
    );
    println!(
        "create_durable/16_writers_manual_provisioning: interleaved median {manual:.0} creations/s; {:.2} x automatic",
        manual / auto
    );
    drop(worlds);
    drop(dirs);
}

criterion_group!(benches, query_page, create_memory, create_durable);
criterion_main!(benches);
