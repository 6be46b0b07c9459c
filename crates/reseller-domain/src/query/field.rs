//! The fields a package query may filter on, and the operators each accepts (spec
//! section 5.1, Wix's table "Query Packages: Supported Filters and Sorting").

use std::fmt;

/// A path inside one product instance, for the `productInstances.<path>` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstancePath {
    /// `productInstances`: the whole instance object.
    Whole,
    /// `productInstances.instanceId`
    InstanceId,
    /// `productInstances.siteId`
    SiteId,
    /// `productInstances.catalogProductId`
    CatalogProductId,
    /// `productInstances.status`
    Status,
    /// `productInstances.failure` (an object `{code, message}`)
    Failure,
    /// `productInstances.failure.code`
    FailureCode,
    /// `productInstances.failure.message`
    FailureMessage,
    /// `productInstances.billingInfo` (an object `{type, cycleDuration}`)
    BillingInfo,
    /// `productInstances.billingInfo.type`
    BillingType,
    /// `productInstances.billingInfo.cycleDuration` (an object `{unit, count}`)
    CycleDuration,
    /// `productInstances.billingInfo.cycleDuration.unit`
    CycleUnit,
    /// `productInstances.billingInfo.cycleDuration.count`
    CycleCount,
    /// `productInstances.createdDate`
    CreatedDate,
    /// `productInstances.updatedDate`
    UpdatedDate,
    /// `productInstances.countryCode`
    CountryCode,
}

impl InstancePath {
    /// Every path, in the order of Wix's table.
    pub const ALL: [InstancePath; 16] = [
        Self::Whole,
        Self::InstanceId,
        Self::SiteId,
        Self::CatalogProductId,
        Self::Status,
        Self::Failure,
        Self::FailureCode,
        Self::FailureMessage,
        Self::BillingInfo,
        Self::BillingType,
        Self::CycleDuration,
        Self::CycleUnit,
        Self::CycleCount,
        Self::CreatedDate,
        Self::UpdatedDate,
        Self::CountryCode,
    ];

    /// The member names leading from an instance object to the value (empty for
    /// [`InstancePath::Whole`]).
    pub fn segments(self) -> &'static [&'static str] {
        match self {
            Self::Whole => &[],
            Self::InstanceId => &["instanceId"],
            Self::SiteId => &["siteId"],
            Self::CatalogProductId => &["catalogProductId"],
            Self::Status => &["status"],
            Self::Failure => &["failure"],
            Self::FailureCode => &["failure", "code"],
            Self::FailureMessage => &["failure", "message"],
            Self::BillingInfo => &["billingInfo"],
            Self::BillingType => &["billingInfo", "type"],
            Self::CycleDuration => &["billingInfo", "cycleDuration"],
            Self::CycleUnit => &["billingInfo", "cycleDuration", "unit"],
            Self::CycleCount => &["billingInfo", "cycleDuration", "count"],
            Self::CreatedDate => &["createdDate"],
            Self::UpdatedDate => &["updatedDate"],
            Self::CountryCode => &["countryCode"],
        }
    }

    /// The full field name, `productInstances` included.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Whole => "productInstances",
            Self::InstanceId => "productInstances.instanceId",
            Self::SiteId => "productInstances.siteId",
            Self::CatalogProductId => "productInstances.catalogProductId",
            Self::Status => "productInstances.status",
            Self::Failure => "productInstances.failure",
            Self::FailureCode => "productInstances.failure.code",
            Self::FailureMessage => "productInstances.failure.message",
            Self::BillingInfo => "productInstances.billingInfo",
            Self::BillingType => "productInstances.billingInfo.type",
            Self::CycleDuration => "productInstances.billingInfo.cycleDuration",
            Self::CycleUnit => "productInstances.billingInfo.cycleDuration.unit",
            Self::CycleCount => "productInstances.billingInfo.cycleDuration.count",
            Self::CreatedDate => "productInstances.createdDate",
            Self::UpdatedDate => "productInstances.updatedDate",
            Self::CountryCode => "productInstances.countryCode",
        }
    }
}

impl fmt::Display for InstancePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A filterable field of Query Packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// `id`
    Id,
    /// `createdDate`
    CreatedDate,
    /// `updatedDate`
    UpdatedDate,
    /// `accountId`
    AccountId,
    /// `externalId`
    ExternalId,
    /// `productInstances` or one of its sub-paths.
    Instances(InstancePath),
}

