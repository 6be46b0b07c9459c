//! Tests of the query module: unit tests here, a naive reference evaluator in
//! `tests/reference.rs`, property tests in `tests/props.rs`.

mod props;
mod reference;

use std::num::NonZeroU32;

use uuid::Uuid;

use super::wire::instance_to_value;
use super::*;
use crate::billing::{Billing, Cycle, CycleUnit};
use crate::error::{RuleType, Violation};
use crate::ids::{AccountId, CatalogProductId, InstanceId, PackageId, SiteId};
use crate::instance::{
    Assignment, Failure, FailureCode, InstanceParts, InstanceStatus, ProductInstance,
};
use crate::package::{Instances, Package, PackageParts};
use crate::text::{CountryCode, DiscountCode, ExternalId};
use crate::time::Timestamp;

// ----------------------------------------------------------------- helpers

/// A deterministic GUID for a small number.
pub(super) fn guid(n: u128) -> Uuid {
    Uuid::from_u128(0x5e11_e700_0000_4000_8000_0000_0000_0000 | n)
}

/// The instant `ms` milliseconds after a fixed base.
pub(super) fn ts(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_700_000_000_000 + ms).unwrap()
}

pub(super) const KEY: CursorKey = CursorKey::new(*b"0123456789abcdef");

pub(super) fn parts(id: u128) -> InstanceParts {
    InstanceParts::pending(
        InstanceId::from_uuid(guid(0x1000 + id)),
        CatalogProductId::from_uuid(guid(0x2000)),
        ts(0),
    )
}

pub(super) fn pkg(
    id: u128,
    external: Option<&str>,
    created: i64,
    updated: i64,
    instances: Vec<InstanceParts>,
) -> Package {
    Package::from_parts(PackageParts {
        id: PackageId::from_uuid(guid(id)),
        account_id: AccountId::from_uuid(guid(0xacc)),
        parent_account_id: None,
        external_id: external.map(|e| ExternalId::new(e).unwrap()),
        instances: Instances::new(
            instances
                .into_iter()
                .map(ProductInstance::from_parts)
                .collect(),
        )
        .unwrap(),
        created: ts(created),
        updated: ts(updated),
    })
}

fn parse(json: Value) -> Result<Filter, QueryError> {
    Filter::from_value(&json)
}

fn arr<const N: usize>(items: [Value; N]) -> Value {
    Value::array(items)
}

fn s(text: &str) -> Value {
    Value::from(text)
}

fn invalid_query(r: Result<Filter, QueryError>) -> String {
    match r {
        Err(QueryError::InvalidQuery(reason)) => reason,
        other => panic!("expected InvalidQuery, got {other:?}"),
    }
}

fn matches(filter: Value, package: &Package) -> bool {
    parse(filter).unwrap().matches(package)
}

/// A package with a rich first instance and a floating, failed second one.
fn sample() -> Package {
    let mut a = parts(1);
    a.assignment = Assignment::Site(SiteId::from_uuid(guid(0x3000)));
    a.status = InstanceStatus::Enabled;
    a.billing = Some(Billing::yearly());
    a.country_code = Some(CountryCode::new("US").unwrap());
    a.discount_code = Some(DiscountCode::new("SALE").unwrap());
    a.created = ts(1_000);
    a.updated = ts(2_000);
    a.expiration = Some(ts(9_000));
    let mut b = parts(2);
    b.status = InstanceStatus::Failed(Failure {
        code: FailureCode::DeliveryTimeout,
        message: "too slow".to_owned(),
    });
    b.billing = Some(Billing::OneTime);
    b.reference = Some(InstanceId::from_uuid(guid(0x1001)));
    b.created = ts(3_000);
    b.updated = ts(3_000);
    pkg(7, Some("ext-1"), 5_000, 6_000, vec![a, b])
}

// ------------------------------------------------------------ field names

#[test]
fn field_names_round_trip_and_operators_follow_the_table() {
    let all: Vec<Field> = Field::all().collect();
    assert_eq!(all.len(), 21);
    for f in &all {
        assert_eq!(Field::parse(f.as_str()), Some(*f));
    }
    assert_eq!(Field::parse("productInstances.Status"), None);
    assert_eq!(Field::parse("_id"), None);
    assert_eq!(
        Field::Id.operators(),
        &[Operator::Eq, Operator::Ne, Operator::In, Operator::Exists]
    );
    assert!(Field::CreatedDate.allows(Operator::Gte));
    assert!(!Field::CreatedDate.allows(Operator::In));
    assert!(Field::Instances(InstancePath::CycleCount).allows(Operator::HasAll));
    assert!(!Field::Instances(InstancePath::Whole).allows(Operator::Eq));
    for o in Operator::ALL {
        assert_eq!(Operator::parse(o.as_str()), Some(o));
        assert!(
            !Field::all().any(|f| f.allows(o))
                || !matches!(o, Operator::Nin | Operator::StartsWith | Operator::IsEmpty)
        );
    }
}

// ------------------------------------------------------- parse: refusals

#[test]
fn unknown_fields_are_invalid_query() {
    for name in [
        "foo",
        "_id",
        "parentAccountId",
        "productInstances.discountCode",
        "productInstances.",
        "ID",
    ] {
        let reason = invalid_query(parse(Value::object([(name, s("x"))])));
        assert!(reason.contains("not a filterable field"), "{reason}");
    }
}

#[test]
fn operators_outside_the_table_are_invalid_query() {
    let cases = [
        ("id", "$gt", s("x")),
        ("accountId", "$hasSome", arr([s("x")])),
        ("externalId", "$nin", arr([s("x")])),
        ("externalId", "$startsWith", s("x")),
        ("externalId", "$isEmpty", Value::Bool(true)),
        ("createdDate", "$in", arr([s("2021-01-01T00:00:00Z")])),
        ("createdDate", "$exists", Value::Bool(true)),
        ("updatedDate", "$hasAll", arr([])),
        ("productInstances.status", "$eq", s("ENABLED")),
        ("productInstances", "$exists", Value::Bool(true)),
        ("productInstances.siteId", "$in", arr([])),
    ];
    for (field, o, operand) in cases {
        let reason = invalid_query(parse(Value::condition(field, o, operand)));
        assert!(reason.contains("not supported"), "{field} {o}: {reason}");
    }
    // Implicit $eq on an instance path is $eq too.
    let reason = invalid_query(parse(Value::object([(
        "productInstances.status",
        s("ENABLED"),
    )])));
    assert!(reason.contains("$eq is not supported"), "{reason}");
}

