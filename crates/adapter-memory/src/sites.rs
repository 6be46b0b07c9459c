//! Query Sites and Count Sites over the in-memory world: a page walks the header
//! account's sites in the answer's order through the order indexes, from the
//! cursor's site on, testing each against the domain's filter until the page is
//! full; so a page costs what it skips and answers, not the account's size. The
//! answer equals the domain's reference execution (property test below).

use reseller_domain::ops::account_slug;
use reseller_domain::query::CursorKey;
use reseller_domain::sites::{self, SiteCount, SiteQuery, SiteRow};
use reseller_domain::world::{Site, WorldView};
use reseller_domain::{AccountId, Violation};
use reseller_ports::{PortError, SiteInfo, SitesPage};

use crate::state::State;

pub use reseller_domain::sites::{SITES_DEFAULT_LIMIT, SITES_MAX_LIMIT, SITES_REACHABLE};

/// The slug of a site owner's account (the host of `viewUrl`).
pub(crate) fn owner_slug(st: &State, owner: AccountId) -> String {
    st.account(owner).map(account_slug).unwrap_or_default()
}

/// The site as Query Sites describes it; `slug` is its owner's account slug.
pub(crate) fn info(row: &SiteRow<'_>, slug: &str) -> SiteInfo {
    let site = row.site;
    SiteInfo {
        id: site.id,
        name: site.name.clone(),
        display_name: site.display_name().to_owned(),
        owner_account_id: site.owner,
        contributor_account_ids: vec![site.owner.to_string()],
        premium: row.premium,
        published: site.details.published,
        namespace: site.details.namespace.as_str().to_owned(),
        editor_type: site.details.editor_type.as_str().to_owned(),
        folder_id: site.details.folder_id.map(|f| f.hyphenated().to_string()),
        domain_connected: row.domain_connected(),
        blocked: false,
        view_url: sites::view_url(site, slug),
        edit_url: sites::edit_url(site),
        thumbnail: sites::thumbnail(site),
        html_app_id: Some(sites::html_app_id(site).hyphenated().to_string()),
        created: site.created,
        updated: site.updated,
        trashed: site.details.trashed,
    }
}

/// One page of `account`'s sites, through the order indexes.
pub(crate) fn page<'s>(
    st: &'s State,
    account: AccountId,
    q: &SiteQuery,
    key: &CursorKey,
) -> Result<(Vec<SiteRow<'s>>, Option<String>), Violation> {
    let plan = q.plan(key, account).map_err(Violation::from)?;
    let take = plan.take();
    let mut rows: Vec<SiteRow<'s>> = Vec::with_capacity(take.min(128));
    let mut more = false;
    for id in st.site_order.walk(account, plan.sort, plan.after.as_ref()) {
        let Some(site) = st.sites.get(&id) else {
            continue;
        };
        let row = SiteRow::of(st, site);
        if !plan.matcher.matches(&row) {
            continue;
        }
        if rows.len() == take {
            more = true;
            break;
        }
        rows.push(row);
    }
    let page: Vec<&Site> = rows.iter().map(|r| r.site).collect();
    let next = plan.next_cursor(&page, more, key);
    Ok((rows, next))
}

/// Query Sites of `account`.
pub(crate) fn query(st: &State, account: AccountId, q: &SiteQuery) -> Result<SitesPage, PortError> {
    let (rows, next_cursor) = page(st, account, q, &st.cursor_key)?;
    let slug = owner_slug(st, account);
    Ok(SitesPage {
        sites: rows.iter().map(|r| info(r, &slug)).collect(),
        next_cursor,
    })
}

/// Count Sites of `account`.
pub(crate) fn count(st: &State, account: AccountId, c: &SiteCount) -> u64 {
    sites::count_sites(st, account, c)
}

#[cfg(test)]
mod tests;
