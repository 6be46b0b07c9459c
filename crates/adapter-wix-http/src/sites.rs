//! Query Sites between the port and the wire: the request body for a
//! [`SitesQuery`], and the conversion of Wix's `Site` into the port's [`SiteInfo`]
//! (reseller-wire has the DTOs; which members a reseller needs is the port's call).

use reseller_ports::{SiteInfo, SitesQuery};
use reseller_wire::error::{ConversionError, Problem};
use reseller_wire::query::{CursorPaging, Query};
use reseller_wire::{QuerySitesRequest, QuerySitesResponse, Site};

/// The body of Query Sites: `{"query": {"filter": {"id": {"$in": [...]}},
/// "cursorPaging": {"limit", "cursor"}}}`, each member only when set. With a cursor
/// the filter is left out: the cursor carries it.
pub(crate) fn request(query: &SitesQuery) -> QuerySitesRequest {
    let filter = match (&query.ids, &query.cursor) {
        (Some(ids), None) => {
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            Some(serde_json::json!({"id": {"$in": ids}}))
        }
        _ => None,
    };
    let cursor_paging = (query.limit.is_some() || query.cursor.is_some()).then(|| CursorPaging {
        limit: query.limit.map(i64::from),
        cursor: query.cursor.clone(),
    });
    QuerySitesRequest {
        query: Some(Query {
            filter,
            cursor_paging,
            ..Query::default()
        }),
    }
}

/// Every site of an answer (error paths start at `sites[i]`).
pub(crate) fn infos(page: &QuerySitesResponse) -> Result<Vec<SiteInfo>, ConversionError> {
    page.sites
        .iter()
        .enumerate()
        .map(|(i, site)| info_at(site, &format!("sites[{i}]")))
        .collect()
}

/// One site: `id`, `ownerAccountId` and `createdDate` are required; an absent
/// `updatedDate` reads as the creation date, an absent `name` as empty, an absent
/// `displayName` as the name, an absent `premium` as `false`.
pub(crate) fn info_at(site: &Site, path: &str) -> Result<SiteInfo, ConversionError> {
    let keys = site.keys_at(path)?;
    let created = keys
        .created
        .ok_or_else(|| ConversionError::new(format!("{path}.createdDate"), Problem::Missing))?;
    let name = site.name.clone().unwrap_or_default();
    Ok(SiteInfo {
        id: keys.id,
        display_name: site.display_name.clone().unwrap_or_else(|| name.clone()),
        name,
        owner_account_id: keys.owner,
        premium: site.premium.unwrap_or(false),
        created,
        updated: keys.updated.unwrap_or(created),
    })
}

#[cfg(test)]
mod tests;
