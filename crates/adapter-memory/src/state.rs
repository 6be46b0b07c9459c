//! The in-memory world: accounts, sites, catalog, keys and packages, with the
//! indexes that keep every lookup the rules and queries need independent of the
//! number of packages. [`State`] implements the domain's `WorldView`, so the pure
//! operations run against it directly.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use reseller_domain::auth::Grant;
use reseller_domain::idempotency::{KEY_TTL_MILLIS, KeyScope, Record};
use reseller_domain::ops::{Changes, SiteTransfer};
use reseller_domain::query::CursorKey;
use reseller_domain::world::{Account, CatalogProduct, Site, WorldView};
use reseller_domain::{
    AccountId, CatalogProductId, ExternalId, InstanceId, InstanceStatus, Package, PackageId,
    ProductInstance, SiteId, StatusName, Timestamp,
};
use reseller_ports::Provisioning;

use crate::site_index::SiteIndex;
use crate::tables::{HashMap, HashSet, Packages, SortIndex};

/// What a remembered mutation answered (replayed for the same idempotency key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// A package (every Resellers API mutation).
    Package(Package),
    /// An echoed site transfer.
    Transfer(SiteTransfer),
    /// A new sub-account.
    Account(AccountId),
}

/// A remembered keyed mutation: the request's canonical bytes and the first answer.
pub(crate) type IdemRecord = Record<Vec<u8>, Answer>;

/// One sort index entry: owner, sort key, id.
pub(crate) type SortEntry = (AccountId, Timestamp, PackageId);

/// The whole in-memory world.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) accounts: HashMap<AccountId, Account>,
    children: HashMap<AccountId, BTreeSet<AccountId>>,
    pub(crate) sites: HashMap<SiteId, Site>,
    sites_by_owner: HashMap<AccountId, BTreeSet<SiteId>>,
    /// Query Sites' order indexes.
    pub(crate) site_order: SiteIndex,
    pub(crate) catalog: HashMap<CatalogProductId, CatalogProduct>,
    pub(crate) allowed: HashSet<(AccountId, AccountId)>,
    pub(crate) packages: Packages,
    instance_pkg: HashMap<InstanceId, PackageId>,
    on_site: HashMap<SiteId, Vec<InstanceId>>,
    live: HashMap<(CatalogProductId, AccountId), u32>,
    pub(crate) by_created: SortIndex,
    pub(crate) by_updated: SortIndex,
    pub(crate) by_external: HashMap<ExternalId, BTreeSet<PackageId>>,
    /// What each account holds (the dashboard's account tree).
    pub(crate) held: crate::inspect::HeldIndex,
    /// API keys by their text.
    pub(crate) keys: HashMap<String, Grant>,
    pub(crate) idem: HashMap<KeyScope, IdemRecord>,
    idem_order: VecDeque<(Timestamp, KeyScope)>,
    pub(crate) provisioning: Provisioning,
    /// Instances waiting for automatic provisioning, by due time.
    due: BTreeSet<(Timestamp, InstanceId)>,
    /// Live instances with an `expirationDate`, by that date.
    expiring: BTreeSet<(Timestamp, InstanceId)>,
    /// The latest instant handed out: time never runs backwards in this world.
    pub(crate) now_floor: Timestamp,
    /// Milliseconds added to the injected clock (the emulator's clock control).
    pub(crate) clock_offset: i64,
    /// The journal sequence number of the latest change applied.
    pub(crate) applied_seq: u64,
    pub(crate) cursor_key: CursorKey,
    /// TLDs, taken names and connected domains.
    pub(crate) domains: crate::domains::DomainStore,
}

impl State {
    /// An empty world whose cursors are signed with `cursor_key`.
    pub(crate) fn new(cursor_key: CursorKey, now: Timestamp) -> Self {
        Self {
            accounts: HashMap::default(),
            children: HashMap::default(),
            sites: HashMap::default(),
            sites_by_owner: HashMap::default(),
            site_order: SiteIndex::default(),
            catalog: HashMap::default(),
            allowed: HashSet::default(),
            packages: Packages::default(),
            instance_pkg: HashMap::default(),
            on_site: HashMap::default(),
            live: HashMap::default(),
            by_created: SortIndex::default(),
            by_updated: SortIndex::default(),
            by_external: HashMap::default(),
            held: crate::inspect::HeldIndex::default(),
            keys: HashMap::default(),
            idem: HashMap::default(),
            idem_order: VecDeque::new(),
            provisioning: Provisioning::default(),
            due: BTreeSet::new(),
            expiring: BTreeSet::new(),
            now_floor: now,
            clock_offset: 0,
            applied_seq: 0,
            cursor_key,
            domains: crate::domains::DomainStore::default(),
        }
    }

