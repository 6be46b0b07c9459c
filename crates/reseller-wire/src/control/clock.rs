//! The emulated clock of the control API (`POST /_emulator/clock`): the move and
//! its answer.

use serde::{Deserialize, Serialize};

/// `POST /_emulator/clock`: `{"advanceMs": int}` or `{"set": RFC 3339}` (exactly one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClockDoc {
    /// `advanceMs`: milliseconds to move the emulated clock forward.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance_ms: Option<i64>,
    /// `set`: the emulated time to move to (never backwards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub set: Option<String>,
}

/// The answer of `POST /_emulator/clock`: `{"now": RFC 3339}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NowDoc {
    /// `now`: the emulated time after the move.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub now: String,
}
