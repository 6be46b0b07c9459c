//! The desired state: what the reseller's billing says each subscription is, read
//! from the file billing exports (JSON Lines here, CSV in `csv`), and checked whole
//! before anything is read from Wix. Every error names its line and field; one bad
//! line and nothing is planned.
//!
//! One JSON object per line (blank lines are skipped):
//!
//! ```json
//! {"externalId": "sub-1001", "accountId": "<GUID>", "status": "active",
//!  "products": [{"catalogProductId": "<GUID>", "billing": "yearly",
//!                "countryCode": "US", "siteId": "<GUID>", "discountCode": "SPRING"}]}
//! ```
//!
//! `status` is `active` or `ended`; an ended line needs no products. `billing` is
//! `monthly`, `yearly`, `one-time`, or `N-day`, `N-week`, `N-month`, `N-year`; it may
//! be left out when the product sells one cycle. No `siteId` means floating.
//! Unknown members are refused (a misspelt `siteID` must not mean "floating").

use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;

use reseller_domain::{
    AccountId, Billing, CatalogProductId, CountryCode, Cycle, CycleUnit, DiscountCode, ExternalId,
    ProductType, SiteId,
};
use serde_json::{Map, Value};

use super::catalog::Catalog;

/// Whether billing still charges for a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriptionStatus {
    /// The customer pays: Wix must hold exactly its products.
    Active,
    /// The subscription ended: nothing of it may stay live at Wix.
    Ended,
}

impl SubscriptionStatus {
    /// `active` or `ended`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Ended => "ended",
        }
    }
}

/// One product of a subscription, as billing sells it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DesiredProduct {
    /// `catalogProductId`
    pub catalog_product_id: CatalogProductId,
    /// The billing cycle (resolved: the product's only cycle when the line gave
    /// none).
    pub billing: Billing,
    /// `countryCode`
    pub country_code: CountryCode,
    /// `siteId`; `None` is floating.
    pub site: Option<SiteId>,
    /// `discountCode`, sent when the instance is created (or its product swapped).
    pub discount_code: Option<DiscountCode>,
}

/// One subscription: one line of the file (or the rows of one external id in CSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The line it was read from (1-based; its first row in CSV).
    pub line: usize,
    /// The package's `externalId`: the subscription's key.
    pub external_id: ExternalId,
    /// The account the package belongs to.
    pub account: AccountId,
    /// Active or ended.
    pub status: SubscriptionStatus,
    /// The products (at least one when active).
    pub products: Vec<DesiredProduct>,
}

/// The whole desired state, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DesiredState {
    subscriptions: Vec<Subscription>,
    by_external_id: HashMap<ExternalId, usize>,
}

impl DesiredState {
    /// The subscriptions, in file order.
    pub fn subscriptions(&self) -> &[Subscription] {
        &self.subscriptions
    }

    /// The subscription of an external id.
    pub fn get(&self, external_id: &ExternalId) -> Option<&Subscription> {
        self.by_external_id
            .get(external_id)
            .and_then(|i| self.subscriptions.get(*i))
    }

    /// How many subscriptions.
    pub fn len(&self) -> usize {
        self.subscriptions.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.subscriptions.is_empty()
    }

    /// Checks `subscriptions` as a whole (unique external ids, one product of a
    /// type per site, each add-on's prerequisite placed by an active subscription)
    /// and keeps them.
    ///
    /// # Errors
    /// Every [`DesiredError`] found.
    pub fn new(
        subscriptions: Vec<Subscription>,
        catalog: &Catalog,
    ) -> Result<Self, InvalidDesired> {
        let mut errors = Vec::new();
        check_across(&subscriptions, catalog, &mut errors);
        if !errors.is_empty() {
            return Err(InvalidDesired::new(errors));
        }
        let by_external_id = subscriptions
            .iter()
            .enumerate()
            .map(|(i, s)| (s.external_id.clone(), i))
            .collect();
        Ok(Self {
            subscriptions,
            by_external_id,
        })
    }
}

