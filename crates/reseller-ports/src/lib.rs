//! reseller-ports: the async traits the app layer calls to reach Wix (or an
//! in-memory or emulated Wix), the one portable error every adapter maps onto, and
//! the clock and id sources that make every implementation deterministic on demand.
//!
//! This crate is small and slow-moving: it knows no HTTP client, no server, no
//! runtime. Requests and answers are domain types; wire formats live in adapters.

pub mod checkpoint;
pub mod clock;
mod common_errors;
pub mod domains;
pub mod error;
#[cfg(feature = "mock")]
mod mock_wix;
pub mod pages;
pub mod ports;
pub mod secret;
pub mod seed;
#[cfg(any(test, feature = "mock"))]
pub mod test_values;

pub use checkpoint::{
    Checkpoint, CheckpointUpdate, Checkpoints, FeedId, FeedIdError, MemoryCheckpoints,
};
pub use clock::{Clock, IdGenerator, ManualClock, RandomIds, SequentialIds, SystemClock};
pub use domains::{ConnectedDomains, ConnectedDomainsPaging, DomainSearch};
pub use error::{ErrorKind, PortError};
pub use ports::{
    Accounts, Call, ChildAccountsPaging, PackagesPage, ResellerPackages, SiteInfo, SiteTransfers,
    Sites, SitesPage, SitesQuery, Wix,
};
pub use secret::ApiKey;
pub use seed::{NewSite, Provisioning, Seed};

#[cfg(feature = "mock")]
pub use checkpoint::MockCheckpoints;
#[cfg(feature = "mock")]
pub use domains::{MockConnectedDomains, MockDomainSearch};
#[cfg(feature = "mock")]
pub use mock_wix::MockWix;
#[cfg(feature = "mock")]
pub use ports::{MockAccounts, MockResellerPackages, MockSiteTransfers, MockSites};
