//! The nine package and product-instance operations (E1-E9 of the spec), plus the
//! status moves Wix's provisioning makes. Every operation that can take an
//! instance off a site or out of the active statuses ends in
//! `dependents::settle`.

use std::collections::{BTreeMap, BTreeSet};

use super::{Changes, DomainEvent, Done, Findings, NewId, dependents};
use crate::auth::Caller;
use crate::billing::{Billing, BillingError, BillingKind, WixDuration};
use crate::error::{FieldViolation, MissingDetail, ReferenceProblem, Refusal, RuleType, Violation};
use crate::ids::{CatalogProductId, InstanceId, PackageId, SiteId};
use crate::instance::{Assignment, InstanceStatus, ProductInstance};
use crate::package::{Instances, MAX_INSTANCES, Package, PackageParts};
use crate::text::{CountryCode, DiscountCode, ExternalId, ProductType};
use crate::time::Timestamp;
use crate::world::{CatalogProduct, WorldView};

/// `billingInfo` as a request sends it: Wix's `(type, cycleDuration)` pair, checked
/// against the product by the operation (so each operation can report its own code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BillingRequest {
    /// `billingInfo.type`
    pub kind: BillingKind,
    /// `billingInfo.cycleDuration`
    pub duration: Option<WixDuration>,
}

impl BillingRequest {
    /// The request that asks for exactly `billing`.
    pub fn of(billing: Billing) -> Self {
        let (kind, duration) = billing.to_wix();
        Self { kind, duration }
    }

    fn describe(&self) -> String {
        match self.duration {
            Some(d) => format!(
                "{} {} {}",
                self.kind.as_str(),
                d.count.map_or_else(|| "1".to_owned(), |c| c.to_string()),
                d.unit.as_str()
            ),
            None => self.kind.as_str().to_owned(),
        }
    }
}

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

/// Adjust Product Instance Specifications (E8).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Adjust {
    /// `catalogProductId`: the product to swap to (same product type).
    pub catalog_product_id: Option<CatalogProductId>,
    /// `billingInfo`: the new cycle.
    pub billing: Option<BillingRequest>,
    /// `discountCode`: taken into account only with a new `catalogProductId`.
    pub discount_code: Option<DiscountCode>,
}

// Rule ranks: the order in which violations are reported (the first decides).
const R_NOT_ADJUSTABLE: u8 = 9;
const R_PRODUCT_NOT_FOUND: u8 = 10;
const R_INVALID_PRODUCTS: u8 = 11;
const R_SETTINGS: u8 = 12;
const R_INCOMPATIBLE_PRODUCT: u8 = 13;
const R_STATUS: u8 = 14;
const R_BILLING: u8 = 20;
const R_LIMIT: u8 = 30;
const R_SITE: u8 = 40;
const R_MULTIPLE: u8 = 41;
const R_TYPE_TAKEN: u8 = 42;
const R_NOT_SUPPORTED: u8 = 43;
const R_REFERENCE: u8 = 50;

/// How an operation reports a billing problem.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BillingMode {
    Create,
    Adjust,
}

