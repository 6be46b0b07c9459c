//! Shared helpers: loading the docs fixtures and checking emitted JSON.

use std::path::PathBuf;

/// The GUID substituted for the docs' `<ACCOUNT_ID>` placeholder.
pub(crate) const ACCOUNT: &str = "2250b761-b31c-853b-485b-76e9fc04bdc6";

/// The fixtures folder.
pub(crate) fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/wix-docs")
}

/// One fixture file, parsed.
pub(crate) fn fixture(relative: &str) -> serde_json::Value {
    let path = fixtures_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// `request.body` of a fixture, as JSON text.
pub(crate) fn request_body(relative: &str) -> String {
    let body = &fixture(relative)["request"]["body"];
    assert!(!body.is_null(), "{relative} has no request body");
    body.to_string()
}

/// `response.body` of a fixture, as JSON text.
pub(crate) fn response_body(relative: &str) -> String {
    let body = &fixture(relative)["response"]["body"];
    assert!(!body.is_null(), "{relative} has no response body");
    body.to_string()
}

/// Replaces the docs' placeholders by real GUIDs.
pub(crate) fn substitute(text: &str) -> String {
    text.replace("<ACCOUNT_ID>", ACCOUNT)
        .replace("<SUB_ACCOUNT_ID>", "0c87cd5d-4059-4e86-8f6e-d185b1e4a1bd")
}

/// Asserts that emitted JSON has no `null` anywhere and no `paymentInfo` member.
pub(crate) fn assert_clean(json: &serde_json::Value) {
    match json {
        serde_json::Value::Null => panic!("null in emitted JSON"),
        serde_json::Value::Array(items) => items.iter().for_each(assert_clean),
        serde_json::Value::Object(members) => {
            for (k, v) in members {
                assert_ne!(k, "paymentInfo", "paymentInfo emitted");
                assert!(!k.contains('_'), "member `{k}` is not camelCase");
                assert_clean(v);
            }
        }
        _ => {}
    }
}
