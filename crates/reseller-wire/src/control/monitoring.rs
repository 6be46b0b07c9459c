//! What the emulator reports about itself: its health and the request log.

use serde::{Deserialize, Serialize};

use crate::json::null_as_default;

/// `GET /_emulator/health`: `{"status":"ok"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HealthDoc {
    /// `status`: `ok` once the emulator accepts requests.
    pub status: String,
}

/// One entry of the request log. API keys never appear in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RequestLogEntryDoc {
    /// `at`: the emulated time the request arrived (RFC 3339).
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub at: String,
    /// `method`
    pub method: String,
    /// `path` (without the query string)
    pub path: String,
    /// `status`: the HTTP status answered (0 for a dropped connection).
    pub status: u16,
    /// `durationMs`: wall-clock time to answer.
    pub duration_ms: u64,
    /// `accountId`: the `wix-account-id` header, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `idempotencyKey`: the request's idempotency key, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// `errorCode`: the Wix error code of an error answer
    /// (`details.applicationError.code`, `INVALID_ARGUMENT` for a validation
    /// error, else the status name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

/// `GET /_emulator/requests`: `{"requests":[...]}`, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RequestLogDoc {
    /// `requests`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<RequestLogEntryDoc>>")
    )]
    pub requests: Vec<RequestLogEntryDoc>,
}
