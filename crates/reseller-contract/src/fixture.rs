//! The standard world every case starts from, seeded through [`Seed`] alone, with
//! fixed ids so a failure names accounts, sites and products readably.
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
use std::num::NonZeroU32;
use std::sync::Arc;

use futures_util::StreamExt;
use reseller_domain::auth::Scope;
use reseller_domain::ops::{BillingRequest, CreatePackage, NewInstance};
use reseller_domain::query::{PackageQuery, Paging, Value};
use reseller_domain::{
    Account, AccountId, Billing, CatalogProduct, CatalogProductId, CountryCode, Cycle, CycleUnit,
    IdempotencyKey, InstanceId, InstanceStatus, Package, PackageId, ProductType, SiteId,
};
use reseller_ports::{
    Accounts, ApiKey, Call, ChildAccountsPaging, NewSite, Provisioning, ResellerPackages, Seed,
    SiteInfo, SitesQuery, Wix, pages,
};
use uuid::Uuid;

/// An account id `a0000000-0000-4000-8000-…n` (the fixture's account ids).
pub const fn account(n: u128) -> AccountId {
    AccountId::from_uuid(Uuid::from_u128(
        0xa000_0000_0000_4000_8000_0000_0000_0000 + n,
    ))
}
/// A site id `50000000-0000-4000-8000-…n`.
pub const fn site(n: u128) -> SiteId {
    SiteId::from_uuid(Uuid::from_u128(
        0x5000_0000_0000_4000_8000_0000_0000_0000 + n,
    ))
}
/// A catalog product id `c0000000-0000-4000-8000-…n`.
pub const fn product(n: u128) -> CatalogProductId {
    CatalogProductId::from_uuid(Uuid::from_u128(
        0xc000_0000_0000_4000_8000_0000_0000_0000 + n,
    ))
}

/// The strategic partner's main account.
pub const MAIN: AccountId = account(1);
/// A sub-account of [`MAIN`].
pub const SUB1: AccountId = account(2);
/// Another sub-account of [`MAIN`] (a sibling of [`SUB1`]).
pub const SUB2: AccountId = account(3);
/// An unrelated main account that is not a strategic partner.
pub const OTHER: AccountId = account(4);
/// An account id that no world holds.
pub const UNKNOWN_ACCOUNT: AccountId = account(0x99);

/// A site of [`MAIN`].
pub const MAIN_SITE: SiteId = site(1);
/// A second site of [`MAIN`].
pub const MAIN_SPARE: SiteId = site(2);
/// A site of [`MAIN`] with a paid service bought outside the reseller flow.
pub const MAIN_PAID: SiteId = site(3);
/// A site of [`SUB1`].
pub const SUB1_SITE: SiteId = site(0x11);
/// A second site of [`SUB1`].
pub const SUB1_SPARE: SiteId = site(0x12);
/// A site of [`SUB2`].
pub const SUB2_SITE: SiteId = site(0x21);
/// A site of [`OTHER`].
pub const OTHER_SITE: SiteId = site(0x31);
/// A site id that no world holds.
pub const UNKNOWN_SITE: SiteId = site(0x99);

/// The type of the Premium plans.
pub const PREMIUM_PLAN: &str = "PREMIUM_PLAN";
/// The type of the domains (they require a Premium plan on the site).
pub const DOMAIN_TYPE: &str = "DOMAIN";
/// The type of the mailboxes.
pub const MAILBOX_TYPE: &str = "MAILBOX";

/// Premium plan "Business Unlimited": monthly or yearly; grants a domain voucher.
pub const PLAN_UNLIMITED: CatalogProductId = product(1);
/// Premium plan "Business VIP": monthly or yearly; grants a domain voucher.
pub const PLAN_VIP: CatalogProductId = product(2);
/// Premium plan sold only for two years at a time; grants no voucher.
pub const PLAN_BIENNIAL: CatalogProductId = product(3);
/// A domain: yearly; requires a Premium plan on the site; expires (the default
/// of `DOMAIN` products) a year after creation.
pub const DOMAIN: CatalogProductId = product(4);
/// A free first-year domain, the voucher-style add-on sold with a
/// `referenceProductInstanceId` naming a Premium plan instance: yearly, same type
/// as [`DOMAIN`], requires a Premium plan on the site.
pub const DOMAIN_VOUCHER: CatalogProductId = product(5);
/// Ascend: one-time.
pub const ASCEND: CatalogProductId = product(6);
/// A mailbox billed every three months, at most 2 live per account family.
pub const MAILBOX: CatalogProductId = product(7);
/// A mailbox of the same type as [`MAILBOX`], billed every three months, no limit.
pub const MAILBOX_LITE: CatalogProductId = product(8);
/// A Premium plan (yearly) that may not be resold.
pub const NOT_RESELLABLE: CatalogProductId = product(9);
/// A Premium plan (yearly) without Wix-side settings.
pub const NO_SETTINGS: CatalogProductId = product(0x0a);
/// A logo, one-time, that Adjust does not support (`adjustable: false`).
pub const LOGO: CatalogProductId = product(0x0b);
/// A Premium plan billed monthly that expires (`expires: true`) instead of
/// renewing: the case of a required instance that expires.
pub const PLAN_EXPIRING: CatalogProductId = product(0x0c);
/// A product id the catalog does not hold.
pub const UNKNOWN_PRODUCT: CatalogProductId = product(0x99);

/// An instance id that no world holds.
pub const UNKNOWN_INSTANCE: InstanceId =
    InstanceId::from_uuid(Uuid::from_u128(0x1000_0000_0000_4000_8000_0000_0000_0099));
