//! The endpoints: for each port method, the method, path, headers and body Wix
//! documents, and the decoding of its answer into domain types. Everything about
//! sending (attempts, errors, spans) is in `transport`.

use async_trait::async_trait;
use reqwest::Method;
use reseller_domain::ops::{
    AccountInfo, Adjust, ChildAccounts, CreatePackage, NewSubAccount, SiteTransfer,
};
use reseller_domain::query::PackageQuery;
use reseller_domain::sites::SiteCount;
use reseller_domain::{AccountId, ErrorCode, ExternalId, InstanceId, Package, PackageId, SiteId};
use reseller_ports::{
    Accounts, Call, ChildAccountsPaging, ErrorKind, PackagesPage, PortError, ResellerPackages,
    SiteTransfers, Sites, SitesPage, SitesQuery,
};
use reseller_wire::{
    AdjustRequest, CountSitesRequest, CountSitesResponse, CreateAccountRequest,
    CreateAccountResponse, CreatePackageRequest, GetAccountResponse, GetPackageResponse,
    IdempotentRequest, ListChildAccountsResponse, PackageResponse, QueryPackagesRequest,
    QueryPackagesResponse, QuerySitesResponse, TransferSiteRequest, TransferSiteResponse,
    UpdateExternalIdResponse,
};
use serde::Serialize;

use crate::sites;
use crate::transport::{Answer, Request, Safety, WixHttpClient};

/// The path segments of the Resellers API's package collection.
const PACKAGES: [&str; 3] = ["resellers", "v1", "packages"];

/// The body as JSON bytes.
pub(crate) fn json(body: &impl Serialize) -> Result<Vec<u8>, PortError> {
    serde_json::to_vec(body).map_err(|e| {
        PortError::new(
            ErrorKind::InvalidInput,
            ErrorCode::InvalidArgument,
            None,
            format!("the request body cannot be written as JSON: {e}"),
        )
    })
}

/// `PackageResponse`'s package (mutations), or `UnreadableAnswer`.
fn mutated_package(answer: &Answer) -> Result<Package, PortError> {
    answer
        .json::<PackageResponse>()?
        .try_into_domain()
        .map_err(|e| answer.unreadable(e))
}

impl WixHttpClient {
    /// `.../packages/{segments}`
    fn packages_url(&self, rest: &[&str]) -> reqwest::Url {
        let mut segments: Vec<&str> = PACKAGES.to_vec();
        segments.extend_from_slice(rest);
        self.url(&segments)
    }

    /// A keyed mutation of the package or instance at `url` whose body is only the
    /// idempotency key; answers the package.
    async fn keyed_package_call(
        &self,
        call: &Call,
        operation: &'static str,
        method: Method,
        url: reqwest::Url,
    ) -> Result<Package, PortError> {
        let account = self.account_for(call)?;
        let key = self.key_for(call)?;
        let body = json(&IdempotentRequest::from_domain(Some(&key)))?;
        let request = Request {
            operation,
            method,
            url,
            account,
            body: Some(body),
            safety: Safety::Keyed(key),
        };
        self.call(request, mutated_package).await
    }

    /// One page of Query Packages (also what [`WixHttpClient::query_all`] walks).
    pub(crate) async fn query_page(
        &self,
        call: &Call,
        query: &PackageQuery,
    ) -> Result<PackagesPage, PortError> {
        let account = self.account_for(call)?;
        let request = Request {
            operation: "query_packages",
            method: Method::POST,
            url: self.packages_url(&["query"]),
            account,
            body: Some(json(&QueryPackagesRequest::from_domain(query))?),
            safety: Safety::Read,
        };
        self.call(request, |answer| {
            let page = answer.json::<QueryPackagesResponse>()?;
            let packages = page
                .packages_into_domain()
                .map_err(|e| answer.unreadable(e))?;
            let meta = page.metadata.unwrap_or_default();
            Ok(PackagesPage {
                packages,
                next_cursor: meta.next_cursor().map(str::to_owned),
                prev_cursor: meta.prev_cursor().map(str::to_owned),
                total: meta.total,
                offset: meta.offset.map(|o| u32::try_from(o).unwrap_or(u32::MAX)),
            })
        })
        .await
    }
}

