//! The package rows marked **new** in revision 2 of `spec/emulator.md`, over real
//! HTTP: the catalog's `adjustable`, `grantsVoucherFor`, `expires` and `tld`;
//! Adjust of a product that cannot be adjusted; dependent services; expiring
//! instances and the `extend` control call; `leaveFloating` on a failed move.

use crate::support::*;
use reqwest::Method;
use serde_json::{Value, json};

const LOGO: &str = reseller_emulator::demo::LOGO_ID;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn assign_path(instance: &str, site: &str) -> String {
    format!("/resellers/v1/packages/product-instances/{instance}/{site}")
}

fn instance_path(instance: &str) -> String {
    format!("/resellers/v1/packages/product-instances/{instance}")
}

/// The first instance of package `id` of `account`, as Get Package answers it.
async fn instance_of(emu: &Emu, account: &str, id: &str) -> Value {
    let a = emu.get_package(account, id).await;
    a.expect_status(200);
    a.body["package"]["productInstances"][0].clone()
}

fn on(product: &str, site: Option<&str>) -> Value {
    let mut p = json!({"catalogProductId": product, "countryCode": "US"});
    if let Some(s) = site {
        p["siteId"] = json!(s);
    }
    p
}

/// A plan on `site` and a domain on the same site (two packages); answers the
/// plan's instance and the domain's package.
async fn plan_and_domain(emu: &Emu, account: &str, site: &str) -> (String, String) {
    let mut plan = on(PLAN_BUSINESS, Some(site));
    plan["billingInfo"] = yearly();
    let plan = emu.create(account, plan).await;
    let domain = emu.create(account, on(DOMAIN, Some(site))).await;
    (plan.first_instance(), domain.package_id())
}

#[tokio::test]
async fn catalog_control_takes_the_new_attributes_with_their_defaults() {
    let emu = Emu::demo().await;
    let a = emu
        .control(
            Method::POST,
            "/catalog",
            Some(
                json!({"id": "c9000000-0000-4000-8000-000000000001", "productType": "DOMAIN",
                        "billingCycles": [{"type": "ONE_TIME"}], "tld": "net"}),
            ),
        )
        .await;
    a.expect_status(201);
    assert_eq!(a.body["adjustable"], true, "{}", a.text);
    assert_eq!(a.body["expires"], true, "DOMAIN expires by default");
    assert_eq!(a.body["grantsVoucherFor"], json!([]));
    assert_eq!(a.body["tld"], "net");
    let a = emu
        .control(
            Method::POST,
            "/catalog",
            Some(
                json!({"id": "c9000000-0000-4000-8000-000000000002", "productType": "SEO",
                        "billingCycles": [{"type": "ONE_TIME"}], "adjustable": false,
                        "grantsVoucherFor": ["DOMAIN", "MAILBOX"]}),
            ),
        )
        .await;
    a.expect_status(201);
    assert_eq!(a.body["expires"], false, "other types renew by default");
    assert_eq!(a.body["adjustable"], false);
    assert_eq!(a.body["grantsVoucherFor"], json!(["DOMAIN", "MAILBOX"]));
    assert!(a.body.get("tld").is_none());
    for (member, value) in [("tld", json!(".com")), ("grantsVoucherFor", json!([""]))] {
        let mut body = json!({"id": "c9000000-0000-4000-8000-000000000003",
                              "productType": "X", "billingCycles": [{"type": "ONE_TIME"}]});
        body[member] = value;
        let a = emu.control(Method::POST, "/catalog", Some(body)).await;
        assert_eq!(a.status, 400, "{member}: {}", a.text);
    }
    // The state document exports them.
    let state = emu.state().await;
    let logo = state["catalog"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == LOGO)
        .unwrap();
    assert_eq!(logo["adjustable"], false);
}

#[tokio::test]
async fn adjust_of_a_product_that_cannot_be_adjusted_is_428() {
    let emu = Emu::demo().await;
    emu.manual().await;
    let logo = emu.create(SUB1, on(LOGO, None)).await;
    let before = emu.state().await;
    let a = emu
        .wix(
            SUB1,
            Method::PATCH,
            &instance_path(&logo.first_instance()),
            Some(json!({"billingInfo": {"type": "ONE_TIME"}})),
        )
        .await;
    a.expect_app(428, "OPERATION_NOT_SUPPORTED_FOR_PRODUCT");
    assert_eq!(
        a.body["message"],
        format!("This action isn't supported for product `{LOGO}`.")
    );
    assert_eq!(emu.state().await["packages"], before["packages"]);
}

