//! Strict bodies on every body-reading route of both surfaces: JSON that is not an
//! object (`[]`, `"text"`, `42`, `null`, ...), invalid UTF-8 or a lone surrogate
//! escape anywhere (in a member the route ignores too) is a Wix-shaped 400 and
//! changes nothing. A fixed list of classes on every route, then a property test
//! of random non-object JSON and random junk in an ignored member.

use crate::support::*;
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reseller_emulator::Emulator;
use serde_json::{Value, json};
use tower::ServiceExt;

/// Every route that reads a body, with known ids in its path.
fn routes(package: &str, instance: &str) -> Vec<(Method, String)> {
    vec![
        (Method::POST, "/resellers/v2/packages".to_owned()),
        (Method::POST, "/resellers/v1/packages/query".to_owned()),
        (Method::DELETE, format!("/resellers/v1/packages/{package}")),
        (
            Method::PATCH,
            format!("/resellers/v1/packages/product-instances/{instance}/unassign"),
        ),
        (
            Method::PATCH,
            format!("/resellers/v1/packages/product-instances/{instance}/{SITE_MAIN}"),
        ),
        (
            Method::PATCH,
            format!("/resellers/v1/packages/product-instances/{instance}"),
        ),
        (
            Method::DELETE,
            format!("/resellers/v1/packages/product-instances/{instance}"),
        ),
        (
            Method::POST,
            "/b2b-site-management/v1/transfer-site".to_owned(),
        ),
        (Method::POST, "/accounts/v1/accounts/create".to_owned()),
        (Method::POST, "/site-list/v2/sites/query".to_owned()),
        (Method::POST, "/_emulator/accounts".to_owned()),
        (Method::POST, "/_emulator/sites".to_owned()),
        (Method::POST, "/_emulator/catalog".to_owned()),
        (Method::POST, "/_emulator/allowed-transfers".to_owned()),
        (Method::POST, "/_emulator/api-keys".to_owned()),
        (
            Method::POST,
            format!("/_emulator/instances/{instance}/status"),
        ),
        (Method::PUT, "/_emulator/provisioning".to_owned()),
        (Method::POST, "/_emulator/clock".to_owned()),
        (Method::POST, "/_emulator/faults".to_owned()),
        (Method::PUT, "/_emulator/state".to_owned()),
    ]
}

/// The bad bodies every route refuses.
fn classes() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("array", b"[]".to_vec()),
        (
            "array of an object",
            b"[{\"idempotencyKey\": \"k\"}]".to_vec(),
        ),
        ("string", b"\"text\"".to_vec()),
        ("number", b"42".to_vec()),
        ("null", b"null".to_vec()),
        ("boolean", b" true ".to_vec()),
        (
            "invalid UTF-8 in an ignored member",
            b"{\"ignoredMember\": \"\xff\xfe\", \"idempotencyKey\": \"k\"}".to_vec(),
        ),
        (
            "a lone high surrogate in an ignored member",
            br#"{"ignoredMember": "\ud800", "idempotencyKey": "k"}"#.to_vec(),
        ),
        (
            "a lone low surrogate in an ignored member",
            br#"{"ignoredMember": "x\udc00y"}"#.to_vec(),
        ),
    ]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn call(router: &Router, method: Method, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", KEY)
        .header("wix-account-id", MAIN)
        .header("content-type", "application/json")
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

/// A demo emulator with one package of MAIN; its router, package and instance.
async fn setup() -> (Emulator, Router, String, String) {
    let emulator = Emulator::in_memory();
    assert!(emulator.load_demo_seed_if_empty().await.unwrap());
    let router = emulator.router();
    let body = json!({"products": [
        {"catalogProductId": PLAN_BUSINESS, "countryCode": "US", "billingInfo": yearly()}
    ]});
    let (status, answer) = call(
        &router,
        Method::POST,
        "/resellers/v2/packages",
        serde_json::to_vec(&body).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let package = answer["package"]["id"].as_str().unwrap().to_owned();
    let instance = answer["package"]["productInstances"][0]["instanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    (emulator, router, package, instance)
}

fn refused_unchanged(
    emulator: &Emulator,
    before: &reseller_wire::control::StateDocument,
    what: &str,
    (status, body): (StatusCode, Value),
) -> Result<(), String> {
    if status != StatusCode::BAD_REQUEST {
        return Err(format!("{what}: {status} {body}"));
    }
    if !body["message"].is_string() || !body["details"].is_object() {
        return Err(format!("{what}: not a Wix-shaped error: {body}"));
    }
    if &emulator.wix().export() != before {
        return Err(format!("{what}: the state changed"));
    }
    Ok(())
}

#[test]
fn every_route_refuses_what_is_not_a_json_object_of_well_formed_text() {
    let rt = runtime();
    let (emulator, router, package, instance) = rt.block_on(setup());
    let before = emulator.wix().export();
    rt.block_on(async {
        for (method, path) in routes(&package, &instance) {
            for (class, body) in classes() {
                let what = format!("{method} {path} with {class}");
                let answer = call(&router, method.clone(), &path, body).await;
                refused_unchanged(&emulator, &before, &what, answer).unwrap();
            }
        }
    });
}

/// JSON that is not an object, of any shape and depth.
fn non_object() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-zA-Z0-9 ]{0,12}".prop_map(Value::String),
    ];
    let any = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::hash_map("[a-z]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    any.prop_filter("not an object", |v| !v.is_object())
}

/// Bytes that are not UTF-8, or a surrogate escape without its pair.
fn junk() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(0x80u8..=0xff, 1..6)
            // Some runs of high bytes are valid UTF-8 (`C7 92` is `ǒ`): only the others.
            .prop_filter("not UTF-8", |bad| std::str::from_utf8(bad).is_err())
            .prop_map(|bad| {
                let mut text = b"{\"ignoredMember\": \"ok".to_vec();
                text.extend(bad);
                text.extend_from_slice(b"\"}");
                text
            }),
        (0xd800u32..=0xdfff).prop_map(|unit| {
            format!("{{\"ignoredMember\": {{\"deep\": [\"\\u{unit:04x}\"]}}}}").into_bytes()
        }),
    ]
}

#[test]
fn random_non_objects_and_junk_are_refused_on_every_route() {
    let rt = runtime();
    let (emulator, router, package, instance) = rt.block_on(setup());
    let before = emulator.wix().export();
    let routes = routes(&package, &instance);
    let mut runner = TestRunner::new(Config {
        cases: 128,
        failure_persistence: None,
        ..Config::default()
    });
    let body = prop_oneof![
        non_object().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        junk(),
    ];
    let strategy = (0..routes.len(), body);
    runner
        .run(&strategy, |(route, body)| {
            let (method, path) = routes[route].clone();
            let what = format!("{method} {path} with {}", String::from_utf8_lossy(&body));
            let answer = rt.block_on(call(&router, method, &path, body));
            refused_unchanged(&emulator, &before, &what, answer).map_err(TestCaseError::fail)
        })
        .unwrap();
}
