//! Constructors and builders of the requests a caller writes (Create Package and
//! its instances, Adjust): one method per fact, every other member left at Wix's
//! default, so a create reads like one line per fact. They only assemble; every
//! rule is checked by the operation that receives the request.

use super::packages::{Adjust, BillingRequest, CreatePackage, NewInstance};
use crate::billing::Billing;
use crate::ids::{CatalogProductId, InstanceId, SiteId};
use crate::text::{CountryCode, DiscountCode, ExternalId};

impl NewInstance {
    /// One instance of `product`, floating, with nothing else set (add the country
    /// Create Package V2 requires with [`NewInstance::country`]).
    ///
    /// ```
    /// use reseller_domain::ops::NewInstance;
    /// use reseller_domain::{Billing, CatalogProductId, CountryCode, SiteId};
    ///
    /// let premium = CatalogProductId::parse("c1000000-0000-4000-8000-000000000001")?;
    /// let site = SiteId::parse("51000000-0000-4000-8000-000000000002")?;
    /// let plan = NewInstance::new(premium)
    ///     .country(CountryCode::new("US")?)
    ///     .billing(Billing::yearly())
    ///     .site(site);
    /// assert_eq!(plan.site, Some(site));
    /// assert_eq!(plan.reference, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(product: CatalogProductId) -> Self {
        Self {
            catalog_product_id: product,
            country_code: None,
            site: None,
            billing: None,
            discount_code: None,
            reference: None,
        }
    }

    /// Sold for `country` (`countryCode`).
    pub fn country(mut self, country: CountryCode) -> Self {
        self.country_code = Some(country);
        self
    }

    /// Assigned to `site` at creation (`siteId`); without it the instance floats.
    pub fn site(mut self, site: SiteId) -> Self {
        self.site = Some(site);
        self
    }

    /// Billed as `billing` (`billingInfo`).
    pub fn billing(mut self, billing: Billing) -> Self {
        self.billing = Some(BillingRequest::of(billing));
        self
    }

    /// With `code` (`discountCode`).
    pub fn discount_code(mut self, code: DiscountCode) -> Self {
        self.discount_code = Some(code);
        self
    }

    /// A voucher add-on of the live instance `reference`
    /// (`referenceProductInstanceId`).
    pub fn reference(mut self, reference: InstanceId) -> Self {
        self.reference = Some(reference);
        self
    }
}

impl CreatePackage {
    /// A Create Package V2 request of `products`, with no external id.
    ///
    /// ```
    /// use reseller_domain::ops::{CreatePackage, NewInstance};
    /// use reseller_domain::{CatalogProductId, CountryCode, ExternalId};
    ///
    /// let premium = CatalogProductId::parse("c1000000-0000-4000-8000-000000000001")?;
    /// let us = CountryCode::new("US")?;
    /// let request = CreatePackage::new([NewInstance::new(premium).country(us)])
    ///     .external_id(ExternalId::new("order-4711")?);
    /// assert_eq!(request.products.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(products: impl IntoIterator<Item = NewInstance>) -> Self {
        Self {
            external_id: None,
            products: products.into_iter().collect(),
        }
    }

    /// Carries `external_id` (`externalId`).
    pub fn external_id(mut self, external_id: ExternalId) -> Self {
        self.external_id = Some(external_id);
        self
    }

    /// Adds one more instance to `products`.
    pub fn product(mut self, instance: NewInstance) -> Self {
        self.products.push(instance);
        self
    }
}

/// An adjustment that changes nothing yet: add the product, the billing, the
/// discount code to change (Wix refuses an adjustment with none of them,
/// `MISSING_PRODUCT_DETAILS`).
impl Default for Adjust {
    fn default() -> Self {
        Self {
            catalog_product_id: None,
            billing: None,
            discount_code: None,
        }
    }
}

impl Adjust {
    /// Swaps the instance to `product` (same product type).
    ///
    /// ```
    /// use reseller_domain::ops::Adjust;
    /// use reseller_domain::{Billing, CatalogProductId};
    ///
    /// let business = CatalogProductId::parse("c1000000-0000-4000-8000-000000000003")?;
    /// let upgrade = Adjust::to_product(business).billing(Billing::monthly());
    /// assert_eq!(upgrade.catalog_product_id, Some(business));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_product(product: CatalogProductId) -> Self {
        Self {
            catalog_product_id: Some(product),
            ..Self::default()
        }
    }

    /// Changes the billing cycle to `billing`.
    pub fn billing(mut self, billing: Billing) -> Self {
        self.billing = Some(BillingRequest::of(billing));
        self
    }

    /// With `code` (taken into account only with a new product).
    pub fn discount_code(mut self, code: DiscountCode) -> Self {
        self.discount_code = Some(code);
        self
    }
}

#[cfg(test)]
mod tests;
