//! A product instance as the API writes it on the wire, as a [`Value`]: what the
//! `productInstances.<path>` filters compare against.

use std::collections::BTreeMap;

use super::value::Value;
use crate::billing::Billing;
use crate::instance::ProductInstance;

/// The instance object with every wire field it has: `instanceId`, `siteId` (when
/// assigned), `catalogProductId`, `status`, `failure` (when failed), `billingInfo`
/// (when set; `ONE_TIME` has no `cycleDuration`), `countryCode`, `discountCode`,
/// `referenceProductInstanceId` (each when set), `createdDate`, `updatedDate`, and
/// `expirationDate` (when set). Ids are lower-case GUIDs, enums their wire names,
/// dates RFC 3339 UTC with milliseconds, the cycle count a number.
pub(crate) fn instance_to_value(instance: &ProductInstance) -> Value {
    let p = instance.parts();
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_owned(), v);
    };
    put("instanceId", Value::String(p.id.to_string()));
    if let Some(site) = p.assignment.site() {
        put("siteId", Value::String(site.to_string()));
    }
    put(
        "catalogProductId",
        Value::String(p.catalog_product_id.to_string()),
    );
    put("status", Value::from(p.status.name().as_str()));
    if let Some(failure) = p.status.failure() {
        put(
            "failure",
            Value::object([
                ("code", Value::from(failure.code.as_str())),
                ("message", Value::String(failure.message.clone())),
            ]),
        );
    }
    if let Some(billing) = p.billing {
        put("billingInfo", billing_to_value(billing));
    }
    if let Some(country) = p.country_code {
        put("countryCode", Value::from(country.as_str()));
    }
    if let Some(discount) = &p.discount_code {
        put("discountCode", Value::from(discount.as_str()));
    }
    if let Some(reference) = p.reference {
        put(
            "referenceProductInstanceId",
            Value::String(reference.to_string()),
        );
    }
    put("createdDate", Value::String(p.created.to_rfc3339()));
    put("updatedDate", Value::String(p.updated.to_rfc3339()));
    if let Some(expiration) = p.expiration {
        put("expirationDate", Value::String(expiration.to_rfc3339()));
    }
    Value::Object(m)
}

/// `billingInfo` as written on the wire.
fn billing_to_value(billing: Billing) -> Value {
    match billing {
        Billing::OneTime => Value::object([("type", Value::from("ONE_TIME"))]),
        Billing::Recurring(cycle) => Value::object([
            ("type", Value::from("RECURRING")),
            (
                "cycleDuration",
                Value::object([
                    ("unit", Value::from(cycle.unit().as_str())),
                    ("count", Value::from(cycle.count().get())),
                ]),
            ),
        ]),
    }
}
