//! `reseller demo`: the toolkit's main job on embedded defaults. It starts the
//! emulator in this process on a free loopback port with the built-in demo seed,
//! and runs the documented reseller flows (spec `wix-accounts-and-sites.md`
//! section 5) as reseller-app's use cases (`reseller_app::flows`, the safe
//! operations of `reseller_app::safe`, the change feed), with the real HTTP client
//! (`adapter-wix-http`) as their Wix, step by step:
//!
//! 1. onboard a new customer: a sub-account and a floating package
//!    (`onboard_customer`, F4), then List Child Accounts;
//! 2. sell a Premium plan with a free-domain voucher on a site
//!    (`plan_with_voucher`, F3);
//! 3. use the plan as a voucher reference once more: refused;
//! 4. poll Get Package until provisioning moves both from `PENDING` to `ENABLED`
//!    (the demo's own loop: the emulator's clock moves in process between polls);
//! 5. hand a finished site over to a sub-account and sell it a mailbox
//!    (`hand_over_site`, F1), after the refusal of a site with a paid service
//!    bought outside the reseller flow;
//! 6. move the plan, and the domain that needs it, to that site
//!    (`reassign_instance`, F2);
//! 7. adjust the plan (Adjust Product Instance Specifications, a direct call),
//!    and Wix's refusal to adjust a product that cannot be (a Logo Maker);
//! 8. transfer a site that holds a reseller instance: Wix's refusal, then
//!    `transfer_paid_site` (F5: cancel, transfer, create again in the target);
//! 9. cancel a product instance and a package (`safe::cancel_instance`,
//!    `safe::cancel_package`);
//! 10. read the account family's packages once through a `ChangeFeed`;
//! 11. reconcile with billing: one subscription ended, one upgraded, one new
//!     (`reseller_app::reconcile`: the plan, the apply, then an empty plan);
//! 12. domains: suggest names, sell one with a new plan as its voucher and connect
//!     an owned one (`sell_domain`, F6), show its DNS records, let DNS propagate,
//!     cancel the plan and see the domain disconnected.
//!
//! The flows make their calls themselves, so after each flow or call the demo
//! prints the requests the emulator logged since the previous print (method,
//! documented path, the `wix-account-id` it acted on, the status) and the resulting
//! state as compact tables that fit 80 columns. Each step also checks its result
//! (the flow's output, Get Package, Query Sites, or the emulator in process) and
//! fails with a message when Wix's documented behaviour is not what came back: the
//! demo doubles as an end-to-end check. The API key is never printed.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::Write;
use std::time::Duration;

use adapter_wix_http::WixHttpClient;
use futures_util::StreamExt;
use reseller_app::flows::{
    self, HandOver, Onboard, Outcome, PlanWithVoucher, Product, Reassign, SiteAt, SiteChoice,
    Stopped, TransferPaidSite,
};
use reseller_app::{Attempts, ChangeFeed, ChangeKind, Created, FeedOptions, Origin, safe};
use reseller_domain::ops::{Adjust, BillingRequest, CreatePackage, NewInstance, SiteTransfer};
use reseller_domain::query::Value as QValue;
use reseller_domain::sites::Namespace;
use reseller_domain::{
    AccountId, Billing, CatalogProductId, CountryCode, CycleUnit, ErrorCode, ExternalId,
    InstanceId, Package, PackageId, ProductInstance, SiteId, StatusName,
};
use reseller_emulator::{DEMO_API_KEY, Emulator, demo};
use reseller_ports::{
    Accounts, ApiKey, Call, ChildAccountsPaging, FeedId, MemoryCheckpoints, PortError,
    Provisioning, ResellerPackages, SiteInfo, SiteTransfers, Sites, SitesQuery, pages,
};
use reseller_wire::control::RequestLogEntryDoc;

mod domains;
mod reconcile;

/// The country every product of the demo is sold for.
const COUNTRY: &str = "US";
/// The e-mail of the new customer's owner (step 1).
const NEW_CUSTOMER_EMAIL: &str = "owner@corner-cafe.example";
/// Acme's own reference for the new customer (F4 derives the idempotency key of
/// Create Account from it).
const NEW_CUSTOMER_REF: &str = "corner-cafe";
/// How long automatic provisioning takes, in emulated milliseconds.
const PROVISIONING_DELAY_MS: u64 = 30_000;
/// How far the emulated clock moves between two polls.
const POLL_STEP_MS: u64 = 10_000;
/// Polls before the demo gives up waiting for `ENABLED`.
const MAX_POLLS: u32 = 10;
/// The widest line printed (an 80-column terminal).
const WIDTH: usize = 78;

/// Runs the demo, printing to `out`; the emulator it starts is stopped before
/// this returns, whatever happened.
///
/// # Errors
/// A message when the emulator cannot start or stop, when a call fails, or when
/// a step's result is not what Wix documents.
pub(crate) async fn run(out: &mut dyn Write) -> Result<(), String> {
    let emulator = Emulator::in_memory();
    emulator
        .load_demo_seed_if_empty()
        .await
        .map_err(|e| format!("cannot load the demo seed: {e}"))?;
    emulator
        .wix()
        .set_provisioning(Provisioning::Auto {
            delay_millis: PROVISIONING_DELAY_MS,
        })
        .await
        .map_err(|e| format!("cannot set the provisioning mode: {e}"))?;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let running = emulator
        .clone()
        .spawn(addr)
        .await
        .map_err(|e| format!("cannot start the emulator on 127.0.0.1: {e}"))?;
    let base_url = running.base_url();
    let outcome = match Demo::new(out, emulator, &base_url) {
        Ok(mut demo) => demo.all_steps().await.map(|()| demo),
        Err(e) => Err(e),
    };
    let stopped = running
        .shutdown()
        .await
        .map_err(|e| format!("the emulator did not stop cleanly: {e}"));
    let mut demo = outcome?;
    stopped?;
    demo.line("  The emulator stopped; nothing was left running.")
}

/// A logged call as [`Demo::calls_made`] tells repeats apart: method and
/// documented path, the account's name, the status.
type CallKey = (String, String, u16);

/// The seeded ids the demo names, parsed once.
struct Ids {
    /// "Acme Hosting", the main account the API key belongs to.
    acme: AccountId,
    /// "Customer 1: Bakery Co".
    bakery_co: AccountId,
    /// "Customer 2: Florist Ltd".
    florist_ltd: AccountId,
    /// "bakery" (Acme's at first).
    bakery: SiteId,
    /// "bakery-blog" (Bakery Co's).
    blog: SiteId,
    /// "florist" (Florist Ltd's at first).
    florist: SiteId,
    /// "legacy-shop" (Acme's, paid outside the reseller flow).
    legacy_shop: SiteId,
    /// "Business Unlimited".
    unlimited: CatalogProductId,
    /// "Core".
    core: CatalogProductId,
    /// "Free first-year domain (voucher)".
    voucher: CatalogProductId,
    /// "Business mailbox".
    mailbox: CatalogProductId,
    /// "Logo Maker": one-time, cannot be adjusted.
    logo: CatalogProductId,
    /// The country of every sale.
    country: CountryCode,
}

impl Ids {
    /// The demo seed's typed ids (`reseller_emulator::demo`) and the country.
    fn parse() -> Result<Self, String> {
        Ok(Self {
            acme: demo::ACME,
            bakery_co: demo::BAKERY_CO,
            florist_ltd: demo::FLORIST_LTD,
            bakery: demo::BAKERY,
            blog: demo::BAKERY_BLOG,
            florist: demo::FLORIST,
            legacy_shop: demo::LEGACY_SHOP,
            unlimited: demo::BUSINESS_UNLIMITED,
            core: demo::CORE,
            voucher: demo::DOMAIN_VOUCHER,
            mailbox: demo::MAILBOX,
            logo: demo::LOGO,
            country: CountryCode::new(COUNTRY).map_err(|e| e.to_string())?,
        })
    }
}

