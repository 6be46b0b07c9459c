//! Expiring domains (D25): Wix sets `expirationDate` on instances that do not
//! renew and offers no API to extend them, so a reseller must see in time which
//! ones run out. [`expiring_within`] is the report: the live instances expiring
//! before `now + window` (those already past it first), soonest first.

use crate::ids::{AccountId, CatalogProductId, InstanceId, PackageId, SiteId};
use crate::time::Timestamp;

/// One expiring instance, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiring {
    /// The instance.
    pub instance: InstanceId,
    /// Its package.
    pub package: PackageId,
    /// The package's account.
    pub account: AccountId,
    /// Its catalog product.
    pub product: CatalogProductId,
    /// The site it is assigned to, if any.
    pub site: Option<SiteId>,
    /// `expirationDate`
    pub expires: Timestamp,
}

impl Expiring {
    /// Whole days from `now` to the expiry, rounded down (negative once past).
    pub fn days_left(&self, now: Timestamp) -> i64 {
        (self.expires.unix_millis() - now.unix_millis()).div_euclid(86_400_000)
    }
}

/// The report: the items expiring at or before `now + window_millis`, soonest
/// first (ties by instance id), each once.
pub fn expiring_within(
    items: impl IntoIterator<Item = Expiring>,
    now: Timestamp,
    window_millis: i64,
) -> Vec<Expiring> {
    let until = now.plus_millis(window_millis.max(0));
    let mut out: Vec<Expiring> = items.into_iter().filter(|e| e.expires <= until).collect();
    out.sort_by(|a, b| {
        a.expires
            .cmp(&b.expires)
            .then_with(|| a.instance.cmp(&b.instance))
    });
    out.dedup_by(|a, b| a.instance == b.instance);
    out
}

/// Parses a window such as `30d`, `12h`, `90m` or `2w` into milliseconds.
///
/// # Errors
/// A sentence saying what is accepted, for anything else (no number, an unknown
/// unit, zero, or more than ten years).
pub fn parse_window(text: &str) -> Result<i64, String> {
    let bad = || format!("`{text}` is not a window such as 30d, 12h, 90m or 2w (at most 10 years)");
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().map_err(|_| bad())?;
    let unit_ms: i64 = match unit {
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        _ => return Err(bad()),
    };
    let ms = n.checked_mul(unit_ms).ok_or_else(bad)?;
    if n == 0 || ms > 3_660 * 86_400_000 {
        return Err(bad());
    }
    Ok(ms)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use uuid::Uuid;

    use super::*;

    fn item(n: u128, expires_ms: i64) -> Expiring {
        Expiring {
            instance: InstanceId::from_uuid(Uuid::from_u128(n)),
            package: PackageId::from_uuid(Uuid::from_u128(1000 + n)),
            account: AccountId::from_uuid(Uuid::from_u128(1)),
            product: CatalogProductId::from_uuid(Uuid::from_u128(2)),
            site: None,
            expires: Timestamp::from_unix_millis(expires_ms).unwrap(),
        }
    }

    #[test]
    fn windows_parse() {
        assert_eq!(parse_window("30d"), Ok(30 * 86_400_000));
        assert_eq!(parse_window("2w"), Ok(14 * 86_400_000));
        for bad in ["", "d", "30", "30y", "0d", "-3d", "99999999999999999d"] {
            assert!(parse_window(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_left_rounds_down() {
        let now = Timestamp::from_unix_millis(0).unwrap();
        assert_eq!(item(1, 86_400_000 * 3 - 1).days_left(now), 2);
        assert_eq!(item(1, -1).days_left(now), -1);
    }

    proptest! {
        /// D25 report: exactly the items within the window, soonest first.
        #[test]
        fn report_lists_exactly_the_window_soonest_first(
            dates in proptest::collection::vec(-1_000_000i64..10_000_000, 0..40),
            window in 0i64..5_000_000,
        ) {
            let now = Timestamp::from_unix_millis(1_000_000).unwrap();
            let items: Vec<Expiring> = dates.iter().enumerate().map(|(i, d)| item(i as u128, 1_000_000 + d)).collect();
            let report = expiring_within(items.clone(), now, window);
            let expected = items.iter().filter(|e| e.expires.unix_millis() <= 1_000_000 + window).count();
            prop_assert_eq!(report.len(), expected);
            for pair in report.windows(2) {
                prop_assert!(pair[0].expires <= pair[1].expires);
            }
        }
    }
}
