//! Every row of "Choices where Wix documents nothing" of `spec/emulator.md`, over
//! real HTTP: HTTP status plus `details.applicationError.code`, or the field
//! violations (`field` as a dotted path, `violatedRule`), exactly as the table says.

use std::collections::BTreeSet;

use crate::support::*;
use reqwest::Method;
use serde_json::{Value, json};

const CREATE: &str = "/resellers/v2/packages";
const QUERY: &str = "/resellers/v1/packages/query";
const TRANSFER: &str = "/b2b-site-management/v1/transfer-site";

fn plan() -> Value {
    json!({"catalogProductId": PLAN_BUSINESS, "countryCode": "US", "billingInfo": yearly()})
}

fn assign_path(instance: &str, site: &str) -> String {
    format!("/resellers/v1/packages/product-instances/{instance}/{site}")
}

fn unassign_path(instance: &str) -> String {
    format!("/resellers/v1/packages/product-instances/{instance}/unassign")
}

fn instance_path(instance: &str) -> String {
    format!("/resellers/v1/packages/product-instances/{instance}")
}

fn package_path(id: &str) -> String {
    format!("/resellers/v1/packages/{id}")
}

/// A second, unrelated family: its main account, its key and one package there.
struct Other {
    account: String,
    key: String,
    package: String,
    instance: String,
    site: String,
}

async fn other_family(emu: &Emu) -> Other {
    let account = emu.add_account(None).await;
    let key = emu.add_key(&account, None).await;
    let site = emu.add_site(&account).await;
    let a = emu
        .wix_as(
            &key,
            &account,
            Method::POST,
            CREATE,
            Some(json!({"products": [plan()]})),
        )
        .await;
    a.expect_status(200);
    Other {
        account,
        key,
        package: a.package_id(),
        instance: a.first_instance(),
        site,
    }
}

async fn query(emu: &Emu, key: &str, account: &str, query: Value) -> Answer {
    emu.wix_as(
        key,
        account,
        Method::POST,
        QUERY,
        Some(json!({"query": query})),
    )
    .await
}