#[test]
fn unknown_operators_are_invalid_query() {
    let reason = invalid_query(parse(Value::condition("id", "$regex", s("x"))));
    assert!(reason.contains("unknown operator"), "{reason}");
    let reason = invalid_query(parse(Value::object([("$nor", arr([]))])));
    assert!(reason.contains("unknown operator"), "{reason}");
    let reason = invalid_query(parse(Value::object([("$eq", s("x"))])));
    assert!(reason.contains("must be applied to a field"), "{reason}");
}

#[test]
fn operands_of_the_wrong_type_are_invalid_query() {
    let cases = [
        Value::condition("id", "$in", s("x")),
        Value::condition("id", "$in", arr([Value::from(1)])),
        Value::condition("id", "$exists", s("true")),
        Value::condition("accountId", "$eq", Value::from(5)),
        Value::object([("externalId", Value::Null)]),
        Value::condition("externalId", "$ne", Value::Bool(false)),
        Value::condition("createdDate", "$gt", s("yesterday")),
        Value::condition("createdDate", "$gt", s("2021-12-02")),
        Value::condition("updatedDate", "$eq", Value::from(1_638_459_930_941.0)),
        Value::condition("productInstances.status", "$hasSome", s("ENABLED")),
        Value::condition(
            "productInstances.status",
            "$hasAll",
            Value::object([("a", s("b"))]),
        ),
        Value::object([("$and", Value::Object(Default::default()))]),
        Value::object([("$or", s("x"))]),
        Value::object([("$not", arr([]))]),
    ];
    for case in cases {
        invalid_query(parse(case.clone()));
    }
}

#[test]
fn structural_errors_are_invalid_query() {
    invalid_query(parse(arr([])));
    invalid_query(parse(s("id")));
    invalid_query(parse(Value::Null));
    let reason = invalid_query(parse(Value::object([("$and", arr([]))])));
    assert!(reason.contains("non-empty"), "{reason}");
    invalid_query(parse(Value::object([("$or", arr([]))])));
    invalid_query(parse(Value::object([("$and", arr([s("x")]))])));
    let reason = invalid_query(parse(Value::object([(
        "id",
        Value::object([("$eq", s("x")), ("other", s("y"))]),
    )])));
    assert!(reason.contains("mixes"), "{reason}");
}

#[test]
fn nesting_is_limited() {
    let nest = |levels: usize| {
        let mut f = Value::condition("externalId", "$exists", Value::Bool(true));
        for _ in 0..levels {
            f = Value::object([("$not", f)]);
        }
        f
    };
    assert!(parse(nest(MAX_FILTER_DEPTH)).is_ok());
    let reason = invalid_query(parse(nest(MAX_FILTER_DEPTH + 1)));
    assert!(reason.contains("levels deep"), "{reason}");
    // Far too deep: refused without exhausting the stack.
    invalid_query(parse(nest(1_000)));
    // $and members that add a level through several members of one object.
    let mut f = Value::object([("externalId", s("a"))]);
    for _ in 0..MAX_FILTER_DEPTH {
        f = Value::object([("$and", arr([f])), ("id", s("x"))]);
    }
    invalid_query(parse(f));
}

#[test]
fn size_is_limited() {
    let many = Value::array((0..MAX_FILTER_NODES).map(|i| Value::from(format!("e{i}"))));
    let reason = invalid_query(parse(Value::condition("externalId", "$in", many)));
    assert!(reason.contains("nodes"), "{reason}");
    let big = "x".repeat(MAX_FILTER_TEXT_BYTES + 1);
    let reason = invalid_query(parse(Value::condition(
        "externalId",
        "$eq",
        Value::from(big),
    )));
    assert!(reason.contains("bytes of text"), "{reason}");
    let mut deep = s("x");
    for _ in 0..MAX_OPERAND_DEPTH {
        deep = arr([deep]);
    }
    let reason = invalid_query(parse(Value::condition(
        "productInstances",
        "$hasSome",
        arr([deep]),
    )));
    assert!(reason.contains("levels deep"), "{reason}");
    // Wide operands with many members are counted too.
    let wide = Value::object((0..MAX_FILTER_NODES).map(|i| (format!("k{i}"), Value::Null)));
    invalid_query(parse(Value::condition(
        "productInstances",
        "$hasSome",
        arr([wide]),
    )));
}

// ------------------------------------------------------- parse: accepted

#[test]
fn implicit_eq_several_members_and_several_operators() {
    let f = parse(Value::object([("externalId", s("a"))])).unwrap();
    assert_eq!(
        f,
        Filter::Cond(Condition::Key {
            field: KeyField::ExternalId,
            op: KeyOp::Eq("a".into())
        })
    );
    let f = parse(Value::object([("externalId", s("a")), ("id", s("b"))])).unwrap();
    assert!(matches!(&f, Filter::And(parts) if parts.len() == 2));
    let f = parse(Value::object([(
        "createdDate",
        Value::object([
            ("$gte", s("2021-01-01T00:00:00Z")),
            ("$lt", s("2022-01-01T00:00:00Z")),
        ]),
    )]))
    .unwrap();
    assert!(matches!(&f, Filter::And(parts) if parts.len() == 2));
    assert_eq!(
        parse(Value::Object(Default::default())).unwrap(),
        Filter::everything()
    );
}

#[test]
fn to_value_parses_back() {
    let cases = [
        Value::Object(Default::default()),
        Value::condition("id", "$in", arr([s("a"), s("b")])),
        Value::object([(
            "$or",
            arr([
                Value::condition("externalId", "$exists", Value::Bool(false)),
                Value::object([(
                    "$not",
                    Value::condition("updatedDate", "$lte", s("2021-12-02T15:45:30.941Z")),
                )]),
            ]),
        )]),
        Value::condition(
            "productInstances.billingInfo",
            "$hasSome",
            arr([Value::object([("type", s("ONE_TIME"))])]),
        ),
    ];
    for case in cases {
        let f = parse(case).unwrap();
        assert_eq!(parse(f.to_value()).unwrap(), f);
    }
}

