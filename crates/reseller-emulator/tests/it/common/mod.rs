//! The emulator as a test's Wix: started on a free port, seeded and steered through
//! its control API over HTTP (`Seed`), called through the real HTTP client.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use adapter_wix_http::WixHttpClient;
use adapter_wix_http::control::EmulatorControl;
use async_trait::async_trait;
use reseller_domain::auth::Scope;
use reseller_domain::domains::{DnsStatus, DomainConnection, Propagation};
use reseller_domain::world::{Account, CatalogProduct, Site};
use reseller_domain::{AccountId, InstanceId, InstanceStatus, Package, SiteId, Timestamp};
use reseller_emulator::{Emulator, Running};
use reseller_ports::{ApiKey, ErrorKind, NewSite, PortError, Provisioning, Seed, Wix};
use reseller_wire::ErrorBody;
use reseller_wire::control::{
    AccountDoc, AllowedTransferDoc, CatalogProductDoc, ExtendDoc, SiteDoc, StatusChangeDoc,
};
use reseller_wire::domains_control::{DnsModeDoc, DnsStatusDoc, TakenDomainsDoc, TldsDoc};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A running emulator and an HTTP client of its control API: the typed
/// [`EmulatorControl`] where it offers the call, else the documents by hand.
pub(crate) struct HttpSeed {
    /// Kept for its lifetime: dropping it stops the server.
    _running: Running,
    base: String,
    http: reqwest::Client,
    typed: EmulatorControl,
}

impl HttpSeed {
    /// An in-memory emulator on a free loopback port.
    pub(crate) async fn start() -> Self {
        Self::over(Emulator::in_memory()).await
    }

    /// `emulator` served on a free loopback port.
    pub(crate) async fn over(emulator: Emulator) -> Self {
        let running = emulator
            .spawn("127.0.0.1:0".parse().expect("an address"))
            .await
            .expect("the emulator starts");
        let base = running.base_url();
        Self {
            _running: running,
            typed: EmulatorControl::new(base.clone()).expect("a control client"),
            base,
            http: reqwest::Client::new(),
        }
    }

    /// Sends `body` to the control API and reads the answer as `A`.
    async fn control<B: Serialize, A: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &B,
    ) -> Result<A, PortError> {
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .map_err(|e| PortError::transport(ErrorKind::NotSent, e.to_string()))?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| PortError::transport(ErrorKind::OutcomeUnknown, e.to_string()))?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|e| {
                PortError::transport(ErrorKind::UnreadableAnswer, format!("{path}: {e}"))
            });
        }
        let body: ErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
        Err(
            PortError::from_answer(status, body.error_code(status), body.message.clone())
                .with_field_violations(body.field_violations()),
        )
    }
}

fn unreadable(e: impl std::fmt::Display) -> PortError {
    PortError::transport(ErrorKind::UnreadableAnswer, e.to_string())
}

#[async_trait]
impl Seed for HttpSeed {
    async fn add_account(&self, account: &Account) -> Result<Account, PortError> {
        let doc: AccountDoc = self
            .control(
                reqwest::Method::POST,
                "/_emulator/accounts",
                &AccountDoc::from_domain(account),
            )
            .await?;
        doc.try_into_domain("", || account.id).map_err(unreadable)
    }

    async fn add_site(&self, site: &NewSite) -> Result<Site, PortError> {
        let request = SiteDoc {
            id: site.id.map(|id| id.to_string()),
            account_id: Some(site.account.to_string()),
            name: Some(site.name.clone()).filter(|n| !n.is_empty()),
            external_paid_services: site.external_paid_services.clone(),
            created_date: site.created.map(|t| t.to_rfc3339()),
            ..SiteDoc::default()
        }
        .with_details(&site.details);
        let doc: SiteDoc = self
            .control(reqwest::Method::POST, "/_emulator/sites", &request)
            .await?;
        let id = doc
            .id
            .as_deref()
            .and_then(|t| SiteId::parse(t).ok())
            .ok_or_else(|| unreadable("the answer has no site id"))?;
        let created = doc
            .created_date
            .as_deref()
            .and_then(|t| Timestamp::parse_rfc3339(t).ok())
            .ok_or_else(|| unreadable("the answer has no createdDate"))?;
        doc.try_into_domain("", || id, created).map_err(unreadable)
    }

