//! [`Violation`]: one broken rule with its data, Wix's message template and its
//! [`ErrorCode`].

use std::fmt;

use super::{ErrorCode, FieldViolation, RuleType};
use crate::ids::{AccountId, CatalogProductId, InstanceId, PackageId, SiteId};
use crate::instance::StatusName;
use crate::text::ProductType;

/// Which detail an Adjust call is missing (three messages of `MISSING_PRODUCT_DETAILS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MissingDetail {
    /// A `RECURRING` billing without `cycleDuration` (or its unit).
    CycleDuration,
    /// Neither `catalogProductId` nor `billingInfo` was sent.
    CatalogProductId,
    /// `billingInfo` was sent but says nothing (`UNKNOWN` type) and no product was sent.
    BillingInfo,
}

fn join<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One broken rule, with the data Wix's message template names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// One or more invalid fields (HTTP 400, `validationError`).
    #[error("invalid request: {}", .0.iter().map(|v| format!("{}: {}", v.field, v.description)).collect::<Vec<_>>().join("; "))]
    InvalidFields(Vec<FieldViolation>),
    /// `PRODUCT_NOT_FOUND`: the catalog has no such product.
    #[error("Product id not found in catalog.")]
    ProductNotFound {
        /// The unknown product.
        product: CatalogProductId,
    },
    /// `ACCOUNT_NOT_FOUND`: the header account does not exist.
    #[error("Account with id `{account}` was not found.")]
    AccountNotFound {
        /// The unknown account.
        account: AccountId,
    },
    /// `PRODUCT_LIMIT_EXCEEDED`: the family's cap on live instances of the product.
    #[error("Limit for product `{product}` exceeded, number of current subscriptions `{current}`.")]
    ProductLimitExceeded {
        /// The product.
        product: CatalogProductId,
        /// Live instances the family already holds.
        current: u32,
    },
    /// `PRODUCT_SETTINGS_NOT_FOUND`
    #[error("Product doesn't have any settings `{product}`.")]
    ProductSettingsNotFound {
        /// The product.
        product: CatalogProductId,
    },
    /// `MISSING_BILLING_CYCLE`: several cycles and none chosen.
    #[error("Product `{product}` must receive a cycle upon creating.")]
    MissingBillingCycle {
        /// The product.
        product: CatalogProductId,
    },
    /// `INCOMPATIBLE_BILLING_CYCLE`: a cycle of a kind the product sells, but not one
    /// of its durations.
    #[error("Product `{product}` cannot be used with cycle: `{cycle}`, it is not one of `{}`.", join(.cycles))]
    IncompatibleBillingCycle {
        /// The product.
        product: CatalogProductId,
        /// The requested cycle.
        cycle: crate::billing::Billing,
        /// The product's cycles.
        cycles: Vec<crate::billing::Billing>,
    },
    /// `INVALID_BILLING_CYCLE`: contract details the product cannot be sold with at
    /// all (a kind it does not offer, or a recurring cycle without its duration).
    #[error("Product `{product}` is allowed for those cycles: `{}` and the request had this contract details: `{requested}`.", join(.cycles))]
    InvalidBillingCycle {
        /// The product.
        product: CatalogProductId,
        /// The product's cycles.
        cycles: Vec<crate::billing::Billing>,
        /// What the request asked for, as text.
        requested: String,
    },
    /// `INVALID_PRODUCTS`: products that may not be resold.
    #[error("Invalid products: `{}`.", join(.products))]
    InvalidProducts {
        /// The products.
        products: Vec<CatalogProductId>,
    },
    /// `MULTIPLE_PRODUCT_ASSIGNMENTS`: one request puts two products of one type on a site.
    #[error("Trying to assign products: `{}` that cannot be assigned simultaneously to the same site `{site}`.", join(.products))]
    MultipleProductAssignments {
        /// The conflicting products.
        products: Vec<CatalogProductId>,
        /// The site.
        site: SiteId,
    },
    /// `PRODUCT_TYPE_ALREADY_ASSIGNED`: the site already holds a live instance of the type.
    #[error(
        "Product type: `{product_type}` is allowed only as one instance per site and site `{site}` already has one product of that type."
    )]
    ProductTypeAlreadyAssigned {
        /// The type.
        product_type: ProductType,
        /// The site.
        site: SiteId,
    },
    /// `PRODUCT_NOT_SUPPORTED_ON_SITE`: the site lacks the product type the product requires.
    #[error("Site `{site}` is not compatible with product `{product}`.")]
    ProductNotSupportedOnSite {
        /// The site.
        site: SiteId,
        /// The product.
        product: CatalogProductId,
    },
    /// `SITE_NOT_FOUND` (404): the site is not owned by the header account.
    #[error("Site `{site}` is not owned by `{requesting}`, but by `{}`.", .owner.map(|o| o.to_string()).unwrap_or_else(|| "no account".to_owned()))]
    SiteNotFound {
        /// The site.
        site: SiteId,
        /// The header account.
        requesting: AccountId,
        /// The real owner, when the site exists.
        owner: Option<AccountId>,
    },
    /// `PRODUCT_INSTANCE_NOT_FOUND`: unknown, or outside the header account.
    #[error("Product instance with id `{instance}` was not found.")]
    ProductInstanceNotFound {
        /// The instance.
        instance: InstanceId,
    },
    /// `INCOMPATIBLE_PRODUCT_INSTANCE_STATUS`: `CANCELED` or `FAILED`.
    #[error("Product instance with id `{instance}` is with incompatible status `{status}`.")]
    IncompatibleProductInstanceStatus {
        /// The instance.
        instance: InstanceId,
        /// Its status.
        status: StatusName,
    },
    /// `INCOMPATIBLE_PRODUCT`: Adjust across product types.
    #[error(
        "Cannot change asset from product of type `{existing_type}` with id `{existing_product}` to product with id: `{target_product}`."
    )]
    IncompatibleProduct {
        /// The current product's type.
        existing_type: ProductType,
        /// The current product.
        existing_product: CatalogProductId,
        /// The requested product.
        target_product: CatalogProductId,
    },
    /// `MISSING_PRODUCT_DETAILS`
    #[error("{}", match .0 {
        MissingDetail::CycleDuration => "You haven't provided `cycleDuration`. The field is required for`RECURRING` billing types.",
        MissingDetail::CatalogProductId => "You haven't provided `catalogProductId`.",
        MissingDetail::BillingInfo => "You haven't provided `billingInfo`.",
    })]
    MissingProductDetails(MissingDetail),
    /// `PACKAGE_NOT_FOUND`: unknown, or outside the header account.
    #[error("Package with id `{package}` was not found.")]
    PackageNotFound {
        /// The package.
        package: PackageId,
    },
    /// `INVALID_REFERENCE_PRODUCT_INSTANCE_ID` (404): the reference is unknown,
    /// outside the caller's family, already used, not `PENDING`/`ENABLED`, or of a
    /// product that grants no voucher for the new product's type. Wix answers every
    /// case with one code and one message; `problem` says which case it was.
    #[error("Reference product instance ID is invalid or has already been used.")]
    InvalidReference {
        /// The reference.
        instance: InstanceId,
        /// Which case.
        problem: ReferenceProblem,
    },
    /// `OPERATION_NOT_SUPPORTED_FOR_PRODUCT` (428): Adjust of an instance whose
    /// product is not adjustable.
    #[error("This action isn't supported for product `{product}`.")]
    OperationNotSupportedForProduct {
        /// The instance's product.
        product: CatalogProductId,
    },
    /// `INSTANCE_NOT_EXTENDABLE` (409): the emulator's extend call on an instance
    /// without `expirationDate` or no longer `PENDING`/`ENABLED`.
    #[error("Product instance with id `{instance}` cannot be extended: {reason}.")]
    InstanceNotExtendable {
        /// The instance.
        instance: InstanceId,
        /// Why, in words.
        reason: String,
    },
    /// `TARGET_ACCOUNT_ID_NOT_FOUND` (T4)
    #[error("Target account wasn't found.")]
    TargetAccountNotFound {
        /// The header (target) account.
        target: AccountId,
    },
    /// `SITE_TRANSFER_NOT_ALLOWED` (T3)
    #[error("Site transfer isn't allowed for `{source_account}` and `{target}`.")]
    SiteTransferNotAllowed {
        /// `sourceAccountId`
        source_account: AccountId,
        /// The header (target) account.
        target: AccountId,
    },
    /// `SITE_NOT_FOUND` (400, T5): the site is not in the source account.
    #[error("`{site}` wasn't found in `{source_account}`.")]
    TransferSiteNotFound {
        /// The site.
        site: SiteId,
        /// `sourceAccountId`
        source_account: AccountId,
    },
    /// `SITE_TRANSFER_NOT_SUPPORTED` (T6): the site carries paid services.
    #[error("Site transfer isn't supported for sites with paid Wix services.")]
    SiteTransferNotSupported {
        /// The site.
        site: SiteId,
        /// Live reseller instances assigned to the site.
        instances: Vec<InstanceId>,
        /// Paid services bought outside the reseller flow.
        external_services: Vec<String>,
    },
    /// `PERMISSION_DENIED`
    #[error("{reason}")]
    PermissionDenied {
        /// Why, in words.
        reason: String,
    },
    /// `INVALID_CURSOR`
    #[error("Invalid cursor: {reason}")]
    InvalidCursor {
        /// Why.
        reason: String,
    },
    /// `INVALID_QUERY`
    #[error("Invalid query: {reason}")]
    InvalidQuery {
        /// Why.
        reason: String,
    },
    /// `IDEMPOTENCY_KEY_REUSED`
    #[error("Idempotency key `{key}` was already used with a different request.")]
    IdempotencyKeyReused {
        /// The key.
        key: String,
    },
    /// `ILLEGAL_STATUS_TRANSITION`
    #[error("Product instance with id `{instance}` cannot move from `{from}` to `{to}`.")]
    IllegalStatusTransition {
        /// The instance.
        instance: InstanceId,
        /// Its status.
        from: StatusName,
        /// The requested status.
        to: StatusName,
    },
    /// A rule of Domain Search or Connected Domains.
    #[error(transparent)]
    Domain(crate::domains::DomainViolation),
}