    /// Inserts or replaces an account.
    pub(crate) fn put_account(&mut self, account: Account) {
        if let Some(parent) = account.parent {
            self.children.entry(parent).or_default().insert(account.id);
        }
        self.accounts.insert(account.id, account);
    }

    /// Inserts or replaces a site, keeping the owner index in step.
    pub(crate) fn put_site(&mut self, site: Site) {
        if let Some(old) = self.sites.get(&site.id) {
            self.site_order.remove(old);
            if old.owner != site.owner {
                let owner = old.owner;
                if let Some(set) = self.sites_by_owner.get_mut(&owner) {
                    set.remove(&site.id);
                }
            }
        }
        self.sites_by_owner
            .entry(site.owner)
            .or_default()
            .insert(site.id);
        self.site_order.insert(&site);
        self.sites.insert(site.id, site);
    }

    /// Inserts or replaces a package, keeping every index in step.
    pub(crate) fn put_package(&mut self, package: Package) {
        if let Some(old) = self.packages.take(&package.id()) {
            self.unindex(&old);
        }
        self.index(&package);
        self.packages.insert(package);
    }

    /// Applies an operation's changes.
    pub(crate) fn apply(&mut self, changes: Changes) {
        for a in changes.accounts {
            self.put_account(a);
        }
        for s in changes.sites {
            self.put_site(s);
        }
        for p in changes.packages {
            self.put_package(p);
        }
    }

    fn index(&mut self, p: &Package) {
        self.held.add(p);
        let (id, owner) = (p.id(), p.account_id());
        self.by_created.insert((owner, p.created(), id));
        self.by_updated.insert((owner, p.updated(), id));
        if let Some(e) = p.external_id() {
            self.by_external.entry(e.clone()).or_default().insert(id);
        }
        let top = self.top_of(owner);
        for i in p.instances() {
            self.instance_pkg.insert(i.id(), id);
            if let Some(site) = i.site() {
                self.on_site.entry(site).or_default().push(i.id());
            }
            if i.is_live() {
                *self.live.entry((i.catalog_product_id(), top)).or_insert(0) += 1;
                if let Some(at) = i.expiration() {
                    self.expiring.insert((at, i.id()));
                }
            }
        }
    }

