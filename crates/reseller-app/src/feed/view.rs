//! The state a consumer rebuilds from the events ([`FeedView`]), and the views of
//! a package and an instance it holds.

use std::collections::BTreeMap;

use reseller_domain::{
    AccountId, Billing, CatalogProductId, DiscountCode, ExternalId, InstanceId, InstanceStatus,
    Package, PackageId, ProductInstance, SiteId,
};

use super::event::{ChangeEvent, ChangeKind};

/// What the events say of an instance: enough to tell every change the feed
/// reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceView {
    /// `catalogProductId`
    pub catalog_product_id: CatalogProductId,
    /// `siteId`, `None` when floating.
    pub site: Option<SiteId>,
    /// `status` (with `failure`).
    pub status: InstanceStatus,
    /// `billingInfo`
    pub billing: Option<Billing>,
    /// `discountCode`
    pub discount_code: Option<DiscountCode>,
}

impl InstanceView {
    fn of(i: &ProductInstance) -> Self {
        Self {
            catalog_product_id: i.catalog_product_id(),
            site: i.site(),
            status: i.status().clone(),
            billing: i.billing(),
            discount_code: i.discount_code().cloned(),
        }
    }
}

/// What the events say of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageView {
    /// `accountId`
    pub account: AccountId,
    /// `externalId`
    pub external_id: Option<ExternalId>,
    /// The instances, by id.
    pub instances: BTreeMap<InstanceId, InstanceView>,
}

impl PackageView {
    /// The view of a package as read.
    pub fn of(p: &Package) -> Self {
        Self {
            account: p.account_id(),
            external_id: p.external_id().cloned(),
            instances: p
                .instances()
                .iter()
                .map(|i| (i.id(), InstanceView::of(i)))
                .collect(),
        }
    }
}

/// The state a consumer rebuilds from the events: what a reseller's own database
/// would hold. Replaying a feed's events on the view of its starting state gives
/// the view of the packages as they are at the end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedView {
    /// The packages, by id.
    pub packages: BTreeMap<PackageId, PackageView>,
}

impl FeedView {
    /// The view of these packages.
    pub fn of<'a>(packages: impl IntoIterator<Item = &'a Package>) -> Self {
        Self {
            packages: packages
                .into_iter()
                .map(|p| (p.id(), PackageView::of(p)))
                .collect(),
        }
    }

    /// Applies one event. An event about a package or instance the view does not
    /// hold changes nothing (it cannot happen for events of one feed replayed in
    /// order on its starting state).
    pub fn apply(&mut self, event: &ChangeEvent) {
        if let ChangeKind::PackageCreated { package } = &event.kind {
            self.packages.insert(package.id(), PackageView::of(package));
            return;
        }
        let Some(p) = self.packages.get_mut(&event.package) else {
            return;
        };
        p.account = event.account;
        match &event.kind {
            ChangeKind::PackageCreated { .. } => {}
            ChangeKind::ExternalIdChanged { to, .. } => p.external_id = to.clone(),
            ChangeKind::InstanceAdded { instance } => {
                p.instances
                    .insert(instance.id(), InstanceView::of(instance));
            }
            ChangeKind::InstanceRemoved { instance } => {
                p.instances.remove(instance);
            }
            ChangeKind::PackageCanceled => {
                for i in p.instances.values_mut() {
                    i.status = InstanceStatus::Canceled;
                }
            }
            kind => {
                let Some(id) = kind.instance() else { return };
                let Some(i) = p.instances.get_mut(&id) else {
                    return;
                };
                match kind {
                    ChangeKind::InstanceEnabled { .. } => i.status = InstanceStatus::Enabled,
                    ChangeKind::InstanceAwaitingAction { .. } => {
                        i.status = InstanceStatus::AwaitingAction;
                    }
                    ChangeKind::InstanceFailed { failure, .. } => {
                        i.status = InstanceStatus::Failed(failure.clone());
                    }
                    ChangeKind::InstanceCanceled { .. } => i.status = InstanceStatus::Canceled,
                    ChangeKind::InstancePending { .. } => i.status = InstanceStatus::Pending,
                    ChangeKind::InstanceAssigned { site, .. } => i.site = Some(*site),
                    ChangeKind::InstanceUnassigned { .. } => i.site = None,
                    ChangeKind::InstanceAdjusted {
                        catalog_product_id,
                        billing,
                        discount_code,
                        ..
                    } => {
                        i.catalog_product_id = *catalog_product_id;
                        i.billing = *billing;
                        i.discount_code = discount_code.clone();
                    }
                    _ => {}
                }
            }
        }
    }
}
