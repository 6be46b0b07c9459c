//! The rule violations and their Wix error codes. [`ErrorCode`] is the data-less
//! code with its HTTP status (one variant per code and status of the spec tables and
//! of the emulator's choices); [`Violation`] is one broken rule with its data and
//! Wix's message template; [`Refusal`] is the non-empty list of every rule an
//! operation broke, the first one deciding the answer.

use std::fmt;

use crate::ids::{AccountId, CatalogProductId, InstanceId, PackageId, SiteId};
use crate::instance::StatusName;
use crate::text::ProductType;

/// A Wix error code with the HTTP status it is answered with.
///
/// `SITE_NOT_FOUND` exists twice: 404 in the Resellers table, 400 in the B2B
/// site-transfer table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// 404 `PRODUCT_NOT_FOUND`
    ProductNotFound,
    /// 404 `ACCOUNT_NOT_FOUND`
    AccountNotFound,
    /// 428 `PRODUCT_LIMIT_EXCEEDED`
    ProductLimitExceeded,
    /// 428 `PRODUCT_SETTINGS_NOT_FOUND`
    ProductSettingsNotFound,
    /// 428 `MISSING_BILLING_CYCLE`
    MissingBillingCycle,
    /// 428 `INCOMPATIBLE_BILLING_CYCLE`
    IncompatibleBillingCycle,
    /// 428 `INVALID_BILLING_CYCLE`
    InvalidBillingCycle,
    /// 428 `INVALID_PRODUCTS`
    InvalidProducts,
    /// 428 `MULTIPLE_PRODUCT_ASSIGNMENTS`
    MultipleProductAssignments,
    /// 428 `PRODUCT_TYPE_ALREADY_ASSIGNED`
    ProductTypeAlreadyAssigned,
    /// 428 `PRODUCT_NOT_SUPPORTED_ON_SITE`
    ProductNotSupportedOnSite,
    /// 404 `SITE_NOT_FOUND` (Resellers API)
    SiteNotFound,
    /// 428 `PRODUCT_INSTANCE_NOT_FOUND`
    ProductInstanceNotFound,
    /// 428 `INCOMPATIBLE_PRODUCT_INSTANCE_STATUS`
    IncompatibleProductInstanceStatus,
    /// 428 `INCOMPATIBLE_PRODUCT`
    IncompatibleProduct,
    /// 428 `MISSING_PRODUCT_DETAILS`
    MissingProductDetails,
    /// 428 `TARGET_ACCOUNT_ID_NOT_FOUND`
    TargetAccountIdNotFound,
    /// 403 `SITE_TRANSFER_NOT_ALLOWED`
    SiteTransferNotAllowed,
    /// 400 `SITE_NOT_FOUND` (B2B Site Management API)
    TransferSiteNotFound,
    /// 428 `SITE_TRANSFER_NOT_SUPPORTED`
    SiteTransferNotSupported,
    /// 401 `UNAUTHENTICATED`
    Unauthenticated,
    /// 403 `PERMISSION_DENIED`
    PermissionDenied,
    /// 404 `PACKAGE_NOT_FOUND`
    PackageNotFound,
    /// 404 `INVALID_REFERENCE_PRODUCT_INSTANCE_ID`: every bad voucher reference
    InvalidReferenceProductInstanceId,
    /// 428 `OPERATION_NOT_SUPPORTED_FOR_PRODUCT`: Adjust of a non-adjustable product
    OperationNotSupportedForProduct,
    /// 409 `INSTANCE_NOT_EXTENDABLE` (the emulator's extend control call)
    InstanceNotExtendable,
    /// 400 `INVALID_CURSOR`
    InvalidCursor,
    /// 400 `INVALID_QUERY`
    InvalidQuery,
    /// 409 `IDEMPOTENCY_KEY_REUSED`
    IdempotencyKeyReused,
    /// 409 `ILLEGAL_STATUS_TRANSITION` (the emulator's status-move control call)
    IllegalStatusTransition,
    /// 400 `INVALID_ARGUMENT`: a validation error (`validationError.fieldViolations`)
    InvalidArgument,
    /// A code of Domain Search or Connected Domains, with its own status.
    Domain(crate::domains::DomainCode),
    /// Any other code, with the status it came with (kept, never dropped).
    Other {
        /// `details.applicationError.code`
        code: String,
        /// The HTTP status.
        status: u16,
    },
}

