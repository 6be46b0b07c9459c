//! A product instance and its lifecycle: `PENDING`, `AWAITING_ACTION`, `ENABLED`,
//! `FAILED` (with its reason) and `CANCELED`, moved only along the legal edges of
//! spec section 2.5. Fields are private; the transition methods are the only way to
//! change an instance.

use std::fmt;

use crate::billing::Billing;
use crate::ids::{CatalogProductId, InstanceId, SiteId};
use crate::text::{CountryCode, DiscountCode};
use crate::time::Timestamp;

/// `failure.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureCode {
    /// `UNKNOWN`
    Unknown,
    /// `DELIVERY_TIMEOUT`: creation timed out inside Wix.
    DeliveryTimeout,
    /// `EXTERNAL_FAILURE`: an external process failed.
    ExternalFailure,
}

impl FailureCode {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "UNKNOWN",
            Self::DeliveryTimeout => "DELIVERY_TIMEOUT",
            Self::ExternalFailure => "EXTERNAL_FAILURE",
        }
    }

    /// Parses a wire name (case-sensitive).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "UNKNOWN" => Some(Self::Unknown),
            "DELIVERY_TIMEOUT" => Some(Self::DeliveryTimeout),
            "EXTERNAL_FAILURE" => Some(Self::ExternalFailure),
            _ => None,
        }
    }
}

/// Why an instance failed (`failure`): present exactly when the status is `FAILED`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Failure {
    /// `failure.code`
    pub code: FailureCode,
    /// `failure.message`, free text.
    pub message: String,
}

/// The lifecycle state of an instance. `Failed` carries its reason, so a failed
/// instance without one, or a reason on another state, cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InstanceStatus {
    /// `PENDING`: not yet available to the customer.
    Pending,
    /// `AWAITING_ACTION`: waiting for an external provider or the customer.
    AwaitingAction,
    /// `ENABLED`: the customer can use it ("ACTIVE" in some Wix prose).
    Enabled,
    /// `FAILED`: never delivered; terminal.
    Failed(Failure),
    /// `CANCELED`: no longer available; terminal.
    Canceled,
}

/// The data-less name of a status, for tables, filters and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusName {
    /// `PENDING`
    Pending,
    /// `AWAITING_ACTION`
    AwaitingAction,
    /// `ENABLED`
    Enabled,
    /// `FAILED`
    Failed,
    /// `CANCELED`
    Canceled,
}

impl StatusName {
    /// Every status.
    pub const ALL: [StatusName; 5] = [
        Self::Pending,
        Self::AwaitingAction,
        Self::Enabled,
        Self::Failed,
        Self::Canceled,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::AwaitingAction => "AWAITING_ACTION",
            Self::Enabled => "ENABLED",
            Self::Failed => "FAILED",
            Self::Canceled => "CANCELED",
        }
    }

    /// Parses a wire name (case-sensitive, as Wix writes it).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "PENDING" => Some(Self::Pending),
            "AWAITING_ACTION" => Some(Self::AwaitingAction),
            "ENABLED" => Some(Self::Enabled),
            "FAILED" => Some(Self::Failed),
            "CANCELED" => Some(Self::Canceled),
            _ => None,
        }
    }

    /// Whether an instance may move from `self` to `to` (spec section 2.5).
    pub fn can_move_to(self, to: StatusName) -> bool {
        use StatusName::*;
        matches!(
            (self, to),
            (Pending, Enabled | AwaitingAction | Failed | Canceled)
                | (AwaitingAction, Enabled | Failed | Canceled)
                | (Enabled, Canceled)
        )
    }

    /// `FAILED` and `CANCELED` never change again.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Failed | Self::Canceled)
    }

    /// Counts as a current service: `PENDING`, `AWAITING_ACTION` or `ENABLED`. Live
    /// instances occupy their product type on a site, count toward subscription
    /// limits, and block a site transfer.
    pub fn is_live(self) -> bool {
        !self.is_terminal()
    }

    /// `PENDING` or `ENABLED` ("ACTIVE" in Wix's prose): the statuses in which an
    /// instance holds its product type for the site (what a dependent product
    /// requires) and may serve as a voucher reference.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Pending | Self::Enabled)
    }
}

