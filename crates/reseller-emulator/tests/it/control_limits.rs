//! The control plane refuses what it cannot take whole: `PUT /_emulator/state`
//! with a body it cannot read whole or a document that breaks an invariant of the
//! live store, the rule of dependent services and the domains' included (400
//! naming the problem, nothing changed); more than 1,000 fault
//! rules (400); and the request log keeps `accountId` only when the header is a
//! GUID, so a key sent in the wrong header never reaches it.

use crate::support::*;
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use reseller_emulator::Emulator;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn call(router: &Router, method: Method, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", KEY)
        .header("wix-account-id", MAIN)
        .body(Body::from(body))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// The demo world with a package of MAIN; the router and the state as JSON.
async fn setup() -> (Emulator, Router, Value) {
    let emulator = Emulator::in_memory();
    assert!(emulator.load_demo_seed_if_empty().await.unwrap());
    let router = emulator.router();
    let body = json!({"products": [
        {"catalogProductId": PLAN_BUSINESS, "countryCode": "US", "billingInfo": yearly(), "siteId": SITE_MAIN},
        {"catalogProductId": MAILBOX, "countryCode": "US", "billingInfo": monthly()}
    ]});
    let (status, answer) = call(
        &router,
        Method::POST,
        "/resellers/v2/packages",
        serde_json::to_vec(&body).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    // A read first: the new instances' provisioning (delay 0) happens on it.
    let id = answer["package"]["id"].as_str().unwrap();
    let path = format!("/resellers/v1/packages/{id}");
    assert_eq!(
        call(&router, Method::GET, &path, Vec::new()).await.0,
        StatusCode::OK
    );
    let (status, state) = call(&router, Method::GET, "/_emulator/state", Vec::new()).await;
    assert_eq!(status, StatusCode::OK);
    (emulator, router, state)
}

fn edited(state: &Value, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut doc = state.clone();
    edit(&mut doc);
    serde_json::to_vec(&doc).unwrap()
}

#[tokio::test]
async fn a_state_document_that_cannot_be_read_whole_or_breaks_an_invariant_changes_nothing() {
    let (emulator, router, state) = setup().await;
    let before = emulator.wix().export();
    let instance = |doc: &mut Value| -> Value {
        doc["packages"][0]["productInstances"][0]["instanceId"].clone()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("an empty body", Vec::new(), "empty"),
        ("an array", b"[]".to_vec(), "array"),
        ("a number", b"1e400".to_vec(), "not a JSON object"),
        ("null", b"null".to_vec(), "null"),
        (
            "a misspelled member",
            br#"{"acounts": []}"#.to_vec(),
            "acounts",
        ),
        (
            "a misspelled nested member",
            edited(&state, |d| d["accounts"][0]["nmae"] = json!("x")),
            "nmae",
        ),
        (
            "a number out of range",
            br#"{"accounts": [], "packages": [], "sites": 1e400}"#.to_vec(),
            "out of range",
        ),
        (
            "a number out of range in an unknown member",
            br#"{"accounts": [], "x": -1e400}"#.to_vec(),
            "out of range",
        ),
        (
            "invalid UTF-8",
            b"{\"accounts\": [{\"name\": \"\xc3\x28\"}]}".to_vec(),
            "UTF-8",
        ),
        (
            "a lone surrogate",
            br#"{"accounts": [{"name": "\udfff"}]}"#.to_vec(),
            "surrogate",
        ),
        (
            "an instance on another account's site",
            edited(&state, |d| {
                d["packages"][0]["productInstances"][0]["siteId"] = json!(SITE_SUB1);
            }),
            "siteId",
        ),
        (
            "an instance on an unknown site",
            edited(&state, |d| {
                d["packages"][0]["productInstances"][0]["siteId"] = json!(NOBODY);
            }),
            "siteId",
        ),
        (
            "a package of an unknown account",
            edited(&state, |d| {
                d["packages"][0]["accountId"] = json!(NOBODY);
                d["packages"][0]["parentAccountId"] = json!(NOBODY);
            }),
            "accountId",
        ),
        (
            "an instance that is its own reference",
            edited(&state, |d| {
                let own = instance(d);
                d["packages"][0]["productInstances"][0]["referenceProductInstanceId"] = own;
            }),
            "referenceProductInstanceId",
        ),
        (
            "a dangling reference",
            edited(&state, |d| {
                d["packages"][0]["productInstances"][1]["referenceProductInstanceId"] =
                    json!(NOBODY);
            }),
            "referenceProductInstanceId",
        ),
        (
            "an unknown product",
            edited(&state, |d| {
                d["packages"][0]["productInstances"][1]["catalogProductId"] = json!(NOBODY);
            }),
            "catalogProductId",
        ),
        (
            "one instance in two packages",
            edited(&state, |d| {
                let mut copy = d["packages"][0].clone();
                copy["id"] = json!(NOBODY);
                d["packages"].as_array_mut().unwrap().push(copy);
            }),
            "instance",
        ),
        (
            "a key of an unknown account",
            edited(&state, |d| d["apiKeys"][0]["accountId"] = json!(NOBODY)),
            "apiKeys[0].accountId",
        ),
        (
            "an allowed transfer of an unknown account",
            edited(&state, |d| {
                d["allowedTransfers"] =
                    json!([{"sourceAccountId": NOBODY, "targetAccountId": MAIN}]);
            }),
            "allowedTransfers[0].sourceAccountId",
        ),
    ];
    for (what, body, named) in cases {
        let (status, answer) = call(&router, Method::PUT, "/_emulator/state", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {answer}");
        assert_wix_error(&answer);
        assert!(
            answer.to_string().contains(named),
            "{what}: the answer does not name `{named}`: {answer}"
        );
        assert_eq!(emulator.wix().export(), before, "{what}: the state changed");
    }
    // Its own export is taken back whole.
    let (status, answer) = call(
        &router,
        Method::PUT,
        "/_emulator/state",
        serde_json::to_vec(&state).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    assert_eq!(emulator.wix().export().packages, before.packages);
}

/// The rule of dependent services and the domains' invariants hold in every world
/// the live store reaches, so a document that breaks one is refused: 400 at the
/// member that breaks it, naming the instance (or domain), the site and the type
/// it needs, and the state read back is the one before.
#[tokio::test]
async fn a_state_document_that_breaks_the_rule_of_dependent_services_changes_nothing() {
    let (emulator, router, state) = setup().await;
    let before = emulator.wix().export();
    let mailbox = state["packages"][0]["productInstances"][1]["instanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    // The package's mailbox becomes a domain on the plan's site.
    let with_domain = |d: &mut Value| {
        let instance = &mut d["packages"][0]["productInstances"][1];
        instance["catalogProductId"] = json!(DOMAIN);
        instance["siteId"] = json!(SITE_MAIN);
    };
    // A connected domain of MAIN serving `site`.
    let connected = |site: &str| {
        json!([{"accountId": MAIN, "domain": "bakery.com", "connectionType": "NAMESERVERS",
                "siteInfo": {"id": site, "assignmentType": "PRIMARY"}}])
    };
    let cases: Vec<(&str, Vec<u8>, &str, Vec<&str>)> = vec![
        (
            "a domain on a site whose Premium plan is canceled",
            edited(&state, |d| {
                with_domain(d);
                d["packages"][0]["productInstances"][0]["status"] = json!("CANCELED");
            }),
            "packages[0].productInstances[1].siteId",
            vec![&mailbox, SITE_MAIN, "PREMIUM_PLAN"],
        ),
        (
            "a domain on a site whose Premium plan is elsewhere",
            edited(&state, |d| {
                with_domain(d);
                d["packages"][0]["productInstances"][0]["siteId"] = json!(SITE_MAIN_2);
            }),
            "packages[0].productInstances[1].siteId",
            vec![&mailbox, SITE_MAIN, "PREMIUM_PLAN"],
        ),
        (
            "a connected domain on a site that is not premium",
            edited(&state, |d| d["connectedDomains"] = connected(SITE_MAIN_2)),
            "connectedDomains[0].siteInfo.id",
            vec![SITE_MAIN_2, "PREMIUM_PLAN", "bakery.com"],
        ),
    ];
    for (what, body, field, named) in cases {
        let (status, answer) = call(&router, Method::PUT, "/_emulator/state", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {answer}");
        assert_wix_error(&answer);
        let violation = &answer["details"]["validationError"]["fieldViolations"][0];
        assert_eq!(violation["field"], field, "{what}: {answer}");
        for word in named {
            assert!(
                violation["description"].as_str().unwrap().contains(word),
                "{what}: the answer does not name `{word}`: {answer}"
            );
        }
        let (status, now) = call(&router, Method::GET, "/_emulator/state", Vec::new()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(now, state, "{what}: the state changed");
        assert_eq!(emulator.wix().export(), before, "{what}: the state changed");
    }
    // The same domain on the premium site is a world the live store reaches.
    let body = edited(&state, |d| d["connectedDomains"] = connected(SITE_MAIN));
    let (status, answer) = call(&router, Method::PUT, "/_emulator/state", body).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
}

/// A transfer (which live instances block) leaves canceled and failed instances on
/// a site that another account then owns: the live store reaches that state, so its
/// export is taken back whole; only a live instance must sit on its own account's site.
#[tokio::test]
async fn a_canceled_instance_left_on_a_transferred_site_is_taken_back() {
    let (emulator, router, state) = setup().await;
    let body = edited(&state, |d| {
        let instance = &mut d["packages"][0]["productInstances"][0];
        instance["siteId"] = json!(SITE_SUB1);
        instance["status"] = json!("CANCELED");
    });
    let (status, answer) = call(&router, Method::PUT, "/_emulator/state", body).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    let packages = emulator.wix().export().packages;
    assert_eq!(packages.len(), 1);
}

#[tokio::test]
async fn at_most_a_thousand_fault_rules_are_kept() {
    let (_emulator, router, _) = setup().await;
    let rules = |n: usize| {
        let rule = json!({"pathPrefix": "/nowhere/", "status": 503});
        serde_json::to_vec(&json!({"rules": vec![rule; n]})).unwrap()
    };
    let (status, answer) = call(&router, Method::POST, "/_emulator/faults", rules(1001)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(
        answer["details"]["validationError"]["fieldViolations"][0]["field"],
        "rules"
    );
    let (status, _) = call(&router, Method::POST, "/_emulator/faults", rules(999)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call(&router, Method::POST, "/_emulator/faults", rules(1)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, answer) = call(&router, Method::POST, "/_emulator/faults", rules(1)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    let (status, _) = call(&router, Method::DELETE, "/_emulator/faults", Vec::new()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&router, Method::POST, "/_emulator/faults", rules(1000)).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_request_log_keeps_the_account_header_only_when_it_is_a_guid() {
    let (_emulator, router, _) = setup().await;
    for header in [KEY, "not-a-guid", MAIN] {
        let request = Request::builder()
            .method(Method::GET)
            .uri(format!("/resellers/v1/packages/{NOBODY}"))
            .header("authorization", MAIN)
            .header("wix-account-id", header)
            .body(Body::empty())
            .unwrap();
        router.clone().oneshot(request).await.unwrap();
    }
    let (status, log) = call(
        &router,
        Method::GET,
        "/_emulator/requests?limit=3",
        Vec::new(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let accounts: Vec<Value> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["accountId"].clone())
        .collect();
    assert_eq!(accounts, [json!(MAIN), Value::Null, Value::Null]);
    assert!(!log.to_string().contains(KEY), "{log}");
}

#[tokio::test]
async fn a_seed_file_is_read_whole_too() {
    let dir = std::env::temp_dir().join(format!(
        "reseller-seed-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (n, text) in [
        &b"[]"[..],
        br#"{"acounts": []}"#,
        b"{\"accounts\": [], \"x\": 1e400}",
    ]
    .into_iter()
    .enumerate()
    {
        let path = dir.join(format!("seed-{n}.json"));
        std::fs::write(&path, text).unwrap();
        let emulator = Emulator::in_memory();
        let refused = emulator.seed_file_if_empty(&path).await;
        assert!(refused.is_err(), "{}", String::from_utf8_lossy(text));
        assert!(emulator.is_empty());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