impl ErrorCode {
    /// Every code the toolkit itself produces (not `Other`).
    pub const KNOWN: [ErrorCode; 31] = [
        Self::ProductNotFound,
        Self::AccountNotFound,
        Self::ProductLimitExceeded,
        Self::ProductSettingsNotFound,
        Self::MissingBillingCycle,
        Self::IncompatibleBillingCycle,
        Self::InvalidBillingCycle,
        Self::InvalidProducts,
        Self::MultipleProductAssignments,
        Self::ProductTypeAlreadyAssigned,
        Self::ProductNotSupportedOnSite,
        Self::SiteNotFound,
        Self::ProductInstanceNotFound,
        Self::IncompatibleProductInstanceStatus,
        Self::IncompatibleProduct,
        Self::MissingProductDetails,
        Self::TargetAccountIdNotFound,
        Self::SiteTransferNotAllowed,
        Self::TransferSiteNotFound,
        Self::SiteTransferNotSupported,
        Self::Unauthenticated,
        Self::PermissionDenied,
        Self::PackageNotFound,
        Self::InvalidReferenceProductInstanceId,
        Self::OperationNotSupportedForProduct,
        Self::InstanceNotExtendable,
        Self::InvalidCursor,
        Self::InvalidQuery,
        Self::IdempotencyKeyReused,
        Self::IllegalStatusTransition,
        Self::InvalidArgument,
    ];

    /// The exact `details.applicationError.code` string.
    pub fn as_str(&self) -> &str {
        match self {
            Self::ProductNotFound => "PRODUCT_NOT_FOUND",
            Self::AccountNotFound => "ACCOUNT_NOT_FOUND",
            Self::ProductLimitExceeded => "PRODUCT_LIMIT_EXCEEDED",
            Self::ProductSettingsNotFound => "PRODUCT_SETTINGS_NOT_FOUND",
            Self::MissingBillingCycle => "MISSING_BILLING_CYCLE",
            Self::IncompatibleBillingCycle => "INCOMPATIBLE_BILLING_CYCLE",
            Self::InvalidBillingCycle => "INVALID_BILLING_CYCLE",
            Self::InvalidProducts => "INVALID_PRODUCTS",
            Self::MultipleProductAssignments => "MULTIPLE_PRODUCT_ASSIGNMENTS",
            Self::ProductTypeAlreadyAssigned => "PRODUCT_TYPE_ALREADY_ASSIGNED",
            Self::ProductNotSupportedOnSite => "PRODUCT_NOT_SUPPORTED_ON_SITE",
            Self::SiteNotFound | Self::TransferSiteNotFound => "SITE_NOT_FOUND",
            Self::ProductInstanceNotFound => "PRODUCT_INSTANCE_NOT_FOUND",
            Self::IncompatibleProductInstanceStatus => "INCOMPATIBLE_PRODUCT_INSTANCE_STATUS",
            Self::IncompatibleProduct => "INCOMPATIBLE_PRODUCT",
            Self::MissingProductDetails => "MISSING_PRODUCT_DETAILS",
            Self::TargetAccountIdNotFound => "TARGET_ACCOUNT_ID_NOT_FOUND",
            Self::SiteTransferNotAllowed => "SITE_TRANSFER_NOT_ALLOWED",
            Self::SiteTransferNotSupported => "SITE_TRANSFER_NOT_SUPPORTED",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::PermissionDenied => "PERMISSION_DENIED",
            Self::PackageNotFound => "PACKAGE_NOT_FOUND",
            Self::InvalidReferenceProductInstanceId => "INVALID_REFERENCE_PRODUCT_INSTANCE_ID",
            Self::OperationNotSupportedForProduct => "OPERATION_NOT_SUPPORTED_FOR_PRODUCT",
            Self::InstanceNotExtendable => "INSTANCE_NOT_EXTENDABLE",
            Self::InvalidCursor => "INVALID_CURSOR",
            Self::InvalidQuery => "INVALID_QUERY",
            Self::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            Self::IllegalStatusTransition => "ILLEGAL_STATUS_TRANSITION",
            Self::InvalidArgument => "INVALID_ARGUMENT",
            Self::Domain(code) => code.as_str(),
            Self::Other { code, .. } => code,
        }
    }

