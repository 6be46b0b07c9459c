//! Creating a subscription's package once, when its external id may already name
//! packages that hold nothing live (canceled, or replaced by an earlier run).
//!
//! [`create_once`] answers any package that carries the external id, a canceled one
//! too; reconcile wants the live one. So it calls `create_once` through
//! [`LiveOnly`], a view of Wix whose Query Packages leaves out packages without a
//! live instance, with an idempotency key derived from the external id and those
//! retired packages: the same in every try, every rerun and every process while
//! the retired set is the same, and a new one for each new generation.

use async_trait::async_trait;
use reseller_domain::idempotency::fnv1a_128;
use reseller_domain::ops::{Adjust, CreatePackage, NewInstance};
use reseller_domain::query::PackageQuery;
use reseller_domain::{ExternalId, IdempotencyKey, InstanceId, Package, PackageId, SiteId};
use reseller_ports::{Call, PackagesPage, PortError, ResellerPackages};

use super::desired::DesiredProduct;
use super::plan::is_live;
use crate::safe::{Attempts, Created, SafeError, create_once, create_once_key};

/// Wix, with the packages that hold nothing live left out of Query Packages.
pub(crate) struct LiveOnly<'a, W: ?Sized>(pub(crate) &'a W);

#[async_trait]
impl<W: ResellerPackages + ?Sized> ResellerPackages for LiveOnly<'_, W> {
    async fn create_package(
        &self,
        call: &Call,
        request: &CreatePackage,
    ) -> Result<Package, PortError> {
        self.0.create_package(call, request).await
    }
    async fn get_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        self.0.get_package(call, id).await
    }
    async fn query_packages(
        &self,
        call: &Call,
        query: &PackageQuery,
    ) -> Result<PackagesPage, PortError> {
        let mut page = self.0.query_packages(call, query).await?;
        page.packages.retain(is_live);
        Ok(page)
    }
    async fn cancel_package(&self, call: &Call, id: PackageId) -> Result<Package, PortError> {
        self.0.cancel_package(call, id).await
    }
    async fn assign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        site: SiteId,
    ) -> Result<Package, PortError> {
        self.0.assign_instance(call, instance, site).await
    }
    async fn unassign_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        self.0.unassign_instance(call, instance).await
    }
    async fn cancel_instance(
        &self,
        call: &Call,
        instance: InstanceId,
    ) -> Result<Package, PortError> {
        self.0.cancel_instance(call, instance).await
    }
    async fn adjust_instance(
        &self,
        call: &Call,
        instance: InstanceId,
        request: &Adjust,
    ) -> Result<Package, PortError> {
        self.0.adjust_instance(call, instance, request).await
    }
    async fn update_external_id(
        &self,
        call: &Call,
        id: PackageId,
        external_id: &ExternalId,
    ) -> Result<Package, PortError> {
        self.0.update_external_id(call, id, external_id).await
    }
}

/// The key of the create of `external_id` after the `retired` packages:
/// [`create_once_key`] when there are none (so a package made by `create_once`
/// elsewhere is the same order), else `reconcile-create-` and the FNV-1a 128 of the
/// external id and the sorted package ids.
pub fn create_key(external_id: &ExternalId, retired: &[PackageId]) -> IdempotencyKey {
    if retired.is_empty() {
        return create_once_key(external_id);
    }
    let mut ids: Vec<String> = retired.iter().map(ToString::to_string).collect();
    ids.sort();
    let text = format!("{}\n{}", external_id.as_str(), ids.join("\n"));
    IdempotencyKey::derived("reconcile-create", fnv1a_128(text.as_bytes()))
}

/// The Create Package V2 request of billing's products (create-once sets the
/// external id).
pub fn request(products: &[DesiredProduct]) -> CreatePackage {
    CreatePackage {
        external_id: None,
        products: products
            .iter()
            .map(|p| NewInstance {
                catalog_product_id: p.catalog_product_id,
                country_code: Some(p.country_code),
                site: p.site,
                billing: Some(reseller_domain::ops::BillingRequest::of(p.billing)),
                discount_code: p.discount_code.clone(),
                reference: None,
            })
            .collect(),
    }
}

/// Creates the live package of `external_id` at most once (see the module).
pub(crate) async fn create_live_once<W: ResellerPackages + ?Sized>(
    wix: &W,
    call: &Call,
    external_id: &ExternalId,
    retired: &[PackageId],
    products: &[DesiredProduct],
    attempts: Attempts,
) -> Result<Created, SafeError> {
    let keyed = call
        .clone()
        .idempotency_key(create_key(external_id, retired));
    let mut request = request(products);
    request.external_id = Some(external_id.clone());
    create_once(&LiveOnly(wix), &keyed, &request, attempts).await
}
