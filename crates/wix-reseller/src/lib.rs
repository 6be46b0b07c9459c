//! wix-reseller: the one crate a Wix reseller's backend adds. It re-exports the
//! toolkit's parts (the domain, the ports, the HTTP client, the in-memory Wix, the
//! flows and `create_once`, and behind features the emulator and the mocks) and
//! holds this guide; it adds no behaviour of its own.
//!
//! # Add it
//!
//! ```toml
//! [dependencies]
//! wix-reseller = { path = "crates/wix-reseller" }            # http + memory
//!
//! [dev-dependencies]
//! wix-reseller = { path = "crates/wix-reseller", features = ["emulator", "mock"] }
//! ```
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `http` | yes | `WixHttpClient` and `RetryPolicy`, the client of the real API |
//! | `memory` | yes | `memory::MemoryWix`, the in-memory Wix with every rule |
//! | `emulator` | no | `emulator::Emulator` (the local Wix), `demo` (its seed's typed ids), `http::control` (its control API, typed) |
//! | `mock` | no | `mock::MockWix` (one mock of every port), `mock::a_package` and the other test values, `mockall` |
//!
//! Everything a backend writes is in [`prelude`]: `use wix_reseller::prelude::*;`.
//!
//! # The parts
//!
//! - Requests build themselves: `CreatePackage::new([NewInstance::new(product)
//!   .country(..).site(..).billing(..)]).external_id(..)`, `Adjust::to_product(..)`,
//!   `PackageQuery::by_external_id(..)` and `Filter::account(..).and(Filter::status(..))`.
//! - One trait per Wix API area ([`ports`]): `ResellerPackages`, `SiteTransfers`,
//!   `Accounts`, `Sites`, all together `Wix`. The HTTP client, the in-memory Wix and
//!   the mocks implement them alike, so code generic over `W: Wix` runs on each.
//! - One paginator ([`ports::pages`]): every page of Query Packages, Query Sites or
//!   List Child Accounts as a `Stream` over any implementor of the port.
//! - Safe to call again ([`app::safe`]): [`create_once`] makes at most one package
//!   per external id whatever fails in between; cancel and assign carry one
//!   idempotency key over their tries. The documented flows are in [`app::flows`],
//!   the change feed in [`app::feed`].
//! - Errors ([`PortError`]) keep Wix's code, status, message and request id, and
//!   say whether a failed mutation may have been applied.
//!
//! # Retries: one layer
//!
//! The HTTP client retries what is safe to repeat under its `RetryPolicy` (4
//! attempts, exponential backoff with jitter, `Retry-After`, a 60 s budget) and
//! marks every error it gives up with the requests it made and the time taken.
//! The safe operations and flows never retry such an error: against the client,
//! its policy is the only retry layer, and `SafeError::Unresolved` reports the
//! requests made in all and the elapsed time. Against an adapter without retries
//! (the in-memory Wix, a mock) they retry under [`Attempts`] instead. One
//! `create_once` against an emulator answering 503 forever makes 4 requests, not
//! 16 (`docs/retries.md`).
//!
//! # Task (a): sell a Premium plan on a customer's site, safely retried
//!
//! Against the emulator (`reseller serve`, or in process as here); against real
//! Wix, leave out `base_url` and use your API key and account.
//!
//! ```
//! # #[cfg(feature = "emulator")] {
//! use wix_reseller::demo;
//! use wix_reseller::prelude::*;
//!
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! # let emulator = wix_reseller::emulator::Emulator::in_memory();
//! # emulator.load_demo_seed_if_empty().await?;
//! # let running = emulator.spawn("127.0.0.1:0".parse()?).await?;
//! # let base_url = running.base_url();
//! let wix = WixHttpClient::builder(ApiKey::new(demo::API_KEY))
//!     .base_url(base_url)
//!     .account(demo::ACME)
//!     .build()?;
//! let order = CreatePackage::new([NewInstance::new(demo::BUSINESS_UNLIMITED)
//!     .country(CountryCode::new("US")?)
//!     .billing(Billing::yearly())
//!     .site(demo::BAKERY)])
//! .external_id(ExternalId::new("order-4711")?);
//! let sold = create_once(&wix, &Call::new(), &order, Attempts::default()).await?;
//! assert_eq!(sold.package.instances()[0].site(), Some(demo::BAKERY));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Task (b): test it against the in-memory Wix, expecting Wix's refusal
//!
//! The in-memory Wix answers exactly as Wix does: a site already holding a
//! Premium plan refuses a second one with 428 `PRODUCT_TYPE_ALREADY_ASSIGNED`.
//!
//! ```
//! # #[cfg(feature = "emulator")] {
//! use wix_reseller::demo;
//! use wix_reseller::emulator::Emulator;
//! use wix_reseller::prelude::*;
//!
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! let world = Emulator::in_memory(); // the in-memory Wix with the demo seed, no server
//! world.load_demo_seed_if_empty().await?;
//! let wix = world.wix().client(ApiKey::new(demo::API_KEY), demo::ACME);
//! let plan = |order: &str| -> Result<CreatePackage, Box<dyn std::error::Error>> {
//!     let plan = NewInstance::new(demo::CORE).country(CountryCode::new("US")?);
//!     let plan = plan.billing(Billing::monthly()).site(demo::BAKERY);
//!     Ok(CreatePackage::new([plan]).external_id(ExternalId::new(order)?))
//! };
//! create_once(&wix, &Call::new(), &plan("order-1")?, Attempts::default()).await?;
//! let refused = create_once(&wix, &Call::new(), &plan("order-2")?, Attempts::default()).await;
//! let cause = refused.unwrap_err();
//! assert_eq!(cause.port_error().map(PortError::code), Some(&ErrorCode::ProductTypeAlreadyAssigned));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Task (c): test it with the mocks, a 503 then success
//!
//! ```
//! # #[cfg(feature = "mock")] {
//! use wix_reseller::mock::{MockWix, PRODUCT, a_package, a_page};
//! use wix_reseller::prelude::*;
//!
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! let mut wix = MockWix::new();
//! wix.packages.expect_query_packages().returning(|_, _| Ok(a_page([])));
//! wix.packages.expect_create_package().times(1).returning(|_, _| Err(PortError::unavailable()));
//! wix.packages.expect_create_package().times(1).returning(|_, r| Ok(a_package().answering(r).build()));
//! let order = CreatePackage::new([NewInstance::new(PRODUCT)]).external_id(ExternalId::new("order-1")?);
//! let sold = create_once(&wix, &Call::new(), &order, Attempts::immediate(2)).await?;
//! assert_eq!(sold.attempts, 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! `docs/ergonomics.md` counts these lines and compares them with other SDKs.

pub use reseller_app as app;
pub use reseller_domain as domain;
pub use reseller_ports as ports;

pub use reseller_app::{Attempts, Created, Origin, SafeError, create_once};
pub use reseller_ports::{Call, ErrorKind, PortError, pages};

#[cfg(feature = "http")]
pub use adapter_wix_http as http;
#[cfg(feature = "http")]
pub use adapter_wix_http::{RetryPolicy, WixHttpClient};

#[cfg(feature = "memory")]
pub use adapter_memory as memory;

#[cfg(feature = "emulator")]
pub use reseller_emulator as emulator;
#[cfg(feature = "emulator")]
pub use reseller_emulator::demo;

#[cfg(feature = "mock")]
pub mod mock;

pub mod prelude;

#[cfg(test)]
mod tests;

// The README's Rust examples run as this crate's doc tests (with the features its
// own dev-dependency turns on): the README shows the crate a user adds.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
