//! Create Package (E1; Wix removed the v1 create E0): rules R1.1-R1.12 of spec
//! `wix-resellers-api.md` section 4.1, the field rules of section 2, and the
//! reference rules of the emulator's choices. Every refusal is checked for status,
//! code and kind, and for changing nothing.
//!
//! One file per group of rules: `placement` (account and site), `catalog`
//! (product and limit), `billing` (the cycle), `vouchers` (reference instances),
//! `request` (the request as a whole). The cases are re-exported here, so each
//! runs as `packages_create::<case>`.

mod billing;
mod catalog;
mod placement;
mod request;
mod vouchers;

pub use billing::*;
pub use catalog::*;
pub use placement::*;
pub use request::*;
pub use vouchers::*;
