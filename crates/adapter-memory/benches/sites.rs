//! Query Sites' performance target, measured with criterion: a page (limit 100,
//! filter `published: true`, sort `displayName` ascending) of an account holding
//! 1,000 sites and of one holding 100,000, first page and the `next_cursor` page;
//! the 100k / 1k ratio must stay at most 2. After the criterion run, an
//! interleaved run of both worlds prints the ratio measured under the same load.
//!
//! The worlds are built through the public API (`add_account`, `add_api_key`,
//! `add_site`): one main account holding every site and a sub-account beside it
//! (so the indexes hold other owners' entries too), half the sites published, one
//! in ten headless (hidden by the `WIX` default), display names spread over the
//! alphabet with repeats (ties broken by id), creation dates one second apart.
//! Run with `cargo bench -p adapter-memory --bench sites`. Without `--bench` (as
//! `cargo test --benches` runs it) the worlds are small and every routine runs once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use adapter_memory::{Credentials, MemoryWix};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use reseller_domain::auth::Scope;
use reseller_domain::query::{Paging, Value};
use reseller_domain::sites::{Namespace, SiteDetails, SiteQuery};
use reseller_domain::world::Account;
use reseller_domain::{AccountId, SiteId, Timestamp};
use reseller_ports::{ApiKey, NewSite};
use tokio::runtime::Runtime;
use uuid::Uuid;

fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn current_thread() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
}

/// splitmix64: ids and names that look random but are the same on every run.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

struct World {
    wix: MemoryWix,
    key: ApiKey,
    main: AccountId,
}

impl World {
    async fn build(seed: u64, sites: u64) -> Self {
        let wix = MemoryWix::builder().build();
        let main = AccountId::from_uuid(Uuid::from_u64_pair(0x1111_1111_1111_4111, seed));
        let sub = AccountId::from_uuid(Uuid::from_u64_pair(0x1111_1111_1111_4111, seed + 1));
        for (id, parent) in [(main, None), (sub, Some(main))] {
            wix.add_account(Account {
                id,
                parent,
                name: format!("Bench {id}"),
                strategic_partner: false,
            })
            .await
            .unwrap();
        }
        let key = wix
            .add_api_key(
                main,
                Some([Scope::AccountsManage].into_iter().collect()),
                None,
            )
            .await
            .unwrap();
        let start = 1_704_067_200_000i64;
        for n in 0..sites {
            let r = mix(seed.wrapping_mul(1 << 40) ^ n);
            let owner = if n % 8 == 7 { sub } else { main };
            let id = SiteId::from_uuid(Uuid::from_u64_pair(
                (r & !0xf000) | 0x4000,
                (mix(r) & !(0xc000 << 48)) | (0x8000 << 48),
            ));
            let mut site = NewSite::new(id, owner, format!("site-{n}"));
            site.details = SiteDetails {
                // 26 * 40 display names: many ties.
                display_name: Some(format!(
                    "{}{:02}",
                    char::from(b'a' + u8::try_from(r % 26).unwrap()),
                    (r >> 8) % 40
                )),
                namespace: if n % 10 == 3 {
                    Namespace::Headless
                } else {
                    Namespace::Wix
                },
                published: (r >> 20) % 2 == 0,
                ..SiteDetails::default()
            };
            site.created = Timestamp::from_unix_millis(start + i64::try_from(n).unwrap() * 1000);
            wix.add_site(&site).await.unwrap();
        }
        Self { wix, key, main }
    }

    fn cred(&self) -> Credentials<'_> {
        Credentials {
            key: &self.key,
            account: self.main,
        }
    }

    async fn query(&self, q: &SiteQuery) -> reseller_ports::SitesPage {
        self.wix.query_sites(self.cred(), q).await.unwrap()
    }
}

fn first_query() -> SiteQuery {
    SiteQuery::new(
        Some(Value::object([("published", Value::Bool(true))])),
        vec![("displayName".to_owned(), Some("ASC".to_owned()))],
        vec![Paging::Cursor {
            limit: Some(100),
            cursor: None,
        }],
    )
    .unwrap()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn query_sites_page(c: &mut Criterion) {
    let (small_n, big_n) = if bench_mode() {
        (1_000, 100_000)
    } else {
        (1_000, 5_000)
    };
    let rt = current_thread();
    let started = Instant::now();
    let worlds =
        rt.block_on(async { [World::build(1, small_n).await, World::build(3, big_n).await] });
    eprintln!(
        "query_sites_page: built worlds of {small_n} and {big_n} sites in {:.1?}",
        started.elapsed()
    );
    let labels = [format!("{}k", small_n / 1000), format!("{}k", big_n / 1000)];
    let first = first_query();
    let next: Vec<SiteQuery> = worlds
        .iter()
        .map(|w| {
            let page = rt.block_on(w.query(&first));
            assert_eq!(page.sites.len(), 100);
            assert!(page.sites.iter().all(|s| s.published));
            SiteQuery::next_page(page.next_cursor.expect("a next page"), Some(100))
        })
        .collect();
    for (w, q) in worlds.iter().zip(&next) {
        assert_eq!(rt.block_on(w.query(q)).sites.len(), 100);
    }

    let mut group = c.benchmark_group("query_sites_page");
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_secs(1));
    for (i, (w, l)) in worlds.iter().zip(&labels).enumerate() {
        group.bench_with_input(BenchmarkId::new("first", l), &first, |b, q| {
            b.to_async(&rt)
                .iter(|| async { black_box(w.query(q).await) });
        });
        group.bench_with_input(BenchmarkId::new("next", l), &next[i], |b, q| {
            b.to_async(&rt)
                .iter(|| async { black_box(w.query(q).await) });
        });
    }
    group.finish();

    let rounds = if bench_mode() { 15 } else { 1 };
    let per_round = if bench_mode() { 200 } else { 2 };
    for (page, queries) in [("first", [&first, &first]), ("next", [&next[0], &next[1]])] {
        let mut ratios = Vec::new();
        let mut times = [Vec::new(), Vec::new()];
        for _ in 0..rounds {
            let mut round = [0.0; 2];
            for (i, (w, q)) in worlds.iter().zip(queries).enumerate() {
                let t = Instant::now();
                rt.block_on(async {
                    for _ in 0..per_round {
                        black_box(w.query(q).await);
                    }
                });
                round[i] = t.elapsed().as_secs_f64() / f64::from(per_round);
                times[i].push(round[i]);
            }
            ratios.push(round[1] / round[0]);
        }
        println!(
            "query_sites_page/{page}: interleaved median {:.1} us at {} vs {:.1} us at {}: ratio {:.2} (target <= 2)",
            median(&mut times[1]) * 1e6,
            labels[1],
            median(&mut times[0]) * 1e6,
            labels[0],
            median(&mut ratios),
        );
    }
}

criterion_group!(benches, query_sites_page);
criterion_main!(benches);