/// The packages and instances created along the way.
#[derive(Default)]
struct Made {
    /// Bakery Co's plan package (step 2).
    plan_package: Option<PackageId>,
    /// Its plan instance.
    plan: Option<InstanceId>,
    /// Bakery Co's voucher package (step 3).
    voucher_package: Option<PackageId>,
    /// Its domain instance.
    domain: Option<InstanceId>,
    /// Every package the demo created, in order.
    packages: Vec<PackageId>,
}

/// The demo's state: where it prints, the emulator, the client, and counters.
struct Demo<'o> {
    /// Where the demo prints.
    out: &'o mut dyn Write,
    /// The emulator, for in-process set-up and names.
    emulator: Emulator,
    /// The real HTTP client, pointed at the emulator.
    client: WixHttpClient,
    /// The seeded ids.
    ids: Ids,
    /// What the steps created.
    made: Made,
    /// The number of the current step.
    step: u32,
    /// HTTP calls made (as the emulator's request log has them).
    calls: u32,
    /// Entries of the emulator's request log printed so far.
    logged: usize,
    /// Checks passed.
    checks: u32,
    /// The base URL of the emulator.
    base_url: String,
    /// Whether the reader of the output went away (nothing more is written).
    out_closed: bool,
}

impl<'o> Demo<'o> {
    /// A demo printing to `out`, calling the emulator at `base_url` with the demo
    /// seed's key on behalf of Acme Hosting.
    fn new(out: &'o mut dyn Write, emulator: Emulator, base_url: &str) -> Result<Self, String> {
        let ids = Ids::parse()?;
        let client = WixHttpClient::builder(ApiKey::new(DEMO_API_KEY))
            .base_url(base_url)
            .account(ids.acme)
            .request_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {}", crate::with_causes(&e)))?;
        Ok(Self {
            out,
            emulator,
            client,
            ids,
            made: Made::default(),
            step: 0,
            calls: 0,
            logged: 0,
            checks: 0,
            base_url: base_url.to_owned(),
            out_closed: false,
        })
    }

    /// Every step, in order, then the summary.
    async fn all_steps(&mut self) -> Result<(), String> {
        self.start()?;
        self.headless_site_hidden().await?;
        self.onboard_customer().await?;
        self.sell_plan().await?;
        self.add_voucher().await?;
        self.watch_provisioning().await?;
        self.hand_over_site().await?;
        self.move_plan().await?;
        self.adjust_plan().await?;
        self.transfer_paid_site().await?;
        self.cancel().await?;
        self.change_feed().await?;
        self.reconcile().await?;
        self.domains().await?;
        self.summary()
    }

    // ----- printing -----------------------------------------------------------

