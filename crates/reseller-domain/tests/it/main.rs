//! Behaviour tests of reseller-domain through its public API: every documented rule
//! with the Wix code it answers with, and property tests of the invariants.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod dependents;
mod domains;
mod fixture;
mod newtypes;
mod packages;
mod properties;
mod transfer_accounts;
