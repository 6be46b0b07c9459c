//! The port traits: what the app layer calls to reach Wix. One trait per Wix API
//! area; [`Wix`] is all of them together. Implementations: the HTTP client of the
//! real API, the in-memory Wix, and (through HTTP) the emulator.
//!
//! Every method takes a [`Call`]: the account the call acts on (`wix-account-id`,
//! when it overrides the implementation's default) and, for mutations, the
//! idempotency key.

use std::sync::Arc;

use async_trait::async_trait;
use reseller_domain::ops::{
    AccountInfo, Adjust, ChildAccounts, CreatePackage, NewSubAccount, SiteTransfer,
};
use reseller_domain::query::PackageQuery;
use reseller_domain::sites::SiteCount;
use reseller_domain::{
    AccountId, ExternalId, IdempotencyKey, InstanceId, Package, PackageId, SiteId, Timestamp,
};

use crate::error::PortError;

/// Per-call options.
///
/// ```
/// use reseller_domain::{AccountId, IdempotencyKey};
/// use reseller_ports::Call;
///
/// let customer = AccountId::parse("0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd")?;
/// let call = Call::new()
///     .account(customer)
///     .idempotency_key(IdempotencyKey::new("order-4711-create")?);
/// assert_eq!(call.account_id, Some(customer));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Call {
    /// The `wix-account-id` of this call; `None` uses the implementation's default.
    pub account_id: Option<AccountId>,
    /// The idempotency key of a mutation; `None` lets the implementation choose
    /// (the HTTP client generates one and keeps it across its retries).
    pub idempotency_key: Option<IdempotencyKey>,
}

impl Call {
    /// Options with no override.
    pub fn new() -> Self {
        Self::default()
    }

    /// Acts on `account`.
    pub fn account(mut self, account: AccountId) -> Self {
        self.account_id = Some(account);
        self
    }

    /// Carries `key`.
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }
}

/// One page of Query Packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackagesPage {
    /// The packages of this page.
    pub packages: Vec<Package>,
    /// `metadata.cursors.next`: present when more packages follow (cursor paging).
    pub next_cursor: Option<String>,
    /// `metadata.cursors.prev`: present when packages precede (cursor paging).
    pub prev_cursor: Option<String>,
    /// `metadata.total` (offset paging).
    pub total: Option<u64>,
    /// `metadata.offset` (offset paging).
    pub offset: Option<u32>,
}

/// Offset paging of List Child Accounts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChildAccountsPaging {
    /// `paging.offset`
    pub offset: Option<u32>,
    /// `paging.limit` (default 20, max 50).
    pub limit: Option<u32>,
}

/// A site as Query Sites describes it: every member of Wix's Site object
/// (`wix-accounts-and-sites.md` 4.3). Enums are kept as Wix writes them (open:
/// Wix adds values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteInfo {
    /// `id`: the `siteId` of the Resellers and Transfer APIs.
    pub id: SiteId,
    /// `name`: the URL slug.
    pub name: String,
    /// `displayName`
    pub display_name: String,
    /// `ownerAccountId`
    pub owner_account_id: AccountId,
    /// `contributorAccountIds`
    pub contributor_account_ids: Vec<String>,
    /// `premium`: a Premium plan is assigned (`PENDING` or `ENABLED`).
    pub premium: bool,
    /// `published`
    pub published: bool,
    /// `namespace` (`WIX`, `HEADLESS`, ...).
    pub namespace: String,
    /// `editorType` (`EDITOR`, `STUDIO`, ...).
    pub editor_type: String,
    /// `folderId`; `None` at the root level.
    pub folder_id: Option<String>,
    /// `domainConnected`
    pub domain_connected: bool,
    /// `blocked`
    pub blocked: bool,
    /// `viewUrl`: empty while unpublished.
    pub view_url: String,
    /// `editUrl` (relative).
    pub edit_url: String,
    /// `thumbnail` (relative).
    pub thumbnail: String,
    /// `htmlAppId`
    pub html_app_id: Option<String>,
    /// `createdDate`
    pub created: Timestamp,
    /// `updatedDate`
    pub updated: Timestamp,
    /// `trashedDate`: when the site went to the trash.
    pub trashed: Option<Timestamp>,
}

/// Query Sites: the header account's sites, filtered and sorted as Wix's table
/// allows, cursor paging (at most 100 per page, the first 1,000 reachable).
pub type SitesQuery = reseller_domain::sites::SiteQuery;

/// One page of Query Sites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitesPage {
    /// The sites.
    pub sites: Vec<SiteInfo>,
    /// `metadata.cursors.next`, when more follow.
    pub next_cursor: Option<String>,
}