/// Resolves the billing an instance gets from the product's cycles and the request.
///
/// `current` is the instance's billing on Adjust (kept when the new product supports
/// it). `field` is the dotted path used for a count out of range.
fn resolve_billing(
    product: &CatalogProduct,
    requested: Option<BillingRequest>,
    current: Option<Billing>,
    mode: BillingMode,
    field: &str,
) -> Result<Option<Billing>, Violation> {
    let cycles = &product.billing_cycles;
    let asked = match requested {
        Some(req) if req.kind != BillingKind::Unknown => Some(req),
        _ => None,
    };
    let Some(req) = asked else {
        if let Some(cur) = current {
            if cycles.contains(&cur) {
                return Ok(Some(cur));
            }
        }
        return match cycles.as_slice() {
            [only] => Ok(Some(*only)),
            [] => Err(Violation::InvalidBillingCycle {
                product: product.id,
                cycles: Vec::new(),
                requested: "no billing".to_owned(),
            }),
            _ => Err(Violation::MissingBillingCycle {
                product: product.id,
            }),
        };
    };
    let billing = match Billing::from_wix(req.kind, req.duration) {
        Ok(Some(b)) => b,
        // `from_wix` only answers `None` for `UNKNOWN`, filtered out above.
        Ok(None) => {
            return Err(Violation::MissingBillingCycle {
                product: product.id,
            });
        }
        Err(BillingError::CountOutOfRange(n)) => {
            return Err(Violation::field(
                format!("{field}.cycleDuration.count"),
                RuleType::Min,
                format!("must be at least 1, got {n}"),
            ));
        }
        Err(BillingError::MissingCycleDuration | BillingError::MissingCycleUnit) => {
            return Err(match mode {
                BillingMode::Adjust => {
                    Violation::MissingProductDetails(MissingDetail::CycleDuration)
                }
                BillingMode::Create => Violation::InvalidBillingCycle {
                    product: product.id,
                    cycles: cycles.clone(),
                    requested: req.describe(),
                },
            });
        }
    };
    if cycles.contains(&billing) {
        Ok(Some(billing))
    } else if cycles.iter().any(|c| c.kind() == billing.kind()) {
        Err(Violation::IncompatibleBillingCycle {
            product: product.id,
            cycle: billing,
            cycles: cycles.clone(),
        })
    } else {
        Err(Violation::InvalidBillingCycle {
            product: product.id,
            cycles: cycles.clone(),
            requested: billing.to_string(),
        })
    }
}

/// The product type of an instance's product, when the catalog knows it.
fn type_of<'w>(world: &'w impl WorldView, instance: &ProductInstance) -> Option<&'w ProductType> {
    world
        .product(instance.catalog_product_id())
        .map(|p| &p.product_type)
}

/// Whether `site` holds an active (`PENDING` or `ENABLED`) instance of
/// `product_type`, other than `except`: what a product that requires the type
/// needs (the dependent-services rule keeps it so afterwards).
fn site_holds_active_type(
    world: &impl WorldView,
    site: SiteId,
    product_type: &ProductType,
    except: Option<InstanceId>,
) -> bool {
    world
        .instances_on_site(site)
        .into_iter()
        .any(|i| i.is_active() && Some(i.id()) != except && type_of(world, i) == Some(product_type))
}

/// Whether `site` holds a live instance of `product_type`, other than `except`.
fn site_holds_type(
    world: &impl WorldView,
    site: SiteId,
    product_type: &ProductType,
    except: Option<InstanceId>,
) -> bool {
    world
        .instances_on_site(site)
        .into_iter()
        .any(|i| i.is_live() && Some(i.id()) != except && type_of(world, i) == Some(product_type))
}

