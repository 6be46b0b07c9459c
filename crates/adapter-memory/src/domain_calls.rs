//! Domain Search and Connected Domains over the engine: each call authenticates
//! its key, authorizes as `spec/emulator.md` says (Domain Search: `domains.manage`,
//! the header account optional; Connected Domains: then Wix's `DOMAINS_*` codes),
//! and runs the domain's pure operation; plus the emulator's domain control calls
//! (taken names, TLDs, propagation mode, a DNS status move) and the ports of
//! [`MemoryClient`].

use async_trait::async_trait;
use reseller_domain::auth::{self, Scope, UnknownAccount};
use reseller_domain::domains::{
    Availability, ConnectRequest, ConnectionsPage, DnsStatus, DomainConnection, DomainName,
    DomainViolation, Propagation, SetupInfo, SuggestPage, SuggestRequest, TldSet,
    authorize_connected, check_domain, create_connected_domain, get_connected_domain, is_available,
    list_connected_domains, setup_info,
};
use reseller_domain::{AccountId, RuleType, SiteId, Violation};
use reseller_ports::{
    ApiKey, Call, ConnectedDomains, ConnectedDomainsPaging, DomainSearch, PortError,
};

use crate::client::MemoryClient;
use crate::domains::DomainOp;
use crate::engine::{Credentials, MemoryWix, grant_of};
use crate::state::State;

/// Domain Search's check: the key with `domains.manage`; the header account, when
/// sent, as on every other call.
fn authorize_search(st: &State, key: &ApiKey, account: Option<AccountId>) -> Result<(), PortError> {
    let grant = grant_of(st, key)?;
    match account {
        Some(a) => {
            auth::authorize(
                st,
                &grant,
                a,
                Scope::DomainsManage,
                UnknownAccount::AccountNotFound,
            )?;
        }
        None if !grant.has(Scope::DomainsManage) => {
            return Err(Violation::PermissionDenied {
                reason: format!(
                    "The API key lacks the permission `{}`.",
                    Scope::DomainsManage
                ),
            }
            .into());
        }
        None => {}
    }
    Ok(())
}

fn authorize_domains(
    st: &State,
    cred: Credentials<'_>,
) -> Result<reseller_domain::auth::Caller, PortError> {
    let grant = grant_of(st, cred.key)?;
    Ok(authorize_connected(st, &grant, cred.account)?)
}

fn bad_control(field: &str, description: String) -> PortError {
    PortError::from(Violation::field(field, RuleType::Format, description))
}

impl MemoryWix {
    /// The key rows of the domain APIs, before any header is read: 401 for an
    /// unknown key, 403 `PERMISSION_DENIED` for a key without `domains.manage`.
    ///
    /// # Errors
    /// As above.
    pub fn authorize_domains_key(&self, key: &ApiKey) -> Result<(), PortError> {
        self.with_state(|st| authorize_search(st, key, None))
    }

    /// Check Domain Availability (D1-D3) for `key`, acting on `account` when sent.
    ///
    /// # Errors
    /// `INVALID_DOMAIN` (400); the authentication errors.
    pub async fn check_availability(
        &self,
        key: &ApiKey,
        account: Option<AccountId>,
        domain: &str,
    ) -> Result<Availability, PortError> {
        self.read(|st, _| {
            authorize_search(st, key, account)?;
            let name = check_domain(Some(domain), &st.domains.tlds).map_err(Violation::Domain)?;
            let available = is_available(st, &name);
            Ok(Availability {
                domain: name,
                available,
            })
        })
        .await
    }

    /// Suggest Domains (D4-D7): one page.
    ///
    /// # Errors
    /// `INVALID_QUERY`, `INVALID_TLD_FORMAT`, `TLD_NOT_SUPPORTED`, field violations,
    /// `INVALID_CURSOR` (400); the authentication errors.
    pub async fn suggest_domains(
        &self,
        key: &ApiKey,
        account: Option<AccountId>,
        request: &SuggestRequest,
    ) -> Result<SuggestPage, PortError> {
        self.read(|st, _| {
            authorize_search(st, key, account)?;
            let suggest = request.validate(&st.domains.tlds, &st.cursor_key)?;
            Ok(suggest.page(|d| is_available(st, d), &st.cursor_key))
        })
        .await
    }

    /// Create Connected Domain on `site` (D8-D19).
    ///
    /// # Errors
    /// See `ConnectedDomains::create_connected_domain`.
    pub async fn create_connected_domain(
        &self,
        cred: Credentials<'_>,
        site: Option<SiteId>,
        request: &ConnectRequest,
    ) -> Result<DomainConnection, PortError> {
        self.write(|tx| {
            let caller = authorize_domains(tx.st, cred)?;
            let propagation = tx.st.domains.propagation;
            let done = create_connected_domain(
                &*tx.st,
                &*tx.st,
                &caller,
                site,
                request,
                propagation,
                tx.now,
            )?;
            tx.put_domains(done.changes);
            Ok(done.answer.connection())
        })
        .await
    }

    /// Get Connected Domain (D15).
    ///
    /// # Errors
    /// `NOT_FOUND` (404); the authorization errors.
    pub async fn get_connected_domain(
        &self,
        cred: Credentials<'_>,
        domain: &str,
    ) -> Result<DomainConnection, PortError> {
        self.read(|st, _| {
            let caller = authorize_domains(st, cred)?;
            Ok(get_connected_domain(st, &caller, domain)?.connection())
        })
        .await
    }

