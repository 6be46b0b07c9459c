//! Reconcile's property: from random billing and random Wix states (duplicates,
//! orphans, failed and waiting instances, packages in the wrong account), with
//! crashes at random calls of the first applies (before a call is sent, or after
//! its change is made and before the answer comes back), and on the emulator with
//! its fault rules (500, dropped connections, 503 after the commit, a failed move
//! that leaves the instance floating), planning and applying again until only held
//! steps are left:
//!
//! - Wix holds exactly billing's products for every active subscription without a
//!   problem (one live package, its account, each product, cycle, country, site);
//! - no ended subscription keeps a live package;
//! - no external id gains a second live package;
//! - nothing is canceled but what billing ended, the replaces allowed, and the
//!   orphans when their cancel was asked for;
//! - the plan reaches a fixed point: nothing left but destructive steps held.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use adapter_memory::MemoryWix;
use adapter_wix_http::control::{EmulatorControl, Fault};
use adapter_wix_http::{RetryPolicy, WixHttpClient};
use async_trait::async_trait;
use proptest::prelude::*;
use reseller_app::Attempts;
use reseller_app::reconcile::{
    Action, ApplyOptions, Catalog, DesiredState, PlanOptions, ProblemKind, SubscriptionStatus,
    apply, parse_jsonl, plan, read_actual,
};
use reseller_contract::fixture::*;
use reseller_domain::ops::{Adjust, BillingRequest, CreatePackage, NewInstance};
use reseller_domain::query::PackageQuery;
use reseller_domain::{
    AccountId, Billing, CatalogProductId, CountryCode, ExternalId, Failure, FailureCode,
    InstanceId, InstanceStatus, Package, PackageId, SiteId, Timestamp,
};
use reseller_emulator::Emulator;
use reseller_ports::{
    Call, ManualClock, NewSite, PackagesPage, PortError, ResellerPackages, Seed, SequentialIds, Wix,
};
use serde_json::json;
use tokio::sync::Notify;

/// The products a case sells, with the cycles each sells. Domains are floating
/// here: the order around the plans they need is the hand-written cases' concern.
const PRODUCTS: [(CatalogProductId, &[&str]); 5] = [
    (PLAN_UNLIMITED, &["monthly", "yearly"]),
    (PLAN_VIP, &["monthly", "yearly"]),
    (ASCEND, &["one-time"]),
    (MAILBOX_LITE, &["3-month"]),
    (DOMAIN, &["yearly"]),
];
const ACCOUNTS: [AccountId; 2] = [SUB1, SUB2];
const COUNTRIES: [&str; 2] = ["BR", "US"];

#[derive(Debug, Clone)]
struct GenProduct {
    product: usize,
    billing: usize,
    /// An index into the subscription's own two sites; 2 and above: floating.
    site: usize,
    country: usize,
}

#[derive(Debug, Clone)]
struct GenPackage {
    /// Whether it is in the other account (a wrong-account problem).
    other_account: bool,
    products: Vec<GenProduct>,
    /// Made from billing's products, each changed by its code (0-1 kept, 2 other
    /// cycle, 3 other site, 4 the other plan, 5 other country, 6 left out),
    /// instead of `products`.
    near: Option<Vec<u8>>,
    /// Per instance: 0-11 pending, 12-15 enabled, 16 canceled, 17 failed, 18 awaiting.
    statuses: Vec<u8>,
}

#[derive(Debug, Clone)]
struct GenSub {
    /// 0: billing does not know it (its packages are orphans), 1-3: active, 4: ended.
    desired: u8,
    account: usize,
    products: Vec<GenProduct>,
    actual: Vec<GenPackage>,
}

#[derive(Debug, Clone)]
struct Case {
    subs: Vec<GenSub>,
    unkeyed: bool,
    allow_destroy: bool,
    cancel_orphans: bool,
    /// Per early round: the mutating call to crash at, and whether after its change.
    crashes: Vec<Option<(u32, bool)>>,
}

