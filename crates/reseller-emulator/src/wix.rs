//! The Wix surface: every endpoint of the Resellers API, Transfer Site, Create
//! Account and List Child Accounts, at Wix's paths and in Wix's JSON (the sites
//! endpoints and Get Account are in `sites`).
//!
//! Each request is checked in this order: the API key (401 `UNAUTHENTICATED`), the
//! `wix-account-id` header (missing: 403 `PERMISSION_DENIED` naming the header;
//! not a GUID: 400 field violation `FORMAT`), the path's ids and the body
//! (400 with field violations), then the in-memory Wix authorizes the key for the
//! account and scope (403, 404, 428) and applies the documented rules.

use std::collections::HashMap;
use std::convert::Infallible;

use adapter_memory::Credentials;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::Response;
use reseller_domain::{
    AccountId, ExternalId, FieldViolation, IdempotencyKey, InstanceId, PackageId, RuleType, SiteId,
};
use reseller_ports::{ApiKey, ChildAccountsPaging};
use reseller_wire::{
    AdjustRequest, CreateAccountRequest, CreateAccountResponse, CreatePackageRequest,
    GetPackageResponse, IdempotentRequest, InvalidRequest, ListChildAccountsResponse,
    PackageResponse, QueryPackagesRequest, QueryPackagesResponse, TransferSiteRequest,
    TransferSiteResponse, UpdateExternalIdResponse,
};
use serde::de::DeserializeOwned;

use crate::Emulator;
use crate::header;
use crate::reply::{self, LoggedKey};

use crate::header::ACCOUNT_HEADER;

pub(crate) type Reply = Result<Response, Response>;

/// The request's headers, moved out of the request: axum's `HeaderMap` extractor
/// clones them, an allocation and a copy per request. Nothing reads the request's
/// headers after a handler's extractors (the middleware took what it logs before
/// the handler ran), so taking them is safe.
pub(crate) struct Headers(pub(crate) HeaderMap);

impl<S: Send + Sync> FromRequestParts<S> for Headers {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Self(std::mem::take(&mut parts.headers)))
    }
}

/// The caller: its API key (known) and the account it acts on.
pub(crate) struct Caller {
    key: ApiKey,
    account: AccountId,
}

impl Caller {
    pub(crate) fn cred(&self) -> Credentials<'_> {
        Credentials {
            key: &self.key,
            account: self.account,
        }
    }
}

/// 401 for a missing or unknown key, then 403 `PERMISSION_DENIED` for a missing
/// `wix-account-id` (Wix lists the header among the causes of 403) and a 400
/// field violation (`wix-account-id`, `FORMAT`) for one that is not a GUID.
pub(crate) fn caller(emu: &Emulator, headers: &HeaderMap) -> Result<Caller, Response> {
    let key = header::api_key(headers)?;
    emu.wix().authenticate(&key).map_err(reply::port_error)?;
    let text = header::account_text(
        headers,
        "The wix-account-id header is missing: every call names the account it acts on.",
    )?;
    let account = AccountId::parse(text).map_err(|_| {
        reply::invalid(InvalidRequest::one(FieldViolation::new(
            ACCOUNT_HEADER,
            RuleType::Format,
            "the wix-account-id header must be a GUID",
        )))
    })?;
    Ok(Caller { key, account })
}

/// The body read as `T`; an empty body is `T::default()`; anything else must be a
/// JSON object (`crate::body`).
pub(crate) async fn read_json<T: DeserializeOwned + Default>(body: Body) -> Result<T, Response> {
    crate::body::read_json(body).await
}

/// A path segment that must be a GUID, or 400 `FORMAT` naming `field`.
pub(crate) fn path_guid<T>(field: &str, text: &str) -> Result<T, Response>
where
    T: std::str::FromStr,
{
    text.parse::<T>().map_err(|_| {
        reply::invalid(InvalidRequest::one(FieldViolation::new(
            field,
            RuleType::Format,
            format!("{field} must be a GUID, got {text:?}"),
        )))
    })
}

