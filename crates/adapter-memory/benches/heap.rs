//! Heap bytes per single-instance package (target: at most 600 at 1,000,000
//! packages), counted by a global allocator that adds up the bytes allocated and
//! freed (`stats_alloc`, the sizes the program asks for: the system allocator's
//! own per-block overhead is not included).
//!
//! The world is measured after seeding and again after adding the packages through
//! Create Package (automatic provisioning, so every instance ends `ENABLED`);
//! intermediate counts show how the hash tables' growth moves the figure. Without
//! `--bench` (as `cargo test --benches` runs it) the world is small.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::alloc::System;

use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};
use support::World;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The resident set size, where the system tells it (Linux), as a cross-check that
/// includes the allocator's own overhead.
fn resident_bytes() -> Option<i128> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: i128 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Bytes allocated and not yet freed.
fn live_bytes() -> i128 {
    let s = GLOBAL.stats();
    i128::try_from(s.bytes_allocated).unwrap() - i128::try_from(s.bytes_deallocated).unwrap()
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let total: u64 = if bench { 1_000_000 } else { 10_000 };
    let checkpoints: Vec<u64> = [100_000, 250_000, 500_000, 750_000, 900_000, total]
        .into_iter()
        .filter(|n| *n <= total)
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let mut world = World::memory(7).await;
        // One call so that everything lazily built on the first call exists.
        world.wix.flush().await.unwrap();
        let before = live_bytes();
        let rss_before = resident_bytes();
        println!("heap: world seeded, {before} bytes live before any package");
        let mut last = 0;
        for n in checkpoints {
            world.fill(n).await;
            // A read settles the provisioning of the last instance.
            let q = world.first_page_query(1);
            drop(world.wix.query_packages(world.main(), &q).await.unwrap());
            let grown = live_bytes() - before;
            let per = grown as f64 / n as f64;
            println!(
                "heap: {n:>9} single-instance packages: {grown:>11} bytes, {per:.0} bytes/package{}",
                if n == 1_000_000 { " (target <= 600)" } else { "" }
            );
            if let (Some(a), Some(b)) = (rss_before, resident_bytes()) {
                println!(
                    "heap: {n:>9} packages: resident set grew {:.0} bytes/package",
                    (b - a) as f64 / n as f64
                );
            }
            last = n;
        }
        assert_eq!(world.wix.package_count(), usize::try_from(last).unwrap());
    });
}
