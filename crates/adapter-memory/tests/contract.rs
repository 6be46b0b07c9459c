//! The contract suite (`reseller-contract`) on the in-memory Wix: every case of the
//! suite, each on a fresh `MemoryWix`, as one test named `<group>::<case>`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

reseller_contract::contract_suite!(async { adapter_memory::MemoryWix::builder().build() });