fn gen_product() -> impl Strategy<Value = GenProduct> {
    (0..PRODUCTS.len(), 0..2usize, 0..4usize, 0..8usize).prop_map(|(product, billing, site, c)| {
        GenProduct {
            product,
            billing,
            site,
            // Mostly Brazil, so that most products adjust rather than replace.
            country: usize::from(c == 0),
        }
    })
}

fn gen_package() -> impl Strategy<Value = GenPackage> {
    (
        prop::bool::weighted(0.08),
        prop::collection::vec(gen_product(), 1..=3),
        prop::option::weighted(0.8, prop::collection::vec(0..7u8, 3)),
        prop::collection::vec(0..19u8, 3),
    )
        .prop_map(|(other_account, products, near, statuses)| GenPackage {
            other_account,
            products,
            near,
            statuses,
        })
}

fn gen_sub() -> impl Strategy<Value = GenSub> {
    (
        0..5u8,
        0..ACCOUNTS.len(),
        prop::collection::vec(gen_product(), 1..=3),
        prop_oneof![
            1 => prop::collection::vec(gen_package(), 0..=0),
            4 => prop::collection::vec(gen_package(), 1..=1),
            1 => prop::collection::vec(gen_package(), 2..=2),
        ],
    )
        .prop_map(|(desired, account, products, actual)| GenSub {
            desired,
            account,
            products,
            actual,
        })
}

fn gen_case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(gen_sub(), 1..=6),
        prop::bool::weighted(0.3),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(prop::option::weighted(0.6, (1..5u32, any::<bool>())), 3),
    )
        .prop_map(
            |(subs, unkeyed, allow_destroy, cancel_orphans, crashes)| Case {
                subs,
                unkeyed,
                allow_destroy,
                cancel_orphans,
                crashes,
            },
        )
}

fn ext(k: usize) -> ExternalId {
    ExternalId::new(format!("sub-{k}")).unwrap()
}

/// Subscription `k`'s own two sites (in its account): no two subscriptions share
/// a site, so no package the plan leaves alone (an orphan, a problem) stands in
/// another subscription's way.
fn site_of(k: usize, account: AccountId, n: usize) -> Option<SiteId> {
    (n < 2).then(|| {
        let a = u128::from(account == SUB2);
        site(0x1000 + (k as u128) * 4 + a * 2 + n as u128)
    })
}

fn catalog() -> Catalog {
    Catalog::new(reseller_contract::fixture::catalog())
}

fn billing_of(g: &GenProduct) -> &'static str {
    let cycles = PRODUCTS[g.product].1;
    cycles[g.billing % cycles.len()]
}

/// Where each product goes: its site, unless an earlier one of its type took it
/// or it is an add-on (floating here).
fn placed(k: usize, account: AccountId, products: &[GenProduct]) -> Vec<Option<SiteId>> {
    let catalog = catalog();
    let mut taken = HashSet::new();
    products
        .iter()
        .map(|g| {
            let (id, _) = PRODUCTS[g.product];
            let ty = catalog.product_type(id).unwrap().clone();
            site_of(k, account, g.site)
                .filter(|s| !catalog.is_dependent(id) && taken.insert((*s, ty)))
        })
        .collect()
}

/// The billing file of a case: one type per site, domains floating.
fn desired_of(case: &Case) -> DesiredState {
    let catalog = catalog();
    let mut lines = Vec::new();
    for (k, s) in case.subs.iter().enumerate() {
        let account = ACCOUNTS[s.account];
        match s.desired {
            0 => {}
            4 => lines.push(json!({"externalId": ext(k).as_str(), "accountId": account.to_string(), "status": "ended"})),
            _ => {
                let products: Vec<_> = s
                    .products
                    .iter()
                    .zip(placed(k, account, &s.products))
                    .map(|(g, site)| {
                        let (id, _) = PRODUCTS[g.product];
                        let mut p = json!({
                            "catalogProductId": id.to_string(),
                            "billing": billing_of(g),
                            "countryCode": COUNTRIES[g.country],
                        });
                        if let Some(s) = site {
                            p["siteId"] = json!(s.to_string());
                        }
                        p
                    })
                    .collect();
                lines.push(json!({"externalId": ext(k).as_str(), "accountId": account.to_string(), "status": "active", "products": products}));
            }
        }
    }
    let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
    parse_jsonl(&text.join("\n"), &catalog)
        .unwrap_or_else(|e| panic!("the generated billing is valid: {e}"))
}