fn site_owned(world: &impl WorldView, caller: &Caller, site: SiteId) -> Result<(), Violation> {
    match world.site(site) {
        Some(s) if s.owner == caller.account => Ok(()),
        other => Err(Violation::SiteNotFound {
            site,
            requesting: caller.account,
            owner: other.map(|s| s.owner),
        }),
    }
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
                    if site_holds_type(world, site, &product.product_type, None) {
                        found.add(
                            R_TYPE_TAKEN,
                            Violation::ProductTypeAlreadyAssigned {
                                product_type: product.product_type.clone(),
                                site,
                            },
                        );
                    }
                    if let Some(required) = &product.requires_product_type {
                        if !site_holds_active_type(world, site, required, None) {
                            found.add(
                                R_NOT_SUPPORTED,
                                Violation::ProductNotSupportedOnSite {
                                    site,
                                    product: product.id,
                                },
                            );
                        }
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
            .map(|_| super::expiry::first_expiration(billing, now));
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

    // Mark every reference used, grouping by the package that holds it.
    let mut touched: BTreeMap<PackageId, Package> = BTreeMap::new();
    for (reference, by) in used {
        let Some(holder) = world.package_of_instance(reference) else {
            continue;
        };
        let entry = touched.entry(holder.id()).or_insert_with(|| holder.clone());
        if let Some(inst) = entry.instance_mut(reference) {
            inst.mark_used_as_reference();
        }
        events.push(DomainEvent::ReferenceUsed { reference, by });
    }
    let mut packages = vec![package.clone()];
    packages.extend(touched.into_values());
    Ok(Done {
        answer: package,
        changes: Changes {
            packages,
            events,
            ..Changes::default()
        },
    })
}

/// Why `reference` cannot serve as a voucher for a new instance of `for_type` in
/// the family headed by `top`: unknown or outside the family, not `PENDING` or
/// `ENABLED`, already used (or named twice in the request), or of a product whose
/// `grantsVoucherFor` does not name `for_type`.
fn reference_problem(
    world: &impl WorldView,
    top: crate::ids::AccountId,
    reference: InstanceId,
    for_type: &ProductType,
    seen_in_request: &BTreeSet<InstanceId>,
) -> Option<ReferenceProblem> {
    let holder = world
        .package_of_instance(reference)
        .filter(|p| world.top_of(p.account_id()) == top);
    let Some(instance) = holder.and_then(|p| p.instance(reference)) else {
        return Some(ReferenceProblem::NotFound);
    };
    let status = instance.status().name();
    if !status.is_active() {
        return Some(ReferenceProblem::Status(status));
    }
    if instance.used_as_reference() || seen_in_request.contains(&reference) {
        return Some(ReferenceProblem::AlreadyUsed);
    }
    let eligible = world
        .product(instance.catalog_product_id())
        .is_some_and(|p| p.grants_voucher(for_type));
    if !eligible {
        return Some(ReferenceProblem::NotEligible);
    }
    None
}

/// Get Package (E2): the package, when it belongs to the header account.
///
/// # Errors
/// `PACKAGE_NOT_FOUND` (404) when unknown or owned by another account.
pub fn get_package<'w>(
    world: &'w impl WorldView,
    caller: &Caller,
    id: PackageId,
) -> Result<&'w Package, Refusal> {
    world
        .package(id)
        .filter(|p| p.account_id() == caller.account)
        .ok_or_else(|| Refusal::one(Violation::PackageNotFound { package: id }))
}

/// Cancel Package (E4): cancels every live instance; canceled and failed instances
/// stay as they are. Canceling a fully canceled package changes nothing (200).
///
/// # Errors
/// `PACKAGE_NOT_FOUND` (404) when unknown or owned by another account.
pub fn cancel_package(
    world: &impl WorldView,
    caller: &Caller,
    id: PackageId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let mut package = get_package(world, caller, id)?.clone();
    let mut events = Vec::new();
    for inst in package.instances_mut() {
        if inst.cancel(now) {
            events.push(DomainEvent::InstanceCanceled {
                package: id,
                instance: inst.id(),
            });
        }
    }
    let done = finish(
        package,
        events,
        now,
        Some(DomainEvent::PackageCanceled { package: id }),
    );
    Ok(dependents::settle(world, done, now))
}

/// Stores the package when events happened, touching `updatedDate`.
pub(super) fn finish(
    mut package: Package,
    mut events: Vec<DomainEvent>,
    now: Timestamp,
    summary: Option<DomainEvent>,
) -> Done<Package> {
    if events.is_empty() {
        return Done {
            answer: package,
            changes: Changes::default(),
        };
    }
    package.touch(now);
    if let Some(s) = summary {
        events.push(s);
    }
    Done {
        answer: package.clone(),
        changes: Changes {
            packages: vec![package],
            events,
            ..Changes::default()
        },
    }
}

