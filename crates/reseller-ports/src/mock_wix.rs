//! `MockWix` (feature `mock`): one mock of every port, so a test of code generic
//! over [`Wix`](crate::Wix) sets expectations on the ports it calls and nothing
//! else. Each port is a public field holding its mockall mock.
//!
//! A 503, then success (the second try of `create_once` in reseller-app):
//!
//! ```
//! use reseller_domain::ops::{CreatePackage, NewInstance};
//! use reseller_domain::ExternalId;
//! use reseller_ports::test_values::{a_package, PRODUCT};
//! use reseller_ports::{Call, MockWix, PortError, ResellerPackages};
//!
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! let mut wix = MockWix::new();
//! wix.packages.expect_create_package().times(1).returning(|_, _| Err(PortError::unavailable()));
//! wix.packages.expect_create_package().times(1).returning(|_, r| Ok(a_package().answering(r).build()));
//!
//! let order = CreatePackage::new([NewInstance::new(PRODUCT)]).external_id(ExternalId::new("order-1")?);
//! assert_eq!(wix.create_package(&Call::new(), &order).await.unwrap_err().status(), Some(503));
//! assert!(wix.create_package(&Call::new(), &order).await.is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use async_trait::async_trait;
use reseller_domain::domains::{
    Availability, ConnectRequest, ConnectionsPage, DomainConnection, SetupInfo, SuggestPage,
    SuggestRequest,
};
use reseller_domain::ops::{
    AccountInfo, Adjust, ChildAccounts, CreatePackage, NewSubAccount, SiteTransfer,
};
use reseller_domain::query::PackageQuery;
use reseller_domain::sites::SiteCount;
use reseller_domain::{AccountId, ExternalId, InstanceId, Package, PackageId, SiteId};

use crate::domains::{
    ConnectedDomains, ConnectedDomainsPaging, DomainSearch, MockConnectedDomains, MockDomainSearch,
};
use crate::error::PortError;
use crate::ports::{
    Accounts, Call, ChildAccountsPaging, MockAccounts, MockResellerPackages, MockSiteTransfers,
    MockSites, PackagesPage, ResellerPackages, SiteTransfers, Sites, SitesPage, SitesQuery,
};

/// A mock of the whole Wix: every call goes to the mock of its port. A call
/// with no expectation set fails the test (mockall's rule).
#[derive(Default)]
pub struct MockWix {
    /// The Resellers API.
    pub packages: MockResellerPackages,
    /// The site-transfer API.
    pub transfers: MockSiteTransfers,
    /// Sub-accounts.
    pub accounts: MockAccounts,
    /// Query Sites.
    pub sites: MockSites,
    /// Domain Search.
    pub domain_search: MockDomainSearch,
    /// Connected Domains.
    pub connected_domains: MockConnectedDomains,
}

impl MockWix {
    /// Every port with no expectation yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks every expectation of every port now (mockall also checks when the
    /// mock is dropped).
    pub fn checkpoint(&mut self) {
        self.packages.checkpoint();
        self.transfers.checkpoint();
        self.accounts.checkpoint();
        self.sites.checkpoint();
        self.domain_search.checkpoint();
        self.connected_domains.checkpoint();
    }
}

impl std::fmt::Debug for MockWix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MockWix")
    }
}

#[async_trait]
impl ResellerPackages for MockWix {
    async fn create_package(
        &self,
        call: &Call,
        request: &CreatePackage,
    ) -> Result<Package, PortError> {
        self.packages.create_package(call, request).await
    }
    async fn get_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        self.packages.get_package(call, id).await
    }
    async fn query_packages(
        &self,
        call: &Call,
        query: &PackageQuery,
    ) -> Result<PackagesPage, PortError> {
        self.packages.query_packages(call, query).await
    }
    async fn cancel_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        self.packages.cancel_package(call, id).await
    }
    async fn assign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        site: SiteId,
    ) -> Result<Package, PortError> {
        self.packages.assign_instance(call, instance, site).await
    }
    async fn unassign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        self.packages.unassign_instance(call, instance).await
    }
    async fn cancel_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        self.packages.cancel_instance(call, instance).await
    }
    async fn adjust_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        request: &Adjust,
    ) -> Result<Package, PortError> {
        self.packages.adjust_instance(call, instance, request).await
    }
    async fn update_external_id(
        &self,
        call: &Call,
        id: PackageId,
        external_id: &ExternalId,
    ) -> Result<Package, PortError> {
        self.packages
            .update_external_id(call, id, external_id)
            .await
    }
}

#[async_trait]
impl SiteTransfers for MockWix {
    async fn transfer_site(
        &self,
        call: &Call,
        transfer: &SiteTransfer,
    ) -> Result<SiteTransfer, PortError> {
        self.transfers.transfer_site(call, transfer).await
    }
}

#[async_trait]
impl Accounts for MockWix {
    async fn create_sub_account(
        &self,
        call: &Call,
        request: &NewSubAccount,
    ) -> Result<AccountId, PortError> {
        self.accounts.create_sub_account(call, request).await
    }
    async fn list_child_accounts(
        &self,
        call: &Call,
        paging: ChildAccountsPaging,
    ) -> Result<ChildAccounts, PortError> {
        self.accounts.list_child_accounts(call, paging).await
    }
    async fn get_account(&self, call: &Call, id: AccountId) -> Result<AccountInfo, PortError> {
        self.accounts.get_account(call, id).await
    }
}

#[async_trait]
impl Sites for MockWix {
    async fn query_sites(&self, call: &Call, query: &SitesQuery) -> Result<SitesPage, PortError> {
        self.sites.query_sites(call, query).await
    }
    async fn count_sites(&self, call: &Call, count: &SiteCount) -> Result<u64, PortError> {
        self.sites.count_sites(call, count).await
    }
}

#[async_trait]
impl DomainSearch for MockWix {
    async fn check_availability(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<Availability, PortError> {
        self.domain_search.check_availability(call, domain).await
    }
    async fn suggest_domains(
        &self,
        call: &Call,
        request: &SuggestRequest,
    ) -> Result<SuggestPage, PortError> {
        self.domain_search.suggest_domains(call, request).await
    }
}

#[async_trait]
impl ConnectedDomains for MockWix {
    async fn create_connected_domain(
        &self,
        call: &Call,
        site: Option<SiteId>,
        request: &ConnectRequest,
    ) -> Result<DomainConnection, PortError> {
        self.connected_domains
            .create_connected_domain(call, site, request)
            .await
    }
    async fn get_connected_domain(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<DomainConnection, PortError> {
        self.connected_domains
            .get_connected_domain(call, domain)
            .await
    }
    async fn list_connected_domains(
        &self,
        call: &Call,
        paging: &ConnectedDomainsPaging,
    ) -> Result<ConnectionsPage, PortError> {
        self.connected_domains
            .list_connected_domains(call, paging)
            .await
    }
    async fn connected_domain_setup_info(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<SetupInfo, PortError> {
        self.connected_domains
            .connected_domain_setup_info(call, domain)
            .await
    }
}
