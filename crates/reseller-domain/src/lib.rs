//! reseller-domain: the pure model and rules of the Wix Resellers API (packages of
//! product instances) and the B2B site-transfer API.
//!
//! Validated newtypes, the instance lifecycle as a state machine, the package
//! aggregate, accounts, sites and the catalog, every documented rule as a pure
//! function from (world, command, now, new ids) to changes and events or a
//! [`Refusal`] naming the Wix error code, and the Wix query language.
//!
//! This crate does no I/O, has no async runtime, and knows nothing of HTTP, JSON or
//! serde: wire formats live in the adapters.

pub mod auth;
pub mod billing;
mod country;
pub mod domains;
pub mod error;
pub mod idempotency;
pub mod ids;
pub mod instance;
pub mod ops;
pub mod package;
pub mod query;
pub mod sites;
pub mod text;
pub mod time;
pub mod world;

pub use billing::{Billing, BillingKind, Cycle, CycleUnit};
pub use error::{ErrorCode, FieldViolation, ReferenceProblem, Refusal, RuleType, Violation};
pub use ids::{AccountId, CatalogProductId, InstanceId, PackageId, SiteId};
pub use instance::{Assignment, Failure, FailureCode, InstanceStatus, ProductInstance, StatusName};
pub use package::{Instances, Package};
pub use text::{CountryCode, DiscountCode, ExternalId, IdempotencyKey, ProductType};
pub use time::Timestamp;
pub use world::{Account, CatalogProduct, Site, World, WorldView};