/// One problem of the desired-state file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredError {
    /// The line (1-based).
    pub line: usize,
    /// The field, as a dotted path (`products[0].countryCode`); empty for the line
    /// as a whole.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DesiredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(f, "line {}, {}: {}", self.line, self.field, self.message)
        }
    }
}

/// The desired-state file is invalid: nothing may be planned from it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InvalidDesired {
    /// Every problem found, by line.
    pub errors: Vec<DesiredError>,
}

impl InvalidDesired {
    fn new(mut errors: Vec<DesiredError>) -> Self {
        errors.sort_by_key(|e| e.line);
        Self { errors }
    }
}

impl fmt::Display for InvalidDesired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 20;
        write!(f, "the desired state has {} error(s)", self.errors.len())?;
        for e in self.errors.iter().take(SHOWN) {
            write!(f, "\n  {e}")?;
        }
        if self.errors.len() > SHOWN {
            write!(f, "\n  ... and {} more", self.errors.len() - SHOWN)?;
        }
        Ok(())
    }
}

/// Collects the errors of one parse.
#[derive(Debug, Default)]
pub(crate) struct Errors(pub(crate) Vec<DesiredError>);

impl Errors {
    /// Whether `field` of `line` has an error already.
    fn has(&self, line: usize, field: &str) -> bool {
        self.0.iter().any(|e| e.line == line && e.field == field)
    }

    pub(crate) fn add(
        &mut self,
        line: usize,
        field: impl Into<String>,
        message: impl fmt::Display,
    ) {
        self.0.push(DesiredError {
            line,
            field: field.into(),
            message: message.to_string(),
        });
    }
}

/// One product's text fields as read, before checking.
#[derive(Debug, Default)]
pub(crate) struct RawProduct {
    /// Its line.
    pub(crate) line: usize,
    /// The path of its fields (`products[0].` in JSON, empty in CSV).
    pub(crate) prefix: String,
    pub(crate) catalog_product_id: Option<String>,
    pub(crate) billing: Option<String>,
    pub(crate) country_code: Option<String>,
    pub(crate) site: Option<String>,
    pub(crate) discount_code: Option<String>,
}

/// One subscription's text fields as read, before checking.
#[derive(Debug, Default)]
pub(crate) struct RawSubscription {
    pub(crate) line: usize,
    pub(crate) external_id: Option<String>,
    pub(crate) account: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) products: Vec<RawProduct>,
}

/// Reads a JSON Lines desired state and checks it whole.
///
/// # Errors
/// [`InvalidDesired`] with every problem, by line and field.
pub fn parse_jsonl(text: &str, catalog: &Catalog) -> Result<DesiredState, InvalidDesired> {
    let mut errors = Errors::default();
    let mut raw = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(object)) => raw.push(raw_of_json(line_no, &object, &mut errors)),
            Ok(_) => errors.add(line_no, "", "not a JSON object"),
            Err(e) => errors.add(line_no, "", format_args!("not JSON: {e}")),
        }
    }
    finish(raw, catalog, errors)
}

/// Checks each raw subscription, then the whole.
pub(crate) fn finish(
    raw: Vec<RawSubscription>,
    catalog: &Catalog,
    mut errors: Errors,
) -> Result<DesiredState, InvalidDesired> {
    let subscriptions: Vec<_> = raw
        .into_iter()
        .filter_map(|r| check_subscription(r, catalog, &mut errors))
        .collect();
    if !errors.0.is_empty() {
        return Err(InvalidDesired::new(errors.0));
    }
    DesiredState::new(subscriptions, catalog)
}

const SUBSCRIPTION_FIELDS: [&str; 4] = ["externalId", "accountId", "status", "products"];
const PRODUCT_FIELDS: [&str; 5] = [
    "catalogProductId",
    "billing",
    "countryCode",
    "siteId",
    "discountCode",
];