/// The Resellers API: packages and product instances (E1-E9).
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ResellerPackages: Send + Sync {
    /// Create Package (V2; Wix removed the v1 create).
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` (400) field violations; `ACCOUNT_NOT_FOUND`,
    /// `PRODUCT_NOT_FOUND`, `SITE_NOT_FOUND`, `INVALID_REFERENCE_PRODUCT_INSTANCE_ID`
    /// (404); `PRODUCT_LIMIT_EXCEEDED`, `PRODUCT_SETTINGS_NOT_FOUND`,
    /// `MISSING_BILLING_CYCLE`, `INCOMPATIBLE_BILLING_CYCLE`, `INVALID_BILLING_CYCLE`,
    /// `INVALID_PRODUCTS`, `MULTIPLE_PRODUCT_ASSIGNMENTS`,
    /// `PRODUCT_TYPE_ALREADY_ASSIGNED`, `PRODUCT_NOT_SUPPORTED_ON_SITE` (428);
    /// `IDEMPOTENCY_KEY_REUSED` (409); and the transport kinds.
    async fn create_package(
        &self,
        call: &Call,
        request: &CreatePackage,
    ) -> Result<Package, PortError>;

    /// Get Package.
    ///
    /// # Errors
    /// `PACKAGE_NOT_FOUND` (404) when unknown or owned by another account; the
    /// transport kinds.
    async fn get_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError>;

    /// Query Packages: one page.
    ///
    /// # Errors
    /// `INVALID_QUERY`, `INVALID_CURSOR` and field violations (400); the transport
    /// kinds.
    async fn query_packages(
        &self,
        call: &Call,
        query: &PackageQuery,
    ) -> Result<PackagesPage, PortError>;

    /// Cancel Package: every live instance becomes `CANCELED`.
    ///
    /// # Errors
    /// `PACKAGE_NOT_FOUND` (404); `IDEMPOTENCY_KEY_REUSED` (409); the transport kinds.
    async fn cancel_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError>;

    /// Assign Product Instance To Site (also moves between sites). Answers the
    /// package holding the instance.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND`, `INCOMPATIBLE_PRODUCT_INSTANCE_STATUS`,
    /// `PRODUCT_TYPE_ALREADY_ASSIGNED`, `PRODUCT_NOT_SUPPORTED_ON_SITE` (428);
    /// `SITE_NOT_FOUND`, `PRODUCT_NOT_FOUND` (404); `IDEMPOTENCY_KEY_REUSED`; the
    /// transport kinds. After a failed move, read the package back (R5.3).
    async fn assign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        site: SiteId,
    ) -> Result<Package, PortError>;

    /// Unassign Product Instance From Site: the instance becomes floating.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND` (428); `IDEMPOTENCY_KEY_REUSED`; the transport kinds.
    async fn unassign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError>;

    /// Cancel Product Instance.
    ///
    /// # Errors
    /// `PRODUCT_INSTANCE_NOT_FOUND` (428); `IDEMPOTENCY_KEY_REUSED`; the transport kinds.
    async fn cancel_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError>;

    /// Adjust Product Instance Specifications.
    ///
    /// # Errors
    /// Every code of the Wix Adjust table (`MISSING_PRODUCT_DETAILS`,
    /// `INCOMPATIBLE_PRODUCT`, the billing and site codes, ...);
    /// `IDEMPOTENCY_KEY_REUSED`; the transport kinds.
    async fn adjust_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        request: &Adjust,
    ) -> Result<Package, PortError>;

    /// Update Package External Id.
    ///
    /// # Errors
    /// `PACKAGE_NOT_FOUND` (404); the transport kinds.
    async fn update_external_id(
        &self,
        call: &Call,
        id: PackageId,
        external_id: &ExternalId,
    ) -> Result<Package, PortError>;
}

/// The B2B site-transfer API.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait SiteTransfers: Send + Sync {
    /// Transfer Site to the call's account (the target travels only as
    /// `wix-account-id`). Answers the `siteTransfer`, echoed.
    ///
    /// # Errors
    /// `TARGET_ACCOUNT_ID_NOT_FOUND`, `SITE_TRANSFER_NOT_SUPPORTED` (428);
    /// `SITE_TRANSFER_NOT_ALLOWED`, `PERMISSION_DENIED` (403); `SITE_NOT_FOUND` (400);
    /// the transport kinds.
    async fn transfer_site(
        &self,
        call: &Call,
        transfer: &SiteTransfer,
    ) -> Result<SiteTransfer, PortError>;
}