impl fmt::Display for StatusName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl InstanceStatus {
    /// The data-less name.
    pub fn name(&self) -> StatusName {
        match self {
            Self::Pending => StatusName::Pending,
            Self::AwaitingAction => StatusName::AwaitingAction,
            Self::Enabled => StatusName::Enabled,
            Self::Failed(_) => StatusName::Failed,
            Self::Canceled => StatusName::Canceled,
        }
    }

    /// The failure reason, when failed.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Self::Failed(f) => Some(f),
            _ => None,
        }
    }
}

/// An illegal status move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an instance cannot move from {from} to {to}")]
pub struct TransitionError {
    /// Where the instance is.
    pub from: StatusName,
    /// Where it was asked to go.
    pub to: StatusName,
}

/// Where an instance is assigned: to the account only (floating) or to a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Assignment {
    /// No `siteId`: the customer cannot use it until it is assigned.
    Floating,
    /// Assigned to this site.
    Site(SiteId),
}

impl Assignment {
    /// The site, when assigned.
    pub fn site(&self) -> Option<SiteId> {
        match self {
            Self::Floating => None,
            Self::Site(s) => Some(*s),
        }
    }
}

/// Everything needed to build an instance from stored or received data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceParts {
    /// `instanceId`
    pub id: InstanceId,
    /// `catalogProductId`
    pub catalog_product_id: CatalogProductId,
    /// `siteId` or floating.
    pub assignment: Assignment,
    /// `status` (with `failure`).
    pub status: InstanceStatus,
    /// `billingInfo`, absent when never set.
    pub billing: Option<Billing>,
    /// `countryCode` (absent only on instances made through the deprecated v1 create).
    pub country_code: Option<CountryCode>,
    /// `discountCode`
    pub discount_code: Option<DiscountCode>,
    /// `referenceProductInstanceId`: the voucher this instance was bought with.
    pub reference: Option<InstanceId>,
    /// Whether this instance has served as a voucher reference (not on the wire).
    pub used_as_reference: bool,
    /// `createdDate`
    pub created: Timestamp,
    /// `updatedDate`
    pub updated: Timestamp,
    /// `expirationDate`: only for instances that do not auto-renew.
    pub expiration: Option<Timestamp>,
}

impl InstanceParts {
    /// The barest instance: `PENDING`, floating, created and updated at `at`, with
    /// nothing optional set and never used as a reference. The rest is filled in
    /// with struct update syntax: `InstanceParts { billing, ..InstanceParts::pending(id,
    /// product, at) }`.
    pub fn pending(id: InstanceId, catalog_product_id: CatalogProductId, at: Timestamp) -> Self {
        Self {
            id,
            catalog_product_id,
            assignment: Assignment::Floating,
            status: InstanceStatus::Pending,
            billing: None,
            country_code: None,
            discount_code: None,
            reference: None,
            used_as_reference: false,
            created: at,
            updated: at,
            expiration: None,
        }
    }
}

/// One product instance of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductInstance {
    parts: InstanceParts,
}

