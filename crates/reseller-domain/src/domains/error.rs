//! The error codes of Domain Search and Connected Domains (`wix-domains.md` 2.3 and
//! 3.7) with their HTTP statuses, and the broken domain rules with Wix's message
//! templates. They reach the common [`ErrorCode`](crate::ErrorCode) and
//! [`Violation`](crate::Violation) as one variant each, so every adapter answers them
//! like any other refusal.

use std::fmt;

use crate::ids::{AccountId, SiteId};

/// A code of the domain APIs. Two of Wix's codes are phrases with a space
/// (`Invalid domain`, `Invalid connection type`): they are sent literally, as Wix's
/// error table writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DomainCode {
    /// 400 `INVALID_DOMAIN` (Check Domain Availability)
    InvalidDomain,
    /// 400 `INVALID_TLD_FORMAT` (Suggest Domains)
    InvalidTldFormat,
    /// 400 `TLD_NOT_SUPPORTED` (Suggest Domains)
    TldNotSupported,
    /// 400 `Invalid domain` (Create Connected Domain: for sale, or restricted)
    InvalidDomainToConnect,
    /// 400 `Invalid connection type`
    InvalidConnectionType,
    /// 400 `DOMAINS_GUID_NOT_VALID`
    GuidNotValid,
    /// 409 `DOMAINS_ALREADY_EXISTS`
    AlreadyExists,
    /// 403 `DOMAINS_PERMISSION_DENIED`
    PermissionDenied,
    /// 403 `DOMAINS_DOMAIN_NOT_PERMITTED`
    DomainNotPermitted,
    /// 403 `DOMAINS_GUID_NOT_FOUND`
    GuidNotFound,
    /// 403 `NON_PREMIUM_SITE`
    NonPremiumSite,
    /// 404 `NOT_FOUND` (Get Connected Domain, Get Setup Info)
    NotFound,
}

impl DomainCode {
    /// Every code.
    pub const ALL: [DomainCode; 12] = [
        Self::InvalidDomain,
        Self::InvalidTldFormat,
        Self::TldNotSupported,
        Self::InvalidDomainToConnect,
        Self::InvalidConnectionType,
        Self::GuidNotValid,
        Self::AlreadyExists,
        Self::PermissionDenied,
        Self::DomainNotPermitted,
        Self::GuidNotFound,
        Self::NonPremiumSite,
        Self::NotFound,
    ];

    /// The exact `details.applicationError.code` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidDomain => "INVALID_DOMAIN",
            Self::InvalidTldFormat => "INVALID_TLD_FORMAT",
            Self::TldNotSupported => "TLD_NOT_SUPPORTED",
            Self::InvalidDomainToConnect => "Invalid domain",
            Self::InvalidConnectionType => "Invalid connection type",
            Self::GuidNotValid => "DOMAINS_GUID_NOT_VALID",
            Self::AlreadyExists => "DOMAINS_ALREADY_EXISTS",
            Self::PermissionDenied => "DOMAINS_PERMISSION_DENIED",
            Self::DomainNotPermitted => "DOMAINS_DOMAIN_NOT_PERMITTED",
            Self::GuidNotFound => "DOMAINS_GUID_NOT_FOUND",
            Self::NonPremiumSite => "NON_PREMIUM_SITE",
            Self::NotFound => "NOT_FOUND",
        }
    }

    /// The HTTP status.
    pub fn http_status(self) -> u16 {
        match self {
            Self::InvalidDomain
            | Self::InvalidTldFormat
            | Self::TldNotSupported
            | Self::InvalidDomainToConnect
            | Self::InvalidConnectionType
            | Self::GuidNotValid => 400,
            Self::AlreadyExists => 409,
            Self::PermissionDenied
            | Self::DomainNotPermitted
            | Self::GuidNotFound
            | Self::NonPremiumSite => 403,
            Self::NotFound => 404,
        }
    }

    /// The code for a wire code and status, when it is one of these.
    pub fn from_wire(code: &str, status: u16) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == code && c.http_status() == status)
    }
}

impl fmt::Display for DomainCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which setting of an already connected domain differs (two messages of
/// `DOMAINS_ALREADY_EXISTS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Difference {
    /// The site or the assignment type.
    Settings,
    /// The connection type.
    ConnectionType,
}

/// Which call answers `DOMAINS_GUID_NOT_VALID` (Create and Get word it differently).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GuidCall {
    /// Create Connected Domain.
    Create,
    /// Get Connected Domain, Get Setup Info, List.
    Read,
}

