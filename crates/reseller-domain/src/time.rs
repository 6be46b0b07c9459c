//! Millisecond-precision UTC instants: the precision of Wix's RFC 3339 dates, so a
//! value survives a trip through JSON unchanged.

use std::fmt;

use chrono::{DateTime, SubsecRound, TimeZone, Utc};

/// A UTC instant truncated to whole milliseconds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// Truncates `at` to milliseconds.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(at.trunc_subsecs(3))
    }

    /// The instant `millis` milliseconds after the Unix epoch, when representable.
    pub fn from_unix_millis(millis: i64) -> Option<Self> {
        Utc.timestamp_millis_opt(millis).single().map(Self)
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(&self) -> i64 {
        self.0.timestamp_millis()
    }

    /// The chrono value.
    pub fn as_datetime(&self) -> &DateTime<Utc> {
        &self.0
    }

    /// Parses an RFC 3339 date (any offset), truncating to milliseconds.
    ///
    /// # Errors
    /// [`TimestampError`] when the text is not RFC 3339.
    pub fn parse_rfc3339(text: &str) -> Result<Self, TimestampError> {
        DateTime::parse_from_rfc3339(text)
            .map(|d| Self::new(d.with_timezone(&Utc)))
            .map_err(|_| TimestampError(crate::ids::truncate_for_message(text)))
    }

    /// The Wix form: `2021-12-02T15:45:30.941Z`.
    pub fn to_rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }

    /// The latest instant the wire can write: 9999-12-31T23:59:59.999Z.
    pub fn max_writable() -> Self {
        Self::from_unix_millis(253_402_300_799_999)
            .unwrap_or_else(|| Self::new(DateTime::<Utc>::MAX_UTC))
    }

    /// This instant plus `months` calendar months: the same day of the month, or the
    /// month's last day when it has fewer (31 January plus one month is the last
    /// day of February). `None` past 9999-12-31.
    pub fn plus_months(&self, months: u64) -> Option<Self> {
        let months = u32::try_from(months).ok()?;
        self.0
            .checked_add_months(chrono::Months::new(months))
            .map(Self)
            .filter(|t| *t <= Self::max_writable())
    }

    /// This instant plus `days` calendar days. `None` past 9999-12-31.
    pub fn plus_days(&self, days: u64) -> Option<Self> {
        self.0
            .checked_add_days(chrono::Days::new(days))
            .map(Self)
            .filter(|t| *t <= Self::max_writable())
    }

    /// This instant plus `millis` milliseconds, saturating at the representable range.
    pub fn plus_millis(&self, millis: i64) -> Self {
        let ms = self.unix_millis().saturating_add(millis);
        Self::from_unix_millis(ms).unwrap_or(*self)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(at: DateTime<Utc>) -> Self {
        Self::new(at)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_rfc3339())
    }
}

/// A date that is not RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an RFC 3339 date")]
pub struct TimestampError(String);
