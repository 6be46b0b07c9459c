//! Create Package (E1): the request, its field validation and the rules checked
//! across all its products before anything is created.

use std::collections::{BTreeMap, BTreeSet};

use super::billing::{BillingMode, BillingRequest, resolve_billing};
use super::checks::{
    R_BILLING, R_INVALID_PRODUCTS, R_LIMIT, R_MULTIPLE, R_NOT_SUPPORTED, R_PRODUCT_NOT_FOUND,
    R_REFERENCE, R_SETTINGS, R_SITE, R_TYPE_TAKEN, site_owned, type_taken, unsupported_on_site,
};
use super::voucher::{mark_references_used, reference_problem};
use crate::auth::Caller;
use crate::billing::{Billing, BillingKind, WixDuration};
use crate::error::{FieldViolation, Refusal, RuleType, Violation};
use crate::ids::{CatalogProductId, InstanceId, PackageId, SiteId};
use crate::instance::{Assignment, ProductInstance};
use crate::ops::{Changes, DomainEvent, Done, Findings, NewId};
use crate::package::{Instances, MAX_INSTANCES, Package, PackageParts};
use crate::text::{CountryCode, DiscountCode, ExternalId, ProductType};
use crate::time::Timestamp;
use crate::world::WorldView;

/// One product of a Create Package request (`products[]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NewInstance {
    /// `catalogProductId`
    pub catalog_product_id: CatalogProductId,
    /// `countryCode` (required: a request without it is refused with a 400).
    pub country_code: Option<CountryCode>,
    /// `siteId`; `None` creates a floating instance.
    pub site: Option<SiteId>,
    /// `billingInfo`
    pub billing: Option<BillingRequest>,
    /// `discountCode`
    pub discount_code: Option<DiscountCode>,
    /// `referenceProductInstanceId`
    pub reference: Option<InstanceId>,
}

/// Create Package (E1, `POST /resellers/v2/packages`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreatePackage {
    /// `externalId`
    pub external_id: Option<ExternalId>,
    /// `products`: 1 to 1000.
    pub products: Vec<NewInstance>,
}

/// The field violations of Create Package (HTTP 400), all of them.
fn create_field_violations(cmd: &CreatePackage) -> Vec<FieldViolation> {
    let mut out = Vec::new();
    if cmd.products.is_empty() {
        out.push(FieldViolation::new(
            "products",
            RuleType::MinSize,
            "at least 1 product is required",
        ));
    }
    if cmd.products.len() > MAX_INSTANCES {
        out.push(FieldViolation::new(
            "products",
            RuleType::MaxSize,
            format!(
                "at most 1000 products are allowed, got {}",
                cmd.products.len()
            ),
        ));
    }
    for (i, p) in cmd.products.iter().enumerate() {
        if p.country_code.is_none() {
            out.push(FieldViolation::new(
                format!("products[{i}].countryCode"),
                RuleType::RequiredField,
                "countryCode is required",
            ));
        }
        if let Some(BillingRequest {
            duration: Some(WixDuration { count: Some(n), .. }),
            kind: BillingKind::Recurring,
        }) = p.billing
        {
            if n < 1 || n > i64::from(u32::MAX) {
                out.push(FieldViolation::new(
                    format!("products[{i}].billingInfo.cycleDuration.count"),
                    RuleType::Min,
                    format!("must be at least 1, got {n}"),
                ));
            }
        }
    }
    out
}