/// A package id that no world holds.
pub const UNKNOWN_PACKAGE: PackageId =
    PackageId::from_uuid(Uuid::from_u128(0xb000_0000_0000_4000_8000_0000_0000_0099));

/// The (source, target) pairs on the transfer allow-list.
pub const ALLOWED_TRANSFERS: [(AccountId, AccountId); 5] = [
    (MAIN, SUB1),
    (MAIN, SUB2),
    (SUB1, SUB2),
    (SUB2, SUB2),
    (OTHER, OTHER),
];

/// Every three months: the only cycle of the mailboxes.
pub fn quarterly() -> Billing {
    Billing::Recurring(Cycle::new(CycleUnit::Month, nonzero(3)))
}

/// Every two years, [`PLAN_BIENNIAL`]'s only cycle.
pub fn biennial() -> Billing {
    Billing::Recurring(Cycle::new(CycleUnit::Year, nonzero(2)))
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).expect("a positive count")
}

/// The catalog every world holds.
pub fn catalog() -> Vec<CatalogProduct> {
    let ty = |t: &str| ProductType::new(t).expect("a valid product type");
    let product = |id, t: &str, name: &str, cycles: Vec<Billing>| {
        CatalogProduct::new(id, ty(t), name, cycles)
    };
    let plan_cycles = vec![Billing::monthly(), Billing::yearly()];
    vec![
        CatalogProduct {
            grants_voucher_for: vec![ty(DOMAIN_TYPE)],
            ..product(
                PLAN_UNLIMITED,
                PREMIUM_PLAN,
                "Business Unlimited",
                plan_cycles.clone(),
            )
        },
        CatalogProduct {
            grants_voucher_for: vec![ty(DOMAIN_TYPE)],
            ..product(PLAN_VIP, PREMIUM_PLAN, "Business VIP", plan_cycles)
        },
        product(
            PLAN_BIENNIAL,
            PREMIUM_PLAN,
            "Website (2 years)",
            vec![biennial()],
        ),
        CatalogProduct {
            requires_product_type: Some(ty(PREMIUM_PLAN)),
            ..product(DOMAIN, DOMAIN_TYPE, "Domain", vec![Billing::yearly()])
        },
        CatalogProduct {
            requires_product_type: Some(ty(PREMIUM_PLAN)),
            ..product(
                DOMAIN_VOUCHER,
                DOMAIN_TYPE,
                "Free first-year domain",
                vec![Billing::yearly()],
            )
        },
        product(ASCEND, "ASCEND", "Ascend", vec![Billing::OneTime]),
        CatalogProduct {
            subscription_limit: Some(2),
            ..product(MAILBOX, MAILBOX_TYPE, "Mailbox", vec![quarterly()])
        },
        product(
            MAILBOX_LITE,
            MAILBOX_TYPE,
            "Mailbox lite",
            vec![quarterly()],
        ),
        CatalogProduct {
            resellable: false,
            ..product(
                NOT_RESELLABLE,
                PREMIUM_PLAN,
                "Not for resale",
                vec![Billing::yearly()],
            )
        },
        CatalogProduct {
            has_settings: false,
            ..product(
                NO_SETTINGS,
                PREMIUM_PLAN,
                "Without settings",
                vec![Billing::yearly()],
            )
        },
        CatalogProduct {
            adjustable: false,
            ..product(LOGO, "LOGO", "Logo maker", vec![Billing::OneTime])
        },
        CatalogProduct {
            expires: true,
            ..product(
                PLAN_EXPIRING,
                PREMIUM_PLAN,
                "Website (expiring)",
                vec![Billing::monthly()],
            )
        },
    ]
}

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
        let accounts = [
            (MAIN, None, "Acme Hosting", true),
            (SUB1, Some(MAIN), "Customer 1", false),
            (SUB2, Some(MAIN), "Customer 2", false),
            (OTHER, None, "Unrelated Agency", false),
        ];
        for (id, parent, name, strategic_partner) in accounts {
            let account = Account {
                id,
                parent,
                name: name.to_owned(),
                strategic_partner,
            };
            let added = seed
                .add_account(&account)
                .await
                .unwrap_or_else(|e| panic!("seeding: add account {id}: {e}"));
            assert_eq!(added.id, id, "seeding: the account keeps its id");
        }
        let sites = [
            (MAIN_SITE, MAIN, "main-site"),
            (MAIN_SPARE, MAIN, "main-spare"),
            (MAIN_PAID, MAIN, "main-paid"),
            (SUB1_SITE, SUB1, "sub1-site"),
            (SUB1_SPARE, SUB1, "sub1-spare"),
            (SUB2_SITE, SUB2, "sub2-site"),
            (OTHER_SITE, OTHER, "other-site"),
        ];
        for (id, owner, name) in sites {
            let mut new = NewSite::new(id, owner, name);
            if id == MAIN_PAID {
                new.external_paid_services = vec!["Premium plan bought directly".to_owned()];
            }
            let added = seed
                .add_site(&new)
                .await
                .unwrap_or_else(|e| panic!("seeding: add site {id}: {e}"));
            assert_eq!(
                (added.id, added.owner),
                (id, owner),
                "seeding: the site keeps its id and owner"
            );
        }
        for p in catalog() {
            seed.add_product(&p)
                .await
                .unwrap_or_else(|e| panic!("seeding: add product {}: {e}", p.id));
        }
        for (source, target) in ALLOWED_TRANSFERS {
            seed.allow_transfer(source, target)
                .await
                .unwrap_or_else(|e| panic!("seeding: allow {source} -> {target}: {e}"));
        }
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