/// Seeds the standard world, each subscription's sites and the case's packages.
async fn seed_case(wix: &MemoryWix, case: &Case) -> Arc<dyn Wix> {
    let fx = Fixture::new(wix).await;
    for k in 0..case.subs.len() {
        for account in ACCOUNTS {
            for n in 0..2 {
                let id = site_of(k, account, n).unwrap();
                wix.add_site(&NewSite::new(id, account, format!("s{k}-{n}")))
                    .await
                    .unwrap();
            }
        }
    }
    let main = fx.main.clone();
    for (k, s) in case.subs.iter().enumerate() {
        for g in &s.actual {
            let account = ACCOUNTS[(s.account + usize::from(g.other_account)) % 2];
            let products: Vec<GenProduct> = match &g.near {
                None => g.products.clone(),
                Some(codes) => s
                    .products
                    .iter()
                    .zip(codes.iter().chain(std::iter::repeat(&0)))
                    .filter(|(_, c)| **c != 6)
                    .map(|(p, c)| {
                        let mut p = p.clone();
                        match c {
                            2 => p.billing += 1,
                            3 => p.site = (p.site + 1) % 3,
                            4 if p.product < 2 => p.product = 1 - p.product,
                            5 => p.country = 1 - p.country,
                            _ => {}
                        }
                        p
                    })
                    .collect(),
            };
            if products.is_empty() {
                continue;
            }
            let sites = placed(k, account, &products);
            let items = products
                .iter()
                .zip(sites)
                .map(|(p, site)| NewInstance {
                    catalog_product_id: PRODUCTS[p.product].0,
                    country_code: Some(CountryCode::new(COUNTRIES[p.country]).unwrap()),
                    site: if g.other_account { None } else { site },
                    billing: Some(BillingRequest::of(
                        reseller_app::reconcile::desired::parse_billing(billing_of(p)).unwrap(),
                    )),
                    discount_code: None,
                    reference: None,
                })
                .collect();
            let request = CreatePackage {
                external_id: Some(ext(k)),
                products: items,
            };
            // Wix refuses some (two plans on one site, a domain with no plan):
            // what it accepts is the actual state.
            let Ok(p) = main.create_package(&on(account), &request).await else {
                continue;
            };
            for (i, status) in p.instances().iter().zip(&g.statuses) {
                let to = match status {
                    12..=15 => InstanceStatus::Enabled,
                    16 => InstanceStatus::Canceled,
                    17 => InstanceStatus::Failed(Failure {
                        code: FailureCode::ExternalFailure,
                        message: "the registrar refused".to_owned(),
                    }),
                    18 => InstanceStatus::AwaitingAction,
                    _ => continue,
                };
                fx.set_status(i.id(), to).await;
            }
        }
    }
    if case.unkeyed {
        fx.buy(SUB1, vec![item(ASCEND, None)]).await;
    }
    main
}

/// Wix, with a crash at one mutating call and a record of the cancels.
struct Crashing {
    inner: Arc<dyn Wix>,
    calls: AtomicU32,
    at: Option<(u32, bool)>,
    crashed: Arc<Notify>,
    canceled: Arc<Mutex<HashSet<PackageId>>>,
    canceled_instances: Arc<Mutex<HashSet<InstanceId>>>,
}

