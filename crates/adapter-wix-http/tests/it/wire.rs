//! The exact wire of every endpoint: method, path, headers and body as the spec
//! gives them, and the docs' answers read back into domain types.

use reseller_domain::ops::NewSubAccount;
use reseller_domain::query::{PackageQuery, Value};
use reseller_domain::sites::SiteCount;
use reseller_domain::{
    AccountId, ErrorCode, ExternalId, IdempotencyKey, InstanceId, PackageId, SiteId,
};
use reseller_ports::{
    Accounts, Call, ChildAccountsPaging, ErrorKind, ResellerPackages, SiteTransfers, Sites,
    SitesQuery,
};
use reseller_wire::{
    AdjustRequest, CreatePackageRequest, QueryPackagesRequest, TransferSiteRequest,
};
use serde_json::json;

use crate::support::{
    ACCOUNT, OTHER_ACCOUNT, Reply, Stub, client_of, docs_answer, docs_request, other_account,
};

/// The first idempotency key the test clients generate (`SequentialIds::new(7)`).
const FIRST_KEY: &str = "00000000-0000-0007-0000-000000000001";

const PACKAGE: &str = "828b98fb-7114-4b3c-90fd-8d0db76aa72b";
const INSTANCE: &str = "d3b88a39-f62e-4164-8b29-08369b9ea71c";
const SITE: &str = "c10cf845-bf18-4c10-8428-c4e5c7a39744";

fn package_id() -> PackageId {
    PackageId::parse(PACKAGE).unwrap()
}

fn instance_id() -> InstanceId {
    InstanceId::parse(INSTANCE).unwrap()
}

/// `body` with `idempotencyKey` added.
fn with_key(mut body: serde_json::Value, key: &str) -> serde_json::Value {
    body["idempotencyKey"] = json!(key);
    body
}

#[tokio::test]
async fn create_package_v2_posts_the_docs_body_with_a_generated_key() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer("resellers/create-package-v2.json")));
    let docs: CreatePackageRequest =
        serde_json::from_value(docs_request("resellers/create-package-v2.json")).unwrap();
    let command = docs.try_into_domain().unwrap();
    let client = stub.client().build().unwrap();

    let package = client.create_package(&Call::new(), &command).await.unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/resellers/v2/packages");
    assert_eq!(sent.query, None);
    sent.assert_wix_headers(ACCOUNT);
    assert_eq!(
        sent.json(),
        json!({"idempotencyKey": FIRST_KEY, "externalId": "some-external-id",
               "products": [{"catalogProductId": "00ba7923-2655-402a-852d-2b2100568bcf",
                             "siteId": "918aa943-ab4f-40bc-88c3-8dfd02fae7cd",
                             "billingInfo": {"type": "RECURRING",
                                             "cycleDuration": {"unit": "YEAR", "count": 1}},
                             "countryCode": "BR"}]})
    );
    assert_eq!(package.id().to_string(), PACKAGE);
    assert_eq!(package.instances().len(), 1);
}

#[tokio::test]
async fn get_package_is_a_get_without_body_and_reads_the_docs_answer() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer("resellers/get-package.json")));
    let client = stub.client().build().unwrap();

    let package = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.path, format!("/resellers/v1/packages/{PACKAGE}"));
    assert!(sent.body.is_empty());
    sent.assert_wix_headers(ACCOUNT);
    // The docs answer uses the legacy `paymentInfo`; it reads as the billing cycle.
    assert_eq!(package.instances().len(), 3);
    assert!(package.instances().iter().all(|i| i.billing().is_some()));
}

#[tokio::test]
async fn query_packages_posts_the_query_and_reads_the_page() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer("resellers/query-packages.json")));
    let docs: QueryPackagesRequest = serde_json::from_value(docs_request(
        "resellers/query-packages-subaccount-filter.json",
    ))
    .unwrap();
    let query = docs.try_into_domain().unwrap();
    let client = stub.client().build().unwrap();

    let page = client.query_packages(&Call::new(), &query).await.unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/resellers/v1/packages/query");
    sent.assert_wix_headers(ACCOUNT);
    assert_eq!(
        sent.json(),
        json!({"query": {"filter": {"accountId": {"$eq": OTHER_ACCOUNT}}}})
    );
    assert_eq!(page.packages.len(), 1);
    assert_eq!(page.next_cursor, None, "the docs answer has empty cursors");
}

