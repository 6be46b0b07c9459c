//! reseller-app: what a reseller's backend calls. The documented reseller flows
//! (F1 to F5 of `spec/wix-accounts-and-sites.md` section 5, and F6, selling a
//! domain with a plan), the expiring-domains report (`expiring`), as use cases with typed
//! input and output, the operations that are safe to call again after any failure
//! (create-once keyed by the reseller's external id, cancel, assign), and a change
//! feed over Query Packages in place of the webhooks Wix does not offer, and
//! reconcile: Wix kept in step with the reseller's billing, as a plan then apply.
//!
//! Everything here is generic over the ports of `reseller-ports`, so the same code
//! runs against real Wix (adapter-wix-http), the emulator, or the in-memory Wix
//! (adapter-memory). The crate does no I/O of its own: it knows no HTTP, no
//! database and no runtime beyond `tokio::time::sleep` for its pauses.
//!
//! Query Packages answers the header account's whole family whichever key asks
//! (a customer's own sub-account key included), so the reads this crate makes on
//! one customer's behalf filter by `accountId` themselves, and a product built on
//! it must do the same wherever it shows a customer its packages: the key never
//! hides a sibling customer's packages, on Wix as in the emulator.

pub mod expiring;
pub mod feed;
pub mod flows;
pub mod reconcile;
pub mod retry;
pub mod safe;

pub use feed::{
    ChangeEvent, ChangeFeed, ChangeKind, EventId, FeedError, FeedOptions, FeedView, Poll,
};
pub use safe::{Attempts, Created, Origin, SafeError, create_once};