fn raw_of_json(line: usize, object: &Map<String, Value>, errors: &mut Errors) -> RawSubscription {
    for key in object.keys() {
        if !SUBSCRIPTION_FIELDS.contains(&key.as_str()) {
            errors.add(line, key.clone(), "unknown member");
        }
    }
    let mut raw = RawSubscription {
        line,
        external_id: text_member(object, "externalId", "", line, errors),
        account: text_member(object, "accountId", "", line, errors),
        status: text_member(object, "status", "", line, errors),
        products: Vec::new(),
    };
    match object.get("products") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let prefix = format!("products[{i}].");
                let Value::Object(p) = item else {
                    errors.add(line, format!("products[{i}]"), "not an object");
                    continue;
                };
                for key in p.keys() {
                    if !PRODUCT_FIELDS.contains(&key.as_str()) {
                        errors.add(line, format!("{prefix}{key}"), "unknown member");
                    }
                }
                raw.products.push(RawProduct {
                    line,
                    catalog_product_id: text_member(p, "catalogProductId", &prefix, line, errors),
                    billing: text_member(p, "billing", &prefix, line, errors),
                    country_code: text_member(p, "countryCode", &prefix, line, errors),
                    site: text_member(p, "siteId", &prefix, line, errors),
                    discount_code: text_member(p, "discountCode", &prefix, line, errors),
                    prefix,
                });
            }
        }
        Some(_) => errors.add(line, "products", "not an array"),
    }
    raw
}

/// A string member; `null` is absent; any other type is an error.
fn text_member(
    object: &Map<String, Value>,
    name: &str,
    prefix: &str,
    line: usize,
    errors: &mut Errors,
) -> Option<String> {
    match object.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.add(line, format!("{prefix}{name}"), "not a string");
            None
        }
    }
}

fn check_subscription(
    raw: RawSubscription,
    catalog: &Catalog,
    errors: &mut Errors,
) -> Option<Subscription> {
    let line = raw.line;
    let before = errors.0.len();
    let external_id = match raw.external_id {
        None if errors.has(line, "externalId") => None,
        None => {
            errors.add(line, "externalId", "required");
            None
        }
        Some(t) => ExternalId::new(t)
            .map_err(|e| errors.add(line, "externalId", e))
            .ok(),
    };
    let account = match raw.account.as_deref() {
        None if errors.has(line, "accountId") => None,
        None => {
            errors.add(line, "accountId", "required");
            None
        }
        Some(t) => AccountId::parse(t)
            .map_err(|e| errors.add(line, "accountId", e))
            .ok(),
    };
    let status = match raw.status.as_deref().map(str::trim) {
        None if errors.has(line, "status") => None,
        None => {
            errors.add(line, "status", "required: active or ended");
            None
        }
        Some(t) if t.eq_ignore_ascii_case("active") => Some(SubscriptionStatus::Active),
        Some(t) if t.eq_ignore_ascii_case("ended") => Some(SubscriptionStatus::Ended),
        Some(t) => {
            errors.add(line, "status", format_args!("{t:?}: not active or ended"));
            None
        }
    };
    if status == Some(SubscriptionStatus::Active)
        && raw.products.is_empty()
        && !errors.has(line, "products")
    {
        errors.add(
            line,
            "products",
            "an active subscription needs at least one product",
        );
    }
    if raw.products.len() > 1000 {
        errors.add(
            line,
            "products",
            "at most 1000 products (a package's limit)",
        );
    }
    let products: Vec<_> = raw
        .products
        .into_iter()
        .filter_map(|p| check_product(p, catalog, errors))
        .collect();
    if errors.0.len() == before {
        check_within(line, &products, catalog, errors);
    }
    if errors.0.len() > before {
        return None;
    }
    Some(Subscription {
        line,
        external_id: external_id?,
        account: account?,
        status: status?,
        products,
    })
}