    /// List Connected Domains (D20).
    ///
    /// # Errors
    /// Field violations and `INVALID_CURSOR` (400); the authorization errors.
    pub async fn list_connected_domains(
        &self,
        cred: Credentials<'_>,
        paging: &ConnectedDomainsPaging,
    ) -> Result<ConnectionsPage, PortError> {
        self.read(|st, _| {
            let caller = authorize_domains(st, cred)?;
            let page = list_connected_domains(
                st,
                &caller,
                paging.limit,
                paging.cursor.as_deref(),
                &st.cursor_key,
            )?;
            Ok(ConnectionsPage {
                connections: page.domains.iter().map(|d| d.connection()).collect(),
                next_cursor: page.next_cursor,
            })
        })
        .await
    }

    /// Get Connected Domain Setup Info (D21).
    ///
    /// # Errors
    /// `NOT_FOUND` (404); the authorization errors.
    pub async fn connected_domain_setup_info(
        &self,
        cred: Credentials<'_>,
        domain: &str,
    ) -> Result<SetupInfo, PortError> {
        self.read(|st, _| {
            let caller = authorize_domains(st, cred)?;
            Ok(setup_info(st, &caller, domain)?)
        })
        .await
    }

    // ----- control -------------------------------------------------------------

    /// Marks names as registered (`POST /_emulator/domains/taken`): they answer
    /// `available: false` and are never suggested.
    ///
    /// # Errors
    /// 400 naming the first text that is not a domain name; nothing is marked.
    pub async fn mark_taken(&self, names: &[String]) -> Result<(), PortError> {
        let parsed = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                DomainName::parse(n)
                    .map_err(|e| bad_control(&format!("domains[{i}]"), e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.write(|tx| {
            for name in parsed {
                if tx.st.domains.taken.insert(name.clone()) {
                    tx.log(|| crate::journal::Op::Domain(DomainOp::Taken(name)));
                }
            }
            Ok(())
        })
        .await
    }

    /// Sets the TLDs sold and connected (`PUT /_emulator/tlds`).
    ///
    /// # Errors
    /// 400 naming the first element that is not a TLD; nothing changes.
    pub async fn set_tlds(&self, tlds: &[String]) -> Result<(), PortError> {
        let set =
            TldSet::parse(tlds).map_err(|(t, e)| bad_control("tlds", format!("`{t}`: {e}")))?;
        self.write(|tx| {
            tx.st.domains.tlds = set.clone();
            tx.log(|| crate::journal::Op::Domain(DomainOp::Tlds(set)));
            Ok(())
        })
        .await
    }

    /// The TLDs sold and connected.
    pub async fn tlds(&self) -> Result<TldSet, PortError> {
        self.read(|st, _| Ok(st.domains.tlds.clone())).await
    }

    /// Chooses how new connections propagate (`PUT /_emulator/dns`); connections
    /// made before keep their schedule.
    ///
    /// # Errors
    /// Only a failed store.
    pub async fn set_dns(&self, mode: Propagation) -> Result<(), PortError> {
        self.write(|tx| {
            tx.st.domains.propagation = mode;
            tx.log(|| crate::journal::Op::Domain(DomainOp::Dns(mode)));
            Ok(())
        })
        .await
    }

    /// Moves a connected domain's propagation by hand
    /// (`POST /_emulator/connected-domains/{domain}/dns-status`); from then on only
    /// this call moves it.
    ///
    /// # Errors
    /// 404 `NOT_FOUND` for an unknown domain; 409 `ILLEGAL_STATUS_TRANSITION`.
    pub async fn set_dns_status(
        &self,
        domain: &str,
        status: DnsStatus,
    ) -> Result<DomainConnection, PortError> {
        self.write(|tx| {
            let name = DomainName::parse(domain).ok();
            let Some(d) = name.as_ref().and_then(|n| tx.st.domains.connected.get(n)) else {
                return Err(PortError::from(Violation::Domain(
                    DomainViolation::NotFound {
                        domain: domain.chars().take(64).collect(),
                    },
                )));
            };
            let moved = d.move_dns(status, tx.now).map_err(Violation::Domain)?;
            let answer = moved.connection();
            tx.put_domains(vec![moved]);
            Ok(answer)
        })
        .await
    }
}

impl MemoryClient {
    fn header_account(&self, call: &Call) -> Option<AccountId> {
        Some(call.account_id.unwrap_or(self.default_account))
    }
}

#[async_trait]
impl DomainSearch for MemoryClient {
    async fn check_availability(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<Availability, PortError> {
        self.wix
            .check_availability(&self.key, self.header_account(call), domain)
            .await
    }

    async fn suggest_domains(
        &self,
        call: &Call,
        request: &SuggestRequest,
    ) -> Result<SuggestPage, PortError> {
        self.wix
            .suggest_domains(&self.key, self.header_account(call), request)
            .await
    }
}

#[async_trait]
impl ConnectedDomains for MemoryClient {
    async fn create_connected_domain(
        &self,
        call: &Call,
        site: Option<SiteId>,
        request: &ConnectRequest,
    ) -> Result<DomainConnection, PortError> {
        self.wix
            .create_connected_domain(self.cred(call), site, request)
            .await
    }

    async fn get_connected_domain(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<DomainConnection, PortError> {
        self.wix.get_connected_domain(self.cred(call), domain).await
    }

    async fn list_connected_domains(
        &self,
        call: &Call,
        paging: &ConnectedDomainsPaging,
    ) -> Result<ConnectionsPage, PortError> {
        self.wix
            .list_connected_domains(self.cred(call), paging)
            .await
    }

    async fn connected_domain_setup_info(
        &self,
        call: &Call,
        domain: &str,
    ) -> Result<SetupInfo, PortError> {
        self.wix
            .connected_domain_setup_info(self.cred(call), domain)
            .await
    }
}
