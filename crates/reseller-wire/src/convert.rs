//! Small parsing steps shared by the conversions: required fields, GUIDs, dates and
//! enum strings, each failing with the field's dotted path.

use std::str::FromStr;

use reseller_domain::Timestamp;
use reseller_domain::ids::GuidError;

use crate::error::{ConversionError, Problem};

/// The value of a required field.
pub(crate) fn required<'a, T>(path: &str, value: Option<&'a T>) -> Result<&'a T, ConversionError> {
    value.ok_or_else(|| ConversionError::new(path, Problem::Missing))
}

/// A GUID newtype from its text.
pub(crate) fn guid<T: FromStr<Err = GuidError>>(
    path: &str,
    text: &str,
) -> Result<T, ConversionError> {
    text.parse()
        .map_err(|e: GuidError| ConversionError::new(path, e))
}

/// A required GUID field.
pub(crate) fn req_guid<T: FromStr<Err = GuidError>>(
    path: &str,
    text: Option<&String>,
) -> Result<T, ConversionError> {
    guid(path, required(path, text)?)
}

/// An optional GUID field.
pub(crate) fn opt_guid<T: FromStr<Err = GuidError>>(
    path: &str,
    text: Option<&String>,
) -> Result<Option<T>, ConversionError> {
    text.map(|t| guid(path, t)).transpose()
}

/// An RFC 3339 date.
pub(crate) fn date(path: &str, text: &str) -> Result<Timestamp, ConversionError> {
    Timestamp::parse_rfc3339(text).map_err(|e| ConversionError::new(path, e))
}

/// A required date field.
pub(crate) fn req_date(path: &str, text: Option<&String>) -> Result<Timestamp, ConversionError> {
    date(path, required(path, text)?)
}

/// An optional date field.
pub(crate) fn opt_date(
    path: &str,
    text: Option<&String>,
) -> Result<Option<Timestamp>, ConversionError> {
    text.map(|t| date(path, t)).transpose()
}

/// An enum string outside the documented values.
pub(crate) fn unknown_enum(
    path: &str,
    value: &str,
    expected: Vec<&'static str>,
) -> ConversionError {
    ConversionError::new(
        path,
        Problem::UnknownEnum {
            value: value.to_owned(),
            expected,
        },
    )
}