fn check_product(
    raw: RawProduct,
    catalog: &Catalog,
    errors: &mut Errors,
) -> Option<DesiredProduct> {
    let (line, prefix) = (raw.line, raw.prefix);
    let field = |name: &str| format!("{prefix}{name}");
    let before = errors.0.len();
    let product = match raw.catalog_product_id.as_deref() {
        None if errors.has(line, &field("catalogProductId")) => None,
        None => {
            errors.add(line, field("catalogProductId"), "required");
            None
        }
        Some(t) => match CatalogProductId::parse(t) {
            Err(e) => {
                errors.add(line, field("catalogProductId"), e);
                None
            }
            Ok(id) if catalog.product(id).is_none() => {
                errors.add(
                    line,
                    field("catalogProductId"),
                    format_args!("{id} is not in the catalog"),
                );
                None
            }
            Ok(id) => Some(id),
        },
    };
    let country_code = match raw.country_code.as_deref() {
        None if errors.has(line, &field("countryCode")) => None,
        None => {
            errors.add(line, field("countryCode"), "required");
            None
        }
        Some(t) => CountryCode::new(t)
            .map_err(|e| errors.add(line, field("countryCode"), e))
            .ok(),
    };
    let site = raw.site.as_deref().filter(|t| !t.is_empty()).and_then(|t| {
        SiteId::parse(t)
            .map_err(|e| errors.add(line, field("siteId"), e))
            .ok()
    });
    let discount_code = raw.discount_code.filter(|t| !t.is_empty()).and_then(|t| {
        DiscountCode::new(t)
            .map_err(|e| errors.add(line, field("discountCode"), e))
            .ok()
    });
    let asked =
        raw.billing
            .as_deref()
            .filter(|t| !t.is_empty())
            .and_then(|t| match parse_billing(t) {
                Some(b) => Some(b),
                None => {
                    errors.add(
                        line,
                        field("billing"),
                        format_args!(
                            "{t:?}: not monthly, yearly, one-time or N-day/week/month/year"
                        ),
                    );
                    None
                }
            });
    let billing = product.and_then(|id| {
        let cycles = catalog.cycles(id);
        match (asked, cycles) {
            (Some(b), _) if cycles.contains(&b) => Some(b),
            (Some(b), _) => {
                errors.add(
                    line,
                    field("billing"),
                    format_args!(
                        "{id} is not sold {} (it is sold {})",
                        billing_label(b),
                        labels(cycles)
                    ),
                );
                None
            }
            (None, [only]) => Some(*only),
            (None, _) if raw.billing.is_some() => None,
            (None, _) => {
                errors.add(
                    line,
                    field("billing"),
                    format_args!("required: {id} is sold {}", labels(cycles)),
                );
                None
            }
        }
    });
    if errors.0.len() > before {
        return None;
    }
    Some(DesiredProduct {
        catalog_product_id: product?,
        billing: billing?,
        country_code: country_code?,
        site,
        discount_code,
    })
}

/// Rules within one subscription (one package at Wix).
fn check_within(line: usize, products: &[DesiredProduct], catalog: &Catalog, errors: &mut Errors) {
    let mut placed: HashMap<(SiteId, &ProductType), usize> = HashMap::new();
    for (i, p) in products.iter().enumerate() {
        let (Some(site), Some(ty)) = (p.site, catalog.product_type(p.catalog_product_id)) else {
            continue;
        };
        if let Some(first) = placed.insert((site, ty), i) {
            errors.add(
                line,
                format!("products[{i}].siteId"),
                format_args!("products[{first}] already puts a {ty} on site {site} (a site holds one product of a type)"),
            );
        }
    }
    for (i, p) in products.iter().enumerate() {
        let (Some(site), Some(needs)) = (p.site, catalog.requires(p.catalog_product_id)) else {
            continue;
        };
        if placed.contains_key(&(site, needs)) {
            errors.add(
                line,
                format!("products[{i}].siteId"),
                format_args!("needs a {needs} on site {site} before it, and Wix refuses both in one package: give it its own line"),
            );
        }
    }
}

