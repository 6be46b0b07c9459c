//! The integration tests of `adapter-memory`, one binary: each module is one former
//! test file (a concern), the helper modules are shared, and the test-only lint
//! allowances are stated once, here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod checkpoints;
mod common;
mod concurrency;
mod contract;
mod control;
mod durable;
mod model;
mod query_index;
mod standard_world;
mod state_import;
mod store_failure;
mod temp_dir;