#[test]
fn docs_example_matches_because_enum_values_ignore_case() {
    let p = sample();
    let docs = Value::condition("productInstances.status", "$hasAll", arr([s("Enabled")]));
    assert!(matches(docs, &p));
    assert!(matches(
        Value::condition("productInstances.status", "$hasSome", arr([s("enabled")])),
        &p
    ));
    assert!(!matches(
        Value::condition("productInstances.status", "$hasAll", arr([s("Enable")])),
        &p
    ));
    assert!(matches(
        Value::condition("productInstances.status", "$hasAll", arr([s("ENABLED")])),
        &p
    ));
}

// --------------------------------------------------------- evaluation

#[test]
fn id_and_account_id_compare_as_guids() {
    let p = sample();
    let id = guid(7).to_string();
    let upper = id.to_ascii_uppercase();
    assert!(matches(Value::object([("id", s(&id))]), &p));
    assert!(matches(Value::condition("id", "$eq", s(&upper)), &p));
    assert!(!matches(Value::condition("id", "$eq", s("not-a-guid")), &p));
    assert!(!matches(
        Value::condition("id", "$eq", s(&guid(8).to_string())),
        &p
    ));
    assert!(!matches(
        Value::condition("id", "$eq", s(&guid(7).simple().to_string())),
        &p
    ));
    assert!(matches(Value::condition("id", "$ne", s("not-a-guid")), &p));
    assert!(!matches(Value::condition("id", "$ne", s(&upper)), &p));
    assert!(matches(
        Value::condition("id", "$in", arr([s("x"), s(&upper)])),
        &p
    ));
    assert!(!matches(Value::condition("id", "$in", arr([])), &p));
    assert!(matches(
        Value::condition("id", "$exists", Value::Bool(true)),
        &p
    ));
    assert!(!matches(
        Value::condition("id", "$exists", Value::Bool(false)),
        &p
    ));
    let account = guid(0xacc).to_string().to_ascii_uppercase();
    assert!(matches(
        Value::condition("accountId", "$eq", s(&account)),
        &p
    ));
    assert!(matches(
        Value::condition("accountId", "$in", arr([s(&account)])),
        &p
    ));
    assert!(!matches(
        Value::condition("accountId", "$ne", s(&account)),
        &p
    ));
}

#[test]
fn external_id_is_exact_text_and_may_be_absent() {
    let p = sample();
    let none = pkg(8, None, 0, 0, vec![parts(1)]);
    assert!(matches(Value::object([("externalId", s("ext-1"))]), &p));
    assert!(!matches(Value::object([("externalId", s("EXT-1"))]), &p));
    assert!(!matches(Value::object([("externalId", s("ext-1"))]), &none));
    assert!(matches(
        Value::condition("externalId", "$ne", s("ext-1")),
        &none
    ));
    assert!(!matches(
        Value::condition("externalId", "$ne", s("ext-1")),
        &p
    ));
    assert!(matches(
        Value::condition("externalId", "$in", arr([s("a"), s("ext-1")])),
        &p
    ));
    assert!(!matches(
        Value::condition("externalId", "$in", arr([s("a"), s("ext-1")])),
        &none
    ));
    assert!(matches(
        Value::condition("externalId", "$exists", Value::Bool(true)),
        &p
    ));
    assert!(!matches(
        Value::condition("externalId", "$exists", Value::Bool(true)),
        &none
    ));
    assert!(matches(
        Value::condition("externalId", "$exists", Value::Bool(false)),
        &none
    ));
}

#[test]
fn dates_compare_as_instants() {
    let p = sample(); // created ts(5_000), updated ts(6_000)
    let created = ts(5_000);
    let z = created.to_rfc3339();
    let shifted = created
        .as_datetime()
        .with_timezone(&chrono::FixedOffset::east_opt(2 * 3600).unwrap())
        .to_rfc3339();
    assert_ne!(z, shifted);
    assert!(matches(Value::object([("createdDate", s(&z))]), &p));
    assert!(matches(
        Value::condition("createdDate", "$eq", s(&shifted)),
        &p
    ));
    assert!(!matches(
        Value::condition("createdDate", "$ne", s(&shifted)),
        &p
    ));
    assert!(matches(Value::condition("createdDate", "$gte", s(&z)), &p));
    assert!(matches(Value::condition("createdDate", "$lte", s(&z)), &p));
    assert!(!matches(Value::condition("createdDate", "$gt", s(&z)), &p));
    assert!(!matches(Value::condition("createdDate", "$lt", s(&z)), &p));
    let later = ts(5_001).to_rfc3339();
    assert!(matches(
        Value::condition("createdDate", "$lt", s(&later)),
        &p
    ));
    assert!(matches(
        Value::condition("updatedDate", "$gt", s(&later)),
        &p
    ));
    // Sub-millisecond operands keep their precision.
    let micro = format!("{}500Z", z.trim_end_matches('Z'));
    assert!(matches(
        Value::condition("createdDate", "$lt", s(&micro)),
        &p
    ));
    assert!(!matches(
        Value::condition("createdDate", "$eq", s(&micro)),
        &p
    ));
}

