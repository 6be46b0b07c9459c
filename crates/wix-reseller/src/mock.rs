//! Test doubles (feature `mock`): `MockWix`, one mock of every port, and each
//! port's own mockall mock; the builders of test values (a package, an instance,
//! a page) and their fixed ids; and `mockall` itself, for `Sequence` and
//! `predicate`. Named errors (`PortError::unavailable()`, `refused(code)`, ...)
//! are on `PortError`.
//!
//! ```
//! use wix_reseller::mock::{MockWix, a_package};
//! use wix_reseller::prelude::*;
//!
//! let mut wix = MockWix::new();
//! let package = a_package().number(7).build();
//! let id = package.id();
//! wix.packages.expect_get_package().returning(move |_, _| Ok(package.clone()));
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! assert_eq!(wix.get_package(&Call::new(), id).await?.id(), id);
//! # Ok::<(), PortError>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use mockall;
pub use reseller_ports::test_values::{
    ACCOUNT, InstanceBuilder, PRODUCT, PackageBuilder, a_package, a_page, an_instance, created,
};
pub use reseller_ports::{
    MockAccounts, MockCheckpoints, MockResellerPackages, MockSiteTransfers, MockSites, MockWix,
};
