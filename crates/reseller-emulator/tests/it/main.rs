//! The integration tests of `reseller-emulator`, one binary: each module is one former
//! test file (a concern), the helper modules are shared, and the test-only lint
//! allowances are stated once, here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod choices;
mod common;
mod connections;
mod contract;
mod control_api;
mod control_client;
mod control_limits;
mod dashboard_api;
mod fuzz;
mod openapi;
mod retries;
mod revision2;
mod sites_rows;
mod strict_json;
mod support;