impl Crashing {
    async fn mutate<T, F>(&self, f: F) -> Result<T, PortError>
    where
        F: std::future::Future<Output = Result<T, PortError>> + Send,
        T: Send,
    {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        match self.at {
            Some((at, false)) if at == n => {
                self.crashed.notify_one();
                std::future::pending().await
            }
            Some((at, true)) if at == n => {
                let _ = f.await;
                self.crashed.notify_one();
                std::future::pending().await
            }
            _ => f.await,
        }
    }
}

#[async_trait]
impl ResellerPackages for Crashing {
    async fn create_package(&self, call: &Call, r: &CreatePackage) -> Result<Package, PortError> {
        self.mutate(self.inner.create_package(call, r)).await
    }
    async fn get_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        self.inner.get_package(call, id).await
    }
    async fn query_packages(
        &self,
        call: &Call,
        query: &PackageQuery,
    ) -> Result<PackagesPage, PortError> {
        self.inner.query_packages(call, query).await
    }
    async fn cancel_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        self.canceled.lock().unwrap().insert(id);
        self.mutate(self.inner.cancel_package(call, id)).await
    }
    async fn assign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        site: SiteId,
    ) -> Result<Package, PortError> {
        self.mutate(self.inner.assign_instance(call, instance, site))
            .await
    }
    async fn unassign_instance(&self, call: &Call, i: InstanceId) -> Result<Package, PortError> {
        self.mutate(self.inner.unassign_instance(call, i)).await
    }
    async fn cancel_instance(&self, call: &Call, i: InstanceId) -> Result<Package, PortError> {
        self.canceled_instances.lock().unwrap().insert(i);
        self.mutate(self.inner.cancel_instance(call, i)).await
    }
    async fn adjust_instance(
        &self,
        call: &Call,
        i: InstanceId,
        r: &Adjust,
    ) -> Result<Package, PortError> {
        self.mutate(self.inner.adjust_instance(call, i, r)).await
    }
    async fn update_external_id(
        &self,
        call: &Call,
        id: PackageId,
        e: &ExternalId,
    ) -> Result<Package, PortError> {
        self.mutate(self.inner.update_external_id(call, id, e))
            .await
    }
}

fn live(p: &Package) -> bool {
    p.instances().iter().any(|i| i.is_live())
}

fn live_by_external_id(all: &[Package]) -> HashMap<ExternalId, Vec<&Package>> {
    let mut out: HashMap<ExternalId, Vec<&Package>> = HashMap::new();
    for p in all.iter().filter(|p| live(p)) {
        if let Some(e) = p.external_id() {
            out.entry(e.clone()).or_default().push(p);
        }
    }
    out
}

type Shape = (
    CatalogProductId,
    Option<Billing>,
    Option<CountryCode>,
    Option<SiteId>,
);

