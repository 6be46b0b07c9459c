//! The contract suite (`reseller-contract`) through the real HTTP client
//! (`adapter-wix-http`) against the emulator on a free loopback port: every case
//! seeds its world through the control API and calls Wix's endpoints over HTTP, so
//! the client, the wire format and the emulator's HTTP layer are checked together
//! against the same rules as the in-memory Wix.

reseller_contract::contract_suite!(crate::common::HttpSeed::start());
