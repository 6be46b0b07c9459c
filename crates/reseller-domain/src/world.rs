//! The world the rules look at: accounts, sites, the catalog, the transfer
//! allow-list, and the packages. [`WorldView`] is the read-only lookup every
//! operation takes; [`World`] is a plain in-memory implementation, the reference
//! model for tests. Adapters implement [`WorldView`] over their own indexes.

use std::collections::{BTreeMap, BTreeSet};

use crate::billing::Billing;
use crate::ids::{AccountId, CatalogProductId, InstanceId, PackageId, SiteId};
use crate::instance::ProductInstance;
use crate::package::Package;
use crate::text::ProductType;

/// A Wix account: a main account, or a sub-account one level below a main account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// `accountId`
    pub id: AccountId,
    /// The main account this sub-account belongs to; `None` for a main account.
    pub parent: Option<AccountId>,
    /// A display name (emulator data; Wix's API does not return one).
    pub name: String,
    /// Whether Wix treats this account as a strategic partner (may transfer sites).
    pub strategic_partner: bool,
}

impl Account {
    /// The top of this account's family: its parent, or itself for a main account.
    pub fn top(&self) -> AccountId {
        self.parent.unwrap_or(self.id)
    }
}

/// A Wix site owned by one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// `siteId`
    pub id: SiteId,
    /// The owning account (`ownerAccountId`).
    pub owner: AccountId,
    /// The site's name (URL slug).
    pub name: String,
    /// Paid services bought outside the reseller flow (they block a transfer).
    pub external_paid_services: Vec<String>,
    /// When the site was created.
    pub created: crate::time::Timestamp,
    /// When the site last changed (owner included).
    pub updated: crate::time::Timestamp,
    /// Display name, namespace, editor, publication, folder, apps and trash.
    pub details: crate::sites::SiteDetails,
}

impl Site {
    /// `displayName`: the one set, else the name.
    pub fn display_name(&self) -> &str {
        self.details.display_name.as_deref().unwrap_or(&self.name)
    }
}

/// A catalog product, as Wix's B2B sales team describes it (seed data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogProduct {
    /// `catalogProductId`
    pub id: CatalogProductId,
    /// The product type: products of one type replace each other on Adjust and a
    /// site holds at most one live instance of a type.
    pub product_type: ProductType,
    /// A display name.
    pub name: String,
    /// The billing cycles the product can be sold with; never empty for a sellable
    /// product.
    pub billing_cycles: Vec<Billing>,
    /// A product type the site must already hold (live) before this product can be
    /// assigned there (a domain needs a Premium plan).
    pub requires_product_type: Option<ProductType>,
    /// At most this many live instances of the product per account family.
    pub subscription_limit: Option<u32>,
    /// Whether Wix has the product's settings (`PRODUCT_SETTINGS_NOT_FOUND` if not).
    pub has_settings: bool,
    /// Whether the product may be resold (`INVALID_PRODUCTS` if not).
    pub resellable: bool,
    /// Whether Adjust may change an instance of the product
    /// (`OPERATION_NOT_SUPPORTED_FOR_PRODUCT` if not).
    pub adjustable: bool,
    /// The product types for which an instance of this product may serve as
    /// `referenceProductInstanceId` (a Premium plan that grants a domain voucher
    /// names `DOMAIN`); empty: the product grants no voucher.
    pub grants_voucher_for: Vec<ProductType>,
    /// Whether new instances get an `expirationDate` one billing cycle after
    /// creation (domains by default).
    pub expires: bool,
    /// The TLD a `DOMAIN` product sells, without the dot (`com`).
    pub tld: Option<String>,
}

impl CatalogProduct {
    /// The product type of domains, the one that expires by default.
    pub const DOMAIN_TYPE: &'static str = "DOMAIN";

    /// A product with the catalog's defaults: settings known, resellable,
    /// adjustable, no prerequisite, no limit, no voucher, expiring when its type
    /// is `DOMAIN`, no TLD.
    pub fn new(
        id: CatalogProductId,
        product_type: ProductType,
        name: impl Into<String>,
        billing_cycles: Vec<Billing>,
    ) -> Self {
        let expires = product_type.as_str() == Self::DOMAIN_TYPE;
        Self {
            id,
            product_type,
            name: name.into(),
            billing_cycles,
            requires_product_type: None,
            subscription_limit: None,
            has_settings: true,
            resellable: true,
            adjustable: true,
            grants_voucher_for: Vec::new(),
            expires,
            tld: None,
        }
    }

    /// Whether an instance of this product may serve as the voucher for a new
    /// instance of `product_type`.
    pub fn grants_voucher(&self, product_type: &ProductType) -> bool {
        self.grants_voucher_for.contains(product_type)
    }
}