fn package_ids(a: &Answer) -> BTreeSet<String> {
    a.body["packages"]
        .as_array()
        .unwrap_or_else(|| panic!("no packages in {}", a.text))
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

// ----- authentication and accounts --------------------------------------------------------

#[tokio::test]
async fn missing_or_unknown_key_is_401_unauthenticated() {
    let emu = Emu::demo().await;
    let calls = [
        (Method::GET, package_path(NOBODY)),
        (Method::POST, CREATE.to_owned()),
        (Method::POST, QUERY.to_owned()),
        (Method::DELETE, package_path(NOBODY)),
        (Method::PATCH, unassign_path(NOBODY)),
        (Method::POST, TRANSFER.to_owned()),
        (Method::POST, "/accounts/v1/accounts/create".to_owned()),
        (
            Method::GET,
            "/accounts/v1/account/child-accounts".to_owned(),
        ),
        (Method::POST, "/site-list/v2/sites/query".to_owned()),
    ];
    for (method, path) in &calls {
        // Missing key (with or without an account header).
        emu.send(
            method.clone(),
            path,
            &[("wix-account-id", MAIN)],
            Some(&json!({})),
        )
        .await
        .expect_app(401, "UNAUTHENTICATED");
        emu.send(method.clone(), path, &[], None)
            .await
            .expect_app(401, "UNAUTHENTICATED");
        emu.send(
            method.clone(),
            path,
            &[("authorization", ""), ("wix-account-id", MAIN)],
            None,
        )
        .await
        .expect_app(401, "UNAUTHENTICATED");
        // Unknown key, a Bearer-prefixed known key (Wix wants the raw key).
        for key in ["emk_nobody", &format!("Bearer {KEY}")] {
            emu.send(
                method.clone(),
                path,
                &[("authorization", key), ("wix-account-id", MAIN)],
                Some(&json!({})),
            )
            .await
            .expect_app(401, "UNAUTHENTICATED");
        }
    }
    // 401 comes before everything else: a bad header, a bad body, a bad path id.
    emu.send(
        Method::GET,
        "/resellers/v1/packages/not-a-guid",
        &[("authorization", "nope"), ("wix-account-id", "nope")],
        None,
    )
    .await
    .expect_app(401, "UNAUTHENTICATED");
}

/// Revision 2: a missing `wix-account-id` is 403 `PERMISSION_DENIED` naming the
/// header; one that is not a GUID is a 400 field violation (`wix-account-id`,
/// `FORMAT`).
#[tokio::test]
async fn missing_account_header_is_403_and_malformed_is_a_400_field_violation() {
    let emu = Emu::demo().await;
    for header in [
        None,
        Some(""),
        Some("main"),
        Some("a1000000-0000-4000-8000"),
        Some("{MAIN}"),
    ] {
        let mut headers = vec![("authorization", KEY)];
        if let Some(h) = header {
            headers.push(("wix-account-id", h));
        }
        for (method, path) in [
            (Method::GET, package_path(NOBODY)),
            (Method::POST, CREATE.to_owned()),
            (Method::POST, QUERY.to_owned()),
            (Method::POST, TRANSFER.to_owned()),
            (
                Method::GET,
                "/accounts/v1/account/child-accounts".to_owned(),
            ),
        ] {
            let a = emu.send(method, &path, &headers, Some(&json!({}))).await;
            if header.is_none() {
                a.expect_app(403, "PERMISSION_DENIED");
                assert!(a.text.contains("wix-account-id"), "{}", a.text);
            } else {
                a.expect_violation("wix-account-id", "FORMAT");
            }
        }
    }
    let state = emu.state().await;
    assert!(state["packages"].as_array().unwrap().is_empty(), "{state}");
}

#[tokio::test]
async fn unknown_header_account_is_404_account_not_found_but_428_on_transfer() {
    let emu = Emu::demo().await;
    emu.get_package(NOBODY, NOBODY)
        .await
        .expect_app(404, "ACCOUNT_NOT_FOUND");
    emu.wix(
        NOBODY,
        Method::POST,
        CREATE,
        Some(json!({"products": [plan()]})),
    )
    .await
    .expect_app(404, "ACCOUNT_NOT_FOUND");
    query(&emu, KEY, NOBODY, json!({}))
        .await
        .expect_app(404, "ACCOUNT_NOT_FOUND");
    emu.wix(
        NOBODY,
        Method::POST,
        TRANSFER,
        Some(json!({"siteTransfer": {"siteId": SITE_SUB1, "sourceAccountId": SUB1}})),
    )
    .await
    .expect_app(428, "TARGET_ACCOUNT_ID_NOT_FOUND");
}

#[tokio::test]
async fn foreign_account_or_missing_scope_is_403_permission_denied() {
    let emu = Emu::demo().await;
    let other = other_family(&emu).await;
    let sub1_key = emu.add_key(SUB1, None).await;
    let (p_main, _) = emu.create_plan(MAIN).await;
    let (p_sub2, _) = emu.create_plan(SUB2).await;

    // A key of another family, for this family's accounts.
    for account in [MAIN, SUB1, SUB2] {
        emu.wix_as(
            &other.key,
            account,
            Method::GET,
            &package_path(&p_main),
            None,
        )
        .await
        .expect_app(403, "PERMISSION_DENIED");
        emu.wix_as(
            &other.key,
            account,
            Method::POST,
            CREATE,
            Some(json!({"products": [plan()]})),
        )
        .await
        .expect_app(403, "PERMISSION_DENIED");
        query(&emu, &other.key, account, json!({}))
            .await
            .expect_app(403, "PERMISSION_DENIED");
    }
    // A sub-account's key for its parent or its sibling.
    for account in [MAIN, SUB2] {
        emu.wix_as(
            &sub1_key,
            account,
            Method::GET,
            &package_path(&p_sub2),
            None,
        )
        .await
        .expect_app(403, "PERMISSION_DENIED");
        query(&emu, &sub1_key, account, json!({}))
            .await
            .expect_app(403, "PERMISSION_DENIED");
    }
    // This family's main key for the other family.
    emu.get_package(&other.account, &other.package)
        .await
        .expect_app(403, "PERMISSION_DENIED");
    // A key without the scope.
    let read = emu
        .add_key(MAIN, Some(&["premium.reseller-package.read"]))
        .await;
    emu.wix_as(
        &read,
        SUB1,
        Method::POST,
        CREATE,
        Some(json!({"products": [plan()]})),
    )
    .await
    .expect_app(403, "PERMISSION_DENIED");
    emu.wix_as(
        &read,
        MAIN,
        Method::POST,
        TRANSFER,
        Some(json!({"siteTransfer": {"siteId": SITE_SUB1, "sourceAccountId": SUB1}})),
    )
    .await
    .expect_app(403, "PERMISSION_DENIED");
}

// ----- not found ---------------------------------------------------------------------------

#[tokio::test]
async fn unknown_or_foreign_package_is_404_package_not_found() {
    let emu = Emu::demo().await;
    let other = other_family(&emu).await;
    let (p_sub1, _) = emu.create_plan(SUB1).await;
    let (p_main, _) = emu.create_plan(MAIN).await;

    let cases: Vec<(&str, String)> = vec![
        // Unknown.
        (MAIN, NOBODY.to_owned()),
        // A sibling's package, with the main key.
        (SUB2, p_sub1.clone()),
        // The parent's package seen from a sub-account header, and the reverse.
        (SUB1, p_main.clone()),
        (MAIN, p_sub1.clone()),
        // Another family's package id, with this family's key and account.
        (MAIN, other.package.clone()),
    ];
    for (account, id) in &cases {
        emu.wix(account, Method::GET, &package_path(id), None)
            .await
            .expect_app(404, "PACKAGE_NOT_FOUND");
        emu.wix(account, Method::DELETE, &package_path(id), None)
            .await
            .expect_app(404, "PACKAGE_NOT_FOUND");
        emu.wix(
            account,
            Method::PATCH,
            &format!("/resellers/v1/packages/update/{id}/order-1"),
            None,
        )
        .await
        .expect_app(404, "PACKAGE_NOT_FOUND");
    }
    // Nothing changed anywhere.
    let got = emu.get_package(SUB1, &p_sub1).await;
    got.expect_status(200);
    assert!(
        got.body["package"].get("externalId").is_none(),
        "{}",
        got.text
    );
    assert_ne!(
        got.body["package"]["productInstances"][0]["status"],
        "CANCELED"
    );
}

#[tokio::test]
async fn unknown_or_foreign_instance_is_428_product_instance_not_found() {
    let emu = Emu::demo().await;
    let other = other_family(&emu).await;
    let (_, i_sub1) = emu.create_plan(SUB1).await;
    let (_, i_main) = emu.create_plan(MAIN).await;
    let cases: Vec<(&str, String, &str)> = vec![
        (MAIN, NOBODY.to_owned(), SITE_MAIN),
        (SUB2, i_sub1.clone(), SITE_SUB2),
        (SUB1, i_main.clone(), SITE_SUB1),
        (MAIN, i_sub1.clone(), SITE_MAIN),
        (MAIN, other.instance.clone(), SITE_MAIN),
    ];
    for (account, instance, site) in &cases {
        emu.wix(account, Method::PATCH, &assign_path(instance, site), None)
            .await
            .expect_app(428, "PRODUCT_INSTANCE_NOT_FOUND");
        emu.wix(account, Method::PATCH, &unassign_path(instance), None)
            .await
            .expect_app(428, "PRODUCT_INSTANCE_NOT_FOUND");
        emu.wix(account, Method::DELETE, &instance_path(instance), None)
            .await
            .expect_app(428, "PRODUCT_INSTANCE_NOT_FOUND");
        emu.wix(
            account,
            Method::PATCH,
            &instance_path(instance),
            Some(json!({"billingInfo": monthly()})),
        )
        .await
        .expect_app(428, "PRODUCT_INSTANCE_NOT_FOUND");
    }
    let _ = other.site;
}

#[tokio::test]
async fn assign_or_adjust_of_canceled_or_failed_is_428_incompatible_status() {
    let emu = Emu::demo().await;
    emu.manual().await;
    let (_, canceled) = emu.create_plan(SUB1).await;
    emu.wix(SUB1, Method::DELETE, &instance_path(&canceled), None)
        .await
        .expect_status(200);
    let (_, failed) = emu.create_plan(SUB1).await;
    emu.move_to(&failed, "FAILED").await.expect_status(200);
    for instance in [&canceled, &failed] {
        emu.wix(SUB1, Method::PATCH, &assign_path(instance, SITE_SUB1), None)
            .await
            .expect_app(428, "INCOMPATIBLE_PRODUCT_INSTANCE_STATUS");
        emu.wix(
            SUB1,
            Method::PATCH,
            &instance_path(instance),
            Some(json!({"billingInfo": monthly()})),
        )
        .await
        .expect_app(428, "INCOMPATIBLE_PRODUCT_INSTANCE_STATUS");
        emu.wix(
            SUB1,
            Method::PATCH,
            &instance_path(instance),
            Some(json!({"catalogProductId": PLAN_CORE, "billingInfo": yearly()})),
        )
        .await
        .expect_app(428, "INCOMPATIBLE_PRODUCT_INSTANCE_STATUS");
    }
    // PENDING and ENABLED instances can be assigned and adjusted.
    let (_, pending) = emu.create_plan(SUB1).await;
    emu.wix(SUB1, Method::PATCH, &assign_path(&pending, SITE_SUB1), None)
        .await
        .expect_status(200);
    emu.wix(
        SUB1,
        Method::PATCH,
        &instance_path(&pending),
        Some(json!({"billingInfo": monthly()})),
    )
    .await
    .expect_status(200);
}

#[tokio::test]
async fn unassign_floating_and_cancel_canceled_are_200_no_ops() {
    let emu = Emu::demo().await;
    let (package, floating) = emu.create_plan(SUB1).await;
    let before = emu.get_package(SUB1, &package).await.body["package"].clone();
    emu.advance(60_000).await;

    // Unassign of a floating instance.
    let a = emu
        .wix(SUB1, Method::PATCH, &unassign_path(&floating), None)
        .await;
    a.expect_status(200);
    let after = emu.get_package(SUB1, &package).await.body["package"].clone();
    assert_eq!(
        before, after,
        "an unassign of a floating instance changed it"
    );
    assert!(
        a.body["package"]["productInstances"][0]
            .get("siteId")
            .is_none()
    );

    // Cancel twice: the second changes nothing.
    let first = emu
        .wix(SUB1, Method::DELETE, &instance_path(&floating), None)
        .await;
    first.expect_status(200);
    let canceled = emu.get_package(SUB1, &package).await.body["package"].clone();
    assert_eq!(canceled["productInstances"][0]["status"], "CANCELED");
    emu.advance(60_000).await;
    let again = emu
        .wix(SUB1, Method::DELETE, &instance_path(&floating), None)
        .await;
    again.expect_status(200);
    assert_eq!(again.body["package"], canceled);
    assert_eq!(
        emu.get_package(SUB1, &package).await.body["package"],
        canceled
    );
    // Cancel Package of a canceled package.
    let a = emu
        .wix(SUB1, Method::DELETE, &package_path(&package), None)
        .await;
    a.expect_status(200);
    assert_eq!(a.body["package"], canceled);
    let a = emu
        .wix(SUB1, Method::DELETE, &package_path(&package), None)
        .await;
    a.expect_status(200);
    assert_eq!(
        emu.get_package(SUB1, &package).await.body["package"],
        canceled
    );
    // Unassign of a canceled floating instance is a no-op too.
    emu.wix(SUB1, Method::PATCH, &unassign_path(&floating), None)
        .await
        .expect_status(200);
    assert_eq!(
        emu.get_package(SUB1, &package).await.body["package"],
        canceled
    );
}

// ----- reference instances ---------------------------------------------------------------

fn voucher(reference: &str) -> Value {
    json!({"products": [{"catalogProductId": VOUCHER_DOMAIN, "countryCode": "US",
                         "billingInfo": yearly(), "referenceProductInstanceId": reference}]})
}

#[tokio::test]
async fn reference_instance_rows() {
    let emu = Emu::demo().await;
    emu.manual().await;
    let other = other_family(&emu).await;

    // Revision 2: every bad reference is 404 INVALID_REFERENCE_PRODUCT_INSTANCE_ID
    // with Wix's one message. Unknown, or outside the caller's family:
    for reference in [NOBODY, other.instance.as_str()] {
        let a = emu
            .wix(SUB1, Method::POST, CREATE, Some(voucher(reference)))
            .await;
        a.expect_app(404, "INVALID_REFERENCE_PRODUCT_INSTANCE_ID");
        assert_eq!(
            a.body["message"],
            "Reference product instance ID is invalid or has already been used."
        );
    }

    // Not PENDING or ENABLED:
    let (_, awaiting) = emu.create_plan(SUB1).await;
    emu.move_to(&awaiting, "AWAITING_ACTION")
        .await
        .expect_status(200);
    let (_, failed) = emu.create_plan(SUB1).await;
    emu.move_to(&failed, "FAILED").await.expect_status(200);
    let (_, canceled) = emu.create_plan(SUB1).await;
    emu.wix(SUB1, Method::DELETE, &instance_path(&canceled), None)
        .await
        .expect_status(200);
    for reference in [&awaiting, &failed, &canceled] {
        emu.wix(SUB1, Method::POST, CREATE, Some(voucher(reference)))
            .await
            .expect_app(404, "INVALID_REFERENCE_PRODUCT_INSTANCE_ID");
    }

    // A product whose grantsVoucherFor does not name DOMAIN (Core names nothing).
    let core = emu
        .create(
            SUB1,
            json!({"catalogProductId": PLAN_CORE, "countryCode": "US", "billingInfo": yearly()}),
        )
        .await;
    core.expect_status(200);
    emu.wix(
        SUB1,
        Method::POST,
        CREATE,
        Some(voucher(&core.first_instance())),
    )
    .await
    .expect_app(404, "INVALID_REFERENCE_PRODUCT_INSTANCE_ID");

    // PENDING and ENABLED serve, once; then the same 404.
    let (_, pending) = emu.create_plan(SUB1).await;
    let (_, enabled) = emu.create_plan(SUB1).await;
    emu.move_to(&enabled, "ENABLED").await.expect_status(200);
    for reference in [&pending, &enabled] {
        let a = emu
            .wix(SUB1, Method::POST, CREATE, Some(voucher(reference)))
            .await;
        a.expect_status(200);
        assert_eq!(
            a.body["package"]["productInstances"][0]["referenceProductInstanceId"],
            reference.as_str(),
            "{}",
            a.text
        );
        emu.wix(SUB1, Method::POST, CREATE, Some(voucher(reference)))
            .await
            .expect_app(404, "INVALID_REFERENCE_PRODUCT_INSTANCE_ID");
    }
    // A reference of the family, not the header account, is found (family scope):
    // a sibling's or the parent's instance.
    let (_, parents) = emu.create_plan(MAIN).await;
    emu.wix(SUB2, Method::POST, CREATE, Some(voucher(&parents)))
        .await
        .expect_status(200);
    // Twice in one request.
    let (_, twice) = emu.create_plan(SUB1).await;
    let body = json!({"products": [
        {"catalogProductId": VOUCHER_DOMAIN, "countryCode": "US", "billingInfo": yearly(), "referenceProductInstanceId": twice},
        {"catalogProductId": DOMAIN, "countryCode": "US", "billingInfo": yearly(), "referenceProductInstanceId": twice}
    ]});
    emu.wix(SUB1, Method::POST, CREATE, Some(body))
        .await
        .expect_app(404, "INVALID_REFERENCE_PRODUCT_INSTANCE_ID");
    // Nothing was consumed by the refused request: the reference still serves.
    emu.wix(SUB1, Method::POST, CREATE, Some(voucher(&twice)))
        .await
        .expect_status(200);
}

// ----- validation ----------------------------------------------------------------------------

#[tokio::test]
async fn validation_rows_name_the_field_and_the_rule() {
    let emu = Emu::demo().await;
    let create = |body: Value| emu.wix(MAIN, Method::POST, CREATE, Some(body));

    // Missing countryCode.
    create(json!({"products": [{"catalogProductId": PLAN_BUSINESS, "billingInfo": yearly()}]}))
        .await
        .expect_violation("products[0].countryCode", "REQUIRED_FIELD");
    create(json!({"products": [plan(), {"catalogProductId": PLAN_CORE, "billingInfo": yearly()}]}))
        .await
        .expect_violation("products[1].countryCode", "REQUIRED_FIELD");
    // The v1 create that did not need it is gone (Wix removed it): an unknown
    // route, 404.
    emu.wix(
        MAIN,
        Method::POST,
        "/resellers/v1/packages",
        Some(json!({"products": [{"catalogProductId": PLAN_BUSINESS, "billingInfo": yearly()}]})),
    )
    .await
    .expect_status(404);
    // products missing.
    create(json!({}))
        .await
        .expect_violation("products", "REQUIRED_FIELD");
    // externalId over 100 (100 is fine).
    create(json!({"externalId": "x".repeat(101), "products": [plan()]}))
        .await
        .expect_violation("externalId", "MAX_LENGTH");
    create(json!({"externalId": "x".repeat(100), "products": [plan()]}))
        .await
        .expect_status(200);
    // discountCode over 25 (create and adjust).
    let mut p = plan();
    p["discountCode"] = json!("d".repeat(26));
    create(json!({"products": [p]}))
        .await
        .expect_violation("products[0].discountCode", "MAX_LENGTH");
    let (_, instance) = emu.create_plan(MAIN).await;
    emu.wix(
        MAIN,
        Method::PATCH,
        &instance_path(&instance),
        Some(json!({"catalogProductId": PLAN_CORE, "discountCode": "d".repeat(26)})),
    )
    .await
    .expect_violation("discountCode", "MAX_LENGTH");
    // 0 or over 1000 products.
    create(json!({"products": []}))
        .await
        .expect_violation("products", "MIN_SIZE");
    let many: Vec<Value> = (0..1001).map(|_| plan()).collect();
    create(json!({"products": many}))
        .await
        .expect_violation("products", "MAX_SIZE");
    // Bad GUIDs: in the body and in the path.
    create(json!({"products": [{"catalogProductId": "nope", "countryCode": "US"}]}))
        .await
        .expect_violation("products[0].catalogProductId", "FORMAT");
    let mut p = plan();
    p["siteId"] = json!("site-1");
    create(json!({"products": [p]}))
        .await
        .expect_violation("products[0].siteId", "FORMAT");
    let mut p = plan();
    p["referenceProductInstanceId"] = json!("12345");
    create(json!({"products": [p]}))
        .await
        .expect_violation("products[0].referenceProductInstanceId", "FORMAT");
    emu.get_package(MAIN, "not-a-guid")
        .await
        .expect_violation("id", "FORMAT");
    emu.wix(MAIN, Method::PATCH, &assign_path("x", SITE_MAIN), None)
        .await
        .expect_violation("instanceId", "FORMAT");
    emu.wix(MAIN, Method::PATCH, &assign_path(&instance, "y"), None)
        .await
        .expect_violation("siteId", "FORMAT");
    emu.wix(
        MAIN,
        Method::PATCH,
        &instance_path(&instance),
        Some(json!({"catalogProductId": "z"})),
    )
    .await
    .expect_violation("catalogProductId", "FORMAT");
    emu.wix(
        MAIN,
        Method::POST,
        TRANSFER,
        Some(json!({"siteTransfer": {"siteId": "s", "sourceAccountId": SUB1}})),
    )
    .await
    .expect_violation("siteTransfer.siteId", "FORMAT");
    // Bad country codes.
    for code in ["USA", "us", "ZZ", "1A", ""] {
        let mut p = plan();
        p["countryCode"] = json!(code);
        create(json!({"products": [p]}))
            .await
            .expect_violation("products[0].countryCode", "FORMAT");
    }
    // Unknown enum strings (case-sensitive).
    let mut p = plan();
    p["billingInfo"] = json!({"type": "WEEKLY"});
    create(json!({"products": [p]}))
        .await
        .expect_violation("products[0].billingInfo.type", "INVALID_ENUM_VALUE");
    let mut p = plan();
    p["billingInfo"] = json!({"type": "RECURRING", "cycleDuration": {"unit": "year", "count": 1}});
    create(json!({"products": [p]})).await.expect_violation(
        "products[0].billingInfo.cycleDuration.unit",
        "INVALID_ENUM_VALUE",
    );
    query(
        &emu,
        KEY,
        MAIN,
        json!({"sort": [{"fieldName": "createdDate", "order": "UP"}]}),
    )
    .await
    .expect_violation("query.sort[0].order", "INVALID_ENUM_VALUE");
    // limit over 100 (100 is fine).
    query(&emu, KEY, MAIN, json!({"cursorPaging": {"limit": 101}}))
        .await
        .expect_violation("query.cursorPaging.limit", "MAX");
    query(&emu, KEY, MAIN, json!({"paging": {"limit": 101}}))
        .await
        .expect_violation("query.paging.limit", "MAX");
    query(&emu, KEY, MAIN, json!({"cursorPaging": {"limit": 100}}))
        .await
        .expect_status(200);
    // Update External Id: the path's externalId, percent-decoded, at most 100.
    let (package, _) = emu.create_plan(MAIN).await;
    let emu_ref = &emu;
    let update = |ext: String| {
        let path = format!("/resellers/v1/packages/update/{package}/{ext}");
        async move { emu_ref.wix(MAIN, Method::PATCH, &path, None).await }
    };
    update("x".repeat(101))
        .await
        .expect_violation("externalId", "MAX_LENGTH");
    let a = update("order%2047%2F1".to_owned()).await;
    a.expect_status(200);
    assert_eq!(
        a.body["updatedPackage"]["externalId"], "order 47/1",
        "{}",
        a.text
    );
    update("x".repeat(100)).await.expect_status(200);
    // Several violations at once are all reported.
    let a = create(json!({"externalId": "x".repeat(101),
                          "products": [{"catalogProductId": "nope", "countryCode": "ZZ"}]}))
    .await;
    a.expect_violation("externalId", "MAX_LENGTH")
        .expect_violation("products[0].catalogProductId", "FORMAT")
        .expect_violation("products[0].countryCode", "FORMAT");
    // Nothing was created by any refused call.
    let state = emu.state().await;
    assert_eq!(state["packages"].as_array().unwrap().len(), 3, "{state}");
}

// ----- query -----------------------------------------------------------------------------------

#[tokio::test]
async fn invalid_cursors_are_400_invalid_cursor() {
    let emu = Emu::demo().await;
    for _ in 0..3 {
        emu.create_plan(MAIN).await;
    }
    let first = query(&emu, KEY, MAIN, json!({"cursorPaging": {"limit": 1}})).await;
    first.expect_status(200);
    let cursor = first.body["metadata"]["cursors"]["next"]
        .as_str()
        .unwrap_or_else(|| panic!("no next cursor: {}", first.text))
        .to_owned();
    // The real cursor works.
    let second = query(
        &emu,
        KEY,
        MAIN,
        json!({"cursorPaging": {"limit": 1, "cursor": cursor}}),
    )
    .await;
    second.expect_status(200);
    assert_eq!(second.body["packages"].as_array().unwrap().len(), 1);
    assert_ne!(package_ids(&first), package_ids(&second));

    // Malformed.
    for bad in ["garbage", "!!!", "e30", "%%%", "a"] {
        query(&emu, KEY, MAIN, json!({"cursorPaging": {"cursor": bad}}))
            .await
            .expect_app(400, "INVALID_CURSOR");
    }
    // Tampered: every single-character change of the real cursor.
    let bytes: Vec<char> = cursor.chars().collect();
    for i in (0..bytes.len()).step_by((bytes.len() / 16).max(1)) {
        let mut t = bytes.clone();
        t[i] = if t[i] == 'A' { 'B' } else { 'A' };
        let tampered: String = t.into_iter().collect();
        query(
            &emu,
            KEY,
            MAIN,
            json!({"cursorPaging": {"cursor": tampered}}),
        )
        .await
        .expect_app(400, "INVALID_CURSOR");
    }
    query(
        &emu,
        KEY,
        MAIN,
        json!({"cursorPaging": {"cursor": format!("{cursor}x")}}),
    )
    .await
    .expect_app(400, "INVALID_CURSOR");
    // With filter, with sort.
    query(
        &emu,
        KEY,
        MAIN,
        json!({"cursorPaging": {"cursor": cursor}, "filter": {"accountId": MAIN}}),
    )
    .await
    .expect_app(400, "INVALID_CURSOR");
    query(
        &emu,
        KEY,
        MAIN,
        json!({"cursorPaging": {"cursor": cursor}, "sort": [{"fieldName": "createdDate"}]}),
    )
    .await
    .expect_app(400, "INVALID_CURSOR");
    // Another family's key cannot use it either (it is bound to what it pages).
    let other = other_family(&emu).await;
    let a = query(
        &emu,
        &other.key,
        &other.account,
        json!({"cursorPaging": {"cursor": cursor}}),
    )
    .await;
    assert!(
        a.status == 400 || package_ids(&a).is_subset(&set(&[&other.package])),
        "a cursor leaked another family's packages: {}",
        a.text
    );
}

#[tokio::test]
async fn unsupported_queries_are_400_invalid_query() {
    let emu = Emu::demo().await;
    for q in [
        // Field outside the table.
        json!({"filter": {"name": "x"}}),
        json!({"filter": {"productInstances.discountCode": {"$hasSome": ["x"]}}}),
        // Operator outside the table.
        json!({"filter": {"id": {"$gt": NOBODY}}}),
        json!({"filter": {"externalId": {"$startsWith": "order"}}}),
        json!({"filter": {"createdDate": {"$in": ["2024-01-01T00:00:00.000Z"]}}}),
        json!({"filter": {"productInstances.status": {"$eq": "ENABLED"}}}),
        json!({"filter": {"accountId": {"$regex": ".*"}}}),
        // Unsortable field.
        json!({"sort": [{"fieldName": "id"}]}),
        json!({"sort": [{"fieldName": "externalId", "order": "ASC"}]}),
        // Both paging kinds.
        json!({"paging": {"limit": 10}, "cursorPaging": {"limit": 10}}),
    ] {
        query(&emu, KEY, MAIN, q.clone())
            .await
            .expect_app(400, "INVALID_QUERY");
    }
    // The supported table passes.
    for q in [
        json!({"filter": {"id": {"$in": [NOBODY]}}}),
        json!({"filter": {"externalId": {"$exists": true}}}),
        json!({"filter": {"createdDate": {"$gte": "2020-01-01T00:00:00.000Z"}}}),
        json!({"filter": {"productInstances.countryCode": {"$hasAll": ["US"]}}}),
        json!({"sort": [{"fieldName": "updatedDate", "order": "ASC"}]}),
        json!({"filter": {"$and": [{"accountId": MAIN}, {"externalId": {"$ne": "x"}}]}}),
    ] {
        query(&emu, KEY, MAIN, q.clone()).await.expect_status(200);
    }
}

#[tokio::test]
async fn offset_paging_defaults_to_50_caps_at_100_and_counts() {
    let emu = Emu::demo().await;
    let total = 105;
    for i in 0..total {
        let account = [MAIN, SUB1, SUB2][i % 3];
        emu.create_plan(account).await;
    }
    let a = query(&emu, KEY, MAIN, json!({"paging": {}})).await;
    a.expect_status(200);
    assert_eq!(a.body["packages"].as_array().unwrap().len(), 50);
    assert_eq!(a.body["metadata"]["count"], 50);
    assert_eq!(a.body["metadata"]["total"], total);
    // No cursors under offset paging.
    assert!(
        a.body["metadata"]["cursors"]["next"].is_null(),
        "{}",
        a.body["metadata"]
    );
    let a = query(&emu, KEY, MAIN, json!({"paging": {"limit": 100}})).await;
    assert_eq!(a.body["packages"].as_array().unwrap().len(), 100);
    assert_eq!(a.body["metadata"]["total"], total);
    let a = query(
        &emu,
        KEY,
        MAIN,
        json!({"paging": {"limit": 100, "offset": 100}}),
    )
    .await;
    assert_eq!(a.body["packages"].as_array().unwrap().len(), 5);
    assert_eq!(a.body["metadata"]["offset"], 100);
    assert_eq!(a.body["metadata"]["total"], total);
    let a = query(&emu, KEY, MAIN, json!({"paging": {"offset": 200}})).await;
    a.expect_status(200);
    assert_eq!(a.body["packages"], json!([]));
    query(&emu, KEY, MAIN, json!({"paging": {"limit": 101}}))
        .await
        .expect_violation("query.paging.limit", "MAX");
    // The pages cover every package once.
    let mut seen = BTreeSet::new();
    for offset in [0, 50, 100] {
        let a = query(
            &emu,
            KEY,
            MAIN,
            json!({"paging": {"limit": 50, "offset": offset}}),
        )
        .await;
        for id in package_ids(&a) {
            assert!(seen.insert(id), "a package on two pages");
        }
    }
    assert_eq!(seen.len(), total);
    // total under a filter.
    let a = query(
        &emu,
        KEY,
        MAIN,
        json!({"paging": {"limit": 10}, "filter": {"accountId": SUB2}}),
    )
    .await;
    assert_eq!(a.body["metadata"]["total"], 35);
}

#[tokio::test]
async fn query_visibility_follows_the_key() {
    let emu = Emu::demo().await;
    let other = other_family(&emu).await;
    let (p_main, _) = emu.create_plan(MAIN).await;
    let (p_sub1, _) = emu.create_plan(SUB1).await;
    let (p_sub2, _) = emu.create_plan(SUB2).await;
    let family = set(&[&p_main, &p_sub1, &p_sub2]);

    // The main key sees the whole family, whichever family account is in the header.
    for account in [MAIN, SUB1, SUB2] {
        let a = query(&emu, KEY, account, json!({})).await;
        a.expect_status(200);
        assert_eq!(package_ids(&a), family, "header {account}");
    }
    // ... and an accountId filter narrows it.
    let a = query(
        &emu,
        KEY,
        SUB1,
        json!({"filter": {"accountId": {"$eq": SUB2}}}),
    )
    .await;
    assert_eq!(package_ids(&a), set(&[&p_sub2]));
    let a = query(&emu, KEY, MAIN, json!({"filter": {"accountId": MAIN}})).await;
    assert_eq!(package_ids(&a), set(&[&p_main]));
    // Another family's account in the filter: nothing.
    let a = query(
        &emu,
        KEY,
        MAIN,
        json!({"filter": {"accountId": other.account}}),
    )
    .await;
    assert_eq!(package_ids(&a), BTreeSet::new());

    // Revision 2: a sub-account's key sees the header account's whole family too
    // ("responses remain consistent across API keys"); accountId narrows it; the
    // key still may not act for a sibling (403).
    let sub1_key = emu.add_key(SUB1, None).await;
    let a = query(&emu, &sub1_key, SUB1, json!({})).await;
    a.expect_status(200);
    assert_eq!(package_ids(&a), family);
    for (filter, expected) in [
        (json!({"accountId": SUB2}), set(&[&p_sub2])),
        (
            json!({"accountId": {"$in": [SUB2, MAIN]}}),
            set(&[&p_sub2, &p_main]),
        ),
        (json!({"accountId": SUB1}), set(&[&p_sub1])),
        (
            json!({"accountId": {"$ne": SUB1}}),
            set(&[&p_sub2, &p_main]),
        ),
    ] {
        let a = query(&emu, &sub1_key, SUB1, json!({"filter": filter})).await;
        a.expect_status(200);
        assert_eq!(package_ids(&a), expected, "{}", a.text);
    }
    query(&emu, &sub1_key, SUB2, json!({}))
        .await
        .expect_app(403, "PERMISSION_DENIED");
    query(&emu, &sub1_key, MAIN, json!({}))
        .await
        .expect_app(403, "PERMISSION_DENIED");
    // Offset paging's total counts the family the key sees.
    let a = query(&emu, &sub1_key, SUB1, json!({"paging": {}})).await;
    assert_eq!(a.body["metadata"]["total"], 3);
    // The other family sees only its own.
    let a = query(&emu, &other.key, &other.account, json!({})).await;
    assert_eq!(package_ids(&a), set(&[&other.package]));
}

#[tokio::test]
async fn has_some_and_has_all_match_objects_field_by_field() {
    let emu = Emu::demo().await;
    emu.manual().await;
    // One package with a yearly and a monthly instance, one yearly only.
    let both = emu
        .wix(
            MAIN,
            Method::POST,
            CREATE,
            Some(json!({"products": [
                {"catalogProductId": PLAN_BUSINESS, "countryCode": "US", "billingInfo": yearly()},
                {"catalogProductId": ASCEND, "countryCode": "DE", "billingInfo": monthly()}
            ]})),
        )
        .await;
    both.expect_status(200);
    let both_id = both.package_id();
    let (yearly_id, yearly_instance) = emu.create_plan(MAIN).await;
    let failed = emu
        .control(
            Method::POST,
            &format!("/instances/{yearly_instance}/status"),
            Some(json!({"status": "FAILED", "failure": {"code": "DELIVERY_TIMEOUT", "message": "late"}})),
        )
        .await;
    failed.expect_status(200);

    let hit = |filter: Value| {
        let emu = &emu;
        async move {
            let a = query(emu, KEY, MAIN, json!({"filter": filter})).await;
            a.expect_status(200);
            package_ids(&a)
        }
    };
    let y = yearly();
    let m = monthly();
    assert_eq!(
        hit(json!({"productInstances.billingInfo": {"$hasSome": [y]}})).await,
        set(&[&both_id, &yearly_id])
    );
    assert_eq!(
        hit(json!({"productInstances.billingInfo": {"$hasSome": [m]}})).await,
        set(&[&both_id])
    );
    assert_eq!(
        hit(json!({"productInstances.billingInfo": {"$hasAll": [y, m]}})).await,
        set(&[&both_id])
    );
    // Field by field: a partial object, an extra field or another count is no match.
    assert_eq!(
        hit(json!({"productInstances.billingInfo": {"$hasSome": [{"type": "RECURRING"}]}})).await,
        BTreeSet::new()
    );
    assert_eq!(
        hit(json!({"productInstances.billingInfo.cycleDuration": {"$hasSome": [{"unit": "MONTH", "count": 1}]}}))
            .await,
        set(&[&both_id])
    );
    assert_eq!(
        hit(json!({"productInstances.billingInfo.cycleDuration": {"$hasSome": [{"unit": "MONTH", "count": 2}]}}))
            .await,
        BTreeSet::new()
    );
    assert_eq!(
        hit(json!({"productInstances.billingInfo.cycleDuration": {"$hasAll": [{"unit": "YEAR", "count": 1}, {"unit": "MONTH", "count": 1}]}}))
            .await,
        set(&[&both_id])
    );
    assert_eq!(
        hit(json!({"productInstances.failure": {"$hasSome": [{"code": "DELIVERY_TIMEOUT", "message": "late"}]}}))
            .await,
        set(&[&yearly_id])
    );
    assert_eq!(
        hit(json!({"productInstances.failure": {"$hasSome": [{"code": "DELIVERY_TIMEOUT"}]}}))
            .await,
        BTreeSet::new()
    );
    // A whole instance, as the API returns it.
    let instance = failed.body["productInstances"][0].clone();
    assert_eq!(
        hit(json!({"productInstances": {"$hasSome": [instance.clone()]}})).await,
        set(&[&yearly_id])
    );
    let mut changed = instance.clone();
    changed["countryCode"] = json!("BR");
    assert_eq!(
        hit(json!({"productInstances": {"$hasSome": [changed]}})).await,
        BTreeSet::new()
    );
    let got = emu.get_package(MAIN, &both_id).await;
    let instances = got.body["package"]["productInstances"].clone();
    assert_eq!(
        hit(json!({"productInstances": {"$hasAll": instances}})).await,
        set(&[&both_id])
    );
}

#[tokio::test]
async fn enum_values_in_filters_ignore_case_and_answers_stay_upper_case() {
    let emu = Emu::demo().await;
    emu.manual().await;
    let (enabled_id, enabled) = emu.create_plan(MAIN).await;
    emu.move_to(&enabled, "ENABLED").await.expect_status(200);
    let (pending_id, _) = emu.create_plan(MAIN).await;
    let ids = |a: Answer| {
        a.expect_status(200);
        package_ids(&a)
    };
    assert_eq!(
        ids(query(
            &emu,
            KEY,
            MAIN,
            json!({"filter": {"productInstances.status": {"$hasSome": ["ENABLED"]}}})
        )
        .await),
        set(&[&enabled_id])
    );
    assert_eq!(
        ids(query(
            &emu,
            KEY,
            MAIN,
            json!({"filter": {"productInstances.status": {"$hasSome": ["PENDING"]}}})
        )
        .await),
        set(&[&pending_id])
    );
    // Wix's own example filters on "Enabled" and finds an ENABLED package.
    for spelling in ["Enabled", "enabled", "eNaBlEd"] {
        let a = query(
            &emu,
            KEY,
            MAIN,
            json!({"filter": {"productInstances.status": {"$hasAll": [spelling]}}}),
        )
        .await;
        a.expect_status(200);
        assert_eq!(package_ids(&a), set(&[&enabled_id]), "{spelling:?}");
        assert_eq!(
            a.body["packages"][0]["productInstances"][0]["status"], "ENABLED",
            "the answer carries the canonical value"
        );
    }
    assert_eq!(
        ids(query(
            &emu,
            KEY,
            MAIN,
            json!({"filter": {"productInstances.status": {"$hasAll": ["ENABLED "]}}})
        )
        .await),
        BTreeSet::new(),
        "case is ignored, nothing else"
    );
    assert_eq!(
        ids(query(&emu, KEY, MAIN, json!({"filter": {"productInstances.billingInfo.cycleDuration.unit": {"$hasSome": ["year"]}}})).await),
        set(&[&enabled_id, &pending_id])
    );
    assert_eq!(
        ids(query(&emu, KEY, MAIN, json!({"filter": {"productInstances.billingInfo.cycleDuration.unit": {"$hasSome": ["YEAR"]}}})).await),
        set(&[&enabled_id, &pending_id])
    );
}

// ----- spellings -------------------------------------------------------------------------

fn assert_no_snake_case(value: &Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                assert!(!k.contains('_'), "snake_case key {k:?} in an answer");
                assert_ne!(k, "paymentInfo", "paymentInfo in an answer");
                assert_no_snake_case(v);
            }
        }
        Value::Array(list) => list.iter().for_each(assert_no_snake_case),
        _ => {}
    }
}

