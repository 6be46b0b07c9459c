//! Domain Search and Connected Domains at Wix's paths (`wix-domains.md` 2 and 3),
//! and the emulator's domain control calls (`/_emulator/domains/taken`, `tlds`,
//! `dns`, `connected-domains/{domain}/dns-status`).
//!
//! Header checks, in the order of `spec/emulator.md`: the API key (401), then for
//! Domain Search the key's `domains.manage` (403) and a `wix-account-id` that is a
//! GUID when sent (400 `FORMAT`); for Connected Domains the key's scope and a
//! present `wix-account-id` (403 `PERMISSION_DENIED`), then GUIDs in
//! `wix-account-id` and `wix-site-id` (400 `DOMAINS_GUID_NOT_VALID`). The rules
//! themselves are adapter-memory's.

use adapter_memory::Credentials;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use reseller_domain::domains::error::GuidCall;
use reseller_domain::domains::{DomainViolation, Propagation};
use reseller_domain::{AccountId, FieldViolation, Refusal, RuleType, SiteId};
use reseller_ports::{ApiKey, ConnectedDomainsPaging};
use reseller_wire::InvalidRequest;
use reseller_wire::domains::{
    CheckDomainAvailabilityResponse, ConnectedDomainResponse, CreateConnectedDomainRequest,
    ListConnectedDomainsResponse, SITE_HEADER, SetupInfoResponse, SuggestDomainsResponse,
    check_domain_from_pairs, list_query_from_pairs, suggest_request_from_pairs,
};
use reseller_wire::domains_control::{DnsModeDoc, DnsStatusDoc, TakenDomainsDoc, TldsDoc};

use crate::Emulator;
use crate::header;
use crate::header::ACCOUNT_HEADER;
use crate::reply;
use crate::wix::{percent_decode, read_json};

type Reply = Result<Response, Response>;

/// Every `name=value` pair of a query string, in order, repeated keys kept.
fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// 401 for a missing or unknown key, 403 for one without `domains.manage`.
fn key(emu: &Emulator, headers: &HeaderMap) -> Result<ApiKey, Response> {
    let key = header::api_key(headers)?;
    emu.wix()
        .authorize_domains_key(&key)
        .map_err(reply::port_error)?;
    Ok(key)
}

/// Domain Search's caller: the key and the optional header account.
fn search_caller(
    emu: &Emulator,
    headers: &HeaderMap,
) -> Result<(ApiKey, Option<AccountId>), Response> {
    let key = key(emu, headers)?;
    let account = match header::text(headers, ACCOUNT_HEADER) {
        None => None,
        Some(text) => Some(AccountId::parse(text).map_err(|_| {
            reply::invalid(InvalidRequest::one(FieldViolation::new(
                ACCOUNT_HEADER,
                RuleType::Format,
                "wix-account-id must be a GUID",
            )))
        })?),
    };
    Ok((key, account))
}

fn guid_not_valid(call: GuidCall) -> Response {
    reply::refusal(&Refusal::from(DomainViolation::GuidNotValid { call }))
}

/// Connected Domains' caller: the key, then a present `wix-account-id` (403), a
/// GUID (400 `DOMAINS_GUID_NOT_VALID`).
fn connected_caller(
    emu: &Emulator,
    headers: &HeaderMap,
    call: GuidCall,
) -> Result<(ApiKey, AccountId), Response> {
    let key = key(emu, headers)?;
    let text = header::account_text(headers, "The wix-account-id header is missing.")?;
    let account = AccountId::parse(text).map_err(|_| guid_not_valid(call))?;
    Ok((key, account))
}

pub(crate) async fn check_availability(
    State(emu): State<Emulator>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    reply::either(
        async {
            let (key, account) = search_caller(&emu, &headers)?;
            let domain =
                check_domain_from_pairs(&query_pairs(query.as_deref())).unwrap_or_default();
            let a = emu
                .wix()
                .check_availability(&key, account, &domain)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&CheckDomainAvailabilityResponse::from_domain(&a)))
        }
        .await,
    )
}

pub(crate) async fn suggest_domains(
    State(emu): State<Emulator>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    reply::either(
        async {
            let (key, account) = search_caller(&emu, &headers)?;
            let request = suggest_request_from_pairs(&query_pairs(query.as_deref()))
                .map_err(reply::invalid)?;
            let page = emu
                .wix()
                .suggest_domains(&key, account, &request)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&SuggestDomainsResponse::from_domain(&page)))
        }
        .await,
    )
}

pub(crate) async fn create_connected(
    State(emu): State<Emulator>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    reply::either(create(emu, headers, body).await)
}

