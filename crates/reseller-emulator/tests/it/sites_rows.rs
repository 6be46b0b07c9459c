//! The **new** Query Sites, Count Sites, Site object and Get Account rows of
//! `spec/emulator.md`, over real HTTP, in Wix's JSON: the answer's shape, the
//! control API's site members, the defaults, paging, counting, and which accounts
//! a key may read.

use crate::support::*;
use reqwest::Method;
use serde_json::{Value, json};

const QUERY: &str = "/site-list/v2/sites/query";
const COUNT: &str = "/site-list/v2/sites/count";
const FOLDER: &str = "f01d0000-0000-4000-8000-000000000001";

async fn add_site(emu: &Emu, body: Value) -> Value {
    let a = emu.control(Method::POST, "/sites", Some(body)).await;
    a.expect_status(201);
    a.body
}

async fn query(emu: &Emu, account: &str, query: Value) -> Answer {
    emu.wix(account, Method::POST, QUERY, Some(json!({"query": query})))
        .await
}

fn names(a: &Answer) -> Vec<String> {
    a.expect_status(200);
    a.body["sites"]
        .as_array()
        .unwrap_or_else(|| panic!("sites: {}", a.text))
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

/// An account of its own with four sites of every kind.
async fn seeded() -> (Emu, String) {
    let emu = Emu::demo().await;
    let account = "a2000000-0000-4000-8000-000000000001";
    emu.control(
        Method::POST,
        "/accounts",
        Some(json!({"id": account, "parentAccountId": MAIN, "name": "Sweet Things Inc."})),
    )
    .await
    .expect_status(201);
    for body in [
        json!({"id": "52000000-0000-4000-8000-000000000001", "accountId": account,
               "name": "bakery", "displayName": "Best Cakes in Town", "published": true,
               "appIds": ["stores", "bookings"], "createdDate": "2021-01-01T00:00:00.000Z"}),
        json!({"id": "52000000-0000-4000-8000-000000000002", "accountId": account,
               "name": "Bakery2", "editorType": "STUDIO", "folderId": FOLDER,
               "appIds": ["stores"], "createdDate": "2021-01-02T00:00:00.000Z"}),
        json!({"id": "52000000-0000-4000-8000-000000000003", "accountId": account,
               "name": "headless-3", "namespace": "HEADLESS",
               "createdDate": "2021-01-03T00:00:00.000Z"}),
        json!({"id": "52000000-0000-4000-8000-000000000004", "accountId": account,
               "name": "old-shop", "trashedDate": "2024-01-01T00:00:00.000Z",
               "createdDate": "2021-01-04T00:00:00.000Z"}),
    ] {
        add_site(&emu, body).await;
    }
    (emu, account.to_owned())
}

#[tokio::test]
async fn the_site_object_carries_every_member_and_the_answer_both_paging_shapes() {
    let (emu, account) = seeded().await;
    let a = query(&emu, &account, json!({"cursorPaging": {"limit": 1}})).await;
    a.expect_status(200);
    assert_eq!(a.body["sites"].as_array().unwrap().len(), 1);
    let next = a.body["metadata"]["cursors"]["next"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(a.body["metadata"]["count"], 1);
    assert_eq!(a.body["metadata"]["hasNext"], true);
    assert_eq!(a.body["cursorPaging"], json!({"limit": 1, "cursor": next}));
    // Default order createdDate DESC: Bakery2 before bakery (headless and trashed hidden).
    let studio = &a.body["sites"][0];
    assert_eq!(studio["name"], "Bakery2");
    assert_eq!(studio["folderId"], FOLDER);
    assert_eq!(studio["editorType"], "STUDIO");
    let b = query(&emu, &account, json!({"cursorPaging": {"cursor": next}})).await;
    b.expect_status(200);
    let site = &b.body["sites"][0];
    assert_eq!(b.body["metadata"]["hasNext"], false);
    assert!(
        b.body["metadata"]["cursors"].get("next").is_none(),
        "{}",
        b.text
    );
    for (member, want) in [
        ("id", json!("52000000-0000-4000-8000-000000000001")),
        ("name", json!("bakery")),
        ("displayName", json!("Best Cakes in Town")),
        ("ownerAccountId", json!(account)),
        ("contributorAccountIds", json!([account])),
        ("published", json!(true)),
        ("premium", json!(false)),
        (
            "viewUrl",
            json!("https://sweet-things-inc.wixsite.com/bakery"),
        ),
        (
            "editUrl",
            json!("/editor/52000000-0000-4000-8000-000000000001"),
        ),
        (
            "thumbnail",
            json!("/site-thumbnail/52000000-0000-4000-8000-000000000001"),
        ),
        ("editorType", json!("EDITOR")),
        ("namespace", json!("WIX")),
        ("blocked", json!(false)),
        ("domainConnected", json!(false)),
        ("createdDate", json!("2021-01-01T00:00:00.000Z")),
        ("updatedDate", json!("2021-01-01T00:00:00.000Z")),
    ] {
        assert_eq!(site[member], want, "{member} in {site}");
    }
    assert!(site.get("folderId").is_none() && site.get("trashedDate").is_none());
    let html = site["htmlAppId"].as_str().unwrap();
    assert!(html.len() == 36 && html != site["id"].as_str().unwrap());
    // An unpublished site has an empty viewUrl; the default page size is 50.
    let all = query(&emu, MAIN, json!({})).await;
    assert_eq!(all.body["cursorPaging"]["limit"], 50);
    let zero = query(&emu, MAIN, json!({"cursorPaging": {"limit": 0}})).await;
    assert_eq!(zero.body["cursorPaging"]["limit"], 50, "{}", zero.text);
    for s in all.body["sites"].as_array().unwrap() {
        if s["published"] == false {
            assert_eq!(s["viewUrl"], "", "{s}");
        }
    }
}

#[tokio::test]
async fn defaults_hide_headless_and_trashed_sites_and_unknown_fields_are_ignored() {
    let (emu, account) = seeded().await;
    let default = names(&query(&emu, &account, json!({})).await);
    assert_eq!(default, ["Bakery2", "bakery"]);
    for (filter, want) in [
        (
            json!({"namespace": {"$in": ["WIX", "HEADLESS"]}}),
            vec!["headless-3", "Bakery2", "bakery"],
        ),
        (json!({"namespace": "headless"}), vec!["headless-3"]),
        (json!({"state": "TRASHED"}), vec!["old-shop"]),
        (
            json!({"color": {"$contains": "red"}, "displayName": "x"}),
            vec!["Bakery2", "bakery"],
        ),
        (json!({"searchPhrase": "cakes"}), vec!["bakery"]),
        (json!({"name": {"$startsWith": "B"}}), vec!["Bakery2"]),
        (json!({"folderId": {"$exists": false}}), vec!["bakery"]),
        (
            json!({"appIds": {"$hasAll": ["stores", "bookings"]}}),
            vec!["bakery"],
        ),
        (
            json!({"editorType": {"$hasSome": ["STUDIO"]}}),
            vec!["Bakery2"],
        ),
        (json!({"premium": {"$ne": true}}), vec!["Bakery2", "bakery"]),
        (json!({"domainConnected": false}), vec!["Bakery2", "bakery"]),
    ] {
        let got = names(&query(&emu, &account, json!({"filter": filter})).await);
        assert_eq!(got, want, "filter {filter}");
    }
    let sorted = query(
        &emu,
        &account,
        json!({"filter": {"state": {"$in": ["ACTIVE", "TRASHED"]}},
               "sort": [{"fieldName": "trashedDate", "order": "DESC"}]}),
    )
    .await;
    assert_eq!(names(&sorted), ["old-shop", "Bakery2", "bakery"]);
    // A cursor with a filter or a sort beside it: INVALID_CURSOR.
    let first = query(&emu, &account, json!({"cursorPaging": {"limit": 1}})).await;
    let cursor = first.body["metadata"]["cursors"]["next"].clone();
    query(
        &emu,
        &account,
        json!({"filter": {"published": true}, "cursorPaging": {"cursor": cursor}}),
    )
    .await
    .expect_app(400, "INVALID_CURSOR");
    query(
        &emu,
        &account,
        json!({"sort": [{"fieldName": "displayName", "order": "UP"}]}),
    )
    .await
    .expect_violation("query.sort[0].order", "INVALID_ENUM_VALUE");
}

#[tokio::test]
async fn premium_follows_a_pending_or_enabled_premium_plan_on_the_site() {
    let emu = Emu::demo().await;
    emu.control(
        Method::PUT,
        "/provisioning",
        Some(json!({"mode": "manual"})),
    )
    .await
    .expect_status(200);
    emu.create(
        SUB1,
        json!({"catalogProductId": PLAN_BUSINESS, "countryCode": "US", "billingInfo": yearly(),
               "siteId": SITE_SUB1}),
    )
    .await;
    let premium = query(&emu, SUB1, json!({"filter": {"premium": true}})).await;
    premium.expect_status(200);
    assert_eq!(
        premium.body["sites"][0]["id"], SITE_SUB1,
        "{}",
        premium.text
    );
    assert_eq!(premium.body["sites"][0]["premium"], true);
    let count = emu
        .wix(
            SUB1,
            Method::POST,
            COUNT,
            Some(json!({"filter": {"premium": false}})),
        )
        .await;
    count.expect_status(200);
    assert_eq!(
        count.body,
        json!({"count": 1}),
        "premium is ignored by Count Sites"
    );
}

#[tokio::test]
async fn count_sites_answers_the_count_with_query_sites_defaults() {
    let (emu, account) = seeded().await;
    for (body, want) in [
        (json!({}), 2),
        (json!({"filter": {}}), 2),
        (json!({"filter": {"namespace": "HEADLESS"}}), 1),
        (
            json!({"filter": {"state": {"$in": ["ACTIVE", "TRASHED"]}}}),
            3,
        ),
        (json!({"filter": {"appIds": {"$hasAll": ["none"]}}}), 2),
        (json!({"filter": {"editorType": "EDITOR"}}), 1),
    ] {
        let a = emu
            .wix(&account, Method::POST, COUNT, Some(body.clone()))
            .await;
        a.expect_status(200);
        assert_eq!(a.body, json!({"count": want}), "{body}");
    }
    emu.wix(
        &account,
        Method::POST,
        COUNT,
        Some(json!({"filter": {"published": {"$gt": 1}}})),
    )
    .await
    .expect_app(400, "INVALID_QUERY");
}

#[tokio::test]
async fn get_account_reads_the_keys_account_and_its_children_only() {
    let emu = Emu::demo().await;
    let path = |id: &str| format!("/accounts/v1/accounts/{id}");
    let own = emu.wix(MAIN, Method::GET, &path(MAIN), None).await;
    own.expect_status(200);
    assert_eq!(
        own.body,
        json!({"account": {"accountId": MAIN, "slug": "acme-hosting", "accountName": "Acme Hosting"}})
    );
    let child = emu.wix(MAIN, Method::GET, &path(SUB1), None).await;
    child.expect_status(200);
    assert_eq!(child.body["account"]["slug"], "customer-1-bakery-co");
    let sub_key = emu.add_key(SUB1, None).await;
    emu.wix_as(&sub_key, SUB1, Method::GET, &path(SUB1), None)
        .await
        .expect_status(200);
    for (key, header, target) in [
        (sub_key.as_str(), SUB1, MAIN),
        (sub_key.as_str(), SUB1, SUB2),
        (KEY, MAIN, NOBODY),
    ] {
        emu.wix_as(key, header, Method::GET, &path(target), None)
            .await
            .expect_app(404, "ACCOUNT_NOT_FOUND");
    }
    emu.wix(MAIN, Method::GET, &path("not-a-guid"), None)
        .await
        .expect_violation("accountId", "FORMAT");
    let none = emu.add_key(MAIN, Some(&[])).await;
    emu.wix_as(&none, MAIN, Method::GET, &path(MAIN), None)
        .await
        .expect_app(403, "PERMISSION_DENIED");
}

#[tokio::test]
async fn the_control_api_checks_and_keeps_the_site_members() {
    let (emu, account) = seeded().await;
    for (body, field, rule) in [
        (
            json!({"accountId": account, "namespace": "NOPE"}),
            "namespace",
            "INVALID_ENUM_VALUE",
        ),
        (
            json!({"accountId": account, "editorType": "wix"}),
            "editorType",
            "INVALID_ENUM_VALUE",
        ),
        (
            json!({"accountId": account, "folderId": "x"}),
            "folderId",
            "FORMAT",
        ),
        (
            json!({"accountId": account, "trashedDate": "yesterday"}),
            "trashedDate",
            "FORMAT",
        ),
        (
            json!({"accountId": account, "displayName": ""}),
            "displayName",
            "MIN_LENGTH",
        ),
    ] {
        emu.control(Method::POST, "/sites", Some(body))
            .await
            .expect_violation(field, rule);
    }
    let listed = emu
        .control(Method::GET, &format!("/sites?accountId={account}"), None)
        .await;
    listed.expect_status(200);
    assert_eq!(listed.body["sites"].as_array().unwrap().len(), 4);
    // The state document keeps every member through an export and an import.
    let state = emu.control(Method::GET, "/state", None).await;
    state.expect_status(200);
    let studio = state.body["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Bakery2")
        .cloned()
        .unwrap();
    assert_eq!(studio["folderId"], FOLDER);
    assert_eq!(studio["appIds"], json!(["stores"]));
    emu.control(Method::PUT, "/state", Some(state.body.clone()))
        .await
        .expect_status(204);
    let again = emu.control(Method::GET, "/state", None).await;
    assert_eq!(again.body["sites"], state.body["sites"]);
    assert_eq!(
        names(&query(&emu, &account, json!({"filter": {"state": "TRASHED"}})).await),
        ["old-shop"]
    );
}
