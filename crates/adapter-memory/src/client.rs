//! The ports over the engine: a [`MemoryClient`] is what a reseller's code holds,
//! one API key and a default account, exactly like the HTTP client; [`MemoryWix`]
//! implements [`Seed`] so the contract suite and tests set the world up directly.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;
use reseller_domain::auth::Scope;
use reseller_domain::domains::{DnsStatus, DomainConnection, Propagation};
use reseller_domain::ops::{
    AccountInfo, Adjust, ChildAccounts, CreatePackage, NewSubAccount, SiteTransfer,
};
use reseller_domain::query::PackageQuery;
use reseller_domain::sites::SiteCount;
use reseller_domain::world::{Account, CatalogProduct, Site};
use reseller_domain::{
    AccountId, ExternalId, InstanceId, InstanceStatus, Package, PackageId, SiteId, Timestamp,
};
use reseller_ports::{
    Accounts, ApiKey, Call, ChildAccountsPaging, NewSite, PackagesPage, PortError, Provisioning,
    ResellerPackages, Seed, SiteTransfers, Sites, SitesPage, SitesQuery, Wix,
};

use crate::engine::{Credentials, MemoryWix};

/// A client of the in-memory Wix: calls with one API key; calls whose [`Call`]
/// names no account act on the default account.
#[derive(Clone)]
pub struct MemoryClient {
    pub(crate) wix: MemoryWix,
    pub(crate) key: ApiKey,
    pub(crate) default_account: AccountId,
}

impl std::fmt::Debug for MemoryClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryClient")
            .field("key", &self.key)
            .field("default_account", &self.default_account)
            .finish()
    }
}

impl MemoryWix {
    /// A client calling with `key`, acting on `default_account` unless a call says
    /// otherwise.
    pub fn client(&self, key: ApiKey, default_account: AccountId) -> MemoryClient {
        MemoryClient {
            wix: self.clone(),
            key,
            default_account,
        }
    }
}

impl MemoryClient {
    pub(crate) fn cred<'a>(&'a self, call: &Call) -> Credentials<'a> {
        Credentials {
            key: &self.key,
            account: call.account_id.unwrap_or(self.default_account),
        }
    }

    /// The Wix this client calls.
    pub fn wix(&self) -> &MemoryWix {
        &self.wix
    }
}

#[async_trait]
impl ResellerPackages for MemoryClient {
    async fn create_package(
        &self,
        call: &Call,
        request: &CreatePackage,
    ) -> Result<Package, PortError> {
        self.wix
            .create_package(self.cred(call), call.idempotency_key.as_ref(), request)
            .await
    }

    async fn get_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        self.wix.get_package(self.cred(call), id).await
    }

    async fn query_packages(
        &self,
        call: &Call,
        query: &PackageQuery,
    ) -> Result<PackagesPage, PortError> {
        self.wix.query_packages(self.cred(call), query).await
    }

    async fn cancel_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        self.wix
            .cancel_package(self.cred(call), call.idempotency_key.as_ref(), id)
            .await
    }

    async fn assign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        site: SiteId,
    ) -> Result<Package, PortError> {
        self.wix
            .assign_instance(
                self.cred(call),
                call.idempotency_key.as_ref(),
                instance,
                site,
            )
            .await
    }

    async fn unassign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        self.wix
            .unassign_instance(self.cred(call), call.idempotency_key.as_ref(), instance)
            .await
    }

    async fn cancel_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        self.wix
            .cancel_instance(self.cred(call), call.idempotency_key.as_ref(), instance)
            .await
    }

    async fn adjust_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        request: &Adjust,
    ) -> Result<Package, PortError> {
        self.wix
            .adjust_instance(
                self.cred(call),
                call.idempotency_key.as_ref(),
                instance,
                request,
            )
            .await
    }

    async fn update_external_id(
        &self,
        call: &Call,
        id: PackageId,
        external_id: &ExternalId,
    ) -> Result<Package, PortError> {
        self.wix
            .update_external_id(
                self.cred(call),
                call.idempotency_key.as_ref(),
                id,
                external_id,
            )
            .await
    }
}