/// The instance and its package, when the package belongs to the header account.
fn owned_instance<'w>(
    world: &'w impl WorldView,
    caller: &Caller,
    id: InstanceId,
) -> Result<(&'w Package, &'w ProductInstance), Violation> {
    world
        .package_of_instance(id)
        .filter(|p| p.account_id() == caller.account)
        .and_then(|p| p.instance(id).map(|i| (p, i)))
        .ok_or(Violation::ProductInstanceNotFound { instance: id })
}

/// Assign Product Instance To Site (E5). Moves an assigned instance directly
/// (R5.3); assigning to the site it is already on changes nothing. When refused, the
/// instance stays where it was.
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND`; `INCOMPATIBLE_PRODUCT_INSTANCE_STATUS` for a
/// canceled or failed instance; `PRODUCT_NOT_FOUND` when its product left the
/// catalog; `SITE_NOT_FOUND`; `PRODUCT_TYPE_ALREADY_ASSIGNED`;
/// `PRODUCT_NOT_SUPPORTED_ON_SITE`.
pub fn assign_instance(
    world: &impl WorldView,
    caller: &Caller,
    id: InstanceId,
    site: SiteId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let (package, instance) = owned_instance(world, caller, id).map_err(Refusal::one)?;
    let mut found = Findings::default();
    let status = instance.status().name();
    if status.is_terminal() {
        found.add(
            R_STATUS,
            Violation::IncompatibleProductInstanceStatus {
                instance: id,
                status,
            },
        );
    }
    let product = world.product(instance.catalog_product_id());
    if product.is_none() {
        found.add(
            R_PRODUCT_NOT_FOUND,
            Violation::ProductNotFound {
                product: instance.catalog_product_id(),
            },
        );
    }
    match site_owned(world, caller, site) {
        Err(v) => found.add(R_SITE, v),
        Ok(()) => {
            if let Some(product) = product {
                if site_holds_type(world, site, &product.product_type, Some(id)) {
                    found.add(
                        R_TYPE_TAKEN,
                        Violation::ProductTypeAlreadyAssigned {
                            product_type: product.product_type.clone(),
                            site,
                        },
                    );
                }
                if let Some(required) = &product.requires_product_type {
                    if !site_holds_active_type(world, site, required, Some(id)) {
                        found.add(
                            R_NOT_SUPPORTED,
                            Violation::ProductNotSupportedOnSite {
                                site,
                                product: product.id,
                            },
                        );
                    }
                }
            }
        }
    }
    if let Some(refusal) = found.into_refusal() {
        return Err(refusal);
    }
    let previous = instance.site();
    let mut package = package.clone();
    let mut events = Vec::new();
    if previous != Some(site) {
        if let Some(inst) = package.instance_mut(id) {
            inst.set_assignment(Assignment::Site(site), now);
            events.push(DomainEvent::InstanceAssigned {
                package: package.id(),
                instance: id,
                site,
                previous,
            });
        }
    }
    Ok(dependents::settle(
        world,
        finish(package, events, now, None),
        now,
    ))
}

/// Unassign Product Instance From Site (E6): the instance becomes floating; a
/// floating instance stays as it is (200, nothing changes).
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND`.
pub fn unassign_instance(
    world: &impl WorldView,
    caller: &Caller,
    id: InstanceId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let (package, instance) = owned_instance(world, caller, id).map_err(Refusal::one)?;
    let mut package = package.clone();
    let mut events = Vec::new();
    if let Some(previous) = instance.site() {
        if let Some(inst) = package.instance_mut(id) {
            inst.set_assignment(Assignment::Floating, now);
            events.push(DomainEvent::InstanceUnassigned {
                package: package.id(),
                instance: id,
                previous,
            });
        }
    }
    Ok(dependents::settle(
        world,
        finish(package, events, now, None),
        now,
    ))
}

