//! Behaviour tests of adapter-wix-http against a stub Wix (a small axum app on port
//! 0): the exact wire of every endpoint, retries and their limits, the decoding of
//! every documented error, the Query Packages stream, spans without secrets, idle
//! pooled connections.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod domains;
mod errors;
mod observability;
mod pool;
mod retries;
mod stream;
mod support;
mod wire;
