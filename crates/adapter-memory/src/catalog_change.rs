//! What a catalog replacement (`POST /_emulator/catalog` with a known id) may not
//! change: the types of a product that has live instances, since the rule of
//! dependent services and "a site holds one live instance of a type" are kept by
//! the operations that move instances, never by a catalog edit.

use reseller_domain::{CatalogProduct, RuleType, Violation};
use reseller_ports::PortError;

use crate::state::State;

/// Refuses replacing a product that has live instances with one of another
/// `productType` or `requiresProductType` (either could leave a live instance on
/// a site without the type it now requires, or two live instances of one type on
/// a site: a world no operation reaches, which an export could not import back).
///
/// # Errors
/// A 400 field violation on the member that changes; nothing changes.
pub(crate) fn check(st: &State, product: &CatalogProduct) -> Result<(), PortError> {
    let Some(old) = st.catalog.get(&product.id) else {
        return Ok(());
    };
    let field = if old.product_type != product.product_type {
        "productType"
    } else if old.requires_product_type != product.requires_product_type {
        "requiresProductType"
    } else {
        return Ok(());
    };
    if !st.has_live_instances(product.id) {
        return Ok(());
    }
    Err(PortError::from(Violation::field(
        field,
        RuleType::Validation,
        format!(
            "product `{}` has live instances: its {field} cannot change until they are canceled",
            product.id
        ),
    )))
}