impl ProductInstance {
    /// A new instance as Create Package makes it: `PENDING`, created now.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new_pending(
        id: InstanceId,
        catalog_product_id: CatalogProductId,
        assignment: Assignment,
        billing: Option<Billing>,
        country_code: Option<CountryCode>,
        discount_code: Option<DiscountCode>,
        reference: Option<InstanceId>,
        now: Timestamp,
        expiration: Option<Timestamp>,
    ) -> Self {
        Self {
            parts: InstanceParts {
                assignment,
                billing,
                country_code,
                discount_code,
                reference,
                expiration,
                ..InstanceParts::pending(id, catalog_product_id, now)
            },
        }
    }

    /// Rebuilds an instance from stored or received parts. Any combination is
    /// representable (a read model must accept what Wix answers), so this cannot fail.
    pub fn from_parts(parts: InstanceParts) -> Self {
        Self { parts }
    }

    /// All fields, for persistence and wire conversion.
    pub fn parts(&self) -> &InstanceParts {
        &self.parts
    }

    /// `instanceId`
    pub fn id(&self) -> InstanceId {
        self.parts.id
    }
    /// `catalogProductId`
    pub fn catalog_product_id(&self) -> CatalogProductId {
        self.parts.catalog_product_id
    }
    /// Assignment.
    pub fn assignment(&self) -> Assignment {
        self.parts.assignment
    }
    /// `siteId`, when assigned.
    pub fn site(&self) -> Option<SiteId> {
        self.parts.assignment.site()
    }
    /// `status`
    pub fn status(&self) -> &InstanceStatus {
        &self.parts.status
    }
    /// `billingInfo`
    pub fn billing(&self) -> Option<Billing> {
        self.parts.billing
    }
    /// `countryCode`
    pub fn country_code(&self) -> Option<CountryCode> {
        self.parts.country_code
    }
    /// `discountCode`
    pub fn discount_code(&self) -> Option<&DiscountCode> {
        self.parts.discount_code.as_ref()
    }
    /// `referenceProductInstanceId`
    pub fn reference(&self) -> Option<InstanceId> {
        self.parts.reference
    }
    /// Whether this instance has already served as a voucher reference.
    pub fn used_as_reference(&self) -> bool {
        self.parts.used_as_reference
    }
    /// `createdDate`
    pub fn created(&self) -> Timestamp {
        self.parts.created
    }
    /// `updatedDate`
    pub fn updated(&self) -> Timestamp {
        self.parts.updated
    }
    /// `expirationDate`
    pub fn expiration(&self) -> Option<Timestamp> {
        self.parts.expiration
    }
    /// Live: `PENDING`, `AWAITING_ACTION` or `ENABLED`.
    pub fn is_live(&self) -> bool {
        self.parts.status.name().is_live()
    }
    /// Active: `PENDING` or `ENABLED` (see [`StatusName::is_active`]).
    pub fn is_active(&self) -> bool {
        self.parts.status.name().is_active()
    }

    /// Moves the status along a legal edge. Moving to the same status is not a move
    /// and is refused like any other illegal edge.
    ///
    /// # Errors
    /// [`TransitionError`] for an edge that section 2.5 does not allow.
    pub fn transition(
        &mut self,
        to: InstanceStatus,
        now: Timestamp,
    ) -> Result<(), TransitionError> {
        let from = self.parts.status.name();
        if !from.can_move_to(to.name()) {
            return Err(TransitionError {
                from,
                to: to.name(),
            });
        }
        self.parts.status = to;
        self.touch(now);
        Ok(())
    }

    /// Cancels the instance; an instance already canceled or failed stays as it is
    /// (`false`: nothing changed).
    pub(crate) fn cancel(&mut self, now: Timestamp) -> bool {
        if self.parts.status.name().is_terminal() {
            return false;
        }
        self.parts.status = InstanceStatus::Canceled;
        self.touch(now);
        true
    }

    pub(crate) fn set_assignment(&mut self, assignment: Assignment, now: Timestamp) {
        self.parts.assignment = assignment;
        self.touch(now);
    }

    pub(crate) fn adjust(
        &mut self,
        product: Option<(CatalogProductId, Option<DiscountCode>)>,
        billing: Option<Billing>,
        now: Timestamp,
    ) {
        if let Some((product, discount)) = product {
            self.parts.catalog_product_id = product;
            if discount.is_some() {
                self.parts.discount_code = discount;
            }
        }
        if let Some(billing) = billing {
            self.parts.billing = Some(billing);
        }
        self.touch(now);
    }

    pub(crate) fn set_expiration(&mut self, at: Timestamp, now: Timestamp) {
        self.parts.expiration = Some(at);
        self.touch(now);
    }

    pub(crate) fn mark_used_as_reference(&mut self) {
        self.parts.used_as_reference = true;
    }

    fn touch(&mut self, now: Timestamp) {
        if now > self.parts.updated {
            self.parts.updated = now;
        }
    }
}
