//! Command tests: the real `reseller` binary against an emulator on a free port,
//! every subcommand, with its output, its exit code (0 success, 1 refused by the
//! API, 2 usage, 3 transport) and its message on bad input.

use std::process::{Command, Output};

use reseller_emulator::{DEMO_API_KEY, Emulator, Running, demo};
use serde_json::{Value, json};

const MAIN: &str = reseller_emulator::DEMO_MAIN_ACCOUNT;
const SUB: &str = demo::BAKERY_CO_ID;
const PLAN: &str = reseller_emulator::DEMO_PREMIUM_PLAN;
const OTHER_PLAN: &str = demo::CORE_ID;
const SHOWCASE: &str = demo::ACME_SHOWCASE_ID;
const BAKERY: &str = demo::BAKERY_ID;
const LEGACY: &str = demo::LEGACY_SHOP_ID;

/// An emulator with the demo seed on its own runtime, for the binary to call.
struct Server {
    running: Option<Running>,
    runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let running = runtime.block_on(async {
            let emulator = Emulator::in_memory();
            emulator.load_demo_seed_if_empty().await.unwrap();
            emulator
                .spawn("127.0.0.1:0".parse().unwrap())
                .await
                .unwrap()
        });
        Self {
            running: Some(running),
            runtime,
        }
    }

    fn url(&self) -> String {
        self.running.as_ref().unwrap().base_url()
    }

    /// `reseller ARGS` against this emulator (its URL in `WIX_BASE_URL`).
    fn run(&self, args: &[&str]) -> Output {
        reseller(args, &[("WIX_BASE_URL", &self.url())])
    }

    /// Like [`Server::run`] with `--output json`, expecting success.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--output", "json"]);
        let out = self.run(&all);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", stdout(&out)))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = self.runtime.block_on(running.shutdown());
        }
    }
}