    async fn add_product(&self, product: &CatalogProduct) -> Result<CatalogProduct, PortError> {
        let doc: CatalogProductDoc = self
            .control(
                reqwest::Method::POST,
                "/_emulator/catalog",
                &CatalogProductDoc::from_domain(product),
            )
            .await?;
        doc.try_into_domain("").map_err(unreadable)
    }

    async fn allow_transfer(&self, source: AccountId, target: AccountId) -> Result<(), PortError> {
        let _: AllowedTransferDoc = self
            .control(
                reqwest::Method::POST,
                "/_emulator/allowed-transfers",
                &AllowedTransferDoc::new(source, target),
            )
            .await?;
        Ok(())
    }

    async fn add_api_key(
        &self,
        account: AccountId,
        scopes: Option<BTreeSet<Scope>>,
    ) -> Result<ApiKey, PortError> {
        self.typed.add_api_key(account, scopes).await
    }

    async fn set_provisioning(&self, mode: Provisioning) -> Result<(), PortError> {
        self.typed.provisioning(mode).await
    }

    async fn set_instance_status(
        &self,
        instance: InstanceId,
        status: InstanceStatus,
    ) -> Result<Package, PortError> {
        let package: reseller_wire::Package = self
            .control(
                reqwest::Method::POST,
                &format!("/_emulator/instances/{instance}/status"),
                &StatusChangeDoc::from_domain(&status),
            )
            .await?;
        package.try_into_domain().map_err(unreadable)
    }

    async fn extend_instance(
        &self,
        instance: InstanceId,
        cycles: u32,
    ) -> Result<Package, PortError> {
        let package: reseller_wire::Package = self
            .control(
                reqwest::Method::POST,
                &format!("/_emulator/instances/{instance}/extend"),
                &ExtendDoc {
                    cycles: Some(i64::from(cycles)),
                },
            )
            .await?;
        package.try_into_domain().map_err(unreadable)
    }

    async fn advance_clock(&self, millis: u64) -> Result<Timestamp, PortError> {
        self.typed
            .advance_clock(Duration::from_millis(millis))
            .await
    }

    async fn mark_taken(&self, names: &[String]) -> Result<(), PortError> {
        let doc = TakenDomainsDoc {
            domains: names.to_vec(),
        };
        let _: TakenDomainsDoc = self
            .control(reqwest::Method::POST, "/_emulator/domains/taken", &doc)
            .await?;
        Ok(())
    }

    async fn set_tlds(&self, tlds: &[String]) -> Result<(), PortError> {
        let doc = TldsDoc {
            tlds: tlds.to_vec(),
        };
        let _: TldsDoc = self
            .control(reqwest::Method::PUT, "/_emulator/tlds", &doc)
            .await?;
        Ok(())
    }

    async fn set_dns(&self, mode: Propagation) -> Result<(), PortError> {
        let _: DnsModeDoc = self
            .control(
                reqwest::Method::PUT,
                "/_emulator/dns",
                &DnsModeDoc::from_domain(mode),
            )
            .await?;
        Ok(())
    }

    async fn set_dns_status(
        &self,
        domain: &str,
        status: DnsStatus,
    ) -> Result<DomainConnection, PortError> {
        let doc = DnsStatusDoc {
            status: Some(status.as_str().to_owned()),
        };
        let answer: reseller_wire::domains::ConnectedDomain = self
            .control(
                reqwest::Method::POST,
                &format!("/_emulator/connected-domains/{domain}/dns-status"),
                &doc,
            )
            .await?;
        answer.try_into_domain("").map_err(unreadable)
    }

    fn connect(&self, key: &ApiKey, default_account: AccountId) -> Arc<dyn Wix> {
        let client = WixHttpClient::builder(key.clone())
            .base_url(self.base.clone())
            .account(default_account)
            .build()
            .expect("a client of the emulator");
        Arc::new(client)
    }
}
