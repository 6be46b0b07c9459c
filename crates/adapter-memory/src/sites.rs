//! Query Sites over the in-memory world: the header account's sites in id order,
//! cursor paging with sealed cursors that carry the query, Wix's limits.

use reseller_domain::query::QueryError;
use reseller_domain::world::{Site, WorldView};
use reseller_domain::{AccountId, RuleType, SiteId, StatusName, Violation};
use reseller_ports::{PortError, SiteInfo, SitesPage, SitesQuery};
use uuid::Uuid;

use crate::state::State;

/// The product type whose `ENABLED` instance on a site makes the site `premium`.
pub const PREMIUM_PLAN_TYPE: &str = "PREMIUM_PLAN";

/// Default page size of Query Sites.
pub const SITES_DEFAULT_LIMIT: u32 = 50;

/// Largest page size of Query Sites.
pub const SITES_MAX_LIMIT: u32 = 100;

/// How many of an account's sites Query Sites can reach (Wix's documented limit).
pub const SITES_REACHABLE: usize = 1000;

/// Most ids an `id` filter may list.
pub const SITES_MAX_IDS: usize = 100;

/// The site as Query Sites describes it.
pub(crate) fn info(st: &State, site: &Site) -> SiteInfo {
    SiteInfo {
        id: site.id,
        name: site.name.clone(),
        display_name: site.name.clone(),
        owner_account_id: site.owner,
        premium: is_premium(st, site.id),
        created: site.created,
        updated: site.updated,
    }
}

/// Whether the site holds an `ENABLED` instance of a Premium plan.
pub(crate) fn is_premium(st: &State, site: SiteId) -> bool {
    st.instances_on_site(site).into_iter().any(|i| {
        i.status().name() == StatusName::Enabled
            && st
                .product(i.catalog_product_id())
                .is_some_and(|p| p.product_type.as_str() == PREMIUM_PLAN_TYPE)
    })
}

fn invalid_cursor(reason: &str) -> PortError {
    PortError::from(Violation::from(QueryError::InvalidCursor(
        reason.to_owned(),
    )))
}

fn uuid_at(bytes: &[u8], i: usize) -> Option<Uuid> {
    let start = i.checked_mul(16)?;
    let chunk = bytes.get(start..start.checked_add(16)?)?;
    Uuid::from_slice(chunk).ok()
}

/// One page of the account's sites.
pub(crate) fn query(
    st: &State,
    account: AccountId,
    q: &SitesQuery,
) -> Result<SitesPage, PortError> {
    let limit = match q.limit {
        None | Some(0) => SITES_DEFAULT_LIMIT,
        Some(n) if n > SITES_MAX_LIMIT => {
            return Err(Violation::field(
                "query.cursorPaging.limit",
                RuleType::Max,
                format!("at most {SITES_MAX_LIMIT}, got {n}"),
            )
            .into());
        }
        Some(n) => n,
    };
    if q.ids.as_ref().is_some_and(|ids| ids.len() > SITES_MAX_IDS) {
        return Err(Violation::field(
            "query.filter.id.$in",
            RuleType::MaxSize,
            format!("at most {SITES_MAX_IDS} ids"),
        )
        .into());
    }
    // What the walk continues from: (after this id, only these ids).
    let (after, ids): (Option<SiteId>, Option<Vec<SiteId>>) = match &q.cursor {
        None => (None, q.ids.clone()),
        Some(_) if q.ids.is_some() => {
            return Err(invalid_cursor(
                "a request with cursorPaging.cursor cannot also carry a filter",
            ));
        }
        Some(text) => {
            let payload = st
                .cursor_key
                .open(text)
                .map_err(|e| PortError::from(Violation::from(e)))?;
            // account, last id, flag, then the listed ids.
            let owner = uuid_at(&payload, 0).map(AccountId::from_uuid);
            let last = uuid_at(&payload, 1).map(SiteId::from_uuid);
            let (Some(owner), Some(last)) = (owner, last) else {
                return Err(invalid_cursor("malformed cursor"));
            };
            if owner != account {
                return Err(invalid_cursor(
                    "the cursor belongs to another account's query",
                ));
            }
            let rest = payload.get(32..).unwrap_or_default();
            let ids = match rest.split_first() {
                Some((0, [])) => None,
                Some((1, list)) if list.len() % 16 == 0 => Some(
                    list.chunks(16)
                        .filter_map(|c| Uuid::from_slice(c).ok())
                        .map(SiteId::from_uuid)
                        .collect(),
                ),
                _ => return Err(invalid_cursor("malformed cursor")),
            };
            (Some(last), ids)
        }
    };
    let limit_usize = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut page: Vec<&Site> = st
        .site_ids_of(account)
        .into_iter()
        .flatten()
        .take(SITES_REACHABLE)
        .filter(|id| after.is_none_or(|a| **id > a))
        .filter(|id| ids.as_ref().is_none_or(|list| list.contains(id)))
        .filter_map(|id| st.sites.get(id))
        .take(limit_usize.saturating_add(1))
        .collect();
    let more = page.len() > limit_usize;
    page.truncate(limit_usize);
    let next_cursor = match (more, page.last()) {
        (true, Some(last)) => {
            let mut payload = Vec::with_capacity(33);
            payload.extend_from_slice(account.as_uuid().as_bytes());
            payload.extend_from_slice(last.id.as_uuid().as_bytes());
            match &ids {
                None => payload.push(0),
                Some(list) => {
                    payload.push(1);
                    for id in list {
                        payload.extend_from_slice(id.as_uuid().as_bytes());
                    }
                }
            }
            Some(st.cursor_key.seal(&payload))
        }
        _ => None,
    };
    Ok(SitesPage {
        sites: page.into_iter().map(|s| info(st, s)).collect(),
        next_cursor,
    })
}