    /// Prints one line.
    fn line(&mut self, text: impl Display) -> Result<(), String> {
        if self.out_closed {
            return Ok(());
        }
        let text = text.to_string();
        match writeln!(self.out, "{}", text.trim_end()) {
            Ok(()) => Ok(()),
            // Whoever read the output stopped (`reseller demo | head`): the checks
            // still run to the end and decide the outcome.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.out_closed = true;
                Ok(())
            }
            Err(e) => Err(format!("cannot write the output: {e}")),
        }
    }

    /// Prints `text` wrapped to the line width, every line indented by `indent`.
    fn wrapped(&mut self, indent: &str, text: &str) -> Result<(), String> {
        for line in wrap(text, WIDTH.saturating_sub(indent.len())) {
            self.line(format_args!("{indent}{line}"))?;
        }
        Ok(())
    }

    /// Starts step `number` with its title and the flow it shows.
    fn heading(&mut self, number: u32, title: &str) -> Result<(), String> {
        self.step = number;
        let head = format!("== {number}. {title} ");
        let fill = WIDTH.saturating_sub(head.chars().count());
        self.line("")?;
        self.line(format_args!("{head}{}", "=".repeat(fill)))
    }

    /// Prints the HTTP calls made since the last print, oldest first, from the
    /// emulator's request log: method and documented path, then the account named
    /// in `wix-account-id`, the ids in the path and the status answered. Runs of
    /// the same call (method, path, account, status) print once with their count;
    /// with `merge`, every repeat of a call in the batch joins its first one.
    fn calls_made(&mut self, merge: bool) -> Result<(), String> {
        let log = self.emulator.requests(usize::MAX);
        let fresh = log.len().saturating_sub(self.logged);
        self.logged = log.len();
        let mut entries: Vec<RequestLogEntryDoc> = log.into_iter().take(fresh).collect();
        entries.reverse();
        let mut printed: Vec<(CallKey, Vec<String>, u32)> = Vec::new();
        for entry in &entries {
            self.calls += 1;
            let (path, ids) = self.documented(&entry.path);
            let account = entry
                .account_id
                .as_deref()
                .and_then(|a| a.parse::<AccountId>().ok())
                .map_or_else(|| "(none)".to_owned(), |a| self.account_name(a));
            let key = (format!("{} {path}", entry.method), account, entry.status);
            let same = if merge {
                printed.iter_mut().find(|(k, _, _)| *k == key)
            } else {
                printed.last_mut().filter(|(k, _, _)| *k == key)
            };
            match same {
                Some((_, seen, count)) => {
                    *count += 1;
                    for id in ids {
                        if !seen.contains(&id) {
                            seen.push(id);
                        }
                    }
                }
                None => printed.push((key, ids, 1)),
            }
        }
        for ((call, account, status), ids, count) in printed {
            self.line(format_args!("  > {call}"))?;
            let mut detail = format!("wix-account-id: {account}");
            if !ids.is_empty() {
                detail.push_str("; ");
                detail.push_str(&ids.join(", "));
            }
            detail.push_str(&format!(" => {status}"));
            if count > 1 {
                detail.push_str(&format!(" ({count} calls)"));
            }
            self.wrapped("      ", &detail)?;
        }
        Ok(())
    }

    /// The documented form of a logged path (`{id}`, `{instanceId}`, `{siteId}`
    /// in place of the GUIDs) and the GUIDs it held, in words.
    fn documented(&self, path: &str) -> (String, Vec<String>) {
        let mut segments: Vec<String> = Vec::new();
        let mut ids = Vec::new();
        for segment in path.split('/') {
            let Ok(site) = segment.parse::<SiteId>() else {
                segments.push(segment.to_owned());
                continue;
            };
            let name = match segments.last().map(String::as_str) {
                Some("product-instances") => {
                    ids.push(format!("instanceId {}", short(segment)));
                    "{instanceId}"
                }
                Some("{instanceId}") => {
                    ids.push(format!("siteId {}", self.site_name(site)));
                    "{siteId}"
                }
                _ => {
                    ids.push(format!("id {}", short(segment)));
                    "{id}"
                }
            };
            segments.push(name.to_owned());
        }
        (segments.join("/"), ids)
    }

    /// Counts a check that held and prints it; fails the demo when it did not.
    fn check(&mut self, held: bool, what: &str) -> Result<(), String> {
        if !held {
            return Err(format!(
                "step {}: not as Wix documents it: \"{what}\" does not hold",
                self.step
            ));
        }
        self.checks += 1;
        self.wrapped("  ok  ", what)
    }

    /// Prints Wix's refusal: status, code and message.
    fn refusal(&mut self, e: &PortError) -> Result<(), String> {
        let status = e.status().map_or_else(|| "-".to_owned(), |s| s.to_string());
        self.line(format_args!("  < {status} {}", e.code()))?;
        self.wrapped("      ", &format!("\"{}\"", e.message()))
    }

    /// Prints a package as a table of its instances.
    fn package(&mut self, package: &Package) -> Result<(), String> {
        let owner = self.account_name(package.account_id());
        self.line(format_args!(
            "    package {}, account {owner}",
            short(package.id())
        ))?;
        self.line(format_args!(
            "    {:<10}{:<33}{:<14}{:<10}{}",
            "instance", "product", "site", "status", "billing"
        ))?;
        for i in package.instances() {
            let row = self.instance_row(i);
            self.line(row)?;
        }
        Ok(())
    }

    /// One row of [`Demo::package`].
    fn instance_row(&self, i: &ProductInstance) -> String {
        let product = fit(&self.product_name(i.catalog_product_id()), 32);
        let site = i
            .site()
            .map_or_else(|| "(floating)".to_owned(), |s| self.site_name(s));
        format!(
            "    {:<10}{:<33}{:<14}{:<10}{}",
            short(i.id()),
            product,
            fit(&site, 13),
            i.status().name().as_str(),
            billing_text(i.billing())
        )
    }

    /// Prints sites as Query Sites answered them.
    fn sites(&mut self, sites: &[SiteInfo]) -> Result<(), String> {
        self.line(format_args!(
            "    {:<15}{:<28}{}",
            "site", "ownerAccountId", "premium"
        ))?;
        for s in sites {
            let owner = fit(&self.account_name(s.owner_account_id), 27);
            let premium = if s.premium { "yes" } else { "no" };
            self.line(format_args!(
                "    {:<15}{owner:<28}{premium}",
                fit(&s.name, 14)
            ))?;
        }
        Ok(())
    }

    // ----- names, read in process (Wix's API gives no names for these) -------

    /// The account's display name (the emulator's data), or its short id.
    fn account_name(&self, id: AccountId) -> String {
        self.emulator
            .wix()
            .accounts()
            .into_iter()
            .find(|a| a.id == id)
            .map_or_else(|| short(id), |a| a.name)
    }

    /// The site's name, or its short id.
    fn site_name(&self, id: SiteId) -> String {
        self.emulator
            .wix()
            .sites(None)
            .into_iter()
            .find(|s| s.id == id)
            .map_or_else(|| short(id), |s| s.name)
    }

    /// The catalog product's name, or its short id.
    fn product_name(&self, id: CatalogProductId) -> String {
        self.emulator
            .wix()
            .catalog()
            .into_iter()
            .find(|p| p.id == id)
            .map_or_else(|| short(id), |p| p.name)
    }

    // ----- calls ----------------------------------------------------------------

    /// Every site of `account` through Query Sites (every page), printing the calls.
    async fn query_sites(&mut self, account: AccountId) -> Result<Vec<SiteInfo>, String> {
        let client = self.client.clone();
        let (call, query) = (
            Call::new().account(account),
            SitesQuery::new(
                None,
                Vec::new(),
                vec![reseller_domain::query::Paging::Cursor {
                    limit: Some(100),
                    cursor: None,
                }],
            )
            .map_err(|e| format!("step {}: Query Sites: {e}", self.step))?,
        );
        let mut walk = std::pin::pin!(pages::site_pages(&client, &call, &query));
        let mut out = Vec::new();
        for _ in 0..100 {
            let Some(page) = walk.next().await else {
                return Ok(out);
            };
            self.calls_made(false)?;
            out.extend(self.accepted("Query Sites", page)?.sites);
        }
        Err(format!("step {}: Query Sites never ends", self.step))
    }

    /// Get Package, printing the call.
    async fn get_package(&mut self, account: AccountId, id: PackageId) -> Result<Package, String> {
        let answer = self
            .client
            .get_package(&Call::new().account(account), id)
            .await;
        self.calls_made(false)?;
        self.accepted("Get Package", answer)
    }

    /// Create Package V2 (a direct call, no external id), printing the call.
    async fn create_package(
        &mut self,
        account: AccountId,
        products: Vec<NewInstance>,
    ) -> Result<Result<Package, PortError>, String> {
        let request = CreatePackage {
            external_id: None,
            products,
        };
        let answer = self
            .client
            .create_package(&Call::new().account(account), &request)
            .await;
        self.calls_made(false)?;
        if let Ok(p) = &answer {
            self.made.packages.push(p.id());
        }
        Ok(answer)
    }

    /// Transfer Site of `site` from `source` to `target` (the header account), a
    /// direct call, printing it.
    async fn transfer(
        &mut self,
        site: SiteId,
        source: AccountId,
        target: AccountId,
    ) -> Result<Result<SiteTransfer, PortError>, String> {
        let transfer = SiteTransfer {
            site,
            source_account: source,
            enable_notifications: false,
        };
        let answer = self
            .client
            .transfer_site(&Call::new().account(target), &transfer)
            .await;
        self.calls_made(false)?;
        Ok(answer)
    }

    /// The output of a flow that should have finished; the demo fails with where
    /// it stopped, why and what it left otherwise.
    fn finished<T, S: Display, L: Display>(
        &self,
        flow: &str,
        answer: Result<T, Stopped<S, L>>,
    ) -> Result<T, String> {
        answer.map_err(|e| format!("step {}: {flow} did not finish: {e}", self.step))
    }

    /// Prints a package a flow created or found, counting it when created now.
    fn created(&mut self, created: &Created) -> Result<(), String> {
        if created.origin == Origin::Created {
            self.made.packages.push(created.package.id());
        }
        self.package(&created.package)
    }

    /// The message for a call that should have worked.
    fn failed(&self, what: &str, e: &PortError) -> String {
        format!("step {}: {what} failed: {e}", self.step)
    }

    /// The package of a call that should have worked.
    fn accepted<T>(&self, what: &str, answer: Result<T, PortError>) -> Result<T, String> {
        answer.map_err(|e| self.failed(what, &e))
    }

    /// Prints the refusal of a call that Wix documents as refused with `code`;
    /// fails the demo when it was accepted or refused otherwise.
    fn refused<T>(
        &mut self,
        what: &str,
        answer: Result<T, PortError>,
        code: &ErrorCode,
    ) -> Result<(), String> {
        match answer {
            Ok(_) => Err(format!(
                "step {}: {what} was accepted; Wix refuses it with {code}",
                self.step
            )),
            Err(e) if e.code() == code => {
                self.refusal(&e)?;
                Ok(())
            }
            Err(e) => Err(format!(
                "step {}: {what}: expected the refusal {code}, got {e}",
                self.step
            )),
        }
    }

    /// The owner of `site` as Query Sites of `account` sees it, if listed there.
    fn owner_in(sites: &[SiteInfo], site: SiteId) -> Option<AccountId> {
        sites
            .iter()
            .find(|s| s.id == site)
            .map(|s| s.owner_account_id)
    }

    /// Whether Query Sites marks `site` premium.
    fn premium_in(sites: &[SiteInfo], site: SiteId) -> Option<bool> {
        sites.iter().find(|s| s.id == site).map(|s| s.premium)
    }

    /// One product to buy: on `site`, with `billing`, in the demo's country.
    fn item(&self, product: CatalogProductId, site: SiteId, billing: Billing) -> NewInstance {
        NewInstance::new(product)
            .country(self.ids.country)
            .site(site)
            .billing(billing)
    }

    /// The plan made in step 2 and its package.
    fn plan_ids(&self) -> Result<(PackageId, InstanceId), String> {
        match (self.made.plan_package, self.made.plan) {
            (Some(p), Some(i)) => Ok((p, i)),
            _ => Err(format!("step {}: the plan of step 2 is missing", self.step)),
        }
    }

    /// The voucher made in step 3 and its package.
    fn voucher_ids(&self) -> Result<(PackageId, InstanceId), String> {
        match (self.made.voucher_package, self.made.domain) {
            (Some(p), Some(i)) => Ok((p, i)),
            _ => Err(format!(
                "step {}: the voucher of step 3 is missing",
                self.step
            )),
        }
    }

    // ----- the steps ------------------------------------------------------------

    /// 0: what runs where, and the seeded world.
    fn start(&mut self) -> Result<(), String> {
        self.line("reseller demo: the documented Wix reseller flows, end to end, against a")?;
        self.line("local Wix (the emulator, in this process) through the real HTTP client.")?;
        self.line("No Wix account, API key or server is needed.")?;
        self.heading(0, "A local Wix, seeded")?;
        let base_url = self.base_url.clone();
        self.line(format_args!(
            "  emulator      {base_url} (in memory, demo seed)"
        ))?;
        self.line(format_args!(
            "  provisioning  automatic: PENDING, then ENABLED {} s later (emulated)",
            PROVISIONING_DELAY_MS / 1000
        ))?;
        self.line("  caller        the demo seed's API key of Acme Hosting (not shown)")?;
        self.line("")?;
        self.line(format_args!("    {:<38}{}", "account", "name"))?;
        for a in self.emulator.wix().accounts() {
            let role = match a.parent {
                None if a.strategic_partner => "main account, partner",
                None => "main",
                Some(_) => "sub-account",
            };
            let name = fit(&format!("{} ({role})", a.name), 38);
            self.line(format_args!("    {:<38}{name}", a.id.to_string()))?;
        }
        self.line("")?;
        self.line(format_args!("    {:<15}{:<28}{}", "site", "owner", "note"))?;
        for s in self.emulator.wix().sites(None) {
            let owner = fit(&self.account_name(s.owner), 27);
            let note = if !s.external_paid_services.is_empty() {
                "paid outside the reseller flow"
            } else if s.details.namespace == Namespace::Headless {
                "headless"
            } else {
                ""
            };
            self.line(format_args!(
                "    {:<15}{owner:<28}{note}",
                fit(&s.name, 14)
            ))?;
        }
        self.line("")?;
        self.check(
            self.seed_is_as_named(),
            "the seed holds what the demo names",
        )
    }

    /// Whether the demo seed still has the accounts, sites and products the demo
    /// names, as the demo expects them (a changed seed fails here, not midway).
    /// Step 0, continued: Query Sites answers `WIX` sites unless asked for more,
    /// so the headless site shows only with a `namespace` filter.
    async fn headless_site_hidden(&mut self) -> Result<(), String> {
        let acme = self.ids.acme;
        let headless = self
            .emulator
            .wix()
            .sites(Some(acme))
            .into_iter()
            .find(|s| s.details.namespace == Namespace::Headless)
            .map(|s| s.id)
            .ok_or_else(|| "the demo seed has no headless site".to_owned())?;
        self.line("  Query Sites without a namespace filter answers WIX sites only:")?;
        let plain = self.query_sites(acme).await?;
        self.check(
            !plain.iter().any(|s| s.id == headless),
            "the headless site is not in Query Sites' default answer",
        )?;
        self.line("  ... and with {\"namespace\": {\"$in\": [\"WIX\", \"HEADLESS\"]}}:")?;
        let filter = QValue::object([(
            "namespace",
            QValue::object([(
                "$in",
                QValue::array([QValue::from("WIX"), QValue::from("HEADLESS")]),
            )]),
        )]);
        let query = SitesQuery::new(Some(filter), Vec::new(), Vec::new())
            .map_err(|e| format!("step {}: Query Sites: {e}", self.step))?;
        let answer = self
            .client
            .query_sites(&Call::new().account(acme), &query)
            .await;
        self.calls_made(false)?;
        let page = self.accepted("Query Sites", answer)?;
        self.check(
            page.sites.iter().any(|s| s.id == headless),
            "asked for HEADLESS too, Query Sites answers the headless site",
        )
    }

    fn seed_is_as_named(&self) -> bool {
        let wix = self.emulator.wix();
        let ids = &self.ids;
        let accounts = wix.accounts();
        let account = |id: AccountId, parent: Option<AccountId>| {
            accounts.iter().any(|a| a.id == id && a.parent == parent)
        };
        let sites = wix.sites(None);
        let site = |id: SiteId, owner: AccountId, paid_outside: bool| {
            sites.iter().any(|s| {
                s.id == id
                    && s.owner == owner
                    && s.external_paid_services.is_empty() != paid_outside
            })
        };
        let catalog = wix.catalog();
        let product = |id: CatalogProductId, billing: &[Billing]| {
            catalog
                .iter()
                .any(|p| p.id == id && billing.iter().all(|b| p.billing_cycles.contains(b)))
        };
        let plan_cycles = [Billing::monthly(), Billing::yearly()];
        account(ids.acme, None)
            && accounts
                .iter()
                .any(|a| a.id == ids.acme && a.strategic_partner)
            && account(ids.bakery_co, Some(ids.acme))
            && account(ids.florist_ltd, Some(ids.acme))
            && site(ids.bakery, ids.acme, false)
            && site(ids.blog, ids.bakery_co, false)
            && site(ids.florist, ids.florist_ltd, false)
            && site(ids.legacy_shop, ids.acme, true)
            && product(ids.unlimited, &plan_cycles)
            && product(ids.core, &plan_cycles)
            && product(ids.voucher, &[Billing::yearly()])
    }

    /// 1: F4 (a sub-account and a floating package), then List Child Accounts.
    async fn onboard_customer(&mut self) -> Result<(), String> {
        self.heading(1, "Onboard a new customer (Create Account; F4)")?;
        self.wrapped(
            "  ",
            "A new customer signs up with Acme and buys Core, billed monthly, before \
             building a site. onboard_customer creates their sub-account (its \
             idempotency key derived from Acme's reference for the customer) and a \
             floating package in it, looked up by its external id first \
             (create-once). Polling is left to step 4.",
        )?;
        let (acme, core, country) = (self.ids.acme, self.ids.core, self.ids.country);
        let input = Onboard {
            main_account: acme,
            email: NEW_CUSTOMER_EMAIL.to_owned(),
            customer_ref: NEW_CUSTOMER_REF.to_owned(),
            known_account: None,
            products: vec![Product::new(core, country).billed(Billing::monthly())],
            external_id: external_id("demo-onboard-corner-cafe")?,
            site: SiteChoice::Floating,
            polls: 0,
            poll_pause: Duration::ZERO,
        };
        let answer = flows::onboard_customer(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let done = self.finished("onboard_customer (F4)", answer)?;
        let customer = done.account;
        self.line(format_args!("  account {customer} ({NEW_CUSTOMER_EMAIL})"))?;
        self.created(&done.package)?;
        let package = &done.package.package;
        self.check(
            done.package.origin == Origin::Created
                && package.account_id() == customer
                && package.instances().iter().all(|i| {
                    i.site().is_none()
                        && i.catalog_product_id() == core
                        && i.status().name() == StatusName::Pending
                }),
            "a floating Core plan in the new account, PENDING",
        )?;
        let paging = ChildAccountsPaging {
            offset: None,
            limit: Some(50),
        };
        let answer = self
            .client
            .list_child_accounts(&Call::new().account(acme), paging)
            .await;
        self.calls_made(false)?;
        let children = self.accepted("List Child Accounts", answer)?;
        self.line(format_args!(
            "    {:<38}{}",
            "childAccounts[].accountId", "name (not in Wix's answer)"
        ))?;
        for child in &children.accounts {
            let name = fit(&self.account_name(*child), 38);
            self.line(format_args!("    {:<38}{name}", child.to_string()))?;
        }
        self.check(
            children.accounts.contains(&customer),
            "the new account is one of Acme's child accounts",
        )?;
        self.check(
            children.total == 3 && children.accounts.len() == 3,
            "Acme now has 3 sub-accounts (2 seeded, 1 new)",
        )
    }

    /// 2: a Premium plan and a free-domain voucher on Bakery Co's blog (F3).
    async fn sell_plan(&mut self) -> Result<(), String> {
        self.heading(2, "Sell a Premium plan with a free domain (F3)")?;
        self.wrapped(
            "  ",
            "Bakery Co buys Business Unlimited, billed yearly, for its site bakery-blog, \
             and gets the free first-year domain with it. plan_with_voucher creates \
             the plan's package, then the domain's, whose referenceProductInstanceId \
             names the plan, so Wix does not charge Acme for it. Both belong to the \
             sub-account (wix-account-id names it).",
        )?;
        let (bakery_co, blog) = (self.ids.bakery_co, self.ids.blog);
        let (unlimited, voucher, country) =
            (self.ids.unlimited, self.ids.voucher, self.ids.country);
        let input = PlanWithVoucher {
            account: bakery_co,
            site: blog,
            plan: Product::new(unlimited, country).billed(Billing::yearly()),
            add_ons: vec![Product::new(voucher, country).billed(Billing::yearly())],
            plan_external_id: external_id("demo-bakery-blog-plan")?,
            add_on_external_id: external_id("demo-bakery-blog-domain")?,
        };
        let answer = flows::plan_with_voucher(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let sold = self.finished("plan_with_voucher (F3)", answer)?;
        self.created(&sold.plan)?;
        self.created(&sold.add_on)?;
        let (package, domains) = (&sold.plan.package, &sold.add_on.package);
        let (Some(plan), Some(domain)) = (package.instances().first(), domains.instances().first())
        else {
            return Err("step 2: a package has no instance".to_owned());
        };
        self.made.plan_package = Some(package.id());
        self.made.plan = Some(plan.id());
        self.made.voucher_package = Some(domains.id());
        self.made.domain = Some(domain.id());
        self.check(
            package.account_id() == bakery_co && package.instances().len() == 1,
            "the plan: one instance, in Bakery Co's account",
        )?;
        self.check(
            plan.id() == sold.plan_instance
                && plan.catalog_product_id() == unlimited
                && plan.site() == Some(blog)
                && plan.billing() == Some(Billing::yearly()),
            "Business Unlimited on bakery-blog, yearly",
        )?;
        self.check(
            plan.status().name() == StatusName::Pending,
            "it starts PENDING, as on Wix",
        )?;
        self.check(
            domains.account_id() == bakery_co
                && domain.catalog_product_id() == voucher
                && domain.site() == Some(blog)
                && domain.billing() == Some(Billing::yearly()),
            "the voucher is on bakery-blog, yearly",
        )?;
        self.check(
            domain.reference() == Some(plan.id()),
            &format!("it references the plan {}", short(plan.id())),
        )
    }

    /// 3: the same plan as a voucher reference again: refused (F3 step 4).
    async fn add_voucher(&mut self) -> Result<(), String> {
        self.heading(3, "Use the plan as a voucher reference again (F3)")?;
        self.wrapped(
            "  ",
            "A plan instance serves as a voucher reference once only. A second \
             domain voucher on the same reference, floating, by a direct Create \
             Package:",
        )?;
        let (_, plan) = self.plan_ids()?;
        let (bakery_co, blog, voucher) = (self.ids.bakery_co, self.ids.blog, self.ids.voucher);
        let again = NewInstance {
            reference: Some(plan),
            site: None,
            ..self.item(voucher, blog, Billing::yearly())
        };
        let before = self.emulator.wix().package_count();
        let answer = self.create_package(bakery_co, vec![again]).await?;
        self.refused(
            "a second voucher on the same reference",
            answer,
            &ErrorCode::InvalidReferenceProductInstanceId,
        )?;
        self.check(
            self.emulator.wix().package_count() == before,
            "refused, and no package was created",
        )
    }

    /// 4: poll Get Package until provisioning is done (F4 step 6).
    async fn watch_provisioning(&mut self) -> Result<(), String> {
        self.heading(4, "Wait for provisioning (poll Get Package)")?;
        self.wrapped(
            "  ",
            "Wix sends no webhooks: poll Get Package until the instances leave \
             PENDING. Between polls the emulator's clock moves 10 s (in process).",
        )?;
        let (plan_package, plan) = self.plan_ids()?;
        let (voucher_package, domain) = self.voucher_ids()?;
        let bakery_co = self.ids.bakery_co;
        self.line(format_args!(
            "    {:<10}{:<33}{}",
            "emulated", "Business Unlimited", "Free first-year domain"
        ))?;
        let call = Call::new().account(bakery_co);
        let mut first_created: Option<i64> = None;
        let mut enabled_after = None;
        let mut pending_at_first = false;
        for poll in 0..MAX_POLLS {
            if poll > 0 {
                self.emulator
                    .wix()
                    .advance_clock(POLL_STEP_MS)
                    .await
                    .map_err(|e| format!("step 4: cannot move the emulator's clock: {e}"))?;
            }
            let p = self.client.get_package(&call, plan_package).await;
            let p = self.accepted("Get Package (plan)", p)?;
            let v = self.client.get_package(&call, voucher_package).await;
            let v = self.accepted("Get Package (voucher)", v)?;
            let (Some(pi), Some(vi)) = (p.instance(plan), v.instance(domain)) else {
                return Err("step 4: an instance vanished from its package".to_owned());
            };
            let created = *first_created.get_or_insert(pi.created().unix_millis());
            let elapsed = self
                .emulator
                .wix()
                .now()
                .unix_millis()
                .saturating_sub(created);
            let (ps, vs) = (pi.status().name(), vi.status().name());
            self.line(format_args!(
                "    {:<10}{:<33}{}",
                format!("t+{}s", elapsed / 1000),
                ps.as_str(),
                vs.as_str()
            ))?;
            let expected = [StatusName::Pending, StatusName::Enabled];
            if !expected.contains(&ps) || !expected.contains(&vs) {
                return Err(format!(
                    "step 4: provisioning gave {ps} and {vs}; expected PENDING or ENABLED"
                ));
            }
            if poll == 0 {
                pending_at_first = ps == StatusName::Pending && vs == StatusName::Pending;
            }
            if ps == StatusName::Enabled && vs == StatusName::Enabled {
                enabled_after = Some(elapsed);
                break;
            }
        }
        self.line("  The polls' calls:")?;
        self.calls_made(true)?;
        let Some(elapsed) = enabled_after else {
            return Err(format!("step 4: still not ENABLED after {MAX_POLLS} polls"));
        };
        self.check(pending_at_first, "both PENDING at first")?;
        let delay = i64::try_from(PROVISIONING_DELAY_MS).unwrap_or(i64::MAX);
        self.check(
            elapsed >= delay,
            &format!(
                "both ENABLED once the {} s provisioning delay had passed",
                PROVISIONING_DELAY_MS / 1000
            ),
        )
    }

    /// 5: F1 from Acme to Bakery Co, after F1's refusal of a site with a paid
    /// service bought outside the reseller flow.
    async fn hand_over_site(&mut self) -> Result<(), String> {
        self.heading(
            5,
            "Hand a finished site over to a customer (Transfer Site; F1)",
        )?;
        self.wrapped(
            "  ",
            "Acme built the site bakery for Bakery Co in its own account. \
             hand_over_site checks where the site is (Query Sites) and what is sold \
             on it (Query Packages), moves it with Transfer Site (wix-account-id names \
             the target, sourceAccountId the source), then sells the customer a \
             mailbox on it. A site with any paid Wix service cannot move: legacy-shop \
             has one bought on wix.com.",
        )?;
        let (acme, bakery_co) = (self.ids.acme, self.ids.bakery_co);
        let (legacy, bakery) = (self.ids.legacy_shop, self.ids.bakery);
        let mailbox = Product::new(self.ids.mailbox, self.ids.country).billed(Billing::monthly());
        let input = HandOver {
            site: legacy,
            team_account: acme,
            customer_account: bakery_co,
            products: vec![mailbox.clone()],
            external_id: external_id("demo-legacy-shop-mailbox")?,
            enable_notifications: false,
        };
        let answer = flows::hand_over_site(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let stopped = match answer {
            Ok(_) => {
                return Err(
                    "step 5: legacy-shop was handed over; Wix refuses its transfer".to_owned(),
                );
            }
            Err(stopped) => stopped,
        };
        match stopped.cause.port_error() {
            Some(e) if e.code() == &ErrorCode::SiteTransferNotSupported => self.refusal(e)?,
            _ => {
                return Err(format!(
                    "step 5: expected the refusal {}, got: {stopped}",
                    ErrorCode::SiteTransferNotSupported
                ));
            }
        }
        self.check(
            stopped.left.site_at == SiteAt::Source
                && stopped.left.package == flows::PackageLeft::NotCreated,
            "F1 stopped: legacy-shop stayed with Acme, nothing was sold",
        )?;
        let input = HandOver {
            site: bakery,
            external_id: external_id("demo-bakery-mailbox")?,
            ..input
        };
        let answer = flows::hand_over_site(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let handed = self.finished("hand_over_site (F1)", answer)?;
        self.created(&handed.package)?;
        self.check(
            handed.transfer == Outcome::Done
                && handed.package.package.account_id() == bakery_co
                && handed
                    .package
                    .package
                    .instances()
                    .iter()
                    .all(|i| i.site() == Some(bakery)),
            "bakery moved, and its mailbox is Bakery Co's",
        )?;
        let theirs = self.query_sites(bakery_co).await?;
        self.sites(&theirs)?;
        self.check(
            Self::owner_in(&theirs, bakery) == Some(bakery_co),
            "bakery is Bakery Co's now (Query Sites, ownerAccountId)",
        )?;
        let acmes = self.query_sites(acme).await?;
        self.sites(&acmes)?;
        self.check(
            Self::owner_in(&acmes, bakery).is_none()
                && Self::owner_in(&acmes, legacy) == Some(acme),
            "bakery left Acme's sites; legacy-shop stayed",
        )
    }

    /// 6: the plan, and then the domain that needs it, move to the new site (F2).
    async fn move_plan(&mut self) -> Result<(), String> {
        self.heading(6, "Move the plan to another site (Unassign, Assign; F2)")?;
        self.wrapped(
            "  ",
            "Bakery Co wants its Premium plan on the shop, bakery, instead of the blog. \
             reassign_instance finds the instance (Query Packages), unassigns it (it \
             floats), then assigns it to the new site. The domain needs a plan on its \
             site: when the plan left the blog, the domain floated with it, in the \
             same change. It follows once the plan is there: reassign_instance \
             again, by Assign alone.",
        )?;
        let (plan_package, plan) = self.plan_ids()?;
        let (voucher_package, domain) = self.voucher_ids()?;
        let (bakery_co, bakery, blog) = (self.ids.bakery_co, self.ids.bakery, self.ids.blog);
        let input = Reassign {
            account: bakery_co,
            instance: plan,
            new_site: bakery,
            unassign_first: true,
        };
        let answer = flows::reassign_instance(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let moved = self.finished("reassign_instance (F2, the plan)", answer)?;
        self.package(&moved.package)?;
        self.check(
            moved.unassigned
                && moved.assigned == Outcome::Done
                && moved
                    .package
                    .instance(plan)
                    .is_some_and(|i| i.site() == Some(bakery)),
            "the plan was unassigned (floating), then assigned to bakery",
        )?;
        let floated = self
            .emulator
            .wix()
            .package(voucher_package)
            .and_then(|p| p.instance(domain).map(ProductInstance::site))
            == Some(None);
        self.check(floated, "the domain floated when its plan left the blog")?;
        let input = Reassign {
            instance: domain,
            unassign_first: false,
            ..input
        };
        let answer = flows::reassign_instance(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let moved = self.finished("reassign_instance (F2, the domain)", answer)?;
        self.check(
            !moved.unassigned && moved.assigned == Outcome::Done,
            "the floated domain was assigned by Assign alone",
        )?;
        self.line("  Read back (Wix: after a move, re-read the package):")?;
        let p = self.get_package(bakery_co, plan_package).await?;
        let v = self.get_package(bakery_co, voucher_package).await?;
        self.package(&p)?;
        self.package(&v)?;
        self.check(
            p.instance(plan).is_some_and(|i| i.site() == Some(bakery))
                && v.instance(domain).is_some_and(|i| i.site() == Some(bakery)),
            "the plan and the domain are on bakery",
        )?;
        let sites = self.query_sites(bakery_co).await?;
        self.sites(&sites)?;
        self.check(
            Self::premium_in(&sites, bakery) == Some(true)
                && Self::premium_in(&sites, blog) == Some(false),
            "Query Sites: bakery is premium, bakery-blog no longer",
        )
    }

    /// 7: Adjust Product Instance Specifications: another plan, another cycle.
    async fn adjust_plan(&mut self) -> Result<(), String> {
        self.heading(
            7,
            "Adjust the plan (Adjust Product Instance Specifications)",
        )?;
        self.wrapped(
            "  ",
            "Bakery Co moves down to Core, billed monthly: a product of the same type \
             (PREMIUM_PLAN) and one of its billing cycles.",
        )?;
        let (_, plan) = self.plan_ids()?;
        let (bakery_co, bakery, core) = (self.ids.bakery_co, self.ids.bakery, self.ids.core);
        let adjust = Adjust {
            catalog_product_id: Some(core),
            billing: Some(BillingRequest::of(Billing::monthly())),
            discount_code: None,
        };
        let answer = self
            .client
            .adjust_instance(&Call::new().account(bakery_co), plan, &adjust)
            .await;
        self.calls_made(false)?;
        let package = self.accepted("Adjust", answer)?;
        self.package(&package)?;
        let adjusted = package
            .instance(plan)
            .ok_or_else(|| "step 7: the plan left its package".to_owned())?;
        self.check(
            adjusted.catalog_product_id() == core && adjusted.billing() == Some(Billing::monthly()),
            "the same instance is Core, monthly",
        )?;
        self.check(
            adjusted.site() == Some(bakery) && adjusted.status().name() == StatusName::Enabled,
            "still on bakery, still ENABLED",
        )?;
        self.wrapped(
            "  ",
            "Not every product can be adjusted: Bakery Co buys a Logo Maker (one-time, \
             floating) and asks to change its billing. Wix answers 428 \
             OPERATION_NOT_SUPPORTED_FOR_PRODUCT, and nothing changes.",
        )?;
        let logo = NewInstance {
            site: None,
            ..self.item(self.ids.logo, bakery, Billing::OneTime)
        };
        let answer = self.create_package(bakery_co, vec![logo]).await?;
        let bought = self.accepted("Create Package (Logo Maker)", answer)?;
        let logo = bought
            .instances()
            .first()
            .map(ProductInstance::id)
            .ok_or_else(|| "step 7: the logo package has no instance".to_owned())?;
        let answer = self
            .client
            .adjust_instance(
                &Call::new().account(bakery_co),
                logo,
                &Adjust {
                    catalog_product_id: None,
                    billing: Some(BillingRequest::of(Billing::OneTime)),
                    discount_code: None,
                },
            )
            .await;
        self.calls_made(false)?;
        self.refused(
            "Adjust of the Logo Maker",
            answer,
            &ErrorCode::OperationNotSupportedForProduct,
        )?;
        let after = self
            .emulator
            .wix()
            .package(bought.id())
            .ok_or_else(|| "step 7: the logo package is gone".to_owned())?;
        let unchanged = after.instances().first().is_some_and(|i| {
            i.catalog_product_id() == self.ids.logo && i.billing() == Some(Billing::OneTime)
        });
        self.check(unchanged, "the Logo Maker is as it was")
    }

    /// 8: a site holding a reseller instance cannot move; Wix's remedy (F5).
    async fn transfer_paid_site(&mut self) -> Result<(), String> {
        self.heading(8, "Transfer a site that holds a plan (F5)")?;
        self.wrapped(
            "  ",
            "Florist Ltd hands its site over to Acme for a redesign, but the site holds \
             a Premium plan sold through Acme (created first, below), so a plain \
             Transfer Site is refused. Wix's remedy, which transfer_paid_site runs: \
             cancel what is sold on the site, transfer, then buy it again in the \
             target account.",
        )?;
        let (acme, florist_ltd) = (self.ids.acme, self.ids.florist_ltd);
        let (florist, unlimited) = (self.ids.florist, self.ids.unlimited);
        let item = self.item(unlimited, florist, Billing::monthly());
        let answer = self.create_package(florist_ltd, vec![item]).await?;
        let theirs = self.accepted("Create Package (Florist Ltd)", answer)?;
        self.package(&theirs)?;
        let their_plan = theirs
            .instances()
            .first()
            .map(ProductInstance::id)
            .ok_or_else(|| "step 8: the package has no instance".to_owned())?;
        let answer = self.transfer(florist, florist_ltd, acme).await?;
        self.refused(
            "the transfer of a site with a live plan",
            answer,
            &ErrorCode::SiteTransferNotSupported,
        )?;
        let sites = self.query_sites(florist_ltd).await?;
        self.check(
            Self::owner_in(&sites, florist) == Some(florist_ltd),
            "florist stayed with Florist Ltd",
        )?;
        self.wrapped(
            "  ",
            "The refusal does not say what blocks the site. transfer_paid_site finds \
             the packages with an instance on it (Query Packages), cancels those \
             instances (Cancel Product Instance), transfers, and creates each again \
             in Acme's account (create-once):",
        )?;
        let input = TransferPaidSite {
            site: florist,
            source_account: florist_ltd,
            target_account: acme,
            enable_notifications: false,
            external_id_prefix: "demo-florist".to_owned(),
            services: None,
        };
        let answer = flows::transfer_paid_site(&self.client, &input, attempts()).await;
        self.calls_made(false)?;
        let moved = self.finished("transfer_paid_site (F5)", answer)?;
        for service in &moved.services {
            self.created(&service.package)?;
        }
        let froms: Vec<InstanceId> = moved.services.iter().map(|s| s.from).collect();
        self.check(
            moved.transfer == Outcome::Done && froms == [their_plan],
            "one service on florist, the plan just sold: canceled, moved, sold again",
        )?;
        let acmes = self.query_sites(acme).await?;
        self.check(
            Self::owner_in(&acmes, florist) == Some(acme),
            "florist is Acme's now (Query Sites)",
        )?;
        self.check(
            moved.services.iter().all(|s| {
                let p = &s.package.package;
                p.account_id() == acme
                    && p.instances().iter().all(|i| {
                        i.catalog_product_id() == unlimited
                            && i.site() == Some(florist)
                            && i.status().name() == StatusName::Pending
                    })
            }),
            "a new plan on florist, in Acme's account",
        )?;
        let old = self.get_package(florist_ltd, theirs.id()).await?;
        self.package(&old)?;
        self.check(
            old.instances()
                .iter()
                .all(|i| i.status().name() == StatusName::Canceled),
            "the old package stays canceled with Florist Ltd",
        )
    }

    /// 9: Cancel Product Instance (the domain), then Cancel Package (the plan's),
    /// through reseller-app's safe operations.
    async fn cancel(&mut self) -> Result<(), String> {
        self.heading(9, "Cancel (Cancel Product Instance, Cancel Package)")?;
        self.wrapped(
            "  ",
            "Bakery Co lets the domain go, then ends its plan. Canceling an instance \
             leaves the other instances alone; canceling a package cancels every live \
             instance in it. safe::cancel_instance and safe::cancel_package send one \
             idempotency key with every try, so a retry cannot cancel twice.",
        )?;
        let (plan_package, plan) = self.plan_ids()?;
        let (_, domain) = self.voucher_ids()?;
        let (bakery_co, bakery) = (self.ids.bakery_co, self.ids.bakery);
        let call = Call::new().account(bakery_co);
        let answer = safe::cancel_instance(&self.client, &call, domain, attempts()).await;
        self.calls_made(false)?;
        let v = answer.map_err(|e| format!("step 9: Cancel Product Instance failed: {e}"))?;
        self.package(&v)?;
        self.check(
            v.instance(domain)
                .is_some_and(|i| i.status().name() == StatusName::Canceled),
            "the domain is CANCELED",
        )?;
        let p = self.get_package(bakery_co, plan_package).await?;
        self.check(
            p.instance(plan)
                .is_some_and(|i| i.status().name() == StatusName::Enabled),
            "the plan, in its own package, is still ENABLED",
        )?;
        let answer = safe::cancel_package(&self.client, &call, plan_package, attempts()).await;
        self.calls_made(false)?;
        let p = answer.map_err(|e| format!("step 9: Cancel Package failed: {e}"))?;
        self.package(&p)?;
        self.check(
            p.instances()
                .iter()
                .all(|i| i.status().name() == StatusName::Canceled),
            "every instance of the package is CANCELED",
        )?;
        let sites = self.query_sites(bakery_co).await?;
        self.sites(&sites)?;
        self.check(
            Self::premium_in(&sites, bakery) == Some(false),
            "Query Sites: bakery is no longer premium",
        )
    }

    /// 10: one poll of a change feed over Acme's account family.
    async fn change_feed(&mut self) -> Result<(), String> {
        self.heading(10, "Read the changes (ChangeFeed over Query Packages)")?;
        self.wrapped(
            "  ",
            "Wix sends no webhooks. reseller-app's ChangeFeed polls Query Packages as \
             Acme (its whole account family) and turns what changed since its \
             checkpoint into events; a first poll announces every package it sees.",
        )?;
        let options = FeedOptions {
            call: Call::new().account(self.ids.acme),
            lookback: Duration::ZERO,
            ..FeedOptions::default()
        };
        let id = FeedId::new("reseller-demo").map_err(|e| format!("step 10: {e}"))?;
        let feed = ChangeFeed::open(self.client.clone(), MemoryCheckpoints::new(), id, options)
            .await
            .map_err(|e| format!("step 10: cannot open the feed: {e}"))?;
        let poll = feed.poll().await;
        self.calls_made(false)?;
        let poll = poll.map_err(|e| format!("step 10: the feed's poll failed: {e}"))?;
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for event in poll.events() {
            *kinds.entry(event.kind.name()).or_default() += 1;
        }
        self.line(format_args!("    {:<28}{}", "event", "count"))?;
        for (kind, count) in &kinds {
            self.line(format_args!("    {kind:<28}{count}"))?;
        }
        self.line("  The first events:")?;
        for event in poll.events().iter().take(3) {
            self.line(format_args!("    {}", fit(&event.to_string(), WIDTH - 4)))?;
        }
        let announced: Vec<PackageId> = poll
            .events()
            .iter()
            .filter(|e| matches!(e.kind, ChangeKind::PackageCreated { .. }))
            .map(|e| e.package)
            .collect();
        let made = self.made.packages.clone();
        self.check(
            made.iter().all(|p| announced.contains(p)),
            &format!(
                "the feed saw all {} packages the demo created ({} packages read)",
                made.len(),
                poll.packages_read()
            ),
        )
    }

    /// The closing summary.
    fn summary(&mut self) -> Result<(), String> {
        self.heading(13, "Summary")?;
        let violations = self.emulator.wix().invariant_violations();
        if !violations.is_empty() {
            return Err(format!(
                "the emulator's state broke its invariants: {}",
                violations.join("; ")
            ));
        }
        let text = format!(
            "Every step behaved as Wix documents it: {} checks passed, {} HTTP calls \
             made through adapter-wix-http, {} packages created. reseller-app's flows \
             ran: F1 hand-over, F2 reassign, F3 voucher, F4 onboarding (polled by the \
             demo), F5 transfer of a site with a paid service; the safe cancels, \
             a change feed and reconcile. Adjust was a direct call.",
            self.checks,
            self.calls,
            self.made.packages.len()
        );
        self.wrapped("  ", &text)?;
        self.wrapped(
            "  ",
            "To try these calls yourself: `reseller serve` keeps an emulator running \
             with the same seed and prints its key and ids.",
        )
    }
}

/// How often the flows try a call: three times, at once (the emulator is local).
fn attempts() -> Attempts {
    Attempts::immediate(3)
}

/// One of the demo's fixed external ids.
fn external_id(text: &str) -> Result<ExternalId, String> {
    ExternalId::new(text).map_err(|e| format!("the external id {text} is refused: {e}"))
}

/// The first 8 characters of an id: enough to tell the demo's ids apart.
fn short(id: impl Display) -> String {
    id.to_string().chars().take(8).collect()
}

/// `text` cut to `width` characters (the last one a `~` when cut).
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('~');
    out
}

/// A billing in words: `yearly`, `monthly`, `one-time`, `every 2 years`.
fn billing_text(billing: Option<Billing>) -> String {
    match billing {
        None => "-".to_owned(),
        Some(Billing::OneTime) => "one-time".to_owned(),
        Some(Billing::Recurring(cycle)) => {
            let unit = match cycle.unit() {
                CycleUnit::Day => "day",
                CycleUnit::Week => "week",
                CycleUnit::Month => "month",
                CycleUnit::Year => "year",
            };
            match cycle.count().get() {
                1 if unit == "day" => "daily".to_owned(),
                1 => format!("{unit}ly"),
                n => format!("every {n} {unit}s"),
            }
        }
    }
}

/// Splits `text` into lines of at most `width` characters at spaces (a longer
/// word gets a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let needed = current.chars().count() + 1 + word.chars().count();
        if !current.is_empty() && needed > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_runs_every_step_to_the_end() {
        let mut out = Vec::new();
        let result = run(&mut out).await;
        let text = String::from_utf8(out).unwrap();
        assert!(result.is_ok(), "{result:?}\n{text}");
        for heading in [
            "== 0. A local Wix, seeded",
            "== 1. Onboard a new customer (Create Account; F4)",
            "== 2. Sell a Premium plan with a free domain (F3)",
            "== 3. Use the plan as a voucher reference again (F3)",
            "== 4. Wait for provisioning (poll Get Package)",
            "== 5. Hand a finished site over to a customer (Transfer Site; F1)",
            "== 6. Move the plan to another site (Unassign, Assign; F2)",
            "== 7. Adjust the plan (Adjust Product Instance Specifications)",
            "== 8. Transfer a site that holds a plan (F5)",
            "== 9. Cancel (Cancel Product Instance, Cancel Package)",
            "== 10. Read the changes (ChangeFeed over Query Packages)",
            "== 11. Reconcile with billing (plan, then apply)",
            "== 12. Sell and connect domains (Domain Search; F6)",
            "== 13. Summary",
        ] {
            assert!(text.contains(heading), "missing {heading:?}\n{text}");
        }
        for call in [
            "POST /accounts/v1/accounts/create",
            "GET /accounts/v1/account/child-accounts",
            "POST /resellers/v2/packages",
            "GET /resellers/v1/packages/{id}",
            "POST /b2b-site-management/v1/transfer-site",
            "POST /site-list/v2/sites/query",
            "POST /resellers/v1/packages/query",
            "PATCH /resellers/v1/packages/product-instances/{instanceId}/unassign",
            "PATCH /resellers/v1/packages/product-instances/{instanceId}/{siteId}",
            "PATCH /resellers/v1/packages/product-instances/{instanceId}\n",
            "DELETE /resellers/v1/packages/product-instances/{instanceId}",
            "DELETE /resellers/v1/packages/{id}",
            "GET /domain-search/v2/suggest-domains",
            "POST /domains/v1/connected-domains",
        ] {
            assert!(text.contains(call), "missing the call {call:?}\n{text}");
        }
        for seen in [
            "< 404 INVALID_REFERENCE_PRODUCT_INSTANCE_ID",
            "< 428 OPERATION_NOT_SUPPORTED_FOR_PRODUCT",
            "< 428 SITE_TRANSFER_NOT_SUPPORTED",
            "PENDING",
            "ENABLED",
            "CANCELED",
            "The emulator stopped",
            "ok  the next plan is empty: Wix is what billing says",
        ] {
            assert!(text.contains(seen), "missing {seen:?}\n{text}");
        }
        assert_eq!(
            text.matches("< 428 SITE_TRANSFER_NOT_SUPPORTED").count(),
            2,
            "{text}"
        );
        assert!(!text.contains(DEMO_API_KEY), "the API key was printed");
        assert!(!text.contains("emk_"), "an API key was printed");
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "too wide: {line:?}");
        }
    }

    #[test]
    fn wrap_keeps_lines_within_the_width() {
        let lines = wrap("one two three four five six seven", 10);
        assert_eq!(lines, ["one two", "three four", "five six", "seven"]);
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("abcdefghijklmn x", 5), ["abcdefghijklmn", "x"]);
    }

    #[test]
    fn billing_reads_as_words() {
        assert_eq!(billing_text(Some(Billing::yearly())), "yearly");
        assert_eq!(billing_text(Some(Billing::monthly())), "monthly");
        assert_eq!(billing_text(Some(Billing::OneTime)), "one-time");
        assert_eq!(billing_text(None), "-");
    }

    #[test]
    fn fit_cuts_long_text() {
        assert_eq!(fit("bakery", 10), "bakery");
        assert_eq!(fit("acme-showcase-long", 10), "acme-show~");
    }
}
