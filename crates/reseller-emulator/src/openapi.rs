//! The OpenAPI 3.0.3 document of both surfaces (`GET /_emulator/openapi.json`),
//! generated from the wire types, never written by hand.
//!
//! `routes::operations` is the one list of documented routes: method, path,
//! parameters, request body type, success status and answer type of every endpoint
//! of the Wix surface, the domain APIs and the control API. The schemas come from the `schemars::JsonSchema`
//! implementations of reseller-wire's DTOs (its `schema` feature), in both of
//! schemars' contracts: a request body is described as serde *reads* it (every member
//! optional, `null` read as absent), an answer as serde *writes* it (members without
//! `skip_serializing_if` always present, never `null`). Where the two differ, the
//! read form is a component of its own named `<Type>Input`; otherwise one component
//! serves both.
//!
//! Every operation documents its success answer under its real status and every
//! other answer (a refusal, an unknown route, an injected fault) under `default`,
//! as Wix's error body (`ErrorBody`). The Wix routes name the API key as the
//! `apiKey` security scheme (the raw key in `Authorization`) and the acting account
//! as the required `wix-account-id` header; the control routes accept the optional
//! admin token (`Authorization: Bearer TOKEN`).
//!
//! The router is built from the same table; a unit test checks that every documented method and path is served,
//! and every other method on a routed path answers the `NOT_FOUND` fallback.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use reseller_wire::ErrorBody;
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::routes::{
    ACCOUNTS, CONTROL, DOMAINS, In, Kind, Link, Operation, Param, RESELLERS, SITES, SchemaFn,
    Surface, TRANSFER, of, operations,
};

/// The OpenAPI version of the document.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// Where component schemas live (schemars' OpenAPI 3 settings put them there).
const COMPONENTS: &str = "#/components/schemas/";

/// The suffix of a component that describes how a type is read, when that differs
/// from how it is written.
const INPUT_SUFFIX: &str = "Input";

/// The OpenAPI document (built once, then shared).
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(build)
}

/// Removes the `null` that schemars allows in an optional member of a written
/// type: a member that is not `required` in the serialize contract has
/// `skip_serializing_if`, so it is either absent or a value, never `null`.
#[derive(Debug, Clone, Copy)]
struct NeverNull;

impl Transform for NeverNull {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let required: BTreeSet<String> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        for (name, property) in properties.iter_mut() {
            if !required.contains(name) {
                strip_null(property);
            }
        }
    }
}

/// Whether `schema` is the null-only branch schemars' OpenAPI 3 settings write.
fn is_null_only(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true)) && schema.get("enum") == Some(&json!([null]))
}

/// `schema` without `null`: no `nullable`, no null-only `anyOf` branch.
fn strip_null(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    object.remove("nullable");
    let Some(Value::Array(branches)) = object.get_mut("anyOf") else {
        return;
    };
    branches.retain(|b| !is_null_only(b));
    if branches.len() == 1 {
        // One branch left (often a `$ref`, which OpenAPI 3.0 reads without its
        // siblings): keep it as the only member of `allOf`.
        if let Some(branches) = object.remove("anyOf") {
            object.insert("allOf".to_owned(), branches);
        }
    }
}

/// The generators of read (request) and written (answer) schemas.
fn generators() -> (SchemaGenerator, SchemaGenerator) {
    let read = SchemaSettings::openapi3()
        .for_deserialize()
        .with(|s| s.meta_schema = None)
        .into_generator();
    let write = SchemaSettings::openapi3()
        .for_serialize()
        .with(|s| s.meta_schema = None)
        .with_transform(NeverNull)
        .into_generator();
    (read, write)
}

/// `schema` of an operation, with the generator's transforms applied (named types
/// are `$ref`s, which they leave alone).
fn operation_schema(generator: &mut SchemaGenerator, f: SchemaFn) -> Value {
    let mut schema = f(generator);
    for transform in generator.transforms_mut() {
        transform.transform(&mut schema);
    }
    schema.to_value()
}

/// The component names a schema refers to.
fn refs(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix(COMPONENTS) {
                            found.insert(name.to_owned());
                        }
                    }
                    _ => refs(v, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

/// Points every `$ref` to a component of `renamed` at its `Input` form.
fn rename_refs(value: &mut Value, renamed: &BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix(COMPONENTS) {
                            if renamed.contains(name) {
                                *r = format!("{COMPONENTS}{name}{INPUT_SUFFIX}");
                            }
                        }
                    }
                    (_, v) => rename_refs(v, renamed),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, renamed)),
        _ => {}
    }
}

