//! JSON helpers: the conversion between `serde_json::Value` and the domain's
//! JSON-like [`query::Value`](reseller_domain::query::Value) (filters), and the
//! serde helpers that make a `null` read like an absent field.

use reseller_domain::query::Value;
use serde::{Deserialize, Deserializer};

/// A JSON value as the domain's [`Value`]. Numbers become `f64`, as JSON numbers are.
pub fn value_from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => {
            Value::Array(items.iter().map(value_from_json).collect())
        }
        serde_json::Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), value_from_json(v)))
                .collect(),
        ),
    }
}

/// The domain's [`Value`] as JSON. A whole number within ±2^53 is written as an
/// integer (`1`, not `1.0`); a number JSON cannot write (NaN, infinity) becomes `null`.
pub fn value_to_json(value: &Value) -> serde_json::Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() <= EXACT {
                // Exact: the value is a whole number within i64's exactly representable range.
                #[allow(clippy::cast_possible_truncation)]
                let int = *n as i64;
                serde_json::Value::from(int)
            } else {
                serde_json::Number::from_f64(*n)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(value_to_json).collect()),
        Value::Object(members) => serde_json::Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), value_to_json(v)))
                .collect(),
        ),
    }
}

/// Reads `null` (or an absent field, with `#[serde(default)]`) as the type's default,
/// so a list sent as `null` reads as an empty list.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
