//! `reseller packages create --from FILE.jsonl`: many packages, one Create Package
//! request per line, safe to run again after a crash.
//!
//! The whole file is read and checked first; a file with a bad line sends nothing
//! (exit code 2). Each line is sent with its own `idempotencyKey` when it has one,
//! else with a key derived from the line's text and how many identical lines came
//! before it (`jsonl-<128-bit FNV-1a of the line>-<n>`), so a rerun of the same
//! file replays the answers of the lines already created instead of creating them
//! again (for as long as the API remembers keys: 24 hours on the emulator).

use std::collections::HashMap;
use std::path::Path;

use adapter_wix_http::WixHttpClient;
use futures_util::StreamExt;
use reseller_domain::IdempotencyKey;
use reseller_domain::idempotency::fnv1a_128;
use reseller_domain::ops::CreatePackage;
use reseller_ports::{Call, ResellerPackages};
use reseller_wire::CreatePackageRequest;
use serde_json::json;

use crate::Failure;
use crate::output::{self, Format};

/// The most bad lines a refusal of the file lists.
const MAX_LISTED: usize = 20;

/// One line to send.
struct Order {
    line: usize,
    key: IdempotencyKey,
    command: CreatePackage,
}

/// The key of a line without its own: its hash and its rank among equal lines.
fn derived_key(text: &str, rank: usize) -> String {
    format!("jsonl-{:032x}-{rank}", fnv1a_128(text.as_bytes()))
}

/// Reads and checks every line; answers the orders, or every problem found.
fn read_orders(text: &str) -> Result<Vec<Order>, Vec<String>> {
    let mut orders = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let rank = seen.entry(trimmed).or_insert(0);
        let this_rank = *rank;
        *rank += 1;
        let request: CreatePackageRequest = match serde_json::from_str(trimmed) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("line {line}: not a Create Package request: {e}"));
                continue;
            }
        };
        let own_key = match request.idempotency_key() {
            Ok(k) => k,
            Err(e) => {
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let key = match own_key {
            Some(k) => k,
            None => match IdempotencyKey::new(derived_key(trimmed, this_rank)) {
                Ok(k) => k,
                Err(e) => {
                    problems.push(format!("line {line}: {e}"));
                    continue;
                }
            },
        };
        match request.try_into_domain() {
            Ok(command) => orders.push(Order { line, key, command }),
            Err(e) => problems.push(format!("line {line}: {e}")),
        }
    }
    if problems.is_empty() {
        Ok(orders)
    } else {
        Err(problems)
    }
}

/// Creates the packages of the JSONL file at `path`.
pub(crate) async fn create_from(
    client: &WixHttpClient,
    path: &Path,
    concurrency: usize,
    format: Format,
) -> Result<(), Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
    let orders = read_orders(&text).map_err(|problems| {
        let mut message = format!(
            "{} has {} bad line(s); nothing was sent:",
            path.display(),
            problems.len()
        );
        for p in problems.iter().take(MAX_LISTED) {
            message.push_str("\n  ");
            message.push_str(p);
        }
        if problems.len() > MAX_LISTED {
            message.push_str(&format!("\n  ... and {} more", problems.len() - MAX_LISTED));
        }
        Failure::Usage(message)
    })?;

    let progress = indicatif::ProgressBar::new(u64::try_from(orders.len()).unwrap_or(u64::MAX));
    let mut results: Vec<_> = futures_util::stream::iter(orders)
        .map(|order| {
            let client = client.clone();
            let progress = progress.clone();
            async move {
                let call = Call::new().idempotency_key(order.key.clone());
                let result = client.create_package(&call, &order.command).await;
                progress.inc(1);
                (order, result)
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    progress.finish_and_clear();
    results.sort_by_key(|(order, _)| order.line);

    let mut created = Vec::new();
    let mut failed = Vec::new();
    let mut transport = false;
    for (order, result) in &results {
        match result {
            Ok(package) => created.push(json!({
                "line": order.line,
                "externalId": package.external_id().map(|e| e.as_str()),
                "packageId": package.id().to_string(),
            })),
            Err(e) => {
                transport |= crate::is_transport(e);
                failed.push(json!({
                    "line": order.line,
                    "externalId": order.command.external_id.as_ref().map(|e| e.as_str()),
                    "code": e.code().as_str(),
                    "error": e.to_string(),
                }));
            }
        }
    }
    match format {
        Format::Json => output::json(&json!({"created": created, "failed": failed})),
        Format::Table => {
            out!(
                "created {} package(s), {} failed",
                created.len(),
                failed.len()
            );
            for f in &failed {
                out!(
                    "  line {}: {}",
                    f["line"],
                    f["error"].as_str().unwrap_or_default()
                );
            }
        }
    }
    if transport {
        Err(Failure::Transport(format!(
            "{} line(s) have an unknown outcome; run the same file again to finish (lines already created are not created twice)",
            failed.len()
        )))
    } else if !failed.is_empty() {
        Err(Failure::Refused(format!(
            "{} line(s) were refused",
            failed.len()
        )))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn derived_keys_are_stable_and_tell_equal_lines_apart() {
        let line = r#"{"products":[{"catalogProductId":"c1000000-0000-4000-8000-000000000001","countryCode":"US"}]}"#;
        let text = format!("{line}\n\n{line}\n");
        let orders = read_orders(&text).unwrap();
        assert_eq!(orders.len(), 2);
        assert_eq!(orders[0].line, 1);
        assert_eq!(orders[1].line, 3);
        assert_ne!(orders[0].key, orders[1].key);
        let again = read_orders(&text).unwrap();
        assert_eq!(orders[0].key, again[0].key);
        assert!(orders[0].key.as_str().starts_with("jsonl-"));
    }

    #[test]
    fn a_line_keeps_its_own_key_and_bad_lines_are_all_named() {
        let text = concat!(
            r#"{"idempotencyKey":"mine","products":[{"catalogProductId":"c1000000-0000-4000-8000-000000000001","countryCode":"US"}]}"#,
            "\n",
            "{not json\n",
            r#"{"products":[]}"#,
            "\n"
        );
        let problems = read_orders(text).err().unwrap();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("line 2:"));
        assert!(problems[1].starts_with("line 3:"));
        let ok = read_orders(text.lines().next().unwrap()).unwrap();
        assert_eq!(ok[0].key.as_str(), "mine");
    }

    #[test]
    fn keys_fit_wix_limit_of_100_characters() {
        let longest = derived_key(&"x".repeat(10_000), usize::MAX);
        assert!(longest.len() <= IdempotencyKey::MAX_CHARS, "{longest}");
        assert!(IdempotencyKey::new(longest).is_ok());
        let line = |key: &str| {
            format!(
                r#"{{"idempotencyKey":"{key}","products":[{{"catalogProductId":"c1000000-0000-4000-8000-000000000001","countryCode":"US"}}]}}"#
            )
        };
        let problems = read_orders(&line(&"k".repeat(101))).err().unwrap();
        assert!(problems[0].contains("idempotencyKey"), "{problems:?}");
        assert_eq!(read_orders(&line(&"k".repeat(100))).unwrap().len(), 1);
    }
}
