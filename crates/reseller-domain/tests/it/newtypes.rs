//! The validated newtypes: valid values parse and round-trip, invalid ones are
//! refused with the rule they break; and the error-code table against Wix's.

use proptest::prelude::*;
use reseller_contract::wix_errors::error_rows;
use reseller_domain::billing::{BillingError, WixDuration, WixUnit};
use reseller_domain::*;

proptest! {
    #[test]
    fn guids_round_trip_in_either_case(n in any::<u128>(), upper in any::<bool>()) {
        let text = uuid::Uuid::from_u128(n).hyphenated().to_string();
        let input = if upper { text.to_uppercase() } else { text.clone() };
        let id = PackageId::parse(&input).unwrap();
        prop_assert_eq!(id.to_string(), text);
        prop_assert_eq!(*SiteId::parse(&id.to_string()).unwrap().as_uuid(), *id.as_uuid());
    }

    #[test]
    fn anything_but_the_hyphenated_form_is_refused(s in "\\PC{0,40}") {
        let shaped = s.len() == 36
            && s.bytes().enumerate().all(|(i, b)| if [8, 13, 18, 23].contains(&i) { b == b'-' } else { b.is_ascii_hexdigit() });
        prop_assert_eq!(AccountId::parse(&s).is_ok(), shaped);
    }

    #[test]
    fn external_ids_up_to_100_characters(s in "\\PC{0,130}") {
        let n = s.chars().count();
        match ExternalId::new(s.clone()) {
            Ok(e) => { prop_assert!(n <= 100); prop_assert_eq!(e.as_str(), s.as_str()); }
            Err(e) => { prop_assert!(n > 100); prop_assert_eq!(e.rule(), RuleType::MaxLength); }
        }
    }

    #[test]
    fn discount_codes_up_to_25_characters(s in "\\PC{0,40}") {
        let n = s.chars().count();
        prop_assert_eq!(DiscountCode::new(s).is_ok(), n <= 25);
    }

    #[test]
    fn idempotency_keys_are_1_to_100_printable_characters(s in "\\PC{0,300}") {
        let n = s.chars().count();
        prop_assert_eq!(IdempotencyKey::new(s).is_ok(), (1..=100).contains(&n));
    }

    #[test]
    fn derived_keys_always_fit_wix_limit(prefix in "\\PC{0,300}", hash in any::<u128>()) {
        let key = IdempotencyKey::derived(&prefix, hash);
        prop_assert!(key.as_str().chars().count() <= 100);
        prop_assert!(IdempotencyKey::new(key.as_str()).is_ok());
    }

    #[test]
    fn two_letter_codes_are_accepted_only_when_assigned(a in b'A'..=b'Z', b in b'A'..=b'Z') {
        let text = String::from_utf8(vec![a, b]).unwrap();
        let listed = CountryCode::all().any(|c| c.as_str() == text);
        prop_assert_eq!(CountryCode::new(&text).is_ok(), listed);
        prop_assert!(CountryCode::new(&text.to_lowercase()).is_err());
    }

    #[test]
    fn timestamps_round_trip_through_rfc3339(ms in -62_135_596_800_000i64..253_402_300_799_999i64) {
        let t = Timestamp::from_unix_millis(ms).unwrap();
        let text = t.to_rfc3339();
        prop_assert!(text.ends_with('Z'));
        prop_assert_eq!(Timestamp::parse_rfc3339(&text).unwrap(), t);
    }

    #[test]
    fn billing_round_trips_through_the_wix_pair(unit in 0usize..4, count in 1u32..1000, one_time in any::<bool>()) {
        let units = [CycleUnit::Day, CycleUnit::Week, CycleUnit::Month, CycleUnit::Year];
        let b = if one_time {
            Billing::OneTime
        } else {
            Billing::Recurring(Cycle::new(units[unit], std::num::NonZeroU32::new(count).unwrap()))
        };
        let (kind, duration) = b.to_wix();
        prop_assert_eq!(Billing::from_wix(kind, duration).unwrap(), Some(b));
    }
}

#[test]
fn country_codes_are_the_249_officially_assigned() {
    assert_eq!(CountryCode::all().count(), 249);
    for ok in ["BR", "US", "IN", "IL", "GB", "SS", "AX"] {
        assert!(CountryCode::new(ok).is_ok(), "{ok}");
    }
    // Reserved, user-assigned or withdrawn codes, and malformed input.
    for bad in [
        "XK", "EU", "UK", "AA", "ZZ", "QO", "AN", "YU", "br", "B", "BRA", "", "B1", "ÄÖ",
    ] {
        assert!(CountryCode::new(bad).is_err(), "{bad}");
    }
}

