//! The worlds the benches measure, built through the public API only: one account
//! family (a main account and three sub-accounts), one floating single-instance
//! product, and packages spread round-robin over the four accounts with distinct
//! creation times and some ties.

// Each bench binary uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use adapter_memory::{Credentials, MemoryWix, MemoryWixBuilder};
use reseller_domain::auth::Scope;
use reseller_domain::ops::{CreatePackage, NewInstance};
use reseller_domain::query::{Condition, Filter, KeyField, KeyOp, PackageQuery, Paging};
use reseller_domain::world::{Account, CatalogProduct};
use reseller_domain::{
    AccountId, Billing, CatalogProductId, CountryCode, IdempotencyKey, Package, ProductType,
    Timestamp,
};
use reseller_ports::{ApiKey, IdGenerator, ManualClock};
use uuid::Uuid;

/// Deterministic ids that look random (as Wix's GUIDs do): splitmix64 of a counter.
#[derive(Debug)]
pub(crate) struct MixedIds {
    next: AtomicU64,
}

impl MixedIds {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            next: AtomicU64::new(seed.wrapping_mul(0x1000_0000_0000)),
        }
    }
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl IdGenerator for MixedIds {
    fn new_id(&self) -> Uuid {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        // splitmix64 is a bijection, so the high half alone keeps ids distinct.
        let hi = splitmix64(n);
        let lo = splitmix64(n ^ 0x5555_5555_5555_5555);
        // Version 4, RFC 4122 variant, like Wix's ids.
        let hi = (hi & !0xf000) | 0x4000;
        let lo = (lo & !(0xc000_0000_0000_0000)) | 0x8000_0000_0000_0000;
        Uuid::from_u64_pair(hi, lo)
    }
}

/// The start of every bench world's clock: 2024-01-01T00:00:00Z.
pub(crate) fn start() -> Timestamp {
    Timestamp::from_unix_millis(1_704_067_200_000).expect("a valid date")
}

fn account_id(n: u128) -> AccountId {
    AccountId::from_uuid(Uuid::from_u128(
        0x1111_1111_1111_4111_8111_0000_0000_0000 | n,
    ))
}

/// A world with its family, product and key, and the counter of packages made.
pub(crate) struct World {
    pub(crate) wix: MemoryWix,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) key: ApiKey,
    /// The main account first, then its three sub-accounts.
    pub(crate) accounts: Vec<AccountId>,
    pub(crate) request: CreatePackage,
    made: u64,
}

/// The product every package buys: floating, monthly, no subscription limit.
pub(crate) fn product_id() -> CatalogProductId {
    CatalogProductId::from_uuid(Uuid::from_u128(0x2222_2222_2222_4222_8222_0000_0000_0001))
}

impl World {
    /// An empty in-memory world (seeded: family, product, key).
    pub(crate) async fn memory(seed: u64) -> Self {
        let (builder, clock) = builder(seed);
        Self::seed(builder.build(), clock).await
    }

    /// An empty durable world stored at `path`.
    pub(crate) async fn durable(seed: u64, path: &Path) -> Self {
        let (builder, clock) = builder(seed);
        let wix = builder.open(path).expect("open the durable store");
        Self::seed(wix, clock).await
    }