#[tokio::test]
async fn snake_case_is_accepted_and_answers_are_camel_case() {
    let emu = Emu::demo().await;
    let a = emu
        .wix(
            MAIN,
            Method::POST,
            CREATE,
            Some(json!({
                "idempotency_key": "snake-1",
                "external_id": "order-snake",
                "products": [{
                    "catalog_product_id": PLAN_BUSINESS,
                    "country_code": "BR",
                    "site_id": SITE_MAIN,
                    "billing_info": {"type": "RECURRING", "cycle_duration": {"unit": "YEAR", "count": 1}},
                    "discount_code": "SUMMER"
                }]
            })),
        )
        .await;
    a.expect_status(200);
    assert_eq!(a.body["idempotencyKey"], "snake-1");
    let p = &a.body["package"];
    assert_eq!(p["externalId"], "order-snake");
    assert_eq!(p["accountId"], MAIN);
    let inst = &p["productInstances"][0];
    assert_eq!(inst["catalogProductId"], PLAN_BUSINESS);
    assert_eq!(inst["countryCode"], "BR");
    assert_eq!(inst["siteId"], SITE_MAIN);
    assert_eq!(inst["billingInfo"], yearly());
    assert_no_snake_case(&a.body);
    let instance = a.first_instance();
    let package = a.package_id();

    // Adjust, the idempotent bodies, Query and Transfer Site read snake_case too.
    let adj = emu
        .wix(
            MAIN,
            Method::PATCH,
            &instance_path(&instance),
            Some(json!({"idempotency_key": "snake-2", "catalog_product_id": PLAN_CORE,
                        "billing_info": {"type": "RECURRING", "cycle_duration": {"unit": "MONTH", "count": 1}}})),
        )
        .await;
    adj.expect_status(200);
    assert_eq!(adj.body["idempotencyKey"], "snake-2");
    assert_eq!(
        adj.body["package"]["productInstances"][0]["catalogProductId"],
        PLAN_CORE
    );
    assert_eq!(
        adj.body["package"]["productInstances"][0]["billingInfo"],
        monthly()
    );
    assert_no_snake_case(&adj.body);
    let un = emu
        .wix(
            MAIN,
            Method::PATCH,
            &unassign_path(&instance),
            Some(json!({"idempotency_key": "snake-3"})),
        )
        .await;
    un.expect_status(200);
    assert_eq!(un.body["idempotencyKey"], "snake-3");
    let q = emu
        .wix(
            MAIN,
            Method::POST,
            QUERY,
            Some(json!({"query": {"cursor_paging": {"limit": 5},
                                  "sort": [{"field_name": "createdDate", "order": "ASC"}]}})),
        )
        .await;
    q.expect_status(200);
    assert_eq!(package_ids(&q), set(&[&package]));
    assert_no_snake_case(&q.body);
    let t = emu
        .wix(
            MAIN,
            Method::POST,
            TRANSFER,
            Some(json!({"site_transfer": {"site_id": SITE_SUB1, "source_account_id": SUB1}})),
        )
        .await;
    t.expect_status(200);
    assert_eq!(t.body["siteTransfer"]["siteId"], SITE_SUB1);
    assert_no_snake_case(&t.body);
    let g = emu.get_package(MAIN, &package).await;
    assert_no_snake_case(&g.body);
}