/// Cancel Product Instance (E7): the other instances of the package are untouched; a
/// canceled or failed instance stays as it is (200, nothing changes).
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND`.
pub fn cancel_instance(
    world: &impl WorldView,
    caller: &Caller,
    id: InstanceId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let (package, _) = owned_instance(world, caller, id).map_err(Refusal::one)?;
    let mut package = package.clone();
    let mut events = Vec::new();
    if let Some(inst) = package.instance_mut(id) {
        if inst.cancel(now) {
            events.push(DomainEvent::InstanceCanceled {
                package: package.id(),
                instance: id,
            });
        }
    }
    Ok(dependents::settle(
        world,
        finish(package, events, now, None),
        now,
    ))
}

/// Adjust Product Instance Specifications (E8): swap the product within its type
/// and/or change the billing cycle (R8.1-R8.7).
///
/// With a new product and no `billingInfo`, the instance keeps its billing when the
/// new product supports it, takes the product's only cycle otherwise, and needs a
/// cycle when the product has several. A `discountCode` without a new product is
/// ignored.
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND`; `MISSING_PRODUCT_DETAILS` (three messages);
/// `INCOMPATIBLE_PRODUCT_INSTANCE_STATUS`; `PRODUCT_NOT_FOUND`; `INVALID_PRODUCTS`;
/// `PRODUCT_SETTINGS_NOT_FOUND`; `INCOMPATIBLE_PRODUCT`; the billing codes;
/// `PRODUCT_LIMIT_EXCEEDED`; `SITE_NOT_FOUND`; `PRODUCT_NOT_SUPPORTED_ON_SITE`; a
/// 400 field violation for a cycle count below 1.
pub fn adjust_instance(
    world: &impl WorldView,
    caller: &Caller,
    id: InstanceId,
    cmd: &Adjust,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let (package, instance) = owned_instance(world, caller, id).map_err(Refusal::one)?;
    let billing_given = cmd.billing.filter(|b| b.kind != BillingKind::Unknown);
    match (cmd.catalog_product_id, cmd.billing, billing_given) {
        (None, None, _) => {
            return Err(Refusal::one(Violation::MissingProductDetails(
                MissingDetail::CatalogProductId,
            )));
        }
        (None, Some(_), None) => {
            return Err(Refusal::one(Violation::MissingProductDetails(
                MissingDetail::BillingInfo,
            )));
        }
        _ => {}
    }
    let mut found = Findings::default();
    let status = instance.status().name();
    if status.is_terminal() {
        found.add(
            R_STATUS,
            Violation::IncompatibleProductInstanceStatus {
                instance: id,
                status,
            },
        );
    }
    let current = world.product(instance.catalog_product_id());
    if let Some(cur) = current.filter(|p| !p.adjustable) {
        found.add(
            R_NOT_ADJUSTABLE,
            Violation::OperationNotSupportedForProduct { product: cur.id },
        );
    }
    let target = match cmd.catalog_product_id {
        Some(pid) => match world.product(pid) {
            Some(p) => Some(p),
            None => {
                found.add(
                    R_PRODUCT_NOT_FOUND,
                    Violation::ProductNotFound { product: pid },
                );
                None
            }
        },
        None => {
            if current.is_none() {
                found.add(
                    R_PRODUCT_NOT_FOUND,
                    Violation::ProductNotFound {
                        product: instance.catalog_product_id(),
                    },
                );
            }
            current
        }
    };
    let mut new_billing = None;
    // A swap across types is refused outright; site prerequisites are judged only
    // for a product that could really replace the current one.
    let mut same_type = true;
    if let Some(target) = target {
        let swapping = target.id != instance.catalog_product_id();
        if swapping {
            if !target.resellable {
                found.add(
                    R_INVALID_PRODUCTS,
                    Violation::InvalidProducts {
                        products: vec![target.id],
                    },
                );
            }
            if !target.has_settings {
                found.add(
                    R_SETTINGS,
                    Violation::ProductSettingsNotFound { product: target.id },
                );
            }
            if let Some(cur) = current {
                same_type = cur.product_type == target.product_type;
                if !same_type {
                    found.add(
                        R_INCOMPATIBLE_PRODUCT,
                        Violation::IncompatibleProduct {
                            existing_type: cur.product_type.clone(),
                            existing_product: cur.id,
                            target_product: target.id,
                        },
                    );
                }
            }
            if let Some(limit) = target.subscription_limit {
                let current_count =
                    world.live_subscriptions(target.id, world.top_of(package.account_id()));
                if current_count >= limit {
                    found.add(
                        R_LIMIT,
                        Violation::ProductLimitExceeded {
                            product: target.id,
                            current: current_count,
                        },
                    );
                }
            }
        }
        match resolve_billing(
            target,
            billing_given,
            instance.billing(),
            BillingMode::Adjust,
            "billingInfo",
        ) {
            Ok(b) => new_billing = b,
            Err(v) => found.add(R_BILLING, v),
        }
        if let Some(site) = instance.site() {
            match site_owned(world, caller, site) {
                Err(v) => found.add(R_SITE, v),
                Ok(()) => {
                    if let Some(required) = &target.requires_product_type {
                        if swapping
                            && same_type
                            && !site_holds_active_type(world, site, required, Some(id))
                        {
                            found.add(
                                R_NOT_SUPPORTED,
                                Violation::ProductNotSupportedOnSite {
                                    site,
                                    product: target.id,
                                },
                            );
                        }
                    }
                }
            }
        }
    }
    if let Some(refusal) = found.into_refusal() {
        return Err(refusal);
    }
    let mut package = package.clone();
    let swap = cmd
        .catalog_product_id
        .map(|pid| (pid, cmd.discount_code.clone()));
    if let Some(inst) = package.instance_mut(id) {
        inst.adjust(swap, new_billing, now);
    }
    let events = vec![DomainEvent::InstanceAdjusted {
        package: package.id(),
        instance: id,
    }];
    Ok(dependents::settle(
        world,
        finish(package, events, now, None),
        now,
    ))
}

