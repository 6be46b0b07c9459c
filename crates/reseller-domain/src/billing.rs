//! Billing of an instance: what the reseller pays Wix, once or on a schedule. Wix
//! sends a `(type, cycleDuration)` pair; here it is an enum in which a recurring
//! cycle always has a unit and a count of at least one.

use std::fmt;
use std::num::NonZeroU32;

/// The unit of a recurring cycle (`cycleDuration.unit`, without Wix's `UNKNOWN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CycleUnit {
    /// `DAY`
    Day,
    /// `WEEK`
    Week,
    /// `MONTH`
    Month,
    /// `YEAR`
    Year,
}

impl CycleUnit {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "DAY",
            Self::Week => "WEEK",
            Self::Month => "MONTH",
            Self::Year => "YEAR",
        }
    }
}

/// One recurring cycle: `count` units (for example 1 `YEAR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cycle {
    unit: CycleUnit,
    count: NonZeroU32,
}

impl Cycle {
    /// A cycle of `count` units.
    pub fn new(unit: CycleUnit, count: NonZeroU32) -> Self {
        Self { unit, count }
    }

    /// One unit (the common case: monthly, yearly).
    pub fn one(unit: CycleUnit) -> Self {
        Self {
            unit,
            count: NonZeroU32::MIN,
        }
    }

    /// The unit.
    pub fn unit(&self) -> CycleUnit {
        self.unit
    }

    /// The number of units, at least 1.
    pub fn count(&self) -> NonZeroU32 {
        self.count
    }
}

/// How the reseller pays Wix for an instance (`billingInfo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Billing {
    /// `ONE_TIME`: paid once.
    OneTime,
    /// `RECURRING` with its cycle.
    Recurring(Cycle),
}

impl Billing {
    /// Monthly, one month per cycle.
    pub fn monthly() -> Self {
        Self::Recurring(Cycle::one(CycleUnit::Month))
    }

    /// Yearly, one year per cycle.
    pub fn yearly() -> Self {
        Self::Recurring(Cycle::one(CycleUnit::Year))
    }

    /// The instant `cycles` billing cycles after `from`, in calendar arithmetic (a
    /// `ONE_TIME` billing counts a year per cycle): what an expiring instance's
    /// `expirationDate` moves by. `None` past 9999-12-31.
    pub fn after(
        &self,
        from: crate::time::Timestamp,
        cycles: u32,
    ) -> Option<crate::time::Timestamp> {
        let (unit, count) = match self {
            Self::OneTime => (CycleUnit::Year, 1),
            Self::Recurring(c) => (c.unit(), c.count().get()),
        };
        let n = u64::from(count) * u64::from(cycles);
        match unit {
            CycleUnit::Day => from.plus_days(n),
            CycleUnit::Week => from.plus_days(n.checked_mul(7)?),
            CycleUnit::Month => from.plus_months(n),
            CycleUnit::Year => from.plus_months(n.checked_mul(12)?),
        }
    }

    /// The billing kind of this value.
    pub fn kind(&self) -> BillingKind {
        match self {
            Self::OneTime => BillingKind::OneTime,
            Self::Recurring(_) => BillingKind::Recurring,
        }
    }

    /// Converts Wix's `(type, cycleDuration)` pair.
    ///
    /// - `UNKNOWN` means "not set": `Ok(None)`, whatever the duration says.
    /// - `ONE_TIME` ignores any duration (it is "only meaningful for RECURRING").
    /// - `RECURRING` needs a duration with a known unit; a missing count means 1;
    ///   a count below 1 is refused.
    ///
    /// # Errors
    /// [`BillingError`] when a recurring cycle lacks its unit or has a count below 1.
    pub fn from_wix(
        kind: BillingKind,
        duration: Option<WixDuration>,
    ) -> Result<Option<Self>, BillingError> {
        match kind {
            BillingKind::Unknown => Ok(None),
            BillingKind::OneTime => Ok(Some(Self::OneTime)),
            BillingKind::Recurring => {
                let duration = duration.ok_or(BillingError::MissingCycleDuration)?;
                let unit = match duration.unit {
                    WixUnit::Day => CycleUnit::Day,
                    WixUnit::Week => CycleUnit::Week,
                    WixUnit::Month => CycleUnit::Month,
                    WixUnit::Year => CycleUnit::Year,
                    WixUnit::Unknown => return Err(BillingError::MissingCycleUnit),
                };
                let count = match duration.count {
                    None => NonZeroU32::MIN,
                    Some(n) => u32::try_from(n)
                        .ok()
                        .and_then(NonZeroU32::new)
                        .ok_or(BillingError::CountOutOfRange(n))?,
                };
                Ok(Some(Self::Recurring(Cycle::new(unit, count))))
            }
        }
    }

