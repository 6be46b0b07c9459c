//! README.md stays true: every `curl` and `reseller` line of its shell blocks runs
//! here against an emulator on a free port (the README's address, real Wix's and
//! the placeholder key are swapped for the test emulator's), with the outcome the
//! README promises. The two set-up commands are run by `.ci/run` and by the demo's
//! own test; `reseller serve` by the crash test. The install line must install the
//! binary these tests run (`.ci/run` runs it into a scratch directory).

use std::process::Command;

use reseller_emulator::{DEMO_API_KEY, Emulator};

/// Splits a shell line into words: single and double quotes, no expansions.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, '#') if !in_word => break,
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// The lines of the README's `sh` blocks.
fn shell_lines() -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let mut lines = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            in_sh = !in_sh && line.trim() == "```sh";
            continue;
        }
        if in_sh && !line.trim().is_empty() {
            lines.push(line.trim().to_owned());
        }
    }
    lines
}

fn swap(word: &str, url: &str) -> String {
    word.replace("http://127.0.0.1:8686", url)
        .replace("https://www.wixapis.com", url)
        .replace("your-key", DEMO_API_KEY)
}

async fn curl(args: &[String], url: &str) {
    let http = reqwest::Client::new();
    let mut method = reqwest::Method::GET;
    let mut target = None;
    let mut headers = Vec::new();
    let mut body = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-s" => {}
            "-X" => method = it.next().unwrap().parse().unwrap(),
            "-H" => {
                let (k, v) = it.next().unwrap().split_once(':').unwrap();
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
            "-d" => body = Some(it.next().unwrap().clone()),
            other if other.starts_with("http") => target = Some(swap(other, url)),
            other => panic!("the README's curl uses {other}, which this test does not read"),
        }
    }
    let mut request = http.request(method, target.unwrap());
    for (k, v) in headers {
        request = request.header(k, v);
    }
    if let Some(b) = body {
        request = request.body(b);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "curl {args:?}: {status} {text}");
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
        "{text}"
    );
}

#[test]
fn every_command_of_the_readme_runs_as_promised() {
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
    let url = running.base_url();
    // Files the commands write (`reseller watch --checkpoint`) go to a scratch
    // directory, not the source tree.
    let scratch = std::env::temp_dir().join(format!("reseller-readme-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut ran = 0;
    for line in shell_lines() {
        let mut w = words(&line);
        if w.first().is_some_and(|c| c == "curl") {
            runtime.block_on(curl(&w[1..], &url));
            ran += 1;
            continue;
        }
        let env: Vec<(String, String)> = w
            .iter()
            .take_while(|x| x.contains('=') && !x.starts_with('-'))
            .map(|x| {
                let (k, v) = x.split_once('=').unwrap();
                (k.to_owned(), swap(v, &url))
            })
            .collect();
        w.drain(..env.len());
        if w.get(..2) == Some(&["cargo".to_owned(), "install".to_owned()]) {
            installs_the_tested_binary(&w);
            ran += 1;
            continue;
        }
        if w.first().is_none_or(|c| c != "reseller") {
            continue; // cargo commands: run by .ci/run and the demo's test
        }
        let out = Command::new(env!("CARGO_BIN_EXE_reseller"))
            .args(w[1..].iter().map(|a| swap(a, &url)))
            .env("WIX_BASE_URL", &url)
            .envs(env)
            .current_dir(&scratch)
            .output()
            .unwrap();
        // The README says the transfer of the site with a paid service is refused.
        let expected = if line.contains("sites transfer") {
            1
        } else {
            0
        };
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{line}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 6, "only {ran} README commands found");
    runtime.block_on(running.shutdown()).unwrap();
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// The README's `cargo install` line installs, from this workspace, the package
/// whose binary is the `reseller` these tests run, and nothing else.
fn installs_the_tested_binary(words: &[String]) {
    let path = words
        .iter()
        .position(|w| w == "--path")
        .and_then(|i| words.get(i + 1))
        .unwrap_or_else(|| panic!("the install line names no --path: {words:?}"));
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let named = std::fs::canonicalize(here.join("../..").join(path)).unwrap();
    assert_eq!(
        named,
        std::fs::canonicalize(here).unwrap(),
        "{path} is not reseller-cli"
    );
    let manifest = std::fs::read_to_string(here.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("[[bin]]\nname = \"reseller\""),
        "reseller-cli builds the `reseller` binary"
    );
    assert!(
        std::path::Path::new(env!("CARGO_BIN_EXE_reseller"))
            .file_stem()
            .is_some_and(|n| n == "reseller")
    );
    let allowed = ["cargo", "install", "--locked", "--path", path.as_str()];
    assert!(
        words.iter().all(|w| allowed.contains(&w.as_str())),
        "the install line takes only --locked and --path: {words:?}"
    );
}