#[tokio::test]
async fn cancel_package_deletes_with_the_key_in_the_body() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer("resellers/cancel-package.json")));
    let key = IdempotencyKey::new("order-4711-cancel").unwrap();
    let client = stub.client().build().unwrap();

    client
        .cancel_package(&Call::new().idempotency_key(key), package_id())
        .await
        .unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "DELETE");
    assert_eq!(sent.path, format!("/resellers/v1/packages/{PACKAGE}"));
    sent.assert_wix_headers(ACCOUNT);
    assert_eq!(sent.json(), json!({"idempotencyKey": "order-4711-cancel"}));
}

#[tokio::test]
async fn assign_patches_instance_and_site_in_the_path() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer(
        "resellers/assign-product-instance-to-site.json",
    )));
    let client = stub.client().build().unwrap();

    let package = client
        .assign_instance(&Call::new(), instance_id(), SiteId::parse(SITE).unwrap())
        .await
        .unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "PATCH");
    assert_eq!(
        sent.path,
        format!("/resellers/v1/packages/product-instances/{INSTANCE}/{SITE}")
    );
    sent.assert_wix_headers(ACCOUNT);
    assert_eq!(sent.json(), json!({"idempotencyKey": FIRST_KEY}));
    assert!(
        package.parent_account_id().is_some(),
        "internal member read"
    );
}

#[tokio::test]
async fn unassign_patches_the_literal_unassign_segment() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer(
        "resellers/unassign-product-instance-from-site.json",
    )));
    let client = stub.client().build().unwrap();

    client
        .unassign_instance(&Call::new(), instance_id())
        .await
        .unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "PATCH");
    assert_eq!(
        sent.path,
        format!("/resellers/v1/packages/product-instances/{INSTANCE}/unassign")
    );
    sent.assert_wix_headers(ACCOUNT);
    assert_eq!(sent.json(), json!({"idempotencyKey": FIRST_KEY}));
}

#[tokio::test]
async fn cancel_instance_deletes_the_instance() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer(
        "resellers/cancel-product-instance.json",
    )));
    let client = stub.client().build().unwrap();

    client
        .cancel_instance(&Call::new(), instance_id())
        .await
        .unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "DELETE");
    assert_eq!(
        sent.path,
        format!("/resellers/v1/packages/product-instances/{INSTANCE}")
    );
    sent.assert_wix_headers(ACCOUNT);
    assert_eq!(sent.json(), json!({"idempotencyKey": FIRST_KEY}));
}

#[tokio::test]
async fn adjust_patches_the_docs_body_with_the_key() {
    let stub = Stub::start().await;
    let fixture = "resellers/adjust-product-instance-specifications.json";
    stub.then(Reply::ok(&docs_answer(fixture)));
    let docs: AdjustRequest = serde_json::from_value(docs_request(fixture)).unwrap();
    let client = stub.client().build().unwrap();

    let package = client
        .adjust_instance(
            &Call::new(),
            instance_id(),
            &docs.try_into_domain().unwrap(),
        )
        .await
        .unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "PATCH");
    assert_eq!(
        sent.path,
        format!("/resellers/v1/packages/product-instances/{INSTANCE}")
    );
    sent.assert_wix_headers(ACCOUNT);
    assert_eq!(sent.json(), with_key(docs_request(fixture), FIRST_KEY));
    assert_eq!(
        package.instances()[0].catalog_product_id().to_string(),
        "2c6db353-458a-41dd-b4f5-cb8a05be6bff"
    );
}

#[tokio::test]
async fn update_external_id_sends_both_values_in_the_path_and_no_body() {
    let stub = Stub::start().await;
    let mut package = docs_answer("resellers/get-package.json")["package"].clone();
    package["externalId"] = json!("order 4711/ä");
    stub.then(Reply::ok(&json!({"updatedPackage": package})));
    let client = stub.client().build().unwrap();
    let external = ExternalId::new("order 4711/ä").unwrap();

    let updated = client
        .update_external_id(&Call::new(), package_id(), &external)
        .await
        .unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "PATCH");
    assert_eq!(
        sent.path,
        format!("/resellers/v1/packages/update/{PACKAGE}/order%204711%2F%C3%A4"),
        "one percent-encoded segment"
    );
    assert!(sent.body.is_empty());
    sent.assert_wix_headers(ACCOUNT);
    assert_eq!(updated.external_id(), Some(&external));
}

