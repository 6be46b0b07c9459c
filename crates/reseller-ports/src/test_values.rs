//! Builders of test values (feature `mock`): a package, a product instance, a
//! page, each valid and complete with fixed ids and dates, so a test names only
//! the facts it is about. Numbered values ([`PackageBuilder::number`]) have
//! distinct ids.
//!
//! ```
//! use reseller_domain::{ExternalId, InstanceStatus, SiteId};
//! use reseller_ports::test_values::{a_package, an_instance};
//!
//! let site = SiteId::parse("51000000-0000-4000-8000-000000000002")?;
//! let package = a_package()
//!     .external_id(ExternalId::new("order-1")?)
//!     .instance(an_instance().site(site).status(InstanceStatus::Enabled))
//!     .build();
//! assert_eq!(package.instances()[0].site(), Some(site));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use reseller_domain::instance::InstanceParts;
use reseller_domain::ops::{CreatePackage, NewInstance};
use reseller_domain::package::PackageParts;
use reseller_domain::{
    AccountId, Assignment, Billing, CatalogProductId, CountryCode, ExternalId, InstanceId,
    InstanceStatus, Instances, Package, PackageId, ProductInstance, SiteId, Timestamp,
};
use uuid::Uuid;

use crate::ports::PackagesPage;

/// The account every test value belongs to unless told otherwise.
pub const ACCOUNT: AccountId =
    AccountId::from_uuid(Uuid::from_u128(0x7e57_0000_0000_4000_8000_0000_0000_0001));
/// The product of every test instance unless told otherwise.
pub const PRODUCT: CatalogProductId =
    CatalogProductId::from_uuid(Uuid::from_u128(0x7e57_0000_0000_4000_8000_0000_0000_0002));

/// The creation date of every test value: 2024-01-01T00:00:00Z.
pub fn created() -> Timestamp {
    Timestamp::from_unix_millis(1_704_067_200_000)
        .unwrap_or_else(|| Timestamp::new(chrono::DateTime::<chrono::Utc>::UNIX_EPOCH))
}

/// A package builder: one floating `PENDING` instance of [`PRODUCT`], owned by
/// [`ACCOUNT`], no external id.
pub fn a_package() -> PackageBuilder {
    PackageBuilder::default()
}

/// An instance builder: `PENDING`, floating, of [`PRODUCT`], sold in the US.
pub fn an_instance() -> InstanceBuilder {
    InstanceBuilder::default()
}

/// A last page of Query Packages holding `packages`.
pub fn a_page(packages: impl IntoIterator<Item = Package>) -> PackagesPage {
    PackagesPage::of(packages.into_iter().collect())
}

/// Builds a [`Package`].
#[derive(Debug, Clone)]
pub struct PackageBuilder {
    number: u128,
    account: AccountId,
    external_id: Option<ExternalId>,
    instances: Vec<InstanceBuilder>,
}

impl Default for PackageBuilder {
    fn default() -> Self {
        Self {
            number: 1,
            account: ACCOUNT,
            external_id: None,
            instances: Vec::new(),
        }
    }
}

impl PackageBuilder {
    /// Package number `n`: its id and its instances' ids differ from every other
    /// number's.
    pub fn number(mut self, n: u32) -> Self {
        self.number = u128::from(n);
        self
    }

    /// Owned by `account`.
    pub fn account(mut self, account: AccountId) -> Self {
        self.account = account;
        self
    }

    /// Carrying `external_id`.
    pub fn external_id(mut self, external_id: ExternalId) -> Self {
        self.external_id = Some(external_id);
        self
    }

    /// With `instance` (the first call replaces the default instance; later
    /// calls add more, up to 1000; an instance whose id repeats an earlier one's
    /// is left out).
    pub fn instance(mut self, instance: InstanceBuilder) -> Self {
        self.instances.push(instance);
        self
    }

    /// The package Create Package would answer to `request`: its external id and
    /// one `PENDING` instance per product, as asked.
    pub fn answering(mut self, request: &CreatePackage) -> Self {
        self.external_id = request.external_id.clone();
        self.instances = request
            .products
            .iter()
            .map(InstanceBuilder::asked)
            .collect();
        self
    }

    /// The package's id.
    pub fn id(&self) -> PackageId {
        PackageId::from_uuid(Uuid::from_u128(
            0x7e57_0000_0000_4000_8000_0001_0000_0000 | self.number,
        ))
    }

