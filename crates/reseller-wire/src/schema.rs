//! JSON Schema helpers of the `schema` feature: what `schemars` cannot see from the
//! serde attributes alone.
//!
//! The schemas of this crate follow schemars' two contracts: the *deserialize*
//! contract describes what a DTO reads (every member optional, `null` read as
//! absent), the *serialize* contract what it writes (members without
//! `skip_serializing_if` always present).

use schemars::{JsonSchema, Schema, SchemaGenerator};

/// The schema of a member read with `json::null_as_default`: `T` or `null` when
/// read, `T` when written (the member is always written, never as `null`).
pub(crate) fn null_as_default<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    if generator.contract().is_deserialize() {
        generator.subschema_for::<Option<T>>()
    } else {
        generator.subschema_for::<T>()
    }
}

/// The schema of an open enum (`enums`): one of the documented `known` strings, or
/// any other string, which is read and written as sent.
pub(crate) fn open_enum(known: &[&str]) -> Schema {
    schemars::json_schema!({
        "description": "A documented value, or any other string (an open enum: a value \
                        added later is read and written as sent).",
        "anyOf": [
            {"type": "string", "enum": known},
            {"type": "string"}
        ]
    })
}
