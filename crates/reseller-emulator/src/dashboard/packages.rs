//! The Packages view's reads: `GET /_emulator/ui/api/packages?search=&cursor=&limit=`
//! (every account's packages, newest first, one page at a time through Query
//! Packages' own query language and cursors, so a page costs the same at a
//! thousand packages and at a hundred thousand) and `GET
//! /_emulator/ui/api/packages/{id}` (one package as Get Package answers it).
//!
//! A search finds a package by its id, its account, an instance id or a site id
//! (any GUID), or by its external id or a site's name (any other text).

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use reseller_domain::{AccountId, Package, PackageId, SiteId, StatusName};
use reseller_wire::GetPackageResponse;
use reseller_wire::query::QueryPackagesRequest;
use serde_json::{Value, json};

use super::count_param;
use crate::wix::query_params;
use crate::{Emulator, reply};

/// Packages on one page, by default and at most (Query Packages' own maximum).
const PAGE: usize = 25;
const MAX_PAGE: usize = 100;

/// The Wix filter of a search: `None` for an empty one.
fn search_filter(emu: &Emulator, search: &str) -> Option<Value> {
    let term = search.trim();
    if term.is_empty() {
        return None;
    }
    if SiteId::parse(term).is_ok() {
        let term = term.to_ascii_lowercase();
        return Some(json!({"$or": [
            {"id": term},
            {"accountId": term},
            {"productInstances.instanceId": {"$hasSome": [term]}},
            {"productInstances.siteId": {"$hasSome": [term]}},
        ]}));
    }
    let sites: Vec<String> = emu
        .wix()
        .sites(None)
        .into_iter()
        .filter(|s| s.name.eq_ignore_ascii_case(term))
        .map(|s| s.id.to_string())
        .collect();
    let mut any = vec![json!({"externalId": term})];
    if !sites.is_empty() {
        any.push(json!({"productInstances.siteId": {"$hasSome": sites}}));
    }
    Some(json!({"$or": any}))
}

/// The names of the accounts, sites and products `packages` mention, for the view.
async fn names(emu: &Emulator, packages: &[Package]) -> Value {
    let accounts: BTreeSet<AccountId> = packages.iter().map(Package::account_id).collect();
    let account_names: BTreeMap<String, String> = emu
        .wix()
        .accounts()
        .into_iter()
        .filter(|a| accounts.contains(&a.id))
        .map(|a| (a.id.to_string(), a.name))
        .collect();
    let sites: BTreeSet<SiteId> = packages
        .iter()
        .flat_map(|p| p.instances().iter().filter_map(|i| i.site()))
        .collect();
    let mut site_names = serde_json::Map::new();
    for site in sites {
        if let Some(info) = emu.wix().site_info(site).await {
            site_names.insert(site.to_string(), json!(info.name));
        }
    }
    let products: BTreeSet<String> = packages
        .iter()
        .flat_map(|p| {
            p.instances()
                .iter()
                .map(|i| i.catalog_product_id().to_string())
        })
        .collect();
    let product_names: BTreeMap<String, String> = emu
        .wix()
        .catalog()
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .filter(|(id, _)| products.contains(id))
        .collect();
    json!({
        "accountNames": account_names,
        "siteNames": site_names,
        "productNames": product_names,
    })
}

/// `answer` with the names of `names` beside it.
fn with_names(mut answer: Value, names: Value) -> Value {
    if let (Some(out), Value::Object(names)) = (answer.as_object_mut(), names) {
        out.extend(names);
    }
    answer
}

/// One page of packages, newest first.
pub(super) async fn page(State(emu): State<Emulator>, RawQuery(query): RawQuery) -> Response {
    reply::either(
        async {
            let params = query_params(query.as_deref());
            let limit = count_param(&params, "limit", PAGE, MAX_PAGE)?.max(1);
            let cursor = params.get("cursor").filter(|c| !c.is_empty());
            let search = params.get("search").map(String::as_str).unwrap_or_default();
            let body = match cursor {
                Some(cursor) => json!({"query": {"cursorPaging": {"limit": limit, "cursor": cursor}}}),
                None => {
                    let mut q = json!({
                        "sort": [{"fieldName": "createdDate", "order": "DESC"}],
                        "cursorPaging": {"limit": limit},
                    });
                    if let (Some(filter), Some(object)) =
                        (search_filter(&emu, search), q.as_object_mut())
                    {
                        object.insert("filter".to_owned(), filter);
                    }
                    json!({ "query": q })
                }
            };
            let request: QueryPackagesRequest =
                serde_json::from_value(body).map_err(reply::unreadable_body)?;
            let query = request.try_into_domain().map_err(reply::bad_query)?;
            let found = emu
                .wix()
                .query_every_package(&query)
                .await
                .map_err(reply::port_error)?;
            let names = names(&emu, &found.packages).await;
            Ok(reply::ok(&with_names(
                json!({
                    "packages": found.packages.iter().map(reseller_wire::Package::from_domain).collect::<Vec<_>>(),
                    "nextCursor": found.next_cursor,
                    "prevCursor": found.prev_cursor,
                    "total": emu.wix().package_count(),
                }),
                names,
            )))
        }
        .await,
    )
}

/// One package: Get Package's answer, with the names of its account and sites.
pub(super) async fn detail(State(emu): State<Emulator>, Path(id): Path<String>) -> Response {
    reply::either(
        async {
            let not_found = || {
                reply::application(
                    StatusCode::NOT_FOUND,
                    "PACKAGE_NOT_FOUND",
                    format!("No package has the id {id:?}."),
                )
            };
            let id = PackageId::parse(&id).map_err(|_| not_found())?;
            // Through the query, so that due provisioning runs first, as on any read.
            let request: QueryPackagesRequest =
                serde_json::from_value(json!({"query": {"filter": {"id": id.to_string()}}}))
                    .map_err(reply::unreadable_body)?;
            let query = request.try_into_domain().map_err(reply::bad_query)?;
            let found = emu
                .wix()
                .query_every_package(&query)
                .await
                .map_err(reply::port_error)?;
            let package = found.packages.into_iter().next().ok_or_else(not_found)?;
            let names = names(&emu, std::slice::from_ref(&package)).await;
            // The moves Wix's provisioning may make from each instance's status.
            let moves: serde_json::Map<String, Value> = package
                .instances()
                .iter()
                .map(|i| {
                    let from = i.status().name();
                    let to: Vec<&str> = StatusName::ALL
                        .into_iter()
                        .filter(|to| *to != from && from.can_move_to(*to))
                        .map(StatusName::as_str)
                        .collect();
                    (i.id().to_string(), json!(to))
                })
                .collect();
            Ok(reply::ok(&with_names(
                json!({ "answer": GetPackageResponse::from_domain(&package), "moves": moves }),
                names,
            )))
        }
        .await,
    )
}