#[tokio::test]
async fn canceling_unassigning_or_moving_the_plan_floats_the_domain() {
    let emu = Emu::demo().await;
    emu.manual().await;
    // Cancel.
    let (plan, domain) = plan_and_domain(&emu, SUB1, SITE_SUB1).await;
    emu.wix(SUB1, Method::DELETE, &instance_path(&plan), None)
        .await
        .expect_status(200);
    let d = instance_of(&emu, SUB1, &domain).await;
    assert!(d.get("siteId").is_none(), "{d}");
    assert_eq!(d["status"], "PENDING");
    // Move: the plan goes to another site, the domain stays behind, floating.
    let (plan, domain) = plan_and_domain(&emu, MAIN, SITE_MAIN).await;
    emu.wix(MAIN, Method::PATCH, &assign_path(&plan, SITE_MAIN_2), None)
        .await
        .expect_status(200);
    assert!(
        instance_of(&emu, MAIN, &domain)
            .await
            .get("siteId")
            .is_none()
    );
    // Unassign.
    let (plan, domain) = plan_and_domain(&emu, MAIN, SITE_MAIN).await;
    emu.wix(
        MAIN,
        Method::PATCH,
        &format!("{}/unassign", instance_path(&plan)),
        None,
    )
    .await
    .expect_status(200);
    assert!(
        instance_of(&emu, MAIN, &domain)
            .await
            .get("siteId")
            .is_none()
    );
    // A plan that Wix's provisioning fails: the same.
    let (plan, domain) = plan_and_domain(&emu, SUB2, SITE_SUB2).await;
    emu.move_to(&plan, "FAILED").await.expect_status(200);
    assert!(
        instance_of(&emu, SUB2, &domain)
            .await
            .get("siteId")
            .is_none()
    );
}

#[tokio::test]
async fn domains_expire_a_year_after_creation_and_extend_moves_the_date() {
    let emu = Emu::demo().await;
    emu.manual().await;
    let domain = emu.create(SUB1, on(DOMAIN, None)).await;
    let created = domain.body["package"]["productInstances"][0]["createdDate"]
        .as_str()
        .unwrap()
        .to_owned();
    let expires = domain.body["package"]["productInstances"][0]["expirationDate"]
        .as_str()
        .unwrap()
        .to_owned();
    let year: i32 = created[..4].parse().unwrap();
    assert_eq!(expires, format!("{}{}", year + 1, &created[4..]));
    let (_, plan) = emu.create_plan(SUB1).await;
    let plan_package = emu.create_plan(SUB1).await.0;
    assert!(
        instance_of(&emu, SUB1, &plan_package)
            .await
            .get("expirationDate")
            .is_none(),
        "plans renew"
    );

    // extend: one cycle by default, n with cycles; 409 without a date or when
    // canceled; 400 below 1.
    let id = domain.first_instance();
    let a = emu
        .control(Method::POST, &format!("/instances/{id}/extend"), None)
        .await;
    a.expect_status(200);
    assert_eq!(
        a.body["productInstances"][0]["expirationDate"],
        format!("{}{}", year + 2, &created[4..])
    );
    let a = emu
        .control(
            Method::POST,
            &format!("/instances/{id}/extend"),
            Some(json!({"cycles": 2})),
        )
        .await;
    assert_eq!(
        a.body["productInstances"][0]["expirationDate"],
        format!("{}{}", year + 4, &created[4..])
    );
    emu.control(
        Method::POST,
        &format!("/instances/{id}/extend"),
        Some(json!({"cycles": 0})),
    )
    .await
    .expect_violation("cycles", "MIN");
    emu.control(Method::POST, &format!("/instances/{plan}/extend"), None)
        .await
        .expect_app(409, "INSTANCE_NOT_EXTENDABLE");
    emu.control(Method::POST, &format!("/instances/{NOBODY}/extend"), None)
        .await
        .expect_app(428, "PRODUCT_INSTANCE_NOT_FOUND");

    // Four years and a day later, the extended domain has expired: CANCELED.
    emu.advance(4 * 366 * DAY_MS).await;
    let d = instance_of(&emu, SUB1, &domain.package_id()).await;
    assert_eq!(d["status"], "CANCELED", "{d}");
    emu.control(Method::POST, &format!("/instances/{id}/extend"), None)
        .await
        .expect_app(409, "INSTANCE_NOT_EXTENDABLE");
}