    fn unindex(&mut self, p: &Package) {
        self.held.remove(p);
        let (id, owner) = (p.id(), p.account_id());
        self.by_created.remove(&(owner, p.created(), id));
        self.by_updated.remove(&(owner, p.updated(), id));
        if let Some(e) = p.external_id() {
            if let Some(set) = self.by_external.get_mut(e) {
                set.remove(&id);
                if set.is_empty() {
                    self.by_external.remove(e);
                }
            }
        }
        let top = self.top_of(owner);
        for i in p.instances() {
            if let Some(site) = i.site() {
                if let Some(list) = self.on_site.get_mut(&site) {
                    list.retain(|x| *x != i.id());
                    if list.is_empty() {
                        self.on_site.remove(&site);
                    }
                }
            }
            if let Some(at) = i.expiration() {
                self.expiring.remove(&(at, i.id()));
            }
            if i.is_live() {
                let key = (i.catalog_product_id(), top);
                if let Some(n) = self.live.get_mut(&key) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        self.live.remove(&key);
                    }
                }
            }
        }
    }

    /// The accounts whose packages a query may look at, in id order: `top` and its
    /// sub-accounts.
    pub(crate) fn family(&self, top: AccountId) -> Vec<AccountId> {
        let mut out = vec![top];
        if let Some(children) = self.children.get(&top) {
            out.extend(children.iter().copied());
        }
        out.sort();
        out
    }

    // ----- idempotency -------------------------------------------------------

    /// Remembers a keyed mutation's answer.
    pub(crate) fn remember(&mut self, scope: KeyScope, record: IdemRecord) {
        self.idem_order.push_back((record.at, scope.clone()));
        self.idem.insert(scope, record);
    }

    /// Forgets the records past their 24 hours at `now`; returns the scopes forgotten.
    pub(crate) fn expire_keys(&mut self, now: Timestamp) -> Vec<KeyScope> {
        let mut gone = Vec::new();
        while let Some((at, _)) = self.idem_order.front() {
            if now.unix_millis().saturating_sub(at.unix_millis()) < KEY_TTL_MILLIS {
                break;
            }
            if let Some((at, scope)) = self.idem_order.pop_front() {
                if self.idem.get(&scope).is_some_and(|r| r.at == at) {
                    self.idem.remove(&scope);
                    gone.push(scope);
                }
            }
        }
        gone
    }

    /// Whether some record is past its 24 hours at `now`.
    pub(crate) fn has_expired_keys(&self, now: Timestamp) -> bool {
        self.idem_order.front().is_some_and(|(at, _)| {
            now.unix_millis().saturating_sub(at.unix_millis()) >= KEY_TTL_MILLIS
        })
    }

    // ----- provisioning ------------------------------------------------------

    /// Schedules automatic provisioning of `instance`, if the mode is automatic.
    pub(crate) fn schedule(&mut self, instance: InstanceId, created: Timestamp) {
        if let Provisioning::Auto { delay_millis } = self.provisioning {
            let delay = i64::try_from(delay_millis).unwrap_or(i64::MAX);
            self.due.insert((created.plus_millis(delay), instance));
        }
    }

    /// Changes the provisioning mode: manual clears the schedule; automatic
    /// schedules every `PENDING` instance at its creation plus the delay.
    pub(crate) fn set_provisioning(&mut self, mode: Provisioning) {
        self.provisioning = mode;
        self.due.clear();
        if matches!(mode, Provisioning::Auto { .. }) {
            let pending: Vec<(InstanceId, Timestamp)> = self
                .packages
                .values()
                .flat_map(|p| p.instances())
                .filter(|i| i.status().name() == StatusName::Pending)
                .map(|i| (i.id(), i.created()))
                .collect();
            for (id, created) in pending {
                self.schedule(id, created);
            }
        }
    }

    /// Whether some instance is due for provisioning at `now`.
    pub(crate) fn has_due(&self, now: Timestamp) -> bool {
        self.due.first().is_some_and(|(at, _)| *at <= now)
    }

    /// Takes the instances due at `now` that are still `PENDING`.
    pub(crate) fn take_due(&mut self, now: Timestamp) -> Vec<InstanceId> {
        let mut out = Vec::new();
        while let Some(&(at, id)) = self.due.first() {
            if at > now {
                break;
            }
            self.due.pop_first();
            let pending = self
                .package_of_instance(id)
                .and_then(|p| p.instance(id))
                .is_some_and(|i| i.status().name() == StatusName::Pending);
            if pending {
                out.push(id);
            }
        }
        out
    }

    // ----- expiry ------------------------------------------------------------

    /// Whether some live instance's `expirationDate` has come at `now`.
    pub(crate) fn has_expiring(&self, now: Timestamp) -> bool {
        self.expiring.first().is_some_and(|(at, _)| *at <= now)
    }

    /// The live instances whose `expirationDate` has come at `now`, earliest first.
    pub(crate) fn expired_at(&self, now: Timestamp) -> Vec<InstanceId> {
        self.expiring
            .iter()
            .take_while(|(at, _)| *at <= now)
            .map(|(_, id)| *id)
            .collect()
    }

    /// Every instance as stored, for checks.
    pub(crate) fn instance(&self, id: InstanceId) -> Option<&ProductInstance> {
        self.package_of_instance(id).and_then(|p| p.instance(id))
    }

    /// Whether `status` is the status of a new instance that provisioning must move.
    pub(crate) fn is_pending(status: &InstanceStatus) -> bool {
        status.name() == StatusName::Pending
    }

    /// Every account id with its direct children (for export).
    pub(crate) fn accounts_in_order(&self) -> Vec<&Account> {
        let ordered: BTreeMap<AccountId, &Account> =
            self.accounts.iter().map(|(k, v)| (*k, v)).collect();
        let (mains, subs): (Vec<&Account>, Vec<&Account>) =
            ordered.into_values().partition(|a| a.parent.is_none());
        mains.into_iter().chain(subs).collect()
    }
}

impl WorldView for State {
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
        self.instance_pkg
            .get(&id)
            .and_then(|p| self.packages.get(p))
    }

    fn instances_on_site(&self, site: SiteId) -> Vec<&ProductInstance> {
        self.on_site
            .get(&site)
            .map(|ids| ids.iter().filter_map(|i| self.instance(*i)).collect())
            .unwrap_or_default()
    }

    fn live_subscriptions(&self, product: CatalogProductId, top: AccountId) -> u32 {
        self.live.get(&(product, top)).copied().unwrap_or(0)
    }

    fn transfer_allowed(&self, source: AccountId, target: AccountId) -> bool {
        self.allowed.contains(&(source, target))
    }

    fn child_accounts(&self, parent: AccountId) -> Vec<&Account> {
        self.children
            .get(&parent)
            .map(|ids| ids.iter().filter_map(|i| self.accounts.get(i)).collect())
            .unwrap_or_default()
    }

    fn sites_of(&self, owner: AccountId) -> Vec<&Site> {
        self.sites_by_owner
            .get(&owner)
            .map(|ids| ids.iter().filter_map(|i| self.sites.get(i)).collect())
            .unwrap_or_default()
    }

    fn connected_domains(&self, site: SiteId) -> Vec<&str> {
        self.domains.names_on_site(site)
    }
}

