//! The integration tests of `reseller-cli`, one binary: each module is one former
//! test file (a concern), the helper modules are shared, and the test-only lint
//! allowances are stated once, here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli;
mod crash;
mod readme;
mod serve_reliability;
