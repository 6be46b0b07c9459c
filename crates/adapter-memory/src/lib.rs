//! adapter-memory: the rules-faithful in-memory Wix. It implements every port of
//! `reseller-ports` by applying the domain's pure operations to a world held in
//! memory, so a reseller's tests can swap the HTTP client for it and see exactly
//! Wix's behaviour (status codes and error codes included, through `PortError`). It
//! is also the engine behind the emulator.
//!
//! - [`MemoryWix`] is the world: cheap to clone, shared across tasks and threads
//!   (one read-write lock; reads run in parallel). It implements
//!   [`reseller_ports::Seed`] for set-up, and offers the emulator's control calls
//!   (provisioning, status moves, clock, reset, export and import).
//! - [`MemoryClient`] is a client of it: one API key and a default account, like
//!   the HTTP client. It implements every port.
//! - Durable mode ([`MemoryWixBuilder::open`]) journals each accepted change to
//!   SQLite (WAL, group commit) before answering; reopening restores the world.
//!
//! Indexes keep every lookup independent of the number of packages: packages by
//! id, instance to package, instances per site, live subscriptions per product and
//! account family, external ids, and per-account `createdDate` and `updatedDate`
//! order for Query Packages.
//!
//! ```
//! use adapter_memory::MemoryWix;
//! use reseller_domain::world::Account;
//! use reseller_domain::AccountId;
//! use reseller_ports::{Accounts, Call, ChildAccountsPaging, Seed};
//!
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! let wix = MemoryWix::new();
//! let main = AccountId::parse("11111111-1111-4111-8111-111111111111")?;
//! wix.add_account(Account { id: main, parent: None, name: "Acme".into(), strategic_partner: true }).await?;
//! let key = wix.add_api_key(main, None, None).await?;
//! let client = wix.client(key, main);
//! let children = client.list_child_accounts(&Call::new(), ChildAccountsPaging::default()).await?;
//! assert_eq!(children.total, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod catalog_change;
mod checkpoints;
mod client;
mod domain_calls;
mod domains;
mod engine;
mod import_check;
mod inspect;
mod journal;
mod query;
mod site_index;
mod sites;
mod snapshot;
mod state;
mod store_file;
mod tables;

pub use checkpoints::SqliteCheckpoints;
pub use client::MemoryClient;
pub use engine::{Credentials, MemoryWix, MemoryWixBuilder};
pub use inspect::Holdings;
pub use journal::StoreError;
pub use sites::{SITES_DEFAULT_LIMIT, SITES_MAX_LIMIT, SITES_REACHABLE};
