//! The crash test: `reseller serve` on a durable state takes writes from several
//! clients; after a few hundred acknowledgements the process is killed with
//! SIGKILL; restarted on the same state, it holds every package it acknowledged.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use tokio::sync::Mutex;

const KEY: &str = reseller_emulator::DEMO_API_KEY;
const MAIN: &str = reseller_emulator::DEMO_MAIN_ACCOUNT;
const PLAN: &str = reseller_emulator::DEMO_PREMIUM_PLAN;
const WRITERS: usize = 8;
const KILL_AFTER: usize = 300;

/// Starts `reseller serve` on `state`, and reads its address from its first line.
fn start(state: &std::path::Path) -> (Child, String) {
    let (child, base, _) = start_printing(state);
    (child, base)
}

/// [`start`], and every later line it prints.
fn start_printing(state: &std::path::Path) -> (Child, String, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reseller"))
        .args(["serve", "--listen", "127.0.0.1:0", "--state"])
        .arg(state)
        .env_remove("RESELLER_IN_MEMORY")
        .env_remove("RESELLER_ADMIN_TOKEN")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("reseller serve starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    // Keep reading what it prints: a closed pipe would fail its next line.
    let (lines, printed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines() {
            let Ok(line) = line else { break };
            let _ = lines.send(line);
        }
    });
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    (child, base, printed)
}

async fn create(http: &reqwest::Client, base: &str, n: usize) -> Option<String> {
    let body = json!({
        "externalId": format!("crash-{n}"),
        "idempotencyKey": format!("crash-key-{n}"),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_sigkill() {
    let state = std::env::temp_dir().join(format!(
        "reseller-crash-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let (mut child, base) = start(&state);
    let http = reqwest::Client::new();
    let acked = Arc::new(Mutex::new(Vec::<(usize, String)>::new()));
    let counter = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for _ in 0..WRITERS {
        let (http, base, acked, counter) =
            (http.clone(), base.clone(), acked.clone(), counter.clone());
        writers.push(tokio::spawn(async move {
            loop {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                match create(&http, &base, n).await {
                    Some(id) => acked.lock().await.push((n, id)),
                    None => break,
                }
            }
        }));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while acked.lock().await.len() < KILL_AFTER {
        assert!(
            std::time::Instant::now() < deadline && writers.iter().any(|w| !w.is_finished()),
            "the server stopped acknowledging after {} writes",
            acked.lock().await.len()
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().await.clone();
    assert!(acked.len() >= KILL_AFTER);

    let (mut child, base) = start(&state);
    for (n, id) in &acked {
        let response = http
            .get(format!("{base}/resellers/v1/packages/{id}"))
            .header("Authorization", KEY)
            .header("wix-account-id", MAIN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "package {id} was lost");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["package"]["externalId"], format!("crash-{n}"));
    }
    // A replay of an acknowledged request answers the same package (the
    // idempotency record survived too) and creates nothing.
    let (n, id) = &acked[0];
    assert_eq!(create(&http, &base, *n).await.as_deref(), Some(id.as_str()));

    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&state);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_request_in_flight_finish_then_stops() {
    let state = std::env::temp_dir().join(format!(
        "reseller-sigterm-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let (mut child, base, printed) = start_printing(&state);
    let http = reqwest::Client::new();
    // Every Wix call now takes 800 ms of wall-clock time before it is handled.
    let rules = json!({"rules": [{"pathPrefix": "/resellers", "delayMs": 800}]});
    let response = http
        .post(format!("{base}/_emulator/faults"))
        .json(&rules)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let in_flight = {
        let (http, base) = (http.clone(), base.clone());
        tokio::spawn(async move { create(&http, &base, 1).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    let pid = child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let id = in_flight
        .await
        .unwrap()
        .expect("the request in flight was answered");
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    // The child has exited, so its stdout is closed: reading to the end of the
    // channel takes every line it printed (the reader thread may lag behind).
    let said: Vec<String> = printed.iter().collect();
    assert!(said.iter().any(|l| l.contains("stopped")), "{said:?}");

    // It was answered, so it is there after a restart.
    let (mut child, base) = start(&state);
    let response = http
        .get(format!("{base}/resellers/v1/packages/{id}"))
        .header("Authorization", KEY)
        .header("wix-account-id", MAIN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&state);
}
