//! The dashboard in a real browser: Debian's headless Chromium, driven through
//! chromedriver (started here on a free port) by WebDriver, against an emulator
//! serving on port 0. It walks every view as a person would: the demo seed's
//! accounts, a package created by a plain HTTP call appearing on the Packages
//! view without a reload, an instance moved to `ENABLED` with a click and read
//! back through the Wix API, a fault rule added through the form and the faulted
//! request found in the Requests view, a reset confirmed in its dialog, the
//! admin-token prompt, and the phone width. Each view's screenshot is saved under
//! `target/dashboard-screenshots/`; a blank page, an error banner or a page
//! showing the demo API key fails the test.
//!
//! This target is not run by a plain `cargo test` (`test = false` in the
//! manifest): `cargo xtask ci` runs it as its own step after checking that
//! `chromium` and `chromedriver` are installed (`.ci/run` installs them with
//! apt-get), and it fails, never skips, when they are missing. With
//! `RESELLER_DASHBOARD_SCREENSHOT=PATH` it also writes the README's screenshot
//! there (`cargo xtask screenshot`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use reseller_emulator::{DEMO_API_KEY, DEMO_MAIN_ACCOUNT, DEMO_PREMIUM_PLAN, Emulator};
use serde_json::{Value, json};

/// How long a page may take to show what is awaited (a generous bound for a
/// loaded machine; a test that passes never waits this long).
const PATIENCE: Duration = Duration::from_secs(30);

/// The sites of the demo seed the packages go on.
const SHOWCASE: &str = "51000000-0000-4000-8000-000000000001";
const BAKERY: &str = "51000000-0000-4000-8000-000000000002";

/// A program on `PATH`, or `None`.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Where the screenshots go: `target/dashboard-screenshots/`.
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    );
    let dir = target.join("dashboard-screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot directory");
    dir
}

/// Starts chromedriver and a headless Chromium session at 1280x800.
async fn browser() -> (Driver, Client) {
    let chromium = on_path(&["chromium", "chromium-browser", "google-chrome"]).unwrap_or_else(|| {
        panic!(
            "the dashboard's browser test needs Chromium: `apt-get install -y chromium chromium-driver` \
             (.ci/run installs it); no chromium on PATH"
        )
    });
    let chromedriver = on_path(&["chromedriver"]).unwrap_or_else(|| {
        panic!(
            "the dashboard's browser test needs chromedriver: `apt-get install -y chromium-driver` \
             (.ci/run installs it); no chromedriver on PATH"
        )
    });
    let port = free_port();
    let driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
            ],
        }
    });
    let caps = match caps {
        Value::Object(map) => map,
        _ => unreachable!("an object"),
    };
    let started = Instant::now();
    let url = format!("http://127.0.0.1:{port}");
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                client
                    .set_window_size(1280, 800)
                    .await
                    .expect("window size");
                return (driver, client);
            }
            Err(e) if started.elapsed() < PATIENCE => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("no WebDriver session with chromedriver at {url}: {e}"),
        }
    }
}

/// The test's view of the page: the browser, the emulator's address and the
/// screenshots taken.
struct Page {
    client: Client,
    base: String,
    dir: PathBuf,
}

