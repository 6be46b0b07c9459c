//! The standard world every case starts from, seeded through [`Seed`] alone, with
//! fixed ids so a failure names accounts, sites and products readably. It is the
//! one test world of the workspace: its data (`world`) is also what the domain's
//! tests and the in-memory Wix's tests build on.
//!
//! The world: `MAIN`, a strategic-partner main account, with the sub-accounts
//! `SUB1` and `SUB2`; `OTHER`, an unrelated main account that is not a partner;
//! sites in each (one of `MAIN`'s carries a paid service bought outside the
//! reseller flow); a catalog covering every product rule; the transfer allow-list;
//! and API keys of every kind, each already connected as an `Arc<dyn Wix>`.
//!
//! Ids: accounts are `a0000000-…`, sites `50000000-…`, products `c0000000-…`; the
//! `UNKNOWN_*` ids are never seeded.

use std::collections::BTreeSet;
use std::sync::Arc;

use futures_util::StreamExt;
use reseller_domain::auth::Scope;
use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::query::{PackageQuery, Paging, Value};
use reseller_domain::{
    AccountId, Billing, CatalogProductId, CountryCode, IdempotencyKey, InstanceId, InstanceStatus,
    Package, PackageId, SiteId, Timestamp,
};
use reseller_ports::{
    Accounts, ApiKey, Call, ChildAccountsPaging, Provisioning, ResellerPackages, Seed, SiteInfo,
    SitesQuery, Wix, pages,
};

mod world;

pub use world::*;

/// The standard world and a client for every kind of API key.
pub struct Fixture<'a> {
    /// The Wix under test, for seeding and steering.
    pub seed: &'a dyn Seed,
    /// A key of [`MAIN`] with every scope (acts on [`MAIN`] by default).
    pub main: Arc<dyn Wix>,
    /// A key of [`SUB1`] with every scope (acts on [`SUB1`] by default).
    pub sub1: Arc<dyn Wix>,
    /// A key of [`SUB2`] with every scope (acts on [`SUB2`] by default).
    pub sub2: Arc<dyn Wix>,
    /// A key of [`OTHER`] with every scope (acts on [`OTHER`] by default).
    pub other: Arc<dyn Wix>,
    /// A key of [`MAIN`] with `premium.reseller-package.read` only.
    pub main_read: Arc<dyn Wix>,
    /// A key of [`MAIN`] with `premium.reseller-package.manage` only.
    pub main_manage: Arc<dyn Wix>,
    /// A key of [`MAIN`] without any scope.
    pub main_none: Arc<dyn Wix>,
    /// A key that was never issued.
    pub bogus: Arc<dyn Wix>,
}

impl std::fmt::Debug for Fixture<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fixture(..)")
    }
}

impl<'a> Fixture<'a> {
    /// Seeds the standard world with manual provisioning: statuses move only when
    /// a case moves them ([`Seed::set_instance_status`]).
    pub async fn new(seed: &'a dyn Seed) -> Self {
        let fx = Self::with_adapter_provisioning(seed).await;
        seed.set_provisioning(Provisioning::Manual)
            .await
            .unwrap_or_else(|e| panic!("seeding: set manual provisioning: {e}"));
        fx
    }

    /// Seeds the standard world and leaves provisioning as the adapter starts it.
    pub async fn with_adapter_provisioning(seed: &'a dyn Seed) -> Self {
        // The sites' dates are not seeded: the Wix's clock dates them.
        let epoch = Timestamp::from_unix_millis(0).expect("the epoch is a timestamp");
        seed_world(seed, &world(epoch)).await;
        Self {
            seed,
            main: client(seed, MAIN, None).await,
            sub1: client(seed, SUB1, None).await,
            sub2: client(seed, SUB2, None).await,
            other: client(seed, OTHER, None).await,
            main_read: client(seed, MAIN, Some(&[Scope::PackagesRead])).await,
            main_manage: client(seed, MAIN, Some(&[Scope::PackagesManage])).await,
            main_none: client(seed, MAIN, Some(&[])).await,
            bogus: seed.connect(&ApiKey::new("never-issued-key"), MAIN),
        }
    }

