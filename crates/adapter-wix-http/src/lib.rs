//! adapter-wix-http: the HTTP client of the real Wix API. It implements every port
//! of `reseller-ports` (`ResellerPackages`, `SiteTransfers`, `Accounts`, `Sites`,
//! `DomainSearch`, `ConnectedDomains`)
//! by sending exactly what Wix documents: the methods and paths of the spec, the raw
//! API key in `Authorization`, the acting account in `wix-account-id`, the JSON
//! bodies of `reseller-wire`.
//!
//! What it adds on top of the wire:
//!
//! - **Idempotency.** Every mutation Wix lets carry an `idempotencyKey` carries one:
//!   the caller's ([`Call::idempotency_key`](reseller_ports::Call)) or a generated
//!   one, the same on every attempt.
//! - **Retries of what is safe to repeat only.** Reads and keyed mutations are
//!   retried on 429, 500, 502, 503, 504, connect failures and timeouts, with
//!   exponential backoff and full jitter, honouring `Retry-After`, within a maximum
//!   number of attempts and a total time budget ([`RetryPolicy`]). Mutations Wix
//!   gives no key (Transfer Site, Create Account, Update Package External Id) are
//!   repeated only when the request never left this process. A business refusal
//!   (4xx) returns at once.
//! - **Errors that keep everything.** A failure is a [`PortError`](reseller_ports::PortError)
//!   holding Wix's code, message and request id (`x-wix-request-id`); a body that is
//!   not Wix's JSON (an HTML gateway page) is kept as text; a request that may have
//!   been applied is `OutcomeUnknown`, one that was never sent `NotSent`.
//! - **Observability without secrets.** One `tracing` span per call (`wix_call`:
//!   operation, method, path, account, attempt, status, duration); the API key is
//!   sent as a sensitive header and never appears in logs, `Debug` output or errors.
//!
//! It must not depend on another adapter (the in-memory Wix, the emulator), and it
//! uses axum only in its tests and benchmark.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use adapter_wix_http::{RetryPolicy, WixHttpClient};
//! use reseller_domain::{AccountId, PackageId};
//! use reseller_ports::{ApiKey, Call, ResellerPackages};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = WixHttpClient::builder(ApiKey::new("IST.key-from-the-api-keys-manager"))
//!     .account(AccountId::parse("2250b761-b31c-853b-485b-76e9fc04bdc6")?)
//!     .request_timeout(Duration::from_secs(20))
//!     .retry(RetryPolicy::default().with_max_attempts(3))
//!     .build()?;
//! let id = PackageId::parse("828b98fb-7114-4b3c-90fd-8d0db76aa72b")?;
//! let package = client.get_package(&Call::new(), id).await?;
//! println!("{} instance(s)", package.instances().len());
//! # Ok(())
//! # }
//! ```

mod builder;
#[cfg(feature = "control")]
pub mod control;
mod domains;
mod endpoints;
mod retry;
mod sites;
mod stream;
mod transport;

pub use builder::{
    BuildError, DEFAULT_BASE_URL, DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_USER_AGENT,
    WixHttpClientBuilder,
};
pub use retry::RetryPolicy;
pub use transport::{REQUEST_ID_HEADERS, WixHttpClient};
