//! The sites endpoints of the Wix surface and Get Account: Query Sites
//! (`POST /site-list/v2/sites/query`), Count Sites (`POST
//! /site-list/v2/sites/count`) and Get Account (`GET
//! /accounts/v1/accounts/{accountId}`), read with reseller-wire's DTOs and
//! answered by the in-memory Wix.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use reseller_domain::AccountId;
use reseller_ports::SiteInfo;
use reseller_wire::{
    CountSitesRequest, CountSitesResponse, GetAccountResponse, QuerySitesRequest,
    QuerySitesResponse, Site,
};

use crate::Emulator;
use crate::reply;
use crate::wix::{Headers, caller, path_guid, path_rejection, read_json};

/// A site of Query Sites, as Wix's Site object.
fn site_object(info: &SiteInfo) -> Site {
    Site {
        id: Some(info.id.to_string()),
        html_app_id: info.html_app_id.clone(),
        name: Some(info.name.clone()),
        display_name: Some(info.display_name.clone()),
        owner_account_id: Some(info.owner_account_id.to_string()),
        contributor_account_ids: Some(info.contributor_account_ids.clone()),
        premium: Some(info.premium),
        published: Some(info.published),
        created_date: Some(info.created.to_rfc3339()),
        updated_date: Some(info.updated.to_rfc3339()),
        trashed_date: info.trashed.map(|t| t.to_rfc3339()),
        view_url: Some(info.view_url.clone()),
        edit_url: Some(info.edit_url.clone()),
        thumbnail: Some(info.thumbnail.clone()),
        editor_type: Some(info.editor_type.clone()),
        blocked: Some(info.blocked),
        folder_id: info.folder_id.clone(),
        namespace: Some(info.namespace.clone()),
        domain_connected: Some(info.domain_connected),
        parent_child_role: None,
    }
}

pub(crate) async fn query_sites(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    body: Body,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let request: QuerySitesRequest = read_json(body).await?;
            let query = request.try_into_domain().map_err(reply::bad_query)?;
            let page = emu
                .wix()
                .query_sites(who.cred(), &query)
                .await
                .map_err(reply::port_error)?;
            let sites = page.sites.iter().map(site_object).collect();
            Ok(reply::ok(&QuerySitesResponse::page(
                sites,
                query.page_size(),
                page.next_cursor,
            )))
        }
        .await,
    )
}

pub(crate) async fn count_sites(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    body: Body,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let request: CountSitesRequest = read_json(body).await?;
            let count = request.try_into_domain().map_err(reply::bad_query)?;
            let n = emu
                .wix()
                .count_sites(who.cred(), &count)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&CountSitesResponse { count: n }))
        }
        .await,
    )
}

pub(crate) async fn get_account(
    State(emu): State<Emulator>,
    Headers(headers): Headers,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    reply::either(
        async {
            let who = caller(&emu, &headers)?;
            let Path(id) = id.map_err(path_rejection)?;
            let id: AccountId = path_guid("accountId", &id)?;
            let info = emu
                .wix()
                .get_account(who.cred(), id)
                .await
                .map_err(reply::port_error)?;
            Ok(reply::ok(&GetAccountResponse::from_domain(&info)))
        }
        .await,
    )
}