/// The Accounts API pieces a reseller needs: sub-accounts.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Accounts: Send + Sync {
    /// Create Account: a sub-account of the call's account. Answers its id.
    ///
    /// # Errors
    /// Field violations (400) for a bad e-mail; `PERMISSION_DENIED` (403) when the
    /// call's account is itself a sub-account; the transport kinds.
    async fn create_sub_account(
        &self,
        call: &Call,
        request: &NewSubAccount,
    ) -> Result<AccountId, PortError>;

    /// List Child Accounts of the call's account.
    ///
    /// # Errors
    /// A field violation (400) for `paging.limit` over 50; the transport kinds.
    async fn list_child_accounts(
        &self,
        call: &Call,
        paging: ChildAccountsPaging,
    ) -> Result<ChildAccounts, PortError>;

    /// Get Account: `accountId`, `slug` and `accountName` of `id`.
    ///
    /// # Errors
    /// `ACCOUNT_NOT_FOUND` (404) for an account that is neither the key's own nor
    /// one of its sub-accounts (or does not exist); the transport kinds.
    async fn get_account(&self, call: &Call, id: AccountId) -> Result<AccountInfo, PortError>;
}

/// The Sites API: Query Sites and Count Sites.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Sites: Send + Sync {
    /// Query Sites of the call's account: one page.
    ///
    /// # Errors
    /// `INVALID_QUERY` (an operator a field does not take, offset paging, a sort on
    /// another field), `INVALID_CURSOR` or a field violation (`MAX` for a limit over
    /// 100) (400); the transport kinds.
    async fn query_sites(&self, call: &Call, query: &SitesQuery) -> Result<SitesPage, PortError>;

    /// Count Sites of the call's account that pass `count`'s filter.
    ///
    /// # Errors
    /// `INVALID_QUERY` (400); the transport kinds.
    async fn count_sites(&self, call: &Call, count: &SiteCount) -> Result<u64, PortError>;
}

/// Every port together: what a whole Wix looks like to the app layer.
pub trait Wix:
    ResellerPackages
    + SiteTransfers
    + Accounts
    + Sites
    + crate::domains::DomainSearch
    + crate::domains::ConnectedDomains
{
}

impl<T> Wix for T where
    T: ResellerPackages
        + SiteTransfers
        + Accounts
        + Sites
        + crate::domains::DomainSearch
        + crate::domains::ConnectedDomains
        + ?Sized
{
}

#[async_trait]
impl<T: ResellerPackages + ?Sized> ResellerPackages for Arc<T> {
    async fn create_package(
        &self,
        call: &Call,
        request: &CreatePackage,
    ) -> Result<Package, PortError> {
        (**self).create_package(call, request).await
    }
    async fn get_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        (**self).get_package(call, id).await
    }
    async fn query_packages(
        &self,
        call: &Call,
        query: &PackageQuery,
    ) -> Result<PackagesPage, PortError> {
        (**self).query_packages(call, query).await
    }
    async fn cancel_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        (**self).cancel_package(call, id).await
    }
    async fn assign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        site: SiteId,
    ) -> Result<Package, PortError> {
        (**self).assign_instance(call, instance, site).await
    }
    async fn unassign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        (**self).unassign_instance(call, instance).await
    }
    async fn cancel_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        (**self).cancel_instance(call, instance).await
    }
    async fn adjust_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        request: &Adjust,
    ) -> Result<Package, PortError> {
        (**self).adjust_instance(call, instance, request).await
    }
    async fn update_external_id(
        &self,
        call: &Call,
        id: PackageId,
        external_id: &ExternalId,
    ) -> Result<Package, PortError> {
        (**self).update_external_id(call, id, external_id).await
    }
}

#[async_trait]
impl<T: SiteTransfers + ?Sized> SiteTransfers for Arc<T> {
    async fn transfer_site(
        &self,
        call: &Call,
        transfer: &SiteTransfer,
    ) -> Result<SiteTransfer, PortError> {
        (**self).transfer_site(call, transfer).await
    }
}

#[async_trait]
impl<T: Accounts + ?Sized> Accounts for Arc<T> {
    async fn create_sub_account(
        &self,
        call: &Call,
        request: &NewSubAccount,
    ) -> Result<AccountId, PortError> {
        (**self).create_sub_account(call, request).await
    }
    async fn list_child_accounts(
        &self,
        call: &Call,
        paging: ChildAccountsPaging,
    ) -> Result<ChildAccounts, PortError> {
        (**self).list_child_accounts(call, paging).await
    }
    async fn get_account(&self, call: &Call, id: AccountId) -> Result<AccountInfo, PortError> {
        (**self).get_account(call, id).await
    }
}

#[async_trait]
impl<T: Sites + ?Sized> Sites for Arc<T> {
    async fn query_sites(&self, call: &Call, query: &SitesQuery) -> Result<SitesPage, PortError> {
        (**self).query_sites(call, query).await
    }
    async fn count_sites(&self, call: &Call, count: &SiteCount) -> Result<u64, PortError> {
        (**self).count_sites(call, count).await
    }
}
