//! The API commands: every operation of the ports, against real Wix or an
//! emulator, through the HTTP client. Flags are turned into Wix's JSON request
//! shapes and read by reseller-wire, so the CLI refuses exactly what Wix would
//! (with the field's path) before sending anything.

use std::str::FromStr;

use adapter_wix_http::WixHttpClient;
use clap::Args;
use reseller_domain::{AccountId, IdempotencyKey};
use reseller_ports::{ApiKey, Call};
use serde_json::{Value, json};

use crate::Failure;

mod accounts;
mod instances;
mod packages;
mod sites;

pub(crate) use accounts::{AccountsCommand, accounts};
pub(crate) use instances::{InstancesCommand, instances};
pub(crate) use packages::{PackagesCommand, packages};
pub(crate) use sites::{SitesCommand, sites};

/// The local emulator's address (`reseller serve`'s default).
pub(crate) const LOCAL_EMULATOR: &str = "http://127.0.0.1:8686";

/// The demo seed's main account, used with its key against a local emulator when
/// no key is given.
const DEMO_MAIN_ACCOUNT: &str = reseller_emulator::DEMO_MAIN_ACCOUNT;

/// Where the API is and who calls it.
#[derive(Debug, Args)]
pub(crate) struct Connection {
    /// The API's base URL: the local emulator by default, `https://www.wixapis.com` for real Wix.
    #[arg(long, global = true, env = "WIX_BASE_URL", default_value = LOCAL_EMULATOR)]
    base_url: String,
    /// The API key (never printed). Against an emulator on this machine, the demo
    /// seed's key is used when none is given.
    #[arg(long, global = true, env = "WIX_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// The account the call acts on (`wix-account-id`).
    #[arg(long, global = true, env = "WIX_ACCOUNT_ID")]
    account_id: Option<String>,
}

/// Whether `url` names this machine (where the demo seed's key may be assumed).
fn is_loopback(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

impl Connection {
    /// Whether the API is on this machine (an emulator; the demo seed's key and
    /// catalog may be assumed).
    pub(crate) fn is_local(&self) -> bool {
        is_loopback(&self.base_url)
    }

    /// The HTTP client this connection describes.
    pub(crate) fn client(&self) -> Result<WixHttpClient, Failure> {
        let (key, demo) = match &self.api_key {
            Some(k) if !k.is_empty() => (k.clone(), false),
            _ if is_loopback(&self.base_url) => (reseller_emulator::DEMO_API_KEY.to_owned(), true),
            _ => {
                return Err(Failure::Usage(
                    "an API key is needed: --api-key or WIX_API_KEY".to_owned(),
                ));
            }
        };
        let account = match (&self.account_id, demo) {
            (Some(a), _) => Some(guid::<AccountId>("--account-id", a)?),
            (None, true) => Some(guid::<AccountId>("--account-id", DEMO_MAIN_ACCOUNT)?),
            (None, false) => None,
        };
        let mut builder = WixHttpClient::builder(ApiKey::new(key)).base_url(self.base_url.clone());
        if let Some(a) = account {
            builder = builder.account(a);
        }
        builder
            .build()
            .map_err(|e| Failure::Usage(crate::with_causes(&e)))
    }
}

/// A GUID given on the command line.
pub(crate) fn guid<T: FromStr>(what: &str, text: &str) -> Result<T, Failure> {
    text.trim()
        .parse::<T>()
        .map_err(|_| Failure::Usage(format!("{what} must be a GUID, got {text:?}")))
}

pub(super) fn call_with_key(key: Option<&str>) -> Result<Call, Failure> {
    let mut call = Call::new();
    if let Some(k) = key {
        let k = IdempotencyKey::new(k)
            .map_err(|e| Failure::Usage(format!("--idempotency-key: {e}")))?;
        call = call.idempotency_key(k);
    }
    Ok(call)
}

/// A billing cycle flag: `monthly`, `yearly`, `one-time`, or `N-month` / `N-year`.
pub(super) fn cycle(text: &str) -> Result<Value, Failure> {
    let recurring = |unit: &str, count: u32| json!({"type": "RECURRING", "cycleDuration": {"unit": unit, "count": count}});
    match text.trim().to_ascii_lowercase().as_str() {
        "monthly" => Ok(recurring("MONTH", 1)),
        "yearly" => Ok(recurring("YEAR", 1)),
        "one-time" | "one_time" | "onetime" => Ok(json!({"type": "ONE_TIME"})),
        other => {
            let parsed = other.split_once('-').and_then(|(n, unit)| {
                let n = n.parse::<u32>().ok()?;
                let unit = match unit.trim_end_matches('s') {
                    "month" => "MONTH",
                    "year" => "YEAR",
                    _ => return None,
                };
                Some(recurring(unit, n))
            });
            parsed.ok_or_else(|| {
                Failure::Usage(format!(
                    "--billing takes monthly, yearly, one-time, N-month or N-year; got {text:?}"
                ))
            })
        }
    }
}

pub(super) fn usage_of(e: impl std::fmt::Display) -> Failure {
    Failure::Usage(e.to_string())
}
