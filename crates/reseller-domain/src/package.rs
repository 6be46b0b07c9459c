//! The package aggregate: 1 to 1000 product instances bought together for one
//! account. Instances are never removed from a package; canceling keeps them, with
//! status `CANCELED`.

use crate::ids::{AccountId, InstanceId, PackageId};
use crate::instance::ProductInstance;
use crate::text::ExternalId;
use crate::time::Timestamp;

/// The number of instances a package holds: at least 1, at most 1000.
pub const MAX_INSTANCES: usize = 1000;

/// A non-empty list of at most [`MAX_INSTANCES`] instances with distinct ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instances(Vec<ProductInstance>);

/// Why a list of instances cannot form a package.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InstancesError {
    /// No instance.
    #[error("a package holds at least one product instance")]
    Empty,
    /// More than [`MAX_INSTANCES`].
    #[error("a package holds at most 1000 product instances, got {0}")]
    TooMany(usize),
    /// The same `instanceId` twice.
    #[error("instance {0} appears twice in one package")]
    DuplicateInstance(InstanceId),
}

impl Instances {
    /// Validates the count and the distinctness of ids.
    ///
    /// # Errors
    /// [`InstancesError`] when empty, over 1000, or with a repeated id.
    pub fn new(list: Vec<ProductInstance>) -> Result<Self, InstancesError> {
        if list.is_empty() {
            return Err(InstancesError::Empty);
        }
        if list.len() > MAX_INSTANCES {
            return Err(InstancesError::TooMany(list.len()));
        }
        let mut seen = std::collections::HashSet::with_capacity(list.len());
        for i in &list {
            if !seen.insert(i.id()) {
                return Err(InstancesError::DuplicateInstance(i.id()));
            }
        }
        Ok(Self(list))
    }

    /// The instances, in creation order.
    pub fn as_slice(&self) -> &[ProductInstance] {
        &self.0
    }

    /// How many (1..=1000).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: a package is never empty. Present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn get_mut(&mut self, id: InstanceId) -> Option<&mut ProductInstance> {
        self.0.iter_mut().find(|i| i.id() == id)
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut ProductInstance> {
        self.0.iter_mut()
    }
}

/// Everything needed to rebuild a package from stored or received data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageParts {
    /// `id`
    pub id: PackageId,
    /// `accountId`: the owner.
    pub account_id: AccountId,
    /// `parentAccountId`: the owner's parent, or the owner itself when it has none.
    pub parent_account_id: Option<AccountId>,
    /// `externalId`
    pub external_id: Option<ExternalId>,
    /// `productInstances`
    pub instances: Instances,
    /// `createdDate`
    pub created: Timestamp,
    /// `updatedDate`
    pub updated: Timestamp,
}

/// A package of product instances owned by one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    parts: PackageParts,
}

impl Package {
    pub(crate) fn new(parts: PackageParts) -> Self {
        Self { parts }
    }

    /// Rebuilds a package from validated parts (the instance list is already bounded).
    pub fn from_parts(parts: PackageParts) -> Self {
        Self { parts }
    }

    /// All fields, for persistence and wire conversion.
    pub fn parts(&self) -> &PackageParts {
        &self.parts
    }

    /// Consumes the package into its parts.
    pub fn into_parts(self) -> PackageParts {
        self.parts
    }

    /// `id`
    pub fn id(&self) -> PackageId {
        self.parts.id
    }
    /// `accountId`
    pub fn account_id(&self) -> AccountId {
        self.parts.account_id
    }
    /// `parentAccountId`
    pub fn parent_account_id(&self) -> Option<AccountId> {
        self.parts.parent_account_id
    }
    /// `externalId`
    pub fn external_id(&self) -> Option<&ExternalId> {
        self.parts.external_id.as_ref()
    }
    /// `productInstances`
    pub fn instances(&self) -> &[ProductInstance] {
        self.parts.instances.as_slice()
    }
    /// One instance by id.
    pub fn instance(&self, id: InstanceId) -> Option<&ProductInstance> {
        self.instances().iter().find(|i| i.id() == id)
    }
    /// `createdDate`
    pub fn created(&self) -> Timestamp {
        self.parts.created
    }
    /// `updatedDate`
    pub fn updated(&self) -> Timestamp {
        self.parts.updated
    }

    pub(crate) fn instance_mut(&mut self, id: InstanceId) -> Option<&mut ProductInstance> {
        self.parts.instances.get_mut(id)
    }

    pub(crate) fn instances_mut(&mut self) -> impl Iterator<Item = &mut ProductInstance> {
        self.parts.instances.iter_mut()
    }

    pub(crate) fn set_external_id(&mut self, external_id: Option<ExternalId>) {
        self.parts.external_id = external_id;
    }

    pub(crate) fn touch(&mut self, now: Timestamp) {
        if now > self.parts.updated {
            self.parts.updated = now;
        }
    }
}