#[tokio::test]
async fn an_expiring_plan_takes_its_domain_off_the_site_when_it_expires() {
    let emu = Emu::demo().await;
    emu.manual().await;
    emu.control(
        Method::POST,
        "/catalog",
        Some(json!({"id": "c9000000-0000-4000-8000-0000000000e1", "productType": "PREMIUM_PLAN",
                    "billingCycles": [{"type": "RECURRING", "cycleDuration": {"unit": "MONTH", "count": 1}}],
                    "expires": true})),
    )
    .await
    .expect_status(201);
    let plan = emu
        .create(
            SUB1,
            on("c9000000-0000-4000-8000-0000000000e1", Some(SITE_SUB1)),
        )
        .await;
    let domain = emu.create(SUB1, on(DOMAIN, Some(SITE_SUB1))).await;
    emu.advance(32 * DAY_MS).await;
    let p = instance_of(&emu, SUB1, &plan.package_id()).await;
    assert_eq!(p["status"], "CANCELED", "{p}");
    let d = instance_of(&emu, SUB1, &domain.package_id()).await;
    assert!(d.get("siteId").is_none(), "{d}");
    assert_eq!(d["status"], "PENDING");
}

#[tokio::test]
async fn leave_floating_fails_a_move_and_leaves_the_instance_floating() {
    let emu = Emu::demo().await;
    let mut plan = on(PLAN_BUSINESS, Some(SITE_MAIN));
    plan["billingInfo"] = yearly();
    let plan = emu.create(MAIN, plan).await;
    let id = plan.first_instance();
    let a = emu
        .control(
            Method::POST,
            "/faults",
            Some(
                json!({"rules": [{"method": "PATCH", "status": 500, "times": 1,
                                   "leaveFloating": true}]}),
            ),
        )
        .await;
    a.expect_status(201);
    assert_eq!(a.body["rules"][0]["leaveFloating"], true, "{}", a.text);
    let failed = emu
        .wix(MAIN, Method::PATCH, &assign_path(&id, SITE_MAIN_2), None)
        .await;
    failed.expect_status(500);
    let now = instance_of(&emu, MAIN, &plan.package_id()).await;
    assert!(now.get("siteId").is_none(), "left floating: {now}");
    // Without the rule the move goes through.
    emu.wix(MAIN, Method::PATCH, &assign_path(&id, SITE_MAIN_2), None)
        .await
        .expect_status(200);
    assert_eq!(
        instance_of(&emu, MAIN, &plan.package_id()).await["siteId"],
        SITE_MAIN_2
    );
    // On a request that is not a move (here another account's call), the rule
    // only fails the call.
    emu.control(
        Method::POST,
        "/faults",
        Some(
            json!({"rules": [{"method": "PATCH", "status": 500, "times": 1,
                               "leaveFloating": true}]}),
        ),
    )
    .await
    .expect_status(201);
    emu.wix(SUB1, Method::PATCH, &assign_path(&id, SITE_MAIN), None)
        .await
        .expect_status(500);
    assert_eq!(
        instance_of(&emu, MAIN, &plan.package_id()).await["siteId"],
        SITE_MAIN_2
    );
}

#[tokio::test]
async fn idempotency_keys_over_100_characters_are_a_field_violation() {
    let emu = Emu::demo().await;
    let mut plan = on(PLAN_BUSINESS, None);
    plan["billingInfo"] = yearly();
    let create = |key: String| {
        emu.wix(
            MAIN,
            Method::POST,
            "/resellers/v2/packages",
            Some(json!({"idempotencyKey": key, "products": [plan.clone()]})),
        )
    };
    create("k".repeat(101))
        .await
        .expect_violation("idempotencyKey", "MAX_LENGTH");
    assert!(emu.state().await["packages"].as_array().unwrap().is_empty());
    create("k".repeat(100)).await.expect_status(200);
    // The same limit on Adjust, where Wix states it.
    let logo = emu.create(MAIN, on(LOGO, None)).await;
    emu.wix(
        MAIN,
        Method::PATCH,
        &instance_path(&logo.first_instance()),
        Some(json!({"idempotencyKey": "a".repeat(101), "billingInfo": {"type": "ONE_TIME"}})),
    )
    .await
    .expect_violation("idempotencyKey", "MAX_LENGTH");
}