/// Create Package (E1).
///
/// Rules: R1.1-R1.12 of the spec and the reference rules of the emulator's choices.
/// Every broken rule is reported; the package is created only when none is.
///
/// # Errors
/// 400 field violations (products 0 or over 1000, missing `countryCode`, cycle
/// count below 1); `ACCOUNT_NOT_FOUND`; per product `PRODUCT_NOT_FOUND`,
/// `INVALID_PRODUCTS`, `PRODUCT_SETTINGS_NOT_FOUND`, `MISSING_BILLING_CYCLE`,
/// `INCOMPATIBLE_BILLING_CYCLE`, `INVALID_BILLING_CYCLE`, `PRODUCT_LIMIT_EXCEEDED`,
/// `SITE_NOT_FOUND`, `MULTIPLE_PRODUCT_ASSIGNMENTS`, `PRODUCT_TYPE_ALREADY_ASSIGNED`,
/// `PRODUCT_NOT_SUPPORTED_ON_SITE`, and `INVALID_REFERENCE_PRODUCT_INSTANCE_ID`
/// (404) for every bad reference (nothing is consumed by a refused create).
pub fn create_package(
    world: &impl WorldView,
    caller: &Caller,
    cmd: &CreatePackage,
    now: Timestamp,
    new_id: NewId<'_>,
) -> Result<Done<Package>, Refusal> {
    let fields = create_field_violations(cmd);
    if !fields.is_empty() {
        return Err(Refusal::one(Violation::InvalidFields(fields)));
    }
    let Some(account) = world.account(caller.account) else {
        return Err(Refusal::one(Violation::AccountNotFound {
            account: caller.account,
        }));
    };
    let top = account.top();
    let mut found = Findings::default();
    let mut billings: Vec<Option<Billing>> = Vec::with_capacity(cmd.products.len());
    let mut not_resellable = Vec::new();
    let mut per_product_count: BTreeMap<CatalogProductId, u32> = BTreeMap::new();
    // (site, type) -> products of this request assigned there with that type.
    let mut site_types: BTreeMap<(SiteId, ProductType), Vec<CatalogProductId>> = BTreeMap::new();
    let mut references_seen = BTreeSet::new();

    for (i, p) in cmd.products.iter().enumerate() {
        let field = format!("products[{i}].billingInfo");
        let Some(product) = world.product(p.catalog_product_id) else {
            found.add(
                R_PRODUCT_NOT_FOUND,
                Violation::ProductNotFound {
                    product: p.catalog_product_id,
                },
            );
            billings.push(None);
            continue;
        };
        if !product.resellable && !not_resellable.contains(&product.id) {
            not_resellable.push(product.id);
        }
        if !product.has_settings {
            found.add(
                R_SETTINGS,
                Violation::ProductSettingsNotFound {
                    product: product.id,
                },
            );
        }
        match resolve_billing(product, p.billing, None, BillingMode::Create, &field) {
            Ok(b) => billings.push(b),
            Err(v) => {
                found.add(R_BILLING, v);
                billings.push(None);
            }
        }
        if let Some(limit) = product.subscription_limit {
            let current = world.live_subscriptions(product.id, top);
            let in_request = per_product_count.entry(product.id).or_insert(0);
            *in_request += 1;
            if current.saturating_add(*in_request) > limit {
                found.add(
                    R_LIMIT,
                    Violation::ProductLimitExceeded {
                        product: product.id,
                        current,
                    },
                );
            }
        }
        if let Some(site) = p.site {
            match site_owned(world, caller, site) {
                Err(v) => found.add(R_SITE, v),
                Ok(()) => {
                    site_types
                        .entry((site, product.product_type.clone()))
                        .or_default()
                        .push(product.id);
                    if let Some(v) = type_taken(world, site, product, None) {
                        found.add(R_TYPE_TAKEN, v);
                    }
                    if let Some(v) = unsupported_on_site(world, site, product, None) {
                        found.add(R_NOT_SUPPORTED, v);
                    }
                }
            }
        }
        if let Some(reference) = p.reference {
            if let Some(problem) = reference_problem(
                world,
                top,
                reference,
                &product.product_type,
                &references_seen,
            ) {
                found.add(
                    R_REFERENCE,
                    Violation::InvalidReference {
                        instance: reference,
                        problem,
                    },
                );
            }
            references_seen.insert(reference);
        }
    }
    if !not_resellable.is_empty() {
        found.add(
            R_INVALID_PRODUCTS,
            Violation::InvalidProducts {
                products: not_resellable,
            },
        );
    }
    for ((site, _), products) in site_types {
        if products.len() > 1 {
            found.add(
                R_MULTIPLE,
                Violation::MultipleProductAssignments { products, site },
            );
        }
    }
    if let Some(refusal) = found.into_refusal() {
        return Err(refusal);
    }

    let package_id = PackageId::from_uuid(new_id());
    let mut instances = Vec::with_capacity(cmd.products.len());
    let mut events = vec![DomainEvent::PackageCreated {
        package: package_id,
        account: account.id,
    }];
    let mut used: Vec<(InstanceId, InstanceId)> = Vec::new();
    for (p, billing) in cmd.products.iter().zip(billings) {
        let id = InstanceId::from_uuid(new_id());
        let assignment = p.site.map_or(Assignment::Floating, Assignment::Site);
        let expiration = world
            .product(p.catalog_product_id)
            .filter(|product| product.expires)
            .map(|_| crate::ops::first_expiration(billing, now));
        instances.push(ProductInstance::new_pending(
            id,
            p.catalog_product_id,
            assignment,
            billing,
            p.country_code,
            p.discount_code.clone(),
            p.reference,
            now,
            expiration,
        ));
        if let Some(r) = p.reference {
            used.push((r, id));
        }
    }
    let instances = Instances::new(instances).map_err(|e| {
        Refusal::one(Violation::field(
            "products",
            RuleType::MaxSize,
            e.to_string(),
        ))
    })?;
    let package = Package::new(PackageParts {
        id: package_id,
        account_id: account.id,
        parent_account_id: Some(account.parent.unwrap_or(account.id)),
        external_id: cmd.external_id.clone(),
        instances,
        created: now,
        updated: now,
    });

    let mut packages = vec![package.clone()];
    packages.extend(mark_references_used(world, used, &mut events));
    Ok(Done {
        answer: package,
        changes: Changes {
            packages,
            events,
            ..Changes::default()
        },
    })
}
