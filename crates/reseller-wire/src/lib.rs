//! reseller-wire: Wix's JSON, in one place. Serde DTOs for every request and answer
//! of the Resellers API, the B2B site-transfer API, Create Account, List Child
//! Accounts, Get Account, Query Sites, Count Sites, Domain Search and Connected
//! Domains, Wix's error body, and the conversions between them and the domain, used
//! by both the HTTP client and the emulator so the two cannot drift.
//!
//! This crate does no I/O and knows nothing of HTTP transports or async runtimes.
//!
//! Conventions of every DTO: members are camelCase; an absent optional member is
//! omitted, never written as `null` (a `null` read is taken as absent); dates are
//! RFC 3339 UTC strings with milliseconds (`2021-12-02T15:45:30.941Z`); enums are
//! their wire strings, kept even when unknown ([`WireStatus::Other`], ...); unknown
//! members are ignored. Ids and dates are kept as the strings sent, so reading a
//! body never fails on a bad GUID: the conversion to the domain does, naming the
//! field's dotted path ([`ConversionError`] for answers, [`InvalidRequest`] with
//! Wix's rule types for requests).
//!
//! Tolerance where Wix is inconsistent: `paymentInfo` (legacy) is read as
//! `billingInfo` and never written; request members are also accepted in their
//! snake_case (protobuf field) spelling, as Wix's own examples send them.
//!
//! With the feature `schema`, every DTO implements `schemars::JsonSchema`, as serde
//! reads it (schemars' deserialize contract) and writes it (serialize contract): the
//! emulator's OpenAPI document is generated from these types.

pub mod accounts;
pub mod control;
mod convert;
pub mod domains;
pub mod domains_control;
pub mod enums;
pub mod error;
pub mod error_body;
pub mod json;
pub mod package;
pub mod query;
pub mod resellers;
#[cfg(feature = "schema")]
mod schema;
pub mod site_query;
pub mod sites;
pub mod transfer;

pub use accounts::{CreateAccountRequest, CreateAccountResponse, ListChildAccountsResponse};
pub use enums::{
    WireCycleType, WireFailureCode, WireIntervalUnit, WireRuleType, WireSortOrder, WireStatus,
};
pub use error::{ConversionError, InvalidRequest, Problem, QueryRequestError};
pub use error_body::ErrorBody;
pub use package::{Cycle, Failure, Interval, Package, ProductInstance};
pub use query::{PagingMetadata, Query, QueryPackagesRequest, QueryPackagesResponse};
pub use resellers::{
    AdjustRequest, AdjustResponse, AssignInstanceResponse, CancelInstanceResponse,
    CancelPackageRequest, CancelPackageResponse, CreatePackageRequest, CreatePackageResponse,
    GetPackageResponse, IdempotentRequest, PackageResponse, UnassignInstanceResponse,
    UpdateExternalIdResponse,
};
pub use site_query::{CountSitesRequest, CountSitesResponse, GetAccountResponse};
pub use sites::{QuerySitesRequest, QuerySitesResponse, Site};
pub use transfer::{SiteTransfer, TransferSiteRequest, TransferSiteResponse};
