//! A small fixed world shared by the model, query and concurrency tests: one
//! strategic-partner main account with two sub-accounts, an unrelated main account,
//! sites, a catalog with prerequisites and limits, and a key per account.
//! Each test binary uses a part of it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use adapter_memory::MemoryWix;
use reseller_domain::billing::Billing;
use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::world::{Account, CatalogProduct, Site, World};
use reseller_domain::{AccountId, CatalogProductId, CountryCode, ProductType, SiteId, Timestamp};
use reseller_ports::{ApiKey, IdGenerator, ManualClock, NewSite, Provisioning};
use uuid::Uuid;

pub(crate) fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0c87_cd5d_4059_4e86_8f6e_0000_0000_0000 | n)
}

pub(crate) fn acc(n: u128) -> AccountId {
    AccountId::from_uuid(id(0x1000 | n))
}

pub(crate) fn site(n: u128) -> SiteId {
    SiteId::from_uuid(id(0x2000 | n))
}

pub(crate) fn prod(n: u128) -> CatalogProductId {
    CatalogProductId::from_uuid(id(0x3000 | n))
}

pub(crate) const MAIN: u128 = 1;
pub(crate) const SUB1: u128 = 2;
pub(crate) const SUB2: u128 = 3;
pub(crate) const OTHER: u128 = 4;
pub(crate) const ACCOUNTS: [u128; 4] = [MAIN, SUB1, SUB2, OTHER];

/// (site, owner)
pub(crate) const SITES: [(u128, u128); 8] = [
    (1, MAIN),
    (2, MAIN),
    (3, MAIN),
    (11, SUB1),
    (12, SUB1),
    (13, SUB1),
    (21, SUB2),
    (31, OTHER),
];

pub(crate) const PLAN_UNLIMITED: u128 = 1;
pub(crate) const PLAN_VIP: u128 = 2;
pub(crate) const PLAN_WEBSITE: u128 = 3;
pub(crate) const DOMAIN: u128 = 4;
pub(crate) const ASCEND: u128 = 5;
pub(crate) const NOT_RESELLABLE: u128 = 6;
pub(crate) const NO_SETTINGS: u128 = 7;
pub(crate) const MAILBOX: u128 = 8;
pub(crate) const PRODUCTS: [u128; 9] = [
    PLAN_UNLIMITED,
    PLAN_VIP,
    PLAN_WEBSITE,
    DOMAIN,
    ASCEND,
    NOT_RESELLABLE,
    NO_SETTINGS,
    MAILBOX,
    99,
];

pub(crate) fn start() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").unwrap()
}

fn yearly() -> Billing {
    Billing::yearly()
}

fn every_three_months() -> Billing {
    Billing::Recurring(reseller_domain::billing::Cycle::new(
        reseller_domain::billing::CycleUnit::Month,
        std::num::NonZeroU32::new(3).unwrap(),
    ))
}

pub(crate) fn accounts() -> Vec<Account> {
    let a = |n: u128, parent: Option<u128>, partner: bool| Account {
        id: acc(n),
        parent: parent.map(acc),
        name: format!("account {n}"),
        strategic_partner: partner,
    };
    vec![
        a(MAIN, None, true),
        a(SUB1, Some(MAIN), false),
        a(SUB2, Some(MAIN), false),
        a(OTHER, None, false),
    ]
}

pub(crate) fn catalog() -> Vec<CatalogProduct> {
    let t = |s: &str| ProductType::new(s).unwrap();
    let p = |n: u128, kind: &str, cycles: Vec<Billing>| {
        CatalogProduct::new(prod(n), t(kind), format!("product {n}"), cycles)
    };
    let mut products = vec![
        p(
            PLAN_UNLIMITED,
            "PREMIUM_PLAN",
            vec![Billing::monthly(), yearly()],
        ),
        p(PLAN_VIP, "PREMIUM_PLAN", vec![Billing::monthly(), yearly()]),
        p(PLAN_WEBSITE, "PREMIUM_PLAN", vec![yearly()]),
        CatalogProduct {
            requires_product_type: Some(t("PREMIUM_PLAN")),
            ..p(DOMAIN, "DOMAIN", vec![yearly()])
        },
        CatalogProduct {
            subscription_limit: Some(2),
            ..p(ASCEND, "ASCEND", vec![Billing::OneTime])
        },
        CatalogProduct {
            resellable: false,
            ..p(NOT_RESELLABLE, "LOGO", vec![Billing::OneTime])
        },
        CatalogProduct {
            has_settings: false,
            ..p(NO_SETTINGS, "APP", vec![Billing::OneTime])
        },
        p(MAILBOX, "MAILBOX", vec![every_three_months()]),
    ];
    // Every product serves as a voucher for every type, so the tests of the
    // store see references used and refused for being used, whatever they buy.
    let mut types: Vec<ProductType> = products.iter().map(|p| p.product_type.clone()).collect();
    types.sort();
    types.dedup();
    for product in &mut products {
        product.grants_voucher_for = types.clone();
    }
    products
}

