//! `reseller serve` as an operator meets it on a bad day: racing retries of one
//! idempotency key under repeated SIGKILL, a damaged state directory, a seed that
//! breaks an invariant of the live store, SIGTERM while a client holds a half-sent
//! request, and the log on stderr.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const KEY: &str = reseller_emulator::DEMO_API_KEY;
const MAIN: &str = reseller_emulator::DEMO_MAIN_ACCOUNT;
const PLAN: &str = reseller_emulator::DEMO_PREMIUM_PLAN;
/// Fails a wait that never ends instead of hanging the test.
const GUARD: Duration = Duration::from_secs(30);

fn temp(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "reseller-{tag}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ))
}

/// Starts `reseller serve` with `args`; answers the child and its base URL.
fn start(args: &[&str], state: Option<&Path>, log: &str) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reseller"));
    command
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args);
    match state {
        Some(dir) => command.arg("--state").arg(dir),
        None => command.arg("--in-memory"),
    };
    let mut child = command
        .env_remove("RESELLER_IN_MEMORY")
        .env_remove("RESELLER_ADMIN_TOKEN")
        .env("RUST_LOG", log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("reseller serve starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    std::thread::spawn(move || for _ in stdout.lines() {});
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    (child, base)
}

/// Waits for the child to exit, failing after [`GUARD`].
fn exit_of(child: &mut Child) -> std::process::ExitStatus {
    let until = Instant::now() + GUARD;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > until {
            let _ = child.kill();
            panic!("the server did not stop");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn sigterm(child: &Child) {
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
}

async fn create(http: &reqwest::Client, base: &str, key: &str) -> Option<String> {
    let body = json!({
        "externalId": key,
        "idempotencyKey": key,
        "products": [{
            "catalogProductId": PLAN,
            "countryCode": "US",
            "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}}
        }]
    });
    let response = http
        .post(format!("{base}/resellers/v2/packages"))
        .header("Authorization", KEY)
        .header("wix-account-id", MAIN)
        .json(&body)
        .send()
        .await
        .ok()?;
    if !response.status().is_success() {
        return None;
    }
    let answer: Value = response.json().await.ok()?;
    answer["package"]["id"].as_str().map(str::to_owned)
}

/// Two clients per key, six keys at a time, until `enough` keys were answered or
/// the server is gone; answers every (key, package) answered 2xx.
async fn race(base: &str, cycle: usize, enough: usize) -> Vec<(String, String)> {
    let http = reqwest::Client::new();
    let mut answered = Vec::new();
    for round in 0.. {
        let lanes: Vec<_> = (0..6)
            .map(|lane| {
                let key = format!("race-{cycle}-{round}-{lane}");
                let (http, base) = (http.clone(), base.to_owned());
                tokio::spawn(async move {
                    let (a, b) =
                        tokio::join!(create(&http, &base, &key), create(&http, &base, &key));
                    (key, a, b)
                })
            })
            .collect();
        let mut any = false;
        for lane in lanes {
            let (key, a, b) = lane.await.unwrap();
            if let (Some(a), Some(b)) = (&a, &b) {
                assert_eq!(a, b, "two packages for the key {key}");
            }
            for id in [a, b].into_iter().flatten() {
                any = true;
                answered.push((key.clone(), id));
            }
        }
        if !any || answered.len() >= enough {
            break;
        }
    }
    answered
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_retries_of_one_key_survive_repeated_sigkill() {
    let state = temp("race");
    let mut answered: Vec<(String, String)> = Vec::new();
    for cycle in 0..3 {
        let (mut child, base) = start(&[], Some(&state), "warn");
        let killer = {
            let base = base.clone();
            tokio::spawn(async move { race(&base, cycle, 120).await })
        };
        // SIGKILL while the lanes are still racing.
        let http = reqwest::Client::new();
        let until = Instant::now() + GUARD;
        loop {
            let log: Value = http
                .get(format!("{base}/_emulator/requests?limit=1000"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if log["requests"].as_array().map_or(0, Vec::len) >= 100 || Instant::now() > until {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        answered.extend(killer.await.unwrap());
    }
    assert!(answered.len() >= 100, "too few answers: {}", answered.len());
    #[cfg(unix)]
    {
        // The state holds API keys: its directory and files are the owner's only.
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&state), 0o700);
        for entry in std::fs::read_dir(&state).unwrap() {
            let path = entry.unwrap().path();
            assert_eq!(
                mode(&path) & 0o077,
                0,
                "{} is readable by others",
                path.display()
            );
        }
    }

    let (mut child, base) = start(&[], Some(&state), "warn");
    let http = reqwest::Client::new();
    let doc: Value = http
        .get(format!("{base}/_emulator/state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut by_key: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in doc["packages"].as_array().unwrap() {
        by_key
            .entry(p["externalId"].as_str().unwrap_or_default().to_owned())
            .or_default()
            .insert(p["id"].as_str().unwrap().to_owned());
    }
    for (key, ids) in &by_key {
        assert_eq!(
            ids.len(),
            1,
            "the key {key} was applied {} times",
            ids.len()
        );
    }
    for (key, id) in &answered {
        let kept = by_key.get(key).and_then(|ids| ids.first());
        assert_eq!(
            kept,
            Some(id),
            "the answered package {id} of {key} was lost"
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn a_damaged_state_directory_is_refused_with_exit_code_3() {
    let state = temp("damaged");
    std::fs::create_dir_all(&state).unwrap();
    let file = state.join(reseller_emulator::STATE_FILE);
    std::fs::write(&file, b"").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_reseller"))
        .args(["serve", "--listen", "127.0.0.1:0", "--state"])
        .arg(&state)
        .env_remove("RESELLER_IN_MEMORY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(reseller_emulator::STATE_FILE), "{said}");
    assert_eq!(
        std::fs::metadata(&file).unwrap().len(),
        0,
        "the file was replaced"
    );
    let _ = std::fs::remove_dir_all(&state);
}

/// `--seed FILE` goes through the checks of `PUT /_emulator/state`: a seed whose
/// domain sits on a site without a Premium plan (a world the rule of dependent
/// services never leaves) is refused with exit code 3 and a message naming the
/// instance, the site and the type it requires; the state directory stays empty
/// (the next start without `--seed` loads the demo seed).
#[test]
fn a_seed_that_breaks_the_rule_of_dependent_services_is_refused() {
    use reseller_emulator::demo::{ACME_SHOWCASE_ID, DOMAIN_ID};
    let instance = "1e000000-0000-4000-8000-00000000d0d0";
    let at = "2026-01-01T00:00:00.000Z";
    let mut seed = serde_json::to_value(reseller_emulator::demo_seed()).unwrap();
    seed["packages"] = json!([{
        "id": "b0000000-0000-4000-8000-00000000d0d0", "accountId": MAIN,
        "createdDate": at, "updatedDate": at,
        "productInstances": [{
            "instanceId": instance, "catalogProductId": DOMAIN_ID, "siteId": ACME_SHOWCASE_ID,
            "status": "ENABLED", "countryCode": "US", "createdDate": at, "updatedDate": at,
            "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}}
        }]
    }]);
    let state = temp("seed-dependents");
    std::fs::create_dir_all(&state).unwrap();
    let file = state.with_extension("json");
    std::fs::write(&file, serde_json::to_vec(&seed).unwrap()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_reseller"))
        .args(["serve", "--listen", "127.0.0.1:0", "--seed"])
        .arg(&file)
        .arg("--state")
        .arg(&state)
        .env_remove("RESELLER_IN_MEMORY")
        .env_remove("RESELLER_SEED")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let said = String::from_utf8_lossy(&out.stderr);
    for word in [
        "packages[0].productInstances[0].siteId",
        instance,
        ACME_SHOWCASE_ID,
        "PREMIUM_PLAN",
    ] {
        assert!(said.contains(word), "`{word}` is not named: {said}");
    }
    let (mut child, base) = start(&[], Some(&state), "warn");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let packages = runtime.block_on(async {
        let state: Value = reqwest::get(format!("{base}/_emulator/state"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        state["packages"].clone()
    });
    assert_eq!(packages, json!([]), "the refused seed left packages");
    sigterm(&child);
    assert!(exit_of(&mut child).success());
    let _ = std::fs::remove_dir_all(&state);
    let _ = std::fs::remove_file(&file);
}

#[test]
fn sigterm_with_a_half_sent_request_stops_at_the_deadline() {
    let (mut child, base) = start(
        &[
            "--shutdown-deadline-ms",
            "300",
            "--header-timeout-ms",
            "60000",
            "--body-timeout-ms",
            "60000",
        ],
        None,
        "warn",
    );
    let addr = base.trim_start_matches("http://");
    let mut half = std::net::TcpStream::connect(addr).unwrap();
    std::io::Write::write_all(
        &mut half,
        b"POST /_emulator/accounts HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    sigterm(&child);
    let status = exit_of(&mut child);
    assert!(status.success(), "{status:?}");
}

#[test]
fn the_log_has_a_line_per_request_and_never_a_key() {
    let (mut child, base) = start(&[], None, "info");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let http = reqwest::Client::new();
        // The key in both headers: a client that swapped them.
        for account in [MAIN, KEY] {
            let response = http
                .post(format!("{base}/resellers/v1/packages/query"))
                .header("Authorization", KEY)
                .header("wix-account-id", account)
                .json(&json!({"query": {}}))
                .send()
                .await
                .unwrap();
            assert!(response.status().as_u16() < 500);
        }
    });
    sigterm(&child);
    assert!(exit_of(&mut child).success());
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("path=/resellers/v1/packages/query"))
        .collect();
    assert_eq!(lines.len(), 2, "{log}");
    for line in &lines {
        for field in ["method=POST", "status=", "duration_ms=", "account_id="] {
            assert!(line.contains(field), "{field} missing: {line}");
        }
    }
    assert!(lines[0].contains(MAIN), "{log}");
    assert!(!log.contains(KEY), "the key reached the log: {log}");
}

/// A full disk without root: the server runs under a file-size limit (`ulimit -f`)
/// and writes until its store refuses; every later call, replays included, is
/// refused; after a restart without the limit every write answered 2xx is there
/// and none answered otherwise.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_loses_no_answered_write_and_applies_no_refused_one() {
    let state = temp("full-disk");
    // 2048 blocks: 1 MiB for sh's 512-byte blocks (2 MiB where blocks are 1 KiB).
    let script = format!(
        "ulimit -f 2048 && exec \"$0\" serve --listen 127.0.0.1:0 --state '{}'",
        state.display()
    );
    let mut child = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_reseller")])
        .env_remove("RESELLER_IN_MEMORY")
        .env_remove("RESELLER_ADMIN_TOKEN")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    std::thread::spawn(move || for _ in stdout.lines() {});
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    let http = reqwest::Client::new();
    let big = |key: &str| {
        let product = json!({
            "catalogProductId": PLAN,
            "countryCode": "US",
            "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}}
        });
        json!({"externalId": key, "idempotencyKey": key, "products": vec![product; 50]})
    };
    let send = |key: String| {
        let (http, base, body) = (http.clone(), base.clone(), big(&key));
        async move {
            let response = http
                .post(format!("{base}/resellers/v2/packages"))
                .header("Authorization", KEY)
                .header("wix-account-id", MAIN)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let answer: Value = response.json().await.unwrap_or(Value::Null);
            (status, answer["package"]["id"].as_str().map(str::to_owned))
        }
    };
    let mut answered = Vec::new();
    let mut refused = None;
    for n in 0..2000 {
        let key = format!("disk-{n}");
        match send(key.clone()).await {
            (200, Some(id)) => answered.push((key, id)),
            (status, _) => {
                assert_eq!(status, 503, "a full disk is 503");
                refused = Some(key);
                break;
            }
        }
    }
    let refused = refused.expect("the file-size limit was never reached");
    assert!(!answered.is_empty());
    // Nothing answers from memory any more: the refused key, an answered one, reads.
    assert_eq!(send(refused.clone()).await.0, 503);
    assert_eq!(send(answered[0].0.clone()).await.0, 503);
    let state_read = http
        .get(format!("{base}/_emulator/state"))
        .send()
        .await
        .unwrap();
    assert_eq!(state_read.status().as_u16(), 503);
    child.kill().unwrap();
    child.wait().unwrap();

    let (mut child, base) = start(&[], Some(&state), "warn");
    let doc: Value = http
        .get(format!("{base}/_emulator/state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kept: BTreeMap<String, String> = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["externalId"].as_str().unwrap_or_default().to_owned(),
                p["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(kept.len(), answered.len(), "a refused write was applied");
    for (key, id) in &answered {
        assert_eq!(kept.get(key), Some(id), "the answered write {key} was lost");
    }
    assert!(!kept.contains_key(&refused));
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&state);
}