/// Rules across subscriptions.
fn check_across(subscriptions: &[Subscription], catalog: &Catalog, errors: &mut Vec<DesiredError>) {
    let mut add = |line: usize, field: String, message: String| {
        errors.push(DesiredError {
            line,
            field,
            message,
        });
    };
    let mut seen: HashMap<&ExternalId, usize> = HashMap::new();
    for s in subscriptions {
        if let Some(first) = seen.insert(&s.external_id, s.line) {
            add(
                s.line,
                "externalId".to_owned(),
                format!("{} is also on line {first}", s.external_id.as_str()),
            );
        }
    }
    let mut placed: HashMap<(SiteId, &ProductType), usize> = HashMap::new();
    for s in subscriptions
        .iter()
        .filter(|s| s.status == SubscriptionStatus::Active)
    {
        for (i, p) in s.products.iter().enumerate() {
            let (Some(site), Some(ty)) = (p.site, catalog.product_type(p.catalog_product_id))
            else {
                continue;
            };
            match placed.get(&(site, ty)) {
                Some(first) if *first != s.line => add(
                    s.line,
                    format!("products[{i}].siteId"),
                    format!(
                        "line {first} already puts a {ty} on site {site} (a site holds one product of a type)"
                    ),
                ),
                _ => {
                    placed.insert((site, ty), s.line);
                }
            }
        }
    }
    for s in subscriptions
        .iter()
        .filter(|s| s.status == SubscriptionStatus::Active)
    {
        for (i, p) in s.products.iter().enumerate() {
            let (Some(site), Some(needs)) = (p.site, catalog.requires(p.catalog_product_id)) else {
                continue;
            };
            if !placed.contains_key(&(site, needs)) {
                add(
                    s.line,
                    format!("products[{i}].siteId"),
                    format!(
                        "needs a {needs} on site {site}, and no active subscription puts one there"
                    ),
                );
            }
        }
    }
}

/// A billing cycle as the file writes it: `monthly`, `yearly`, `one-time`, or
/// `N-day`, `N-week`, `N-month`, `N-year` (a plural unit is accepted).
pub fn parse_billing(text: &str) -> Option<Billing> {
    let text = text.trim().to_ascii_lowercase();
    match text.as_str() {
        "monthly" => return Some(Billing::monthly()),
        "yearly" => return Some(Billing::yearly()),
        "one-time" | "one_time" | "onetime" => return Some(Billing::OneTime),
        _ => {}
    }
    let (count, unit) = text.split_once('-')?;
    let count = NonZeroU32::new(count.parse::<u32>().ok()?)?;
    let unit = match unit.trim_end_matches('s') {
        "day" => CycleUnit::Day,
        "week" => CycleUnit::Week,
        "month" => CycleUnit::Month,
        "year" => CycleUnit::Year,
        _ => return None,
    };
    Some(Billing::Recurring(Cycle::new(unit, count)))
}

/// A billing cycle as the file writes it (the inverse of [`parse_billing`]).
pub fn billing_label(billing: Billing) -> String {
    match billing {
        Billing::OneTime => "one-time".to_owned(),
        Billing::Recurring(c) => match (c.unit(), c.count().get()) {
            (CycleUnit::Month, 1) => "monthly".to_owned(),
            (CycleUnit::Year, 1) => "yearly".to_owned(),
            (unit, n) => format!("{n}-{}", unit.as_str().to_ascii_lowercase()),
        },
    }
}

fn labels(cycles: &[Billing]) -> String {
    if cycles.is_empty() {
        return "with no cycle".to_owned();
    }
    cycles
        .iter()
        .map(|b| billing_label(*b))
        .collect::<Vec<_>>()
        .join(" or ")
}