#[tokio::test]
async fn payment_info_is_never_emitted() {
    let emu = Emu::demo().await;
    // Sent as paymentInfo (as the docs examples show it), read as billingInfo.
    let a = emu
        .wix(
            MAIN,
            Method::POST,
            CREATE,
            Some(
                json!({"products": [{"catalogProductId": PLAN_BUSINESS, "countryCode": "US",
                                      "paymentInfo": monthly()}]}),
            ),
        )
        .await;
    a.expect_status(200);
    assert_eq!(
        a.body["package"]["productInstances"][0]["billingInfo"],
        monthly()
    );
    let package = a.package_id();
    let instance = a.first_instance();
    let adj = emu
        .wix(
            MAIN,
            Method::PATCH,
            &instance_path(&instance),
            Some(json!({"paymentInfo": yearly()})),
        )
        .await;
    adj.expect_status(200);
    for text in [
        a.text,
        adj.text,
        emu.get_package(MAIN, &package).await.text,
        query(&emu, KEY, MAIN, json!({})).await.text,
        emu.control(Method::GET, "/state", None).await.text,
    ] {
        assert!(!text.contains("paymentInfo"), "{text}");
        assert!(!text.contains("payment_info"), "{text}");
        assert!(text.contains("billingInfo"), "{text}");
    }
}