#[tokio::test]
async fn transfer_site_names_the_target_only_in_the_header() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer("b2b/transfer-site.json")));
    let docs: TransferSiteRequest =
        serde_json::from_value(docs_request("b2b/transfer-site.json")).unwrap();
    let transfer = docs.try_into_domain().unwrap();
    let client = stub.client().build().unwrap();
    let key = IdempotencyKey::new("not-sent").unwrap();

    let echoed = client
        .transfer_site(
            &Call::new().account(other_account()).idempotency_key(key),
            &transfer,
        )
        .await
        .unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/b2b-site-management/v1/transfer-site");
    sent.assert_wix_headers(OTHER_ACCOUNT);
    assert_eq!(sent.json(), docs_request("b2b/transfer-site.json"));
    assert!(!String::from_utf8_lossy(&sent.body).contains(OTHER_ACCOUNT));
    assert_eq!(echoed.site, transfer.site);
}

#[tokio::test]
async fn create_account_posts_the_owner_and_reads_the_new_id() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(
        &json!({"account": {"accountId": "5128eccb-3b01-4bfd-bba8-29c3e0b89fae"}}),
    ));
    let client = stub.client().build().unwrap();
    let request = NewSubAccount {
        email: "owner@customer.example".to_owned(),
    };

    let created = client
        .create_sub_account(&Call::new(), &request)
        .await
        .unwrap();

    let sent = stub.only_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/accounts/v1/accounts/create");
    sent.assert_wix_headers(ACCOUNT);
    assert_eq!(
        sent.json(),
        json!({"user": {"email": {"emailAddress": "owner@customer.example"}}})
    );
    assert_eq!(created.to_string(), "5128eccb-3b01-4bfd-bba8-29c3e0b89fae");
}

#[tokio::test]
async fn list_child_accounts_flattens_paging_into_query_parameters() {
    let stub = Stub::start().await;
    let answer = json!({"childAccounts": [{"accountId": OTHER_ACCOUNT}],
        "pagingMetadata": {"count": 1, "offset": 5, "total": 6, "tooManyToCount": false}});
    stub.then(Reply::ok(&answer)).then(Reply::ok(&json!({})));
    let client = stub.client().build().unwrap();

    let page = client
        .list_child_accounts(
            &Call::new(),
            ChildAccountsPaging {
                offset: Some(5),
                limit: Some(50),
            },
        )
        .await
        .unwrap();
    let empty = client
        .list_child_accounts(&Call::new(), ChildAccountsPaging::default())
        .await
        .unwrap();

    let sent = stub.requests();
    assert_eq!(sent[0].method, "GET");
    assert_eq!(sent[0].path, "/accounts/v1/account/child-accounts");
    assert_eq!(
        sent[0].query.as_deref(),
        Some("paging.limit=50&paging.offset=5")
    );
    assert!(sent[0].body.is_empty());
    sent[0].assert_wix_headers(ACCOUNT);
    assert_eq!(sent[1].query, None);
    assert_eq!(
        (page.accounts, page.offset, page.total),
        (vec![other_account()], 5, 6)
    );
    assert!(empty.accounts.is_empty(), "no children: an empty list");
}

#[tokio::test]
async fn query_sites_posts_the_filter_and_converts_the_sites() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer("sites/query-sites-wix-skill.json")))
        .then(Reply::ok(&docs_answer("sites/query-sites-2022-docs.json")));
    let client = stub.client().build().unwrap();
    let wanted = SiteId::parse("f6061c5f-6aa3-42f8-8822-36a4981dabb2").unwrap();

    let live = client
        .query_sites(&Call::new(), &SitesQuery::ids(&[wanted]))
        .await
        .unwrap();
    let old = client
        .query_sites(&Call::new(), &SitesQuery::default())
        .await
        .unwrap();

    let sent = stub.requests();
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].path, "/site-list/v2/sites/query");
    sent[0].assert_wix_headers(ACCOUNT);
    assert_eq!(
        sent[0].json(),
        json!({"query": {"filter": {"id": {"$in": ["f6061c5f-6aa3-42f8-8822-36a4981dabb2"]},
                                     "namespace": {"$exists": true},
                                     "state": {"$in": ["ACTIVE", "TRASHED"]}}}})
    );
    assert_eq!(sent[1].json(), json!({"query": {}}));
    let site = &live.sites[0];
    assert_eq!(site.id, wanted);
    assert_eq!(
        (site.name.as_str(), site.display_name.as_str(), site.premium),
        ("my-site-47", "My Site 47", false)
    );
    assert_eq!(live.next_cursor.as_deref(), Some("<cursor-for-next-page>"));
    // The 2022 docs shape: an object cursor and no metadata, so no next page.
    assert!(!old.sites.is_empty());
    assert_eq!(old.next_cursor, None);
}