#[async_trait]
impl ResellerPackages for WixHttpClient {
    /// `POST /resellers/v2/packages` (Wix removed the v1 create); keyed.
    async fn create_package(
        &self,
        call: &Call,
        request: &CreatePackage,
    ) -> Result<Package, PortError> {
        let account = self.account_for(call)?;
        let key = self.key_for(call)?;
        let request = Request {
            operation: "create_package",
            method: Method::POST,
            url: self.url(&["resellers", "v2", "packages"]),
            account,
            body: Some(json(&CreatePackageRequest::from_domain(
                request,
                Some(&key),
            ))?),
            safety: Safety::Keyed(key),
        };
        self.call(request, mutated_package).await
    }

    /// `GET /resellers/v1/packages/{id}`.
    async fn get_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        let account = self.account_for(call)?;
        let request = Request {
            operation: "get_package",
            method: Method::GET,
            url: self.packages_url(&[&id.to_string()]),
            account,
            body: None,
            safety: Safety::Read,
        };
        self.call(request, |answer| {
            answer
                .json::<GetPackageResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }

    /// `POST /resellers/v1/packages/query`.
    async fn query_packages(
        &self,
        call: &Call,
        query: &PackageQuery,
    ) -> Result<PackagesPage, PortError> {
        self.query_page(call, query).await
    }

    /// `DELETE /resellers/v1/packages/{id}` with `{"idempotencyKey"}` in the body.
    async fn cancel_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        let url = self.packages_url(&[&id.to_string()]);
        self.keyed_package_call(call, "cancel_package", Method::DELETE, url)
            .await
    }