#[test]
fn has_some_and_has_all_over_instance_values() {
    let p = sample();
    let has_some =
        |path: &str, values: Value| matches(Value::condition(path, "$hasSome", values), &p);
    let has_all =
        |path: &str, values: Value| matches(Value::condition(path, "$hasAll", values), &p);

    assert!(has_some(
        "productInstances.status",
        arr([s("CANCELED"), s("FAILED")])
    ));
    assert!(!has_some(
        "productInstances.status",
        arr([s("CANCELED"), s("PENDING")])
    ));
    assert!(has_all(
        "productInstances.status",
        arr([s("ENABLED"), s("FAILED")])
    ));
    assert!(!has_all(
        "productInstances.status",
        arr([s("ENABLED"), s("PENDING")])
    ));
    assert!(has_all("productInstances.status", arr([])));
    assert!(!has_some("productInstances.status", arr([])));

    // GUID paths: case-insensitive; the floating instance has no siteId.
    let site = guid(0x3000).to_string();
    assert!(has_all(
        "productInstances.siteId",
        arr([s(&site.to_ascii_uppercase())])
    ));
    assert!(!has_some(
        "productInstances.siteId",
        arr([Value::Null, s("")])
    ));
    let second = guid(0x1002).to_string();
    assert!(has_all("productInstances.instanceId", arr([s(&second)])));
    assert!(has_some(
        "productInstances.catalogProductId",
        arr([s(&guid(0x2000).to_string())])
    ));

    // failure and its members.
    assert!(has_some(
        "productInstances.failure.code",
        arr([s("DELIVERY_TIMEOUT")])
    ));
    assert!(has_some(
        "productInstances.failure.code",
        arr([s("delivery_timeout")])
    ));
    assert!(!has_some(
        "productInstances.failure.message",
        arr([s("TOO SLOW")])
    ));
    assert!(has_some(
        "productInstances.failure.message",
        arr([s("too slow")])
    ));
    assert!(has_some(
        "productInstances.failure",
        arr([Value::object([
            ("code", s("DELIVERY_TIMEOUT")),
            ("message", s("too slow"))
        ])])
    ));
    assert!(!has_some(
        "productInstances.failure",
        arr([Value::object([("code", s("DELIVERY_TIMEOUT"))])])
    ));

    // billingInfo: objects member by member; ONE_TIME has no cycleDuration.
    assert!(has_some(
        "productInstances.billingInfo",
        arr([Value::object([("type", s("ONE_TIME"))])])
    ));
    let yearly = Value::object([
        ("type", s("RECURRING")),
        (
            "cycleDuration",
            Value::object([("unit", s("YEAR")), ("count", Value::from(1.0))]),
        ),
    ]);
    assert!(has_all(
        "productInstances.billingInfo",
        arr([yearly.clone(), Value::object([("type", s("ONE_TIME"))])])
    ));
    assert!(!has_some(
        "productInstances.billingInfo",
        arr([Value::object([("type", s("RECURRING"))])])
    ));
    let with_extra = Value::object([("type", s("ONE_TIME")), ("cycleDuration", Value::Null)]);
    assert!(!has_some("productInstances.billingInfo", arr([with_extra])));
    assert!(has_all(
        "productInstances.billingInfo.type",
        arr([s("RECURRING"), s("ONE_TIME")])
    ));
    assert!(has_some(
        "productInstances.billingInfo.cycleDuration",
        arr([Value::object([
            ("count", Value::from(1)),
            ("unit", s("YEAR"))
        ])])
    ));
    assert!(has_some(
        "productInstances.billingInfo.cycleDuration.unit",
        arr([s("YEAR")])
    ));
    assert!(has_some(
        "productInstances.billingInfo.cycleDuration.count",
        arr([Value::from(1)])
    ));
    assert!(has_some(
        "productInstances.billingInfo.cycleDuration.count",
        arr([Value::from(1.0)])
    ));
    assert!(!has_some(
        "productInstances.billingInfo.cycleDuration.count",
        arr([s("1")])
    ));

    // Dates as instants.
    let created = ts(1_000);
    let shifted = created
        .as_datetime()
        .with_timezone(&chrono::FixedOffset::west_opt(5 * 3600).unwrap())
        .to_rfc3339();
    assert!(has_some("productInstances.createdDate", arr([s(&shifted)])));
    assert!(has_all(
        "productInstances.updatedDate",
        arr([s(&ts(2_000).to_rfc3339()), s(&ts(3_000).to_rfc3339())])
    ));
    assert!(!has_some(
        "productInstances.createdDate",
        arr([s("not a date")])
    ));

    assert!(has_some("productInstances.countryCode", arr([s("US")])));
    assert!(!has_some("productInstances.countryCode", arr([s("us")])));
}

#[test]
fn whole_instances_compare_member_by_member() {
    let p = sample();
    let first = instance_to_value(&p.instances()[0]);
    assert!(matches(
        Value::condition("productInstances", "$hasSome", arr([first.clone()])),
        &p
    ));
    let Value::Object(mut altered) = first.clone() else {
        panic!()
    };
    altered.insert("countryCode".into(), s("DE"));
    assert!(!matches(
        Value::condition(
            "productInstances",
            "$hasSome",
            arr([Value::Object(altered.clone())])
        ),
        &p
    ));
    altered.remove("countryCode");
    assert!(!matches(
        Value::condition(
            "productInstances",
            "$hasSome",
            arr([Value::Object(altered)])
        ),
        &p
    ));
    // Upper-case GUIDs and another offset still denote the same instance.
    let Value::Object(mut same) = first else {
        panic!()
    };
    let id = same["instanceId"].as_str().unwrap().to_ascii_uppercase();
    same.insert("instanceId".into(), Value::from(id));
    let shifted = ts(9_000)
        .as_datetime()
        .with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap())
        .to_rfc3339();
    same.insert("expirationDate".into(), Value::from(shifted));
    assert!(matches(
        Value::condition("productInstances", "$hasAll", arr([Value::Object(same)])),
        &p
    ));
}

#[test]
fn logical_operators() {
    let p = sample();
    let yes = Value::condition("externalId", "$exists", Value::Bool(true));
    let no = Value::condition("externalId", "$exists", Value::Bool(false));
    assert!(matches(
        Value::object([("$and", arr([yes.clone(), yes.clone()]))]),
        &p
    ));
    assert!(!matches(
        Value::object([("$and", arr([yes.clone(), no.clone()]))]),
        &p
    ));
    assert!(matches(
        Value::object([("$or", arr([no.clone(), yes.clone()]))]),
        &p
    ));
    assert!(!matches(
        Value::object([("$or", arr([no.clone(), no.clone()]))]),
        &p
    ));
    assert!(matches(Value::object([("$not", no.clone())]), &p));
    assert!(!matches(Value::object([("$not", yes)]), &p));
    assert!(matches(Value::Object(Default::default()), &p));
    assert!(!Filter::Or(vec![]).matches(&p));
    assert!(Filter::And(vec![]).matches(&p));
}

