//! The domain ports: Domain Search (availability and suggestions) and Connected
//! Domains (create, get, list, setup info), `wix-domains.md` 2 and 3. Requests carry
//! what the caller typed, unvalidated, so that every implementation answers bad
//! input with Wix's own codes; answers are domain types.

use std::sync::Arc;

use async_trait::async_trait;
use reseller_domain::SiteId;
use reseller_domain::domains::{
    Availability, ConnectRequest, ConnectionsPage, DomainConnection, SetupInfo, SuggestPage,
    SuggestRequest,
};

use crate::error::PortError;
use crate::ports::Call;

/// Paging of List Connected Domains.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectedDomainsPaging {
    /// `paging.limit` (0..100, default 50).
    pub limit: Option<i64>,
    /// `paging.cursor`: the `next` cursor of the previous page.
    pub cursor: Option<String>,
}

/// Domain Search.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait DomainSearch: Send + Sync {
    /// Check Domain Availability (`GET /domain-search/v2/check-domain-availability`).
    ///
    /// # Errors
    /// `INVALID_DOMAIN` (400) for a missing or malformed name or an unsold TLD;
    /// `PERMISSION_DENIED` (403) for a key without `domains.manage`; the transport
    /// kinds.
    async fn check_availability(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<Availability, PortError>;

    /// Suggest Domains (`GET /domain-search/v2/suggest-domains`): one page.
    ///
    /// # Errors
    /// `INVALID_QUERY`, `INVALID_TLD_FORMAT`, `TLD_NOT_SUPPORTED`, `INVALID_CURSOR`
    /// and field violations (`MAX_SIZE`, `MIN`, `MAX`) (400); the transport kinds.
    async fn suggest_domains(
        &self,
        call: &Call,
        request: &SuggestRequest,
    ) -> Result<SuggestPage, PortError>;
}

/// Connected Domains.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ConnectedDomains: Send + Sync {
    /// Create Connected Domain on `site` (`wix-site-id`). Wix gives it no
    /// idempotency key; the same request again answers the existing domain.
    ///
    /// # Errors
    /// `Invalid domain`, `Invalid connection type`, `DOMAINS_GUID_NOT_VALID` and
    /// field violations (400); `NON_PREMIUM_SITE`, `DOMAINS_DOMAIN_NOT_PERMITTED`,
    /// `DOMAINS_PERMISSION_DENIED`, `DOMAINS_GUID_NOT_FOUND`, `PERMISSION_DENIED`
    /// (403); `DOMAINS_ALREADY_EXISTS` (409); the transport kinds.
    async fn create_connected_domain(
        &self,
        call: &Call,
        site: Option<SiteId>,
        request: &ConnectRequest,
    ) -> Result<DomainConnection, PortError>;

    /// Get Connected Domain.
    ///
    /// # Errors
    /// `NOT_FOUND` (404) for a domain the call's account did not connect; the
    /// 403 codes of Create; the transport kinds.
    async fn get_connected_domain(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<DomainConnection, PortError>;

    /// List Connected Domains: one page, `createdDate` descending.
    ///
    /// # Errors
    /// Field violations (400) for `paging.limit` outside 0..100; `INVALID_CURSOR`;
    /// the transport kinds.
    async fn list_connected_domains(
        &self,
        call: &Call,
        paging: &ConnectedDomainsPaging,
    ) -> Result<ConnectionsPage, PortError>;

    /// Get Connected Domain Setup Info: the records the owner must set.
    ///
    /// # Errors
    /// As [`ConnectedDomains::get_connected_domain`].
    async fn connected_domain_setup_info(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<SetupInfo, PortError>;
}

#[async_trait]
impl<T: DomainSearch + ?Sized> DomainSearch for Arc<T> {
    async fn check_availability(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<Availability, PortError> {
        (**self).check_availability(call, domain).await
    }
    async fn suggest_domains(
        &self,
        call: &Call,
        request: &SuggestRequest,
    ) -> Result<SuggestPage, PortError> {
        (**self).suggest_domains(call, request).await
    }
}

#[async_trait]
impl<T: ConnectedDomains + ?Sized> ConnectedDomains for Arc<T> {
    async fn create_connected_domain(
        &self,
        call: &Call,
        site: Option<SiteId>,
        request: &ConnectRequest,
    ) -> Result<DomainConnection, PortError> {
        (**self).create_connected_domain(call, site, request).await
    }
    async fn get_connected_domain(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<DomainConnection, PortError> {
        (**self).get_connected_domain(call, domain).await
    }
    async fn list_connected_domains(
        &self,
        call: &Call,
        paging: &ConnectedDomainsPaging,
    ) -> Result<ConnectionsPage, PortError> {
        (**self).list_connected_domains(call, paging).await
    }
    async fn connected_domain_setup_info(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<SetupInfo, PortError> {
        (**self).connected_domain_setup_info(call, domain).await
    }
}
