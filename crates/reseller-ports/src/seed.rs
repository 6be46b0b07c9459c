//! Seeding and steering a Wix that a test owns: the in-memory Wix implements
//! [`Seed`] directly, the emulator through its control API (`/_emulator/`). The
//! contract suite sets up every world it tests through this trait alone, so one
//! suite runs against every implementation.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;
use reseller_domain::auth::Scope;
use reseller_domain::domains::{DnsStatus, DomainConnection, Propagation};
use reseller_domain::sites::SiteDetails;
use reseller_domain::world::{Account, CatalogProduct, Site};
use reseller_domain::{AccountId, InstanceId, InstanceStatus, Package, SiteId, Timestamp};

use crate::error::PortError;
use crate::ports::Wix;
use crate::secret::ApiKey;

/// How new instances leave `PENDING` (the emulator's `PUT /_emulator/provisioning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provisioning {
    /// A new instance is `PENDING` in the create answer and `ENABLED` once
    /// `delay_millis` of the Wix's clock have passed (with 0: from the next call on).
    Auto {
        /// The delay, in milliseconds of the injected clock.
        delay_millis: u64,
    },
    /// A new instance stays `PENDING` until [`Seed::set_instance_status`] moves it.
    Manual,
}

impl Default for Provisioning {
    fn default() -> Self {
        Self::Auto { delay_millis: 0 }
    }
}

/// A site to seed (`POST /_emulator/sites`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSite {
    /// The site's id; generated when `None`.
    pub id: Option<SiteId>,
    /// The owning account.
    pub account: AccountId,
    /// The site's name (URL slug); generated when empty.
    pub name: String,
    /// Paid services bought outside the reseller flow (they block a transfer).
    pub external_paid_services: Vec<String>,
    /// Display name, namespace, editor, publication, folder, apps, trash.
    pub details: SiteDetails,
    /// `createdDate`; the Wix's clock when `None`.
    pub created: Option<Timestamp>,
}

impl NewSite {
    /// A site of `account` with this id and name and no external paid service.
    pub fn new(id: SiteId, account: AccountId, name: impl Into<String>) -> Self {
        Self {
            id: Some(id),
            account,
            name: name.into(),
            external_paid_services: Vec::new(),
            details: SiteDetails::default(),
            created: None,
        }
    }
}

/// The set-up and steering a test needs from a Wix it owns.
///
/// Errors are [`PortError`]s: a refused seed (a sub-account whose parent is not a
/// main account, an illegal status move) has kind `InvalidInput`, `Conflict` or
/// `NotFound` with the code the emulator's control API answers.
#[async_trait]
pub trait Seed: Send + Sync {
    /// Adds an account (a sub-account's parent must exist and be a main account).
    async fn add_account(&self, account: &Account) -> Result<Account, PortError>;

    /// Adds a site.
    async fn add_site(&self, site: &NewSite) -> Result<Site, PortError>;

    /// Adds or replaces a catalog product.
    async fn add_product(&self, product: &CatalogProduct) -> Result<CatalogProduct, PortError>;

    /// Puts `(source, target)` on Wix's transfer allow-list.
    async fn allow_transfer(&self, source: AccountId, target: AccountId) -> Result<(), PortError>;

    /// Creates an API key of `account`; `None` grants every scope.
    async fn add_api_key(
        &self,
        account: AccountId,
        scopes: Option<BTreeSet<Scope>>,
    ) -> Result<ApiKey, PortError>;

    /// Chooses how new instances leave `PENDING`.
    async fn set_provisioning(&self, mode: Provisioning) -> Result<(), PortError>;

    /// Moves an instance as Wix's provisioning would; answers its package.
    ///
    /// # Errors
    /// `ILLEGAL_STATUS_TRANSITION` (409) for an edge the lifecycle does not allow;
    /// `PRODUCT_INSTANCE_NOT_FOUND` for an unknown instance.
    async fn set_instance_status(
        &self,
        instance: InstanceId,
        status: InstanceStatus,
    ) -> Result<Package, PortError>;

    /// Moves an expiring instance's `expirationDate` on by `cycles` billing cycles
    /// (the dashboard's extension; Wix offers no API); answers its package.
    ///
    /// # Errors
    /// `INSTANCE_NOT_EXTENDABLE` (409) for an instance without `expirationDate` or
    /// not `PENDING`/`ENABLED`; `PRODUCT_INSTANCE_NOT_FOUND` for an unknown instance.
    async fn extend_instance(
        &self,
        instance: InstanceId,
        cycles: u32,
    ) -> Result<Package, PortError>;

    /// Moves the Wix's clock forward; answers the new time.
    async fn advance_clock(&self, millis: u64) -> Result<Timestamp, PortError>;

    /// Marks domain names as registered (`POST /_emulator/domains/taken`).
    ///
    /// # Errors
    /// A 400 field violation for a text that is not a domain name.
    async fn mark_taken(&self, names: &[String]) -> Result<(), PortError>;

    /// Sets the TLDs Domain Search and Connected Domains accept (`PUT /_emulator/tlds`).
    ///
    /// # Errors
    /// A 400 field violation for an element that is not a TLD.
    async fn set_tlds(&self, tlds: &[String]) -> Result<(), PortError>;

    /// Chooses how new connected domains propagate (`PUT /_emulator/dns`).
    async fn set_dns(&self, mode: Propagation) -> Result<(), PortError>;

    /// Moves a connected domain's DNS propagation by hand; answers the domain.
    ///
    /// # Errors
    /// `NOT_FOUND` (404) for an unknown domain; `ILLEGAL_STATUS_TRANSITION` (409).
    async fn set_dns_status(
        &self,
        domain: &str,
        status: DnsStatus,
    ) -> Result<DomainConnection, PortError>;

    /// A client of this Wix that calls with `key`; calls without an account in
    /// their [`crate::Call`] act on `default_account`.
    fn connect(&self, key: &ApiKey, default_account: AccountId) -> Arc<dyn Wix>;
}
