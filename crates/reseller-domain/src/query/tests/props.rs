//! Property tests: filters against the naive reference, keyset paging over random
//! data, cursor integrity, and the codecs.

use std::num::NonZeroU32;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};

use super::reference::{eval, render_package};
use super::{KEY, guid, parts, ts};
use crate::billing::{Billing, Cycle, CycleUnit};
use crate::ids::{AccountId, CatalogProductId, InstanceId, PackageId, SiteId};
use crate::instance::{
    Assignment, Failure, FailureCode, InstanceParts, InstanceStatus, ProductInstance,
};
use crate::package::{Instances, Package, PackageParts};
use crate::query::wire::instance_to_value;
use crate::query::*;
use crate::text::{CountryCode, DiscountCode, ExternalId};

// ------------------------------------------------------------ generators

const DATES: [i64; 4] = [0, 1_000, 1_001, 5_000];

fn arb_status() -> impl Strategy<Value = InstanceStatus> {
    prop_oneof![
        Just(InstanceStatus::Pending),
        Just(InstanceStatus::AwaitingAction),
        Just(InstanceStatus::Enabled),
        Just(InstanceStatus::Canceled),
        (
            select(vec![
                FailureCode::Unknown,
                FailureCode::DeliveryTimeout,
                FailureCode::ExternalFailure
            ]),
            select(vec!["", "boom", "too slow"]),
        )
            .prop_map(|(code, message)| InstanceStatus::Failed(Failure {
                code,
                message: message.to_owned()
            })),
    ]
}

fn arb_billing() -> impl Strategy<Value = Option<Billing>> {
    prop_oneof![
        Just(None),
        Just(Some(Billing::OneTime)),
        (
            select(vec![
                CycleUnit::Day,
                CycleUnit::Week,
                CycleUnit::Month,
                CycleUnit::Year
            ]),
            1u32..3,
        )
            .prop_map(|(unit, count)| Some(Billing::Recurring(Cycle::new(
                unit,
                NonZeroU32::new(count).unwrap()
            )))),
    ]
}

fn arb_instance() -> impl Strategy<Value = InstanceParts> {
    (
        (
            arb_status(),
            prop::option::of(0u128..3),
            arb_billing(),
            0u128..2,
        ),
        (
            prop::option::of(select(vec!["US", "DE", "IL"])),
            prop::option::of(select(vec!["SALE", "X"])),
            prop::option::of(0u128..3),
        ),
        (
            select(DATES.to_vec()),
            select(DATES.to_vec()),
            prop::option::of(select(DATES.to_vec())),
        ),
    )
        .prop_map(
            |(
                (status, site, billing, product),
                (country, discount, reference),
                (created, updated, expiration),
            )| {
                let mut p = parts(0);
                p.status = status;
                p.assignment = site.map_or(Assignment::Floating, |s| {
                    Assignment::Site(SiteId::from_uuid(guid(0x3000 + s)))
                });
                p.billing = billing;
                p.catalog_product_id = CatalogProductId::from_uuid(guid(0x2000 + product));
                p.country_code = country.map(|c| CountryCode::new(c).unwrap());
                p.discount_code = discount.map(|d| DiscountCode::new(d).unwrap());
                p.reference = reference.map(|r| InstanceId::from_uuid(guid(0x1000 + r)));
                p.created = ts(created);
                p.updated = ts(updated);
                p.expiration = expiration.map(ts);
                p
            },
        )
}

fn arb_packages(max: usize) -> impl Strategy<Value = Vec<Package>> {
    vec(
        (
            prop::option::of(select(vec!["a", "b", "ext-1"])),
            0u128..2,
            select(DATES.to_vec()),
            select(DATES.to_vec()),
            vec(arb_instance(), 1..4),
        ),
        0..max,
    )
    .prop_map(|bodies| {
        bodies
            .into_iter()
            .enumerate()
            .map(|(i, (external, account, created, updated, instances))| {
                // Distinct ids whose order is not the generation order.
                let id = (u128::try_from(i).unwrap() * 7_919) % 1_000 + 1;
                let instances = instances
                    .into_iter()
                    .enumerate()
                    .map(|(k, mut p)| {
                        p.id = InstanceId::from_uuid(guid(0x1000 + u128::try_from(k).unwrap()));
                        ProductInstance::from_parts(p)
                    })
                    .collect();
                Package::from_parts(PackageParts {
                    id: PackageId::from_uuid(guid(id)),
                    account_id: AccountId::from_uuid(guid(0xacc + account)),
                    parent_account_id: None,
                    external_id: external.map(|e| ExternalId::new(e).unwrap()),
                    instances: Instances::new(instances).unwrap(),
                    created: ts(created),
                    updated: ts(updated),
                })
            })
            .collect()
    })
}

