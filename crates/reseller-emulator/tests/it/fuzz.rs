//! The emulator never answers 5xx, never panics, and answers every refusal with a
//! Wix-shaped JSON body (`message` string, `details` object), whatever a client
//! sends: random methods, every route's template with random segments (GUIDs, bad
//! GUIDs, percent-encoded junk, very long segments), random headers, and random
//! bodies (well-shaped JSON with mutated members, wrong types, nulls, deep nesting,
//! unknown members, huge strings, invalid UTF-8, truncated JSON). Driven through the
//! axum router with `tower::ServiceExt::oneshot`, no sockets.

use crate::support::*;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode};
use http_body_util::BodyExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reseller_emulator::{Emulator, MAX_BODY_BYTES, demo_seed};
use reseller_ports::ApiKey;
use serde_json::{Value, json};
use tower::ServiceExt;

/// Every route of both surfaces: its methods and its template (`{}` is a segment).
const ROUTES: &[(&[&str], &str)] = &[
    (&["POST"], "/resellers/v2/packages"),
    (&["POST"], "/resellers/v1/packages"),
    (&["POST"], "/resellers/v1/packages/query"),
    (&["GET", "DELETE"], "/resellers/v1/packages/{}"),
    (
        &["PATCH"],
        "/resellers/v1/packages/product-instances/{}/unassign",
    ),
    (&["PATCH"], "/resellers/v1/packages/product-instances/{}/{}"),
    (
        &["PATCH", "DELETE"],
        "/resellers/v1/packages/product-instances/{}",
    ),
    (&["PATCH"], "/resellers/v1/packages/update/{}/{}"),
    (&["POST"], "/b2b-site-management/v1/transfer-site"),
    (&["POST"], "/accounts/v1/accounts/create"),
    (&["GET"], "/accounts/v1/account/child-accounts"),
    (&["POST"], "/site-list/v2/sites/query"),
    (&["GET"], "/_emulator/health"),
    (&["POST"], "/_emulator/reset"),
    (&["POST", "GET"], "/_emulator/accounts"),
    (&["POST", "GET"], "/_emulator/sites"),
    (&["POST", "GET"], "/_emulator/catalog"),
    (&["POST"], "/_emulator/allowed-transfers"),
    (&["POST"], "/_emulator/api-keys"),
    (&["POST"], "/_emulator/instances/{}/status"),
    (&["PUT"], "/_emulator/provisioning"),
    (&["POST"], "/_emulator/clock"),
    (&["POST", "DELETE"], "/_emulator/faults"),
    (&["GET"], "/_emulator/requests"),
    (&["GET", "PUT"], "/_emulator/state"),
    (&["GET"], "/_emulator/openapi.json"),
    (&["GET", "POST"], "/{}"),
    (&["GET", "POST"], "/resellers/{}/{}"),
];

/// The ids a case can draw on: the demo seed's and two packages made in setup.
#[derive(Debug, Clone)]
struct Ids {
    packages: Vec<String>,
    instances: Vec<String>,
}