// ----- idempotency -----------------------------------------------------------------------

#[tokio::test]
async fn idempotency_keys_replay_refuse_and_expire() {
    let emu = Emu::demo().await;
    let body = json!({"idempotencyKey": "order-1", "externalId": "o-1", "products": [plan()]});
    let first = emu
        .wix(SUB1, Method::POST, CREATE, Some(body.clone()))
        .await;
    first.expect_status(200);
    assert_eq!(first.body["idempotencyKey"], "order-1");
    let count = || async { emu.state().await["packages"].as_array().unwrap().len() };
    assert_eq!(count().await, 1);

    // Same key, same body: the first answer, nothing changes.
    emu.advance(3_600_000).await;
    let again = emu
        .wix(SUB1, Method::POST, CREATE, Some(body.clone()))
        .await;
    again.expect_status(200);
    assert_eq!(again.body, first.body);
    assert_eq!(count().await, 1);

    // Same key, different body: 409 IDEMPOTENCY_KEY_REUSED.
    let mut other = body.clone();
    other["externalId"] = json!("o-2");
    emu.wix(SUB1, Method::POST, CREATE, Some(other.clone()))
        .await
        .expect_app(409, "IDEMPOTENCY_KEY_REUSED");
    assert_eq!(count().await, 1);

    // The same key on another account is another request.
    let elsewhere = emu
        .wix(SUB2, Method::POST, CREATE, Some(body.clone()))
        .await;
    elsewhere.expect_status(200);
    assert_ne!(elsewhere.package_id(), first.package_id());
    assert_eq!(count().await, 2);

    // Still remembered just before 24 hours of emulated time ...
    emu.advance(22 * 3_600_000).await;
    let replay = emu
        .wix(SUB1, Method::POST, CREATE, Some(body.clone()))
        .await;
    assert_eq!(replay.body, first.body);
    emu.wix(SUB1, Method::POST, CREATE, Some(other.clone()))
        .await
        .expect_app(409, "IDEMPOTENCY_KEY_REUSED");
    // ... and new after them: the key applies again.
    emu.advance(3_600_000 + 1).await;
    let fresh = emu.wix(SUB1, Method::POST, CREATE, Some(other)).await;
    fresh.expect_status(200);
    assert_ne!(fresh.package_id(), first.package_id());
    assert_eq!(fresh.body["package"]["externalId"], "o-2");
    assert_eq!(count().await, 3);

    // Mutations of instances replay too, and a refusal is replayed as well.
    let instance = fresh.first_instance();
    let keyed = json!({"idempotencyKey": "assign-1"});
    let assign = emu
        .wix(
            SUB1,
            Method::PATCH,
            &assign_path(&instance, SITE_SUB1),
            Some(keyed.clone()),
        )
        .await;
    assign.expect_status(200);
    let un = emu
        .wix(SUB1, Method::PATCH, &unassign_path(&instance), None)
        .await;
    un.expect_status(200);
    let replayed = emu
        .wix(
            SUB1,
            Method::PATCH,
            &assign_path(&instance, SITE_SUB1),
            Some(keyed),
        )
        .await;
    replayed.expect_status(200);
    assert_eq!(replayed.body, assign.body);
    let now = emu.get_package(SUB1, &fresh.package_id()).await;
    assert!(
        now.body["package"]["productInstances"][0]
            .get("siteId")
            .is_none(),
        "the replay assigned again: {}",
        now.text
    );
}