/// Operand candidates drawn from the data, with variants that must (or must not)
/// compare equal, and some noise.
#[derive(Debug)]
struct Pools {
    keys: [Vec<String>; 3],
    dates: Vec<DateTime<Utc>>,
    paths: Vec<Vec<Value>>,
}

fn variants(v: &Value, out: &mut Vec<Value>) {
    out.push(v.clone());
    match v {
        Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => {
            out.push(Value::from(s.to_ascii_uppercase()));
        }
        Value::String(s) => {
            if let Ok(d) = DateTime::parse_from_rfc3339(s) {
                let east = chrono::FixedOffset::east_opt(2 * 3600).unwrap();
                out.push(Value::from(d.with_timezone(&east).to_rfc3339()));
                out.push(Value::from(
                    (d + chrono::Duration::milliseconds(1)).to_rfc3339(),
                ));
            } else {
                out.push(Value::from(s.to_ascii_lowercase()));
            }
        }
        Value::Number(n) => out.push(Value::from(n + 1.0)),
        Value::Object(m) => {
            let mut fewer = m.clone();
            if let Some(first) = m.keys().next() {
                fewer.remove(first);
            }
            out.push(Value::Object(fewer));
            let mut more = m.clone();
            more.insert("extra".to_owned(), Value::Null);
            out.push(Value::Object(more));
        }
        _ => {}
    }
}

fn pools(packages: &[Package]) -> Pools {
    let mut ids = vec![
        "not-a-guid".to_owned(),
        String::new(),
        guid(999).to_string(),
    ];
    for p in packages {
        ids.push(p.id().to_string());
        ids.push(p.id().to_string().to_ascii_uppercase());
    }
    let accounts = vec![
        guid(0xacc).to_string(),
        guid(0xacd).to_string().to_ascii_uppercase(),
        "x".to_owned(),
    ];
    let externals = ["a", "b", "ext-1", "A", ""].map(str::to_owned).to_vec();
    let mut dates = Vec::new();
    for ms in DATES {
        let at = *ts(ms).as_datetime();
        dates.push(at);
        dates.push(at + chrono::Duration::microseconds(500));
        dates.push(at - chrono::Duration::milliseconds(1));
    }
    let noise = [
        Value::Null,
        Value::from("ENABLED"),
        Value::from("Enabled"),
        Value::from(1.0),
        Value::Bool(true),
        Value::from(""),
        Value::from("1"),
    ];
    let rendered: Vec<Value> = packages
        .iter()
        .flat_map(|p| p.instances().iter().map(instance_to_value))
        .collect();
    let paths = InstancePath::ALL
        .iter()
        .map(|path| {
            let mut pool = noise.to_vec();
            for inst in &rendered {
                let mut v = Some(inst);
                for seg in path.segments() {
                    v = v.and_then(|x| x.get(seg));
                }
                if let Some(v) = v {
                    variants(v, &mut pool);
                }
            }
            pool
        })
        .collect();
    Pools {
        keys: [ids, accounts, externals],
        dates,
        paths,
    }
}

