//! Fault injection (`POST /_emulator/faults`): one rule and the list of rules.

use serde::{Deserialize, Serialize};

use crate::json::null_as_default;

/// One fault rule of `POST /_emulator/faults`. Every member is optional: a rule
/// with none fails every request with 500.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FaultRuleDoc {
    /// `id`: given by the emulator in its answer (ignored on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `method`: the HTTP method matched (any when absent), case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `pathPrefix`: the path prefix matched (any path when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
    /// `probability`: 0..=1, the chance that a matching request is hit (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// `times`: how many requests the rule hits before it retires (unbounded when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<i64>,
    /// `status`: the HTTP status answered (default 500; 400..=599).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// `errorCode`: `applicationError.code` of an injected 4xx (default: the status name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// `retryAfterSeconds`: sent as the `Retry-After` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<i64>,
    /// `delayMs`: wall-clock delay before the request is handled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<i64>,
    /// `dropConnection`: close the connection instead of answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_connection: Option<bool>,
    /// `afterCommit`: apply the request, then fail its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_commit: Option<bool>,
    /// `leaveFloating`: on an Assign that moves an instance between sites, fail
    /// the call and leave the instance floating (the second outcome Wix documents
    /// for a failed move).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_floating: Option<bool>,
}

/// `POST /_emulator/faults` (in and out): `{"rules":[...]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FaultRulesDoc {
    /// `rules`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<FaultRuleDoc>>")
    )]
    pub rules: Vec<FaultRuleDoc>,
}