    /// The `(type, cycleDuration)` pair Wix writes for this billing.
    pub fn to_wix(&self) -> (BillingKind, Option<WixDuration>) {
        match self {
            Self::OneTime => (BillingKind::OneTime, None),
            Self::Recurring(c) => (
                BillingKind::Recurring,
                Some(WixDuration {
                    unit: match c.unit {
                        CycleUnit::Day => WixUnit::Day,
                        CycleUnit::Week => WixUnit::Week,
                        CycleUnit::Month => WixUnit::Month,
                        CycleUnit::Year => WixUnit::Year,
                    },
                    count: Some(i64::from(c.count.get())),
                }),
            ),
        }
    }
}

impl fmt::Display for Billing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OneTime => f.write_str("ONE_TIME"),
            Self::Recurring(c) => write!(f, "RECURRING {} {}", c.count, c.unit.as_str()),
        }
    }
}

/// Wix's `CycleDescriptorType`, `UNKNOWN` included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BillingKind {
    /// `UNKNOWN`: not set.
    Unknown,
    /// `ONE_TIME`
    OneTime,
    /// `RECURRING`
    Recurring,
}

impl BillingKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "UNKNOWN",
            Self::OneTime => "ONE_TIME",
            Self::Recurring => "RECURRING",
        }
    }

    /// Parses a wire name (case-sensitive, as Wix writes it).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "UNKNOWN" => Some(Self::Unknown),
            "ONE_TIME" => Some(Self::OneTime),
            "RECURRING" => Some(Self::Recurring),
            _ => None,
        }
    }
}

/// Wix's `IntervalUnit`, `UNKNOWN` included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WixUnit {
    /// `UNKNOWN`: not set.
    Unknown,
    /// `DAY`
    Day,
    /// `WEEK`
    Week,
    /// `MONTH`
    Month,
    /// `YEAR`
    Year,
}

impl WixUnit {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "UNKNOWN",
            Self::Day => "DAY",
            Self::Week => "WEEK",
            Self::Month => "MONTH",
            Self::Year => "YEAR",
        }
    }

    /// Parses a wire name (case-sensitive).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "UNKNOWN" => Some(Self::Unknown),
            "DAY" => Some(Self::Day),
            "WEEK" => Some(Self::Week),
            "MONTH" => Some(Self::Month),
            "YEAR" => Some(Self::Year),
            _ => None,
        }
    }
}

/// Wix's `Interval` (`cycleDuration`) as sent: a unit and an optional count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WixDuration {
    /// `unit`
    pub unit: WixUnit,
    /// `count`, absent when not sent.
    pub count: Option<i64>,
}

/// Why a `(type, cycleDuration)` pair is not a billing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BillingError {
    /// `RECURRING` without `cycleDuration`.
    #[error("a RECURRING billing needs cycleDuration")]
    MissingCycleDuration,
    /// `RECURRING` whose `cycleDuration.unit` is absent or `UNKNOWN`.
    #[error("a RECURRING billing needs cycleDuration.unit")]
    MissingCycleUnit,
    /// `cycleDuration.count` below 1 or above 4294967295.
    #[error("cycleDuration.count must be at least 1, got {0}")]
    CountOutOfRange(i64),
}