    /// The HTTP status Wix (or the emulator's choices table) answers with.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::ProductNotFound
            | Self::AccountNotFound
            | Self::SiteNotFound
            | Self::PackageNotFound
            | Self::InvalidReferenceProductInstanceId => 404,
            Self::TransferSiteNotFound
            | Self::InvalidCursor
            | Self::InvalidQuery
            | Self::InvalidArgument => 400,
            Self::Unauthenticated => 401,
            Self::SiteTransferNotAllowed | Self::PermissionDenied => 403,
            Self::IdempotencyKeyReused
            | Self::IllegalStatusTransition
            | Self::InstanceNotExtendable => 409,
            Self::Domain(code) => code.http_status(),
            Self::Other { status, .. } => *status,
            _ => 428,
        }
    }

    /// The gRPC-style status name Wix prints beside the HTTP status.
    pub fn status_name(&self) -> &'static str {
        status_name(self.http_status())
    }

    /// Reads a code off the wire. The HTTP status disambiguates `SITE_NOT_FOUND`
    /// (404 Resellers, 400 transfer); a known code arriving with an unexpected status,
    /// or an unknown code, is kept as [`ErrorCode::Other`].
    pub fn from_wire(code: &str, status: u16) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|k| k.as_str() == code && k.http_status() == status)
            .or_else(|| crate::domains::DomainCode::from_wire(code, status).map(Self::Domain))
            .unwrap_or_else(|| Self::Other {
                code: code.to_owned(),
                status,
            })
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The gRPC-style status name for an HTTP status (spec section 8.2).
pub fn status_name(http_status: u16) -> &'static str {
    match http_status {
        200 => "OK",
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ALREADY_EXISTS",
        428 => "FAILED_PRECONDITION",
        429 => "RESOURCE_EXHAUSTED",
        500 => "INTERNAL",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "UNKNOWN",
    }
}

/// Wix's `RuleType` of a field violation (spec section 8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuleType {
    /// `REQUIRED_FIELD`
    RequiredField,
    /// `MAX_LENGTH`
    MaxLength,
    /// `MIN_LENGTH`
    MinLength,
    /// `MAX_SIZE`
    MaxSize,
    /// `MIN_SIZE`
    MinSize,
    /// `FORMAT`
    Format,
    /// `INVALID_ENUM_VALUE`
    InvalidEnumValue,
    /// `MAX`
    Max,
    /// `MIN`
    Min,
    /// `VALIDATION`: a value of the wrong JSON type or shape.
    Validation,
}

impl RuleType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RequiredField => "REQUIRED_FIELD",
            Self::MaxLength => "MAX_LENGTH",
            Self::MinLength => "MIN_LENGTH",
            Self::MaxSize => "MAX_SIZE",
            Self::MinSize => "MIN_SIZE",
            Self::Format => "FORMAT",
            Self::InvalidEnumValue => "INVALID_ENUM_VALUE",
            Self::Max => "MAX",
            Self::Min => "MIN",
            Self::Validation => "VALIDATION",
        }
    }

    /// Parses a wire name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::RequiredField,
            Self::MaxLength,
            Self::MinLength,
            Self::MaxSize,
            Self::MinSize,
            Self::Format,
            Self::InvalidEnumValue,
            Self::Max,
            Self::Min,
            Self::Validation,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }
}

/// One entry of `validationError.fieldViolations`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldViolation {
    /// Dotted path of the field, for example `products[0].countryCode`.
    pub field: String,
    /// What was wrong, in words.
    pub description: String,
    /// The rule.
    pub rule: RuleType,
}

impl FieldViolation {
    /// A violation of `rule` on `field`.
    pub fn new(field: impl Into<String>, rule: RuleType, description: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            description: description.into(),
            rule,
        }
    }
}

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

/// Every rule an operation broke, in the order the rules were checked; the first
/// decides the HTTP status and code of the answer. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    first: Violation,
    rest: Vec<Violation>,
}

impl Refusal {
    /// A refusal for one broken rule.
    pub fn one(v: Violation) -> Self {
        Self {
            first: v,
            rest: Vec::new(),
        }
    }

    /// A refusal for a list of broken rules; `None` when the list is empty.
    pub fn from_vec(mut list: Vec<Violation>) -> Option<Self> {
        if list.is_empty() {
            return None;
        }
        let first = list.remove(0);
        Some(Self { first, rest: list })
    }

    /// The deciding violation.
    pub fn primary(&self) -> &Violation {
        &self.first
    }

    /// Every violation, the deciding one first.
    pub fn all(&self) -> impl Iterator<Item = &Violation> {
        std::iter::once(&self.first).chain(self.rest.iter())
    }

    /// Every violation, owned.
    pub fn into_vec(self) -> Vec<Violation> {
        let mut v = Vec::with_capacity(1 + self.rest.len());
        v.push(self.first);
        v.extend(self.rest);
        v
    }

    /// The code of the deciding violation.
    pub fn code(&self) -> ErrorCode {
        self.first.code()
    }

    /// Whether any violation has this code.
    pub fn has(&self, code: &ErrorCode) -> bool {
        self.all().any(|v| &v.code() == code)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.first.code(),
            self.first.http_status(),
            self.first
        )?;
        for v in &self.rest {
            write!(f, "; also {}: {}", v.code(), v)?;
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}

impl From<Violation> for Refusal {
    fn from(v: Violation) -> Self {
        Self::one(v)
    }
}
