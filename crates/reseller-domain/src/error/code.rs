//! [`ErrorCode`]: every Wix error code the toolkit knows, with its wire name and
//! HTTP status, and the gRPC-style status names.

use std::fmt;

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