#[test]
fn instance_wire_shape() {
    let p = sample();
    let rich = instance_to_value(&p.instances()[0]);
    let expected = Value::object([
        ("instanceId", s(&guid(0x1001).to_string())),
        ("siteId", s(&guid(0x3000).to_string())),
        ("catalogProductId", s(&guid(0x2000).to_string())),
        ("status", s("ENABLED")),
        (
            "billingInfo",
            Value::object([
                ("type", s("RECURRING")),
                (
                    "cycleDuration",
                    Value::object([("unit", s("YEAR")), ("count", Value::from(1))]),
                ),
            ]),
        ),
        ("countryCode", s("US")),
        ("discountCode", s("SALE")),
        ("createdDate", s(&ts(1_000).to_rfc3339())),
        ("updatedDate", s(&ts(2_000).to_rfc3339())),
        ("expirationDate", s(&ts(9_000).to_rfc3339())),
    ]);
    assert_eq!(rich, expected);
    assert!(ts(1_000).to_rfc3339().ends_with('Z'));
    let failed = instance_to_value(&p.instances()[1]);
    let expected = Value::object([
        ("instanceId", s(&guid(0x1002).to_string())),
        ("catalogProductId", s(&guid(0x2000).to_string())),
        ("status", s("FAILED")),
        (
            "failure",
            Value::object([("code", s("DELIVERY_TIMEOUT")), ("message", s("too slow"))]),
        ),
        ("billingInfo", Value::object([("type", s("ONE_TIME"))])),
        ("referenceProductInstanceId", s(&guid(0x1001).to_string())),
        ("createdDate", s(&ts(3_000).to_rfc3339())),
        ("updatedDate", s(&ts(3_000).to_rfc3339())),
    ]);
    assert_eq!(failed, expected);
    let mut weekly = parts(3);
    weekly.billing = Some(Billing::Recurring(Cycle::new(
        CycleUnit::Week,
        NonZeroU32::new(2).unwrap(),
    )));
    let v = instance_to_value(&ProductInstance::from_parts(weekly));
    assert_eq!(
        v.get("billingInfo")
            .and_then(|b| b.get("cycleDuration"))
            .and_then(|c| c.get("count")),
        Some(&Value::from(2))
    );
}

// --------------------------------------------------------------- sort

fn raw_sort(entries: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    entries
        .iter()
        .map(|(f, o)| ((*f).to_owned(), o.map(str::to_owned)))
        .collect()
}

#[test]
fn sort_defaults_orders_and_ties() {
    let a = pkg(3, None, 100, 500, vec![parts(1)]);
    let b = pkg(1, None, 100, 400, vec![parts(1)]);
    let c = pkg(2, None, 200, 400, vec![parts(1)]);
    let order = |sort: &Sort| {
        let mut v = [&a, &b, &c];
        v.sort_by(|x, y| sort.compare(x, y));
        v.iter().map(|p| p.id()).collect::<Vec<_>>()
    };
    let id = |n| PackageId::from_uuid(guid(n));
    let default = Sort::from_wire(&[]).unwrap();
    assert!(default.is_default());
    assert_eq!(
        default.specs(),
        &[SortSpec::new(SortField::CreatedDate, SortOrder::Desc)]
    );
    // createdDate DESC, ties by id ascending.
    assert_eq!(order(&default), vec![id(2), id(1), id(3)]);
    // A missing order is ASC.
    let asc = Sort::from_wire(&raw_sort(&[("updatedDate", None)])).unwrap();
    assert_eq!(order(&asc), vec![id(1), id(2), id(3)]);
    let two = Sort::from_wire(&raw_sort(&[
        ("updatedDate", Some("DESC")),
        ("createdDate", Some("ASC")),
    ]))
    .unwrap();
    assert_eq!(order(&two), vec![id(3), id(1), id(2)]);
    // A repeated field is dropped.
    let dup = Sort::from_wire(&raw_sort(&[
        ("createdDate", Some("ASC")),
        ("createdDate", Some("DESC")),
    ]))
    .unwrap();
    assert_eq!(
        dup.specs(),
        &[SortSpec::new(SortField::CreatedDate, SortOrder::Asc)]
    );
    assert_eq!(Sort::new(vec![]), Sort::default());
    // compare_to a position: Equal exactly at the boundary item.
    let pos = Position::of(&default, &b);
    assert_eq!(default.compare_to(&b, &pos), std::cmp::Ordering::Equal);
    assert_eq!(default.compare_to(&c, &pos), std::cmp::Ordering::Less);
    assert_eq!(default.compare_to(&a, &pos), std::cmp::Ordering::Greater);
    assert!(Boundary::exclusive(pos.clone(), Direction::Next).admits(&default, &a));
    assert!(!Boundary::exclusive(pos.clone(), Direction::Next).admits(&default, &b));
    assert!(
        Boundary {
            position: pos,
            direction: Direction::Next,
            inclusive: true
        }
        .admits(&default, &b)
    );
}

#[test]
fn sort_refusals() {
    match Sort::from_wire(&raw_sort(&[("createdDate", Some("asc"))])) {
        Err(QueryError::Field(fv)) => {
            assert_eq!(fv.field, "query.sort[0].order");
            assert_eq!(fv.rule, RuleType::InvalidEnumValue);
        }
        other => panic!("{other:?}"),
    }
    match Sort::from_wire(&raw_sort(&[
        ("createdDate", None),
        ("updatedDate", Some("")),
    ])) {
        Err(QueryError::Field(fv)) => assert_eq!(fv.field, "query.sort[1].order"),
        other => panic!("{other:?}"),
    }
    for name in [
        "id",
        "externalId",
        "productInstances.createdDate",
        "_createdDate",
        "nope",
    ] {
        assert!(
            matches!(
                Sort::from_wire(&raw_sort(&[(name, None)])),
                Err(QueryError::InvalidQuery(_))
            ),
            "{name}"
        );
    }
}

// ------------------------------------------------------------- paging

fn cursor_paging(limit: Option<u32>, cursor: Option<&str>) -> Paging {
    Paging::Cursor {
        limit,
        cursor: cursor.map(str::to_owned),
    }
}