#[tokio::test]
async fn idempotency_key_in_the_query_of_the_two_deletes() {
    let emu = Emu::demo().await;
    let (package, _) = emu.create_plan(SUB1).await;
    let (other_package, instance) = emu.create_plan(SUB1).await;

    // Cancel Package.
    let path = format!("{}?idempotencyKey=cancel-p", package_path(&package));
    let first = emu.wix(SUB1, Method::DELETE, &path, None).await;
    first.expect_status(200);
    assert_eq!(first.body["idempotencyKey"], "cancel-p");
    assert_eq!(
        first.body["package"]["productInstances"][0]["status"],
        "CANCELED"
    );
    emu.advance(60_000).await;
    let again = emu.wix(SUB1, Method::DELETE, &path, None).await;
    assert_eq!(again.body, first.body);
    // The same key for another package: a different request.
    emu.wix(
        SUB1,
        Method::DELETE,
        &format!("{}?idempotencyKey=cancel-p", package_path(&other_package)),
        None,
    )
    .await
    .expect_app(409, "IDEMPOTENCY_KEY_REUSED");

    // Cancel Product Instance.
    let path = format!("{}?idempotencyKey=cancel-i", instance_path(&instance));
    let first = emu.wix(SUB1, Method::DELETE, &path, None).await;
    first.expect_status(200);
    assert_eq!(first.body["idempotencyKey"], "cancel-i");
    let again = emu.wix(SUB1, Method::DELETE, &path, None).await;
    assert_eq!(again.body, first.body);
    // Percent-encoded keys are decoded.
    let (_, third) = emu.create_plan(SUB1).await;
    let a = emu
        .wix(
            SUB1,
            Method::DELETE,
            &format!("{}?idempotencyKey=order%2047%2F1", instance_path(&third)),
            None,
        )
        .await;
    a.expect_status(200);
    assert_eq!(a.body["idempotencyKey"], "order 47/1");
    // The log records the key.
    let log = emu.control(Method::GET, "/requests?limit=1", None).await;
    assert_eq!(log.body["requests"][0]["idempotencyKey"], "order 47/1");
    // The body's key wins over the query's.
    let (_, fourth) = emu.create_plan(SUB1).await;
    let a = emu
        .wix(
            SUB1,
            Method::DELETE,
            &format!("{}?idempotencyKey=from-query", instance_path(&fourth)),
            Some(json!({"idempotencyKey": "from-body"})),
        )
        .await;
    a.expect_status(200);
    assert_eq!(a.body["idempotencyKey"], "from-body");
}

