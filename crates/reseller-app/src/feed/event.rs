//! The feed's events: what changed ([`ChangeKind`]), an event's identity
//! ([`EventId`]: its sequence and a digest of its content) and the event itself.

use std::fmt;

use reseller_domain::idempotency::fnv1a_128;
use reseller_domain::{
    AccountId, Billing, CatalogProductId, DiscountCode, ExternalId, Failure, InstanceId, Package,
    PackageId, ProductInstance, SiteId, Timestamp,
};

/// What changed, as one event says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// The feed saw this package for the first time; it carries the package as
    /// read (a package created before the feed started is announced this way too).
    PackageCreated {
        /// The package as read.
        package: Package,
    },
    /// `externalId` changed (Update Package External Id).
    ExternalIdChanged {
        /// Before.
        from: Option<ExternalId>,
        /// Now.
        to: Option<ExternalId>,
    },
    /// An instance moved to `ENABLED`: the customer has the service.
    InstanceEnabled {
        /// The instance.
        instance: InstanceId,
    },
    /// An instance moved to `AWAITING_ACTION`: a provider or the customer must act.
    InstanceAwaitingAction {
        /// The instance.
        instance: InstanceId,
    },
    /// An instance moved to `FAILED`, with Wix's reason.
    InstanceFailed {
        /// The instance.
        instance: InstanceId,
        /// `failure`: code and message.
        failure: Failure,
    },
    /// An instance moved to `CANCELED`.
    InstanceCanceled {
        /// The instance.
        instance: InstanceId,
    },
    /// An instance was answered `PENDING` after the feed had seen it in another
    /// state. The lifecycle has no such move; it is reported so that what the
    /// events describe stays exactly what Wix answers.
    InstancePending {
        /// The instance.
        instance: InstanceId,
    },
    /// An instance was assigned to a site (from floating, or moved from another site).
    InstanceAssigned {
        /// The instance.
        instance: InstanceId,
        /// The site it is on now.
        site: SiteId,
        /// The site it was on, when it was not floating.
        from: Option<SiteId>,
    },
    /// An instance was unassigned: it is floating now.
    InstanceUnassigned {
        /// The instance.
        instance: InstanceId,
        /// The site it was on.
        from: SiteId,
    },
    /// An instance's product, billing or discount code changed (Adjust Product
    /// Instance Specifications). Carries the values now.
    InstanceAdjusted {
        /// The instance.
        instance: InstanceId,
        /// `catalogProductId` now.
        catalog_product_id: CatalogProductId,
        /// `billingInfo` now.
        billing: Option<Billing>,
        /// `discountCode` now.
        discount_code: Option<DiscountCode>,
    },
    /// An instance the feed had not seen appeared in a package it had seen. Wix
    /// documents no such change; reported so that nothing answered is lost.
    InstanceAdded {
        /// The instance as read.
        instance: ProductInstance,
    },
    /// An instance the feed had seen is no longer in its package. Wix documents no
    /// such change; reported so that nothing answered is lost.
    InstanceRemoved {
        /// The instance.
        instance: InstanceId,
    },
    /// Every instance of the package is canceled now (Cancel Package, or the last
    /// instance canceled); follows the instances' own events.
    PackageCanceled,
}

impl ChangeKind {
    /// A short name: `package-created`, `instance-enabled`, ...
    pub fn name(&self) -> &'static str {
        match self {
            Self::PackageCreated { .. } => "package-created",
            Self::ExternalIdChanged { .. } => "external-id-changed",
            Self::InstanceEnabled { .. } => "instance-enabled",
            Self::InstanceAwaitingAction { .. } => "instance-awaiting-action",
            Self::InstanceFailed { .. } => "instance-failed",
            Self::InstanceCanceled { .. } => "instance-canceled",
            Self::InstancePending { .. } => "instance-pending",
            Self::InstanceAssigned { .. } => "instance-assigned",
            Self::InstanceUnassigned { .. } => "instance-unassigned",
            Self::InstanceAdjusted { .. } => "instance-adjusted",
            Self::InstanceAdded { .. } => "instance-added",
            Self::InstanceRemoved { .. } => "instance-removed",
            Self::PackageCanceled => "package-canceled",
        }
    }

    /// The instance the event is about, when it is about one.
    pub fn instance(&self) -> Option<InstanceId> {
        match self {
            Self::InstanceEnabled { instance }
            | Self::InstanceAwaitingAction { instance }
            | Self::InstanceFailed { instance, .. }
            | Self::InstanceCanceled { instance }
            | Self::InstancePending { instance }
            | Self::InstanceAssigned { instance, .. }
            | Self::InstanceUnassigned { instance, .. }
            | Self::InstanceAdjusted { instance, .. }
            | Self::InstanceRemoved { instance } => Some(*instance),
            Self::InstanceAdded { instance } => Some(instance.id()),
            Self::PackageCreated { .. }
            | Self::ExternalIdChanged { .. }
            | Self::PackageCanceled => None,
        }
    }
}

/// An event's identity: its position in the feed and a digest of its content.
/// Delivered again (after a crash before the commit), the same change has the same
/// id; two different changes never share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId {
    /// The event's sequence number in its feed.
    pub sequence: u64,
    /// A 128-bit FNV-1a digest of the package id, its `updatedDate` and the change.
    pub digest: u128,
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:032x}", self.sequence, self.digest)
    }
}

/// One change the feed saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEvent {
    /// The event's id (deduplicate by it).
    pub id: EventId,
    /// The package.
    pub package: PackageId,
    /// The package's owner.
    pub account: AccountId,
    /// The package's `updatedDate` when the change was seen.
    pub at: Timestamp,
    /// What changed.
    pub kind: ChangeKind,
}

impl fmt::Display for ChangeEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} package {}",
            self.at,
            self.kind.name(),
            self.package
        )?;
        match &self.kind {
            ChangeKind::PackageCreated { package } => {
                write!(f, " with {} instance(s)", package.instances().len())?;
                if let Some(e) = package.external_id() {
                    write!(f, ", external id `{e}`")?;
                }
                Ok(())
            }
            ChangeKind::ExternalIdChanged { to, .. } => match to {
                Some(e) => write!(f, ": external id `{e}`"),
                None => write!(f, ": no external id"),
            },
            ChangeKind::InstanceFailed { instance, failure } => write!(
                f,
                " instance {instance}: {} ({})",
                failure.code.as_str(),
                failure.message
            ),
            ChangeKind::InstanceAssigned { instance, site, .. } => {
                write!(f, " instance {instance} to site {site}")
            }
            ChangeKind::InstanceUnassigned { instance, from } => {
                write!(f, " instance {instance} from site {from}")
            }
            ChangeKind::InstanceAdjusted {
                instance,
                catalog_product_id,
                billing,
                ..
            } => {
                write!(f, " instance {instance}: product {catalog_product_id}")?;
                match billing {
                    Some(b) => write!(f, ", {b}"),
                    None => Ok(()),
                }
            }
            other => match other.instance() {
                Some(i) => write!(f, " instance {i}"),
                None => Ok(()),
            },
        }
    }
}

/// The event of `kind` seen on `package` at position `sequence`.
pub(super) fn event(sequence: u64, package: &Package, kind: ChangeKind) -> ChangeEvent {
    let text = format!(
        "{}|{}|{}|{kind:?}",
        package.id(),
        package.updated().unix_millis(),
        package.account_id()
    );
    ChangeEvent {
        id: EventId {
            sequence,
            digest: fnv1a_128(text.as_bytes()),
        },
        package: package.id(),
        account: package.account_id(),
        at: package.updated(),
        kind,
    }
}