#[test]
fn wix_billing_pairs_convert_by_the_documented_rules() {
    let year = |count| {
        Some(WixDuration {
            unit: WixUnit::Year,
            count,
        })
    };
    assert_eq!(
        Billing::from_wix(BillingKind::Unknown, year(Some(1))),
        Ok(None)
    );
    assert_eq!(
        Billing::from_wix(BillingKind::OneTime, year(Some(3))),
        Ok(Some(Billing::OneTime))
    );
    assert_eq!(
        Billing::from_wix(BillingKind::Recurring, year(None)),
        Ok(Some(Billing::yearly()))
    );
    assert_eq!(
        Billing::from_wix(BillingKind::Recurring, None),
        Err(BillingError::MissingCycleDuration)
    );
    assert_eq!(
        Billing::from_wix(
            BillingKind::Recurring,
            Some(WixDuration {
                unit: WixUnit::Unknown,
                count: Some(1)
            })
        ),
        Err(BillingError::MissingCycleUnit)
    );
    assert_eq!(
        Billing::from_wix(BillingKind::Recurring, year(Some(0))),
        Err(BillingError::CountOutOfRange(0))
    );
    assert_eq!(
        Billing::from_wix(BillingKind::Recurring, year(Some(-2))),
        Err(BillingError::CountOutOfRange(-2))
    );
    assert_eq!(
        Billing::from_wix(BillingKind::Recurring, year(Some(1 << 40))),
        Err(BillingError::CountOutOfRange(1 << 40))
    );
    for k in [
        BillingKind::Unknown,
        BillingKind::OneTime,
        BillingKind::Recurring,
    ] {
        assert_eq!(BillingKind::parse(k.as_str()), Some(k));
    }
    for u in [
        WixUnit::Unknown,
        WixUnit::Day,
        WixUnit::Week,
        WixUnit::Month,
        WixUnit::Year,
    ] {
        assert_eq!(WixUnit::parse(u.as_str()), Some(u));
    }
}

#[test]
fn enum_names_parse_case_sensitively() {
    for s in StatusName::ALL {
        assert_eq!(StatusName::parse(s.as_str()), Some(s));
    }
    assert_eq!(StatusName::parse("Enabled"), None);
    assert_eq!(StatusName::parse("ACTIVE"), None);
    for f in [
        FailureCode::Unknown,
        FailureCode::DeliveryTimeout,
        FailureCode::ExternalFailure,
    ] {
        assert_eq!(FailureCode::parse(f.as_str()), Some(f));
    }
}

/// Every row of Wix's error tables (fixtures/wix-docs/errors.csv) has a code with
/// that exact string and HTTP status, and every message template without
/// placeholders is reproduced literally.
#[test]
fn error_codes_match_the_wix_error_tables() {
    let mut rows = 0;
    for row in error_rows() {
        let (status, code, template) = (row.http_status, &row.error_code, &row.message_template);
        let parsed = ErrorCode::from_wire(code, status);
        assert!(
            !matches!(parsed, ErrorCode::Other { .. }),
            "{code} {status} is not a known code"
        );
        assert_eq!(parsed.as_str(), code);
        assert_eq!(parsed.http_status(), status);
        assert_eq!(parsed.status_name(), row.status_name);
        // Templates with placeholders (`<productId>`, or the transfer table's
        // `sourceAccountId`-style names) are filled with ids at run time.
        let named = ["`sourceAccountId`", "`siteId`"]
            .iter()
            .any(|n| template.contains(n));
        if !template.contains('<') && !named {
            assert!(
                known_messages().contains(template),
                "template not reproduced: {template}"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 33);
}

fn known_messages() -> Vec<String> {
    use reseller_domain::error::MissingDetail;
    let p = CatalogProductId::from_uuid(uuid::Uuid::nil());
    let a = AccountId::from_uuid(uuid::Uuid::nil());
    [
        Violation::ProductNotFound { product: p },
        Violation::MissingProductDetails(MissingDetail::CycleDuration),
        Violation::MissingProductDetails(MissingDetail::CatalogProductId),
        Violation::MissingProductDetails(MissingDetail::BillingInfo),
        Violation::TargetAccountNotFound { target: a },
        Violation::SiteTransferNotSupported {
            site: SiteId::from_uuid(uuid::Uuid::nil()),
            instances: vec![],
            external_services: vec![],
        },
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

#[test]
fn every_known_code_reads_back_from_the_wire() {
    for code in ErrorCode::KNOWN {
        assert_eq!(
            ErrorCode::from_wire(code.as_str(), code.http_status()),
            code
        );
    }
    let other = ErrorCode::from_wire("NEW_WIX_CODE", 428);
    assert_eq!(
        other,
        ErrorCode::Other {
            code: "NEW_WIX_CODE".into(),
            status: 428
        }
    );
    assert_eq!(other.http_status(), 428);
    assert_eq!(
        ErrorCode::from_wire("SITE_NOT_FOUND", 404),
        ErrorCode::SiteNotFound
    );
    assert_eq!(
        ErrorCode::from_wire("SITE_NOT_FOUND", 400),
        ErrorCode::TransferSiteNotFound
    );
}
