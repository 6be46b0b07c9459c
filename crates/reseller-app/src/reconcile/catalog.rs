//! The catalog as reconcile needs it: each product's type (products of one type
//! adjust into each other and a site holds one of a type), the type a product needs
//! on its site first, and the billing cycles it sells. Wix publishes no catalog
//! call (its B2B sales team supplies the list), so the reseller brings it.

use std::collections::HashMap;

use reseller_domain::{Billing, CatalogProduct, CatalogProductId, ProductType};

/// The reseller's catalog, by product id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    products: HashMap<CatalogProductId, CatalogProduct>,
}

impl Catalog {
    /// The catalog of `products` (a later entry of one id replaces an earlier one).
    pub fn new(products: impl IntoIterator<Item = CatalogProduct>) -> Self {
        Self {
            products: products.into_iter().map(|p| (p.id, p)).collect(),
        }
    }

    /// A product by id.
    pub fn product(&self, id: CatalogProductId) -> Option<&CatalogProduct> {
        self.products.get(&id)
    }

    /// The type of a product, when the catalog knows it.
    pub fn product_type(&self, id: CatalogProductId) -> Option<&ProductType> {
        self.product(id).map(|p| &p.product_type)
    }

    /// The type a product needs on its site first (a domain needs a Premium plan).
    pub fn requires(&self, id: CatalogProductId) -> Option<&ProductType> {
        self.product(id)
            .and_then(|p| p.requires_product_type.as_ref())
    }

    /// Whether the product needs another type on its site (an add-on).
    pub fn is_dependent(&self, id: CatalogProductId) -> bool {
        self.requires(id).is_some()
    }

    /// The billing cycles a product sells (empty when unknown).
    pub fn cycles(&self, id: CatalogProductId) -> &[Billing] {
        self.product(id)
            .map(|p| p.billing_cycles.as_slice())
            .unwrap_or_default()
    }

    /// How many products the catalog holds.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }
}