#[test]
fn paging_limits_and_conflicts() {
    let q = PackageQuery::new(None, vec![], vec![]).unwrap();
    assert_eq!(q.paging().limit(), DEFAULT_CURSOR_LIMIT);
    let q = PackageQuery::new(None, vec![], vec![cursor_paging(Some(0), None)]).unwrap();
    assert_eq!(q.paging().limit(), 100);
    let q = PackageQuery::new(
        None,
        vec![],
        vec![Paging::Offset {
            limit: Some(0),
            offset: None,
        }],
    )
    .unwrap();
    assert_eq!(q.paging().limit(), DEFAULT_OFFSET_LIMIT);
    assert_eq!(q.paging().offset(), Some(0));
    assert!(PackageQuery::new(None, vec![], vec![cursor_paging(Some(100), None)]).is_ok());

    for (paging, path) in [
        (cursor_paging(Some(101), None), "query.cursorPaging.limit"),
        (
            Paging::Offset {
                limit: Some(1000),
                offset: Some(3),
            },
            "query.paging.limit",
        ),
    ] {
        match PackageQuery::new(None, vec![], vec![paging]) {
            Err(QueryError::Field(fv)) => {
                assert_eq!(fv.field, path);
                assert_eq!(fv.rule, RuleType::Max);
            }
            other => panic!("{other:?}"),
        }
    }
    let both = vec![
        cursor_paging(None, None),
        Paging::Offset {
            limit: None,
            offset: None,
        },
    ];
    assert!(matches!(
        PackageQuery::new(None, vec![], both),
        Err(QueryError::InvalidQuery(_))
    ));

    let with_filter = PackageQuery::new(
        Some(Value::object([("externalId", s("a"))])),
        vec![],
        vec![cursor_paging(None, Some("abc"))],
    );
    assert!(matches!(with_filter, Err(QueryError::InvalidCursor(_))));
    let with_sort = PackageQuery::new(
        None,
        raw_sort(&[("createdDate", None)]),
        vec![cursor_paging(None, Some("abc"))],
    );
    assert!(matches!(with_sort, Err(QueryError::InvalidCursor(_))));
    // An empty filter or a null one is no filter; an empty cursor is no cursor.
    assert!(
        PackageQuery::new(
            Some(Value::Object(Default::default())),
            vec![],
            vec![cursor_paging(None, Some("abc"))]
        )
        .is_ok()
    );
    assert!(
        PackageQuery::new(
            Some(Value::Null),
            vec![],
            vec![cursor_paging(None, Some("abc"))]
        )
        .is_ok()
    );
    let q = PackageQuery::new(
        Some(Value::object([("externalId", s("a"))])),
        vec![],
        vec![cursor_paging(None, Some(""))],
    )
    .unwrap();
    assert_eq!(q.paging().cursor(), None);
    // The filter and the sort are validated.
    assert!(matches!(
        PackageQuery::new(Some(Value::object([("x", s("a"))])), vec![], vec![]),
        Err(QueryError::InvalidQuery(_))
    ));
    assert!(matches!(
        PackageQuery::new(None, raw_sort(&[("id", None)]), vec![]),
        Err(QueryError::InvalidQuery(_))
    ));
    // Typed construction checks the same things.
    assert!(matches!(
        PackageQuery::from_parts(
            Some(Filter::everything()),
            None,
            cursor_paging(None, Some("x"))
        ),
        Err(QueryError::InvalidCursor(_))
    ));
    assert!(matches!(
        PackageQuery::from_parts(None, None, cursor_paging(Some(500), None)),
        Err(QueryError::Field(_))
    ));
}

#[test]
fn query_errors_map_to_violations() {
    let v: Violation = QueryError::InvalidQuery("bad".into()).into();
    assert_eq!(
        v,
        Violation::InvalidQuery {
            reason: "bad".into()
        }
    );
    assert_eq!(v.code(), crate::error::ErrorCode::InvalidQuery);
    let v: Violation = QueryError::InvalidCursor("bad".into()).into();
    assert_eq!(
        v,
        Violation::InvalidCursor {
            reason: "bad".into()
        }
    );
    assert_eq!(v.http_status(), 400);
    let fv = crate::error::FieldViolation::new("query.paging.limit", RuleType::Max, "too big");
    let v: Violation = QueryError::Field(fv.clone()).into();
    assert_eq!(v, Violation::InvalidFields(vec![fv]));
}

// ------------------------------------------------------------- running

fn many(n: u128) -> Vec<Package> {
    (1..=n)
        .map(|i| {
            let mut inst = parts(1);
            inst.status = if i % 2 == 0 {
                InstanceStatus::Enabled
            } else {
                InstanceStatus::Pending
            };
            pkg(i, None, i64::try_from(i % 4).unwrap() * 1000, 0, vec![inst])
        })
        .collect()
}

#[test]
fn offset_paging_returns_total_and_no_cursors() {
    let packages = many(10);
    let q = PackageQuery::new(
        Some(Value::condition(
            "productInstances.status",
            "$hasSome",
            arr([s("ENABLED")]),
        )),
        raw_sort(&[("createdDate", Some("ASC"))]),
        vec![Paging::Offset {
            limit: Some(2),
            offset: Some(1),
        }],
    )
    .unwrap();
    let page = run_query(&q, &KEY, &packages).unwrap();
    assert_eq!(page.total, Some(5));
    assert_eq!(page.offset, Some(1));
    assert_eq!(page.next_cursor, None);
    assert_eq!(page.prev_cursor, None);
    // ENABLED: 2,4,6,8,10 with created (i%4)*1000: 2->2000, 4->0, 6->2000, 8->0, 10->2000.
    let ids: Vec<_> = page.packages.iter().map(|p| p.id()).collect();
    assert_eq!(
        ids,
        vec![PackageId::from_uuid(guid(8)), PackageId::from_uuid(guid(2))]
    );
    let q = PackageQuery::new(
        None,
        vec![],
        vec![Paging::Offset {
            limit: None,
            offset: Some(1_000),
        }],
    )
    .unwrap();
    let page = run_query(&q, &KEY, &packages).unwrap();
    assert!(page.packages.is_empty());
    assert_eq!(page.total, Some(10));
}