/// The reference world, at `start()`.
pub(crate) fn reference_world() -> World {
    let mut w = World::new();
    for a in accounts() {
        w.accounts.insert(a.id, a);
    }
    for (s, owner) in SITES {
        w.sites.insert(
            site(s),
            Site {
                id: site(s),
                owner: acc(owner),
                name: format!("site-{s}"),
                external_paid_services: Vec::new(),
                created: start(),
                updated: start(),
                details: Default::default(),
            },
        );
    }
    for p in catalog() {
        w.catalog.insert(p.id, p);
    }
    w.allowed_transfers.insert((acc(SUB2), acc(SUB1)));
    w.allowed_transfers.insert((acc(MAIN), acc(SUB2)));
    w
}

/// Ids handed out from a script (what the test pushed), then from a counter.
pub(crate) struct Scripted {
    queue: Mutex<VecDeque<Uuid>>,
    counter: AtomicU64,
}

impl Scripted {
    pub(crate) fn new() -> Self {
        Self {
            queue: Mutex::new(VecDeque::new()),
            counter: AtomicU64::new(1),
        }
    }

    /// Replaces the script.
    pub(crate) fn script(&self, ids: &[Uuid]) {
        let mut q = self.queue.lock().unwrap();
        q.clear();
        q.extend(ids.iter().copied());
    }
}

impl IdGenerator for Scripted {
    fn new_id(&self) -> Uuid {
        if let Some(next) = self.queue.lock().unwrap().pop_front() {
            return next;
        }
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        Uuid::from_u128(0xffff_0000_0000_4000_8000_0000_0000_0000 | u128::from(n))
    }
}

/// The seeded in-memory Wix with one full key per account (in `ACCOUNTS` order).
pub(crate) struct Seeded {
    pub(crate) wix: MemoryWix,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) ids: Arc<Scripted>,
    pub(crate) keys: Vec<ApiKey>,
}

/// Seeds a fresh in-memory Wix like `reference_world`; the cursor secret is the
/// bytes of `cursor_secret`.
pub(crate) async fn seeded(cursor_secret: Uuid, provisioning: Provisioning) -> Seeded {
    let clock = Arc::new(ManualClock::new(start()));
    let ids = Arc::new(Scripted::new());
    ids.script(&[cursor_secret]);
    let wix = MemoryWix::builder()
        .clock(clock.clone())
        .ids(ids.clone())
        .build();
    for a in accounts() {
        wix.add_account(a).await.unwrap();
    }
    for (s, owner) in SITES {
        wix.add_site(&NewSite::new(site(s), acc(owner), format!("site-{s}")))
            .await
            .unwrap();
    }
    for p in catalog() {
        wix.add_product(p).await.unwrap();
    }
    wix.allow_transfer(acc(SUB2), acc(SUB1)).await.unwrap();
    wix.allow_transfer(acc(MAIN), acc(SUB2)).await.unwrap();
    let mut keys = Vec::new();
    for a in ACCOUNTS {
        keys.push(wix.add_api_key(acc(a), None, None).await.unwrap());
    }
    wix.set_provisioning(provisioning).await.unwrap();
    Seeded {
        wix,
        clock,
        ids,
        keys,
    }
}

/// A product on a site (or floating), with the product's first cycle.
pub(crate) fn product_on(p: u128, s: Option<u128>) -> NewInstance {
    let billing = catalog()
        .into_iter()
        .find(|c| c.id == prod(p))
        .and_then(|c| c.billing_cycles.first().copied())
        .map(BillingRequest::of);
    NewInstance {
        site: s.map(site),
        billing,
        ..NewInstance::new(prod(p)).country(CountryCode::new("US").unwrap())
    }
}

pub(crate) fn create(products: Vec<NewInstance>) -> CreatePackage {
    CreatePackage {
        external_id: None,
        products,
    }
}