impl Ids {
    fn guids(&self) -> Vec<String> {
        let mut all: Vec<String> = [
            MAIN,
            SUB1,
            SUB2,
            SITE_MAIN,
            SITE_SUB1,
            SITE_LEGACY,
            PLAN_BUSINESS,
            PLAN_CORE,
            DOMAIN,
            MAILBOX,
            NOBODY,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        all.extend(self.packages.iter().cloned());
        all.extend(self.instances.iter().cloned());
        all
    }
}

fn guid() -> impl Strategy<Value = String> {
    any::<u128>().prop_map(|n| {
        let h = format!("{n:032x}");
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    })
}

/// A path segment: known ids, random GUIDs, bad GUIDs, percent-encoded junk, long.
fn segment(ids: &Ids) -> impl Strategy<Value = String> {
    let known = prop::sample::select(ids.guids());
    prop_oneof![
        4 => known,
        2 => guid(),
        1 => guid().prop_map(|g| g.to_uppercase()),
        1 => guid().prop_map(|g| format!("%7B{g}%7D")),
        1 => guid().prop_map(|g| g.replace('-', "")),
        1 => guid().prop_map(|g| format!("{g}0")),
        1 => Just("unassign".to_owned()),
        1 => Just("not-a-guid".to_owned()),
        1 => Just("0".to_owned()),
        1 => Just("%FF%FE%00".to_owned()),
        1 => Just("%".to_owned()),
        1 => Just("%zz%2".to_owned()),
        1 => Just("%2F..%2F..%2Fetc".to_owned()),
        1 => Just("%E2%82%AC%F0%9F%98%80".to_owned()),
        1 => Just("%00".to_owned()),
        1 => "[a-zA-Z0-9._~-]{1,40}",
        1 => (1usize..20_000).prop_map(|n| "a".repeat(n)),
        1 => (1usize..3_000).prop_map(|n| "%41%ff".repeat(n)),
    ]
}

/// A query string (without `?`), or none.
fn query_string() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("idempotencyKey=k-1".to_owned()),
        Just("idempotencyKey=".to_owned()),
        Just("idempotency_key=%FF%FE".to_owned()),
        Just(format!("idempotencyKey={}", "k".repeat(300))),
        Just("paging.limit=-1&paging.offset=abc".to_owned()),
        Just("paging.limit=99999999999999999999".to_owned()),
        Just("paging.limit=2&paging.offset=1".to_owned()),
        Just(format!("accountId={SUB1}")),
        Just("accountId=nope".to_owned()),
        Just("limit=abc".to_owned()),
        Just("limit=18446744073709551616".to_owned()),
        Just("limit=3".to_owned()),
        Just("%%%&&==&a=%ZZ".to_owned()),
        "[a-z=&%0-9]{0,30}",
    ])
}

/// A header value choice: absent, or these bytes.
fn header_value(good: Vec<String>) -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        3 => prop::sample::select(good).prop_map(|s| Some(s.into_bytes())),
        1 => Just(None),
        1 => Just(Some(Vec::new())),
        1 => Just(Some(b"junk".to_vec())),
        1 => Just(Some(b"\xff\xfe\x80".to_vec())),
        1 => Just(Some(format!("Bearer {KEY}").into_bytes())),
        1 => (1usize..10_000).prop_map(|n| Some(vec![b'x'; n])),
        1 => guid().prop_map(|g| Some(format!(" {g} ").into_bytes())),
    ]
}

