//! Creating a subscription's package once, when its external id may already name
//! packages that hold nothing live (canceled, or replaced by an earlier run).
//!
//! [`create_once`](crate::safe::create_once) answers any package that carries
//! the external id, a canceled one too; reconcile wants the live one. So it runs
//! create-once counting only the packages with a live instance
//! (`create_once_among`), with an idempotency key derived from the external id and
//! the retired packages: the same in every try, every rerun and every process
//! while the retired set is the same, and a new one for each new generation.

use reseller_domain::idempotency::fnv1a_128;
use reseller_domain::ops::{CreatePackage, NewInstance};
use reseller_domain::{ExternalId, IdempotencyKey, PackageId};
use reseller_ports::{Call, ResellerPackages};

use super::desired::DesiredProduct;
use super::plan::is_live;
use crate::safe::{Attempts, Created, SafeError, create_once_among, create_once_key};

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
    create_once_among(wix, &keyed, &request, attempts, is_live).await
}