/// Runs a case against `wix` (the client reconcile uses), with `faults` turned
/// on for the first rounds and off after.
async fn check(
    case: &Case,
    wix: Arc<dyn Wix>,
    mut faults: impl FnMut(bool) -> futures_util::future::BoxFuture<'static, ()>,
) {
    let want = desired_of(case);
    let catalog = catalog();
    let options = PlanOptions {
        cancel_orphans: case.cancel_orphans,
    };
    let max_destroy = if case.allow_destroy { usize::MAX } else { 0 };
    let attempts = Attempts::immediate(8);
    let before = read_actual(&*wix, &Call::new(), attempts).await.unwrap();
    let first = plan(&want, &before, &catalog, options);
    let duplicated: HashSet<ExternalId> = first
        .problems()
        .iter()
        .filter(|p| matches!(p.kind, ProblemKind::Duplicate { .. }))
        .map(|p| p.external_id.clone())
        .collect();
    let canceled = Arc::new(Mutex::new(HashSet::new()));
    let canceled_instances = Arc::new(Mutex::new(HashSet::new()));
    // What may be canceled: ended subscriptions' packages, allowed replaces and
    // orphans, whatever plan asked for it.
    let mut may_cancel: HashSet<PackageId> = HashSet::new();
    let mut may_cancel_instances: HashSet<InstanceId> = HashSet::new();
    let mut rounds = 0;
    let last = loop {
        rounds += 1;
        assert!(rounds <= 12, "no fixed point after 12 rounds");
        let faulty = rounds <= 3;
        faults(faulty).await;
        let actual = loop {
            // With the faults on, a read may fail after all its tries: read again.
            if let Ok(a) = read_actual(&*wix, &Call::new(), attempts).await {
                break a;
            }
        };
        let p = plan(&want, &actual, &catalog, options);
        for s in p.steps() {
            match &s.action {
                Action::Cancel { package, .. } => {
                    may_cancel.insert(*package);
                }
                Action::Replace { package, .. } if case.allow_destroy => {
                    may_cancel.insert(*package);
                }
                Action::CancelInstance { instance, .. } => {
                    may_cancel_instances.insert(*instance);
                }
                _ => {}
            }
        }
        let only_held = p
            .steps()
            .iter()
            .all(|s| s.action.is_destructive() && !case.allow_destroy);
        if only_held && !faulty {
            break p;
        }
        let crash = case.crashes.get(rounds - 1).copied().flatten();
        // Few tries while the faults are on, so that some steps fail.
        let apply_options = ApplyOptions {
            max_destroy,
            attempts: Attempts::immediate(if faulty { 2 } else { 4 }),
        };
        let crashing = Crashing {
            inner: wix.clone(),
            calls: AtomicU32::new(0),
            at: crash,
            crashed: Arc::new(Notify::new()),
            canceled: canceled.clone(),
            canceled_instances: canceled_instances.clone(),
        };
        let crashed = crashing.crashed.clone();
        let mut quiet = |_: &reseller_app::reconcile::StepReport| {};
        tokio::select! {
            applied = apply(&crashing, &p, &apply_options, &mut quiet) => {
                if !faulty {
                    assert_eq!(applied.failed(), 0, "without faults every step is done: {:?}", applied.reports);
                }
            }
            // The crash: the apply is dropped where it stands.
            () = crashed.notified() => {}
        }
    };
    faults(false).await;

    // Nothing destructive beyond what was allowed, nothing canceled unasked.
    for id in canceled.lock().unwrap().iter() {
        assert!(may_cancel.contains(id), "package {id} was canceled unasked");
    }
    for id in canceled_instances.lock().unwrap().iter() {
        assert!(
            may_cancel_instances.contains(id),
            "instance {id} was canceled unasked"
        );
    }
    assert!(last.steps().iter().all(|s| s.action.is_destructive()));

    let after = read_actual(&*wix, &Call::new(), attempts).await.unwrap();
    let live_now = live_by_external_id(&after);
    let problems: HashSet<&ExternalId> = last.problems().iter().map(|p| &p.external_id).collect();
    let held: HashSet<&ExternalId> = last.steps().iter().map(|s| &s.external_id).collect();
    for sub in want.subscriptions() {
        let e = &sub.external_id;
        let packages = live_now.get(e).map(Vec::as_slice).unwrap_or_default();
        if !duplicated.contains(e) {
            assert!(packages.len() <= 1, "{e}: {} live packages", packages.len());
        }
        match sub.status {
            SubscriptionStatus::Ended => assert!(packages.is_empty(), "{e} ended and is live"),
            SubscriptionStatus::Active if problems.contains(e) || held.contains(e) => {}
            SubscriptionStatus::Active => {
                let [p] = packages else {
                    panic!("{e}: {} live packages, billing wants one", packages.len())
                };
                assert_eq!(p.account_id(), sub.account, "{e}: its account");
                let mut is: Vec<Shape> = p
                    .instances()
                    .iter()
                    .filter(|i| i.is_live())
                    .map(|i| {
                        (
                            i.catalog_product_id(),
                            i.billing(),
                            i.country_code(),
                            i.site(),
                        )
                    })
                    .collect();
                let mut wanted: Vec<Shape> = sub
                    .products
                    .iter()
                    .map(|d| {
                        (
                            d.catalog_product_id,
                            Some(d.billing),
                            Some(d.country_code),
                            d.site,
                        )
                    })
                    .collect();
                is.sort();
                wanted.sort();
                assert_eq!(is, wanted, "{e}: Wix holds what billing says");
            }
        }
    }
    // Orphans stay unless their cancel was asked for.
    let known: HashSet<&ExternalId> = want
        .subscriptions()
        .iter()
        .map(|s| &s.external_id)
        .collect();
    let orphans_before = live_by_external_id(&before)
        .into_iter()
        .filter(|(e, _)| !known.contains(e))
        .map(|(e, ps)| (e, ps.len()))
        .collect::<BTreeMap<_, _>>();
    for (e, n) in orphans_before {
        let now = live_now.get(&e).map_or(0, Vec::len);
        if case.cancel_orphans {
            assert_eq!(now, 0, "orphan {e} canceled as asked");
        } else {
            assert_eq!(now, n, "orphan {e} left alone");
        }
    }
}

