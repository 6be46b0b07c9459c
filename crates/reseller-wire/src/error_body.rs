//! Wix's error body (spec section 8.1): `{"message", "details": {"applicationError":
//! {code, description, data}} | {"validationError": {"fieldViolations": [...]}}}`,
//! built from a domain [`Refusal`] and read back into an [`ErrorCode`] and
//! [`FieldViolation`]s.

use reseller_domain::{ErrorCode, FieldViolation, Refusal, RuleType, Violation};
use serde::{Deserialize, Serialize};

use crate::enums::WireRuleType;
use crate::json::null_as_default;

/// `details.applicationError`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApplicationError {
    /// `code`, e.g. `PRODUCT_NOT_FOUND`.
    #[serde(default)]
    pub code: String,
    /// `description`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `data`: code-specific details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

/// One `fieldViolations[]` entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WireFieldViolation {
    /// `field`: dotted path, e.g. `products[0].countryCode`.
    #[serde(default)]
    pub field: String,
    /// `description`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `violatedRule`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violated_rule: Option<WireRuleType>,
    /// `ruleName`: when `violatedRule` is `OTHER` or `CUSTOM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    /// `data`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

/// `details.validationError`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ValidationError {
    /// `fieldViolations`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<WireFieldViolation>>")
    )]
    pub field_violations: Vec<WireFieldViolation>,
}

/// `details`: one of the two kinds, or neither (system errors).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    /// `applicationError`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_error: Option<ApplicationError>,
    /// `validationError`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_error: Option<ValidationError>,
}

/// A Wix error body. `message` and `details` are always written (a system error is
/// `{"message": "", "details": {}}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// `message`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<String>")
    )]
    pub message: String,
    /// `details`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<ErrorDetails>")
    )]
    pub details: ErrorDetails,
}

impl From<&FieldViolation> for WireFieldViolation {
    fn from(v: &FieldViolation) -> Self {
        Self {
            field: v.field.clone(),
            description: Some(v.description.clone()),
            violated_rule: Some(v.rule.into()),
            rule_name: None,
            data: None,
        }
    }
}

impl WireFieldViolation {
    /// The domain violation. A rule the domain does not know (`CUSTOM`, `OTHER`,
    /// `DECIMAL_*`, ...) or an absent one reads as `VALIDATION`; the wire value stays
    /// available in this DTO.
    pub fn to_domain(&self) -> FieldViolation {
        FieldViolation::new(
            self.field.clone(),
            self.violated_rule
                .as_ref()
                .and_then(WireRuleType::to_domain)
                .unwrap_or(RuleType::Validation),
            self.description.clone().unwrap_or_default(),
        )
    }
}

impl ErrorBody {
    /// A system error: `{"message": "", "details": {}}`.
    pub fn system() -> Self {
        Self::default()
    }

    /// An application error whose `message` and `description` are both `message`.
    pub fn application(code: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            message: message.clone(),
            details: ErrorDetails {
                application_error: Some(ApplicationError {
                    code: code.into(),
                    description: Some(message),
                    data: None,
                }),
                validation_error: None,
            },
        }
    }

    /// A validation error listing `violations`.
    pub fn validation(message: impl Into<String>, violations: &[FieldViolation]) -> Self {
        Self {
            message: message.into(),
            details: ErrorDetails {
                application_error: None,
                validation_error: Some(ValidationError {
                    field_violations: violations.iter().map(WireFieldViolation::from).collect(),
                }),
            },
        }
    }

    /// The body answering `refusal`: its deciding violation decides. Field
    /// violations become a `validationError` (gathering the field violations of
    /// every such violation in the refusal); anything else an `applicationError`
    /// whose `code` is the violation's code and whose `description` and the
    /// `message` are its Wix message.
    pub fn from_refusal(refusal: &Refusal) -> Self {
        let primary = refusal.primary();
        match primary {
            Violation::InvalidFields(_) => {
                let violations: Vec<FieldViolation> = refusal
                    .all()
                    .filter_map(|v| match v {
                        Violation::InvalidFields(list) => Some(list.iter().cloned()),
                        _ => None,
                    })
                    .flatten()
                    .collect();
                Self::validation(primary.to_string(), &violations)
            }
            other => Self::application(other.code().as_str(), other.to_string()),
        }
    }

    /// `details.applicationError.code`, when present.
    pub fn code(&self) -> Option<&str> {
        self.details
            .application_error
            .as_ref()
            .map(|a| a.code.as_str())
    }

    /// The domain code for this body answered with `http_status`: the application
    /// code ([`ErrorCode::from_wire`]); else `INVALID_ARGUMENT` for a 400 validation
    /// error; else the status name (`INTERNAL` for 500) as [`ErrorCode::Other`].
    pub fn error_code(&self, http_status: u16) -> ErrorCode {
        match self.code() {
            Some(code) if !code.is_empty() => ErrorCode::from_wire(code, http_status),
            _ if self.details.validation_error.is_some() => {
                ErrorCode::from_wire(ErrorCode::InvalidArgument.as_str(), http_status)
            }
            _ => ErrorCode::from_wire(
                reseller_domain::error::status_name(http_status),
                http_status,
            ),
        }
    }

    /// The field violations, in the order sent (empty without a `validationError`).
    pub fn field_violations(&self) -> Vec<FieldViolation> {
        self.details
            .validation_error
            .as_ref()
            .map(|v| {
                v.field_violations
                    .iter()
                    .map(WireFieldViolation::to_domain)
                    .collect()
            })
            .unwrap_or_default()
    }
}