#[async_trait]
impl SiteTransfers for MemoryClient {
    async fn transfer_site(
        &self,
        call: &Call,
        transfer: &SiteTransfer,
    ) -> Result<SiteTransfer, PortError> {
        self.wix
            .transfer_site(self.cred(call), call.idempotency_key.as_ref(), transfer)
            .await
    }
}

#[async_trait]
impl Accounts for MemoryClient {
    async fn create_sub_account(
        &self,
        call: &Call,
        request: &NewSubAccount,
    ) -> Result<AccountId, PortError> {
        self.wix
            .create_sub_account(self.cred(call), call.idempotency_key.as_ref(), request)
            .await
    }

    async fn list_child_accounts(
        &self,
        call: &Call,
        paging: ChildAccountsPaging,
    ) -> Result<ChildAccounts, PortError> {
        self.wix.list_child_accounts(self.cred(call), paging).await
    }

    async fn get_account(&self, call: &Call, id: AccountId) -> Result<AccountInfo, PortError> {
        self.wix.get_account(self.cred(call), id).await
    }
}

#[async_trait]
impl Sites for MemoryClient {
    async fn query_sites(&self, call: &Call, query: &SitesQuery) -> Result<SitesPage, PortError> {
        self.wix.query_sites(self.cred(call), query).await
    }

    async fn count_sites(&self, call: &Call, count: &SiteCount) -> Result<u64, PortError> {
        self.wix.count_sites(self.cred(call), count).await
    }
}

#[async_trait]
impl Seed for MemoryWix {
    async fn add_account(&self, account: &Account) -> Result<Account, PortError> {
        MemoryWix::add_account(self, account.clone()).await
    }

    async fn add_site(&self, site: &NewSite) -> Result<Site, PortError> {
        MemoryWix::add_site(self, site).await
    }

    async fn add_product(&self, product: &CatalogProduct) -> Result<CatalogProduct, PortError> {
        MemoryWix::add_product(self, product.clone()).await
    }

    async fn allow_transfer(&self, source: AccountId, target: AccountId) -> Result<(), PortError> {
        MemoryWix::allow_transfer(self, source, target).await
    }

    async fn add_api_key(
        &self,
        account: AccountId,
        scopes: Option<BTreeSet<Scope>>,
    ) -> Result<ApiKey, PortError> {
        MemoryWix::add_api_key(self, account, scopes, None).await
    }

    async fn set_provisioning(&self, mode: Provisioning) -> Result<(), PortError> {
        MemoryWix::set_provisioning(self, mode).await
    }

    async fn set_instance_status(
        &self,
        instance: InstanceId,
        status: InstanceStatus,
    ) -> Result<Package, PortError> {
        MemoryWix::set_instance_status(self, instance, status).await
    }

    async fn extend_instance(
        &self,
        instance: InstanceId,
        cycles: u32,
    ) -> Result<Package, PortError> {
        MemoryWix::extend_instance(self, instance, i64::from(cycles)).await
    }

    async fn advance_clock(&self, millis: u64) -> Result<Timestamp, PortError> {
        MemoryWix::advance_clock(self, millis).await
    }

    async fn mark_taken(&self, names: &[String]) -> Result<(), PortError> {
        MemoryWix::mark_taken(self, names).await
    }

    async fn set_tlds(&self, tlds: &[String]) -> Result<(), PortError> {
        MemoryWix::set_tlds(self, tlds).await
    }

    async fn set_dns(&self, mode: Propagation) -> Result<(), PortError> {
        MemoryWix::set_dns(self, mode).await
    }

    async fn set_dns_status(
        &self,
        domain: &str,
        status: DnsStatus,
    ) -> Result<DomainConnection, PortError> {
        MemoryWix::set_dns_status(self, domain, status).await
    }

    fn connect(&self, key: &ApiKey, default_account: AccountId) -> Arc<dyn Wix> {
        Arc::new(self.client(key.clone(), default_account))
    }
}
