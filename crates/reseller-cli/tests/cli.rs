//! Command tests: the real `reseller` binary against an emulator on a free port,
//! every subcommand, with its output, its exit code (0 success, 1 refused by the
//! API, 2 usage, 3 transport) and its message on bad input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::{Command, Output};

use reseller_emulator::{DEMO_API_KEY, Emulator, Running, demo};
use serde_json::Value;

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
