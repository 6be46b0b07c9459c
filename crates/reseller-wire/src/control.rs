//! The emulator's own JSON (`/_emulator/`, the seed file, the state document):
//! accounts, sites, catalog products, API keys, allowed transfers, instance status
//! moves and the provisioning mode, as `spec/emulator.md` spells them, with
//! conversions to and from the domain.
//!
//! These shapes are not Wix's: they are the emulator's contract. The in-memory Wix
//! uses the same documents for its export and import, so a state saved by one can be
//! loaded by the other.
//!
//! One module a concern, re-exported here: the account documents (with API keys
//! and the transfer allow-list), sites, catalog products, the seed and state
//! document with the list answers, instance moves and provisioning, the clock,
//! faults, and the emulator's reports on itself (health, request log).

mod accounts;
mod catalog;
mod clock;
mod faults;
mod instances;
mod monitoring;
mod sites;
mod state;

pub use accounts::{AccountDoc, AllowedTransferDoc, ApiKeyDoc};
pub use catalog::CatalogProductDoc;
pub use clock::{ClockDoc, NowDoc};
pub use faults::{FaultRuleDoc, FaultRulesDoc};
pub use instances::{ExtendDoc, ProvisioningDoc, StatusChangeDoc};
pub use monitoring::{HealthDoc, RequestLogDoc, RequestLogEntryDoc};
pub use sites::{MAX_SITE_APPS, MAX_SITE_TEXT, SiteDoc};
pub use state::{AccountList, CatalogList, SiteList, StateDocument};
