//! The entries of a 400 answer's `validationError.fieldViolations`: the field, the
//! rule it broke ([`RuleType`]) and a description.

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
