//! The integration tests of `reseller-app`, one binary: each module is one former
//! test file (a concern), the helper modules are shared, and the test-only lint
//! allowances are stated once, here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod create_once;
mod customer_reads;
mod f6_domain;
mod feed;
mod flow_failures;
mod flows;
mod read_back;
mod reconcile_desired;
mod reconcile_plan;
mod reconcile_property;
mod safe_ops;
