//! The operations: each one a pure function from (world, caller, command, now, new
//! ids) to [`Done`] (the answer, the changed aggregates and the domain events) or a
//! [`Refusal`] listing every rule it broke. Nothing here mutates the world; the
//! caller applies [`Changes`] (see `World::apply`).

mod accounts;
mod build;
pub mod dependents;
mod expiry;
mod packages;
mod transfer;

pub use accounts::{
    AccountInfo, CHILD_ACCOUNTS_DEFAULT_LIMIT, CHILD_ACCOUNTS_MAX_LIMIT, ChildAccounts,
    MAX_EMAIL_CHARS, NewSubAccount, account_slug, create_sub_account, get_account,
    list_child_accounts,
};
pub use expiry::{expire_instance, extend_instance, first_expiration};
pub use packages::{
    Adjust, BillingRequest, CreatePackage, NewInstance, adjust_instance, assign_instance,
    cancel_instance, cancel_package, create_package, get_package, set_instance_status,
    unassign_instance, update_external_id,
};
pub use transfer::{SiteTransfer, transfer_eligibility, transfer_site};

use uuid::Uuid;

use crate::error::{Refusal, Violation};
use crate::ids::{AccountId, InstanceId, PackageId, SiteId};
use crate::instance::StatusName;
use crate::package::Package;
use crate::world::{Account, Site};

/// A source of fresh UUIDs (random in production, sequential in tests).
pub type NewId<'a> = &'a mut dyn FnMut() -> Uuid;

/// The aggregates an operation changed, in full, and what happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Packages created or changed (each at most once).
    pub packages: Vec<Package>,
    /// Sites changed.
    pub sites: Vec<Site>,
    /// Accounts created.
    pub accounts: Vec<Account>,
    /// What happened, in order.
    pub events: Vec<DomainEvent>,
}

impl Changes {
    /// Whether the operation changed nothing.
    pub fn is_empty(&self) -> bool {
        self.packages.is_empty() && self.sites.is_empty() && self.accounts.is_empty()
    }
}

/// A successful operation: what to answer and what to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done<T> {
    /// The answer.
    pub answer: T,
    /// What changed.
    pub changes: Changes,
}

/// Something that happened to the world.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DomainEvent {
    /// A package was created.
    PackageCreated {
        /// The package.
        package: PackageId,
        /// Its owner.
        account: AccountId,
    },
    /// Cancel Package canceled at least one instance.
    PackageCanceled {
        /// The package.
        package: PackageId,
    },
    /// An instance was canceled.
    InstanceCanceled {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
    },
    /// An instance was assigned to a site (moved, when `previous` is set).
    InstanceAssigned {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// The new site.
        site: SiteId,
        /// The site it left, if any.
        previous: Option<SiteId>,
    },
    /// An instance became floating.
    InstanceUnassigned {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// The site it left.
        previous: SiteId,
    },
    /// Adjust changed an instance's product or billing.
    InstanceAdjusted {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
    },
    /// Provisioning moved an instance's status.
    InstanceStatusChanged {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
        /// The old status.
        from: StatusName,
        /// The new status.
        to: StatusName,
    },
    /// A site stopped holding an active (`PENDING` or `ENABLED`) instance of a
    /// product type; for `PREMIUM_PLAN`, the site is no longer premium. The
    /// instances that required the type were floated in the same change.
    SiteStoppedHolding {
        /// The site.
        site: SiteId,
        /// The type it no longer holds.
        product_type: crate::text::ProductType,
    },
    /// An expiring instance reached its `expirationDate` and was canceled.
    InstanceExpired {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
    },
    /// An expiring instance's `expirationDate` moved on (the dashboard's extension).
    InstanceExtended {
        /// Its package.
        package: PackageId,
        /// The instance.
        instance: InstanceId,
    },
    /// An instance served as a voucher reference.
    ReferenceUsed {
        /// The reference instance.
        reference: InstanceId,
        /// The instance bought with it.
        by: InstanceId,
    },
    /// A package's external id changed.
    ExternalIdChanged {
        /// The package.
        package: PackageId,
    },
    /// A site moved between accounts.
    SiteTransferred {
        /// The site.
        site: SiteId,
        /// The old owner.
        from: AccountId,
        /// The new owner.
        to: AccountId,
    },
    /// A sub-account was created.
    AccountCreated {
        /// The new account.
        account: AccountId,
        /// Its parent.
        parent: AccountId,
    },
}

/// Collects violations with a rank so the returned order follows the rule order,
/// whatever order they were found in.
#[derive(Default)]
pub(crate) struct Findings(Vec<(u8, Violation)>);

impl Findings {
    pub(crate) fn add(&mut self, rank: u8, v: Violation) {
        if !self.0.iter().any(|(_, w)| w == &v) {
            self.0.push((rank, v));
        }
    }

    pub(crate) fn into_refusal(mut self) -> Option<Refusal> {
        self.0.sort_by_key(|(rank, _)| *rank);
        Refusal::from_vec(self.0.into_iter().map(|(_, v)| v).collect())
    }
}
