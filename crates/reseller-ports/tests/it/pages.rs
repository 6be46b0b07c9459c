//! The paginator over a mock port: every page read in order, a cursor answered
//! back ends the walk with an error after the pages before it, and nothing is
//! fetched before the stream is read.

#![cfg(feature = "mock")]

use futures_util::{StreamExt, TryStreamExt};
use reseller_domain::query::PackageQuery;
use reseller_ports::test_values::a_package;
use reseller_ports::{
    Call, ErrorKind, MockResellerPackages, MockSites, PackagesPage, SitesPage, SitesQuery, pages,
};

#[tokio::test]
async fn every_package_of_every_page_comes_once_in_order() {
    let mut wix = MockResellerPackages::new();
    wix.expect_query_packages()
        .withf(|_, q| q.paging().cursor().is_none())
        .times(1)
        .returning(
            |_, _| Ok(PackagesPage::of(vec![a_package().number(1).build()]).with_next("c1")),
        );
    wix.expect_query_packages()
        .withf(|_, q| q.paging().cursor() == Some("c1"))
        .times(1)
        .returning(|_, _| Ok(PackagesPage::of(vec![a_package().number(2).build()])));
    let got: Vec<_> = pages::packages(&wix, &Call::new(), &PackageQuery::all())
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = got.iter().map(|p| p.id()).collect();
    assert_eq!(
        ids,
        vec![a_package().number(1).id(), a_package().number(2).id()]
    );
}

#[tokio::test]
async fn a_cursor_answered_back_ends_the_sites_walk_after_the_pages_before_it() {
    let mut wix = MockSites::new();
    wix.expect_query_sites().times(2).returning(|_, _| {
        Ok(SitesPage {
            sites: Vec::new(),
            next_cursor: Some("same".to_owned()),
        })
    });
    let pages: Vec<_> = pages::site_pages(&wix, &Call::new(), &SitesQuery::default())
        .collect()
        .await;
    assert_eq!(pages.len(), 2, "the first page, then the error");
    assert!(pages[0].is_ok());
    let e = pages[1].as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnreadableAnswer);
}