fn arb_condition(p: Arc<Pools>) -> impl Strategy<Value = Condition> {
    let p1 = p.clone();
    let p2 = p.clone();
    prop_oneof![
        (0usize..3, 0u8..4, vec(any::<Index>(), 0..3), any::<bool>()).prop_map(
            move |(f, o, picks, b)| {
                let pool = &p1.keys[f];
                let mut strings = picks.iter().map(|i| i.get(pool).clone());
                let op = match o {
                    0 => KeyOp::Eq(strings.next().unwrap_or_default()),
                    1 => KeyOp::Ne(strings.next().unwrap_or_default()),
                    2 => KeyOp::In(strings.collect()),
                    _ => KeyOp::Exists(b),
                };
                Condition::Key {
                    field: KeyField::ALL[f],
                    op,
                }
            }
        ),
        (
            select(DateField::ALL.to_vec()),
            select(DateCmp::ALL.to_vec()),
            any::<Index>()
        )
            .prop_map(move |(field, cmp, i)| Condition::Date {
                field,
                cmp,
                at: *i.get(&p2.dates)
            }),
        (
            0usize..InstancePath::ALL.len(),
            any::<bool>(),
            vec(any::<Index>(), 0..3)
        )
            .prop_map(move |(k, all, picks)| {
                let values: Vec<Value> = picks.iter().map(|i| i.get(&p.paths[k]).clone()).collect();
                Condition::Instances {
                    path: InstancePath::ALL[k],
                    op: if all {
                        ArrayOp::HasAll(values)
                    } else {
                        ArrayOp::HasSome(values)
                    },
                }
            }),
    ]
}

fn arb_filter(p: Arc<Pools>) -> impl Strategy<Value = Filter> {
    arb_condition(p)
        .prop_map(Filter::Cond)
        .prop_recursive(4, 24, 3, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..3).prop_map(Filter::And),
                vec(inner.clone(), 1..3).prop_map(Filter::Or),
                inner.prop_map(|f| Filter::Not(Box::new(f))),
            ]
        })
}

fn packages_and_filters(
    max: usize,
    filters: usize,
) -> impl Strategy<Value = (Vec<Package>, Vec<Filter>)> {
    arb_packages(max).prop_flat_map(move |packages| {
        let pools = Arc::new(pools(&packages));
        (Just(packages), vec(arb_filter(pools), 1..=filters))
    })
}

/// Any filter, with arbitrary text and numbers, for the codec.
fn arb_any_filter() -> impl Strategy<Value = Filter> {
    let value = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1e12f64..1e12).prop_map(Value::Number),
        ".{0,12}".prop_map(Value::String),
    ]
    .prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,6}", inner, 0..4).prop_map(Value::Object),
        ]
    });
    let cond = prop_oneof![
        (
            select(KeyField::ALL.to_vec()),
            0u8..4,
            vec(".{0,16}", 0..4),
            any::<bool>()
        )
            .prop_map(|(field, o, mut strings, b)| {
                let op = match o {
                    0 => KeyOp::Eq(strings.pop().unwrap_or_default()),
                    1 => KeyOp::Ne(strings.pop().unwrap_or_default()),
                    2 => KeyOp::In(strings),
                    _ => KeyOp::Exists(b),
                };
                Condition::Key { field, op }
            }),
        (
            select(DateField::ALL.to_vec()),
            select(DateCmp::ALL.to_vec()),
            -100_000_000_000i64..100_000_000_000,
            0u32..1_000_000_000,
        )
            .prop_map(|(field, cmp, secs, nanos)| Condition::Date {
                field,
                cmp,
                at: DateTime::from_timestamp(secs, nanos).unwrap(),
            }),
        (
            select(InstancePath::ALL.to_vec()),
            any::<bool>(),
            vec(value, 0..4)
        )
            .prop_map(|(path, all, values)| {
                Condition::Instances {
                    path,
                    op: if all {
                        ArrayOp::HasAll(values)
                    } else {
                        ArrayOp::HasSome(values)
                    },
                }
            }),
    ];
    cond.prop_map(Filter::Cond)
        .prop_recursive(5, 32, 4, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..4).prop_map(Filter::And),
                vec(inner.clone(), 0..4).prop_map(Filter::Or),
                inner.prop_map(|f| Filter::Not(Box::new(f))),
            ]
        })
}

