//! Query Sites between the port and the wire: the request body for a
//! [`SitesQuery`], and the conversion of Wix's `Site` into the port's [`SiteInfo`]
//! (reseller-wire has the DTOs; which members a reseller needs is the port's call).

use reseller_domain::Timestamp;
use reseller_ports::{SiteInfo, SitesQuery};
use reseller_wire::error::{ConversionError, Problem};
use reseller_wire::{QuerySitesRequest, QuerySitesResponse, Site};

/// The body of Query Sites: the query's filter, sort and `cursorPaging`, each
/// only when set (with a cursor, the query holds neither filter nor sort: the
/// cursor carries them).
pub(crate) fn request(query: &SitesQuery) -> QuerySitesRequest {
    QuerySitesRequest::from_domain(query)
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
/// `displayName` as the name, absent flags as `false`, absent texts as empty,
/// absent enums as `UNKNOWN`.
pub(crate) fn info_at(site: &Site, path: &str) -> Result<SiteInfo, ConversionError> {
    let keys = site.keys_at(path)?;
    let created = keys
        .created
        .ok_or_else(|| ConversionError::new(format!("{path}.createdDate"), Problem::Missing))?;
    let trashed = match &site.trashed_date {
        None => None,
        Some(t) => Some(
            Timestamp::parse_rfc3339(t)
                .map_err(|e| ConversionError::new(format!("{path}.trashedDate"), e))?,
        ),
    };
    let name = site.name.clone().unwrap_or_default();
    Ok(SiteInfo {
        id: keys.id,
        display_name: site.display_name.clone().unwrap_or_else(|| name.clone()),
        name,
        owner_account_id: keys.owner,
        contributor_account_ids: site.contributor_account_ids.clone().unwrap_or_default(),
        premium: site.premium.unwrap_or(false),
        published: site.published.unwrap_or(false),
        namespace: site
            .namespace
            .clone()
            .unwrap_or_else(|| "UNKNOWN_NAMESPACE".to_owned()),
        editor_type: site
            .editor_type
            .clone()
            .unwrap_or_else(|| "UNKNOWN".to_owned()),
        folder_id: site.folder_id.clone().filter(|f| !f.is_empty()),
        domain_connected: site.domain_connected.unwrap_or(false),
        blocked: site.blocked.unwrap_or(false),
        view_url: site.view_url.clone().unwrap_or_default(),
        edit_url: site.edit_url.clone().unwrap_or_default(),
        thumbnail: site.thumbnail.clone().unwrap_or_default(),
        html_app_id: site.html_app_id.clone(),
        created,
        updated: keys.updated.unwrap_or(created),
        trashed,
    })
}

#[cfg(test)]
mod tests;
