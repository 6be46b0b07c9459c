//! The OpenAPI 3 document of both surfaces (`GET /_emulator/openapi.json`).

/// The OpenAPI document.
pub fn document() -> serde_json::Value {
    serde_json::json!({"openapi": "3.0.3"})
}