pub(crate) fn path_rejection(e: PathRejection) -> Response {
    reply::unreadable_body(format_args!("the path cannot be read: {e}"))
}

fn with_key(mut response: Response, key: Option<&IdempotencyKey>) -> Response {
    if let Some(k) = key {
        response
            .extensions_mut()
            .insert(LoggedKey(k.as_str().to_owned()));
    }
    response
}

fn package_answer(
    result: Result<reseller_domain::Package, reseller_ports::PortError>,
    key: Option<&IdempotencyKey>,
) -> Reply {
    let package = result.map_err(|e| with_key(reply::port_error(e), key))?;
    Ok(with_key(
        reply::ok(&PackageResponse::from_domain(&package, key)),
        key,
    ))
}

pub(crate) async fn create_v2(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    body: Body,
) -> Response {
    reply::either(create(emu, headers, body).await)
}

async fn create(emu: Emulator, headers: HeaderMap, body: Body) -> Reply {
    let who = caller(&emu, &headers)?;
    let request: CreatePackageRequest = read_json(body).await?;
    let key = request.idempotency_key().map_err(reply::invalid)?;
    let command = request.try_into_domain().map_err(reply::invalid)?;
    let result = emu
        .wix()
        .create_package(who.cred(), key.as_ref(), &command)
        .await;
    package_answer(result, key.as_ref())
}

pub(crate) async fn get_package(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let Path(id) = id.map_err(path_rejection)?;
            let id: PackageId = path_guid("id", &id)?;
            let package = emu
                .wix()
                .get_package(who.cred(), id)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&GetPackageResponse::from_domain(&package)))
        }
        .await,
    )
}

pub(crate) async fn query_packages(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    body: Body,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let request: QueryPackagesRequest = read_json(body).await?;
            let query = request.try_into_domain().map_err(reply::bad_query)?;
            let page = emu
                .wix()
                .query_packages(who.cred(), &query)
                .await
                .map_err(reply::port_error)?;
            let page = reseller_domain::query::QueryPage {
                packages: page.packages.iter().collect(),
                next_cursor: page.next_cursor,
                prev_cursor: page.prev_cursor,
                total: page.total,
                offset: page.offset,
            };
            Ok(reply::ok(&QueryPackagesResponse::from_page(&page)))
        }
        .await,
    )
}

/// The idempotency key of a keyed call without other members: the body's
/// `idempotencyKey`, else (for the two DELETE methods) `?idempotencyKey=`.
async fn idempotency_key(
    body: Body,
    query: Option<&str>,
) -> Result<Option<IdempotencyKey>, Response> {
    let request: IdempotentRequest = read_json(body).await?;
    if let Some(key) = request.idempotency_key().map_err(reply::invalid)? {
        return Ok(Some(key));
    }
    let params = query_params(query);
    match params
        .get("idempotencyKey")
        .or_else(|| params.get("idempotency_key"))
    {
        Some(text) => IdempotentRequest {
            idempotency_key: Some(text.clone()),
        }
        .idempotency_key()
        .map_err(reply::invalid),
        None => Ok(None),
    }
}

/// The query string's parameters (the last value of a repeated name wins).
pub(crate) fn query_params(query: Option<&str>) -> HashMap<String, String> {
    let Some(query) = query else {
        return HashMap::new();
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) async fn cancel_package(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    id: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    body: Body,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let Path(id) = id.map_err(path_rejection)?;
            let id: PackageId = path_guid("id", &id)?;
            let key = idempotency_key(body, query.as_deref()).await?;
            let result = emu.wix().cancel_package(who.cred(), key.as_ref(), id).await;
            package_answer(result, key.as_ref())
        }
        .await,
    )
}

pub(crate) async fn assign(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    ids: Result<Path<(String, String)>, PathRejection>,
    body: Body,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let Path((instance, site)) = ids.map_err(path_rejection)?;
            let instance: InstanceId = path_guid("instanceId", &instance)?;
            let site: SiteId = path_guid("siteId", &site)?;
            let key = idempotency_key(body, None).await?;
            let result = emu
                .wix()
                .assign_instance(who.cred(), key.as_ref(), instance, site)
                .await;
            package_answer(result, key.as_ref())
        }
        .await,
    )
}