/// Read-only lookups the rules need. Implementations must answer from one
/// consistent snapshot for the duration of an operation.
pub trait WorldView {
    /// An account by id.
    fn account(&self, id: AccountId) -> Option<&Account>;
    /// A site by id.
    fn site(&self, id: SiteId) -> Option<&Site>;
    /// A catalog product by id.
    fn product(&self, id: CatalogProductId) -> Option<&CatalogProduct>;
    /// A package by id.
    fn package(&self, id: PackageId) -> Option<&Package>;
    /// The package holding an instance.
    fn package_of_instance(&self, id: InstanceId) -> Option<&Package>;
    /// Every instance assigned to `site`, whatever its status.
    fn instances_on_site(&self, site: SiteId) -> Vec<&ProductInstance>;
    /// How many live instances of `product` the account family headed by `top` holds.
    fn live_subscriptions(&self, product: CatalogProductId, top: AccountId) -> u32;
    /// Whether Wix allows transfers from `source` to `target`.
    fn transfer_allowed(&self, source: AccountId, target: AccountId) -> bool;
    /// The direct sub-accounts of `parent`.
    fn child_accounts(&self, parent: AccountId) -> Vec<&Account>;
    /// The sites `owner` owns.
    fn sites_of(&self, owner: AccountId) -> Vec<&Site>;
    /// The domain names connected to `site` (Connected Domains), in any order.
    fn connected_domains(&self, site: SiteId) -> Vec<&str>;

    /// The top of an account's family (itself when unknown or a main account).
    fn top_of(&self, id: AccountId) -> AccountId {
        self.account(id).map(Account::top).unwrap_or(id)
    }
}

/// A plain, unindexed-beyond-maps world: the reference model for tests and a
/// starting point for small adapters.
#[derive(Debug, Clone, Default)]
pub struct World {
    /// Accounts by id.
    pub accounts: BTreeMap<AccountId, Account>,
    /// Sites by id.
    pub sites: BTreeMap<SiteId, Site>,
    /// Catalog by id.
    pub catalog: BTreeMap<CatalogProductId, CatalogProduct>,
    /// Allowed (source, target) transfer pairs.
    pub allowed_transfers: BTreeSet<(AccountId, AccountId)>,
    /// Packages by id.
    pub packages: BTreeMap<PackageId, Package>,
    /// The domain names connected to each site.
    pub connected_domains: BTreeMap<SiteId, Vec<String>>,
    instance_index: BTreeMap<InstanceId, PackageId>,
}

impl World {
    /// An empty world.
    pub fn new() -> Self {
        Self::default()
    }

    /// Inserts or replaces a package, keeping the instance index in step.
    pub fn put_package(&mut self, package: Package) {
        for i in package.instances() {
            self.instance_index.insert(i.id(), package.id());
        }
        self.packages.insert(package.id(), package);
    }

    /// Applies an operation's outcome: stores every changed package and moved site.
    pub fn apply(&mut self, changes: &crate::ops::Changes) {
        for p in &changes.packages {
            self.put_package(p.clone());
        }
        for s in &changes.sites {
            self.sites.insert(s.id, s.clone());
        }
        for a in &changes.accounts {
            self.accounts.insert(a.id, a.clone());
        }
    }
}

impl WorldView for World {
    fn account(&self, id: AccountId) -> Option<&Account> {
        self.accounts.get(&id)
    }
    fn site(&self, id: SiteId) -> Option<&Site> {
        self.sites.get(&id)
    }
    fn product(&self, id: CatalogProductId) -> Option<&CatalogProduct> {
        self.catalog.get(&id)
    }
    fn package(&self, id: PackageId) -> Option<&Package> {
        self.packages.get(&id)
    }
    fn package_of_instance(&self, id: InstanceId) -> Option<&Package> {
        self.instance_index
            .get(&id)
            .and_then(|p| self.packages.get(p))
    }
    fn instances_on_site(&self, site: SiteId) -> Vec<&ProductInstance> {
        self.packages
            .values()
            .flat_map(|p| p.instances())
            .filter(|i| i.site() == Some(site))
            .collect()
    }
    fn live_subscriptions(&self, product: CatalogProductId, top: AccountId) -> u32 {
        let n = self
            .packages
            .values()
            .filter(|p| self.top_of(p.account_id()) == top)
            .flat_map(|p| p.instances())
            .filter(|i| i.catalog_product_id() == product && i.is_live())
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
    fn transfer_allowed(&self, source: AccountId, target: AccountId) -> bool {
        self.allowed_transfers.contains(&(source, target))
    }
    fn child_accounts(&self, parent: AccountId) -> Vec<&Account> {
        self.accounts
            .values()
            .filter(|a| a.parent == Some(parent))
            .collect()
    }
    fn sites_of(&self, owner: AccountId) -> Vec<&Site> {
        self.sites.values().filter(|s| s.owner == owner).collect()
    }
    fn connected_domains(&self, site: SiteId) -> Vec<&str> {
        self.connected_domains
            .get(&site)
            .map(|d| d.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }
}