    /// Creates a package for `account` with the main key; panics when refused.
    pub async fn buy(&self, account: AccountId, items: Vec<NewInstance>) -> Package {
        let what = format!("Create Package for {account}");
        let p = crate::expect::ok(
            &what,
            self.main.create_package(&on(account), &create(items)).await,
        );
        assert_eq!(p.account_id(), account, "{what}: the package's account");
        p
    }

    /// Creates a package of one [`PLAN_UNLIMITED`] instance (yearly) for `account`,
    /// on `site` or floating; answers the package and the instance's id.
    pub async fn plan(&self, account: AccountId, site: Option<SiteId>) -> (Package, InstanceId) {
        let p = self.buy(account, vec![item(PLAN_UNLIMITED, site)]).await;
        let id = crate::expect::first(&p);
        (p, id)
    }

    /// Gets a package of `account` with the main key; panics when refused.
    pub async fn get(&self, account: AccountId, id: PackageId) -> Package {
        crate::expect::ok(
            &format!("Get Package {id} on {account}"),
            self.main.get_package(&on(account), id).await,
        )
    }

    /// Moves an instance's status as Wix's provisioning would; panics when refused.
    pub async fn set_status(&self, instance: InstanceId, status: InstanceStatus) -> Package {
        let name = status.name();
        self.seed
            .set_instance_status(instance, status)
            .await
            .unwrap_or_else(|e| panic!("steering: move {instance} to {name}: {e}"))
    }

    /// Moves the Wix's clock forward; panics when refused.
    pub async fn advance(&self, millis: u64) {
        self.seed
            .advance_clock(millis)
            .await
            .unwrap_or_else(|e| panic!("steering: advance the clock by {millis} ms: {e}"));
    }

    /// Every package `client` sees acting on `account`, through every cursor page
    /// of the default query (newest first).
    pub async fn all_packages(&self, client: &dyn Wix, account: AccountId) -> Vec<Package> {
        let query = PackageQuery::new(None, Vec::new(), Vec::new()).expect("the default query");
        self.walk(client, account, query).await
    }

    /// Every package matching `query` that `client` sees acting on `account`,
    /// following the `next` cursors from the first page.
    pub async fn walk(
        &self,
        client: &dyn Wix,
        account: AccountId,
        query: PackageQuery,
    ) -> Vec<Package> {
        assert!(
            !query.paging().is_offset(),
            "walk: a cursor-paged query is needed"
        );
        let call = on(account);
        let mut walk = std::pin::pin!(pages::package_pages(client, &call, &query));
        let mut out = Vec::new();
        for _ in 0..10_000 {
            let Some(page) = walk.next().await else {
                return out;
            };
            out.extend(crate::expect::ok(&format!("Query Packages on {account}"), page).packages);
        }
        panic!("Query Packages on {account}: the cursors never end");
    }

    /// Everything a case can read back: every package of every account, every
    /// site of every account, and the sub-accounts. Equal snapshots before and
    /// after a refused call prove that it changed nothing.
    pub async fn snapshot(&self) -> Snapshot {
        let mut packages = self.all_packages(&*self.main, MAIN).await;
        packages.extend(self.all_packages(&*self.other, OTHER).await);
        packages.sort_by_key(Package::id);
        let mut children = Vec::new();
        for parent in [MAIN, OTHER] {
            let client = if parent == MAIN {
                &self.main
            } else {
                &self.other
            };
            let page = crate::expect::ok(
                &format!("List Child Accounts of {parent}"),
                client
                    .list_child_accounts(
                        &on(parent),
                        ChildAccountsPaging {
                            offset: None,
                            limit: Some(50),
                        },
                    )
                    .await,
            );
            children.extend(page.accounts.into_iter().map(|c| (parent, c)));
        }
        let mut sites = Vec::new();
        let accounts = [MAIN, SUB1, SUB2].into_iter().chain(
            children
                .iter()
                .map(|(_, c)| *c)
                .filter(|c| *c != SUB1 && *c != SUB2),
        );
        for account in accounts {
            sites.extend(self.sites_of(&*self.main, account).await);
        }
        sites.extend(self.sites_of(&*self.other, OTHER).await);
        sites.sort_by_key(|s| s.id);
        Snapshot {
            packages,
            sites,
            children,
        }
    }

