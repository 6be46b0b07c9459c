//! Unit tests of the page walk: which query follows which page.

use reseller_domain::query::Filter;
use reseller_domain::query::Value;
use serde_json::json;

use super::*;

/// `n` distinct packages, read off the wire.
fn packages(n: usize) -> Vec<Package> {
    (0..n)
        .map(|i| {
            let body = json!({"package": {
                "id": format!("00000000-0000-0000-0000-{i:012}"),
                "accountId": "2250b761-b31c-853b-485b-76e9fc04bdc6",
                "productInstances": [{"instanceId": format!("10000000-0000-0000-0000-{i:012}"),
                    "catalogProductId": "00ba7923-2655-402a-852d-2b2100568bcf",
                    "status": "PENDING",
                    "createdDate": "2021-12-02T15:45:30.941Z",
                    "updatedDate": "2021-12-02T15:45:30.941Z"}],
                "createdDate": "2021-12-02T15:45:31.815Z",
                "updatedDate": "2021-12-02T15:45:31.815Z"}});
            serde_json::from_value::<reseller_wire::GetPackageResponse>(body)
                .unwrap()
                .try_into_domain()
                .unwrap()
        })
        .collect()
}

fn page(n: usize, next: Option<&str>, total: Option<u64>) -> PackagesPage {
    PackagesPage {
        packages: packages(n),
        next_cursor: next.map(str::to_owned),
        prev_cursor: None,
        total,
        offset: None,
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

#[test]
fn cursor_paging_follows_next_with_the_same_limit_and_nothing_else() {
    let filter = Filter::from_value(&Value::Object(
        [(
            "externalId".to_owned(),
            Value::Object([("$eq".to_owned(), Value::String("a".to_owned()))].into()),
        )]
        .into(),
    ))
    .unwrap();
    let first = PackageQuery::from_parts(
        Some(filter),
        None,
        Paging::Cursor {
            limit: Some(2),
            cursor: None,
        },
    )
    .unwrap();
    let next = next_query(&first, &page(2, Some("c1"), None))
        .unwrap()
        .unwrap();
    assert_eq!(next, cursor_query(Some(2), Some("c1")));
    assert!(next.filter().is_none());
    assert_eq!(next_query(&next, &page(1, None, None)).unwrap(), None);
}

#[test]
fn a_cursor_answered_back_ends_the_walk_with_an_error() {
    let sent = cursor_query(None, Some("same"));
    let e = next_query(&sent, &page(1, Some("same"), None)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnreadableAnswer);
}

fn offset_query(limit: Option<u32>, offset: Option<u32>) -> PackageQuery {
    PackageQuery::from_parts(None, None, Paging::Offset { limit, offset }).unwrap()
}

#[test]
fn offset_paging_advances_until_a_short_or_empty_page_or_the_total() {
    let first = offset_query(Some(2), None);
    let next = next_query(&first, &page(2, None, None)).unwrap().unwrap();
    assert_eq!(next, offset_query(Some(2), Some(2)));
    assert_eq!(
        next_query(&next, &page(1, None, None)).unwrap(),
        None,
        "short"
    );
    assert_eq!(
        next_query(&next, &page(0, None, None)).unwrap(),
        None,
        "empty"
    );
    assert_eq!(
        next_query(&next, &page(2, None, Some(4))).unwrap(),
        None,
        "total reached"
    );
    // Without a limit sent, a page's length says nothing about the end.
    let unbounded = offset_query(None, Some(10));
    assert_eq!(
        next_query(&unbounded, &page(3, None, None)).unwrap(),
        Some(offset_query(None, Some(13)))
    );
}