/// One broken domain rule, with the data Wix's message template names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainViolation {
    /// `INVALID_DOMAIN` (D1, D2)
    #[error("Failed to extract root domain from `{domain}`, or TLD is missing or invalid.")]
    InvalidDomain {
        /// The name as sent (bounded).
        domain: String,
    },
    /// `INVALID_QUERY` (D4); the code is the common 400 `INVALID_QUERY`.
    #[error(
        "Query `{query}` has invalid characters. Only alphanumeric values, hyphens, dots, and spaces are supported."
    )]
    InvalidQuery {
        /// The query as sent (bounded).
        query: String,
    },
    /// `INVALID_TLD_FORMAT` (D5)
    #[error("At least one element of the `tlds` array has an invalid format.")]
    InvalidTldFormat {
        /// The offending element (bounded).
        tld: String,
    },
    /// `TLD_NOT_SUPPORTED` (D5)
    #[error("Unsupported TLDs `{}` found.", .tlds.join(", "))]
    TldNotSupported {
        /// Every unsupported TLD sent.
        tlds: Vec<String>,
    },
    /// `Invalid domain`: the name is still for sale (D9).
    #[error("Unable to connect domain `{domain}`, it's available for purchase.")]
    AvailableForPurchase {
        /// The domain.
        domain: String,
    },
    /// `Invalid domain`: the TLD is not one Wix connects (D10).
    #[error("Domain `{domain}` is Wix restricted.")]
    Restricted {
        /// The domain.
        domain: String,
    },
    /// `Invalid connection type` (D11)
    #[error("Invalid connection type `{connection_type}`.")]
    InvalidConnectionType {
        /// The connection type as sent (`UNKNOWN_CONNECTION_TYPE` when absent).
        connection_type: String,
    },
    /// `DOMAINS_GUID_NOT_VALID` (D14)
    #[error("{}", match .call {
        GuidCall::Create => "Wix site id and/or Wix account ID is invalid.",
        GuidCall::Read => "Wix site and/or account ID are invalid.",
    })]
    GuidNotValid {
        /// The call.
        call: GuidCall,
    },
    /// `DOMAINS_ALREADY_EXISTS` (D13)
    #[error("Domain `{domain}` with different {} is already connected.", match .difference {
        Difference::Settings => "settings",
        Difference::ConnectionType => "connection type",
    })]
    AlreadyExists {
        /// The domain.
        domain: String,
        /// What differs.
        difference: Difference,
    },
    /// `DOMAINS_PERMISSION_DENIED` (D14)
    #[error("Permission denied for account ID `{account}`.")]
    PermissionDenied {
        /// The header account.
        account: AccountId,
    },
    /// `DOMAINS_DOMAIN_NOT_PERMITTED` (D14): connected by another account family.
    #[error("Domain `{domain}` isn't permitted for the account.")]
    DomainNotPermitted {
        /// The domain.
        domain: String,
    },
    /// `DOMAINS_GUID_NOT_FOUND` (D14): Wix publishes no message; ours names the id.
    #[error("Account `{account}` was not found.")]
    GuidNotFound {
        /// The header account.
        account: AccountId,
    },
    /// `NON_PREMIUM_SITE` (D12)
    #[error("Domain `{domain}` can't be assigned to free Wix site `{site}`.")]
    NonPremiumSite {
        /// The domain.
        domain: String,
        /// The site.
        site: SiteId,
    },
    /// `NOT_FOUND` (D15)
    #[error("Domain name `{domain}` wasn't found.")]
    NotFound {
        /// The domain as asked for (bounded).
        domain: String,
    },
    /// 409 `ILLEGAL_STATUS_TRANSITION`: the emulator's DNS control call asked for
    /// an edge propagation does not have.
    #[error("Connected domain `{domain}` cannot move from `{from}` to `{to}`.")]
    IllegalDnsTransition {
        /// The domain.
        domain: String,
        /// Its status.
        from: super::connected::DnsStatus,
        /// The requested status.
        to: super::connected::DnsStatus,
    },
}

impl DomainViolation {
    /// The Wix error code.
    pub fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode;
        let code = match self {
            Self::InvalidQuery { .. } => return ErrorCode::InvalidQuery,
            Self::IllegalDnsTransition { .. } => return ErrorCode::IllegalStatusTransition,
            Self::InvalidDomain { .. } => DomainCode::InvalidDomain,
            Self::InvalidTldFormat { .. } => DomainCode::InvalidTldFormat,
            Self::TldNotSupported { .. } => DomainCode::TldNotSupported,
            Self::AvailableForPurchase { .. } | Self::Restricted { .. } => {
                DomainCode::InvalidDomainToConnect
            }
            Self::InvalidConnectionType { .. } => DomainCode::InvalidConnectionType,
            Self::GuidNotValid { .. } => DomainCode::GuidNotValid,
            Self::AlreadyExists { .. } => DomainCode::AlreadyExists,
            Self::PermissionDenied { .. } => DomainCode::PermissionDenied,
            Self::DomainNotPermitted { .. } => DomainCode::DomainNotPermitted,
            Self::GuidNotFound { .. } => DomainCode::GuidNotFound,
            Self::NonPremiumSite { .. } => DomainCode::NonPremiumSite,
            Self::NotFound { .. } => DomainCode::NotFound,
        };
        ErrorCode::Domain(code)
    }
}

impl From<DomainViolation> for crate::Violation {
    fn from(v: DomainViolation) -> Self {
        crate::Violation::Domain(v)
    }
}

impl From<DomainViolation> for crate::Refusal {
    fn from(v: DomainViolation) -> Self {
        crate::Refusal::one(crate::Violation::Domain(v))
    }
}