    async fn seed(wix: MemoryWix, clock: Arc<ManualClock>) -> Self {
        let main = account_id(1);
        let mut accounts = vec![main];
        wix.add_account(Account {
            id: main,
            parent: None,
            name: "Bench Main".into(),
            strategic_partner: false,
        })
        .await
        .expect("main account");
        for n in 2..=4 {
            let id = account_id(n);
            wix.add_account(Account {
                id,
                parent: Some(main),
                name: format!("Bench Sub {n}"),
                strategic_partner: false,
            })
            .await
            .expect("sub-account");
            accounts.push(id);
        }
        wix.add_product(CatalogProduct::new(
            product_id(),
            ProductType::new("bench-mailbox").expect("a product type"),
            "Bench Mailbox",
            vec![Billing::monthly()],
        ))
        .await
        .expect("product");
        let scopes = Some(
            [Scope::PackagesManage, Scope::PackagesRead]
                .into_iter()
                .collect(),
        );
        let key = wix
            .add_api_key(main, scopes, None)
            .await
            .expect("an API key");
        let request = CreatePackage {
            external_id: None,
            products: vec![NewInstance {
                catalog_product_id: product_id(),
                country_code: Some(CountryCode::new("BR").expect("a country")),
                site: None,
                billing: None,
                discount_code: None,
                reference: None,
            }],
        };
        Self {
            wix,
            clock,
            key,
            accounts,
            request,
            made: 0,
        }
    }

    /// How many packages this world's [`World::create`] made.
    pub(crate) fn made(&self) -> u64 {
        self.made
    }

    /// The account and the clock step of the next package: round-robin over the
    /// family; the clock moves 1 ms per package, except that every tenth round of
    /// four keeps the time of the round before (so each account has ties).
    fn next_slot(&mut self) -> AccountId {
        let i = self.made;
        self.made += 1;
        let round = i / 4;
        if round % 10 != 9 {
            self.clock.advance_millis(1);
        }
        let slot = usize::try_from(i % 4).expect("small");
        self.accounts[slot]
    }

    /// Creates one single-instance package (no idempotency key).
    pub(crate) async fn create(&mut self) -> Package {
        let account = self.next_slot();
        self.wix
            .create_package(
                Credentials {
                    key: &self.key,
                    account,
                },
                None,
                &self.request,
            )
            .await
            .expect("create a package")
    }

    /// Creates one single-instance package under idempotency key `key`.
    pub(crate) async fn create_keyed(&mut self, key: &IdempotencyKey) -> Package {
        let account = self.next_slot();
        self.wix
            .create_package(
                Credentials {
                    key: &self.key,
                    account,
                },
                Some(key),
                &self.request,
            )
            .await
            .expect("create a package")
    }

    /// Fills the world up to `n` packages.
    pub(crate) async fn fill(&mut self, n: u64) {
        while self.made < n {
            self.create().await;
        }
    }

    /// The credentials of the main account (it sees the whole family).
    pub(crate) fn main(&self) -> Credentials<'_> {
        Credentials {
            key: &self.key,
            account: self.accounts[0],
        }
    }

    /// The first page (limit 100, default sort) of the packages of sub-account `n`
    /// (1 to 3).
    pub(crate) fn first_page_query(&self, n: usize) -> PackageQuery {
        let filter = Filter::Cond(Condition::Key {
            field: KeyField::AccountId,
            op: KeyOp::Eq(self.accounts[n].to_string()),
        });
        PackageQuery::from_parts(
            Some(filter),
            None,
            Paging::Cursor {
                limit: Some(100),
                cursor: None,
            },
        )
        .expect("a valid query")
    }
}

/// The query that continues from `cursor`.
pub(crate) fn cursor_query(cursor: String) -> PackageQuery {
    PackageQuery::from_parts(
        None,
        None,
        Paging::Cursor {
            limit: Some(100),
            cursor: Some(cursor),
        },
    )
    .expect("a valid cursor query")
}

fn builder(seed: u64) -> (MemoryWixBuilder, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(start()));
    let builder = MemoryWix::builder()
        .ids(Arc::new(MixedIds::new(seed)))
        .clock(clock.clone());
    (builder, clock)
}

/// An idempotency key per number.
pub(crate) fn idem_key(n: u64) -> IdempotencyKey {
    IdempotencyKey::new(format!("bench-{n:016x}")).expect("a valid idempotency key")
}

/// A fresh directory under the system's temp dir, removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(label: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "adapter-memory-bench-{label}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("create the temp dir");
        Self(dir)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
