//! Small parsing steps shared by the conversions: required fields, GUIDs, dates,
//! enum strings and counts, each failing with the field's dotted path.

use std::str::FromStr;

use reseller_domain::Timestamp;
use reseller_domain::ids::GuidError;

use crate::error::{ConversionError, Fields, Problem};

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

/// `0000-01-01T00:00:00.000Z` and `9999-12-31T23:59:59.999Z` in Unix milliseconds:
/// the first and last instants RFC 3339 writes (four-digit years).
pub(crate) const RFC3339_MILLIS: std::ops::RangeInclusive<i64> =
    -62_167_219_200_000..=253_402_300_799_999;

/// An RFC 3339 date that can be written back as RFC 3339: its offset must not
/// carry it out of the years 0000 to 9999 in UTC (`9999-12-31T23:00:00-02:00`).
pub(crate) fn date(path: &str, text: &str) -> Result<Timestamp, ConversionError> {
    let at = Timestamp::parse_rfc3339(text).map_err(|e| ConversionError::new(path, e))?;
    if !RFC3339_MILLIS.contains(&at.unix_millis()) {
        let shown: String = text.chars().take(64).collect();
        return Err(ConversionError::new(path, Problem::DateOutOfRange(shown)));
    }
    Ok(at)
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

/// A JSON integer as `u32`: `BelowMin` below 0, `AboveMax` above `u32::MAX`.
pub(crate) fn u32_from(n: i64) -> Result<u32, Problem> {
    u32::try_from(n).map_err(|_| {
        if n < 0 {
            Problem::BelowMin { min: 0, value: n }
        } else {
            Problem::AboveMax {
                max: i64::from(u32::MAX),
                value: n,
            }
        }
    })
}

/// A limit or offset: `Some(None)` when absent, `Some(Some(n))` when it fits in
/// `u32`, `None` (with the problem pushed on `fields`) when it does not.
pub(crate) fn count(fields: &mut Fields, path: &str, value: Option<i64>) -> Option<Option<u32>> {
    match value.map(u32_from).transpose() {
        Ok(n) => Some(n),
        Err(problem) => {
            fields.push(path, problem);
            None
        }
    }
}

/// The number of items in an answer, as the wire's `count` (saturating).
pub(crate) fn len_u64(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_date_must_stay_writable_as_rfc_3339() {
        let first = date("d", "0000-01-01T00:00:00Z").unwrap();
        let last = date("d", "9999-12-31T23:59:59.999Z").unwrap();
        assert_eq!(first.to_rfc3339(), "0000-01-01T00:00:00.000Z");
        assert_eq!(last.to_rfc3339(), "9999-12-31T23:59:59.999Z");
        assert_eq!(*RFC3339_MILLIS.start(), first.unix_millis());
        assert_eq!(*RFC3339_MILLIS.end(), last.unix_millis());
        for beyond in ["9999-12-31T23:00:00-02:00", "0000-01-01T00:30:00+01:00"] {
            let e = date("site.createdDate", beyond).unwrap_err();
            assert_eq!(e.path(), "site.createdDate");
            assert!(matches!(e.problem(), Problem::DateOutOfRange(_)), "{e}");
            assert_eq!(
                e.to_field_violation().rule,
                reseller_domain::RuleType::Format
            );
        }
        assert!(matches!(
            date("d", "yesterday").unwrap_err().problem(),
            Problem::Date(_)
        ));
    }

    #[test]
    fn a_count_must_fit_in_u32() {
        let max = i64::from(u32::MAX);
        assert_eq!(u32_from(0), Ok(0));
        assert_eq!(u32_from(max), Ok(u32::MAX));
        assert_eq!(u32_from(-1), Err(Problem::BelowMin { min: 0, value: -1 }));
        assert_eq!(
            u32_from(max + 1),
            Err(Problem::AboveMax {
                max,
                value: max + 1
            })
        );
        let mut fields = Fields::default();
        assert_eq!(count(&mut fields, "paging.limit", None), Some(None));
        assert_eq!(count(&mut fields, "paging.limit", Some(7)), Some(Some(7)));
        assert_eq!(count(&mut fields, "paging.offset", Some(-3)), None);
        let e = fields.finish(Some(())).unwrap_err();
        let v = e.into_violations();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].field, "paging.offset");
    }
}
