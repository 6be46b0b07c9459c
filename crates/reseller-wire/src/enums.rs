//! Wix's enum strings as open enums: every documented value has a variant, and any
//! other string is kept as sent in `Other` instead of failing the whole body, so
//! that a value Wix adds later still parses. Whether an unknown value is acceptable
//! is decided by the conversions to the domain, not here.

use std::fmt;

use reseller_domain::billing::{BillingKind, WixUnit};
use reseller_domain::query::SortOrder;
use reseller_domain::{FailureCode, RuleType, StatusName};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! open_enum {
    (
        $(#[$doc:meta])*
        $name:ident {
            $( $(#[$vdoc:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
            /// A string this crate does not know, kept exactly as sent.
            Other(String),
        }

        impl $name {
            /// Every documented value, in the order Wix lists them.
            pub const KNOWN: &'static [Self] = &[ $( Self::$variant, )+ ];

            /// Reads a wire string (case-sensitive, as Wix writes it); never fails.
            pub fn parse(text: &str) -> Self {
                match text {
                    $( $wire => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(text) => text,
                }
            }

            /// Whether this is one of the documented values.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }

            /// The documented wire strings, for error messages.
            pub fn known_names() -> Vec<&'static str> {
                Self::KNOWN.iter().map(|k| k.as_str()).collect()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self::parse(text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok(Self::parse(&text))
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                crate::schema::open_enum(&Self::known_names())
            }
        }
    };
}

open_enum!(
    /// `productInstances[].status` (Wix's `Status`).
    WireStatus {
        /// `PENDING`: not yet available to the customer.
        Pending = "PENDING",
        /// `ENABLED`: the customer can use it.
        Enabled = "ENABLED",
        /// `CANCELED`: no longer available.
        Canceled = "CANCELED",
        /// `FAILED`: never delivered; `failure` says why.
        Failed = "FAILED",
        /// `AWAITING_ACTION`: waiting for a provider or the customer.
        AwaitingAction = "AWAITING_ACTION",
    }
);

open_enum!(
    /// `failure.code` (Wix's `FailureReason` code).
    WireFailureCode {
        /// `UNKNOWN`
        Unknown = "UNKNOWN",
        /// `DELIVERY_TIMEOUT`: creation timed out inside Wix.
        DeliveryTimeout = "DELIVERY_TIMEOUT",
        /// `EXTERNAL_FAILURE`: an external process failed.
        ExternalFailure = "EXTERNAL_FAILURE",
    }
);

open_enum!(
    /// `billingInfo.type` (Wix's `CycleDescriptorType`).
    WireCycleType {
        /// `UNKNOWN`: not set.
        Unknown = "UNKNOWN",
        /// `ONE_TIME`: the reseller pays Wix once.
        OneTime = "ONE_TIME",
        /// `RECURRING`: the reseller pays Wix on a schedule.
        Recurring = "RECURRING",
    }
);

open_enum!(
    /// `billingInfo.cycleDuration.unit` (Wix's `IntervalUnit`).
    WireIntervalUnit {
        /// `UNKNOWN`: not set.
        Unknown = "UNKNOWN",
        /// `DAY`
        Day = "DAY",
        /// `WEEK`
        Week = "WEEK",
        /// `MONTH`
        Month = "MONTH",
        /// `YEAR`
        Year = "YEAR",
    }
);

open_enum!(
    /// `query.sort[].order` (Wix's `SortOrder`).
    WireSortOrder {
        /// `ASC`
        Asc = "ASC",
        /// `DESC`
        Desc = "DESC",
    }
);

open_enum!(
    /// `fieldViolations[].violatedRule` (Wix's `RuleType`, every value seen in Wix's
    /// public type declarations and examples).
    WireRuleType {
        /// `VALIDATION`
        Validation = "VALIDATION",
        /// `OTHER`
        OtherRule = "OTHER",
        /// `MAX`
        Max = "MAX",
        /// `MIN`
        Min = "MIN",
        /// `MAX_LENGTH`
        MaxLength = "MAX_LENGTH",
        /// `MIN_LENGTH`
        MinLength = "MIN_LENGTH",
        /// `MAX_SIZE`
        MaxSize = "MAX_SIZE",
        /// `MIN_SIZE`
        MinSize = "MIN_SIZE",
        /// `FORMAT`
        Format = "FORMAT",
        /// `DECIMAL_LTE`
        DecimalLte = "DECIMAL_LTE",
        /// `DECIMAL_GTE`
        DecimalGte = "DECIMAL_GTE",
        /// `DECIMAL_LT`
        DecimalLt = "DECIMAL_LT",
        /// `DECIMAL_GT`
        DecimalGt = "DECIMAL_GT",
        /// `DECIMAL_MAX_SCALE`
        DecimalMaxScale = "DECIMAL_MAX_SCALE",
        /// `INVALID_ENUM_VALUE`
        InvalidEnumValue = "INVALID_ENUM_VALUE",
        /// `REQUIRED_FIELD`
        RequiredField = "REQUIRED_FIELD",
        /// `FIELD_NOT_ALLOWED`
        FieldNotAllowed = "FIELD_NOT_ALLOWED",
        /// `ONE_OF_ALIGNMENT`
        OneOfAlignment = "ONE_OF_ALIGNMENT",
        /// `REQUIRED_ONE_OF_FIELD`
        RequiredOneOfField = "REQUIRED_ONE_OF_FIELD",
        /// `CUSTOM`
        Custom = "CUSTOM",
    }
);

impl From<StatusName> for WireStatus {
    fn from(status: StatusName) -> Self {
        Self::parse(status.as_str())
    }
}

impl WireStatus {
    /// The domain status, when this is a documented value.
    pub fn to_domain(&self) -> Option<StatusName> {
        StatusName::parse(self.as_str())
    }
}

impl From<FailureCode> for WireFailureCode {
    fn from(code: FailureCode) -> Self {
        Self::parse(code.as_str())
    }
}

impl WireFailureCode {
    /// The domain code, when this is a documented value.
    pub fn to_domain(&self) -> Option<FailureCode> {
        FailureCode::parse(self.as_str())
    }
}

impl From<BillingKind> for WireCycleType {
    fn from(kind: BillingKind) -> Self {
        Self::parse(kind.as_str())
    }
}

impl WireCycleType {
    /// The domain kind, when this is a documented value.
    pub fn to_domain(&self) -> Option<BillingKind> {
        BillingKind::parse(self.as_str())
    }
}

impl From<WixUnit> for WireIntervalUnit {
    fn from(unit: WixUnit) -> Self {
        Self::parse(unit.as_str())
    }
}

impl WireIntervalUnit {
    /// The domain unit, when this is a documented value.
    pub fn to_domain(&self) -> Option<WixUnit> {
        WixUnit::parse(self.as_str())
    }
}

impl From<SortOrder> for WireSortOrder {
    fn from(order: SortOrder) -> Self {
        Self::parse(order.as_str())
    }
}

impl From<RuleType> for WireRuleType {
    fn from(rule: RuleType) -> Self {
        Self::parse(rule.as_str())
    }
}

impl WireRuleType {
    /// The domain rule, when the domain has one of that name (the domain knows
    /// only the rules the toolkit itself reports).
    pub fn to_domain(&self) -> Option<RuleType> {
        RuleType::parse(self.as_str())
    }
}