impl State {
    /// Whether some account family holds a live instance of `product`.
    pub(crate) fn has_live_instances(&self, product: CatalogProductId) -> bool {
        self.live.iter().any(|((p, _), n)| *p == product && *n > 0)
    }

    /// Checks every invariant of the world and of its indexes; returns what is
    /// broken, or nothing.
    pub(crate) fn violations(&self) -> Vec<String> {
        use std::collections::HashMap as Map;
        let mut out = Vec::new();
        let mut owner: Map<InstanceId, PackageId> = Map::new();
        let mut references: Map<InstanceId, u32> = Map::new();
        let mut live_types: Map<(SiteId, String), u32> = Map::new();
        let mut live: HashMap<(CatalogProductId, AccountId), u32> = HashMap::default();
        let mut on_site: Map<SiteId, BTreeSet<InstanceId>> = Map::new();
        for p in self.packages.values() {
            let n = p.instances().len();
            if !(1..=1000).contains(&n) {
                out.push(format!("package {} holds {n} instances", p.id()));
            }
            if !self
                .by_created
                .contains(&(p.account_id(), p.created(), p.id()))
            {
                out.push(format!(
                    "package {} missing from the createdDate index",
                    p.id()
                ));
            }
            if !self
                .by_updated
                .contains(&(p.account_id(), p.updated(), p.id()))
            {
                out.push(format!(
                    "package {} missing from the updatedDate index",
                    p.id()
                ));
            }
            let top = self.top_of(p.account_id());
            for i in p.instances() {
                if let Some(other) = owner.insert(i.id(), p.id()) {
                    out.push(format!(
                        "instance {} is in packages {other} and {}",
                        i.id(),
                        p.id()
                    ));
                }
                if self.instance_pkg.get(&i.id()) != Some(&p.id()) {
                    out.push(format!("instance {} is not indexed to its package", i.id()));
                }
                if let Some(r) = i.reference() {
                    *references.entry(r).or_insert(0) += 1;
                }
                if let Some(site) = i.site() {
                    on_site.entry(site).or_default().insert(i.id());
                }
                if i.is_live() {
                    *live.entry((i.catalog_product_id(), top)).or_insert(0) += 1;
                    if let (Some(site), Some(product)) =
                        (i.site(), self.catalog.get(&i.catalog_product_id()))
                    {
                        *live_types
                            .entry((site, product.product_type.as_str().to_owned()))
                            .or_insert(0) += 1;
                        if self
                            .sites
                            .get(&site)
                            .is_some_and(|s| s.owner != p.account_id())
                        {
                            out.push(format!(
                                "live instance {} sits on site {site} of another account",
                                i.id()
                            ));
                        }
                    }
                }
            }
        }
        for (r, n) in references {
            if n > 1 {
                out.push(format!("instance {r} served as a reference {n} times"));
            }
        }
        for ((site, kind), n) in live_types {
            if n > 1 {
                out.push(format!(
                    "site {site} holds {n} live instances of type {kind}"
                ));
            }
        }
        if live != self.live {
            out.push("the live-subscription counts drifted from the packages".to_owned());
        }
        let expiring: BTreeSet<(Timestamp, InstanceId)> = self
            .packages
            .values()
            .flat_map(|p| p.instances())
            .filter(|i| i.is_live())
            .filter_map(|i| i.expiration().map(|at| (at, i.id())))
            .collect();
        if expiring != self.expiring {
            out.push("the expiration index drifted from the packages".to_owned());
        }
        let all: Vec<&Package> = self.packages.values().collect();
        out.extend(reseller_domain::ops::dependents::violations(self, &all));
        out.extend(crate::domains::violations(self));
        let indexed: Map<SiteId, BTreeSet<InstanceId>> = self
            .on_site
            .iter()
            .map(|(s, v)| (*s, v.iter().copied().collect()))
            .collect();
        if indexed != on_site {
            out.push("the instances-per-site index drifted from the packages".to_owned());
        }
        if self.by_created.len() != self.packages.len()
            || self.by_updated.len() != self.packages.len()
        {
            out.push("the sort indexes hold entries of packages that are gone".to_owned());
        }
        let with_external = self
            .packages
            .values()
            .filter(|p| p.external_id().is_some())
            .count();
        let external_entries: usize = self.by_external.values().map(BTreeSet::len).sum();
        if with_external != external_entries {
            out.push("the external-id index drifted from the packages".to_owned());
        }
        if self.site_order.lens() != [self.sites.len(); 4]
            || self.sites.values().any(|s| !self.site_order.holds(s))
        {
            out.push("the Query Sites order indexes drifted from the sites".to_owned());
        }
        if self.held != crate::inspect::HeldIndex::of(self.packages.values()) {
            out.push("the holdings index drifted from the packages".to_owned());
        }
        out
    }
}
