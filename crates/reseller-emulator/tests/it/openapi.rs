//! The OpenAPI document against the emulator's real answers: on the demo seed, every
//! documented operation is called at least once with success and once refused, and
//! every answer body is validated against the schema the document gives for its
//! status (the success schema, else `default`). The example request bodies of the
//! document succeed as they are.

use std::collections::{BTreeMap, BTreeSet};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use reseller_emulator::{DEMO_API_KEY, Emulator};
use serde_json::{Value, json};
use tower::ServiceExt;

const MAIN: &str = reseller_emulator::DEMO_MAIN_ACCOUNT;
const SUB: &str = "a1000000-0000-4000-8000-000000000002";
const SITE: &str = "51000000-0000-4000-8000-000000000001";
const UNKNOWN: &str = "0f000000-0000-4000-8000-00000000ffff";
const ADMIN_TOKEN: &str = "admin-secret";

/// A small validator of the OpenAPI 3.0 schema objects this document uses. It
/// refuses a keyword it does not know, so no constraint is skipped silently.
struct Validator<'a> {
    components: &'a serde_json::Map<String, Value>,
}

const ANNOTATIONS: &[&str] = &["description", "title", "default", "example", "deprecated"];

impl Validator<'_> {
    fn check(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let Some(schema) = schema.as_object() else {
            panic!("{at}: a schema must be an object, got {schema}");
        };
        if let Some(Value::String(r)) = schema.get("$ref") {
            let name = r.strip_prefix("#/components/schemas/").unwrap();
            let target = self
                .components
                .get(name)
                .unwrap_or_else(|| panic!("dangling $ref {r}"));
            self.check(target, value, at, errors);
            return;
        }
        if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        for (keyword, arg) in schema {
            match keyword.as_str() {
                k if ANNOTATIONS.contains(&k) => {}
                "nullable" | "required" | "additionalProperties" => {}
                "type" => {
                    let ok = match arg.as_str().unwrap() {
                        "object" => value.is_object(),
                        "array" => value.is_array(),
                        "string" => value.is_string(),
                        "boolean" => value.is_boolean(),
                        "number" => value.is_number(),
                        "integer" => value.is_i64() || value.is_u64(),
                        other => panic!("{at}: unknown type {other}"),
                    };
                    if !ok {
                        errors.push(format!("{at}: {value} is not of type {arg}"));
                    }
                }
                "format" => {
                    if let Some(text) = value.as_str() {
                        let ok = match arg.as_str().unwrap() {
                            "uuid" => is_uuid(text),
                            "date-time" => is_date_time(text),
                            other => panic!("{at}: unknown string format {other}"),
                        };
                        if !ok {
                            errors.push(format!("{at}: {text:?} is not a {arg}"));
                        }
                    }
                }
                "enum" => {
                    if !arg.as_array().unwrap().contains(value) {
                        errors.push(format!("{at}: {value} is not one of {arg}"));
                    }
                }
                "minimum" => {
                    if value.as_f64().is_some_and(|v| v < arg.as_f64().unwrap()) {
                        errors.push(format!("{at}: {value} is below {arg}"));
                    }
                }
                "maximum" => {
                    if value.as_f64().is_some_and(|v| v > arg.as_f64().unwrap()) {
                        errors.push(format!("{at}: {value} is above {arg}"));
                    }
                }
                "properties" => {
                    if let Some(object) = value.as_object() {
                        for (name, sub) in arg.as_object().unwrap() {
                            if let Some(v) = object.get(name) {
                                self.check(sub, v, &format!("{at}.{name}"), errors);
                            }
                        }
                        let additional = schema.get("additionalProperties");
                        for (name, v) in object {
                            if arg.get(name).is_none() {
                                match additional {
                                    Some(Value::Bool(false)) => {
                                        errors.push(format!("{at}: unexpected member {name}"))
                                    }
                                    Some(s @ Value::Object(_)) => {
                                        self.check(s, v, &format!("{at}.{name}"), errors);
                                    }
                                    _ => {}
                                }
                            }
                        }
                    }
                }
                "items" => {
                    if let Some(items) = value.as_array() {
                        for (i, v) in items.iter().enumerate() {
                            self.check(arg, v, &format!("{at}[{i}]"), errors);
                        }
                    }
                }
                "allOf" => {
                    for sub in arg.as_array().unwrap() {
                        self.check(sub, value, at, errors);
                    }
                }
                "anyOf" | "oneOf" => {
                    let matching = arg
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|sub| {
                            let mut e = Vec::new();
                            self.check(sub, value, at, &mut e);
                            e.is_empty()
                        })
                        .count();
                    let ok = if keyword == "anyOf" {
                        matching >= 1
                    } else {
                        matching == 1
                    };
                    if !ok {
                        errors.push(format!("{at}: {value} matches {matching} of {keyword}"));
                    }
                }
                other => panic!("{at}: the test's validator does not know `{other}`"),
            }
        }
        if let (Some(required), Some(object)) = (schema.get("required"), value.as_object()) {
            for name in required.as_array().unwrap() {
                if !object.contains_key(name.as_str().unwrap()) {
                    errors.push(format!("{at}: required member {name} is missing"));
                }
            }
        }
    }
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    shape && (text.ends_with('Z') || text.ends_with('z') || text[19..].contains(['+', '-']))
}

