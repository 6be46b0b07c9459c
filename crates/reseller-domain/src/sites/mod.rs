//! Query Sites and Count Sites (`wix-accounts-and-sites.md` 4, 4.1-4.3; the Query
//! Sites rows of `spec/emulator.md`): the settable facts of a site ([`SiteDetails`]),
//! the facts derived from the world ([`SiteRow`]: `premium`, `domainConnected`), the
//! filter of Wix's table ([`SiteFilter`]), the sort ([`SiteSort`]), sealed cursors,
//! and the reference execution ([`query_sites`], [`count_sites`]).
//!
//! Choices where Wix documents nothing: a field outside the table is ignored; an
//! operator a field does not take, offset paging, a second sort entry or a sort on
//! another field is `INVALID_QUERY`; a limit above 100 is a `MAX` field violation;
//! without a `namespace` condition only `WIX` sites, without a `state` condition
//! only `ACTIVE` ones are answered; GUIDs (`id`, `folderId`) compare without regard
//! to case, `name` exactly, enum values without regard to case.

mod cursor;
mod filter;
mod kinds;
mod order;
mod query;
mod row;

#[cfg(test)]
mod tests;

pub use filter::{
    Endpoint, MAX_SITE_FILTER_NESTING, Operand, SiteCondition, SiteField, SiteFilter, SiteOp,
    is_known_value,
};
pub use kinds::{EditorType, Namespace, SiteDetails, SiteState};
pub use order::{SiteSort, SiteSortField, SortKey};
pub use query::{
    SITES_DEFAULT_LIMIT, SITES_MAX_LIMIT, SITES_REACHABLE, SiteCount, SiteMatcher, SitePlan,
    SiteQuery, SitesAnswer, count_sites, query_sites,
};
pub use row::{PREMIUM_PLAN, SiteRow, edit_url, html_app_id, is_premium, thumbnail, view_url};
