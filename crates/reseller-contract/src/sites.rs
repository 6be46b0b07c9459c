//! Query Sites (spec `wix-accounts-and-sites.md` section 4): the header account's
//! sites only, narrowed by ids, with cursor paging.

use std::collections::BTreeSet;

use reseller_domain::query::Paging;
use reseller_domain::{ErrorCode, SiteId};
use reseller_ports::{Seed, SitesQuery};

use crate::expect::{ok, refused};
use crate::fixture::*;

/// Query Sites lists the sites the header account owns, with their owner and
/// name; a main key acting on a sub-account sees the sub-account's sites.
pub async fn query_sites_lists_the_header_accounts_sites(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    for (account, expected) in [
        (
            MAIN,
            vec![
                (MAIN_SITE, "main-site"),
                (MAIN_SPARE, "main-spare"),
                (MAIN_PAID, "main-paid"),
            ],
        ),
        (
            SUB1,
            vec![
                (SUB1_SITE, "sub1-site"),
                (SUB1_SPARE, "sub1-spare"),
                (SUB1_THIRD, "sub1-third"),
            ],
        ),
        (SUB2, vec![(SUB2_SITE, "sub2-site")]),
    ] {
        let sites = fx.sites_of(&*fx.main, account).await;
        let got: BTreeSet<(SiteId, &str)> = sites.iter().map(|s| (s.id, s.name.as_str())).collect();
        let want: BTreeSet<(SiteId, &str)> = expected.into_iter().collect();
        assert_eq!(got, want, "the sites of {account}");
        for s in &sites {
            assert_eq!(s.owner_account_id, account, "ownerAccountId of {}", s.id);
            assert!(!s.premium, "{} holds no Premium plan", s.id);
        }
    }
    let own = fx.sites_of(&*fx.sub1, SUB1).await;
    assert_eq!(own.len(), 3, "SUB1's own key sees its sites");
}

/// Query Sites narrowed to some ids answers only those of the header account.
pub async fn query_sites_by_ids_answers_only_the_header_accounts(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let query = SitesQuery::ids(&[MAIN_SITE, SUB1_SITE, UNKNOWN_SITE]);
    let page = ok(
        "Query Sites by ids",
        fx.main.query_sites(&on(MAIN), &query).await,
    );
    let got: Vec<SiteId> = page.sites.iter().map(|s| s.id).collect();
    assert_eq!(got, [MAIN_SITE]);
}

/// Query Sites pages with cursors: each site once; a made-up cursor is 400
/// `INVALID_CURSOR`; a limit over 100 is a 400 field violation (`MAX`).
pub async fn query_sites_pages_with_cursors(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let mut seen = Vec::new();
    let mut query = SitesQuery::new(None, Vec::new(), vec![limit(Some(1))]).unwrap();
    for _ in 0..10 {
        let page = ok(
            "Query Sites, one per page",
            fx.main.query_sites(&on(MAIN), &query).await,
        );
        assert!(page.sites.len() <= 1, "limit 1: {page:?}");
        seen.extend(page.sites.iter().map(|s| s.id));
        match page.next_cursor {
            Some(next) => {
                query = SitesQuery::next_page(next, Some(1));
            }
            None => break,
        }
    }
    seen.sort();
    let mut want = vec![MAIN_SITE, MAIN_SPARE, MAIN_PAID];
    want.sort();
    assert_eq!(seen, want, "every site exactly once");
    for bad in ["not-a-cursor", "%%%"] {
        refused(
            &format!("Query Sites with cursor {bad:?}"),
            fx.main
                .query_sites(&on(MAIN), &SitesQuery::next_page(bad, None))
                .await,
            ErrorCode::InvalidCursor,
        );
    }
    assert!(
        SitesQuery::new(None, Vec::new(), vec![limit(Some(101))]).is_err(),
        "a limit over 100 is refused before it is sent"
    );
}

/// `cursorPaging` with a limit.
pub(crate) fn limit(limit: Option<u32>) -> Paging {
    Paging::Cursor {
        limit,
        cursor: None,
    }
}
