//! What goes wrong between JSON and the domain: [`ConversionError`] (one field of an
//! answer or request that the domain cannot hold, with its dotted path),
//! [`InvalidRequest`] (every field violation of a request, as Wix's
//! `validationError` lists them) and [`QueryRequestError`].

use std::fmt;

use reseller_domain::billing::BillingError;
use reseller_domain::ids::GuidError;
use reseller_domain::package::InstancesError;
use reseller_domain::query::QueryError;
use reseller_domain::text::TextError;
use reseller_domain::time::TimestampError;
use reseller_domain::{FieldViolation, Refusal, RuleType, Violation};

/// Why one field's value cannot be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A required field is absent.
    #[error("the field is required")]
    Missing,
    /// Not a GUID.
    #[error(transparent)]
    Guid(#[from] GuidError),
    /// Not an RFC 3339 date.
    #[error(transparent)]
    Date(#[from] TimestampError),
    /// An RFC 3339 date whose UTC instant falls outside the years 0000 to 9999, so it
    /// cannot be written back as RFC 3339 (`2021-12-02T15:45:30.941Z`).
    #[error("`{0}` is outside the dates RFC 3339 can write (years 0000 to 9999, in UTC)")]
    DateOutOfRange(String),
    /// An enum string this API does not define.
    #[error("`{value}` is not one of {}", .expected.join(", "))]
    UnknownEnum {
        /// The string sent.
        value: String,
        /// The documented values.
        expected: Vec<&'static str>,
    },
    /// A bounded string out of its bounds (length, country code, control characters).
    #[error(transparent)]
    Text(#[from] TextError),
    /// A billing cycle the domain cannot hold.
    #[error(transparent)]
    Billing(#[from] BillingError),
    /// A package's instance list out of its bounds.
    #[error(transparent)]
    Instances(#[from] InstancesError),
    /// A list with fewer items than allowed.
    #[error("at least {min} item(s) required, got {len}")]
    TooFew {
        /// The minimum.
        min: usize,
        /// The length sent.
        len: usize,
    },
    /// A list with more items than allowed.
    #[error("at most {max} items allowed, got {len}")]
    TooMany {
        /// The maximum.
        max: usize,
        /// The length sent.
        len: usize,
    },
    /// A number below its minimum.
    #[error("must be at least {min}, got {value}")]
    BelowMin {
        /// The minimum.
        min: i64,
        /// The value sent.
        value: i64,
    },
    /// A number above its maximum.
    #[error("must be at most {max}, got {value}")]
    AboveMax {
        /// The maximum.
        max: i64,
        /// The value sent.
        value: i64,
    },
    /// Not a TLD: 1 to 63 letters, digits and hyphens, without the leading dot.
    #[error("`{0}` is not a TLD (1 to 63 letters, digits and hyphens, without the dot)")]
    NotATld(String),
    /// Not a domain name (D1, D2).
    #[error(transparent)]
    DomainName(#[from] reseller_domain::domains::NameError),
}

impl Problem {
    /// The Wix `RuleType` a field violation of this kind is reported with.
    pub fn rule(&self) -> RuleType {
        match self {
            Self::Missing => RuleType::RequiredField,
            Self::Guid(_) | Self::Date(_) | Self::DateOutOfRange(_) | Self::NotATld(_) => {
                RuleType::Format
            }
            Self::UnknownEnum { .. } => RuleType::InvalidEnumValue,
            Self::Text(e) => e.rule(),
            Self::Billing(BillingError::CountOutOfRange(_)) | Self::BelowMin { .. } => {
                RuleType::Min
            }
            Self::Billing(_) => RuleType::RequiredField,
            Self::Instances(InstancesError::Empty) | Self::TooFew { .. } => RuleType::MinSize,
            Self::Instances(InstancesError::TooMany(_)) | Self::TooMany { .. } => RuleType::MaxSize,
            Self::Instances(_) => RuleType::Validation,
            Self::AboveMax { .. } => RuleType::Max,
            Self::DomainName(_) => RuleType::Format,
        }
    }
}

/// One field that the domain cannot hold, named by its dotted path from the root of
/// the body (for example `package.productInstances[2].instanceId`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct ConversionError {
    path: String,
    problem: Problem,
}

impl ConversionError {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Self {
            path: path.into(),
            problem: problem.into(),
        }
    }

    /// The dotted path of the field.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// The `validationError.fieldViolations` entry for it.
    pub fn to_field_violation(&self) -> FieldViolation {
        FieldViolation::new(
            self.path.clone(),
            self.problem.rule(),
            self.problem.to_string(),
        )
    }
}

/// A request whose fields the domain cannot take: every violation found, in body
/// order (answered as 400 with `validationError.fieldViolations`). Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest(Vec<FieldViolation>);

impl InvalidRequest {
    /// The violations, in body order.
    pub fn violations(&self) -> &[FieldViolation] {
        &self.0
    }

    /// The violations, owned.
    pub fn into_violations(self) -> Vec<FieldViolation> {
        self.0
    }

    /// A single violation.
    pub fn one(violation: FieldViolation) -> Self {
        Self(vec![violation])
    }

    /// `None` when `violations` is empty.
    pub fn from_vec(violations: Vec<FieldViolation>) -> Option<Self> {
        (!violations.is_empty()).then_some(Self(violations))
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid request: ")?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{} ({}): {}", v.field, v.rule.as_str(), v.description)?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidRequest {}

impl From<InvalidRequest> for Violation {
    fn from(e: InvalidRequest) -> Self {
        Violation::InvalidFields(e.0)
    }
}

impl From<InvalidRequest> for Refusal {
    fn from(e: InvalidRequest) -> Self {
        Refusal::one(e.into())
    }
}

/// Why a Query Packages request cannot become a [`PackageQuery`](reseller_domain::query::PackageQuery).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryRequestError {
    /// Field violations found while reading the body (400 `validationError`).
    #[error(transparent)]
    Invalid(#[from] InvalidRequest),
    /// The domain refused the query (`INVALID_QUERY`, `INVALID_CURSOR`, or a field
    /// violation such as a limit above 100).
    #[error(transparent)]
    Query(#[from] QueryError),
}

impl From<QueryRequestError> for Violation {
    fn from(e: QueryRequestError) -> Self {
        match e {
            QueryRequestError::Invalid(e) => e.into(),
            QueryRequestError::Query(e) => e.into(),
        }
    }
}

impl From<QueryRequestError> for Refusal {
    fn from(e: QueryRequestError) -> Self {
        Refusal::one(e.into())
    }
}

/// Joins a dotted path: `at("products[0]", "countryCode")`.
pub(crate) fn at(base: &str, field: &str) -> String {
    if base.is_empty() {
        field.to_owned()
    } else {
        format!("{base}.{field}")
    }
}

/// Indexes a path: `index("products", 0)` is `products[0]`.
pub(crate) fn index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// Collects every problem of a request, in body order.
#[derive(Debug, Default)]
pub(crate) struct Fields(Vec<ConversionError>);

impl Fields {
    /// Records a problem.
    pub(crate) fn push(&mut self, path: impl Into<String>, problem: impl Into<Problem>) {
        self.0.push(ConversionError::new(path, problem));
    }

    /// Keeps the value or records the problem.
    pub(crate) fn take<T>(&mut self, result: Result<T, ConversionError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// `Ok(value)` when nothing was recorded, else every violation.
    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, InvalidRequest> {
        match (InvalidRequest::from_vec(self.into_violations()), value) {
            (None, Some(v)) => Ok(v),
            (Some(e), _) => Err(e),
            // Unreachable in practice: a missing value always records a problem.
            (None, None) => Err(InvalidRequest::one(FieldViolation::new(
                "",
                RuleType::Validation,
                "the request could not be read",
            ))),
        }
    }

    fn into_violations(self) -> Vec<FieldViolation> {
        self.0
            .iter()
            .map(ConversionError::to_field_violation)
            .collect()
    }
}