/// Update Package External Id (E9).
///
/// # Errors
/// `PACKAGE_NOT_FOUND` (404) when unknown or owned by another account.
pub fn update_external_id(
    world: &impl WorldView,
    caller: &Caller,
    id: PackageId,
    external_id: ExternalId,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let mut package = get_package(world, caller, id)?.clone();
    let mut events = Vec::new();
    if package.external_id() != Some(&external_id) {
        package.set_external_id(Some(external_id));
        events.push(DomainEvent::ExternalIdChanged { package: id });
    }
    Ok(dependents::settle(
        world,
        finish(package, events, now, None),
        now,
    ))
}

/// Moves an instance's status as Wix's own provisioning would (the emulator's
/// control call and automatic provisioning). No account check: this is Wix acting.
///
/// # Errors
/// `PRODUCT_INSTANCE_NOT_FOUND` for an unknown instance; `ILLEGAL_STATUS_TRANSITION`
/// (409) for an edge that section 2.5 does not allow.
pub fn set_instance_status(
    world: &impl WorldView,
    id: InstanceId,
    status: InstanceStatus,
    now: Timestamp,
) -> Result<Done<Package>, Refusal> {
    let Some(package) = world.package_of_instance(id) else {
        return Err(Refusal::one(Violation::ProductInstanceNotFound {
            instance: id,
        }));
    };
    let mut package = package.clone();
    let to = status.name();
    let Some(inst) = package.instance_mut(id) else {
        return Err(Refusal::one(Violation::ProductInstanceNotFound {
            instance: id,
        }));
    };
    let from = inst.status().name();
    inst.transition(status, now).map_err(|e| {
        Refusal::one(Violation::IllegalStatusTransition {
            instance: id,
            from: e.from,
            to: e.to,
        })
    })?;
    let events = vec![DomainEvent::InstanceStatusChanged {
        package: package.id(),
        instance: id,
        from,
        to,
    }];
    Ok(dependents::settle(
        world,
        finish(package, events, now, None),
        now,
    ))
}
