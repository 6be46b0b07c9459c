//! A naive reference for the filter semantics, written independently of the module:
//! it renders a package as the API writes it and evaluates the filter in its Wix
//! query-language form (`Filter::to_value`) over that rendering.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::billing::Billing;
use crate::package::Package;
use crate::query::Value;

fn text(s: impl ToString) -> Value {
    Value::String(s.to_string())
}

/// The package as the API writes it.
pub(super) fn render_package(p: &Package) -> Value {
    let mut m = BTreeMap::new();
    m.insert("id".to_owned(), text(p.id()));
    m.insert("accountId".to_owned(), text(p.account_id()));
    if let Some(e) = p.external_id() {
        m.insert("externalId".to_owned(), text(e.as_str()));
    }
    m.insert("createdDate".to_owned(), text(p.created().to_rfc3339()));
    m.insert("updatedDate".to_owned(), text(p.updated().to_rfc3339()));
    let instances = p
        .instances()
        .iter()
        .map(|i| {
            let mut o = BTreeMap::new();
            o.insert("instanceId".to_owned(), text(i.id()));
            if let Some(site) = i.site() {
                o.insert("siteId".to_owned(), text(site));
            }
            o.insert("catalogProductId".to_owned(), text(i.catalog_product_id()));
            o.insert("status".to_owned(), text(i.status().name()));
            if let Some(f) = i.status().failure() {
                let mut fo = BTreeMap::new();
                fo.insert("code".to_owned(), text(f.code.as_str()));
                fo.insert("message".to_owned(), text(&f.message));
                o.insert("failure".to_owned(), Value::Object(fo));
            }
            if let Some(b) = i.billing() {
                let mut bo = BTreeMap::new();
                match b {
                    Billing::OneTime => {
                        bo.insert("type".to_owned(), text("ONE_TIME"));
                    }
                    Billing::Recurring(c) => {
                        bo.insert("type".to_owned(), text("RECURRING"));
                        let mut co = BTreeMap::new();
                        co.insert("unit".to_owned(), text(c.unit().as_str()));
                        co.insert(
                            "count".to_owned(),
                            Value::Number(f64::from(c.count().get())),
                        );
                        bo.insert("cycleDuration".to_owned(), Value::Object(co));
                    }
                }
                o.insert("billingInfo".to_owned(), Value::Object(bo));
            }
            if let Some(c) = i.country_code() {
                o.insert("countryCode".to_owned(), text(c));
            }
            if let Some(d) = i.discount_code() {
                o.insert("discountCode".to_owned(), text(d));
            }
            if let Some(r) = i.reference() {
                o.insert("referenceProductInstanceId".to_owned(), text(r));
            }
            o.insert("createdDate".to_owned(), text(i.created().to_rfc3339()));
            o.insert("updatedDate".to_owned(), text(i.updated().to_rfc3339()));
            if let Some(x) = i.expiration() {
                o.insert("expirationDate".to_owned(), text(x.to_rfc3339()));
            }
            Value::Object(o)
        })
        .collect();
    m.insert("productInstances".to_owned(), Value::Array(instances));
    Value::Object(m)
}

fn instant(v: &Value) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(v.as_str()?)
        .ok()
        .map(|d| d.to_utc())
}

/// Stored value `have` (as rendered, GUIDs lower case) equals operand `want`, for a
/// member named `name`.
fn same(name: &str, have: &Value, want: &Value) -> bool {
    match name {
        "id"
        | "accountId"
        | "instanceId"
        | "siteId"
        | "catalogProductId"
        | "referenceProductInstanceId" => match (have.as_str(), want.as_str()) {
            (Some(h), Some(w)) => w.len() == 36 && w.to_ascii_lowercase() == h,
            _ => false,
        },
        "createdDate" | "updatedDate" | "expirationDate" => {
            matches!((instant(have), instant(want)), (Some(a), Some(b)) if a == b)
        }
        "status" | "type" | "unit" | "code" => match (have.as_str(), want.as_str()) {
            (Some(h), Some(w)) => h.eq_ignore_ascii_case(w),
            _ => have == want,
        },
        _ => match (have, want) {
            (Value::Object(a), Value::Object(b)) => {
                a.keys().eq(b.keys()) && a.iter().all(|(k, x)| same(k, x, &b[k]))
            }
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same("", x, y))
            }
            (Value::Number(a), Value::Number(b)) => a == b,
            _ => have == want,
        },
    }
}

/// Evaluates a filter in explicit form (as `Filter::to_value` writes it).
pub(super) fn eval(filter: &Value, package: &Value) -> bool {
    let Value::Object(members) = filter else {
        panic!("filter {filter:?}")
    };
    members.iter().all(|(key, member)| match key.as_str() {
        "$and" => member.as_array().unwrap().iter().all(|f| eval(f, package)),
        "$or" => member.as_array().unwrap().iter().any(|f| eval(f, package)),
        "$not" => !eval(member, package),
        field => member
            .as_object()
            .unwrap()
            .iter()
            .all(|(op, operand)| condition(field, op, operand, package)),
    })
}

fn condition(field: &str, op: &str, operand: &Value, package: &Value) -> bool {
    if let Some(rest) = field.strip_prefix("productInstances") {
        let path: Vec<&str> = rest.split('.').filter(|s| !s.is_empty()).collect();
        let name = path.last().copied().unwrap_or("");
        let mut values = Vec::new();
        for instance in package.get("productInstances").unwrap().as_array().unwrap() {
            let mut v = Some(instance);
            for seg in &path {
                v = v.and_then(|x| x.get(seg));
            }
            values.extend(v);
        }
        let listed = operand.as_array().unwrap();
        let found = |w: &Value| values.iter().any(|h| same(name, h, w));
        return match op {
            "$hasSome" => listed.iter().any(found),
            "$hasAll" => listed.iter().all(found),
            _ => panic!("{op}"),
        };
    }
    let have = package.get(field);
    let eq = |w: &Value| have.is_some_and(|h| same(field, h, w));
    match op {
        "$eq" => eq(operand),
        "$ne" => !eq(operand),
        "$in" => operand.as_array().unwrap().iter().any(eq),
        "$exists" => have.is_some() == operand.as_bool().unwrap(),
        _ => {
            let h = instant(have.unwrap()).unwrap();
            let w = instant(operand).unwrap();
            match op {
                "$gt" => h > w,
                "$gte" => h >= w,
                "$lt" => h < w,
                "$lte" => h <= w,
                _ => panic!("{op}"),
            }
        }
    }
}
