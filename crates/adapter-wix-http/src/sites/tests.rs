//! Unit tests of the Query Sites body and of the `Site` to `SiteInfo` conversion.

use reseller_domain::SiteId;
use serde_json::json;

use super::*;

fn body(query: &SitesQuery) -> serde_json::Value {
    serde_json::to_value(request(query)).unwrap()
}

#[test]
fn the_body_carries_only_what_is_set() {
    use reseller_domain::query::{Paging, Value};
    assert_eq!(body(&SitesQuery::default()), json!({"query": {}}));
    let site = SiteId::parse("0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd").unwrap();
    let ids = SitesQuery::ids(&[site]);
    assert_eq!(
        body(&ids),
        json!({"query": {"filter": {"id": {"$in": ["0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd"]},
                                     "namespace": {"$exists": true},
                                     "state": {"$in": ["ACTIVE", "TRASHED"]}}}})
    );
    let sorted = SitesQuery::new(
        Some(Value::object([("published", Value::Bool(true))])),
        vec![("displayName".to_owned(), Some("DESC".to_owned()))],
        vec![Paging::Cursor {
            limit: Some(2),
            cursor: None,
        }],
    )
    .unwrap();
    assert_eq!(
        body(&sorted),
        json!({"query": {"filter": {"published": true},
                     "sort": [{"fieldName": "displayName", "order": "DESC"}],
                     "cursorPaging": {"limit": 2}}})
    );
    assert_eq!(
        body(&SitesQuery::next_page("abc", Some(2))),
        json!({"query": {"cursorPaging": {"limit": 2, "cursor": "abc"}}}),
        "a cursor carries its filter"
    );
}

#[test]
fn a_site_converts_with_lenient_defaults() {
    let site: Site = serde_json::from_value(json!({
        "id": "0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd", "name": "abc",
        "createdDate": "2015-04-19T15:22:42.498Z", "premium": true,
        "ownerAccountId": "99714651-d974-4878-aa0a-1cd1d7341156"}))
    .unwrap();
    let info = info_at(&site, "sites[0]").unwrap();
    assert_eq!(info.id.to_string(), "0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd");
    assert_eq!(info.name, "abc");
    assert_eq!(info.display_name, "abc");
    assert!(info.premium);
    assert_eq!(info.updated, info.created);
    assert_eq!(
        info.owner_account_id.to_string(),
        "99714651-d974-4878-aa0a-1cd1d7341156"
    );
}

#[test]
fn id_owner_and_creation_date_are_required() {
    let site: Site = serde_json::from_value(json!({
        "id": "0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd",
        "ownerAccountId": "99714651-d974-4878-aa0a-1cd1d7341156"}))
    .unwrap();
    assert_eq!(
        info_at(&site, "sites[3]").unwrap_err().path(),
        "sites[3].createdDate"
    );
    let site: Site = serde_json::from_value(json!({"id": "not-a-guid"})).unwrap();
    assert_eq!(
        info_at(&site, "sites[0]").unwrap_err().path(),
        "sites[0].id"
    );
}