impl Page {
    /// The page's visible text.
    async fn text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .expect("a body")
            .text()
            .await
            .unwrap_or_default()
    }

    /// Waits until `ready` holds for the page's text (or fails with a screenshot).
    async fn wait_for_text(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let text = self.text().await;
            if ready(&text) {
                return text;
            }
            if started.elapsed() > PATIENCE {
                self.save(&format!("failed-{what}")).await;
                panic!("waited for {what}; the page shows:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for an element.
    async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                self.save("failed-wait").await;
                panic!(
                    "no element {css}: {e}\nthe page shows:\n{}",
                    self.text().await
                );
            }
        }
    }

    /// Clicks the navigation link with exactly this text.
    async fn nav(&self, text: &str) {
        let link = self
            .client
            .find(Locator::XPath(&format!(
                "//nav//a[normalize-space(.)='{text}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("no navigation link {text:?}: {e}"));
        link.click().await.expect("the link clicks");
        self.wait_for(&format!("nav a[aria-current='page']")).await;
        self.wait_for_text(&format!("the {text} view"), |t| t.contains(text))
            .await;
    }

    /// Types into the input `css` (after clearing it).
    async fn type_into(&self, css: &str, text: &str) {
        let input = self.wait_for(css).await;
        input.clear().await.expect("clears");
        input.send_keys(text).await.expect("types");
    }

    /// Saves a screenshot as `NAME.png`; answers its bytes.
    async fn save(&self, name: &str) -> Vec<u8> {
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(self.dir.join(format!("{name}.png")), &png)
            .expect("the screenshot is saved");
        png
    }

    /// Checks that the page is neither blank nor an error nor showing a key, and
    /// saves its screenshot.
    async fn check_and_save(&self, name: &str) -> Vec<u8> {
        self.client
            .execute("window.scrollTo(0, 0)", vec![])
            .await
            .expect("scrolls");
        let text = self.text().await;
        let heading = self
            .client
            .find(Locator::Css("main h2"))
            .await
            .map(|_| ())
            .is_ok();
        let alert = self
            .client
            .execute("return document.getElementById('alert').hidden", vec![])
            .await
            .expect("the alert is readable");
        let source = self.client.source().await.expect("the source");
        let png = self.save(name).await;
        assert!(
            heading && text.trim().len() > 200,
            "{name}: a blank page:\n{text}"
        );
        assert_eq!(alert, json!(true), "{name}: an error is shown:\n{text}");
        assert!(
            !source.contains(DEMO_API_KEY) && !source.contains("emk_demo"),
            "{name}: the page shows an API key"
        );
        // A blank screenshot compresses to a few KiB; a page with text and tables
        // to many more (fewer on a phone's narrow window).
        let (width, _) = self.client.get_window_size().await.expect("the size");
        let least = if width < 600 { 6_000 } else { 15_000 };
        assert!(
            png.len() > least,
            "{name}: a blank screenshot ({} bytes)",
            png.len()
        );
        png
    }
}

/// The Wix API through plain HTTP with the demo key.
async fn wix(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = http
        .request(method, url)
        .header("Authorization", DEMO_API_KEY)
        .header("wix-account-id", DEMO_MAIN_ACCOUNT);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the emulator answers");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

async fn create_package(http: &reqwest::Client, base: &str, external: &str, site: &str) -> Value {
    let (status, body) = wix(
        http,
        reqwest::Method::POST,
        &format!("{base}/resellers/v2/packages"),
        Some(json!({
            "externalId": external,
            "products": [{
                "catalogProductId": DEMO_PREMIUM_PLAN,
                "countryCode": "US",
                "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}},
                "siteId": site,
            }],
        })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["package"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_in_a_real_browser() {
    let emulator = Emulator::in_memory();
    emulator
        .load_demo_seed_if_empty()
        .await
        .expect("the demo seed");
    let running = emulator
        .clone()
        .spawn("127.0.0.1:0".parse().expect("an address"))
        .await
        .expect("the emulator serves");
    let base = running.base_url();
    let http = reqwest::Client::new();
    let (_driver, client) = browser().await;
    let page = Page {
        client,
        base: base.clone(),
        dir: screenshot_dir(),
    };

    // Accounts: the demo seed's three accounts, as a tree.
    page.client
        .goto(&format!("{}/_emulator/ui/", page.base))
        .await
        .expect("the dashboard loads");
    page.wait_for_text("the demo accounts", |t| {
        t.contains("Acme Hosting")
            && t.contains("Customer 1: Bakery Co")
            && t.contains("Customer 2: Florist Ltd")
    })
    .await;
    page.wait_for(&format!("[data-account='{DEMO_MAIN_ACCOUNT}']"))
        .await;
    page.check_and_save("accounts").await;

    // Clock: manual provisioning through the form, so new instances stay PENDING.
    page.nav("Clock").await;
    page.wait_for("#mode-manual")
        .await
        .click()
        .await
        .expect("clicks");
    page.client
        .find(Locator::XPath(
            "//button[normalize-space(.)='Save provisioning']",
        ))
        .await
        .expect("the provisioning button")
        .click()
        .await
        .expect("clicks");
    page.wait_for_text("manual provisioning", |t| {
        t.contains("Provisioning: manual")
    })
    .await;
    page.check_and_save("clock").await;

    // Packages: packages created by plain HTTP calls appear without a reload.
    page.nav("Packages").await;
    page.wait_for_text("the empty package list", |t| t.contains("No packages yet."))
        .await;
    create_package(&http, &base, "browser-order-1", SHOWCASE).await;
    let created = create_package(&http, &base, "browser-order-2", BAKERY).await;
    let id = created["id"].as_str().expect("a package id").to_owned();
    let instance = created["productInstances"][0]["instanceId"]
        .as_str()
        .expect("an instance id")
        .to_owned();
    let link = page.wait_for(&format!("a[data-package='{id}']")).await;
    page.wait_for_text("both packages", |t| {
        t.contains("browser-order-1") && t.contains("browser-order-2")
    })
    .await;
    page.check_and_save("packages").await;

    // The package's detail: move its instance to ENABLED with a click.
    link.click().await.expect("the package opens");
    let enable = page
        .wait_for(&format!(
            "[data-instance='{instance}'] button[data-move='ENABLED']"
        ))
        .await;
    page.wait_for_text("the pending instance", |t| t.contains("PENDING"))
        .await;
    page.check_and_save("package").await;
    enable.click().await.expect("clicks");
    page.wait_for_text("the enabled instance", |t| t.contains("Moved to ENABLED."))
        .await;
    let (status, got) = wix(
        &http,
        reqwest::Method::GET,
        &format!("{base}/resellers/v1/packages/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(
        got["package"]["productInstances"][0]["status"], "ENABLED",
        "{got}"
    );
    let readme_png = page.check_and_save("package-enabled").await;

    // Faults: a rule added through the form fails the next Get Package.
    page.nav("Faults").await;
    page.wait_for("#fault-method")
        .await
        .select_by_value("GET")
        .await
        .expect("selects GET");
    page.type_into("#fault-path", "/resellers/v1/packages/")
        .await;
    page.type_into("#fault-status", "503").await;
    page.type_into("#fault-times", "1").await;
    page.client
        .find(Locator::XPath(
            "//button[normalize-space(.)='Add fault rule']",
        ))
        .await
        .expect("the add button")
        .click()
        .await
        .expect("clicks");
    page.wait_for_text("the new rule", |t| t.contains("Added fault-1."))
        .await;
    page.wait_for_text("the rule's row", |t| {
        t.contains("fault-1") && t.contains("503")
    })
    .await;
    page.check_and_save("faults").await;
    let (status, _) = wix(
        &http,
        reqwest::Method::GET,
        &format!("{base}/resellers/v1/packages/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 503, "the fault hits the call");

    // Requests: the faulted call is there, live, with its detail.
    page.nav("Requests").await;
    let faulted = page
        .wait_for(&format!("a.request-link[href^='#/requests/']"))
        .await;
    let _ = faulted;
    page.wait_for_text("the faulted request", |t| t.contains("503"))
        .await;
    page.wait_for("#request-status")
        .await
        .select_by_value("5xx")
        .await
        .expect("selects 5xx");
    page.wait_for_text("only the 5xx request", |t| {
        t.contains("503")
            && !t.contains("ENABLED")
            && t.matches("/resellers/v1/packages/").count() == 1
    })
    .await;
    page.check_and_save("requests").await;
    page.wait_for("a.request-link")
        .await
        .click()
        .await
        .expect("the request opens");
    page.wait_for_text("the request's detail", |t| {
        t.contains("Response body")
            && t.contains("503")
            && t.contains(&format!("/resellers/v1/packages/{id}"))
    })
    .await;
    page.check_and_save("request").await;

    // Seed and state: an API key shown once, then reset through the dialog.
    page.nav("Seed and state").await;
    page.type_into("#key-account", DEMO_MAIN_ACCOUNT).await;
    page.client
        .find(Locator::XPath("//button[normalize-space(.)='Add API key']"))
        .await
        .expect("the key button")
        .click()
        .await
        .expect("clicks");
    let shown = page.wait_for("output[data-once='key']").await;
    let key = shown.text().await.expect("the key's text");
    assert!(key.starts_with("emk_") && key.len() > 10, "{key}");
    page.client
        .find(Locator::XPath("//button[normalize-space(.)='Hide key']"))
        .await
        .expect("the hide button")
        .click()
        .await
        .expect("clicks");
    page.wait_for_text("the key hidden", |t| !t.contains(&key))
        .await;
    page.check_and_save("seed").await;
    page.wait_for("#reset").await.click().await.expect("clicks");
    page.wait_for("dialog[open] #confirm-ok")
        .await
        .click()
        .await
        .expect("confirms");
    page.wait_for_text("the reset", |t| t.contains("The emulator was reset."))
        .await;
    assert!(emulator.is_empty(), "the reset removed every account");
    assert_eq!(emulator.wix().package_count(), 0);
    // The key shown once is in no page after it was hidden, nor in the log.
    page.nav("Requests").await;
    page.wait_for_text("the log after the reset", |t| {
        t.contains("/_emulator/reset")
    })
    .await;
    let source = page.client.source().await.expect("the source");
    assert!(!source.contains(&key), "the new key is in a page");
    for entry in emulator.requests(1000) {
        let text = serde_json::to_string(&entry).unwrap_or_default();
        assert!(
            !text.contains(&key) && !text.contains(DEMO_API_KEY),
            "{text}"
        );
    }

    // The README's picture: a package's detail, its instance just enabled.
    if let Some(path) = std::env::var_os("RESELLER_DASHBOARD_SCREENSHOT") {
        std::fs::write(&path, &readme_png).expect("the README screenshot is written");
    }

    // At phone width nothing is wider than the screen.
    emulator
        .load_demo_seed_if_empty()
        .await
        .expect("the demo seed again");
    page.client
        .set_window_size(390, 844)
        .await
        .expect("phone width");
    page.nav("Accounts").await;
    page.wait_for_text("the accounts at phone width", |t| {
        t.contains("Acme Hosting")
    })
    .await;
    let overflow = page
        .client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await
        .expect("the widths");
    assert_eq!(
        overflow,
        json!(0),
        "the accounts page is wider than a phone"
    );
    page.check_and_save("phone-accounts").await;
    for (view, file) in [
        ("Packages", "phone-packages"),
        ("Requests", "phone-requests"),
        ("Faults", "phone-faults"),
        ("Clock", "phone-clock"),
        ("Seed and state", "phone-seed"),
    ] {
        page.nav(view).await;
        let overflow = page
            .client
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
                vec![],
            )
            .await
            .expect("the widths");
        assert_eq!(overflow, json!(0), "the {view} page is wider than a phone");
        page.check_and_save(file).await;
    }
    page.client
        .set_window_size(1280, 800)
        .await
        .expect("desktop width");

    // Behind an admin token: the page asks for it once, then shows the data.
    let guarded = Emulator::in_memory().with_admin_token(Some("open-sesame".to_owned()));
    guarded
        .load_demo_seed_if_empty()
        .await
        .expect("the demo seed");
    let guarded = guarded
        .spawn("127.0.0.1:0".parse().expect("an address"))
        .await
        .expect("the guarded emulator serves");
    page.client
        .goto(&format!("{}/_emulator/ui/#/accounts", guarded.base_url()))
        .await
        .expect("the guarded dashboard loads");
    page.type_into("#admin-token", "open-sesame").await;
    page.client
        .find(Locator::XPath("//button[normalize-space(.)='Continue']"))
        .await
        .expect("the continue button")
        .click()
        .await
        .expect("clicks");
    page.wait_for_text("the guarded accounts", |t| t.contains("Acme Hosting"))
        .await;
    page.nav("Packages").await;
    page.wait_for_text("no second prompt", |t| t.contains("No packages yet."))
        .await;

    page.client.close().await.expect("the session closes");
    guarded.shutdown().await.expect("stops");
    running.shutdown().await.expect("stops");
}