/// The emulator, its OpenAPI document, and what the calls covered.
struct Harness {
    router: Router,
    doc: Value,
    /// operationId -> statuses seen.
    seen: BTreeMap<String, BTreeSet<u16>>,
}

/// One answer.
struct Answer {
    status: u16,
    body: Value,
}

impl Answer {
    fn code(&self) -> Option<&str> {
        self.body
            .pointer("/details/applicationError/code")
            .and_then(Value::as_str)
    }
}

impl Harness {
    async fn new(emulator: &Emulator) -> Self {
        let router = emulator.router();
        let mut harness = Self {
            router,
            doc: Value::Null,
            seen: BTreeMap::new(),
        };
        let (status, bytes) = harness
            .send(Method::GET, "/_emulator/openapi.json", None, true, None)
            .await;
        assert_eq!(status, 200);
        harness.doc = serde_json::from_slice(&bytes).unwrap();
        harness
    }

    async fn send(
        &self,
        method: Method,
        uri: &str,
        body: Option<&Value>,
        wix_headers: bool,
        admin: Option<&str>,
    ) -> (u16, Vec<u8>) {
        let mut request = Request::builder().method(method).uri(uri);
        if wix_headers {
            request = request
                .header(header::AUTHORIZATION, DEMO_API_KEY)
                .header("wix-account-id", MAIN)
                .header("wix-site-id", SITE);
        }
        if let Some(token) = admin {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(v) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(serde_json::to_vec(v).unwrap())
            }
            None => Body::empty(),
        };
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, bytes.to_vec())
    }

    /// The operation object documented for `method` and the path of `uri`, and its id.
    fn operation(&self, method: &Method, uri: &str) -> (String, &Value) {
        let path = uri.split('?').next().unwrap();
        let segments: Vec<&str> = path.split('/').collect();
        let method = method.as_str().to_ascii_lowercase();
        // A literal segment wins over a template, as OpenAPI matches paths.
        let mut best: Option<(usize, &Value)> = None;
        for (template, item) in self.doc["paths"].as_object().unwrap() {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segments.len() {
                continue;
            }
            let literal = parts.iter().filter(|p| !p.starts_with('{')).count();
            let matches = parts
                .iter()
                .zip(&segments)
                .all(|(p, s)| p.starts_with('{') || p == s);
            if matches && best.is_none_or(|(n, _)| literal > n) {
                if let Some(op) = item.get(&method) {
                    best = Some((literal, op));
                }
            }
        }
        let op = best
            .unwrap_or_else(|| panic!("{method} {path} is not documented"))
            .1;
        (op["operationId"].as_str().unwrap().to_owned(), op)
    }

    /// Calls `method uri` (as the demo key on the main account when `wix`), checks
    /// the answer against the document, and records it for its operation.
    async fn call_as(
        &mut self,
        method: Method,
        uri: &str,
        body: Option<Value>,
        wix: bool,
        admin: Option<&str>,
    ) -> Answer {
        let (status, bytes) = self
            .send(method.clone(), uri, body.as_ref(), wix, admin)
            .await;
        let (id, op) = self.operation(&method, uri);
        let responses = &op["responses"];
        let documented = responses
            .get(status.to_string())
            .unwrap_or(&responses["default"]);
        let body = match documented.pointer("/content/application~1json/schema") {
            None => {
                assert!(
                    bytes.is_empty(),
                    "{method} {uri}: {status} documents no content, got {}",
                    String::from_utf8_lossy(&bytes)
                );
                Value::Null
            }
            Some(schema) => {
                let body: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                    panic!(
                        "{method} {uri}: {status} answered non-JSON ({e}): {}",
                        String::from_utf8_lossy(&bytes)
                    )
                });
                let validator = Validator {
                    components: self.doc["components"]["schemas"].as_object().unwrap(),
                };
                let mut errors = Vec::new();
                validator.check(schema, &body, "$", &mut errors);
                assert!(
                    errors.is_empty(),
                    "{method} {uri}: the {status} answer breaks its documented schema:\n{}\n{body:#}",
                    errors.join("\n")
                );
                body
            }
        };
        self.seen.entry(id).or_default().insert(status);
        Answer { status, body }
    }

    async fn wix(&mut self, method: Method, uri: &str, body: Option<Value>) -> Answer {
        self.call_as(method, uri, body, true, None).await
    }

    async fn control(&mut self, method: Method, uri: &str, body: Option<Value>) -> Answer {
        self.call_as(method, uri, body, false, None).await
    }

    /// The example request body the document gives `operationId`.
    fn example(&self, operation_id: &str) -> Value {
        for item in self.doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                if op["operationId"] == operation_id {
                    return op
                        .pointer("/requestBody/content/application~1json/example")
                        .unwrap_or_else(|| panic!("{operation_id} has no example"))
                        .clone();
                }
            }
        }
        panic!("no operation {operation_id}")
    }

    /// Every documented operation id.
    fn operation_ids(&self) -> BTreeSet<String> {
        self.doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .map(|op| op["operationId"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn assert_status(answer: &Answer, status: u16, code: Option<&str>) {
    assert_eq!(
        (answer.status, answer.code()),
        (status, code),
        "{:#}",
        answer.body
    );
}

#[tokio::test]
async fn every_answer_matches_its_documented_schema() {
    let emulator = Emulator::in_memory();
    assert!(emulator.load_demo_seed_if_empty().await.unwrap());
    let mut h = Harness::new(&emulator).await;

    // Manual provisioning: new instances stay PENDING until moved below.
    let manual = h
        .control(
            Method::PUT,
            "/_emulator/provisioning",
            Some(json!({"mode": "manual"})),
        )
        .await;
    assert_status(&manual, 200, None);

    // Packages: the documented examples succeed; refusals of each kind.
    let created = h
        .wix(
            Method::POST,
            "/resellers/v2/packages",
            Some(h.example("createPackage")),
        )
        .await;
    assert_status(&created, 200, None);
    let package = created.body["package"]["id"].as_str().unwrap().to_owned();
    let instance = created.body["package"]["productInstances"][0]["instanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = h
        .wix(Method::POST, "/resellers/v2/packages", Some(json!({})))
        .await;
    assert_status(&refused, 400, None);
    assert!(refused.body["details"]["validationError"].is_object());

    // A second package, floating, for the cancel below.
    let mut floating = h.example("createPackage");
    for p in floating["products"].as_array_mut().unwrap() {
        p.as_object_mut().unwrap().remove("siteId");
    }
    let second = h
        .wix(Method::POST, "/resellers/v2/packages", Some(floating))
        .await;
    assert_status(&second, 200, None);
    let v1_package = second.body["package"]["id"].as_str().unwrap().to_owned();
    let got = h
        .wix(
            Method::GET,
            &format!("/resellers/v1/packages/{package}"),
            None,
        )
        .await;
    assert_status(&got, 200, None);
    let refused = h
        .wix(
            Method::GET,
            &format!("/resellers/v1/packages/{UNKNOWN}"),
            None,
        )
        .await;
    assert_status(&refused, 404, Some("PACKAGE_NOT_FOUND"));
    let refused = h
        .wix(Method::GET, "/resellers/v1/packages/not-a-guid", None)
        .await;
    assert_status(&refused, 400, None);

    let query = h
        .wix(
            Method::POST,
            "/resellers/v1/packages/query",
            Some(h.example("queryPackages")),
        )
        .await;
    assert_status(&query, 200, None);
    assert_eq!(query.body["packages"].as_array().unwrap().len(), 2);
    let offset = h
        .wix(
            Method::POST,
            "/resellers/v1/packages/query",
            Some(json!({"query": {"paging": {"limit": 1, "offset": 1}}})),
        )
        .await;
    assert_status(&offset, 200, None);
    let refused = h
        .wix(
            Method::POST,
            "/resellers/v1/packages/query",
            Some(json!({"query": {"filter": {"noSuchField": 1}}})),
        )
        .await;
    assert_status(&refused, 400, Some("INVALID_QUERY"));

    let updated = h
        .wix(
            Method::PATCH,
            &format!("/resellers/v1/packages/update/{package}/order-2002"),
            None,
        )
        .await;
    assert_status(&updated, 200, None);
    assert_eq!(updated.body["updatedPackage"]["externalId"], "order-2002");
    let refused = h
        .wix(
            Method::PATCH,
            &format!(
                "/resellers/v1/packages/update/{package}/{}",
                "x".repeat(101)
            ),
            None,
        )
        .await;
    assert_status(&refused, 400, None);

    let instance_uri = format!("/resellers/v1/packages/product-instances/{instance}");
    let assigned = h
        .wix(
            Method::PATCH,
            &format!("{instance_uri}/{SITE}"),
            Some(h.example("assignProductInstance")),
        )
        .await;
    assert_status(&assigned, 200, None);
    let refused = h
        .wix(
            Method::PATCH,
            &format!("/resellers/v1/packages/product-instances/{UNKNOWN}/{SITE}"),
            None,
        )
        .await;
    assert_status(&refused, 428, Some("PRODUCT_INSTANCE_NOT_FOUND"));

    let adjusted = h
        .wix(
            Method::PATCH,
            &instance_uri,
            Some(h.example("adjustProductInstance")),
        )
        .await;
    assert_status(&adjusted, 200, None);
    let refused = h
        .wix(
            Method::PATCH,
            &instance_uri,
            Some(json!({"billingInfo": {"type": "WEEKLY"}})),
        )
        .await;
    assert_status(&refused, 400, None);

    let unassigned = h
        .wix(
            Method::PATCH,
            &format!("{instance_uri}/unassign"),
            Some(h.example("unassignProductInstance")),
        )
        .await;
    assert_status(&unassigned, 200, None);
    let refused = h
        .wix(
            Method::PATCH,
            &format!("/resellers/v1/packages/product-instances/{UNKNOWN}/unassign"),
            Some(json!({"idempotencyKey": ""})),
        )
        .await;
    assert_status(&refused, 400, None);

    let moved = h
        .control(
            Method::POST,
            &format!("/_emulator/instances/{instance}/status"),
            Some(h.example("setInstanceStatus")),
        )
        .await;
    assert_status(&moved, 200, None);
    assert_eq!(moved.body["productInstances"][0]["status"], "ENABLED");
    let refused = h
        .control(
            Method::POST,
            &format!("/_emulator/instances/{instance}/status"),
            Some(json!({"status": "PENDING"})),
        )
        .await;
    assert_eq!(refused.status, 409, "{:#}", refused.body);

    // The dashboard's extension: a domain (it expires) extends; the plan does not.
    let domain = h
        .wix(
            Method::POST,
            "/resellers/v2/packages",
            Some(
                json!({"products": [{"catalogProductId": "c1000000-0000-4000-8000-000000000003",
                                      "countryCode": "US"}]}),
            ),
        )
        .await;
    assert_status(&domain, 200, None);
    let domain_instance = domain.body["package"]["productInstances"][0]["instanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let extended = h
        .control(
            Method::POST,
            &format!("/_emulator/instances/{domain_instance}/extend"),
            Some(h.example("extendInstance")),
        )
        .await;
    assert_status(&extended, 200, None);
    assert!(extended.body["productInstances"][0]["expirationDate"].is_string());
    let refused = h
        .control(
            Method::POST,
            &format!("/_emulator/instances/{instance}/extend"),
            None,
        )
        .await;
    assert_eq!(refused.status, 409, "{:#}", refused.body);

    let canceled = h
        .wix(
            Method::DELETE,
            &format!("{instance_uri}?idempotencyKey=cancel-1"),
            None,
        )
        .await;
    assert_status(&canceled, 200, None);
    assert_eq!(canceled.body["idempotencyKey"], "cancel-1");
    let refused = h
        .wix(
            Method::DELETE,
            &format!("/resellers/v1/packages/product-instances/{UNKNOWN}"),
            None,
        )
        .await;
    assert_status(&refused, 428, Some("PRODUCT_INSTANCE_NOT_FOUND"));

    let canceled = h
        .wix(
            Method::DELETE,
            &format!("/resellers/v1/packages/{v1_package}?idempotencyKey=cancel-2"),
            None,
        )
        .await;
    assert_status(&canceled, 200, None);
    let refused = h
        .wix(
            Method::DELETE,
            &format!("/resellers/v1/packages/{UNKNOWN}"),
            None,
        )
        .await;
    assert_status(&refused, 404, Some("PACKAGE_NOT_FOUND"));

    // Transfer, accounts, sites.
    let transferred = h
        .wix(
            Method::POST,
            "/b2b-site-management/v1/transfer-site",
            Some(h.example("transferSite")),
        )
        .await;
    assert_status(&transferred, 200, None);
    let refused = h
        .wix(
            Method::POST,
            "/b2b-site-management/v1/transfer-site",
            Some(h.example("transferSite")),
        )
        .await;
    assert!((400..500).contains(&refused.status), "{:#}", refused.body);

    let account = h
        .wix(
            Method::POST,
            "/accounts/v1/accounts/create",
            Some(h.example("createAccount")),
        )
        .await;
    assert_status(&account, 200, None);
    let refused = h
        .wix(
            Method::POST,
            "/accounts/v1/accounts/create",
            Some(json!({})),
        )
        .await;
    assert_status(&refused, 400, None);

    let children = h
        .wix(
            Method::GET,
            "/accounts/v1/account/child-accounts?paging.limit=2&paging.offset=1",
            None,
        )
        .await;
    assert_status(&children, 200, None);
    assert_eq!(children.body["childAccounts"].as_array().unwrap().len(), 2);
    let refused = h
        .wix(
            Method::GET,
            "/accounts/v1/account/child-accounts?paging.limit=many",
            None,
        )
        .await;
    assert_status(&refused, 400, None);

    let sites = h
        .wix(
            Method::POST,
            "/site-list/v2/sites/query",
            Some(h.example("querySites")),
        )
        .await;
    assert_status(&sites, 200, None);
    assert_eq!(sites.body["sites"][0]["id"], SITE);
    let paged = h
        .wix(
            Method::POST,
            "/site-list/v2/sites/query",
            Some(json!({"query": {"cursorPaging": {"limit": 1}}})),
        )
        .await;
    assert_status(&paged, 200, None);
    let refused = h
        .wix(
            Method::POST,
            "/site-list/v2/sites/query",
            Some(json!({"query": {"sort": [{"fieldName": "name"}]}})),
        )
        .await;
    assert_status(&refused, 400, Some("INVALID_QUERY"));

    let count = h
        .wix(
            Method::POST,
            "/site-list/v2/sites/count",
            Some(h.example("countSites")),
        )
        .await;
    assert_status(&count, 200, None);
    let refused = h
        .wix(
            Method::POST,
            "/site-list/v2/sites/count",
            Some(json!({"filter": {"published": {"$startsWith": "t"}}})),
        )
        .await;
    assert_status(&refused, 400, Some("INVALID_QUERY"));
    let read = h
        .wix(Method::GET, &format!("/accounts/v1/accounts/{SUB}"), None)
        .await;
    assert_status(&read, 200, None);
    let refused = h
        .wix(
            Method::GET,
            &format!("/accounts/v1/accounts/{UNKNOWN}"),
            None,
        )
        .await;
    assert_status(&refused, 404, Some("ACCOUNT_NOT_FOUND"));
    // Domain Search and Connected Domains (the harness names SITE in wix-site-id).
    let free = h
        .wix(
            Method::GET,
            "/domain-search/v2/check-domain-availability?domain=bakery.com",
            None,
        )
        .await;
    assert_status(&free, 200, None);
    assert_eq!(free.body["availability"]["available"], false);
    let refused = h
        .wix(
            Method::GET,
            "/domain-search/v2/check-domain-availability?domain=bakery",
            None,
        )
        .await;
    assert_status(&refused, 400, Some("INVALID_DOMAIN"));
    let suggested = h
        .wix(
            Method::GET,
            "/domain-search/v2/suggest-domains?query=bakery&tlds=com&tlds=net&paging.limit=2",
            None,
        )
        .await;
    assert_status(&suggested, 200, None);
    assert_eq!(suggested.body["suggestions"].as_array().unwrap().len(), 2);
    let refused = h
        .wix(
            Method::GET,
            "/domain-search/v2/suggest-domains?query=bakery&tlds=.com",
            None,
        )
        .await;
    assert_status(&refused, 400, Some("INVALID_TLD_FORMAT"));
    let refused = h
        .wix(
            Method::POST,
            "/domains/v1/connected-domains",
            Some(h.example("createConnectedDomain")),
        )
        .await;
    assert_status(&refused, 403, Some("NON_PREMIUM_SITE"));
    let plan = h
        .wix(
            Method::POST,
            "/resellers/v2/packages",
            Some(json!({"products": [{"catalogProductId": "c1000000-0000-4000-8000-000000000002",
                                      "countryCode": "US", "siteId": SITE,
                                      "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}}}]})),
        )
        .await;
    assert_status(&plan, 200, None);
    let connected = h
        .wix(
            Method::POST,
            "/domains/v1/connected-domains",
            Some(h.example("createConnectedDomain")),
        )
        .await;
    assert_status(&connected, 200, None);
    assert_eq!(
        connected.body["connectedDomain"]["dnsPropagationStatus"],
        "UNKNOWN_DNS_PROPAGATION_STATUS"
    );
    for uri in [
        "/domains/v1/connected-domains/bakery.com",
        "/domains/v1/connected-domain-setup-info/bakery.com",
        "/domains/v1/connected-domains?paging.limit=10",
    ] {
        assert_status(&h.wix(Method::GET, uri, None).await, 200, None);
    }
    for uri in [
        "/domains/v1/connected-domains/nothing.com",
        "/domains/v1/connected-domain-setup-info/nothing.com",
    ] {
        assert_status(&h.wix(Method::GET, uri, None).await, 404, Some("NOT_FOUND"));
    }
    let refused = h
        .wix(
            Method::GET,
            "/domains/v1/connected-domains?paging.limit=101",
            None,
        )
        .await;
    assert_status(&refused, 400, None);
    for (method, uri, body) in [
        (
            Method::POST,
            "/_emulator/domains/taken",
            json!({"domains": ["florist.org"]}),
        ),
        (
            Method::PUT,
            "/_emulator/tlds",
            json!({"tlds": ["com", "net", "org"]}),
        ),
        (Method::PUT, "/_emulator/dns", json!({"mode": "manual"})),
        (
            Method::POST,
            "/_emulator/connected-domains/bakery.com/dns-status",
            json!({"status": "COMPLETED"}),
        ),
    ] {
        let ok = h.control(method.clone(), uri, Some(body)).await;
        assert!((200..300).contains(&ok.status), "{uri}: {:#}", ok.body);
        let refused = h.control(method, uri, Some(json!({"domains": ["no tld"], "tlds": [".com"], "mode": "x", "status": "UNKNOWN_DNS_PROPAGATION_STATUS"}))).await;
        assert_status(&refused, 400, None);
    }
    assert_status(
        &h.control(Method::GET, "/_emulator/tlds", None).await,
        200,
        None,
    );

    // Authentication refusals of the Wix surface.
    let refused = h
        .call_as(
            Method::GET,
            &format!("/resellers/v1/packages/{package}"),
            None,
            false,
            None,
        )
        .await;
    assert_status(&refused, 401, Some("UNAUTHENTICATED"));

    // The control API.
    assert_status(
        &h.control(Method::GET, "/_emulator/health", None).await,
        200,
        None,
    );
    assert_status(
        &h.control(Method::GET, "/_emulator/openapi.json", None)
            .await,
        200,
        None,
    );

    let added = h
        .control(
            Method::POST,
            "/_emulator/accounts",
            Some(h.example("addAccount")),
        )
        .await;
    assert_status(&added, 201, None);
    let refused = h
        .control(
            Method::POST,
            "/_emulator/accounts",
            Some(json!({"id": "nope"})),
        )
        .await;
    assert_status(&refused, 400, None);
    assert_status(
        &h.control(Method::GET, "/_emulator/accounts", None).await,
        200,
        None,
    );

    let site = h
        .control(Method::POST, "/_emulator/sites", Some(h.example("addSite")))
        .await;
    assert_status(&site, 201, None);
    let refused = h
        .control(Method::POST, "/_emulator/sites", Some(json!({})))
        .await;
    assert_status(&refused, 400, None);
    let listed = h
        .control(
            Method::GET,
            &format!("/_emulator/sites?accountId={SUB}"),
            None,
        )
        .await;
    assert_status(&listed, 200, None);
    let refused = h
        .control(Method::GET, "/_emulator/sites?accountId=nope", None)
        .await;
    assert_status(&refused, 400, None);

    let product = h
        .control(
            Method::POST,
            "/_emulator/catalog",
            Some(h.example("addCatalogProduct")),
        )
        .await;
    assert_status(&product, 201, None);
    let refused = h
        .control(
            Method::POST,
            "/_emulator/catalog",
            Some(json!({"id": UNKNOWN, "productType": "DOMAIN", "billingCycles": []})),
        )
        .await;
    assert_status(&refused, 400, None);
    assert_status(
        &h.control(Method::GET, "/_emulator/catalog", None).await,
        200,
        None,
    );

    let allowed = h
        .control(
            Method::POST,
            "/_emulator/allowed-transfers",
            Some(h.example("allowTransfer")),
        )
        .await;
    assert_status(&allowed, 201, None);
    let refused = h
        .control(
            Method::POST,
            "/_emulator/allowed-transfers",
            Some(json!({})),
        )
        .await;
    assert_status(&refused, 400, None);

    let key = h
        .control(
            Method::POST,
            "/_emulator/api-keys",
            Some(h.example("addApiKey")),
        )
        .await;
    assert_status(&key, 201, None);
    let refused = h
        .control(
            Method::POST,
            "/_emulator/api-keys",
            Some(json!({"accountId": SUB, "scopes": ["everything"]})),
        )
        .await;
    assert_status(&refused, 400, None);

    let mode = h
        .control(
            Method::PUT,
            "/_emulator/provisioning",
            Some(h.example("setProvisioning")),
        )
        .await;
    assert_status(&mode, 200, None);
    assert_eq!(mode.body, json!({"mode": "auto", "delayMs": 0}));
    let refused = h
        .control(
            Method::PUT,
            "/_emulator/provisioning",
            Some(json!({"mode": "sometimes"})),
        )
        .await;
    assert_status(&refused, 400, None);

    let now = h
        .control(
            Method::POST,
            "/_emulator/clock",
            Some(h.example("moveClock")),
        )
        .await;
    assert_status(&now, 200, None);
    let refused = h
        .control(
            Method::POST,
            "/_emulator/clock",
            Some(json!({"advanceMs": -1})),
        )
        .await;
    assert_status(&refused, 400, None);

    let faults = h
        .control(
            Method::POST,
            "/_emulator/faults",
            Some(h.example("addFaults")),
        )
        .await;
    assert_status(&faults, 201, None);
    // The injected fault is answered in the documented error shape.
    let injected = h
        .wix(
            Method::POST,
            "/resellers/v2/packages",
            Some(h.example("createPackage")),
        )
        .await;
    assert_eq!(injected.status, 503, "{:#}", injected.body);
    let refused = h
        .control(
            Method::POST,
            "/_emulator/faults",
            Some(json!({"rules": [{"status": 200}]})),
        )
        .await;
    assert_status(&refused, 400, None);
    assert_status(
        &h.control(Method::DELETE, "/_emulator/faults", None).await,
        204,
        None,
    );

    let log = h
        .control(Method::GET, "/_emulator/requests?limit=5", None)
        .await;
    assert_status(&log, 200, None);
    assert_eq!(log.body["requests"].as_array().unwrap().len(), 5);
    let refused = h
        .control(Method::GET, "/_emulator/requests?limit=-1", None)
        .await;
    assert_status(&refused, 400, None);

    let state = h.control(Method::GET, "/_emulator/state", None).await;
    assert_status(&state, 200, None);
    let refused = h
        .control(
            Method::PUT,
            "/_emulator/state",
            Some(json!({"accounts": [{"id": "nope"}]})),
        )
        .await;
    assert!((400..500).contains(&refused.status), "{:#}", refused.body);
    let imported = h
        .control(Method::PUT, "/_emulator/state", Some(state.body.clone()))
        .await;
    assert_status(&imported, 204, None);
    let seeded = h
        .control(
            Method::PUT,
            "/_emulator/state",
            Some(h.example("importState")),
        )
        .await;
    assert_status(&seeded, 204, None);
    assert_status(
        &h.control(Method::POST, "/_emulator/reset", None).await,
        204,
        None,
    );

    // Every control operation refused without the admin token (401), on an
    // emulator that has one; with it, the call goes through.
    let guarded = Emulator::in_memory().with_admin_token(Some(ADMIN_TOKEN.to_owned()));
    let mut g = Harness::new_with_token(&guarded).await;
    let control_calls: Vec<(Method, String)> = g.doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| path.starts_with("/_emulator/"))
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(|m| {
                    (
                        Method::from_bytes(m.to_ascii_uppercase().as_bytes()).unwrap(),
                        path.replace("{instanceId}", UNKNOWN),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (method, path) in &control_calls {
        let refused = g.call_as(method.clone(), path, None, false, None).await;
        assert_status(&refused, 401, Some("UNAUTHENTICATED"));
    }
    let health = g
        .call_as(
            Method::GET,
            "/_emulator/health",
            None,
            false,
            Some(ADMIN_TOKEN),
        )
        .await;
    assert_status(&health, 200, None);
    for (id, statuses) in g.seen {
        h.seen.entry(id).or_default().extend(statuses);
    }

    // Every documented operation answered both a success and a refusal.
    for id in h.operation_ids() {
        let statuses = h.seen.get(&id).cloned().unwrap_or_default();
        assert!(
            statuses.iter().any(|s| (200..300).contains(s)),
            "{id} never succeeded: {statuses:?}"
        );
        assert!(
            statuses.iter().any(|s| *s >= 400),
            "{id} was never refused: {statuses:?}"
        );
    }
}

impl Harness {
    /// A harness on an emulator with an admin token: reads the document with it.
    async fn new_with_token(emulator: &Emulator) -> Self {
        let mut harness = Self {
            router: emulator.router(),
            doc: Value::Null,
            seen: BTreeMap::new(),
        };
        let (status, bytes) = harness
            .send(
                Method::GET,
                "/_emulator/openapi.json",
                None,
                false,
                Some(ADMIN_TOKEN),
            )
            .await;
        assert_eq!(status, 200);
        harness.doc = serde_json::from_slice(&bytes).unwrap();
        harness
    }
}

#[tokio::test]
async fn every_example_is_valid_against_its_request_schema() {
    let emulator = Emulator::in_memory();
    let h = Harness::new(&emulator).await;
    let validator = Validator {
        components: h.doc["components"]["schemas"].as_object().unwrap(),
    };
    let mut examples = 0;
    for (path, item) in h.doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(content) = op.pointer("/requestBody/content/application~1json") else {
                continue;
            };
            let example = content
                .get("example")
                .unwrap_or_else(|| panic!("{method} {path}: a request body without example"));
            let mut errors = Vec::new();
            validator.check(&content["schema"], example, "$", &mut errors);
            assert!(errors.is_empty(), "{method} {path}: {errors:?}");
            examples += 1;
        }
    }
    assert!(examples >= 19, "{examples} examples");
}

#[tokio::test]
async fn the_validator_catches_a_broken_answer() {
    let emulator = Emulator::in_memory();
    let h = Harness::new(&emulator).await;
    let validator = Validator {
        components: h.doc["components"]["schemas"].as_object().unwrap(),
    };
    let package = json!({"$ref": "#/components/schemas/PackageResponse"});
    let check = |value: Value| {
        let mut errors = Vec::new();
        validator.check(&package, &value, "$", &mut errors);
        errors
    };
    assert!(check(json!({"package": {"productInstances": []}})).is_empty());
    // Written packages always carry `productInstances`, and never a `null`.
    assert!(!check(json!({"package": {}})).is_empty());
    assert!(!check(json!({"package": {"productInstances": [], "id": null}})).is_empty());
    assert!(!check(json!({"package": {"productInstances": [], "id": "x"}})).is_empty());
    assert!(
        !check(json!({"package": {"productInstances": [{"createdDate": "yesterday"}]}})).is_empty()
    );
}

/// Found by probing beyond Schemathesis: a clock moved past year 9999 made every
/// written date `+12167-…`, which breaks `format: date-time` (and RFC 3339), and a
/// move of `i64::MAX` ms silently stuck the clock. Both are refused now, as is a site
/// date whose offset carries it past the year 9999.
#[tokio::test]
async fn the_clock_and_written_dates_stay_rfc_3339() {
    let emulator = Emulator::in_memory();
    assert!(emulator.load_demo_seed_if_empty().await.unwrap());
    let mut h = Harness::new(&emulator).await;
    for body in [
        json!({"advanceMs": i64::MAX}),
        json!({"advanceMs": 320_000_000_000_000_i64}),
        json!({"set": "9999-06-01T00:00:00.000Z"}),
    ] {
        let refused = h
            .control(Method::POST, "/_emulator/clock", Some(body.clone()))
            .await;
        assert_status(&refused, 400, None);
        let violation = &refused.body["details"]["validationError"]["fieldViolations"][0];
        assert_eq!(violation["violatedRule"], "MAX", "{body}");
    }
    // The clock still moves, and within the limit a long move is fine.
    let before = h
        .control(
            Method::POST,
            "/_emulator/clock",
            Some(json!({"advanceMs": 0})),
        )
        .await;
    let later = h
        .control(
            Method::POST,
            "/_emulator/clock",
            Some(json!({"set": "9998-12-31T00:00:00.000Z"})),
        )
        .await;
    assert_status(&later, 200, None);
    assert!(later.body["now"].as_str().unwrap() > before.body["now"].as_str().unwrap());
    assert!(
        later.body["now"]
            .as_str()
            .unwrap()
            .starts_with("9998-12-31T")
    );
    let created = h
        .wix(
            Method::POST,
            "/resellers/v2/packages",
            Some(h.example("createPackage")),
        )
        .await;
    assert_status(&created, 200, None);

    let refused = h
        .control(
            Method::POST,
            "/_emulator/sites",
            Some(json!({"accountId": SUB, "createdDate": "9999-12-31T23:00:00-02:00"})),
        )
        .await;
    assert_status(&refused, 400, None);
    assert_eq!(
        refused.body["details"]["validationError"]["fieldViolations"][0]["field"],
        "createdDate"
    );
}
