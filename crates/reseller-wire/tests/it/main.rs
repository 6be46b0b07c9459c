//! Behaviour tests of reseller-wire through its public API: every Wix docs example
//! parses and converts, domain values survive a trip through JSON, requests are read
//! tolerantly and refused with Wix's field paths and rule types.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod domains;
mod errors;
mod fixtures;
mod requests;
mod roundtrip;
mod support;