    /// The package.
    pub fn build(self) -> Package {
        let id = self.id();
        let mut list: Vec<ProductInstance> = self
            .instances
            .into_iter()
            .take(reseller_domain::package::MAX_INSTANCES)
            .enumerate()
            .map(|(i, b)| b.build_numbered(self.number, i))
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        list.retain(|i| seen.insert(i.id()));
        if list.is_empty() {
            list.push(InstanceBuilder::default().build_numbered(self.number, 0));
        }
        // 1..=1000 instances with distinct ids: always accepted.
        let instances = match Instances::new(list) {
            Ok(i) => i,
            Err(e) => unreachable!("a test package has 1 to 1000 instances: {e}"),
        };
        Package::from_parts(PackageParts {
            id,
            account_id: self.account,
            parent_account_id: Some(self.account),
            external_id: self.external_id,
            instances,
            created: created(),
            updated: created(),
        })
    }
}

/// Builds a [`ProductInstance`].
#[derive(Debug, Clone)]
pub struct InstanceBuilder {
    id: Option<InstanceId>,
    product: CatalogProductId,
    site: Option<SiteId>,
    status: InstanceStatus,
    billing: Option<Billing>,
    country: Option<CountryCode>,
    reference: Option<InstanceId>,
}

impl Default for InstanceBuilder {
    fn default() -> Self {
        Self {
            id: None,
            product: PRODUCT,
            site: None,
            status: InstanceStatus::Pending,
            billing: None,
            country: CountryCode::new("US").ok(),
            reference: None,
        }
    }
}

impl InstanceBuilder {
    fn asked(asked: &NewInstance) -> Self {
        Self {
            id: None,
            product: asked.catalog_product_id,
            site: asked.site,
            status: InstanceStatus::Pending,
            billing: None,
            country: asked.country_code,
            reference: asked.reference,
        }
    }

    /// With id `id` (otherwise one derived from the package number and position).
    pub fn id(mut self, id: InstanceId) -> Self {
        self.id = Some(id);
        self
    }

    /// Of `product`.
    pub fn product(mut self, product: CatalogProductId) -> Self {
        self.product = product;
        self
    }

    /// Assigned to `site`.
    pub fn site(mut self, site: SiteId) -> Self {
        self.site = Some(site);
        self
    }

    /// In `status`.
    pub fn status(mut self, status: InstanceStatus) -> Self {
        self.status = status;
        self
    }

    /// Billed as `billing`.
    pub fn billing(mut self, billing: Billing) -> Self {
        self.billing = Some(billing);
        self
    }

    /// Bought with the voucher `reference`.
    pub fn reference(mut self, reference: InstanceId) -> Self {
        self.reference = Some(reference);
        self
    }

    /// The instance, alone (its id derived from position 0 of package 1 unless set).
    pub fn build(self) -> ProductInstance {
        self.build_numbered(1, 0)
    }

    fn build_numbered(self, package: u128, position: usize) -> ProductInstance {
        let derived =
            0x7e57_0000_0000_4000_8000_0002_0000_0000 | (package << 12) | position as u128;
        ProductInstance::from_parts(InstanceParts {
            id: self
                .id
                .unwrap_or_else(|| InstanceId::from_uuid(Uuid::from_u128(derived))),
            catalog_product_id: self.product,
            assignment: self.site.map_or(Assignment::Floating, Assignment::Site),
            status: self.status,
            billing: self.billing,
            country_code: self.country,
            discount_code: None,
            reference: self.reference,
            used_as_reference: false,
            created: created(),
            updated: created(),
            expiration: None,
        })
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn numbered_packages_have_distinct_ids_and_built_values_are_complete() {
        let one = a_package().number(1).build();
        let two = a_package()
            .number(2)
            .instance(an_instance())
            .instance(an_instance())
            .build();
        assert_ne!(one.id(), two.id());
        assert_ne!(one.instances()[0].id(), two.instances()[0].id());
        assert_ne!(two.instances()[0].id(), two.instances()[1].id());
        assert_eq!(one.account_id(), ACCOUNT);
        assert_eq!(one.instances()[0].status(), &InstanceStatus::Pending);
        assert_eq!(a_page([one.clone()]).packages, vec![one]);
    }

    #[test]
    fn a_package_answering_a_request_carries_what_it_asked() {
        let site = SiteId::from_uuid(Uuid::from_u128(9));
        let request = CreatePackage::new([NewInstance::new(PRODUCT).site(site)])
            .external_id(ExternalId::new("order-1").unwrap_or_else(|_| unreachable!()));
        let package = a_package().answering(&request).build();
        assert_eq!(package.external_id(), request.external_id.as_ref());
        assert_eq!(package.instances()[0].site(), Some(site));
    }
}