fn arb_cursor() -> impl Strategy<Value = Cursor> {
    (
        prop::option::of(arb_any_filter()),
        vec(
            (
                select(SortField::ALL.to_vec()),
                select(vec![SortOrder::Asc, SortOrder::Desc]),
            ),
            0..3,
        ),
        vec(-8_000_000_000_000_000i64..8_000_000_000_000_000, 2),
        any::<u128>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(filter, specs, millis, id, prev, inclusive)| {
            let sort = Sort::new(specs.into_iter().map(|(f, o)| SortSpec::new(f, o)));
            let keys = millis
                .into_iter()
                .take(sort.specs().len())
                .map(|m| crate::time::Timestamp::from_unix_millis(m).unwrap())
                .collect();
            Cursor {
                filter,
                sort,
                boundary: Boundary {
                    position: Position::new(keys, PackageId::from_uuid(uuid::Uuid::from_u128(id))),
                    direction: if prev {
                        Direction::Prev
                    } else {
                        Direction::Next
                    },
                    inclusive,
                },
            }
        })
}

fn is_invalid_cursor<T: std::fmt::Debug>(r: &Result<T, QueryError>) -> bool {
    matches!(r, Err(QueryError::InvalidCursor(_)))
}

// ------------------------------------------------------------ properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// (a) Random filters over random packages evaluate as the naive reference does,
    /// and every filter parses back from its query-language form.
    #[test]
    fn filters_agree_with_the_reference((packages, filters) in packages_and_filters(6, 6)) {
        let rendered: Vec<Value> = packages.iter().map(render_package).collect();
        for (p, r) in packages.iter().zip(&rendered) {
            let mine: Vec<Value> = p.instances().iter().map(instance_to_value).collect();
            prop_assert_eq!(Some(&Value::Array(mine)), r.get("productInstances"));
        }
        for f in &filters {
            let value = f.to_value();
            prop_assert_eq!(Filter::from_value(&value), Ok(f.clone()));
            for (p, r) in packages.iter().zip(&rendered) {
                prop_assert_eq!(f.matches(p), eval(&value, r), "filter {:?}", value);
            }
        }
    }
}

fn reference_order(
    packages: &[Package],
    filter: Option<&Value>,
    sort: &[(String, Option<String>)],
) -> Vec<PackageId> {
    let mut specs: Vec<(String, bool)> = Vec::new();
    for (f, o) in sort {
        if !specs.iter().any(|(g, _)| g == f) {
            specs.push((f.clone(), o.as_deref() == Some("DESC")));
        }
    }
    if specs.is_empty() {
        specs.push(("createdDate".to_owned(), true));
    }
    let key = |p: &Package, f: &str| {
        if f == "createdDate" {
            p.created()
        } else {
            p.updated()
        }
    };
    let mut matching: Vec<&Package> = packages
        .iter()
        .filter(|p| filter.is_none_or(|f| eval(f, &render_package(p))))
        .collect();
    matching.sort_by(|a, b| {
        for (f, desc) in &specs {
            let o = key(a, f).cmp(&key(b, f));
            let o = if *desc { o.reverse() } else { o };
            if o.is_ne() {
                return o;
            }
        }
        a.id().cmp(&b.id())
    });
    matching.into_iter().map(Package::id).collect()
}

fn ids(page: &QueryPage<'_>) -> Vec<PackageId> {
    page.packages.iter().map(|p| p.id()).collect()
}

fn next_query(limit: u32, cursor: &str) -> PackageQuery {
    PackageQuery::new(
        None,
        vec![],
        vec![Paging::Cursor {
            limit: Some(limit),
            cursor: Some(cursor.to_owned()),
        }],
    )
    .unwrap()
}

/// Packages, an optional filter, raw sort entries, and the limits to page with.
type PagingCase = (
    Vec<Package>,
    Option<Filter>,
    Vec<(String, Option<String>)>,
    Vec<u32>,
);