pub(crate) async fn unassign(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    instance: Result<Path<String>, PathRejection>,
    body: Body,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let Path(instance) = instance.map_err(path_rejection)?;
            let instance: InstanceId = path_guid("instanceId", &instance)?;
            let key = idempotency_key(body, None).await?;
            let result = emu
                .wix()
                .unassign_instance(who.cred(), key.as_ref(), instance)
                .await;
            package_answer(result, key.as_ref())
        }
        .await,
    )
}

pub(crate) async fn cancel_instance(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    instance: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    body: Body,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let Path(instance) = instance.map_err(path_rejection)?;
            let instance: InstanceId = path_guid("instanceId", &instance)?;
            let key = idempotency_key(body, query.as_deref()).await?;
            let result = emu
                .wix()
                .cancel_instance(who.cred(), key.as_ref(), instance)
                .await;
            package_answer(result, key.as_ref())
        }
        .await,
    )
}

pub(crate) async fn adjust(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    instance: Result<Path<String>, PathRejection>,
    body: Body,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let Path(instance) = instance.map_err(path_rejection)?;
            let instance: InstanceId = path_guid("instanceId", &instance)?;
            let request: AdjustRequest = read_json(body).await?;
            let key = request.idempotency_key().map_err(reply::invalid)?;
            let command = request.try_into_domain().map_err(reply::invalid)?;
            let result = emu
                .wix()
                .adjust_instance(who.cred(), key.as_ref(), instance, &command)
                .await;
            package_answer(result, key.as_ref())
        }
        .await,
    )
}

pub(crate) async fn update_external_id(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    ids: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let Path((id, external_id)) = ids.map_err(path_rejection)?;
            let id: PackageId = path_guid("packageId", &id)?;
            let external_id = ExternalId::new(external_id).map_err(|e| {
                reply::invalid(InvalidRequest::one(FieldViolation::new(
                    "externalId",
                    RuleType::MaxLength,
                    e.to_string(),
                )))
            })?;
            let package = emu
                .wix()
                .update_external_id(who.cred(), None, id, &external_id)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&UpdateExternalIdResponse::from_domain(&package)))
        }
        .await,
    )
}

pub(crate) async fn transfer_site(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    body: Body,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let request: TransferSiteRequest = read_json(body).await?;
            let transfer = request.try_into_domain().map_err(reply::invalid)?;
            let done = emu
                .wix()
                .transfer_site(who.cred(), None, &transfer)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&TransferSiteResponse::from_domain(&done)))
        }
        .await,
    )
}

pub(crate) async fn create_account(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    body: Body,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let request: CreateAccountRequest = read_json(body).await?;
            let command = request.try_into_domain().map_err(reply::invalid)?;
            let id = emu
                .wix()
                .create_sub_account(who.cred(), None, &command)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&CreateAccountResponse::from_domain(id)))
        }
        .await,
    )
}

/// `paging.limit` / `paging.offset` of List Child Accounts.
fn paging_param(
    params: &HashMap<String, String>,
    name: &str,
    violations: &mut Vec<FieldViolation>,
) -> Option<u32> {
    let text = params.get(name)?;
    match text.trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            violations.push(FieldViolation::new(
                name,
                RuleType::Format,
                format!("{name} must be a non-negative integer, got {text:?}"),
            ));
            None
        }
    }
}

pub(crate) async fn child_accounts(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    RawQuery(query): RawQuery,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let params = query_params(query.as_deref());
            let mut violations = Vec::new();
            let paging = ChildAccountsPaging {
                limit: paging_param(&params, "paging.limit", &mut violations),
                offset: paging_param(&params, "paging.offset", &mut violations),
            };
            if let Some(e) = InvalidRequest::from_vec(violations) {
                return Err(reply::invalid(e));
            }
            let page = emu
                .wix()
                .list_child_accounts(who.cred(), paging)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&ListChildAccountsResponse::from_domain(&page)))
        }
        .await,
    )
}