const KEY_OPERATORS: &[Operator] = &[Operator::Eq, Operator::Ne, Operator::In, Operator::Exists];
const DATE_OPERATORS: &[Operator] = &[
    Operator::Eq,
    Operator::Ne,
    Operator::Gt,
    Operator::Lt,
    Operator::Gte,
    Operator::Lte,
];
const ARRAY_OPERATORS: &[Operator] = &[Operator::HasSome, Operator::HasAll];

impl Field {
    /// The five fields of the package itself; with the sixteen instance paths these
    /// are the 21 rows of Wix's table.
    pub const PACKAGE_FIELDS: [Field; 5] = [
        Self::Id,
        Self::CreatedDate,
        Self::UpdatedDate,
        Self::AccountId,
        Self::ExternalId,
    ];

    /// Every filterable field.
    pub fn all() -> impl Iterator<Item = Field> {
        Self::PACKAGE_FIELDS
            .into_iter()
            .chain(InstancePath::ALL.into_iter().map(Self::Instances))
    }

    /// Parses a field name exactly as Wix spells it (case-sensitive).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "id" => Some(Self::Id),
            "createdDate" => Some(Self::CreatedDate),
            "updatedDate" => Some(Self::UpdatedDate),
            "accountId" => Some(Self::AccountId),
            "externalId" => Some(Self::ExternalId),
            _ => InstancePath::ALL
                .into_iter()
                .find(|p| p.as_str() == name)
                .map(Self::Instances),
        }
    }

    /// The field name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::CreatedDate => "createdDate",
            Self::UpdatedDate => "updatedDate",
            Self::AccountId => "accountId",
            Self::ExternalId => "externalId",
            Self::Instances(p) => p.as_str(),
        }
    }

    /// The operators Wix's table allows on this field.
    pub fn operators(self) -> &'static [Operator] {
        match self {
            Self::Id | Self::AccountId | Self::ExternalId => KEY_OPERATORS,
            Self::CreatedDate | Self::UpdatedDate => DATE_OPERATORS,
            Self::Instances(_) => ARRAY_OPERATORS,
        }
    }

    /// Whether `op` may be used on this field.
    pub fn allows(self, op: Operator) -> bool {
        self.operators().contains(&op)
    }

    /// Whether the field may be sorted on (`createdDate`, `updatedDate`).
    pub fn is_sortable(self) -> bool {
        matches!(self, Self::CreatedDate | Self::UpdatedDate)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field operator of the generic Wix query language. Only some are supported by
/// Query Packages (see [`Field::operators`]); the others are known so that a
/// refusal can say "not supported" rather than "unknown".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operator {
    /// `$eq`
    Eq,
    /// `$ne`
    Ne,
    /// `$gt`
    Gt,
    /// `$gte`
    Gte,
    /// `$lt`
    Lt,
    /// `$lte`
    Lte,
    /// `$in`
    In,
    /// `$nin` (never supported by Query Packages)
    Nin,
    /// `$startsWith` (never supported by Query Packages)
    StartsWith,
    /// `$isEmpty` (never supported by Query Packages)
    IsEmpty,
    /// `$exists`
    Exists,
    /// `$hasSome`
    HasSome,
    /// `$hasAll`
    HasAll,
}

impl Operator {
    /// Every operator.
    pub const ALL: [Operator; 13] = [
        Self::Eq,
        Self::Ne,
        Self::Gt,
        Self::Gte,
        Self::Lt,
        Self::Lte,
        Self::In,
        Self::Nin,
        Self::StartsWith,
        Self::IsEmpty,
        Self::Exists,
        Self::HasSome,
        Self::HasAll,
    ];

    /// Parses an operator name, `$` included (case-sensitive).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// The operator name, `$` included.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "$eq",
            Self::Ne => "$ne",
            Self::Gt => "$gt",
            Self::Gte => "$gte",
            Self::Lt => "$lt",
            Self::Lte => "$lte",
            Self::In => "$in",
            Self::Nin => "$nin",
            Self::StartsWith => "$startsWith",
            Self::IsEmpty => "$isEmpty",
            Self::Exists => "$exists",
            Self::HasSome => "$hasSome",
            Self::HasAll => "$hasAll",
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