    /// Asserts that nothing changed since `before`.
    pub async fn assert_unchanged(&self, before: &Snapshot, what: &str) {
        let after = self.snapshot().await;
        if &after != before {
            panic!(
                "{what}: a refused or repeated call changed the world\nbefore: {before:#?}\nafter: {after:#?}"
            );
        }
    }

    /// Every site of `account` (every namespace, in the trash or not), through
    /// every page of Query Sites.
    pub async fn sites_of(&self, client: &dyn Wix, account: AccountId) -> Vec<SiteInfo> {
        let call = on(account);
        let query = SitesQuery::new(Some(every_site()), Vec::new(), Vec::new())
            .unwrap_or_else(|e| panic!("the every-site query: {e}"));
        let mut walk = std::pin::pin!(pages::site_pages(client, &call, &query));
        let mut out = Vec::new();
        for _ in 0..10_000 {
            let Some(page) = walk.next().await else {
                return out;
            };
            out.extend(crate::expect::ok(&format!("Query Sites on {account}"), page).sites);
        }
        panic!("Query Sites on {account}: the cursors never end");
    }
}

/// The Query Sites filter that answers every site: a condition on `namespace`
/// and on `state` that every site meets (so neither default applies).
pub fn every_site() -> Value {
    Value::object([
        ("namespace", Value::object([("$exists", Value::Bool(true))])),
        (
            "state",
            Value::object([(
                "$in",
                Value::array([Value::from("ACTIVE"), Value::from("TRASHED")]),
            )]),
        ),
    ])
}

/// A client of a new API key of `account` holding `scopes` (`None`: every scope).
async fn client(seed: &dyn Seed, account: AccountId, scopes: Option<&[Scope]>) -> Arc<dyn Wix> {
    let scopes = scopes.map(|s| s.iter().copied().collect::<BTreeSet<_>>());
    let key = seed
        .add_api_key(account, scopes)
        .await
        .unwrap_or_else(|e| panic!("seeding: add an API key of {account}: {e}"));
    seed.connect(&key, account)
}

/// What [`Fixture::snapshot`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Every package, by id.
    pub packages: Vec<Package>,
    /// Every site, by id.
    pub sites: Vec<SiteInfo>,
    /// `(parent, child)` for every sub-account of [`MAIN`] and [`OTHER`].
    pub children: Vec<(AccountId, AccountId)>,
}

/// Options acting on `account` (the `wix-account-id` header).
pub fn on(account: AccountId) -> Call {
    Call::new().account(account)
}

/// Options acting on `account` with the idempotency key `key`.
pub fn keyed(account: AccountId, key: &str) -> Call {
    on(account).idempotency_key(IdempotencyKey::new(key).expect("a valid idempotency key"))
}

/// `BR`, the country every seeded product is sold for.
pub fn brazil() -> CountryCode {
    CountryCode::new("BR").expect("BR is a country")
}

/// One product to buy: `countryCode` `BR`, on `site` or floating, yearly for the
/// two plans that sell several cycles ([`PLAN_UNLIMITED`], [`PLAN_VIP`]) and no
/// `billingInfo` otherwise (every other product sells one cycle).
pub fn item(product: CatalogProductId, site: Option<SiteId>) -> NewInstance {
    let billing = (product == PLAN_UNLIMITED || product == PLAN_VIP)
        .then(|| BillingRequest::of(Billing::yearly()));
    NewInstance {
        site,
        billing,
        ..NewInstance::new(product).country(brazil())
    }
}

/// `item` with the billing `billing` requested.
pub fn billed(product: CatalogProductId, site: Option<SiteId>, billing: Billing) -> NewInstance {
    NewInstance {
        billing: Some(BillingRequest::of(billing)),
        ..item(product, site)
    }
}

/// A Create Package V2 request without an external id.
pub fn create(items: Vec<NewInstance>) -> CreatePackage {
    CreatePackage::new(items)
}

/// A query that continues from `cursor` with `limit`.
pub fn cursor_query(limit: Option<u32>, cursor: String) -> PackageQuery {
    PackageQuery::new(
        None,
        Vec::new(),
        vec![Paging::Cursor {
            limit,
            cursor: Some(cursor),
        }],
    )
    .expect("a cursor query")
}
