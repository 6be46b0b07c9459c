//! Query Packages as a stream: the cursor pages are walked lazily, each later page
//! sending only its cursor and limit; offset paging advances the offset; an error
//! ends the stream.

use std::pin::pin;

use futures_util::{StreamExt, TryStreamExt};
use reseller_domain::query::{PackageQuery, Paging};
use reseller_ports::{Call, ErrorKind};
use serde_json::json;

use crate::support::{ACCOUNT, Reply, Stub};

/// A package on the wire whose id ends in `n`.
fn package(n: u32) -> serde_json::Value {
    json!({"id": format!("00000000-0000-4000-8000-{n:012}"),
           "accountId": ACCOUNT,
           "productInstances": [{"instanceId": format!("10000000-0000-4000-8000-{n:012}"),
               "catalogProductId": "00ba7923-2655-402a-852d-2b2100568bcf",
               "status": "ENABLED",
               "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}},
               "createdDate": "2021-12-02T15:45:30.941Z",
               "updatedDate": "2021-12-02T15:45:30.941Z"}],
           "createdDate": "2021-12-02T15:45:31.815Z",
           "updatedDate": "2021-12-02T15:45:31.815Z"})
}

/// A cursor page holding packages `ids`.
fn cursor_page(ids: &[u32], next: Option<&str>) -> Reply {
    let packages: Vec<_> = ids.iter().map(|n| package(*n)).collect();
    let cursors = match next {
        Some(next) => json!({"next": next}),
        None => json!({}),
    };
    Reply::ok(&json!({"metadata": {"count": ids.len(), "cursors": cursors}, "packages": packages}))
}

fn filtered_query(limit: u32) -> PackageQuery {
    let filter = json!({"externalId": {"$in": ["order-1", "order-2"]}});
    let request: reseller_wire::QueryPackagesRequest = serde_json::from_value(
        json!({"query": {"filter": filter, "cursorPaging": {"limit": limit}}}),
    )
    .unwrap();
    request.try_into_domain().unwrap()
}

fn last_digit(package: &reseller_domain::Package) -> String {
    package.id().to_string().chars().last().unwrap().to_string()
}

#[tokio::test]
async fn the_stream_walks_every_cursor_page() {
    let stub = Stub::start().await;
    stub.then(cursor_page(&[1, 2], Some("c1")))
        .then(cursor_page(&[3, 4], Some("c2")))
        .then(cursor_page(&[5], None));
    let client = stub.client().build().unwrap();

    let packages: Vec<_> = client
        .query_all(&Call::new(), &filtered_query(2))
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<_> = packages.iter().map(last_digit).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    let bodies: Vec<_> = stub.requests().iter().map(|r| r.json()).collect();
    assert_eq!(
        bodies,
        [
            json!({"query": {"filter": {"externalId": {"$in": ["order-1", "order-2"]}},
                             "cursorPaging": {"limit": 2}}}),
            json!({"query": {"cursorPaging": {"limit": 2, "cursor": "c1"}}}),
            json!({"query": {"cursorPaging": {"limit": 2, "cursor": "c2"}}}),
        ]
    );
}

#[tokio::test]
async fn pages_are_fetched_only_as_the_stream_is_read() {
    let stub = Stub::start().await;
    stub.then(cursor_page(&[1, 2], Some("c1")))
        .then(cursor_page(&[3], None));
    let client = stub.client().build().unwrap();

    let mut packages = pin!(client.query_all(&Call::new(), &filtered_query(2)));
    packages.next().await.unwrap().unwrap();
    packages.next().await.unwrap().unwrap();
    assert_eq!(stub.requests().len(), 1);
    packages.next().await.unwrap().unwrap();
    assert!(packages.next().await.is_none());
    assert_eq!(stub.requests().len(), 2);
}

#[tokio::test]
async fn an_error_is_yielded_and_ends_the_stream() {
    let stub = Stub::start().await;
    stub.then(cursor_page(&[1, 2], Some("c1")))
        .then(Reply::wix_error(
            400,
            "INVALID_CURSOR",
            "invalid cursor: tampered",
        ))
        .otherwise(cursor_page(&[9], None));
    let client = stub.client().build().unwrap();

    let items: Vec<_> = client
        .query_all(&Call::new(), &filtered_query(2))
        .collect()
        .await;

    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_ok());
    let e = items[2].as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(e.code().as_str(), "INVALID_CURSOR");
    assert_eq!(stub.requests().len(), 2);
}

#[tokio::test]
async fn offset_paging_advances_the_offset_until_a_short_page() {
    let stub = Stub::start().await;
    for ids in [&[1, 2][..], &[3, 4], &[5]] {
        let packages: Vec<_> = ids.iter().map(|n| package(*n)).collect();
        stub.then(Reply::ok(&json!({
            "metadata": {"count": ids.len(), "total": 5, "tooManyToCount": false},
            "packages": packages})));
    }
    let client = stub.client().build().unwrap();
    let query = PackageQuery::from_parts(
        None,
        None,
        Paging::Offset {
            limit: Some(2),
            offset: None,
        },
    )
    .unwrap();

    let packages: Vec<_> = client
        .query_all(&Call::new(), &query)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(packages.len(), 5);
    let paging: Vec<_> = stub
        .requests()
        .iter()
        .map(|r| r.json()["query"]["paging"].clone())
        .collect();
    assert_eq!(
        paging,
        [
            json!({"limit": 2}),
            json!({"limit": 2, "offset": 2}),
            json!({"limit": 2, "offset": 4}),
        ]
    );
}