    /// `PATCH /resellers/v1/packages/product-instances/{instanceId}/{siteId}`.
    async fn assign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        site: SiteId,
    ) -> Result<Package, PortError> {
        let url = self.packages_url(&[
            "product-instances",
            &instance.to_string(),
            &site.to_string(),
        ]);
        self.keyed_package_call(call, "assign_instance", Method::PATCH, url)
            .await
    }

    /// `PATCH /resellers/v1/packages/product-instances/{instanceId}/unassign`.
    async fn unassign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        let url = self.packages_url(&["product-instances", &instance.to_string(), "unassign"]);
        self.keyed_package_call(call, "unassign_instance", Method::PATCH, url)
            .await
    }

    /// `DELETE /resellers/v1/packages/product-instances/{instanceId}`.
    async fn cancel_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        let url = self.packages_url(&["product-instances", &instance.to_string()]);
        self.keyed_package_call(call, "cancel_instance", Method::DELETE, url)
            .await
    }

    /// `PATCH /resellers/v1/packages/product-instances/{instanceId}` with the
    /// adjustment; keyed.
    async fn adjust_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        request: &Adjust,
    ) -> Result<Package, PortError> {
        let account = self.account_for(call)?;
        let key = self.key_for(call)?;
        let request = Request {
            operation: "adjust_instance",
            method: Method::PATCH,
            url: self.packages_url(&["product-instances", &instance.to_string()]),
            account,
            body: Some(json(&AdjustRequest::from_domain(request, Some(&key)))?),
            safety: Safety::Keyed(key),
        };
        self.call(request, mutated_package).await
    }

    /// `PATCH /resellers/v1/packages/update/{packageId}/{externalId}`, the external
    /// id percent-encoded as one path segment, no body. Wix gives this call no
    /// idempotency key, so it is repeated only when it was never sent.
    async fn update_external_id(
        &self,
        call: &Call,
        id: PackageId,
        external_id: &ExternalId,
    ) -> Result<Package, PortError> {
        let account = self.account_for(call)?;
        let request = Request {
            operation: "update_external_id",
            method: Method::PATCH,
            url: self.packages_url(&["update", &id.to_string(), external_id.as_str()]),
            account,
            body: None,
            safety: Safety::Unkeyed,
        };
        self.call(request, |answer| {
            answer
                .json::<UpdateExternalIdResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }
}

#[async_trait]
impl SiteTransfers for WixHttpClient {
    /// `POST /b2b-site-management/v1/transfer-site`; the target account travels only
    /// as `wix-account-id`. Wix gives this call no idempotency key (a repeated
    /// transfer would find the site gone from its source), so it is repeated only
    /// when it was never sent; `call.idempotency_key` is not used.
    async fn transfer_site(
        &self,
        call: &Call,
        transfer: &SiteTransfer,
    ) -> Result<SiteTransfer, PortError> {
        let account = self.account_for(call)?;
        let request = Request {
            operation: "transfer_site",
            method: Method::POST,
            url: self.url(&["b2b-site-management", "v1", "transfer-site"]),
            account,
            body: Some(json(&TransferSiteRequest::from_domain(transfer))?),
            safety: Safety::Unkeyed,
        };
        self.call(request, |answer| {
            answer
                .json::<TransferSiteResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }
}

#[async_trait]
impl Accounts for WixHttpClient {
    /// `POST /accounts/v1/accounts/create`, `wix-account-id` naming the parent. Wix
    /// gives this call no idempotency key (a repeat makes a second account), so it is
    /// repeated only when it was never sent; `call.idempotency_key` is not used.
    async fn create_sub_account(
        &self,
        call: &Call,
        request: &NewSubAccount,
    ) -> Result<AccountId, PortError> {
        let account = self.account_for(call)?;
        let request = Request {
            operation: "create_sub_account",
            method: Method::POST,
            url: self.url(&["accounts", "v1", "accounts", "create"]),
            account,
            body: Some(json(&CreateAccountRequest::from_domain(request))?),
            safety: Safety::Unkeyed,
        };
        self.call(request, |answer| {
            answer
                .json::<CreateAccountResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }

    /// `GET /accounts/v1/account/child-accounts?paging.limit=&paging.offset=` (each
    /// parameter only when set).
    async fn list_child_accounts(
        &self,
        call: &Call,
        paging: ChildAccountsPaging,
    ) -> Result<ChildAccounts, PortError> {
        let account = self.account_for(call)?;
        let mut url = self.url(&["accounts", "v1", "account", "child-accounts"]);
        if paging.limit.is_some() || paging.offset.is_some() {
            let mut pairs = url.query_pairs_mut();
            if let Some(limit) = paging.limit {
                pairs.append_pair("paging.limit", &limit.to_string());
            }
            if let Some(offset) = paging.offset {
                pairs.append_pair("paging.offset", &offset.to_string());
            }
        }
        let request = Request {
            operation: "list_child_accounts",
            method: Method::GET,
            url,
            account,
            body: None,
            safety: Safety::Read,
        };
        self.call(request, |answer| {
            answer
                .json::<ListChildAccountsResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }

    /// `GET /accounts/v1/accounts/{accountId}`.
    async fn get_account(&self, call: &Call, id: AccountId) -> Result<AccountInfo, PortError> {
        let account = self.account_for(call)?;
        let id = id.to_string();
        let request = Request {
            operation: "get_account",
            method: Method::GET,
            url: self.url(&["accounts", "v1", "accounts", &id]),
            account,
            body: None,
            safety: Safety::Read,
        };
        self.call(request, |answer| {
            answer
                .json::<GetAccountResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }
}

#[async_trait]
impl Sites for WixHttpClient {
    /// `POST /site-list/v2/sites/query`: the query's filter and sort (none beside a
    /// cursor: it carries them), `cursorPaging` with the limit and cursor.
    async fn query_sites(&self, call: &Call, query: &SitesQuery) -> Result<SitesPage, PortError> {
        let account = self.account_for(call)?;
        let request = Request {
            operation: "query_sites",
            method: Method::POST,
            url: self.url(&["site-list", "v2", "sites", "query"]),
            account,
            body: Some(json(&sites::request(query))?),
            safety: Safety::Read,
        };
        self.call(request, |answer| {
            let page = answer.json::<QuerySitesResponse>()?;
            let sites = sites::infos(&page).map_err(|e| answer.unreadable(e))?;
            Ok(SitesPage {
                sites,
                next_cursor: page.next_cursor().map(str::to_owned),
            })
        })
        .await
    }

    /// `POST /site-list/v2/sites/count` with `{"filter": ...}`.
    async fn count_sites(&self, call: &Call, count: &SiteCount) -> Result<u64, PortError> {
        let account = self.account_for(call)?;
        let request = Request {
            operation: "count_sites",
            method: Method::POST,
            url: self.url(&["site-list", "v2", "sites", "count"]),
            account,
            body: Some(json(&CountSitesRequest::from_domain(count))?),
            safety: Safety::Read,
        };
        self.call(request, |answer| {
            Ok(answer.json::<CountSitesResponse>()?.count)
        })
        .await
    }
}