#[test]
fn cursor_paging_walks_and_refuses_bad_cursors() {
    let packages = many(5);
    let first = PackageQuery::new(None, vec![], vec![cursor_paging(Some(2), None)]).unwrap();
    let page = run_query(&first, &KEY, &packages).unwrap();
    assert_eq!(page.packages.len(), 2);
    assert_eq!(page.prev_cursor, None);
    assert_eq!(page.total, None);
    let next = page.next_cursor.clone().unwrap();
    // Another key does not open it.
    let other = CursorKey::new([9; 16]);
    let q = PackageQuery::new(None, vec![], vec![cursor_paging(Some(2), Some(&next))]).unwrap();
    assert!(matches!(
        run_query(&q, &other, &packages),
        Err(QueryError::InvalidCursor(_))
    ));
    let page2 = run_query(&q, &KEY, &packages).unwrap();
    assert_eq!(page2.packages.len(), 2);
    assert!(page2.prev_cursor.is_some());
    // A limit covering the rest leaves no next cursor.
    let q = PackageQuery::new(None, vec![], vec![cursor_paging(Some(3), Some(&next))]).unwrap();
    let rest = run_query(&q, &KEY, &packages).unwrap();
    assert_eq!(rest.packages.len(), 3);
    assert_eq!(rest.next_cursor, None);
    // Everything on one page: no cursors at all.
    let all = PackageQuery::new(None, vec![], vec![]).unwrap();
    let page = run_query(&all, &KEY, &packages).unwrap();
    assert_eq!(
        (page.packages.len(), page.next_cursor, page.prev_cursor),
        (5, None, None)
    );
    // No match: an empty page without cursors.
    let none = PackageQuery::new(
        Some(Value::condition("externalId", "$exists", Value::Bool(true))),
        vec![],
        vec![],
    )
    .unwrap();
    assert!(
        run_query(&none, &KEY, &packages)
            .unwrap()
            .packages
            .is_empty()
    );
    // Garbage.
    for bad in [
        "x",
        "!!!!",
        "AAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let q = PackageQuery::new(None, vec![], vec![cursor_paging(None, Some(bad))]).unwrap();
        assert!(
            matches!(
                run_query(&q, &KEY, &packages),
                Err(QueryError::InvalidCursor(_))
            ),
            "{bad}"
        );
    }
}