async fn create(emu: Emulator, headers: HeaderMap, body: Body) -> Reply {
    let (key, account) = connected_caller(&emu, &headers, GuidCall::Create)?;
    let site = match header::text(&headers, SITE_HEADER) {
        None => None,
        Some(text) => Some(SiteId::parse(text).map_err(|_| guid_not_valid(GuidCall::Create))?),
    };
    let request: CreateConnectedDomainRequest = read_json(body).await?;
    let request = request.to_domain().map_err(reply::invalid)?;
    let cred = Credentials { key: &key, account };
    let c = emu
        .wix()
        .create_connected_domain(cred, site, &request)
        .await
        .map_err(reply::port_error)?;
    Ok(reply::ok(&ConnectedDomainResponse::from_domain(&c)))
}

pub(crate) async fn get_connected(
    State(emu): State<Emulator>,
    headers: HeaderMap,
    Path(domain): Path<String>,
) -> Response {
    reply::either(
        async {
            let (key, account) = connected_caller(&emu, &headers, GuidCall::Read)?;
            let c = emu
                .wix()
                .get_connected_domain(Credentials { key: &key, account }, &domain)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&ConnectedDomainResponse::from_domain(&c)))
        }
        .await,
    )
}

pub(crate) async fn list_connected(
    State(emu): State<Emulator>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    reply::either(
        async {
            let (key, account) = connected_caller(&emu, &headers, GuidCall::Read)?;
            let (limit, cursor) =
                list_query_from_pairs(&query_pairs(query.as_deref())).map_err(reply::invalid)?;
            let page = emu
                .wix()
                .list_connected_domains(
                    Credentials { key: &key, account },
                    &ConnectedDomainsPaging { limit, cursor },
                )
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&ListConnectedDomainsResponse::from_domain(&page)))
        }
        .await,
    )
}

pub(crate) async fn setup_info(
    State(emu): State<Emulator>,
    headers: HeaderMap,
    Path(domain): Path<String>,
) -> Response {
    reply::either(
        async {
            let (key, account) = connected_caller(&emu, &headers, GuidCall::Read)?;
            let info = emu
                .wix()
                .connected_domain_setup_info(Credentials { key: &key, account }, &domain)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&SetupInfoResponse::from_domain(&info)))
        }
        .await,
    )
}

// ----- control -----------------------------------------------------------------

pub(crate) async fn mark_taken(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: TakenDomainsDoc = read_json(body).await?;
            emu.wix()
                .mark_taken(&doc.domains)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::json(StatusCode::CREATED, &doc))
        }
        .await,
    )
}

pub(crate) async fn set_tlds(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: TldsDoc = read_json(body).await?;
            emu.wix()
                .set_tlds(&doc.tlds)
                .await
                .map_err(reply::port_error)?;
            tlds_answer(&emu).await
        }
        .await,
    )
}

pub(crate) async fn tlds(State(emu): State<Emulator>) -> Response {
    reply::either(tlds_answer(&emu).await)
}

async fn tlds_answer(emu: &Emulator) -> Reply {
    let set = emu.wix().tlds().await.map_err(reply::port_error)?;
    Ok(reply::ok(&TldsDoc {
        tlds: set.iter().map(|t| t.as_str().to_owned()).collect(),
    }))
}

pub(crate) async fn set_dns(State(emu): State<Emulator>, body: Body) -> Response {
    reply::either(
        async {
            let doc: DnsModeDoc = read_json(body).await?;
            let mode: Propagation = doc.to_domain().map_err(|why| {
                reply::invalid(InvalidRequest::one(FieldViolation::new(
                    "mode",
                    RuleType::Format,
                    why,
                )))
            })?;
            emu.wix().set_dns(mode).await.map_err(reply::port_error)?;
            Ok(reply::ok(&DnsModeDoc::from_domain(mode)))
        }
        .await,
    )
}

pub(crate) async fn set_dns_status(
    State(emu): State<Emulator>,
    Path(domain): Path<String>,
    body: Body,
) -> Response {
    reply::either(
        async {
            let doc: DnsStatusDoc = read_json(body).await?;
            let status = doc.to_domain().map_err(|why| {
                reply::invalid(InvalidRequest::one(FieldViolation::new(
                    "status",
                    RuleType::InvalidEnumValue,
                    why,
                )))
            })?;
            let c = emu
                .wix()
                .set_dns_status(&domain, status)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(
                &ConnectedDomainResponse::from_domain(&c).connected_domain,
            ))
        }
        .await,
    )
}
