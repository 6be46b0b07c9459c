//! The desired state as CSV (RFC 4180: commas, fields quoted with `"` and `""`
//! inside quotes, CRLF or LF): a header row naming the columns, then one row per
//! product. The rows of one external id form one subscription (they need not be
//! next to each other) and must agree on `accountId` and `status`; an ended
//! subscription's row may leave the product columns empty.
//!
//! Columns: `externalId`, `accountId`, `status`, `catalogProductId`, `billing`,
//! `countryCode`, `siteId`, `discountCode` (any order; unknown columns refused).

use std::collections::HashMap;

use super::catalog::Catalog;
use super::desired::{DesiredState, Errors, InvalidDesired, RawProduct, RawSubscription, finish};

const COLUMNS: [&str; 8] = [
    "externalId",
    "accountId",
    "status",
    "catalogProductId",
    "billing",
    "countryCode",
    "siteId",
    "discountCode",
];

/// One record: the line it starts on and its fields.
type Record = (usize, Vec<String>);

/// Splits `text` into records; a quote left open is an error on the line it opened.
fn records(text: &str, errors: &mut Errors) -> Vec<Record> {
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
                let row = std::mem::take(&mut fields);
                if !(row.len() == 1 && row.first().is_some_and(String::is_empty)) {
                    out.push((start, row));
                }
                line += 1;
                start = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        errors.add(start, "", "a quoted field is not closed");
    }
    if !field.is_empty() || !fields.is_empty() || was_quoted {
        fields.push(field);
        out.push((start, fields));
    }
    out
}

/// Reads a CSV desired state and checks it whole.
///
/// # Errors
/// [`InvalidDesired`] with every problem, by line and column.
pub fn parse_csv(text: &str, catalog: &Catalog) -> Result<DesiredState, InvalidDesired> {
    let mut errors = Errors::default();
    let mut rows = records(text.strip_prefix('\u{feff}').unwrap_or(text), &mut errors).into_iter();
    let Some((header_line, header)) = rows.next() else {
        errors.add(1, "", "no header row");
        return finish(Vec::new(), catalog, errors);
    };
    let before = errors.0.len();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if index.insert(c, i).is_some() => {
                errors.add(header_line, name, "column named twice");
            }
            Some(_) => {}
            None => errors.add(header_line, name, "unknown column"),
        }
    }
    for required in ["externalId", "accountId", "status"] {
        if !index.contains_key(required) {
            errors.add(header_line, required, "column missing");
        }
    }
    if errors.0.len() > before {
        return finish(Vec::new(), catalog, errors);
    }
    let mut subscriptions: Vec<RawSubscription> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (line, row) in rows {
        if row.len() != header.len() {
            errors.add(
                line,
                "",
                format_args!("{} fields, the header has {}", row.len(), header.len()),
            );
            continue;
        }
        let get = |name: &str| {
            index
                .get(name)
                .and_then(|i| row.get(*i))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let external_id = get("externalId");
        let product = RawProduct {
            line,
            prefix: String::new(),
            catalog_product_id: get("catalogProductId"),
            billing: get("billing"),
            country_code: get("countryCode"),
            site: get("siteId"),
            discount_code: get("discountCode"),
        };
        let has_product = product.catalog_product_id.is_some()
            || product.billing.is_some()
            || product.country_code.is_some()
            || product.site.is_some()
            || product.discount_code.is_some();
        let known = external_id.as_ref().and_then(|e| by_id.get(e).copied());
        match known.and_then(|i| subscriptions.get_mut(i)) {
            Some(s) => {
                for (name, mine) in [("accountId", &s.account), ("status", &s.status)] {
                    if get(name) != *mine {
                        errors.add(
                            line,
                            name,
                            format_args!("differs from line {} of the same externalId", s.line),
                        );
                    }
                }
                if has_product {
                    s.products.push(product);
                }
            }
            None => {
                if let Some(e) = &external_id {
                    by_id.insert(e.clone(), subscriptions.len());
                }
                subscriptions.push(RawSubscription {
                    line,
                    external_id,
                    account: get("accountId"),
                    status: get("status"),
                    products: if has_product {
                        vec![product]
                    } else {
                        Vec::new()
                    },
                });
            }
        }
    }
    finish(subscriptions, catalog, errors)
}