/// Any JSON value, nested a little.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1e300)),
        Just(json!(-0.5)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
        Just(json!("")),
        Just(json!("ENABLED")),
        Just(json!("RECURRING")),
        Just(json!("$hasSome")),
        Just(json!("2024-02-30T25:61:00Z")),
        Just(json!("9999-12-31T23:59:59.999Z")),
        Just(json!(NOBODY)),
        Just(json!(MAIN)),
        Just(json!("\u{0}\u{1f}\u{7f}")),
        (1usize..200_000).prop_map(|n| Value::String("x".repeat(n))),
    ];
    leaf.prop_recursive(4, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z$._]{0,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A well-shaped body for `route` (one of a few variants per route).
fn shape(route: usize, variant: u8, ids: &Ids) -> Value {
    let pkg = ids.packages[usize::from(variant) % ids.packages.len()].clone();
    let inst = ids.instances[usize::from(variant) % ids.instances.len()].clone();
    let catalog =
        [PLAN_BUSINESS, PLAN_CORE, DOMAIN, VOUCHER_DOMAIN, MAILBOX][usize::from(variant) % 5];
    let product = json!({
        "catalogProductId": catalog,
        "countryCode": "US", "siteId": SITE_MAIN, "billingInfo": yearly(),
        "discountCode": "SUMMER", "referenceProductInstanceId": inst
    });
    match ROUTES[route].1 {
        "/resellers/v2/packages" | "/resellers/v1/packages" => json!({
            "idempotencyKey": format!("fz-{variant}"), "externalId": "order-1",
            "products": [product, {"catalogProductId": PLAN_CORE, "countryCode": "DE", "billingInfo": monthly()}]
        }),
        "/resellers/v1/packages/query" => match variant % 4 {
            0 => json!({"query": {"filter": {"$and": [{"accountId": {"$in": [MAIN, SUB1]}},
                                                     {"productInstances.status": {"$hasSome": ["ENABLED", "PENDING"]}}]},
                                  "sort": [{"fieldName": "createdDate", "order": "DESC"}],
                                  "cursorPaging": {"limit": 10}}}),
            1 => json!({"query": {"paging": {"limit": 5, "offset": 1},
                                  "filter": {"productInstances.billingInfo": {"$hasAll": [yearly()]}}}}),
            2 => json!({"query": {"cursorPaging": {"cursor": "AAAA", "limit": 3}}}),
            _ => json!({"query": {"filter": {"$or": [{"externalId": {"$exists": false}},
                                                    {"$not": {"id": {"$eq": pkg}}}]},
                                  "fields": ["id"], "fieldsets": ["FULL"]}}),
        },
        "/resellers/v1/packages/product-instances/{}" => json!({
            "idempotencyKey": "adj", "catalogProductId": PLAN_CORE, "billingInfo": monthly(), "discountCode": "X"
        }),
        "/b2b-site-management/v1/transfer-site" => json!({
            "siteTransfer": {"siteId": SITE_SUB1, "sourceAccountId": SUB1, "enableNotifications": true}
        }),
        "/accounts/v1/accounts/create" => json!({
            "user": {"email": {"emailAddress": "someone@example.com", "isVerified": true},
                     "userDetails": {"firstName": "A"}},
            "roles": ["OWNER"]
        }),
        "/site-list/v2/sites/query" => json!({
            "query": {"filter": {"id": {"$in": [SITE_MAIN, SITE_SUB1]}}, "cursorPaging": {"limit": 2}}
        }),
        "/_emulator/accounts" => {
            json!({"parentAccountId": MAIN, "name": "n", "strategicPartner": false})
        }
        "/_emulator/sites" => {
            json!({"accountId": SUB1, "name": "s", "externalPaidServices": ["x"]})
        }
        "/_emulator/catalog" => json!({
            "id": "cf000000-0000-4000-8000-000000000001", "productType": "PREMIUM_PLAN", "name": "p",
            "billingCycles": [{"type": "ONE_TIME"}, yearly()], "requiresProductType": "X",
            "subscriptionLimit": 3, "hasSettings": true, "resellable": true
        }),
        "/_emulator/allowed-transfers" => json!({"sourceAccountId": SUB1, "targetAccountId": SUB2}),
        "/_emulator/api-keys" => {
            json!({"accountId": SUB2, "scopes": ["premium.reseller-package.read"]})
        }
        "/_emulator/instances/{}/status" => {
            json!({"status": "FAILED", "failure": {"code": "C", "message": "m"}})
        }
        "/_emulator/provisioning" => json!({"mode": "auto", "delayMs": 1000}),
        "/_emulator/clock" => match variant % 2 {
            0 => json!({"advanceMs": 60_000}),
            _ => json!({"set": "2040-01-01T00:00:00.000Z"}),
        },
        "/_emulator/faults" => json!({"rules": [{
            "method": "GET", "pathPrefix": "/resellers/", "probability": 0.5, "times": 3,
            "status": 503, "errorCode": "X", "retryAfterSeconds": 1, "delayMs": 1,
            "dropConnection": false, "afterCommit": false
        }]}),
        "/_emulator/state" => serde_json::to_value(demo_seed()).unwrap(),
        _ => json!({"idempotencyKey": format!("k-{variant}")}),
    }
}

/// Every JSON pointer inside `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        _ => {}
    }
}

/// How a case's body is made.
#[derive(Debug, Clone)]
enum BodyKind {
    Empty,
    /// The route's shape with `mutations` (pointer index, replacement) applied, and
    /// an unknown member added when `extra` is set; cut at `cut` (per mille) when set.
    Shaped {
        variant: u8,
        mutations: Vec<(usize, Option<Value>)>,
        extra: Option<(String, Value)>,
        cut: Option<u16>,
    },
    Json(Value),
    Bytes(Vec<u8>),
    Nested(usize, bool),
    InvalidUtf8InString,
}