fn memory() -> MemoryWix {
    let start = Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").unwrap();
    MemoryWix::builder()
        .clock(Arc::new(ManualClock::new(start)))
        .ids(Arc::new(SequentialIds::new(0x19)))
        .build()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Against the in-memory Wix, with crashes.
    #[test]
    fn reconcile_converges_on_the_in_memory_wix(case in gen_case()) {
        runtime().block_on(async {
            let wix = memory();
            let main = seed_case(&wix, &case).await;
            check(&case, main, |_| Box::pin(async {})).await;
        });
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Through the HTTP client against the emulator, with its fault rules on for
    /// the first rounds, and crashes.
    #[test]
    fn reconcile_converges_through_the_emulator_under_faults(case in gen_case()) {
        runtime().block_on(async {
            let wix = memory();
            seed_case(&wix, &case).await;
            let key = Seed::add_api_key(&wix, MAIN, None).await.unwrap();
            let running = Emulator::from_wix(wix)
                .spawn("127.0.0.1:0".parse().unwrap())
                .await
                .unwrap();
            let base = running.base_url();
            let client: Arc<dyn Wix> = Arc::new(
                WixHttpClient::builder(key)
                    .base_url(base.clone())
                    .account(MAIN)
                    .retry(
                        RetryPolicy::default()
                            .with_max_attempts(1)
                            .with_backoff(Duration::from_millis(1), Duration::from_millis(2))
                            .with_budget(Duration::from_secs(5)),
                    )
                    .build()
                    .unwrap(),
            );
            let control = EmulatorControl::new(base).unwrap();
            let faults = move |on: bool| -> futures_util::future::BoxFuture<'static, ()> {
                let control = control.clone();
                Box::pin(async move {
                    control.clear_faults().await.unwrap();
                    if on {
                        control
                            .add_faults([
                                Fault::path("/resellers/").probability(0.25).status(500),
                                Fault::path("/resellers/").probability(0.05).drop_connection(),
                                Fault::on("POST", "/resellers/v2/packages")
                                    .probability(0.2)
                                    .status(503)
                                    .after_commit(),
                                Fault::on("DELETE", "/resellers/")
                                    .probability(0.15)
                                    .drop_connection()
                                    .after_commit(),
                                Fault::on("PATCH", "/resellers/")
                                    .probability(0.15)
                                    .status(503)
                                    .after_commit(),
                                Fault::on("PATCH", "/resellers/v1/packages/product-instances/")
                                    .probability(0.2)
                                    .leave_floating(),
                            ])
                            .await
                            .unwrap();
                    }
                })
            };
            check(&case, client, faults).await;
            running.shutdown().await.unwrap();
        });
    }
}