/// Which case of a bad voucher reference (all answered alike, see
/// [`Violation::InvalidReference`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferenceProblem {
    /// No such instance in the caller's account family.
    NotFound,
    /// Not `PENDING` or `ENABLED`.
    Status(StatusName),
    /// Already served as a reference (or named twice in one request).
    AlreadyUsed,
    /// Its product's `grantsVoucherFor` does not name the new product's type.
    NotEligible,
}

impl Violation {
    /// The Wix error code (and through it, the HTTP status).
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidFields(_) => ErrorCode::InvalidArgument,
            Self::ProductNotFound { .. } => ErrorCode::ProductNotFound,
            Self::AccountNotFound { .. } => ErrorCode::AccountNotFound,
            Self::ProductLimitExceeded { .. } => ErrorCode::ProductLimitExceeded,
            Self::ProductSettingsNotFound { .. } => ErrorCode::ProductSettingsNotFound,
            Self::MissingBillingCycle { .. } => ErrorCode::MissingBillingCycle,
            Self::IncompatibleBillingCycle { .. } => ErrorCode::IncompatibleBillingCycle,
            Self::InvalidBillingCycle { .. } => ErrorCode::InvalidBillingCycle,
            Self::InvalidProducts { .. } => ErrorCode::InvalidProducts,
            Self::MultipleProductAssignments { .. } => ErrorCode::MultipleProductAssignments,
            Self::ProductTypeAlreadyAssigned { .. } => ErrorCode::ProductTypeAlreadyAssigned,
            Self::ProductNotSupportedOnSite { .. } => ErrorCode::ProductNotSupportedOnSite,
            Self::SiteNotFound { .. } => ErrorCode::SiteNotFound,
            Self::ProductInstanceNotFound { .. } => ErrorCode::ProductInstanceNotFound,
            Self::IncompatibleProductInstanceStatus { .. } => {
                ErrorCode::IncompatibleProductInstanceStatus
            }
            Self::IncompatibleProduct { .. } => ErrorCode::IncompatibleProduct,
            Self::MissingProductDetails(_) => ErrorCode::MissingProductDetails,
            Self::PackageNotFound { .. } => ErrorCode::PackageNotFound,
            Self::InvalidReference { .. } => ErrorCode::InvalidReferenceProductInstanceId,
            Self::OperationNotSupportedForProduct { .. } => {
                ErrorCode::OperationNotSupportedForProduct
            }
            Self::InstanceNotExtendable { .. } => ErrorCode::InstanceNotExtendable,
            Self::TargetAccountNotFound { .. } => ErrorCode::TargetAccountIdNotFound,
            Self::SiteTransferNotAllowed { .. } => ErrorCode::SiteTransferNotAllowed,
            Self::TransferSiteNotFound { .. } => ErrorCode::TransferSiteNotFound,
            Self::SiteTransferNotSupported { .. } => ErrorCode::SiteTransferNotSupported,
            Self::PermissionDenied { .. } => ErrorCode::PermissionDenied,
            Self::InvalidCursor { .. } => ErrorCode::InvalidCursor,
            Self::InvalidQuery { .. } => ErrorCode::InvalidQuery,
            Self::IdempotencyKeyReused { .. } => ErrorCode::IdempotencyKeyReused,
            Self::IllegalStatusTransition { .. } => ErrorCode::IllegalStatusTransition,
            Self::Domain(v) => v.code(),
        }
    }

    /// The HTTP status of [`Violation::code`].
    pub fn http_status(&self) -> u16 {
        self.code().http_status()
    }

    /// A single invalid field.
    pub fn field(field: impl Into<String>, rule: RuleType, description: impl Into<String>) -> Self {
        Self::InvalidFields(vec![FieldViolation::new(field, rule, description)])
    }
}