fn body_kind() -> impl Strategy<Value = BodyKind> {
    prop_oneof![
        1 => Just(BodyKind::Empty),
        6 => (
            any::<u8>(),
            prop::collection::vec((any::<usize>(), prop::option::of(any_json())), 0..4),
            prop::option::of(("[a-zA-Z_]{1,10}", any_json())),
            prop::option::weighted(0.15, 0u16..1000),
        )
            .prop_map(|(variant, mutations, extra, cut)| BodyKind::Shaped {
                variant,
                mutations,
                extra,
                cut
            }),
        2 => any_json().prop_map(BodyKind::Json),
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(BodyKind::Bytes),
        1 => ((1usize..3_000), any::<bool>()).prop_map(|(n, obj)| BodyKind::Nested(n, obj)),
        1 => Just(BodyKind::InvalidUtf8InString),
    ]
}

fn make_body(kind: &BodyKind, route: usize, ids: &Ids) -> Vec<u8> {
    match kind {
        BodyKind::Empty => Vec::new(),
        BodyKind::Shaped {
            variant,
            mutations,
            extra,
            cut,
        } => {
            let mut value = shape(route, *variant, ids);
            for (pick, replacement) in mutations {
                let mut all = Vec::new();
                pointers(&value, String::new(), &mut all);
                if all.is_empty() {
                    break;
                }
                let p = &all[pick % all.len()];
                match replacement {
                    Some(v) => {
                        if let Some(slot) = value.pointer_mut(p) {
                            *slot = v.clone();
                        }
                    }
                    None => {
                        // Remove the member (or array element).
                        let (parent, last) = p.rsplit_once('/').unwrap();
                        match value.pointer_mut(parent) {
                            Some(Value::Object(m)) => {
                                m.remove(&last.replace("~1", "/").replace("~0", "~"));
                            }
                            Some(Value::Array(a)) => {
                                if let Ok(i) = last.parse::<usize>() {
                                    if i < a.len() {
                                        a.remove(i);
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            if let (Some((k, v)), Value::Object(m)) = (extra, &mut value) {
                m.insert(k.clone(), v.clone());
            }
            let mut bytes = serde_json::to_vec(&value).unwrap();
            if let Some(per_mille) = cut {
                let keep = bytes.len() * usize::from(*per_mille) / 1000;
                bytes.truncate(keep);
            }
            bytes
        }
        BodyKind::Json(v) => serde_json::to_vec(v).unwrap(),
        BodyKind::Bytes(b) => b.clone(),
        BodyKind::Nested(n, obj) => {
            let (open, close) = if *obj {
                (r#"{"query":"#, "}")
            } else {
                ("[", "]")
            };
            let mut s = String::new();
            for _ in 0..*n {
                s.push_str(open);
            }
            s.push_str("{}");
            for _ in 0..*n {
                s.push_str(close);
            }
            s.into_bytes()
        }
        BodyKind::InvalidUtf8InString => {
            let mut b = br#"{"externalId":""#.to_vec();
            b.extend_from_slice(b"\xff\xfe\xc3\x28");
            b.extend_from_slice(br#"","products":[{"catalogProductId":""#);
            b.extend_from_slice(b"\xed\xa0\x80");
            b.extend_from_slice(br#"","countryCode":"US"}],"query":{}}"#);
            b
        }
    }
}

#[derive(Debug, Clone)]
struct Case {
    route: usize,
    method: String,
    segments: Vec<String>,
    query: Option<String>,
    auth: Option<Vec<u8>>,
    account: Option<Vec<u8>>,
    content_type: Option<&'static str>,
    body: BodyKind,
}

fn case(ids: &Ids, keys: Vec<String>) -> impl Strategy<Value = Case> {
    let accounts: Vec<String> = [MAIN, SUB1, SUB2, NOBODY]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    (
        0..ROUTES.len(),
        prop_oneof![
            4 => Just(None),
            1 => prop::sample::select(vec!["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "FROB"])
                .prop_map(Some),
        ],
        any::<u8>(),
        prop::collection::vec(segment(ids), 2),
        query_string(),
        header_value(keys),
        header_value(accounts),
        prop::sample::select(vec![
            Some("application/json"),
            Some("text/plain"),
            Some("application/json; charset=latin1"),
            None,
        ]),
        body_kind(),
    )
        .prop_map(
            |(route, other_method, pick, segments, query, auth, account, content_type, body)| {
                let methods = ROUTES[route].0;
                let method = other_method
                    .map(str::to_owned)
                    .unwrap_or_else(|| methods[usize::from(pick) % methods.len()].to_owned());
                Case {
                    route,
                    method,
                    segments,
                    query,
                    auth,
                    account,
                    content_type,
                    body,
                }
            },
        )
}

fn uri_of(case: &Case) -> String {
    let mut path = ROUTES[case.route].1.to_owned();
    for s in &case.segments {
        if let Some(i) = path.find("{}") {
            path.replace_range(i..i + 2, s);
        }
    }
    match &case.query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    }
}

fn request_of(case: &Case, ids: &Ids) -> Request<Body> {
    let mut builder = Request::builder()
        .method(Method::from_bytes(case.method.as_bytes()).unwrap())
        .uri(uri_of(case));
    if let Some(a) = &case.auth {
        builder = builder.header("authorization", HeaderValue::from_bytes(a).unwrap());
    }
    if let Some(a) = &case.account {
        builder = builder.header("wix-account-id", HeaderValue::from_bytes(a).unwrap());
    }
    if let Some(ct) = case.content_type {
        builder = builder.header("content-type", ct);
    }
    builder
        .body(Body::from(make_body(&case.body, case.route, ids)))
        .unwrap()
}

/// Sends `request`; checks: no 5xx, and a Wix-shaped JSON body on every refusal.
async fn check(router: &Router, request: Request<Body>) -> Result<(StatusCode, Value), String> {
    let head = request.method() == Method::HEAD;
    let what = format!("{} {}", request.method(), request.uri());
    let response = router
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|never| match never {});
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("{what}: the body failed: {e}"))?
        .to_bytes();
    let text = String::from_utf8_lossy(&bytes);
    if status.is_server_error() {
        return Err(format!("{what}: {status} {text}"));
    }
    if status.is_success() || status.is_informational() || status.is_redirection() {
        return Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ));
    }
    if head && bytes.is_empty() {
        return Ok((status, Value::Null));
    }
    let body: Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{what}: {status} with a body that is not JSON ({e}): {text}"))?;
    if !body["message"].is_string() || !body["details"].is_object() {
        return Err(format!(
            "{what}: {status} with a body not Wix-shaped: {text}"
        ));
    }
    Ok((status, body))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A demo emulator with two packages and a few more keys; its router and ids.
async fn setup() -> (Emulator, Router, Ids, Vec<String>) {
    let emulator = Emulator::in_memory();
    assert!(emulator.load_demo_seed_if_empty().await.unwrap());
    let router = emulator.router();
    let mut ids = Ids {
        packages: Vec::new(),
        instances: Vec::new(),
    };
    for account in [MAIN, SUB1] {
        let request = Request::builder()
            .method(Method::POST)
            .uri("/resellers/v2/packages")
            .header("authorization", KEY)
            .header("wix-account-id", account)
            .header("content-type", "application/json")
            .body(Body::from(
                serde_json::to_vec(&json!({"products": [
                    {"catalogProductId": PLAN_BUSINESS, "countryCode": "US", "billingInfo": yearly()}
                ]}))
                .unwrap(),
            ))
            .unwrap();
        let (status, body) = check(&router, request).await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        ids.packages
            .push(body["package"]["id"].as_str().unwrap().to_owned());
        ids.instances.push(
            body["package"]["productInstances"][0]["instanceId"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let mut keys = vec![KEY.to_owned()];
    for (account, scopes) in [
        (SUB1, json!(null)),
        (MAIN, json!(["premium.reseller-package.read"])),
    ] {
        let body = if scopes.is_null() {
            json!({"accountId": account})
        } else {
            json!({"accountId": account, "scopes": scopes})
        };
        let request = Request::builder()
            .method(Method::POST)
            .uri("/_emulator/api-keys")
            .body(Body::from(serde_json::to_vec(&body).unwrap()))
            .unwrap();
        let (status, body) = check(&router, request).await.unwrap();
        assert_eq!(status, StatusCode::CREATED);
        keys.push(body["key"].as_str().unwrap().to_owned());
    }
    (emulator, router, ids, keys)
}

#[test]
fn no_input_gives_a_5xx_or_a_shapeless_refusal() {
    let rt = runtime();
    let (emulator, router, ids, keys) = rt.block_on(setup());
    let config = Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let strategy = case(&ids, keys.clone());
    // The state to go back to when a case resets or replaces it.
    let baseline = emulator.wix().export();
    let statuses = std::cell::RefCell::new(std::collections::BTreeMap::<u16, usize>::new());
    let result = runner.run(&strategy, |case| {
        let request = request_of(&case, &ids);
        let outcome = rt.block_on(check(&router, request));
        if let Ok((status, _)) = &outcome {
            *statuses.borrow_mut().entry(status.as_u16()).or_default() += 1;
        }
        // Undo what would spoil the next cases: faults (they would fail later
        // requests on purpose), and a reset or replaced state (the keys and ids).
        // A manual provisioning mode, a long delay or a clock moved far ahead stay:
        // they are part of what is tested.
        rt.block_on(async {
            let clear = Request::builder()
                .method(Method::DELETE)
                .uri("/_emulator/faults")
                .body(Body::empty())
                .unwrap();
            router.clone().oneshot(clear).await.unwrap();
            let spoiled = keys.iter().any(|k| {
                emulator
                    .wix()
                    .authenticate(&ApiKey::new(k.as_str()))
                    .is_err()
            }) || ids
                .packages
                .iter()
                .any(|p| emulator.wix().package(p.parse().unwrap()).is_none());
            if spoiled {
                emulator.wix().import(&baseline).await.unwrap();
            }
        });
        outcome.map(drop).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(emulator.wix().invariant_violations().is_empty());
    // The cases reach past authentication and validation, not only refusals.
    let statuses = statuses.into_inner();
    let count = |f: fn(u16) -> bool| -> usize {
        statuses
            .iter()
            .filter(|(s, _)| f(**s))
            .map(|(_, n)| n)
            .sum()
    };
    eprintln!("statuses: {statuses:?}");
    assert!(count(|s| (200..300).contains(&s)) >= 10, "{statuses:?}");
    assert!(count(|s| s == 400) >= 10, "{statuses:?}");
    assert!(statuses.len() >= 6, "{statuses:?}");
}

/// A body over 4 MiB is refused with a Wix-shaped 400 on every body-reading route.
#[test]
fn a_body_over_four_mib_is_400() {
    let rt = runtime();
    let (_emulator, router, _ids, _keys) = rt.block_on(setup());
    let mut huge = br#"{"externalId":""#.to_vec();
    huge.resize(MAX_BODY_BYTES + 10, b'x');
    huge.extend_from_slice(br#""}"#);
    for (method, path) in [
        (Method::POST, "/resellers/v2/packages"),
        (Method::POST, "/resellers/v1/packages/query"),
        (Method::DELETE, &*format!("/resellers/v1/packages/{NOBODY}")),
        (
            Method::PATCH,
            &*format!("/resellers/v1/packages/product-instances/{NOBODY}"),
        ),
        (Method::POST, "/b2b-site-management/v1/transfer-site"),
        (Method::POST, "/site-list/v2/sites/query"),
        (Method::POST, "/_emulator/accounts"),
        (Method::PUT, "/_emulator/state"),
        (Method::POST, "/_emulator/faults"),
    ] {
        let request = Request::builder()
            .method(method.clone())
            .uri(path)
            .header("authorization", KEY)
            .header("wix-account-id", MAIN)
            .header("content-type", "application/json")
            .body(Body::from(huge.clone()))
            .unwrap();
        let (status, body) = rt.block_on(check(&router, request)).unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path}: {body}");
        assert_eq!(
            body["details"]["applicationError"]["code"], "INVALID_ARGUMENT",
            "{method} {path}: {body}"
        );
    }
    // Exactly at the limit is read (and refused for what it says, not its size).
    let mut at_limit = br#"{"externalId":""#.to_vec();
    at_limit.resize(MAX_BODY_BYTES - 2, b'x');
    at_limit.extend_from_slice(br#""}"#);
    assert_eq!(at_limit.len(), MAX_BODY_BYTES);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/resellers/v2/packages")
        .header("authorization", KEY)
        .header("wix-account-id", MAIN)
        .body(Body::from(at_limit))
        .unwrap();
    let (status, body) = rt.block_on(check(&router, request)).unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = body["details"]["validationError"]["fieldViolations"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|v| v["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"externalId"), "{body}");
}

/// The clock at the end of representable time, then every route: still no 5xx.
#[test]
fn the_end_of_time_gives_no_5xx() {
    let rt = runtime();
    let (_emulator, router, ids, _keys) = rt.block_on(setup());
    let send = |method: Method, uri: &str, body: Value| {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", KEY)
            .header("wix-account-id", MAIN)
            .body(Body::from(serde_json::to_vec(&body).unwrap()))
            .unwrap();
        rt.block_on(check(&router, request))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // The longest provisioning delay, then a package that waits for it.
    let (status, _) = send(
        Method::PUT,
        "/_emulator/provisioning",
        json!({"mode": "auto", "delayMs": i64::MAX}),
    );
    assert_eq!(status, StatusCode::OK);
    let create = json!({"idempotencyKey": "end", "products": [
        {"catalogProductId": PLAN_CORE, "countryCode": "US", "billingInfo": yearly()}]});
    let (status, created) = send(Method::POST, "/resellers/v2/packages", create.clone());
    assert_eq!(status, StatusCode::OK, "{created}");
    for body in [
        json!({"advanceMs": i64::MAX}),
        json!({"set": "9999-12-31T23:59:59.999Z"}),
        json!({"advanceMs": i64::MAX}),
    ] {
        let request = Request::builder()
            .method(Method::POST)
            .uri("/_emulator/clock")
            .body(Body::from(serde_json::to_vec(&body).unwrap()))
            .unwrap();
        rt.block_on(check(&router, request)).unwrap();
    }
    // The waiting package, its idempotency key (long expired) and a new package.
    let id = created["package"]["id"].as_str().unwrap();
    send(
        Method::GET,
        &format!("/resellers/v1/packages/{id}"),
        Value::Null,
    );
    let (status, again) = send(Method::POST, "/resellers/v2/packages", create);
    assert_eq!(status, StatusCode::OK, "{again}");
    send(
        Method::POST,
        "/resellers/v1/packages/query",
        json!({"query": {"filter": {"createdDate": {"$gt": "9999-12-31T23:59:59.999Z"}}}}),
    );
    for (route, (methods, _)) in ROUTES.iter().enumerate() {
        for method in *methods {
            let case = Case {
                route,
                method: (*method).to_owned(),
                segments: vec![ids.instances[0].clone(), SITE_MAIN.to_owned()],
                query: None,
                auth: Some(KEY.as_bytes().to_vec()),
                account: Some(MAIN.as_bytes().to_vec()),
                content_type: Some("application/json"),
                body: BodyKind::Shaped {
                    variant: 0,
                    mutations: Vec::new(),
                    extra: None,
                    cut: None,
                },
            };
            if ROUTES[route].1 == "/_emulator/faults" {
                continue;
            }
            rt.block_on(check(&router, request_of(&case, &ids)))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Over real HTTP, a client sending more than 4 MiB gets the 400, not a reset
/// connection, and the connection's next request is answered.
#[test]
fn a_body_over_four_mib_is_400_over_http() {
    let rt = runtime();
    rt.block_on(async {
        let emu = Emu::demo().await;
        for size in [MAX_BODY_BYTES + 1, 5 * 1024 * 1024, 16 * 1024 * 1024] {
            let mut huge = br#"{"externalId":""#.to_vec();
            huge.resize(size, b'x');
            let response = emu
                .http
                .post(format!("{}/resellers/v2/packages", emu.base))
                .header("authorization", KEY)
                .header("wix-account-id", MAIN)
                .header("content-type", "application/json")
                .body(huge)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{size} bytes: no answer: {e}"));
            assert_eq!(response.status().as_u16(), 400, "{size} bytes");
            let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
            assert_eq!(
                body["details"]["applicationError"]["code"],
                "INVALID_ARGUMENT"
            );
            emu.control(reqwest::Method::GET, "/health", None)
                .await
                .expect_status(200);
        }
    });
}
