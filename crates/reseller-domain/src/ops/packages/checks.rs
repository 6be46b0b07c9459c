//! The rule checks several package operations share: the order violations are
//! reported in (rule ranks), who owns a site, and what a site holds.

use crate::auth::Caller;
use crate::error::Violation;
use crate::ids::{InstanceId, SiteId};
use crate::instance::ProductInstance;
use crate::text::ProductType;
use crate::world::{CatalogProduct, WorldView};

// Rule ranks: the order in which violations are reported (the first decides).
pub(super) const R_NOT_ADJUSTABLE: u8 = 9;
pub(super) const R_PRODUCT_NOT_FOUND: u8 = 10;
pub(super) const R_INVALID_PRODUCTS: u8 = 11;
pub(super) const R_SETTINGS: u8 = 12;
pub(super) const R_INCOMPATIBLE_PRODUCT: u8 = 13;
pub(super) const R_STATUS: u8 = 14;
pub(super) const R_BILLING: u8 = 20;
pub(super) const R_LIMIT: u8 = 30;
pub(super) const R_SITE: u8 = 40;
pub(super) const R_MULTIPLE: u8 = 41;
pub(super) const R_TYPE_TAKEN: u8 = 42;
pub(super) const R_NOT_SUPPORTED: u8 = 43;
pub(super) const R_REFERENCE: u8 = 50;

/// The product type of an instance's product, when the catalog knows it.
fn type_of<'w>(world: &'w impl WorldView, instance: &ProductInstance) -> Option<&'w ProductType> {
    world
        .product(instance.catalog_product_id())
        .map(|p| &p.product_type)
}

/// Whether `site` holds an instance of `product_type`, other than `except`, for
/// which `counts` holds (live for the one-per-site rule, active for a requirement).
fn site_holds(
    world: &impl WorldView,
    site: SiteId,
    product_type: &ProductType,
    except: Option<InstanceId>,
    counts: fn(&ProductInstance) -> bool,
) -> bool {
    world
        .instances_on_site(site)
        .into_iter()
        .any(|i| counts(i) && Some(i.id()) != except && type_of(world, i) == Some(product_type))
}

/// `SITE_NOT_FOUND` unless `site` belongs to the header account.
pub(super) fn site_owned(
    world: &impl WorldView,
    caller: &Caller,
    site: SiteId,
) -> Result<(), Violation> {
    match world.site(site) {
        Some(s) if s.owner == caller.account => Ok(()),
        other => Err(Violation::SiteNotFound {
            site,
            requesting: caller.account,
            owner: other.map(|s| s.owner),
        }),
    }
}

/// `PRODUCT_TYPE_ALREADY_ASSIGNED` when `site` already holds a live instance of
/// `product`'s type, other than `except`.
pub(super) fn type_taken(
    world: &impl WorldView,
    site: SiteId,
    product: &CatalogProduct,
    except: Option<InstanceId>,
) -> Option<Violation> {
    site_holds(
        world,
        site,
        &product.product_type,
        except,
        ProductInstance::is_live,
    )
    .then(|| Violation::ProductTypeAlreadyAssigned {
        product_type: product.product_type.clone(),
        site,
    })
}

/// `PRODUCT_NOT_SUPPORTED_ON_SITE` when `product` requires a product type that
/// `site` does not hold active (`PENDING` or `ENABLED`; not counting `except`):
/// the dependent-services rule keeps it so afterwards.
pub(super) fn unsupported_on_site(
    world: &impl WorldView,
    site: SiteId,
    product: &CatalogProduct,
    except: Option<InstanceId>,
) -> Option<Violation> {
    let required = product.requires_product_type.as_ref()?;
    (!site_holds(world, site, required, except, ProductInstance::is_active)).then_some(
        Violation::ProductNotSupportedOnSite {
            site,
            product: product.id,
        },
    )
}

/// `INCOMPATIBLE_PRODUCT_INSTANCE_STATUS` when `instance` is `CANCELED` or `FAILED`.
pub(super) fn terminal_status(instance: &ProductInstance) -> Option<Violation> {
    let status = instance.status().name();
    status
        .is_terminal()
        .then_some(Violation::IncompatibleProductInstanceStatus {
            instance: instance.id(),
            status,
        })
}