/// The components of both contracts: the written form under the type's name; the
/// read form under the same name when the type is never written or is read as it is
/// written, else under `<name>Input`. Returns the components and the renamed names.
fn merge_components(
    read: Map<String, Value>,
    write: Map<String, Value>,
) -> (Map<String, Value>, BTreeSet<String>) {
    let differs = |name: &str, schema: &Value| write.get(name).is_some_and(|w| w != schema);
    // A read form also differs when it refers to one that differs (its `$ref`s will
    // be renamed): grow the set to a fixed point.
    let mut renamed: BTreeSet<String> = read
        .iter()
        .filter(|(name, schema)| differs(name, schema))
        .map(|(name, _)| name.clone())
        .collect();
    loop {
        let more: Vec<String> = read
            .iter()
            .filter(|(name, _)| {
                write.contains_key(name.as_str()) && !renamed.contains(name.as_str())
            })
            .filter(|(_, schema)| {
                let mut found = BTreeSet::new();
                refs(schema, &mut found);
                found.iter().any(|r| renamed.contains(r))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        renamed.extend(more);
    }
    let mut components = write;
    for (name, mut schema) in read {
        rename_refs(&mut schema, &renamed);
        if renamed.contains(&name) {
            components.insert(format!("{name}{INPUT_SUFFIX}"), schema);
        } else {
            components.entry(name).or_insert(schema);
        }
    }
    (components, renamed)
}

/// The JSON Schema of a parameter.
fn param_schema(kind: Kind) -> Value {
    match kind {
        Kind::Guid => json!({"type": "string", "format": "uuid"}),
        Kind::Count => json!({"type": "integer", "minimum": 0, "maximum": u32::MAX}),
        Kind::ExternalId => json!({"type": "string", "maxLength": 100}),
        Kind::Text => json!({"type": "string"}),
    }
}

fn parameter(p: &Param) -> Value {
    let mut object = Map::new();
    object.insert("name".to_owned(), json!(p.name));
    let location = match p.location {
        In::Path => "path",
        In::Query => "query",
    };
    object.insert("in".to_owned(), json!(location));
    object.insert("required".to_owned(), json!(p.location == In::Path));
    object.insert("description".to_owned(), json!(p.description));
    object.insert("schema".to_owned(), param_schema(p.kind));
    if let Some(example) = p.example {
        object.insert("example".to_owned(), json!(example));
    }
    Value::Object(object)
}

fn links(links: &[Link]) -> Value {
    links
        .iter()
        .map(|l| {
            let parameters: Map<String, Value> = l
                .parameters
                .iter()
                .map(|(name, expression)| ((*name).to_owned(), json!(expression)))
                .collect();
            (
                l.name.to_owned(),
                json!({"operationId": l.operation_id, "parameters": parameters}),
            )
        })
        .collect::<Map<String, Value>>()
        .into()
}

/// `{"application/json": {"schema": schema, "example"?: example}}`.
fn json_content(schema: Value, example: Option<Value>) -> Value {
    let mut media = Map::new();
    media.insert("schema".to_owned(), schema);
    if let Some(example) = example {
        media.insert("example".to_owned(), example);
    }
    json!({"application/json": media})
}

fn status_description(status: u16) -> &'static str {
    match status {
        201 => "Created.",
        204 => "Done; no content.",
        _ => "OK.",
    }
}

/// One operation object (its request body schema is a read-contract `$ref`, renamed
/// later).
fn operation_object(
    op: &Operation,
    read: &mut SchemaGenerator,
    write: &mut SchemaGenerator,
) -> Value {
    let mut parameters: Vec<Value> = op.params.iter().map(parameter).collect();
    if op.surface == Surface::Wix {
        parameters.push(json!({
            "name": crate::header::ACCOUNT_HEADER,
            "in": "header",
            "required": true,
            "description": "The account the call acts on (a GUID): the key's own account \
                            or one of its sub-accounts; the target of Transfer Site.",
            "schema": {"type": "string", "format": "uuid"},
        }));
    }
    let mut success = Map::new();
    success.insert(
        "description".to_owned(),
        json!(status_description(op.status)),
    );
    if let Some(answer) = op.answer {
        let schema = operation_schema(write, answer);
        success.insert("content".to_owned(), json_content(schema, None));
    }
    if !op.links.is_empty() {
        success.insert("links".to_owned(), links(op.links));
    }
    let mut responses = Map::new();
    responses.insert(op.status.to_string(), Value::Object(success));
    responses.insert(
        "default".to_owned(),
        json!({
            "description": "A refusal (4xx), an unknown route (404 `NOT_FOUND`) or an \
                            injected fault (5xx), in Wix's error shape.",
            "content": json_content(operation_schema(write, of::<ErrorBody>), None),
        }),
    );
    let mut object = Map::new();
    object.insert("operationId".to_owned(), json!(op.id));
    object.insert("summary".to_owned(), json!(op.summary));
    object.insert("tags".to_owned(), json!([op.tag]));
    object.insert("responses".to_owned(), Value::Object(responses));
    let security = match op.surface {
        Surface::Wix => json!([{"apiKey": []}]),
        Surface::Control => json!([{}, {"adminToken": []}]),
    };
    object.insert("security".to_owned(), security);
    if !parameters.is_empty() {
        object.insert("parameters".to_owned(), Value::Array(parameters));
    }
    if let Some(b) = op.body {
        let schema = operation_schema(read, b.schema);
        let content = json_content(schema, op.example.map(|example| example()));
        object.insert(
            "requestBody".to_owned(),
            json!({"required": b.required, "content": content}),
        );
    }
    Value::Object(object)
}

fn build() -> Value {
    let (mut read, mut write) = generators();
    let mut paths = Map::new();
    for op in operations() {
        let object = operation_object(op, &mut read, &mut write);
        if let Value::Object(item) = paths
            .entry(op.path)
            .or_insert_with(|| Value::Object(Map::new()))
        {
            item.insert(op.method.to_owned(), object);
        }
    }
    let (components, renamed) =
        merge_components(read.take_definitions(true), write.take_definitions(true));
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in item.values_mut() {
            if let Some(body) = op.get_mut("requestBody") {
                rename_refs(body, &renamed);
            }
        }
    }
    json!({
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Wix Resellers API emulator",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The Wix Resellers API, Transfer Site, Create Account, List Child \
                            Accounts and Query Sites as the local emulator serves them, and the \
                            emulator's control API under /_emulator/. Generated from the wire \
                            types: request bodies are described as they are read, answers as \
                            they are written. Request members are also accepted in their \
                            snake_case spelling, and unknown members are ignored.",
        },
        "tags": [
            {"name": RESELLERS, "description": "Packages and product instances."},
            {"name": TRANSFER, "description": "The B2B site-transfer API."},
            {"name": ACCOUNTS, "description": "Sub-accounts of a reseller's account."},
            {"name": SITES, "description": "The sites of an account."},
            {"name": DOMAINS, "description": "Domain Search and Connected Domains."},
            {"name": CONTROL, "description": "Seeding, inspection, clock, provisioning \
                                              and faults of the emulator."},
        ],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "apiKey": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "The account API key, raw (no `Bearer`).",
                },
                "adminToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The admin token, when the emulator was started with one.",
                },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )]

    use std::collections::{BTreeMap, BTreeSet};

    use axum::body::Body;
    use axum::http::{Method, Request};
    use tower::ServiceExt;

    use super::*;
    use crate::Emulator;
    use crate::routes::{
        DEMO_CORE_PLAN, DEMO_MAIN_ACCOUNT, DEMO_PREMIUM_PLAN, DEMO_SECOND_SUB_ACCOUNT, DEMO_SITE,
        DEMO_SUB_ACCOUNT, DEMO_SUB_ACCOUNT_SITE,
    };

    const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
    const SAMPLE_GUID: &str = "0f000000-0000-4000-8000-000000000001";

    /// A path with every `{name}` template written `{}`.
    fn normalized(path: &str) -> String {
        let mut out = String::new();
        let mut in_template = false;
        for c in path.chars() {
            match c {
                '{' => {
                    in_template = true;
                    out.push_str("{}");
                }
                '}' => in_template = false,
                c if !in_template => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// A concrete path for a template: a GUID in every parameter, or `ext-1` for an
    /// external id (the second template of the update route).
    fn concrete(template: &str) -> String {
        let mut out =
            template.replacen("/update/{}/{}", &format!("/update/{SAMPLE_GUID}/ext-1"), 1);
        while out.contains("{}") {
            out = out.replacen("{}", SAMPLE_GUID, 1);
        }
        out
    }

    /// The `applicationError.code` of the answer to `method path`, and its status.
    async fn probe(emu: &Emulator, method: &str, path: &str) -> (u16, Option<String>) {
        let request = Request::builder()
            .method(Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap())
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = emu.router().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let code = serde_json::from_slice::<Value>(&bytes).ok().and_then(|v| {
            v.pointer("/details/applicationError/code")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
        (status, code)
    }

    /// The documented methods of each normalized path.
    fn documented() -> BTreeMap<String, BTreeSet<&'static str>> {
        let mut map: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
        for op in operations() {
            assert!(
                map.entry(normalized(op.path))
                    .or_default()
                    .insert(op.method),
                "{} {} is documented twice",
                op.method,
                op.path
            );
        }
        map
    }

    #[tokio::test]
    async fn the_table_matches_the_router_method_by_method() {
        let emu = Emulator::in_memory();
        for (path, methods) in documented() {
            let concrete = concrete(&path);
            for method in METHODS {
                let (status, code) = probe(&emu, method, &concrete).await;
                let routed = code.as_deref() != Some("NOT_FOUND");
                assert_eq!(
                    routed,
                    methods.contains(method),
                    "{method} {concrete} answered {status} {code:?}; documented: {methods:?}"
                );
            }
        }
        for path in ["/", "/resellers/v2/packages/x/y", "/_emulator/nothing"] {
            let (status, code) = probe(&emu, "get", path).await;
            assert_eq!((status, code.as_deref()), (404, Some("NOT_FOUND")));
        }
    }

    #[test]
    fn path_templates_and_path_parameters_agree() {
        for op in operations() {
            let templates: Vec<&str> = op
                .path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            let params: Vec<&str> = op
                .params
                .iter()
                .filter(|p| p.location == In::Path)
                .map(|p| p.name)
                .collect();
            assert_eq!(templates, params, "{} {}", op.method, op.path);
            assert!(METHODS.contains(&op.method), "{}", op.method);
            assert!(!op.id.is_empty() && !op.summary.is_empty());
            assert_eq!(op.answer.is_none(), op.status == 204, "{}", op.id);
        }
        let ids: BTreeSet<&str> = operations().map(|o| o.id).collect();
        assert_eq!(ids.len(), operations().count(), "operation ids are unique");
    }

    #[test]
    fn links_name_documented_operations_and_their_parameters() {
        for op in operations() {
            for link in op.links {
                let target = operations()
                    .find(|o| o.id == link.operation_id)
                    .unwrap_or_else(|| panic!("{}: no operation {}", op.id, link.operation_id));
                for (name, expression) in link.parameters {
                    assert!(
                        target.params.iter().any(|p| p.name == *name),
                        "{} has no parameter {name}",
                        target.id
                    );
                    assert!(expression.starts_with("$response.body#/"));
                }
            }
        }
    }

    #[test]
    fn examples_use_the_demo_seed_and_come_with_bodies() {
        let seed = serde_json::to_value(crate::demo_seed())
            .unwrap()
            .to_string();
        for id in [
            DEMO_MAIN_ACCOUNT,
            DEMO_SUB_ACCOUNT,
            DEMO_SECOND_SUB_ACCOUNT,
            DEMO_SITE,
            DEMO_SUB_ACCOUNT_SITE,
            DEMO_PREMIUM_PLAN,
            DEMO_CORE_PLAN,
        ] {
            assert!(seed.contains(id), "{id} is not in the demo seed");
        }
        for op in operations() {
            assert_eq!(op.example.is_some(), op.body.is_some(), "{}", op.id);
        }
    }

    /// The components an answer may use: written forms only, and never `null`.
    #[test]
    fn answers_use_written_forms_that_are_never_null() {
        let doc = document();
        let components = doc["components"]["schemas"].as_object().unwrap();
        let mut todo = BTreeSet::new();
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                refs(&op["responses"], &mut todo);
            }
        }
        let mut reached = BTreeSet::new();
        while let Some(name) = todo.pop_first() {
            if reached.insert(name.clone()) {
                refs(&components[&name], &mut todo);
            }
        }
        assert!(reached.contains("ProductInstance") && reached.contains("ErrorBody"));
        for name in &reached {
            assert!(!name.ends_with(INPUT_SUFFIX), "an answer uses {name}");
            let text = components[name].to_string();
            assert!(!text.contains("nullable"), "{name} allows null: {text}");
        }
    }

    #[test]
    fn every_ref_resolves_and_read_forms_are_named_input() {
        let doc = document();
        let components = doc["components"]["schemas"].as_object().unwrap();
        let mut found = BTreeSet::new();
        refs(doc, &mut found);
        for name in &found {
            assert!(components.contains_key(name), "dangling $ref {name}");
        }
        // Written forms are strict: the error body always has both members.
        assert_eq!(
            components["ErrorBody"]["required"],
            json!(["message", "details"])
        );
        // A read form that differs has its own component, and a request refers to it.
        assert_eq!(
            doc["paths"]["/resellers/v2/packages"]["post"]["requestBody"]["content"]["application/json"]
                ["schema"]["$ref"],
            json!("#/components/schemas/CreatePackageRequest")
        );
        assert_eq!(
            components["CreatePackageRequest"]["properties"]["products"]["items"]["$ref"],
            json!("#/components/schemas/ProductInstanceInput")
        );
        assert_eq!(
            components["Package"]["properties"]["productInstances"]["items"]["$ref"],
            json!("#/components/schemas/ProductInstance")
        );
        assert!(!components.contains_key("CreatePackageRequestInput"));
        assert_eq!(
            doc["paths"]["/_emulator/instances/{instanceId}/status"]["post"]["responses"]["200"]["content"]
                ["application/json"]["schema"]["$ref"],
            json!("#/components/schemas/Package")
        );
    }
}
