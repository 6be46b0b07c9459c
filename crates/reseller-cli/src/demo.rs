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
//!
//! This file is the runner and the script (`Demo::all_steps`); the steps live in
//! `setup`, `selling`, `moving`, `ending` and `reconcile`, what they share in
//! `print` (output) and `calls` (the demo's own calls).

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

mod calls;
mod domains;
mod ending;
mod moving;
mod print;
mod reconcile;
mod selling;
mod setup;

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
