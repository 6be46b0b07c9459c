//! The domain endpoints: Domain Search (`/domain-search/v2/...`) and Connected
//! Domains (`/domains/v1/...`), with the same transport, retries and errors as every
//! other call. Reads are retried; Create Connected Domain carries no idempotency
//! key, so it is repeated only when it was never sent (the emulator answers a
//! repeated identical Create with the existing domain; Wix does not say).

use async_trait::async_trait;
use reqwest::Method;
use reseller_domain::SiteId;
use reseller_domain::domains::{
    Availability, ConnectRequest, ConnectionsPage, DomainConnection, SetupInfo, SuggestPage,
    SuggestRequest,
};
use reseller_ports::{Call, ConnectedDomains, ConnectedDomainsPaging, DomainSearch, PortError};
use reseller_wire::domains::{
    CheckDomainAvailabilityResponse, ConnectedDomainResponse, CreateConnectedDomainRequest,
    ListConnectedDomainsResponse, SetupInfoResponse, SuggestDomainsResponse, check_query_pairs,
    list_query_pairs, suggest_query_pairs,
};

use crate::endpoints::json;
use crate::transport::{Request, Safety, WixHttpClient};

impl WixHttpClient {
    /// A URL with `pairs` as its query string (repeated keys kept in order).
    fn url_with_query(&self, segments: &[&str], pairs: &[(&'static str, String)]) -> reqwest::Url {
        let mut url = self.url(segments);
        if !pairs.is_empty() {
            let mut q = url.query_pairs_mut();
            for (k, v) in pairs {
                q.append_pair(k, v);
            }
        }
        url
    }

    /// A read of `url` acting on the call's account.
    fn domain_read(
        &self,
        call: &Call,
        operation: &'static str,
        url: reqwest::Url,
    ) -> Result<Request, PortError> {
        Ok(Request {
            operation,
            method: Method::GET,
            url,
            account: self.account_for(call)?,
            body: None,
            safety: Safety::Read,
        })
    }
}

#[async_trait]
impl DomainSearch for WixHttpClient {
    /// `GET /domain-search/v2/check-domain-availability?domain=`
    async fn check_availability(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<Availability, PortError> {
        let url = self.url_with_query(
            &["domain-search", "v2", "check-domain-availability"],
            &check_query_pairs(domain),
        );
        let request = self.domain_read(call, "check_domain_availability", url)?;
        self.call(request, |answer| {
            answer
                .json::<CheckDomainAvailabilityResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }

    /// `GET /domain-search/v2/suggest-domains?query=&tlds=com&tlds=net&paging.limit=...`
    async fn suggest_domains(
        &self,
        call: &Call,
        request: &SuggestRequest,
    ) -> Result<SuggestPage, PortError> {
        let url = self.url_with_query(
            &["domain-search", "v2", "suggest-domains"],
            &suggest_query_pairs(request),
        );
        let request = self.domain_read(call, "suggest_domains", url)?;
        self.call(request, |answer| {
            answer
                .json::<SuggestDomainsResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }
}

#[async_trait]
impl ConnectedDomains for WixHttpClient {
    /// `POST /domains/v1/connected-domains` with `wix-site-id: site`; unkeyed.
    async fn create_connected_domain(
        &self,
        call: &Call,
        site: Option<SiteId>,
        request: &ConnectRequest,
    ) -> Result<DomainConnection, PortError> {
        let request = Request {
            operation: "create_connected_domain",
            method: Method::POST,
            url: self.url(&["domains", "v1", "connected-domains"]),
            account: self.account_for(call)?,
            body: Some(json(&CreateConnectedDomainRequest::from_domain(request))?),
            safety: Safety::Unkeyed,
        };
        self.call_on_site(request, site, |answer| {
            answer
                .json::<ConnectedDomainResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }

    /// `GET /domains/v1/connected-domains/{domain}`
    async fn get_connected_domain(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<DomainConnection, PortError> {
        let url = self.url(&["domains", "v1", "connected-domains", domain]);
        let request = self.domain_read(call, "get_connected_domain", url)?;
        self.call(request, |answer| {
            answer
                .json::<ConnectedDomainResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }

    /// `GET /domains/v1/connected-domains?paging.limit=&paging.cursor=`
    async fn list_connected_domains(
        &self,
        call: &Call,
        paging: &ConnectedDomainsPaging,
    ) -> Result<ConnectionsPage, PortError> {
        let url = self.url_with_query(
            &["domains", "v1", "connected-domains"],
            &list_query_pairs(paging.limit, paging.cursor.as_deref()),
        );
        let request = self.domain_read(call, "list_connected_domains", url)?;
        self.call(request, |answer| {
            answer
                .json::<ListConnectedDomainsResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }

    /// `GET /domains/v1/connected-domain-setup-info/{domain}`
    async fn connected_domain_setup_info(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<SetupInfo, PortError> {
        let url = self.url(&["domains", "v1", "connected-domain-setup-info", domain]);
        let request = self.domain_read(call, "connected_domain_setup_info", url)?;
        self.call(request, |answer| {
            answer
                .json::<SetupInfoResponse>()?
                .try_into_domain()
                .map_err(|e| answer.unreadable(e))
        })
        .await
    }
}