// ----- injected errors ---------------------------------------------------------------------

#[tokio::test]
async fn injected_5xx_and_4xx_bodies() {
    let emu = Emu::demo().await;
    let (package, _) = emu.create_plan(MAIN).await;
    let get = package_path(&package);
    for status in [500, 502, 503, 504] {
        emu.control(
            Method::POST,
            "/faults",
            Some(json!({"rules": [{"status": status, "times": 1}]})),
        )
        .await
        .expect_status(201);
        let a = emu.wix(MAIN, Method::GET, &get, None).await;
        assert_eq!(a.status, status);
        assert_eq!(a.body, json!({"message": "", "details": {}}), "{}", a.text);
    }
    for (status, code) in [
        (400, "INVALID_ARGUMENT"),
        (401, "UNAUTHENTICATED"),
        (403, "PERMISSION_DENIED"),
        (404, "NOT_FOUND"),
        (428, "FAILED_PRECONDITION"),
        (429, "RESOURCE_EXHAUSTED"),
    ] {
        emu.control(
            Method::POST,
            "/faults",
            Some(json!({"rules": [{"status": status, "times": 1}]})),
        )
        .await
        .expect_status(201);
        emu.wix(MAIN, Method::GET, &get, None)
            .await
            .expect_app(status, code);
    }
    emu.control(
        Method::POST,
        "/faults",
        Some(
            json!({"rules": [{"status": 409, "errorCode": "IDEMPOTENCY_KEY_REUSED", "times": 1}]}),
        ),
    )
    .await
    .expect_status(201);
    emu.wix(MAIN, Method::GET, &get, None)
        .await
        .expect_app(409, "IDEMPOTENCY_KEY_REUSED");
    emu.wix(MAIN, Method::GET, &get, None)
        .await
        .expect_status(200);
}