fn arb_paging_case() -> impl Strategy<Value = PagingCase> {
    arb_packages(30).prop_flat_map(|packages| {
        let pools = Arc::new(pools(&packages));
        (
            Just(packages),
            prop::option::weighted(0.5, arb_filter(pools)),
            vec(
                (
                    select(vec!["createdDate", "updatedDate"]),
                    select(vec![None, Some("ASC"), Some("DESC")]),
                ),
                0..3,
            )
            .prop_map(|v| {
                v.into_iter()
                    .map(|(f, o)| (f.to_owned(), o.map(str::to_owned)))
                    .collect()
            }),
            vec(1u32..8, 1..6),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// (b) Following next cursors visits every match exactly once, in sort order,
    /// whatever the limits; prev cursors walk back over exactly the earlier items.
    #[test]
    fn cursor_paging_visits_every_match_once((packages, filter, sort, limits) in arb_paging_case()) {
        let filter_value = filter.as_ref().map(Filter::to_value);
        let expected = reference_order(&packages, filter_value.as_ref(), &sort);
        let mut limit_at = limits.iter().copied().cycle();
        let mut limit = limit_at.next().unwrap();
        let q = PackageQuery::new(filter_value.clone(), sort.clone(), vec![Paging::Cursor { limit: Some(limit), cursor: None }]).unwrap();
        let mut page = run_query(&q, &KEY, packages.iter().rev()).unwrap();
        prop_assert!(page.prev_cursor.is_none());
        let mut start = 0;
        let mut seen: Vec<PackageId> = Vec::new();
        loop {
            let len = usize::try_from(limit).unwrap().min(expected.len() - start);
            prop_assert_eq!(ids(&page), expected[start..start + len].to_vec());
            prop_assert_eq!(page.prev_cursor.is_some(), start > 0);
            prop_assert_eq!(page.next_cursor.is_some(), start + len < expected.len());
            prop_assert_eq!(page.total, None);
            seen.extend(ids(&page));
            let Some(next) = page.next_cursor.clone() else { break };
            start += len;
            limit = limit_at.next().unwrap();
            let following = run_query(&next_query(limit, &next), &KEY, &packages).unwrap();
            prop_assert!(!following.packages.is_empty());
            page = following;
        }
        prop_assert_eq!(&seen, &expected);
        // Back from the last page.
        let mut end = start;
        let mut prev = page.prev_cursor.clone();
        while let Some(cursor) = prev {
            limit = limit_at.next().unwrap();
            let back = run_query(&next_query(limit, &cursor), &KEY, &packages).unwrap();
            let from = end.saturating_sub(usize::try_from(limit).unwrap());
            prop_assert_eq!(ids(&back), expected[from..end].to_vec());
            prop_assert!(back.next_cursor.is_some());
            prop_assert_eq!(back.prev_cursor.is_some(), from > 0);
            end = from;
            prev = back.prev_cursor;
        }
        prop_assert_eq!(end, 0);
    }

    /// (b') With one limit throughout, walking back gives the forward pages again.
    #[test]
    fn prev_pages_are_the_forward_pages((packages, filter, sort, limits) in arb_paging_case()) {
        let limit = limits[0];
        let filter_value = filter.as_ref().map(Filter::to_value);
        let q = PackageQuery::new(filter_value, sort, vec![Paging::Cursor { limit: Some(limit), cursor: None }]).unwrap();
        let mut page = run_query(&q, &KEY, &packages).unwrap();
        let mut forward = vec![ids(&page)];
        while let Some(next) = page.next_cursor.clone() {
            page = run_query(&next_query(limit, &next), &KEY, &packages).unwrap();
            forward.push(ids(&page));
        }
        let mut backward = vec![ids(&page)];
        while let Some(prev) = page.prev_cursor.clone() {
            page = run_query(&next_query(limit, &prev), &KEY, &packages).unwrap();
            backward.push(ids(&page));
        }
        backward.reverse();
        prop_assert_eq!(backward, forward);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// (c) Random text is refused as a cursor, without panicking.
    #[test]
    fn random_text_is_not_a_cursor(text in prop_oneof![any::<String>(), "[A-Za-z0-9_-]{0,160}"]) {
        prop_assert!(is_invalid_cursor(&Cursor::decode(&text, &KEY)));
        let q = PackageQuery::new(None, vec![], vec![Paging::Cursor { limit: None, cursor: Some(text.clone()) }]).unwrap();
        if !text.is_empty() {
            prop_assert!(is_invalid_cursor(&run_query(&q, &KEY, &[])));
        }
    }

    /// (c) Random bytes are refused as a cursor.
    #[test]
    fn random_bytes_are_not_a_cursor(bytes in vec(any::<u8>(), 0..300)) {
        let text = crate::query::base64::encode(&bytes);
        prop_assert!(is_invalid_cursor(&Cursor::decode(&text, &KEY)));
    }

    /// (c) Even with a valid MAC, a damaged payload never panics the parser; a strict
    /// prefix of a real payload never parses.
    #[test]
    fn signed_garbage_never_panics(
        cursor in arb_cursor(),
        flips in vec((any::<Index>(), any::<u8>()), 0..4),
        cut in any::<Index>(),
        junk in vec(any::<u8>(), 0..64),
    ) {
        let sign = |payload: &[u8]| {
            let mut bytes = payload.to_vec();
            bytes.extend_from_slice(&crate::query::cursor::mac(&KEY, payload).to_le_bytes());
            crate::query::base64::encode(&bytes)
        };
        let full = crate::query::base64::decode(&cursor.encode(&KEY)).unwrap();
        let payload = &full[..full.len() - 8];
        let mut damaged = payload.to_vec();
        for (i, b) in &flips {
            let at = i.index(damaged.len());
            damaged[at] ^= b;
        }
        let r = Cursor::decode(&sign(&damaged), &KEY);
        prop_assert!(r.is_ok() || is_invalid_cursor(&r));
        let prefix = &payload[..cut.index(payload.len())];
        prop_assert!(is_invalid_cursor(&Cursor::decode(&sign(prefix), &KEY)));
        let r = Cursor::decode(&sign(&junk), &KEY);
        prop_assert!(r.is_ok() || is_invalid_cursor(&r));
    }

    /// (d) Changing any one character of a valid cursor makes it invalid.
    #[test]
    fn altered_cursors_are_refused(
        cursor in arb_cursor(),
        at in any::<Index>(),
        with in select("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .é".chars().collect::<Vec<_>>()),
    ) {
        let text = cursor.encode(&KEY);
        let chars: Vec<char> = text.chars().collect();
        let i = at.index(chars.len());
        prop_assume!(chars[i] != with);
        let mut altered = chars.clone();
        altered[i] = with;
        let altered: String = altered.into_iter().collect();
        prop_assert!(is_invalid_cursor(&Cursor::decode(&altered, &KEY)));
        prop_assert!(is_invalid_cursor(&Cursor::decode(&text[..text.len() - 1], &KEY)));
        let longer = format!("{text}A");
        prop_assert!(is_invalid_cursor(&Cursor::decode(&longer, &KEY)));
        prop_assert!(is_invalid_cursor(&Cursor::decode(&text, &CursorKey::new([7; 16]))));
    }

    /// (e) Encoding then decoding a cursor gives it back.
    #[test]
    fn cursors_round_trip(cursor in arb_cursor()) {
        let text = cursor.encode(&KEY);
        prop_assert!(text.len() <= MAX_CURSOR_CHARS);
        prop_assert_eq!(Cursor::decode(&text, &KEY), Ok(cursor));
    }

    /// SipHash-2-4 agrees with the (deprecated) SipHasher of the standard library,
    /// which is SipHash-2-4 over the bytes written.
    #[test]
    #[allow(deprecated)]
    fn siphash_agrees_with_std(key in any::<[u8; 16]>(), message in vec(any::<u8>(), 0..100)) {
        use std::hash::Hasher;
        let k0 = u64::from_le_bytes(key[..8].try_into().unwrap());
        let k1 = u64::from_le_bytes(key[8..].try_into().unwrap());
        let mut h = std::hash::SipHasher::new_with_keys(k0, k1);
        h.write(&message);
        prop_assert_eq!(crate::query::siphash::siphash24(&key, &message), h.finish());
    }

    /// Base64url round-trips both ways.
    #[test]
    fn base64_round_trips(bytes in vec(any::<u8>(), 0..100)) {
        use crate::query::base64::{decode, encode};
        let text = encode(&bytes);
        prop_assert!(!text.contains('='));
        prop_assert_eq!(decode(&text), Ok(bytes));
        prop_assert_eq!(encode(&decode(&text).unwrap()), text);
    }
}