#[test]
fn a_cursor_keeps_the_filter_and_sort_of_its_query() {
    let packages = many(10);
    let q = PackageQuery::new(
        Some(Value::condition(
            "productInstances.status",
            "$hasSome",
            arr([s("PENDING")]),
        )),
        raw_sort(&[("createdDate", Some("ASC"))]),
        vec![cursor_paging(Some(2), None)],
    )
    .unwrap();
    let page = run_query(&q, &KEY, &packages).unwrap();
    let cursor = Cursor::decode(page.next_cursor.as_deref().unwrap(), &KEY).unwrap();
    assert_eq!(cursor.filter.as_ref(), q.filter());
    assert_eq!(&cursor.sort, q.sort());
    assert_eq!(cursor.boundary.direction, Direction::Next);
    assert_eq!(cursor.boundary.position.id(), page.packages[1].id());
    let mut seen: Vec<PackageId> = page.packages.iter().map(|p| p.id()).collect();
    let mut next = page.next_cursor;
    while let Some(c) = next {
        let q = PackageQuery::new(None, vec![], vec![cursor_paging(Some(2), Some(&c))]).unwrap();
        let page = run_query(&q, &KEY, &packages).unwrap();
        seen.extend(page.packages.iter().map(|p| p.id()));
        next = page.next_cursor;
    }
    // PENDING: odd ids; created (i%4)*1000: 1->1000, 3->3000, 5->1000, 7->3000, 9->1000.
    let expected: Vec<_> = [1, 5, 9, 3, 7]
        .into_iter()
        .map(|n| PackageId::from_uuid(guid(n)))
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn an_empty_page_turns_around_at_its_boundary() {
    let packages = many(4);
    let sort = Sort::new([SortSpec::new(SortField::CreatedDate, SortOrder::Asc)]);
    // A next cursor after package 4 (the last in this order: created 0,1000,2000,3000? no:
    // created (i%4)*1000 -> 1:1000, 2:2000, 3:3000, 4:0), i.e. after package 3.
    let last = packages
        .iter()
        .find(|p| p.id() == PackageId::from_uuid(guid(3)))
        .unwrap();
    let cursor = Cursor {
        filter: None,
        sort: sort.clone(),
        boundary: Boundary::exclusive(Position::of(&sort, last), Direction::Next),
    };
    let q = PackageQuery::new(
        None,
        vec![],
        vec![cursor_paging(Some(2), Some(&cursor.encode(&KEY)))],
    )
    .unwrap();
    let page = run_query(&q, &KEY, &packages).unwrap();
    assert!(page.packages.is_empty());
    assert_eq!(page.next_cursor, None);
    // Going back includes the boundary item itself.
    let prev = page.prev_cursor.unwrap();
    let q = PackageQuery::new(None, vec![], vec![cursor_paging(Some(2), Some(&prev))]).unwrap();
    let back = run_query(&q, &KEY, &packages).unwrap();
    let ids: Vec<_> = back.packages.iter().map(|p| p.id()).collect();
    assert_eq!(
        ids,
        vec![PackageId::from_uuid(guid(2)), PackageId::from_uuid(guid(3))]
    );
    assert!(back.prev_cursor.is_some());
    assert_eq!(back.next_cursor, None);

    // A prev cursor before the first item: the next cursor includes the boundary item.
    let first = packages
        .iter()
        .find(|p| p.id() == PackageId::from_uuid(guid(4)))
        .unwrap();
    let cursor = Cursor {
        filter: None,
        sort: sort.clone(),
        boundary: Boundary::exclusive(Position::of(&sort, first), Direction::Prev),
    };
    let q = PackageQuery::new(
        None,
        vec![],
        vec![cursor_paging(Some(3), Some(&cursor.encode(&KEY)))],
    )
    .unwrap();
    let page = run_query(&q, &KEY, &packages).unwrap();
    assert!(page.packages.is_empty());
    assert_eq!(page.prev_cursor, None);
    let q = PackageQuery::new(
        None,
        vec![],
        vec![cursor_paging(Some(3), Some(&page.next_cursor.unwrap()))],
    )
    .unwrap();
    let fwd = run_query(&q, &KEY, &packages).unwrap();
    let ids: Vec<_> = fwd.packages.iter().map(|p| p.id()).collect();
    assert_eq!(
        ids,
        [4, 1, 2].map(|n| PackageId::from_uuid(guid(n))).to_vec()
    );
}

#[test]
fn the_largest_filter_still_makes_a_cursor_that_opens() {
    // Near every limit at once: many nodes, much text, deep operands.
    let text = "é".repeat((MAX_FILTER_TEXT_BYTES / MAX_OPERAND_DEPTH - 16) / 2);
    let mut deep = Value::from(text.clone());
    for _ in 1..MAX_OPERAND_DEPTH {
        deep = Value::object([(text.clone(), deep)]);
    }
    let mut filter = Value::condition("productInstances", "$hasSome", arr([deep]));
    let numbers = Value::array((0..1_010).map(|i| Value::from(f64::from(i) + 0.5)));
    filter = Value::object([(
        "$and",
        arr([
            filter,
            Value::condition(
                "productInstances.billingInfo.cycleDuration.count",
                "$hasAll",
                numbers,
            ),
        ]),
    )]);
    let f = Filter::from_value(&filter).unwrap();
    let sort = Sort::new([
        SortSpec::new(SortField::UpdatedDate, SortOrder::Desc),
        SortSpec::new(SortField::CreatedDate, SortOrder::Asc),
    ]);
    let p = sample();
    let cursor = Cursor {
        filter: Some(f),
        sort: sort.clone(),
        boundary: Boundary::exclusive(Position::of(&sort, &p), Direction::Prev),
    };
    let text = cursor.encode(&KEY);
    assert!(text.len() <= MAX_CURSOR_CHARS);
    assert_eq!(Cursor::decode(&text, &KEY).unwrap(), cursor);
}

// ---------------------------------------------------- siphash, base64

/// The 64 SipHash-2-4 reference vectors (paper, appendix; reference `vectors.h`):
/// key 00..0f, message 00..(n-1) for n = 0..63.
const SIPHASH_VECTORS: [u64; 64] = [
    0x726fdb47dd0e0e31,
    0x74f839c593dc67fd,
    0x0d6c8009d9a94f5a,
    0x85676696d7fb7e2d,
    0xcf2794e0277187b7,
    0x18765564cd99a68d,
    0xcbc9466e58fee3ce,
    0xab0200f58b01d137,
    0x93f5f5799a932462,
    0x9e0082df0ba9e4b0,
    0x7a5dbbc594ddb9f3,
    0xf4b32f46226bada7,
    0x751e8fbc860ee5fb,
    0x14ea5627c0843d90,
    0xf723ca908e7af2ee,
    0xa129ca6149be45e5,
    0x3f2acc7f57c29bdb,
    0x699ae9f52cbe4794,
    0x4bc1b3f0968dd39c,
    0xbb6dc91da77961bd,
    0xbed65cf21aa2ee98,
    0xd0f2cbb02e3b67c7,
    0x93536795e3a33e88,
    0xa80c038ccd5ccec8,
    0xb8ad50c6f649af94,
    0xbce192de8a85b8ea,
    0x17d835b85bbb15f3,
    0x2f2e6163076bcfad,
    0xde4daaaca71dc9a5,
    0xa6a2506687956571,
    0xad87a3535c49ef28,
    0x32d892fad841c342,
    0x7127512f72f27cce,
    0xa7f32346f95978e3,
    0x12e0b01abb051238,
    0x15e034d40fa197ae,
    0x314dffbe0815a3b4,
    0x027990f029623981,
    0xcadcd4e59ef40c4d,
    0x9abfd8766a33735c,
    0x0e3ea96b5304a7d0,
    0xad0c42d6fc585992,
    0x187306c89bc215a9,
    0xd4a60abcf3792b95,
    0xf935451de4f21df2,
    0xa9538f0419755787,
    0xdb9acddff56ca510,
    0xd06c98cd5c0975eb,
    0xe612a3cb9ecba951,
    0xc766e62cfcadaf96,
    0xee64435a9752fe72,
    0xa192d576b245165a,
    0x0a8787bf8ecb74b2,
    0x81b3e73d20b49b6f,
    0x7fa8220ba3b2ecea,
    0x245731c13ca42499,
    0xb78dbfaf3a8d83bd,
    0xea1ad565322a1a0b,
    0x60e61c23a3795013,
    0x6606d7e446282b93,
    0x6ca4ecb15c5f91e1,
    0x9f626da15c9625f3,
    0xe51b38608ef25f57,
    0x958a324ceb064572,
];

#[test]
fn siphash_reference_vectors() {
    let key: [u8; 16] = std::array::from_fn(|i| u8::try_from(i).unwrap());
    let message: Vec<u8> = (0u8..64).collect();
    for (n, expected) in SIPHASH_VECTORS.iter().enumerate() {
        assert_eq!(
            super::siphash::siphash24(&key, &message[..n]),
            *expected,
            "n = {n}"
        );
    }
}

#[test]
fn base64url_known_answers() {
    use super::base64::{DecodeError, decode, encode};
    for (plain, coded) in [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(encode(plain.as_bytes()), coded);
        assert_eq!(decode(coded).unwrap(), plain.as_bytes());
    }
    assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "-_-_");
    assert_eq!(decode("-_-_").unwrap(), vec![0xfb, 0xff, 0xbf]);
    assert_eq!(decode("Zm8="), Err(DecodeError::BadCharacter));
    assert_eq!(decode("Zm+v"), Err(DecodeError::BadCharacter));
    assert_eq!(decode("Zm9vY"), Err(DecodeError::BadLength));
    assert_eq!(decode("Zh"), Err(DecodeError::NonCanonical));
    assert_eq!(decode("Zm9"), Err(DecodeError::NonCanonical));
}

#[test]
fn a_condition_is_a_field_holding_one_operator_and_its_operand() {
    assert_eq!(
        Value::condition("state", "$in", ["ACTIVE", "TRASHED"]),
        Value::object([(
            "state",
            Value::object([(
                "$in",
                Value::array([Value::from("ACTIVE"), Value::from("TRASHED")]),
            )]),
        )]),
    );
    assert_eq!(
        Value::condition("published", "$eq", true),
        Value::object([("published", Value::object([("$eq", Value::Bool(true))]))]),
    );
}
