//! The typed helpers build what the parser builds from Wix's JSON.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use super::*;

fn parsed(json: Value) -> Filter {
    Filter::from_value(&json).unwrap()
}

fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

#[test]
fn each_helper_equals_the_parsed_filter() {
    let ext = ExternalId::new("order-1").unwrap();
    assert_eq!(
        Filter::external_id(&ext),
        parsed(obj(&[("externalId", obj(&[("$eq", s("order-1"))]))]))
    );
    let site = SiteId::parse("51000000-0000-4000-8000-000000000002").unwrap();
    assert_eq!(
        Filter::site(site),
        parsed(obj(&[(
            "productInstances.siteId",
            obj(&[("$hasSome", Value::Array(vec![s(&site.to_string())]))])
        )]))
    );
    assert_eq!(
        Filter::status(StatusName::Enabled),
        parsed(obj(&[(
            "productInstances.status",
            obj(&[("$hasSome", Value::Array(vec![s("ENABLED")]))])
        )]))
    );
    let at = Timestamp::parse_rfc3339("2024-03-01T10:00:00.250Z").unwrap();
    assert_eq!(
        Filter::updated_since(at),
        parsed(obj(&[(
            "updatedDate",
            obj(&[("$gte", s("2024-03-01T10:00:00.250Z"))])
        )]))
    );
    assert_eq!(
        PackageQuery::updated_since(at).filter(),
        Some(&Filter::updated_since(at))
    );
    let account = AccountId::parse("a1000000-0000-4000-8000-000000000002").unwrap();
    assert_eq!(
        Filter::account(account),
        parsed(obj(&[(
            "accountId",
            obj(&[("$eq", s(&account.to_string()))])
        )]))
    );
}

#[test]
fn and_flattens_and_queries_keep_their_parts() {
    let account = AccountId::parse("a1000000-0000-4000-8000-000000000002").unwrap();
    let both = Filter::account(account)
        .and(Filter::status(StatusName::Pending))
        .and(Filter::status(StatusName::Enabled));
    assert!(matches!(&both, Filter::And(parts) if parts.len() == 3));
    let q = PackageQuery::matching(both.clone()).unwrap().page_size(500);
    assert_eq!(q.filter(), Some(&both));
    assert_eq!(q.paging().limit(), MAX_LIMIT);
    assert_eq!(
        PackageQuery::by_account(account)
            .page_size(0)
            .paging()
            .limit(),
        1
    );
    assert_eq!(PackageQuery::default().filter(), None);
    assert_eq!(
        PackageQuery::all(),
        PackageQuery::from_parts(None, None, Paging::default()).unwrap()
    );
}

#[test]
fn a_filter_over_the_limits_is_refused() {
    let site = SiteId::parse("51000000-0000-4000-8000-000000000002").unwrap();
    let huge = (0..super::super::MAX_FILTER_NODES + 1)
        .fold(Filter::And(Vec::new()), |f, _| f.and(Filter::site(site)));
    assert!(matches!(
        PackageQuery::matching(huge),
        Err(QueryError::InvalidQuery(_))
    ));
}
