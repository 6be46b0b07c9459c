//! Every control call of `spec/emulator.md`'s table, over real HTTP on a free port,
//! exactly as the table writes it.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::support::*;
use reqwest::Method;
use reseller_domain::Timestamp;
use reseller_emulator::Emulator;
use serde_json::{Value, json};

fn millis(text: &str) -> i64 {
    Timestamp::parse_rfc3339(text)
        .unwrap_or_else(|_| panic!("not RFC 3339: {text}"))
        .unix_millis()
}

fn rfc3339(ms: i64) -> String {
    Timestamp::from_unix_millis(ms).unwrap().to_rfc3339()
}

// ----- health and reset ------------------------------------------------------------

#[tokio::test]
async fn health_answers_ok() {
    let emu = Emu::empty().await;
    let a = emu.control(Method::GET, "/health", None).await;
    a.expect_status(200);
    assert_eq!(a.body, json!({"status": "ok"}));
    assert!(
        a.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn reset_forgets_everything() {
    let emu = Emu::demo().await;
    let (package, _) = emu.create_plan(MAIN).await;
    emu.manual().await;
    emu.control(
        Method::POST,
        "/faults",
        Some(json!({"rules": [{"pathPrefix": "/resellers/", "status": 503}]})),
    )
    .await
    .expect_status(201);

    let a = emu.control(Method::POST, "/reset", None).await;
    a.expect_status(204);
    assert!(a.text.is_empty(), "204 with a body: {}", a.text);

    // Accounts, sites, catalog, packages: gone.
    let accounts = emu.control(Method::GET, "/accounts", None).await;
    assert_eq!(accounts.body, json!({"accounts": []}));
    let sites = emu.control(Method::GET, "/sites", None).await;
    assert_eq!(sites.body, json!({"sites": []}));
    let catalog = emu.control(Method::GET, "/catalog", None).await;
    assert_eq!(catalog.body, json!({"products": []}));
    let state = emu.state().await;
    for list in [
        "accounts",
        "sites",
        "catalog",
        "apiKeys",
        "allowedTransfers",
        "packages",
    ] {
        assert!(
            state[list].as_array().is_none_or(Vec::is_empty),
            "{list} survived the reset: {state}"
        );
    }
    // Keys: gone (the demo key is unknown now). Faults: gone (no 503).
    emu.get_package(MAIN, &package)
        .await
        .expect_app(401, "UNAUTHENTICATED");

    // A fresh account and key work, unfaulted; provisioning is back to auto.
    let account = emu.add_account(None).await;
    let key = emu.add_key(&account, None).await;
    emu.control(
        Method::POST,
        "/catalog",
        Some(json!({"id": PLAN_BUSINESS, "productType": "PREMIUM_PLAN", "billingCycles": [yearly()]})),
    )
    .await
    .expect_status(201);
    let created = emu
        .wix_as(
            &key,
            &account,
            Method::POST,
            "/resellers/v2/packages",
            Some(json!({"products": [{"catalogProductId": PLAN_BUSINESS, "countryCode": "US"}]})),
        )
        .await;
    created.expect_status(200);
    let got = emu
        .wix_as(
            &key,
            &account,
            Method::GET,
            &format!("/resellers/v1/packages/{}", created.package_id()),
            None,
        )
        .await;
    got.expect_status(200);
    assert_eq!(
        got.body["package"]["productInstances"][0]["status"], "ENABLED",
        "provisioning was not reset to auto: {}",
        got.text
    );
}

// ----- accounts, sites, catalog, allowed transfers ---------------------------------------

#[tokio::test]
async fn accounts_are_created_and_listed() {
    let emu = Emu::empty().await;
    // No id: one is generated.
    let a = emu
        .control(Method::POST, "/accounts", Some(json!({})))
        .await;
    a.expect_status(201);
    let generated = a.body["id"].as_str().unwrap().to_owned();
    assert!(is_guid(&generated), "{}", a.text);
    assert!(a.body.get("parentAccountId").is_none());

    // With every member.
    let main = "b2000000-0000-4000-8000-000000000001";
    let a = emu
        .control(
            Method::POST,
            "/accounts",
            Some(json!({"id": main, "name": "Reseller", "strategicPartner": true})),
        )
        .await;
    a.expect_status(201);
    assert_eq!(a.body["id"], main);
    assert_eq!(a.body["name"], "Reseller");
    assert_eq!(a.body["strategicPartner"], true);

    // A sub-account of a main account.
    let sub = "b2000000-0000-4000-8000-000000000002";
    let a = emu
        .control(
            Method::POST,
            "/accounts",
            Some(json!({"id": sub, "parentAccountId": main, "name": "Customer"})),
        )
        .await;
    a.expect_status(201);
    assert_eq!(a.body["parentAccountId"], main);

    // The parent must exist ...
    let a = emu
        .control(
            Method::POST,
            "/accounts",
            Some(json!({"parentAccountId": NOBODY})),
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert_wix_error(&a.body);
    assert!(
        a.violations()
            .iter()
            .any(|v| v["field"] == "parentAccountId"),
        "{}",
        a.text
    );
    // ... and be a main account (sub-accounts are one level deep).
    let a = emu
        .control(
            Method::POST,
            "/accounts",
            Some(json!({"parentAccountId": sub})),
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert!(
        a.violations()
            .iter()
            .any(|v| v["field"] == "parentAccountId"),
        "{}",
        a.text
    );
    // A bad GUID is a FORMAT violation; a known id a conflict.
    emu.control(Method::POST, "/accounts", Some(json!({"id": "nope"})))
        .await
        .expect_violation("id", "FORMAT");
    let a = emu
        .control(Method::POST, "/accounts", Some(json!({"id": main})))
        .await;
    assert_eq!(a.status, 409, "{}", a.text);
    assert_wix_error(&a.body);

    let list = emu.control(Method::GET, "/accounts", None).await;
    list.expect_status(200);
    let ids: BTreeSet<&str> = list.body["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, BTreeSet::from([generated.as_str(), main, sub]));
    let listed_sub = list.body["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == sub)
        .unwrap();
    assert_eq!(listed_sub["parentAccountId"], main);
    assert_eq!(listed_sub["name"], "Customer");
}

#[tokio::test]
async fn sites_keep_external_paid_services_and_filter_by_account() {
    let emu = Emu::empty().await;
    let one = emu.add_account(None).await;
    let two = emu.add_account(None).await;
    let site = "5b000000-0000-4000-8000-000000000001";
    let a = emu
        .control(
            Method::POST,
            "/sites",
            Some(json!({
                "id": site, "accountId": one, "name": "shop",
                "externalPaidServices": ["Wix Stores bought on wix.com"]
            })),
        )
        .await;
    a.expect_status(201);
    assert_eq!(a.body["id"], site);
    assert_eq!(a.body["accountId"], one.as_str());
    assert_eq!(a.body["name"], "shop");
    assert_eq!(
        a.body["externalPaidServices"],
        json!(["Wix Stores bought on wix.com"])
    );
    // Generated id.
    let a = emu
        .control(Method::POST, "/sites", Some(json!({"accountId": two})))
        .await;
    a.expect_status(201);
    let other = a.body["id"].as_str().unwrap().to_owned();
    assert!(is_guid(&other));
    // The owner must exist; accountId is required.
    emu.control(Method::POST, "/sites", Some(json!({"accountId": NOBODY})))
        .await
        .expect_app(404, "ACCOUNT_NOT_FOUND");
    emu.control(Method::POST, "/sites", Some(json!({"name": "x"})))
        .await
        .expect_violation("accountId", "REQUIRED_FIELD");

    let all = emu.control(Method::GET, "/sites", None).await;
    all.expect_status(200);
    assert_eq!(all.body["sites"].as_array().unwrap().len(), 2);
    let mine = emu
        .control(Method::GET, &format!("/sites?accountId={one}"), None)
        .await;
    mine.expect_status(200);
    let sites = mine.body["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 1, "{}", mine.text);
    assert_eq!(sites[0]["id"], site);
    assert_eq!(
        sites[0]["externalPaidServices"],
        json!(["Wix Stores bought on wix.com"])
    );
    let theirs = emu
        .control(Method::GET, &format!("/sites?accountId={two}"), None)
        .await;
    assert_eq!(theirs.body["sites"][0]["id"], other.as_str());
    let nobody = emu
        .control(Method::GET, &format!("/sites?accountId={NOBODY}"), None)
        .await;
    assert_eq!(nobody.body, json!({"sites": []}));
}

#[tokio::test]
async fn catalog_products_default_to_settings_and_resellable() {
    let emu = Emu::empty().await;
    let account = emu.add_account(None).await;
    let key = emu.add_key(&account, None).await;
    let product = "cc000000-0000-4000-8000-000000000001";
    let a = emu
        .control(
            Method::POST,
            "/catalog",
            Some(json!({
                "id": product, "productType": "PREMIUM_PLAN", "name": "Plan",
                "billingCycles": [{"type": "ONE_TIME"},
                                  {"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}}]
            })),
        )
        .await;
    a.expect_status(201);
    assert_eq!(a.body["id"], product);
    assert_eq!(a.body["productType"], "PREMIUM_PLAN");
    assert_eq!(a.body["hasSettings"], true, "{}", a.text);
    assert_eq!(a.body["resellable"], true, "{}", a.text);
    assert_eq!(a.body["billingCycles"].as_array().unwrap().len(), 2);

    // The optional members are kept.
    let domain = "cc000000-0000-4000-8000-000000000002";
    let a = emu
        .control(
            Method::POST,
            "/catalog",
            Some(json!({
                "id": domain, "productType": "DOMAIN", "billingCycles": [yearly()],
                "requiresProductType": "PREMIUM_PLAN", "subscriptionLimit": 1,
                "hasSettings": true, "resellable": true
            })),
        )
        .await;
    a.expect_status(201);
    assert_eq!(a.body["requiresProductType"], "PREMIUM_PLAN");
    assert_eq!(a.body["subscriptionLimit"], 1);
    let unsettled = "cc000000-0000-4000-8000-000000000003";
    emu.control(
        Method::POST,
        "/catalog",
        Some(json!({"id": unsettled, "productType": "X", "billingCycles": [yearly()], "hasSettings": false})),
    )
    .await
    .expect_status(201);
    let unsellable = "cc000000-0000-4000-8000-000000000004";
    emu.control(
        Method::POST,
        "/catalog",
        Some(json!({"id": unsellable, "productType": "Y", "billingCycles": [yearly()], "resellable": false})),
    )
    .await
    .expect_status(201);

    let list = emu.control(Method::GET, "/catalog", None).await;
    list.expect_status(200);
    let ids: BTreeSet<&str> = list.body["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from([product, domain, unsettled, unsellable])
    );

    // The members take effect on the Wix surface.
    let create = |id: &str| json!({"products": [{"catalogProductId": id, "countryCode": "US", "billingInfo": yearly()}]});
    let post = |body: Value| {
        emu.wix_as(
            &key,
            &account,
            Method::POST,
            "/resellers/v2/packages",
            Some(body),
        )
    };
    post(create(unsettled))
        .await
        .expect_app(428, "PRODUCT_SETTINGS_NOT_FOUND");
    post(create(unsellable))
        .await
        .expect_app(428, "INVALID_PRODUCTS");
    post(create(domain)).await.expect_status(200);
    post(create(domain))
        .await
        .expect_app(428, "PRODUCT_LIMIT_EXCEEDED");
    // Two cycles and none given.
    post(json!({"products": [{"catalogProductId": product, "countryCode": "US"}]}))
        .await
        .expect_app(428, "MISSING_BILLING_CYCLE");
    post(json!({"products": [{"catalogProductId": product, "countryCode": "US", "billingInfo": {"type": "ONE_TIME"}}]}))
        .await
        .expect_status(200);

    // requiresProductType: a site must hold that type first.
    let addon = "cc000000-0000-4000-8000-000000000005";
    emu.control(
        Method::POST,
        "/catalog",
        Some(
            json!({"id": addon, "productType": "DOMAIN", "billingCycles": [yearly()],
                    "requiresProductType": "PREMIUM_PLAN"}),
        ),
    )
    .await
    .expect_status(201);
    let site = emu.add_site(&account).await;
    let on_site = |id: &str, cycle: Value| json!({"products": [{"catalogProductId": id, "countryCode": "US", "siteId": site, "billingInfo": cycle}]});
    post(on_site(addon, yearly()))
        .await
        .expect_app(428, "PRODUCT_NOT_SUPPORTED_ON_SITE");
    let plan = post(on_site(product, monthly())).await;
    plan.expect_status(200);
    post(on_site(addon, yearly())).await.expect_status(200);
    // productType: a site holds one of a type; Adjust stays within the type.
    post(on_site(product, json!({"type": "ONE_TIME"})))
        .await
        .expect_app(428, "PRODUCT_TYPE_ALREADY_ASSIGNED");
    emu.wix_as(
        &key,
        &account,
        Method::PATCH,
        &format!(
            "/resellers/v1/packages/product-instances/{}",
            plan.first_instance()
        ),
        Some(json!({"catalogProductId": addon, "billingInfo": yearly()})),
    )
    .await
    .expect_app(428, "INCOMPATIBLE_PRODUCT");

    // Required members.
    emu.control(
        Method::POST,
        "/catalog",
        Some(json!({"productType": "X", "billingCycles": [yearly()]})),
    )
    .await
    .expect_violation("id", "REQUIRED_FIELD");
    emu.control(
        Method::POST,
        "/catalog",
        Some(json!({"id": addon, "billingCycles": [yearly()]})),
    )
    .await
    .expect_violation("productType", "REQUIRED_FIELD");
    let a = emu
        .control(
            Method::POST,
            "/catalog",
            Some(json!({"id": addon, "productType": "X", "billingCycles": []})),
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert!(a.violations().iter().any(|v| v["field"] == "billingCycles"));
    emu.control(
        Method::POST,
        "/catalog",
        Some(json!({"id": addon, "productType": "X", "billingCycles": [{"type": "WEEKLY"}]})),
    )
    .await
    .expect_violation("billingCycles[0].type", "INVALID_ENUM_VALUE");
}

#[tokio::test]
async fn allowed_transfers_gate_transfer_site() {
    let emu = Emu::empty().await;
    let source = emu.add_account(None).await;
    let target = emu.add_account(None).await;
    let key = emu.add_key(&target, None).await;
    let site = emu.add_site(&source).await;
    let transfer = json!({"siteTransfer": {"siteId": site, "sourceAccountId": source}});

    // Not on the list: 403 SITE_TRANSFER_NOT_ALLOWED.
    emu.wix_as(
        &key,
        &target,
        Method::POST,
        "/b2b-site-management/v1/transfer-site",
        Some(transfer.clone()),
    )
    .await
    .expect_app(403, "SITE_TRANSFER_NOT_ALLOWED");

    let a = emu
        .control(
            Method::POST,
            "/allowed-transfers",
            Some(json!({"sourceAccountId": source, "targetAccountId": target})),
        )
        .await;
    a.expect_status(201);
    assert_eq!(a.body["sourceAccountId"], source.as_str());
    assert_eq!(a.body["targetAccountId"], target.as_str());
    // Unknown accounts and missing members are refused.
    emu.control(
        Method::POST,
        "/allowed-transfers",
        Some(json!({"sourceAccountId": NOBODY, "targetAccountId": target})),
    )
    .await
    .expect_app(404, "ACCOUNT_NOT_FOUND");
    emu.control(
        Method::POST,
        "/allowed-transfers",
        Some(json!({"sourceAccountId": source})),
    )
    .await
    .expect_violation("targetAccountId", "REQUIRED_FIELD");

    let done = emu
        .wix_as(
            &key,
            &target,
            Method::POST,
            "/b2b-site-management/v1/transfer-site",
            Some(transfer.clone()),
        )
        .await;
    done.expect_status(200);
    assert_eq!(done.body["siteTransfer"]["siteId"], site.as_str());
    let sites = emu
        .control(Method::GET, &format!("/sites?accountId={target}"), None)
        .await;
    assert_eq!(
        sites.body["sites"][0]["id"],
        site.as_str(),
        "{}",
        sites.text
    );

    // The reverse pair is not on the list.
    // externalPaidServices block a transfer.
    let blocked = emu
        .control(
            Method::POST,
            "/sites",
            Some(json!({"accountId": source, "externalPaidServices": ["Wix Stores"]})),
        )
        .await;
    blocked.expect_status(201);
    emu.wix_as(
        &key,
        &target,
        Method::POST,
        "/b2b-site-management/v1/transfer-site",
        Some(json!({"siteTransfer": {"siteId": blocked.body["id"], "sourceAccountId": source}})),
    )
    .await
    .expect_app(428, "SITE_TRANSFER_NOT_SUPPORTED");

    let back = emu.add_key(&source, None).await;
    emu.wix_as(
        &back,
        &source,
        Method::POST,
        "/b2b-site-management/v1/transfer-site",
        Some(json!({"siteTransfer": {"siteId": site, "sourceAccountId": target}})),
    )
    .await
    .expect_app(403, "SITE_TRANSFER_NOT_ALLOWED");
}

// ----- API keys ----------------------------------------------------------------------------

#[tokio::test]
async fn api_keys_carry_scopes() {
    let emu = Emu::demo().await;
    let (package, _) = emu.create_plan(MAIN).await;

    // Absent scopes: all five.
    let a = emu
        .control(Method::POST, "/api-keys", Some(json!({"accountId": MAIN})))
        .await;
    a.expect_status(201);
    let all = a.body["key"].as_str().unwrap().to_owned();
    assert!(!all.is_empty());
    assert_eq!(a.body["accountId"], MAIN);
    let scopes: BTreeSet<&str> = a.body["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(scopes, BTreeSet::from(ALL_SCOPES));
    emu.wix_as(
        &all,
        MAIN,
        Method::GET,
        &format!("/resellers/v1/packages/{package}"),
        None,
    )
    .await
    .expect_status(200);

    // []: none; every Wix call is 403.
    let a = emu
        .control(
            Method::POST,
            "/api-keys",
            Some(json!({"accountId": MAIN, "scopes": []})),
        )
        .await;
    a.expect_status(201);
    assert_eq!(a.body["scopes"], json!([]));
    let none = a.body["key"].as_str().unwrap().to_owned();
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::GET,
            format!("/resellers/v1/packages/{package}"),
            None,
        ),
        (
            Method::POST,
            "/resellers/v1/packages/query".into(),
            Some(json!({"query": {}})),
        ),
        (
            Method::POST,
            "/resellers/v2/packages".into(),
            Some(
                json!({"products": [{"catalogProductId": PLAN_CORE, "countryCode": "US", "billingInfo": yearly()}]}),
            ),
        ),
        (
            Method::POST,
            "/b2b-site-management/v1/transfer-site".into(),
            Some(json!({"siteTransfer": {"siteId": SITE_SUB1, "sourceAccountId": SUB1}})),
        ),
        (
            Method::POST,
            "/accounts/v1/accounts/create".into(),
            Some(json!({"user": {"email": {"emailAddress": "x@example.com"}}})),
        ),
        (
            Method::GET,
            "/accounts/v1/account/child-accounts".into(),
            None,
        ),
        (
            Method::POST,
            "/site-list/v2/sites/query".into(),
            Some(json!({"query": {}})),
        ),
    ];
    for (method, path, body) in &calls {
        emu.wix_as(&none, MAIN, method.clone(), path, body.clone())
            .await
            .expect_app(403, "PERMISSION_DENIED");
    }

    // Read only: Get and Query, not Create or Cancel.
    let read = emu
        .add_key(MAIN, Some(&["premium.reseller-package.read"]))
        .await;
    emu.wix_as(
        &read,
        MAIN,
        Method::GET,
        &format!("/resellers/v1/packages/{package}"),
        None,
    )
    .await
    .expect_status(200);
    emu.wix_as(
        &read,
        MAIN,
        Method::POST,
        "/resellers/v1/packages/query",
        Some(json!({"query": {}})),
    )
    .await
    .expect_status(200);
    emu.wix_as(
        &read,
        MAIN,
        Method::POST,
        "/resellers/v2/packages",
        calls[2].2.clone(),
    )
    .await
    .expect_app(403, "PERMISSION_DENIED");
    emu.wix_as(
        &read,
        MAIN,
        Method::DELETE,
        &format!("/resellers/v1/packages/{package}"),
        None,
    )
    .await
    .expect_app(403, "PERMISSION_DENIED");

    // Manage implies read; it does not give transfers or accounts.
    let manage = emu
        .add_key(MAIN, Some(&["premium.reseller-package.manage"]))
        .await;
    emu.wix_as(
        &manage,
        MAIN,
        Method::GET,
        &format!("/resellers/v1/packages/{package}"),
        None,
    )
    .await
    .expect_status(200);
    emu.wix_as(
        &manage,
        MAIN,
        Method::POST,
        "/resellers/v2/packages",
        calls[2].2.clone(),
    )
    .await
    .expect_status(200);
    for (method, path, body) in &calls[3..] {
        emu.wix_as(&manage, MAIN, method.clone(), path, body.clone())
            .await
            .expect_app(403, "PERMISSION_DENIED");
    }

    // b2b-site-management.manage: Transfer Site only.
    let b2b = emu
        .add_key(MAIN, Some(&["b2b-site-management.manage"]))
        .await;
    emu.wix_as(
        &b2b,
        MAIN,
        Method::GET,
        &format!("/resellers/v1/packages/{package}"),
        None,
    )
    .await
    .expect_app(403, "PERMISSION_DENIED");
    emu.wix_as(
        &b2b,
        MAIN,
        calls[3].0.clone(),
        &calls[3].1,
        calls[3].2.clone(),
    )
    .await
    .expect_status(200);

    // accounts.manage: Create Account, List Child Accounts, Query Sites.
    let accounts = emu.add_key(MAIN, Some(&["accounts.manage"])).await;
    emu.wix_as(
        &accounts,
        MAIN,
        Method::GET,
        &format!("/resellers/v1/packages/{package}"),
        None,
    )
    .await
    .expect_app(403, "PERMISSION_DENIED");
    for (method, path, body) in &calls[4..] {
        emu.wix_as(&accounts, MAIN, method.clone(), path, body.clone())
            .await
            .expect_status(200);
    }

    // An unknown permission id, a missing or unknown account.
    emu.control(
        Method::POST,
        "/api-keys",
        Some(json!({"accountId": MAIN, "scopes": ["premium.everything"]})),
    )
    .await
    .expect_violation("scopes[0]", "INVALID_ENUM_VALUE");
    emu.control(Method::POST, "/api-keys", Some(json!({})))
        .await
        .expect_violation("accountId", "REQUIRED_FIELD");
    emu.control(
        Method::POST,
        "/api-keys",
        Some(json!({"accountId": NOBODY})),
    )
    .await
    .expect_app(404, "ACCOUNT_NOT_FOUND");
}

// ----- instance status, provisioning, clock ---------------------------------------------

#[tokio::test]
async fn instance_status_moves_like_provisioning() {
    let emu = Emu::demo().await;
    emu.manual().await;
    let (package, instance) = emu.create_plan(SUB1).await;

    let a = emu.move_to(&instance, "AWAITING_ACTION").await;
    a.expect_status(200);
    // The answer is the package itself.
    assert_eq!(a.body["id"], package.as_str(), "{}", a.text);
    assert_eq!(a.body["productInstances"][0]["status"], "AWAITING_ACTION");
    let a = emu.move_to(&instance, "ENABLED").await;
    a.expect_status(200);
    assert_eq!(a.body["productInstances"][0]["status"], "ENABLED");
    let got = emu.get_package(SUB1, &package).await;
    assert_eq!(
        got.body["package"]["productInstances"][0]["status"],
        "ENABLED"
    );

    // Illegal: ENABLED back to PENDING, ENABLED to ENABLED.
    emu.move_to(&instance, "PENDING").await.expect_status(409);
    let a = emu.move_to(&instance, "ENABLED").await;
    a.expect_status(409);
    assert_wix_error(&a.body);

    // FAILED with its reason; then nothing moves it again.
    let (_, second) = emu.create_plan(SUB2).await;
    let a = emu
        .control(
            Method::POST,
            &format!("/instances/{second}/status"),
            Some(json!({"status": "FAILED", "failure": {"code": "DELIVERY_TIMEOUT", "message": "too slow"}})),
        )
        .await;
    a.expect_status(200);
    let inst = &a.body["productInstances"][0];
    assert_eq!(inst["status"], "FAILED");
    assert_eq!(
        inst["failure"],
        json!({"code": "DELIVERY_TIMEOUT", "message": "too slow"})
    );
    emu.move_to(&second, "ENABLED").await.expect_status(409);
    emu.move_to(&second, "CANCELED").await.expect_status(409);

    // Bad input.
    emu.move_to(&instance, "ACTIVE")
        .await
        .expect_violation("status", "INVALID_ENUM_VALUE");
    emu.control(
        Method::POST,
        &format!("/instances/{instance}/status"),
        Some(json!({})),
    )
    .await
    .expect_violation("status", "REQUIRED_FIELD");
    emu.move_to("not-a-guid", "ENABLED")
        .await
        .expect_violation("instanceId", "FORMAT");
    let a = emu.move_to(NOBODY, "ENABLED").await;
    assert!(a.status == 404 || a.status == 428, "{}", a.text);
    assert_wix_error(&a.body);
}

#[tokio::test]
async fn provisioning_auto_without_delay_enables_on_the_next_request() {
    let emu = Emu::demo().await;
    let created = emu
        .create(
            MAIN,
            json!({"catalogProductId": PLAN_BUSINESS, "countryCode": "US", "billingInfo": yearly()}),
        )
        .await;
    assert_eq!(
        created.body["package"]["productInstances"][0]["status"], "PENDING",
        "{}",
        created.text
    );
    let got = emu.get_package(MAIN, &created.package_id()).await;
    assert_eq!(
        got.body["package"]["productInstances"][0]["status"], "ENABLED",
        "{}",
        got.text
    );
}

#[tokio::test]
async fn provisioning_auto_with_delay_waits_for_emulated_time() {
    let emu = Emu::demo().await;
    let a = emu
        .control(
            Method::PUT,
            "/provisioning",
            Some(json!({"mode": "auto", "delayMs": 3_600_000})),
        )
        .await;
    a.expect_status(200);
    let (package, _) = emu.create_plan(MAIN).await;
    let status = |a: &Answer| a.body["package"]["productInstances"][0]["status"].clone();
    assert_eq!(status(&emu.get_package(MAIN, &package).await), "PENDING");
    emu.advance(1_800_000).await;
    assert_eq!(status(&emu.get_package(MAIN, &package).await), "PENDING");
    emu.advance(1_800_000).await;
    assert_eq!(status(&emu.get_package(MAIN, &package).await), "ENABLED");

    // Bad documents.
    emu.control(
        Method::PUT,
        "/provisioning",
        Some(json!({"mode": "eventually"})),
    )
    .await
    .expect_violation("mode", "INVALID_ENUM_VALUE");
    emu.control(Method::PUT, "/provisioning", Some(json!({})))
        .await
        .expect_violation("mode", "REQUIRED_FIELD");
    emu.control(
        Method::PUT,
        "/provisioning",
        Some(json!({"mode": "auto", "delayMs": -1})),
    )
    .await
    .expect_violation("delayMs", "MIN");
}

#[tokio::test]
async fn provisioning_manual_stays_pending_until_moved() {
    let emu = Emu::demo().await;
    emu.control(
        Method::PUT,
        "/provisioning",
        Some(json!({"mode": "manual"})),
    )
    .await
    .expect_status(200);
    let (package, instance) = emu.create_plan(MAIN).await;
    let status = |a: &Answer| a.body["package"]["productInstances"][0]["status"].clone();
    assert_eq!(status(&emu.get_package(MAIN, &package).await), "PENDING");
    emu.advance(30 * 24 * 3_600_000).await;
    assert_eq!(status(&emu.get_package(MAIN, &package).await), "PENDING");
    emu.move_to(&instance, "ENABLED").await.expect_status(200);
    assert_eq!(status(&emu.get_package(MAIN, &package).await), "ENABLED");

    // Back to auto: a new instance is enabled from the next request on.
    emu.control(Method::PUT, "/provisioning", Some(json!({"mode": "auto"})))
        .await
        .expect_status(200);
    let (next, _) = emu.create_plan(SUB1).await;
    assert_eq!(status(&emu.get_package(SUB1, &next).await), "ENABLED");
}

#[tokio::test]
async fn clock_moves_only_forward() {
    let emu = Emu::empty().await;
    let start = emu.advance(0).await;
    let t0 = millis(&start);

    let a = emu
        .control(
            Method::POST,
            "/clock",
            Some(json!({"advanceMs": 3_600_000})),
        )
        .await;
    a.expect_status(200);
    let t1 = millis(a.body["now"].as_str().unwrap());
    assert!(t1 - t0 >= 3_600_000, "{start} -> {}", a.text);
    assert!(t1 - t0 < 3_600_000 + 60_000, "{start} -> {}", a.text);

    // set: to a later time.
    let later = rfc3339(t1 + 10 * 86_400_000);
    let a = emu
        .control(Method::POST, "/clock", Some(json!({"set": later})))
        .await;
    a.expect_status(200);
    let t2 = millis(a.body["now"].as_str().unwrap());
    assert!(t2 >= millis(&later), "{later} -> {}", a.text);
    assert!(t2 - millis(&later) < 60_000, "{later} -> {}", a.text);

    // set to the past: 200, and the clock stays where it was (never backwards).
    let a = emu
        .control(
            Method::POST,
            "/clock",
            Some(json!({"set": "2001-01-01T00:00:00.000Z"})),
        )
        .await;
    a.expect_status(200);
    let t3 = millis(a.body["now"].as_str().unwrap());
    assert!(t3 >= t2, "the clock went back: {}", a.text);

    // A negative advance is refused, as are bad documents.
    emu.control(Method::POST, "/clock", Some(json!({"advanceMs": -1})))
        .await
        .expect_violation("advanceMs", "MIN");
    emu.control(Method::POST, "/clock", Some(json!({"set": "yesterday"})))
        .await
        .expect_violation("set", "FORMAT");
    let a = emu.control(Method::POST, "/clock", Some(json!({}))).await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert_wix_error(&a.body);
    let a = emu
        .control(
            Method::POST,
            "/clock",
            Some(json!({"advanceMs": 1, "set": later})),
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.text);
    let t4 = millis(&emu.advance(0).await);
    assert!(t4 >= t3);
    assert!(t4 - t3 < 60_000, "a refused move moved the clock");

    // The emulated clock dates what the Wix surface writes.
    let emu = Emu::demo().await;
    let now = millis(&emu.advance(365 * 86_400_000).await);
    let created = emu
        .create(
            MAIN,
            json!({"catalogProductId": PLAN_BUSINESS, "countryCode": "US", "billingInfo": yearly()}),
        )
        .await;
    let date = millis(created.body["package"]["createdDate"].as_str().unwrap());
    assert!(date >= now && date - now < 60_000, "{}", created.text);
}

// ----- faults ----------------------------------------------------------------------------------

async fn add_rules(emu: &Emu, rules: Value) -> Answer {
    let a = emu
        .control(Method::POST, "/faults", Some(json!({"rules": rules})))
        .await;
    a.expect_status(201);
    a
}

#[tokio::test]
async fn faults_answer_their_status_and_body() {
    let emu = Emu::demo().await;
    let (package, _) = emu.create_plan(MAIN).await;
    let get = format!("/resellers/v1/packages/{package}");

    // 5xx: exactly {"message": "", "details": {}}; ids are given.
    let a = add_rules(
        &emu,
        json!([{"method": "GET", "pathPrefix": "/resellers/v1/packages/", "status": 503, "times": 1}]),
    )
    .await;
    let rules = a.body["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 1);
    assert!(rules[0]["id"].is_string(), "{}", a.text);
    let a = emu.wix(MAIN, Method::GET, &get, None).await;
    assert_eq!(a.status, 503);
    assert_eq!(a.body, json!({"message": "", "details": {}}), "{}", a.text);
    emu.wix(MAIN, Method::GET, &get, None)
        .await
        .expect_status(200);

    // No status: 500, same body.
    add_rules(&emu, json!([{"pathPrefix": "/resellers/", "times": 1}])).await;
    let a = emu.wix(MAIN, Method::GET, &get, None).await;
    assert_eq!(a.status, 500);
    assert_eq!(a.body, json!({"message": "", "details": {}}));

    // 4xx: Wix error whose code is the status name by default; Retry-After.
    add_rules(
        &emu,
        json!([{"pathPrefix": "/resellers/", "status": 429, "retryAfterSeconds": 7, "times": 1}]),
    )
    .await;
    let a = emu.wix(MAIN, Method::GET, &get, None).await;
    a.expect_app(429, "RESOURCE_EXHAUSTED");
    assert_eq!(a.headers["retry-after"].to_str().unwrap(), "7");

    // errorCode given.
    add_rules(
        &emu,
        json!([{"pathPrefix": "/resellers/", "status": 428, "errorCode": "PRODUCT_LIMIT_EXCEEDED", "times": 1}]),
    )
    .await;
    emu.wix(MAIN, Method::GET, &get, None)
        .await
        .expect_app(428, "PRODUCT_LIMIT_EXCEEDED");
    // Retry-After on a 5xx too.
    add_rules(
        &emu,
        json!([{"status": 503, "retryAfterSeconds": 2, "times": 1}]),
    )
    .await;
    let a = emu.wix(MAIN, Method::GET, &get, None).await;
    assert_eq!(a.status, 503);
    assert_eq!(a.headers["retry-after"].to_str().unwrap(), "2");
    assert_eq!(a.body, json!({"message": "", "details": {}}));

    // method and pathPrefix select: a POST rule leaves GETs alone.
    add_rules(
        &emu,
        json!([{"method": "post", "pathPrefix": "/resellers/v2/packages", "status": 502}]),
    )
    .await;
    emu.wix(MAIN, Method::GET, &get, None)
        .await
        .expect_status(200);
    let a = emu
        .wix(
            MAIN,
            Method::POST,
            "/resellers/v2/packages",
            Some(json!({"products": [{"catalogProductId": PLAN_CORE, "countryCode": "US", "billingInfo": yearly()}]})),
        )
        .await;
    assert_eq!(a.status, 502);
    // Control calls are never faulted.
    emu.control(Method::GET, "/health", None)
        .await
        .expect_status(200);

    // DELETE clears.
    let a = emu.control(Method::DELETE, "/faults", None).await;
    a.expect_status(204);
    assert!(a.text.is_empty());
    emu.create(
        MAIN,
        json!({"catalogProductId": PLAN_CORE, "countryCode": "US", "billingInfo": yearly()}),
    )
    .await;
}

#[tokio::test]
async fn fault_times_count_down_and_probability_zero_never_hits() {
    let emu = Emu::demo().await;
    let (package, _) = emu.create_plan(MAIN).await;
    let get = format!("/resellers/v1/packages/{package}");

    add_rules(
        &emu,
        json!([{"pathPrefix": "/resellers/", "status": 500, "times": 3}]),
    )
    .await;
    for _ in 0..3 {
        assert_eq!(emu.wix(MAIN, Method::GET, &get, None).await.status, 500);
    }
    for _ in 0..3 {
        emu.wix(MAIN, Method::GET, &get, None)
            .await
            .expect_status(200);
    }

    add_rules(&emu, json!([{"status": 500, "probability": 0}])).await;
    for _ in 0..50 {
        emu.wix(MAIN, Method::GET, &get, None)
            .await
            .expect_status(200);
    }
    emu.control(Method::DELETE, "/faults", None)
        .await
        .expect_status(204);

    // probability 1 always hits (explicitly).
    add_rules(&emu, json!([{"status": 500, "probability": 1}])).await;
    for _ in 0..5 {
        assert_eq!(emu.wix(MAIN, Method::GET, &get, None).await.status, 500);
    }
    emu.control(Method::DELETE, "/faults", None)
        .await
        .expect_status(204);

    // A partial probability hits some of many requests.
    add_rules(&emu, json!([{"status": 500, "probability": 0.5}])).await;
    let mut hits = 0;
    for _ in 0..200 {
        if emu.wix(MAIN, Method::GET, &get, None).await.status == 500 {
            hits += 1;
        }
    }
    assert!((20..=180).contains(&hits), "{hits} hits of 200 at 0.5");
    emu.control(Method::DELETE, "/faults", None)
        .await
        .expect_status(204);

    // Invalid rules are refused and add nothing.
    for (rule, field, violated) in [
        (json!({"probability": 1.5}), "rules[0].probability", "MAX"),
        (json!({"times": -1}), "rules[0].times", "MIN"),
        (json!({"status": 200}), "rules[0].status", "FORMAT"),
        (json!({"delayMs": -5}), "rules[0].delayMs", "MIN"),
        (json!({"method": "GE T"}), "rules[0].method", "FORMAT"),
    ] {
        emu.control(Method::POST, "/faults", Some(json!({"rules": [rule]})))
            .await
            .expect_violation(field, violated);
    }
    emu.wix(MAIN, Method::GET, &get, None)
        .await
        .expect_status(200);
}

#[tokio::test]
async fn fault_delay_slows_the_request_down() {
    let emu = Emu::demo().await;
    let (package, _) = emu.create_plan(MAIN).await;
    let get = format!("/resellers/v1/packages/{package}");
    // Only delayMs: slowed down, then answered normally.
    add_rules(
        &emu,
        json!([{"pathPrefix": "/resellers/", "delayMs": 300, "times": 1}]),
    )
    .await;
    let started = Instant::now();
    emu.wix(MAIN, Method::GET, &get, None)
        .await
        .expect_status(200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let log = emu.control(Method::GET, "/requests?limit=1", None).await;
    assert!(
        log.body["requests"][0]["durationMs"].as_u64().unwrap() >= 300,
        "{}",
        log.text
    );
    // delayMs with a status: slowed down, then failed.
    add_rules(
        &emu,
        json!([{"pathPrefix": "/resellers/", "delayMs": 200, "status": 503, "times": 1}]),
    )
    .await;
    let started = Instant::now();
    assert_eq!(emu.wix(MAIN, Method::GET, &get, None).await.status, 503);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn fault_drop_connection_gives_a_connection_error() {
    let emu = Emu::demo().await;
    let (package, _) = emu.create_plan(MAIN).await;
    let get = format!("/resellers/v1/packages/{package}");
    add_rules(
        &emu,
        json!([{"pathPrefix": "/resellers/", "dropConnection": true}]),
    )
    .await;
    let result = emu
        .try_send(
            Method::GET,
            &get,
            &[("authorization", KEY), ("wix-account-id", MAIN)],
            None,
        )
        .await;
    let err = result.expect_err("a dropped connection answered");
    assert!(!err.is_status(), "{err}");
    // The log records it with status 0.
    let log = emu.control(Method::GET, "/requests?limit=1", None).await;
    assert_eq!(log.body["requests"][0]["path"], get.as_str());
    assert_eq!(log.body["requests"][0]["status"], 0, "{}", log.text);
    emu.control(Method::DELETE, "/faults", None)
        .await
        .expect_status(204);
    emu.wix(MAIN, Method::GET, &get, None)
        .await
        .expect_status(200);
}

#[tokio::test]
async fn fault_after_commit_applies_then_fails() {
    let emu = Emu::demo().await;
    add_rules(
        &emu,
        json!([{"method": "POST", "pathPrefix": "/resellers/v2/packages", "status": 503, "afterCommit": true, "times": 1}]),
    )
    .await;
    let body = json!({
        "idempotencyKey": "order-1",
        "products": [{"catalogProductId": PLAN_BUSINESS, "countryCode": "US", "billingInfo": yearly()}]
    });
    let a = emu
        .wix(
            MAIN,
            Method::POST,
            "/resellers/v2/packages",
            Some(body.clone()),
        )
        .await;
    assert_eq!(a.status, 503);
    assert_eq!(a.body, json!({"message": "", "details": {}}));
    // The change was applied.
    let state = emu.state().await;
    let packages = state["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 1, "{state}");
    // The client's retry with the same key gets the first answer, nothing twice.
    let retry = emu
        .wix(MAIN, Method::POST, "/resellers/v2/packages", Some(body))
        .await;
    retry.expect_status(200);
    assert_eq!(retry.package_id(), packages[0]["id"].as_str().unwrap());
    assert_eq!(retry.body["idempotencyKey"], "order-1");
    assert_eq!(emu.state().await["packages"].as_array().unwrap().len(), 1);

    // After commit with a dropped connection: applied, no answer.
    add_rules(
        &emu,
        json!([{"method": "DELETE", "afterCommit": true, "dropConnection": true, "times": 1}]),
    )
    .await;
    let id = retry.package_id();
    let result = emu
        .try_send(
            Method::DELETE,
            &format!("/resellers/v1/packages/{id}"),
            &[("authorization", KEY), ("wix-account-id", MAIN)],
            None,
        )
        .await;
    assert!(result.is_err());
    let got = emu.get_package(MAIN, &id).await;
    assert_eq!(
        got.body["package"]["productInstances"][0]["status"], "CANCELED",
        "{}",
        got.text
    );
}

// ----- request log -------------------------------------------------------------------------

#[tokio::test]
async fn request_log_is_newest_first_with_its_fields() {
    let emu = Emu::demo().await;
    let (package, _) = emu.create_plan(SUB1).await;
    let cancel = emu
        .wix(
            SUB1,
            Method::DELETE,
            &format!("/resellers/v1/packages/{package}"),
            Some(json!({"idempotencyKey": "cancel-7"})),
        )
        .await;
    cancel.expect_status(200);
    emu.get_package(SUB1, NOBODY)
        .await
        .expect_app(404, "PACKAGE_NOT_FOUND");
    emu.send(
        Method::GET,
        "/resellers/v1/packages/x",
        &[("authorization", "sk_secret_wrong_key")],
        None,
    )
    .await
    .expect_app(401, "UNAUTHENTICATED");

    let a = emu.control(Method::GET, "/requests", None).await;
    a.expect_status(200);
    let entries = a.body["requests"].as_array().unwrap();
    assert_eq!(entries.len(), 4, "{}", a.text);
    // Newest first.
    assert_eq!(entries[0]["path"], "/resellers/v1/packages/x");
    assert_eq!(entries[0]["status"], 401);
    assert!(entries[0].get("accountId").is_none_or(Value::is_null));
    assert_eq!(
        entries[1]["path"],
        format!("/resellers/v1/packages/{NOBODY}")
    );
    assert_eq!(entries[1]["status"], 404);
    assert_eq!(entries[1]["method"], "GET");
    assert_eq!(entries[1]["accountId"], SUB1);
    assert_eq!(entries[2]["method"], "DELETE");
    assert_eq!(entries[2]["status"], 200);
    assert_eq!(entries[2]["idempotencyKey"], "cancel-7");
    assert_eq!(entries[3]["method"], "POST");
    assert_eq!(entries[3]["path"], "/resellers/v2/packages");
    for e in entries {
        assert!(millis(e["at"].as_str().unwrap()) > 0);
        assert!(e["method"].is_string());
        assert!(e["path"].as_str().unwrap().starts_with('/'));
        assert!(e["status"].is_u64());
        assert!(e["durationMs"].is_u64());
        let keys: BTreeSet<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        let allowed = BTreeSet::from([
            "at",
            "method",
            "path",
            "status",
            "durationMs",
            "accountId",
            "idempotencyKey",
            "errorCode",
        ]);
        assert!(keys.is_subset(&allowed), "{e}");
        // An error answer names its Wix code, a success none.
        assert_eq!(
            e["status"].as_u64().unwrap() >= 400,
            e["errorCode"].is_string(),
            "{e}"
        );
    }
    let ats: Vec<i64> = entries
        .iter()
        .map(|e| millis(e["at"].as_str().unwrap()))
        .collect();
    assert!(ats.windows(2).all(|w| w[0] >= w[1]), "{ats:?}");
    // No API key anywhere, known or not.
    assert!(!a.text.contains(KEY), "{}", a.text);
    assert!(!a.text.contains("sk_secret_wrong_key"), "{}", a.text);

    // limit.
    let a = emu.control(Method::GET, "/requests?limit=2", None).await;
    assert_eq!(a.body["requests"].as_array().unwrap().len(), 2);
    assert_eq!(a.body["requests"][0]["status"], 401);
    let a = emu.control(Method::GET, "/requests?limit=0", None).await;
    assert_eq!(a.body, json!({"requests": []}));
    emu.control(Method::GET, "/requests?limit=many", None)
        .await
        .expect_violation("limit", "FORMAT");
    // Control calls are logged too (the log's own reads and health are not).
    let key = emu.add_key(MAIN, None).await;
    let a = emu.control(Method::GET, "/requests?limit=1", None).await;
    assert_eq!(a.body["requests"][0]["path"], "/_emulator/api-keys");
    assert_eq!(a.body["requests"][0]["status"], 201);
    assert!(!a.text.contains(&key));
}

#[tokio::test]
async fn request_log_is_bounded_and_never_shows_keys() {
    let emu = Emu::demo().await;
    let secret = emu.add_key(SUB1, None).await;
    // More requests than the log keeps (1000), on many connections at once.
    let total = 1_200;
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let http = emu.http.clone();
        let base = emu.base.clone();
        let secret = secret.clone();
        tasks.spawn(async move {
            for i in 0..total / 8 {
                let key = if i % 2 == 0 { secret.as_str() } else { KEY };
                let r = http
                    .get(format!("{base}/resellers/v1/packages/{NOBODY}"))
                    .header("authorization", key)
                    .header("wix-account-id", SUB1)
                    .header("x-worker", worker.to_string())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status().as_u16(), 404);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let a = emu.control(Method::GET, "/requests", None).await;
    a.expect_status(200);
    let n = a.body["requests"].as_array().unwrap().len();
    assert!(n <= 1_000, "the log grew to {n}");
    assert!(n >= 900, "the log kept only {n}");
    let a = emu
        .control(Method::GET, "/requests?limit=100000", None)
        .await;
    assert_eq!(a.body["requests"].as_array().unwrap().len(), n);
    assert!(!a.text.contains(&secret));
    assert!(!a.text.contains(KEY));
}

// ----- state ----------------------------------------------------------------------------------

#[tokio::test]
async fn state_round_trips_through_export_reset_import() {
    let emu = Emu::demo().await;
    emu.manual().await;
    let (p1, i1) = emu.create_plan(SUB1).await;
    let (_, i2) = emu.create_plan(SUB2).await;
    emu.move_to(&i1, "ENABLED").await.expect_status(200);
    emu.control(
        Method::POST,
        &format!("/instances/{i2}/status"),
        Some(json!({"status": "FAILED", "failure": {"code": "X", "message": "broke"}})),
    )
    .await
    .expect_status(200);
    emu.wix(
        SUB1,
        Method::PATCH,
        &format!("/resellers/v1/packages/update/{p1}/order-42"),
        None,
    )
    .await
    .expect_status(200);
    emu.add_key(SUB2, Some(&["premium.reseller-package.read"]))
        .await;

    let exported = emu.state().await;
    for list in [
        "accounts",
        "sites",
        "catalog",
        "apiKeys",
        "allowedTransfers",
    ] {
        assert!(
            !exported[list].as_array().unwrap().is_empty(),
            "{list} missing from {exported}"
        );
    }
    assert_eq!(exported["packages"].as_array().unwrap().len(), 2);

    emu.control(Method::POST, "/reset", None)
        .await
        .expect_status(204);
    assert_eq!(emu.state().await["packages"], json!([]));

    let a = emu
        .control(Method::PUT, "/state", Some(exported.clone()))
        .await;
    a.expect_status(204);
    assert!(a.text.is_empty());
    assert_eq!(emu.state().await, exported);
    // The imported state serves the Wix surface.
    let got = emu.get_package(SUB1, &p1).await;
    got.expect_status(200);
    assert_eq!(got.body["package"]["externalId"], "order-42");
    assert_eq!(
        got.body["package"]["productInstances"][0]["status"],
        "ENABLED"
    );

    // PUT replaces (not merges).
    let a = emu
        .control(
            Method::PUT,
            "/state",
            Some(json!({"accounts": [{"id": MAIN}]})),
        )
        .await;
    a.expect_status(204);
    let state = emu.state().await;
    assert_eq!(state["accounts"].as_array().unwrap().len(), 1);
    assert!(state["packages"].as_array().is_none_or(Vec::is_empty));
    emu.get_package(MAIN, &p1)
        .await
        .expect_app(401, "UNAUTHENTICATED");

    // An inconsistent document is refused and changes nothing.
    let a = emu
        .control(
            Method::PUT,
            "/state",
            Some(json!({"accounts": [{"id": SUB1, "parentAccountId": NOBODY}]})),
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert_wix_error(&a.body);
    assert_eq!(emu.state().await, state);
    let a = emu
        .control(Method::PUT, "/state", Some(json!({"accounts": "many"})))
        .await;
    a.expect_app(400, "INVALID_ARGUMENT");
}

// ----- admin token ------------------------------------------------------------------------------

#[tokio::test]
async fn admin_token_guards_the_control_api_only() {
    let emulator = Emulator::in_memory().with_admin_token(Some("t".into()));
    assert!(emulator.load_demo_seed_if_empty().await.unwrap());
    let mut emu = Emu::start(emulator).await;

    for path in ["/health", "/accounts", "/requests", "/state"] {
        emu.control(Method::GET, path, None)
            .await
            .expect_app(401, "UNAUTHENTICATED");
    }
    for header in ["Bearer wrong", "t", "bearer t", "Basic t"] {
        let a = emu
            .send(
                Method::GET,
                "/_emulator/health",
                &[("authorization", header)],
                None,
            )
            .await;
        assert_eq!(a.status, 401, "{header:?} was let in");
    }
    // A Wix key is no admin token.
    let a = emu
        .send(
            Method::POST,
            "/_emulator/reset",
            &[("authorization", KEY)],
            None,
        )
        .await;
    assert_eq!(a.status, 401);

    // No spelling of a control path gets past the token.
    for path in [
        "//_emulator/health",
        "/_emulator//health",
        "/_emulator/health/",
        "/_emulator/./health",
        "/%5Femulator/health",
        "/_emulator/../_emulator/health",
        "/_emulator/%68ealth",
    ] {
        let a = emu.send(Method::GET, path, &[], None).await;
        assert_ne!(
            a.status, 200,
            "{path} answered without the token: {}",
            a.text
        );
        assert_wix_error(&a.body);
    }

    emu.admin = Some("t".into());
    let a = emu.control(Method::GET, "/health", None).await;
    a.expect_status(200);
    assert_eq!(a.body, json!({"status": "ok"}));
    emu.control(Method::GET, "/accounts", None)
        .await
        .expect_status(200);

    // The Wix routes are unaffected: the demo key works without the token.
    let (package, _) = emu.create_plan(MAIN).await;
    emu.get_package(MAIN, &package).await.expect_status(200);
    // ... and the admin token is no Wix key.
    emu.send(
        Method::GET,
        &format!("/resellers/v1/packages/{package}"),
        &[("authorization", "Bearer t"), ("wix-account-id", MAIN)],
        None,
    )
    .await
    .expect_app(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn unknown_control_paths_and_methods_are_wix_shaped() {
    let emu = Emu::empty().await;
    for (method, path) in [
        (Method::GET, "/_emulator/nothing"),
        (Method::DELETE, "/_emulator/health"),
        (Method::GET, "/_emulator/reset"),
        (Method::PUT, "/_emulator/faults"),
    ] {
        let a = emu.send(method.clone(), path, &[], None).await;
        assert!(
            a.status == 404 || a.status == 405,
            "{method} {path}: {}",
            a.text
        );
        assert_wix_error(&a.body);
    }
    let a = emu
        .send(
            Method::POST,
            "/_emulator/accounts",
            &[("content-type", "application/json")],
            None,
        )
        .await;
    // An empty body is an empty document.
    a.expect_status(201);
    let a = emu
        .control(Method::POST, "/accounts", Some(json!([1, 2])))
        .await;
    a.expect_app(400, "INVALID_ARGUMENT");
    let a = emu.control(Method::GET, "/openapi.json", None).await;
    a.expect_status(200);
    assert!(a.body["openapi"].as_str().unwrap().starts_with('3'));
}
