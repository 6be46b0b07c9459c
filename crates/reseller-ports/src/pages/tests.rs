//! Which request follows which page, for each paged operation.

#![allow(clippy::unwrap_used)]

use reseller_domain::query::Filter;

use super::*;
use crate::test_values::a_package;

fn packages(n: u32) -> Vec<Package> {
    (0..n).map(|i| a_package().number(i).build()).collect()
}

fn page(n: u32, next: Option<&str>, total: Option<u64>) -> PackagesPage {
    PackagesPage {
        total,
        ..PackagesPage {
            next_cursor: next.map(str::to_owned),
            ..PackagesPage::of(packages(n))
        }
    }
}

fn cursor_query(limit: Option<u32>, cursor: Option<&str>) -> PackageQuery {
    PackageQuery::from_parts(
        None,
        None,
        Paging::Cursor {
            limit,
            cursor: cursor.map(str::to_owned),
        },
    )
    .unwrap()
}

fn offset_query(limit: Option<u32>, offset: Option<u32>) -> PackageQuery {
    PackageQuery::from_parts(None, None, Paging::Offset { limit, offset }).unwrap()
}

#[test]
fn cursor_paging_follows_next_with_the_same_limit_and_nothing_else() {
    let ext = reseller_domain::ExternalId::new("a").unwrap();
    let first = PackageQuery::matching(Filter::external_id(&ext))
        .unwrap()
        .page_size(2);
    let next = next_packages_query(&first, &page(2, Some("c1"), None))
        .unwrap()
        .unwrap();
    assert_eq!(next, cursor_query(Some(2), Some("c1")));
    assert!(next.filter().is_none());
    assert_eq!(
        next_packages_query(&next, &page(1, None, None)).unwrap(),
        None
    );
}

#[test]
fn a_cursor_answered_back_ends_the_walk_with_an_error() {
    let sent = cursor_query(None, Some("same"));
    let e = next_packages_query(&sent, &page(1, Some("same"), None)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnreadableAnswer);
    let sites = SitesQuery::next_page("same", None);
    let answered = SitesPage {
        sites: Vec::new(),
        next_cursor: Some("same".to_owned()),
    };
    let e = next_sites_query(&sites, &answered).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnreadableAnswer);
}

#[test]
fn offset_paging_advances_until_a_short_or_empty_page_or_the_total() {
    let first = offset_query(Some(2), None);
    let next = next_packages_query(&first, &page(2, None, None))
        .unwrap()
        .unwrap();
    assert_eq!(next, offset_query(Some(2), Some(2)));
    assert_eq!(
        next_packages_query(&next, &page(1, None, None)).unwrap(),
        None,
        "short"
    );
    assert_eq!(
        next_packages_query(&next, &page(0, None, None)).unwrap(),
        None,
        "empty"
    );
    assert_eq!(
        next_packages_query(&next, &page(2, None, Some(4))).unwrap(),
        None,
        "total reached"
    );
    // Without a limit sent, a page's length says nothing about the end.
    let unbounded = offset_query(None, Some(10));
    assert_eq!(
        next_packages_query(&unbounded, &page(3, None, None)).unwrap(),
        Some(offset_query(None, Some(13)))
    );
}

#[test]
fn sites_follow_the_cursor_with_the_page_size_and_no_filter() {
    let site = reseller_domain::SiteId::parse("51000000-0000-4000-8000-000000000002").unwrap();
    let first = SitesQuery::new(
        SitesQuery::ids(&[site]).filter().cloned(),
        vec![],
        vec![reseller_domain::query::Paging::Cursor {
            limit: Some(5),
            cursor: None,
        }],
    )
    .unwrap();
    let answered = SitesPage {
        sites: Vec::new(),
        next_cursor: Some("c1".to_owned()),
    };
    let next = next_sites_query(&first, &answered).unwrap().unwrap();
    assert_eq!(next, SitesQuery::next_page("c1", Some(5)));
    let last = SitesPage {
        sites: Vec::new(),
        next_cursor: None,
    };
    assert_eq!(next_sites_query(&next, &last).unwrap(), None);
}

#[test]
fn child_accounts_advance_the_offset_until_the_total() {
    let account = |n: u128| AccountId::from_uuid(uuid::Uuid::from_u128(n));
    let sent = ChildAccountsPaging {
        offset: None,
        limit: Some(2),
    };
    let full = ChildAccounts {
        accounts: vec![account(1), account(2)],
        offset: 0,
        total: 5,
    };
    let next = next_child_paging(&sent, &full).unwrap().unwrap();
    assert_eq!(
        next,
        ChildAccountsPaging {
            offset: Some(2),
            limit: Some(2)
        }
    );
    let at_end = ChildAccounts {
        accounts: vec![account(3), account(4)],
        offset: 2,
        total: 4,
    };
    assert_eq!(next_child_paging(&next, &at_end).unwrap(), None);
    let empty = ChildAccounts {
        accounts: Vec::new(),
        offset: 4,
        total: 9,
    };
    assert_eq!(next_child_paging(&next, &empty).unwrap(), None);
}
