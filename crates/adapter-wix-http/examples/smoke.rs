//! A read-only smoke call against the real Wix API: Query Packages with a page of
//! one package, through the HTTP client.
//!
//! ```sh
//! WIX_API_KEY=... WIX_ACCOUNT_ID=... cargo run -p adapter-wix-http --example smoke
//! ```
//!
//! `WIX_BASE_URL` points it elsewhere (the emulator: `http://127.0.0.1:8686`).
//! Without the key and the account it explains itself and exits 0: it is a manual
//! check, not a test. It never changes anything at Wix and never prints the key.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::ExitCode;
use std::time::Duration;

use adapter_wix_http::{DEFAULT_BASE_URL, RetryPolicy, WixHttpClient};
use reseller_domain::AccountId;
use reseller_domain::query::{PackageQuery, Paging};
use reseller_ports::{ApiKey, Call, ResellerPackages};

#[tokio::main]
async fn main() -> ExitCode {
    let (Some(key), Some(account)) = (non_empty("WIX_API_KEY"), non_empty("WIX_ACCOUNT_ID")) else {
        println!(
            "smoke: skipped. This example makes one read-only call (Query Packages, limit 1)\n\
             against the real Wix API. Set WIX_API_KEY (an account-level API key) and\n\
             WIX_ACCOUNT_ID (the account to act on) to run it; WIX_BASE_URL overrides\n\
             {DEFAULT_BASE_URL} (e.g. the local emulator)."
        );
        return ExitCode::SUCCESS;
    };
    match run(key, &account).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("smoke: failed: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The variable's value, when set and not blank.
fn non_empty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

async fn run(key: String, account: &str) -> Result<(), String> {
    let account = AccountId::parse(account.trim())
        .map_err(|e| format!("WIX_ACCOUNT_ID is not an account id: {e}"))?;
    let base_url = non_empty("WIX_BASE_URL").unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let client = WixHttpClient::builder(ApiKey::new(key))
        .base_url(base_url)
        .account(account)
        .request_timeout(Duration::from_secs(20))
        .retry(RetryPolicy::default().with_budget(Duration::from_secs(45)))
        .build()
        .map_err(|e| e.to_string())?;
    let one = PackageQuery::from_parts(
        None,
        None,
        Paging::Cursor {
            limit: Some(1),
            cursor: None,
        },
    )
    .map_err(|e| e.to_string())?;

    println!(
        "smoke: Query Packages (limit 1) at {} as {account}",
        client.base_url()
    );
    let page = client
        .query_packages(&Call::new(), &one)
        .await
        .map_err(|e| e.to_string())?;
    match page.packages.first() {
        Some(package) => println!(
            "smoke: ok, first package {} of account {} with {} instance(s); more: {}",
            package.id(),
            package.account_id(),
            package.instances().len(),
            page.next_cursor.is_some()
        ),
        None => println!("smoke: ok, the account family has no packages"),
    }
    Ok(())
}