// ----- the accounts and sites endpoints ---------------------------------------------------

#[tokio::test]
async fn accounts_and_sites_endpoints_follow_the_same_rows() {
    let emu = Emu::demo().await;
    // Unknown header account: 404 ACCOUNT_NOT_FOUND.
    emu.wix(
        NOBODY,
        Method::GET,
        "/accounts/v1/account/child-accounts",
        None,
    )
    .await
    .expect_app(404, "ACCOUNT_NOT_FOUND");
    emu.wix(
        NOBODY,
        Method::POST,
        "/site-list/v2/sites/query",
        Some(json!({"query": {}})),
    )
    .await
    .expect_app(404, "ACCOUNT_NOT_FOUND");
    emu.wix(
        NOBODY,
        Method::POST,
        "/accounts/v1/accounts/create",
        Some(json!({"user": {"email": {"emailAddress": "a@example.com"}}})),
    )
    .await
    .expect_app(404, "ACCOUNT_NOT_FOUND");
    // Limits over the maximum: MAX on the dotted path.
    emu.wix(
        MAIN,
        Method::POST,
        "/site-list/v2/sites/query",
        Some(json!({"query": {"cursorPaging": {"limit": 101}}})),
    )
    .await
    .expect_violation("query.cursorPaging.limit", "MAX");
    emu.wix(
        MAIN,
        Method::GET,
        "/accounts/v1/account/child-accounts?paging.limit=51",
        None,
    )
    .await
    .expect_violation("paging.limit", "MAX");
    emu.wix(
        MAIN,
        Method::GET,
        "/accounts/v1/account/child-accounts?paging.limit=ten",
        None,
    )
    .await
    .expect_violation("paging.limit", "FORMAT");
    // Query Sites: ids are compared as text (a non-GUID finds nothing); unsupported
    // operators, sorts and paging are INVALID_QUERY.
    let none = emu
        .wix(
            MAIN,
            Method::POST,
            "/site-list/v2/sites/query",
            Some(json!({"query": {"filter": {"id": {"$in": ["nope"]}}}})),
        )
        .await;
    none.expect_status(200);
    assert_eq!(none.body["sites"], json!([]), "{}", none.text);
    for q in [
        json!({"filter": {"published": {"$startsWith": "t"}}}),
        json!({"filter": {"name": {"$nin": ["x"]}}}),
        json!({"filter": {"appIds": {"$eq": "x"}}}),
        json!({"filter": {"searchPhrase": {"$startsWith": "x"}}}),
        json!({"filter": {"namespace": {"$gt": "A"}}}),
        json!({"filter": {"name": {"$regex": "x"}}}),
        json!({"sort": [{"fieldName": "id"}]}),
        json!({"sort": [{"fieldName": "name", "order": "ASC"}]}),
        json!({"paging": {"limit": 1}}),
    ] {
        emu.wix(
            MAIN,
            Method::POST,
            "/site-list/v2/sites/query",
            Some(json!({"query": q})),
        )
        .await
        .expect_app(400, "INVALID_QUERY");
    }
    emu.wix(
        MAIN,
        Method::POST,
        "/site-list/v2/sites/query",
        Some(json!({"query": {"cursorPaging": {"cursor": "garbage"}}})),
    )
    .await
    .expect_app(400, "INVALID_CURSOR");
    // A sub-account's key sees its own sites only.
    let sub1_key = emu.add_key(SUB1, None).await;
    let a = emu
        .wix_as(
            &sub1_key,
            SUB1,
            Method::POST,
            "/site-list/v2/sites/query",
            Some(json!({"query": {}})),
        )
        .await;
    a.expect_status(200);
    let ids: Vec<&str> = a.body["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![SITE_SUB1], "{}", a.text);
    emu.wix_as(
        &sub1_key,
        SUB2,
        Method::POST,
        "/site-list/v2/sites/query",
        Some(json!({"query": {}})),
    )
    .await
    .expect_app(403, "PERMISSION_DENIED");
}

#[tokio::test]
async fn idempotency_keys_are_scoped_by_method_and_read_semantically() {
    let emu = Emu::demo().await;
    let body = json!({"idempotencyKey": "k-1", "externalId": "o-1", "products": [plan()]});
    let first = emu.wix(SUB1, Method::POST, CREATE, Some(body)).await;
    first.expect_status(200);
    // The same request spelled differently (snake_case, member order, whitespace).
    let respelled = json!({"products": [{"billing_info": yearly(), "country_code": "US",
                                         "catalog_product_id": PLAN_BUSINESS}],
                           "external_id": "o-1", "idempotency_key": "k-1"});
    let again = emu.wix(SUB1, Method::POST, CREATE, Some(respelled)).await;
    again.expect_status(200);
    assert_eq!(again.body, first.body);
    // Cancel Package with the key of the create: another method, a new request.
    let cancel = emu
        .wix(
            SUB1,
            Method::DELETE,
            &package_path(&first.package_id()),
            Some(json!({"idempotencyKey": "k-1"})),
        )
        .await;
    cancel.expect_status(200);
    assert_eq!(
        cancel.body["package"]["productInstances"][0]["status"],
        "CANCELED"
    );
}

/// A replaced or reset state forgets its idempotency keys with everything else: a
/// key then names no earlier request (and never replays a package that is gone).
#[tokio::test]
async fn reset_and_import_forget_idempotency_keys() {
    let emu = Emu::demo().await;
    let seed = emu.state().await;
    let body = json!({"idempotencyKey": "k-1", "products": [plan()]});
    let first = emu
        .wix(SUB1, Method::POST, CREATE, Some(body.clone()))
        .await;
    first.expect_status(200);
    let count = || async { emu.state().await["packages"].as_array().unwrap().len() };

    emu.control(Method::PUT, "/state", Some(seed.clone()))
        .await
        .expect_status(204);
    let after_import = emu
        .wix(SUB1, Method::POST, CREATE, Some(body.clone()))
        .await;
    after_import.expect_status(200);
    assert_ne!(after_import.package_id(), first.package_id());
    assert_eq!(count().await, 1);

    emu.control(Method::POST, "/reset", None)
        .await
        .expect_status(204);
    emu.control(Method::PUT, "/state", Some(seed))
        .await
        .expect_status(204);
    let after_reset = emu.wix(SUB1, Method::POST, CREATE, Some(body)).await;
    after_reset.expect_status(200);
    assert_ne!(after_reset.package_id(), after_import.package_id());
    assert_eq!(count().await, 1);
}

/// Many copies of one keyed request at once: one package, one answer for all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_retries_apply_once() {
    let emu = Emu::demo().await;
    let body =
        serde_json::to_vec(&json!({"idempotencyKey": "race-1", "products": [plan()]})).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let http = emu.http.clone();
        let url = format!("{}{CREATE}", emu.base);
        let body = body.clone();
        tasks.spawn(async move {
            let r = http
                .post(url)
                .header("authorization", KEY)
                .header("wix-account-id", SUB1)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        });
    }
    let mut answers = BTreeSet::new();
    while let Some(done) = tasks.join_next().await {
        let (status, text) = done.unwrap();
        assert_eq!(status, 200, "{text}");
        answers.insert(text);
    }
    assert_eq!(answers.len(), 1, "different answers: {answers:?}");
    assert_eq!(emu.state().await["packages"].as_array().unwrap().len(), 1);
}