fn reseller(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reseller"));
    command
        .args(args)
        .env_remove("WIX_API_KEY")
        .env_remove("WIX_ACCOUNT_ID")
        .env_remove("WIX_BASE_URL");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn create_plan(server: &Server, site: Option<&str>, external: &str) -> Value {
    let mut args = vec![
        "packages",
        "create",
        "--product",
        PLAN,
        "--country",
        "US",
        "--billing",
        "yearly",
        "--external-id",
        external,
    ];
    if let Some(s) = site {
        args.extend(["--site", s]);
    }
    server.json(&args)
}

fn instance_of(package: &Value) -> String {
    package["productInstances"][0]["instanceId"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn packages_create_get_query_set_external_id_and_cancel() {
    let server = Server::start();
    let created = create_plan(&server, Some(SHOWCASE), "cli-order-1");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["accountId"], MAIN);
    assert_eq!(created["externalId"], "cli-order-1");
    assert_eq!(created["productInstances"][0]["status"], "PENDING");

    let got = server.json(&["packages", "get", &id]);
    assert_eq!(got["id"], id.as_str());
    assert_eq!(got["productInstances"][0]["status"], "ENABLED");

    // The table is readable and names the package and its instance.
    let table = server.run(&["packages", "get", &id]);
    assert_eq!(code(&table), 0);
    let text = stdout(&table);
    assert!(text.contains(&id) && text.contains("ENABLED") && text.contains("RECURRING 1 YEAR"));

    create_plan(&server, None, "cli-order-2");
    let page = server.json(&["packages", "query", "--limit", "1"]);
    assert_eq!(page["packages"].as_array().unwrap().len(), 1);
    let next = page["metadata"]["cursors"]["next"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = server.json(&["packages", "query", "--limit", "1", "--cursor", &next]);
    assert_ne!(second["packages"][0]["id"], page["packages"][0]["id"]);
    let all = server.json(&["packages", "query", "--all", "--limit", "1"]);
    assert_eq!(all["packages"].as_array().unwrap().len(), 2);
    let offset = server.json(&["packages", "query", "--offset", "0", "--limit", "5"]);
    assert_eq!(offset["metadata"]["total"], 2);
    let filtered = server.json(&[
        "packages",
        "query",
        "--filter",
        r#"{"externalId": "cli-order-2"}"#,
        "--sort",
        "createdDate:asc",
    ]);
    assert_eq!(filtered["packages"].as_array().unwrap().len(), 1);
    assert_eq!(filtered["packages"][0]["externalId"], "cli-order-2");

    let renamed = server.json(&["packages", "set-external-id", &id, "renamed/1"]);
    assert_eq!(renamed["externalId"], "renamed/1");

    let canceled = server.json(&["packages", "cancel", &id, "--idempotency-key", "cancel-1"]);
    assert_eq!(canceled["productInstances"][0]["status"], "CANCELED");
    // The same key again replays the answer.
    let again = server.json(&["packages", "cancel", &id, "--idempotency-key", "cancel-1"]);
    assert_eq!(again, canceled);
}

#[test]
fn create_with_a_body_and_no_v1_endpoint() {
    let server = Server::start();
    let body = format!(
        r#"{{"externalId":"from-body","products":[{{"catalogProductId":"{PLAN}","countryCode":"FR","billingInfo":{{"type":"RECURRING","cycleDuration":{{"unit":"MONTH","count":1}}}}}}]}}"#
    );
    let created = server.json(&["packages", "create", "--body", &body]);
    assert_eq!(created["externalId"], "from-body");
    assert_eq!(created["productInstances"][0]["countryCode"], "FR");
    // The v1 create is gone (Wix removed it): the flag is a usage error.
    let out = server.run(&[
        "packages",
        "create",
        "--v1",
        "--product",
        PLAN,
        "--billing",
        "monthly",
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn instances_assign_unassign_adjust_and_cancel() {
    let server = Server::start();
    let package = create_plan(&server, None, "instances");
    let instance = instance_of(&package);

    let assigned = server.json(&["instances", "assign", &instance, BAKERY]);
    assert_eq!(assigned["productInstances"][0]["siteId"], BAKERY);
    let unassigned = server.json(&["instances", "unassign", &instance]);
    assert!(unassigned["productInstances"][0].get("siteId").is_none());
    let adjusted = server.json(&[
        "instances",
        "adjust",
        &instance,
        "--product",
        OTHER_PLAN,
        "--billing",
        "monthly",
    ]);
    assert_eq!(
        adjusted["productInstances"][0]["catalogProductId"],
        OTHER_PLAN
    );
    assert_eq!(
        adjusted["productInstances"][0]["billingInfo"]["cycleDuration"]["unit"],
        "MONTH"
    );
    let canceled = server.json(&["instances", "cancel", &instance]);
    assert_eq!(canceled["productInstances"][0]["status"], "CANCELED");

    // Assigning a canceled instance is refused by the API: exit code 1 with Wix's code.
    let refused = server.run(&["instances", "assign", &instance, BAKERY]);
    assert_eq!(code(&refused), 1);
    assert!(
        stderr(&refused).contains("INCOMPATIBLE_PRODUCT_INSTANCE_STATUS (428)"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn sites_list_and_transfer_with_its_refusal() {
    let server = Server::start();
    let sites = server.json(&["sites", "list"]);
    let names: Vec<_> = sites["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(names.contains(&"bakery".to_owned()) && names.contains(&"legacy-shop".to_owned()));
    let one = server.json(&["sites", "list", "--id", BAKERY]);
    assert_eq!(one["sites"].as_array().unwrap().len(), 1);

    let moved = server.json(&["sites", "transfer", BAKERY, "--from", MAIN, "--to", SUB]);
    assert_eq!(moved["siteTransfer"]["siteId"], BAKERY);
    let theirs = server.json(&["sites", "list", "--account-id", SUB]);
    assert!(
        theirs["sites"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == BAKERY)
    );

    // A site with a paid service bought outside the reseller flow cannot move.
    let refused = server.run(&["sites", "transfer", LEGACY, "--from", MAIN, "--to", SUB]);
    assert_eq!(code(&refused), 1);
    assert!(stderr(&refused).contains("SITE_TRANSFER_NOT_SUPPORTED"));
}

fn site_names(answer: &Value) -> Vec<String> {
    answer["sites"]
        .as_array()
        .unwrap_or_else(|| panic!("no sites in {answer}"))
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn sites_list_filters_sorts_and_counts() {
    let server = Server::start();
    let list = |args: &[&str]| {
        let mut all = vec!["sites", "list"];
        all.extend(args);
        site_names(&server.json(&all))
    };
    // Active WIX sites by default: the headless one only when asked for.
    let default = list(&[]);
    assert_eq!(default.len(), 3, "{default:?}");
    assert!(!default.contains(&"headless-acme-store".to_owned()));
    assert_eq!(list(&["--namespace", "headless"]), ["headless-acme-store"]);
    assert_eq!(
        list(&["--namespace", "WIX", "--namespace", "HEADLESS"]).len(),
        4
    );
    assert_eq!(list(&["--published", "true"]), ["acme-showcase"]);
    assert_eq!(list(&["--search", "SHOW"]), ["acme-showcase"]);
    assert_eq!(
        list(&["--sort", "displayName:asc"]),
        ["acme-showcase", "bakery", "legacy-shop"]
    );
    assert_eq!(
        list(&["--sort", "displayName:desc"]),
        ["legacy-shop", "bakery", "acme-showcase"]
    );
    assert!(list(&["--premium", "true"]).is_empty());
    create_plan(&server, Some(SHOWCASE), "cli-premium");
    assert_eq!(list(&["--premium", "true"]), ["acme-showcase"]);
    // One per page, with the cursor alone.
    let first = server.json(&["sites", "list", "--limit", "1"]);
    let cursor = first["nextCursor"].as_str().unwrap();
    let second = server.json(&["sites", "list", "--limit", "1", "--cursor", cursor]);
    assert_eq!(second["sites"].as_array().unwrap().len(), 1);
    assert_ne!(site_names(&first), site_names(&second));

    assert_eq!(server.json(&["sites", "count"]), json!({"count": 3}));
    assert_eq!(
        server.json(&["sites", "count", "--namespace", "HEADLESS"]),
        json!({"count": 1})
    );
    let table = server.run(&["sites", "count", "--published", "false"]);
    assert_eq!(code(&table), 0);
    assert!(stdout(&table).contains("2 site(s)"), "{}", stdout(&table));
    let table = server.run(&["sites", "list", "--namespace", "HEADLESS"]);
    assert!(stdout(&table).contains("HEADLESS"), "{}", stdout(&table));

    // Refused before sending (usage, 2) or by the API (1).
    for args in [
        vec!["sites", "list", "--namespace", "NOPE"],
        vec!["sites", "list", "--sort", "name"],
        vec!["sites", "list", "--sort", "displayName:up"],
        vec!["sites", "list", "--limit", "101"],
        vec!["sites", "list", "--cursor", "abc", "--published", "true"],
        vec!["sites", "count", "--id", "not-a-guid"],
    ] {
        let out = server.run(&args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
    let refused = server.run(&["sites", "list", "--cursor", "garbage"]);
    assert_eq!(code(&refused), 1);
    assert!(
        stderr(&refused).contains("INVALID_CURSOR"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn accounts_get_reads_the_keys_account_and_its_children() {
    let server = Server::start();
    assert_eq!(
        server.json(&["accounts", "get", SUB]),
        json!({"account": {"accountId": SUB, "slug": "customer-1-bakery-co",
                           "accountName": "Customer 1: Bakery Co"}})
    );
    let table = server.run(&["accounts", "get", MAIN]);
    assert_eq!(code(&table), 0);
    assert!(
        stdout(&table).contains("acme-hosting"),
        "{}",
        stdout(&table)
    );
    let unknown = server.run(&["accounts", "get", "00000000-0000-4000-8000-00000000dead"]);
    assert_eq!(code(&unknown), 1);
    assert!(
        stderr(&unknown).contains("ACCOUNT_NOT_FOUND"),
        "{}",
        stderr(&unknown)
    );
    assert_eq!(code(&server.run(&["accounts", "get", "nope"])), 2);
}

#[test]
fn accounts_create_sub_and_list() {
    let server = Server::start();
    let created = server.json(&["accounts", "create-sub", "--email", "owner@bakery.example"]);
    let id = created["account"]["accountId"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {created}"))
        .to_owned();
    let list = server.run(&["accounts", "list", "--limit", "50"]);
    assert_eq!(code(&list), 0);
    assert!(stdout(&list).contains(&id), "{}", stdout(&list));
    assert!(stdout(&list).contains("3 of 3 sub-account(s)"));
}

#[test]
fn bulk_create_from_jsonl_is_safe_to_rerun() {
    let server = Server::start();
    let dir = std::env::temp_dir().join(format!("reseller-cli-bulk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("orders.jsonl");
    let line = |n: u32| {
        format!(
            r#"{{"externalId":"bulk-{n}","products":[{{"catalogProductId":"{PLAN}","countryCode":"US","billingInfo":{{"type":"RECURRING","cycleDuration":{{"unit":"YEAR","count":1}}}}}}]}}"#
        )
    };
    let text: Vec<String> = (0..12).map(line).collect();
    std::fs::write(&file, text.join("\n")).unwrap();
    let path = file.to_str().unwrap();

    let first = server.json(&["packages", "create", "--from", path]);
    assert_eq!(first["created"].as_array().unwrap().len(), 12);
    assert!(first["failed"].as_array().unwrap().is_empty());
    // A rerun (as after a crash) creates nothing twice: the same packages answer.
    let second = server.json(&["packages", "create", "--from", path]);
    assert_eq!(first["created"], second["created"]);
    let all = server.json(&["packages", "query", "--all"]);
    assert_eq!(all["packages"].as_array().unwrap().len(), 12);

    // A malformed line: nothing is sent, the line is named, exit code 2.
    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, format!("{}\n{{not json\n{}\n", line(100), line(101))).unwrap();
    let out = server.run(&["packages", "create", "--from", bad.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("line 2:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing was sent"));
    let all = server.json(&["packages", "query", "--all"]);
    assert_eq!(all["packages"].as_array().unwrap().len(), 12);

    // A line the API refuses: the summary names it, exit code 1, the others are created.
    let refused = dir.join("refused.jsonl");
    let unknown = r#"{"externalId":"nope","products":[{"catalogProductId":"c1000000-0000-4000-8000-0000000000ff","countryCode":"US"}]}"#;
    std::fs::write(&refused, format!("{}\n{unknown}\n", line(200))).unwrap();
    let out = server.run(&["packages", "create", "--from", refused.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).contains("created 1 package(s), 1 failed"));
    assert!(stdout(&out).contains("line 2:"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_is_a_usage_error_and_sends_nothing() {
    let server = Server::start();
    let cases: &[(&[&str], &str)] = &[
        (&["packages", "--frobnicate"], "unexpected argument"),
        (&["packages", "get", "not-a-guid"], "must be a GUID"),
        (
            &["packages", "create", "--product", PLAN],
            "products[0].countryCode",
        ),
        (
            &[
                "packages",
                "create",
                "--product",
                PLAN,
                "--country",
                "US",
                "--billing",
                "weekly",
            ],
            "--billing takes",
        ),
        (
            &["packages", "query", "--filter", "{oops"],
            "--filter is not JSON",
        ),
        (
            &["packages", "query", "--limit", "1000"],
            "query.cursorPaging.limit",
        ),
        (&["instances", "assign", PLAN, "bad-site"], "must be a GUID"),
        (&["packages", "create"], "needs --product, --body or --from"),
    ];
    for (args, message) in cases {
        let out = server.run(args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    // Nothing reached the emulator's package store.
    let all = server.json(&["packages", "query", "--all"]);
    assert!(all["packages"].as_array().unwrap().is_empty());
}

#[test]
fn serve_on_a_state_it_cannot_open_says_each_cause_once() {
    // The state file is a directory: SQLite's error, under the store's, under the
    // emulator's; the message gives each once.
    let dir = std::env::temp_dir().join(format!("reseller-cli-state-dir-{}", std::process::id()));
    std::fs::create_dir_all(dir.join(reseller_emulator::STATE_FILE).join("inside")).unwrap();
    let state = dir.to_string_lossy().into_owned();
    let out = reseller(
        &["serve", "--listen", "127.0.0.1:0", "--state", &state],
        &[],
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let err = stderr(&out);
    assert_eq!(code(&out), 3, "{err}");
    assert!(err.contains("cannot open the state in"), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("cannot open the state in"))
        .unwrap();
    let causes: Vec<&str> = line.trim_start_matches("error: ").split(": ").collect();
    assert!(causes.len() >= 3, "{line}");
    for (i, cause) in causes.iter().enumerate() {
        assert!(
            causes
                .iter()
                .skip(i + 1)
                .all(|later| !later.contains(cause) && !cause.contains(later)),
            "{line}"
        );
    }
}

#[test]
fn a_bad_key_is_refused_with_exit_code_1_and_is_never_printed() {
    let server = Server::start();
    let secret = "emk_this_key_is_secret_42";
    let out = server.run(&[
        "packages",
        "query",
        "--api-key",
        secret,
        "--account-id",
        MAIN,
    ]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("UNAUTHENTICATED (401)"));
    assert!(!stderr(&out).contains(secret) && !stdout(&out).contains(secret));
    // The same through the environment.
    let out = reseller(
        &["packages", "query"],
        &[
            ("WIX_BASE_URL", &server.url()),
            ("WIX_API_KEY", secret),
            ("WIX_ACCOUNT_ID", MAIN),
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(!stderr(&out).contains(secret));
    // The demo key works when given explicitly too.
    let out = server.run(&[
        "packages",
        "query",
        "--api-key",
        DEMO_API_KEY,
        "--account-id",
        MAIN,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stdout(&out).contains(DEMO_API_KEY));
}

#[test]
fn no_key_for_a_remote_api_and_no_server_are_told_apart() {
    // Real Wix without a key: a usage error before anything is sent.
    let out = reseller(
        &["packages", "query", "--base-url", "https://www.wixapis.com"],
        &[],
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("an API key is needed"));
    // Nobody listening: a transport failure.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let out = reseller(&["packages", "query", "--base-url", &url], &[]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("NotSent"), "{}", stderr(&out));
}

#[test]
fn completions_and_help() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = reseller(&["completions", shell], &[]);
        assert_eq!(code(&out), 0, "{shell}");
        assert!(stdout(&out).contains("reseller"), "{shell}");
    }
    let out = reseller(&["completions", "tcsh"], &[]);
    assert_eq!(code(&out), 2);
    let out = reseller(&["--help"], &[]);
    assert_eq!(code(&out), 0);
    for command in [
        "serve",
        "demo",
        "packages",
        "instances",
        "sites",
        "accounts",
        "completions",
    ] {
        assert!(stdout(&out).contains(command), "--help lacks {command}");
    }
}

#[test]
fn watch_prints_each_change_once_and_goes_on_from_its_checkpoint() {
    let server = Server::start();
    let dir = std::env::temp_dir().join(format!("reseller-cli-watch-{}", std::process::id()));
    let checkpoint = dir.join("watch.db");
    let checkpoint = checkpoint.to_str().unwrap();
    let watch = |format: &str| {
        let out = server.run(&[
            "watch",
            "--once",
            "--checkpoint",
            checkpoint,
            "--lookback-ms",
            "0",
            "--output",
            format,
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        stdout(&out)
    };
    // The demo seed holds no package: the first run prints nothing.
    assert_eq!(watch("table"), "");
    let package = create_plan(&server, Some(SHOWCASE), "order-watch-1");
    let id = package["id"].as_str().unwrap().to_owned();
    let lines = watch("json");
    let events: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 1, "{lines}");
    assert_eq!(events[0]["type"], "package-created");
    assert_eq!(events[0]["packageId"], id.as_str());
    assert_eq!(events[0]["package"]["externalId"], "order-watch-1");
    // A second run goes on from the checkpoint: nothing new, nothing repeated.
    assert_eq!(watch("table"), "");
    let out = server.run(&["packages", "cancel", &id]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = watch("table");
    assert!(text.contains("instance-canceled"), "{text}");
    assert!(text.contains("package-canceled"), "{text}");
    assert_eq!(text.lines().count(), 2, "{text}");
    // A bad feed name is a usage error.
    let out = server.run(&["watch", "--once", "--feed", "no/slash"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

// ----- reseller reconcile -----------------------------------------------------

/// A billing line of the demo seed's customer `SUB`.
fn billing_line(external: &str, status: &str, product: &str, billing: &str) -> String {
    format!(
        r#"{{"externalId":"{external}","accountId":"{SUB}","status":"{status}","products":[{{"catalogProductId":"{product}","billing":"{billing}","countryCode":"US"}}]}}"#
    )
}

fn sub_package(server: &Server, product: &str, billing: &str, external: &str) {
    server.json(&[
        "packages",
        "create",
        "--account-id",
        SUB,
        "--product",
        product,
        "--country",
        "US",
        "--billing",
        billing,
        "--external-id",
        external,
    ]);
}

#[test]
fn reconcile_plans_applies_and_exits_0_nothing_2_changes_1_problems() {
    let server = Server::start();
    let dir = std::env::temp_dir().join(format!("reseller-cli-reconcile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    sub_package(&server, PLAN, "monthly", "bill-ended");
    sub_package(&server, PLAN, "monthly", "bill-upgraded");
    let desired = dir.join("billing.jsonl");
    std::fs::write(
        &desired,
        [
            billing_line("bill-ended", "ended", PLAN, "monthly"),
            billing_line("bill-upgraded", "active", OTHER_PLAN, "yearly"),
            billing_line("bill-new", "active", PLAN, "monthly"),
        ]
        .join("\n"),
    )
    .unwrap();
    let path = desired.to_str().unwrap();

    // The plan: a table and its summary, exit 2 (changes).
    let out = server.run(&["reconcile", "plan", "--desired", path]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("+   bill-new  create in account"), "{table}");
    assert!(
        table.contains("~   bill-upgraded  adjust instance"),
        "{table}"
    );
    assert!(table.contains("-   bill-ended  cancel package"), "{table}");
    assert!(
        table.contains("Plan: 1 to create, 1 to change, 1 to cancel, 0 to replace (destructive); 0 problem(s); 0 unchanged."),
        "{table}"
    );
    // The same as JSON, exit 2.
    let out = server.run(&["reconcile", "plan", "--desired", path, "--output", "json"]);
    assert_eq!(code(&out), 2);
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["summary"]["create"], 1);
    assert_eq!(plan["summary"]["change"], 1);
    assert_eq!(plan["summary"]["cancel"], 1);
    let steps = plan["steps"].as_array().unwrap();
    let kinds: Vec<(&str, &str)> = steps
        .iter()
        .map(|s| {
            (
                s["symbol"].as_str().unwrap(),
                s["externalId"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("-", "bill-ended"),
            ("~", "bill-upgraded"),
            ("+", "bill-new")
        ]
    );
    assert_eq!(steps[1]["toCatalogProductId"], OTHER_PLAN);
    assert_eq!(steps[1]["toBilling"], "yearly");
    assert_eq!(steps[2]["products"][0]["catalogProductId"], PLAN);

    // Apply: every step done, exit 0; then nothing to do, exit 0.
    let out = server.run(&["reconcile", "apply", "--desired", path]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("Applied: 3 done, 0 failed, 0 held"),
        "{}",
        stdout(&out)
    );
    let out = server.run(&["reconcile", "plan", "--desired", path]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("0 problem(s); 3 unchanged."));

    // Another product type: a destructive replace, held at --max-destroy 0 (exit 2),
    // done when allowed.
    let ascend = "c1000000-0000-4000-8000-000000000005";
    std::fs::write(
        &desired,
        [
            billing_line("bill-ended", "ended", PLAN, "monthly"),
            billing_line("bill-upgraded", "active", OTHER_PLAN, "yearly"),
            billing_line("bill-new", "active", ascend, "monthly"),
        ]
        .join("\n"),
    )
    .unwrap();
    let out = server.run(&["reconcile", "apply", "--desired", path, "--output", "json"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let applied: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(applied["summary"]["held"], 1);
    assert_eq!(applied["steps"][0]["outcome"], "held");
    assert_eq!(applied["steps"][0]["symbol"], "-/+");
    let out = server.run(&[
        "reconcile",
        "apply",
        "--desired",
        path,
        "--max-destroy",
        "1",
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(
        code(&server.run(&["reconcile", "plan", "--desired", path])),
        0
    );

    // An orphan: a problem for a person, exit 1; canceled when asked.
    sub_package(&server, PLAN, "monthly", "stray");
    let out = server.run(&["reconcile", "plan", "--desired", path, "--output", "json"]);
    assert_eq!(code(&out), 1);
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["problems"][0]["kind"], "orphan");
    assert_eq!(plan["problems"][0]["symbol"], "!");
    let out = server.run(&["reconcile", "plan", "--desired", path]);
    assert!(
        stdout(&out).contains("!   stray  package"),
        "{}",
        stdout(&out)
    );
    let out = server.run(&["reconcile", "apply", "--desired", path, "--cancel-orphans"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(
        code(&server.run(&["reconcile", "plan", "--desired", path])),
        0
    );

    // The same billing as CSV, with the catalog from a file: nothing to do.
    let csv = dir.join("billing.csv");
    std::fs::write(
        &csv,
        format!(
            "externalId,accountId,status,catalogProductId,billing,countryCode\n\
             bill-ended,{SUB},ended,,,\n\
             bill-upgraded,{SUB},active,{OTHER_PLAN},yearly,US\n\
             bill-new,{SUB},active,{ascend},monthly,US\n"
        ),
    )
    .unwrap();
    let catalog = dir.join("catalog.json");
    let products = serde_json::json!({"products": reseller_emulator::demo_seed().catalog});
    std::fs::write(&catalog, products.to_string()).unwrap();
    let out = server.run(&[
        "reconcile",
        "plan",
        "--desired",
        csv.to_str().unwrap(),
        "--catalog",
        catalog.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    // Against a remote API, the catalog must be given.
    let out = reseller(
        &["reconcile", "plan", "--desired", path, "--api-key", "k"],
        &[("WIX_BASE_URL", "https://wix.invalid")],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("a catalog is needed"),
        "{}",
        stderr(&out)
    );

    // An invalid file: its lines and fields named, exit 1, nothing read or sent.
    let bad = dir.join("bad.jsonl");
    let wrong = billing_line("bill-x", "active", PLAN, "weekly").replace("\"US\"", "\"USA\"");
    std::fs::write(
        &bad,
        format!(
            "{}\n{wrong}\n",
            billing_line("bill-y", "active", PLAN, "monthly")
        ),
    )
    .unwrap();
    let out = server.run(&["reconcile", "apply", "--desired", bad.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("line 2, products[0].countryCode"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("line 2, products[0].billing"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("nothing was read from Wix"));
    assert_eq!(
        code(&server.run(&["reconcile", "plan", "--desired", path])),
        0,
        "bill-y was not created"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn domains_check_suggest_connect_list_get_and_setup() {
    let server = Server::start();
    let taken = server.json(&["domains", "check", "bakery.com"]);
    assert_eq!(taken["availability"]["available"], false);
    let free = server.run(&["domains", "check", "fresh-bakery.com"]);
    assert_eq!(code(&free), 0);
    assert!(stdout(&free).contains("fresh-bakery.com is available"));
    let bad = server.run(&["domains", "check", "bakery"]);
    assert_eq!(code(&bad), 1);
    assert!(stderr(&bad).contains("INVALID_DOMAIN"));

    let suggested = server.json(&[
        "domains",
        "suggest",
        "fresh bakery",
        "--tld",
        "com",
        "--tld",
        "net",
        "--limit",
        "3",
    ]);
    let names: Vec<&str> = suggested["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["domain"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["freshbakery.com", "freshbakery.net", "fresh-bakery.com"]
    );
    assert_eq!(suggested["pagingMetadata"]["hasNext"], true);

    // A free site first: NON_PREMIUM_SITE, then with a plan it connects.
    let refused = server.run(&[
        "domains",
        "connect",
        "bakery.com",
        "--site",
        BAKERY,
        "--type",
        "nameservers",
    ]);
    assert_eq!(code(&refused), 1);
    assert!(stderr(&refused).contains("NON_PREMIUM_SITE"));
    create_plan(&server, Some(BAKERY), "domains-plan");
    let connected = server.json(&[
        "domains",
        "connect",
        "bakery.com",
        "--site",
        BAKERY,
        "--type",
        "pointing",
    ]);
    assert_eq!(connected["connectedDomain"]["connectionType"], "POINTING");
    let typeless = server.run(&["domains", "connect", "bakery.com", "--site", BAKERY]);
    assert_eq!(code(&typeless), 1);
    assert!(stderr(&typeless).contains("Invalid connection type"));
    let usage = server.run(&["domains", "connect", "bakery.com", "--site", "not-a-guid"]);
    assert_eq!(code(&usage), 2);

    let list = server.json(&["domains", "list"]);
    assert_eq!(list["connectedDomains"].as_array().unwrap().len(), 1);
    let got = server.json(&["domains", "get", "bakery.com"]);
    assert_eq!(got["connectedDomain"]["siteInfo"]["id"], BAKERY);
    let setup = server.run(&["domains", "setup", "bakery.com"]);
    assert_eq!(code(&setup), 0);
    assert!(stdout(&setup).contains("CNAME"), "{}", stdout(&setup));
    let json = server.json(&["domains", "setup", "bakery.com"]);
    assert!(json["connectedDomainSetupInfo"]["pointingRecords"]["aRecord"].is_object());
    let missing = server.run(&["domains", "get", "nothing.com"]);
    assert_eq!(code(&missing), 1);
    assert!(stderr(&missing).contains("NOT_FOUND"));
}

/// `reseller serve` prints the dashboard's URL on start, and the page is there.
#[test]
fn serve_prints_the_dashboards_url() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_reseller"))
        .args(["serve", "--in-memory", "--listen", "127.0.0.1:0"])
        .env_remove("RESELLER_ADMIN_TOKEN")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = None;
    for line in stdout.lines().take(20) {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("dashboard: ") {
            url = Some(rest.trim().to_owned());
            break;
        }
    }
    let url = url.expect("a dashboard line");
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/_emulator/ui/"),
        "{url}"
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (status, page) = runtime.block_on(async {
        let response = reqwest::get(&url).await.unwrap();
        (response.status(), response.text().await.unwrap())
    });
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200);
    assert!(page.contains("Seed and state"), "{page}");
}

#[test]
fn domains_expiring_exits_0_when_none_and_1_when_some() {
    let server = Server::start();
    let none = server.run(&["domains", "expiring", "--within", "30d"]);
    assert_eq!(code(&none), 0, "{}", stderr(&none));
    assert!(stdout(&none).contains("0 expiring"));
    let bad = server.run(&["domains", "expiring", "--within", "soon"]);
    assert_eq!(code(&bad), 2);

    create_plan(&server, Some(BAKERY), "expiring-plan");
    let domain = server.json(&[
        "packages",
        "create",
        "--product",
        demo::DOMAIN_ID,
        "--country",
        "US",
        "--site",
        BAKERY,
        "--external-id",
        "expiring-domain",
    ]);
    let instance = instance_of(&domain);
    // Wix sets expirationDate; the state document carries it here.
    let url = server.url();
    let mut state: Value = server.runtime.block_on(async {
        reqwest::get(format!("{url}/_emulator/state"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    let in_ten_days = (std::time::SystemTime::now() + std::time::Duration::from_secs(10 * 86_400))
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let when = reseller_domain::Timestamp::from_unix_millis(i64::try_from(in_ten_days).unwrap())
        .unwrap()
        .to_rfc3339();
    for p in state["packages"].as_array_mut().unwrap() {
        for i in p["productInstances"].as_array_mut().unwrap() {
            if i["instanceId"] == instance.as_str() {
                i["expirationDate"] = Value::String(when.clone());
            }
        }
    }
    let put = server.runtime.block_on(async {
        reqwest::Client::new()
            .put(format!("{url}/_emulator/state"))
            .json(&state)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(put.as_u16(), 204);
    let some = server.run(&["domains", "expiring", "--within", "30d"]);
    assert_eq!(code(&some), 1, "{}", stderr(&some));
    assert!(stdout(&some).contains(&instance), "{}", stdout(&some));
    assert!(stderr(&some).contains("1 instance(s) expire within 30d"));
    let later = server.run(&["domains", "expiring", "--within", "5d"]);
    assert_eq!(code(&later), 0);
}