#[tokio::test]
async fn count_sites_and_get_account_send_wix_requests_and_read_the_answers() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&json!({"count": 210})))
        .then(Reply::ok(&json!({"count": "7"})))
        .then(Reply::ok(&json!({"account": {
            "accountId": "0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd",
            "slug": "acme", "accountName": "Acme"}})))
        .then(Reply::ok(&json!({"account": {"slug": "no-id"}})));
    let client = stub.client().build().unwrap();
    let editor =
        SiteCount::new(Some(Value::object([("editorType", Value::from("EDITOR"))]))).unwrap();
    assert_eq!(
        client.count_sites(&Call::new(), &editor).await.unwrap(),
        210
    );
    assert_eq!(
        client
            .count_sites(&Call::new(), &SiteCount::default())
            .await
            .unwrap(),
        7
    );
    let id = AccountId::parse("0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd").unwrap();
    let account = client.get_account(&Call::new(), id).await.unwrap();
    assert_eq!(
        (account.id, account.slug.as_str(), account.name.as_str()),
        (id, "acme", "Acme")
    );
    let unreadable = client.get_account(&Call::new(), id).await.unwrap_err();
    assert_eq!(unreadable.kind(), ErrorKind::UnreadableAnswer);

    let sent = stub.requests();
    assert_eq!(
        (sent[0].method.as_str(), sent[0].path.as_str()),
        ("POST", "/site-list/v2/sites/count")
    );
    sent[0].assert_wix_headers(ACCOUNT);
    assert_eq!(sent[0].json(), json!({"filter": {"editorType": "EDITOR"}}));
    assert_eq!(sent[1].json(), json!({}));
    assert_eq!(
        (sent[2].method.as_str(), sent[2].path.as_str()),
        (
            "GET",
            "/accounts/v1/accounts/0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd"
        )
    );
    sent[2].assert_wix_headers(ACCOUNT);
}

#[tokio::test]
async fn the_call_account_overrides_the_default() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer("resellers/get-package.json")));
    let client = stub.client().build().unwrap();

    client
        .get_package(&Call::new().account(other_account()), package_id())
        .await
        .unwrap();

    stub.only_request().assert_wix_headers(OTHER_ACCOUNT);
}

#[tokio::test]
async fn a_call_without_any_account_is_refused_before_sending() {
    let stub = Stub::start().await;
    let client = client_without_account(stub.base());

    let e = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap_err();

    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(e.code(), &ErrorCode::InvalidArgument);
    assert!(stub.requests().is_empty());
}

/// A client of `base` with no default account.
fn client_without_account(base: &str) -> adapter_wix_http::WixHttpClient {
    adapter_wix_http::WixHttpClient::builder(reseller_ports::ApiKey::new(crate::support::KEY))
        .base_url(base)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_base_url_path_prefixes_every_endpoint() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&docs_answer("resellers/get-package.json")));
    let client = client_of(&format!("{}/wix/", stub.base())).build().unwrap();

    client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap();

    assert_eq!(
        stub.only_request().path,
        format!("/wix/resellers/v1/packages/{PACKAGE}")
    );
}

#[tokio::test]
async fn the_default_query_sends_an_empty_query_object() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&json!({"packages": []})));
    let client = stub.client().build().unwrap();
    let everything = PackageQuery::new(None, Vec::new(), Vec::new()).unwrap();

    let page = client
        .query_packages(&Call::new(), &everything)
        .await
        .unwrap();

    assert_eq!(stub.only_request().json(), json!({"query": {}}));
    assert!(page.packages.is_empty());
}
