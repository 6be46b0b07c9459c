//! The Package object of the Resellers API and its parts (`ProductInstance`,
//! `Cycle`/`billingInfo`, `Interval`/`cycleDuration`, `FailureReason`), as Wix
//! writes them, with the conversions to and from the domain's
//! [`Package`](reseller_domain::Package).
//!
//! Reading is tolerant where Wix is inconsistent: the legacy `paymentInfo` is read as
//! `billingInfo` (and never written), snake_case spellings are accepted, unknown
//! members are ignored, and enum strings are kept even when unknown. Converting to
//! the domain is strict: a bad GUID, date, country code or an unknown status fails
//! with the field's path.

use reseller_domain::billing::{Billing, BillingKind, WixDuration, WixUnit};
use reseller_domain::instance::InstanceParts;
use reseller_domain::ops::BillingRequest;
use reseller_domain::package::{Instances, PackageParts};
use reseller_domain::{
    Assignment, CountryCode, DiscountCode, ExternalId, FailureCode, InstanceStatus, StatusName,
};
use serde::{Deserialize, Serialize};

use crate::convert::{opt_date, opt_guid, req_date, req_guid, required, unknown_enum};
use crate::enums::{WireCycleType, WireFailureCode, WireIntervalUnit, WireStatus};
use crate::error::{ConversionError, Problem, at, index};
use crate::json::null_as_default;

/// `Interval` (`billingInfo.cycleDuration`): a unit and a count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Interval {
    /// `unit`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<WireIntervalUnit>,
    /// `count`: units per cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
}

/// `Cycle` (`billingInfo`, legacy `paymentInfo`): how the reseller pays Wix.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Cycle {
    /// `type`
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<WireCycleType>,
    /// `cycleDuration` (only meaningful for `RECURRING`).
    #[serde(
        default,
        alias = "cycle_duration",
        skip_serializing_if = "Option::is_none"
    )]
    pub cycle_duration: Option<Interval>,
}

/// `FailureReason` (`failure`): why an instance is `FAILED`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    /// `code`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireFailureCode>,
    /// `message`: free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `ProductInstance`: one entry of `productInstances` in an answer, or of
/// `products` in a Create Package request (which uses the writable subset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductInstance {
    /// `instanceId` (read-only).
    #[serde(
        default,
        alias = "instance_id",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub instance_id: Option<String>,
    /// `siteId`; absent for a floating instance.
    #[serde(default, alias = "site_id", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub site_id: Option<String>,
    /// `catalogProductId`
    #[serde(
        default,
        alias = "catalog_product_id",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub catalog_product_id: Option<String>,
    /// `status` (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<WireStatus>,
    /// `failure`: only when `status` is `FAILED` (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// `billingInfo`; the legacy name `paymentInfo` is read too, never written.
    #[serde(
        default,
        alias = "billing_info",
        alias = "paymentInfo",
        alias = "payment_info",
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_info: Option<Cycle>,
    /// `countryCode`: ISO 3166-1 alpha-2.
    #[serde(
        default,
        alias = "country_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub country_code: Option<String>,
    /// `discountCode` (write on create).
    #[serde(
        default,
        alias = "discount_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount_code: Option<String>,
    /// `referenceProductInstanceId` (write on create): the voucher instance.
    #[serde(
        default,
        alias = "reference_product_instance_id",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub reference_product_instance_id: Option<String>,
    /// `createdDate` (read-only).
    #[serde(
        default,
        alias = "created_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub created_date: Option<String>,
    /// `updatedDate` (read-only).
    #[serde(
        default,
        alias = "updated_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub updated_date: Option<String>,
    /// `expirationDate`: only for instances that do not auto-renew (read-only).
    #[serde(
        default,
        alias = "expiration_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub expiration_date: Option<String>,
}

/// `Package`: product instances bought together for one account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Package {
    /// `id`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub id: Option<String>,
    /// `accountId`: the owner.
    #[serde(default, alias = "account_id", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub account_id: Option<String>,
    /// `externalId`: the reseller's reference, at most 100 characters.
    #[serde(
        default,
        alias = "external_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_id: Option<String>,
    /// `productInstances`: 1 to 1000.
    #[serde(
        default,
        alias = "product_instances",
        deserialize_with = "null_as_default"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<ProductInstance>>")
    )]
    pub product_instances: Vec<ProductInstance>,
    /// `createdDate`
    #[serde(
        default,
        alias = "created_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub created_date: Option<String>,
    /// `updatedDate`
    #[serde(
        default,
        alias = "updated_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub updated_date: Option<String>,
    /// `parentAccountId`: Wix-internal, but present in some answers.
    #[serde(
        default,
        alias = "parent_account_id",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub parent_account_id: Option<String>,
}

impl From<Billing> for Cycle {
    fn from(billing: Billing) -> Self {
        let (kind, duration) = billing.to_wix();
        Self::from(BillingRequest { kind, duration })
    }
}

impl From<BillingRequest> for Cycle {
    fn from(request: BillingRequest) -> Self {
        Self {
            kind: Some(request.kind.into()),
            cycle_duration: request.duration.map(|d| Interval {
                unit: Some(d.unit.into()),
                count: d.count,
            }),
        }
    }
}

impl Cycle {
    /// The `(type, cycleDuration)` pair as a request sends it: an absent type or
    /// unit reads as `UNKNOWN`. `path` is the path of this `billingInfo`.
    ///
    /// # Errors
    /// A [`Problem::UnknownEnum`] on `type` or `cycleDuration.unit`.
    pub fn to_request(&self, path: &str) -> Result<BillingRequest, ConversionError> {
        let kind = match &self.kind {
            None => BillingKind::Unknown,
            Some(k) => k.to_domain().ok_or_else(|| {
                unknown_enum(&at(path, "type"), k.as_str(), WireCycleType::known_names())
            })?,
        };
        let duration = match &self.cycle_duration {
            None => None,
            Some(interval) => {
                let unit = match &interval.unit {
                    None => WixUnit::Unknown,
                    Some(u) => u.to_domain().ok_or_else(|| {
                        unknown_enum(
                            &at(&at(path, "cycleDuration"), "unit"),
                            u.as_str(),
                            WireIntervalUnit::known_names(),
                        )
                    })?,
                };
                Some(WixDuration {
                    unit,
                    count: interval.count,
                })
            }
        };
        Ok(BillingRequest { kind, duration })
    }

    /// The domain billing: `None` for an `UNKNOWN` (unset) type. `path` is the path
    /// of this `billingInfo`.
    ///
    /// # Errors
    /// An unknown enum string, or a `RECURRING` cycle without its duration or unit,
    /// or with a count below 1.
    pub fn to_domain(&self, path: &str) -> Result<Option<Billing>, ConversionError> {
        let request = self.to_request(path)?;
        Billing::from_wix(request.kind, request.duration).map_err(|e| {
            use reseller_domain::billing::BillingError as E;
            let duration = at(path, "cycleDuration");
            let field = match e {
                E::MissingCycleDuration => duration,
                E::MissingCycleUnit => at(&duration, "unit"),
                _ => at(&duration, "count"),
            };
            ConversionError::new(field, e)
        })
    }
}

impl Failure {
    /// The domain failure. An absent or unrecognised code reads as `UNKNOWN` and an
    /// absent message as empty: a read model must accept what Wix answers, and Wix
    /// has added codes before (`EXTERNAL_FAILURE`, 2023).
    pub fn to_domain(&self) -> reseller_domain::Failure {
        reseller_domain::Failure {
            code: self
                .code
                .as_ref()
                .and_then(WireFailureCode::to_domain)
                .unwrap_or(FailureCode::Unknown),
            message: self.message.clone().unwrap_or_default(),
        }
    }
}

impl From<&reseller_domain::Failure> for Failure {
    fn from(failure: &reseller_domain::Failure) -> Self {
        Self {
            code: Some(failure.code.into()),
            message: Some(failure.message.clone()),
        }
    }
}

impl From<&reseller_domain::ProductInstance> for ProductInstance {
    fn from(instance: &reseller_domain::ProductInstance) -> Self {
        let p = instance.parts();
        Self {
            instance_id: Some(p.id.to_string()),
            site_id: p.assignment.site().map(|s| s.to_string()),
            catalog_product_id: Some(p.catalog_product_id.to_string()),
            status: Some(p.status.name().into()),
            failure: p.status.failure().map(Failure::from),
            billing_info: p.billing.map(Cycle::from),
            country_code: p.country_code.map(|c| c.as_str().to_owned()),
            discount_code: p.discount_code.as_ref().map(|d| d.as_str().to_owned()),
            reference_product_instance_id: p.reference.map(|r| r.to_string()),
            created_date: Some(p.created.to_rfc3339()),
            updated_date: Some(p.updated.to_rfc3339()),
            expiration_date: p.expiration.map(|e| e.to_rfc3339()),
        }
    }
}

impl ProductInstance {
    /// The domain instance of an answer; `path` is the path of this instance
    /// (for example `package.productInstances[2]`).
    ///
    /// `instanceId`, `catalogProductId`, `status`, `createdDate` and `updatedDate` are
    /// required. A `FAILED` instance without `failure` gets an `UNKNOWN` failure with
    /// an empty message; a `failure` on any other status is ignored. Whether the
    /// instance served as a voucher reference is not on the wire and reads as `false`.
    ///
    /// # Errors
    /// The first field the domain cannot hold: a missing required field, a bad GUID,
    /// date or country code, an over-long discount code, an unknown status, cycle
    /// type or unit, or a bad cycle.
    pub fn try_into_domain_at(
        &self,
        path: &str,
    ) -> Result<reseller_domain::ProductInstance, ConversionError> {
        let id = req_guid(&at(path, "instanceId"), self.instance_id.as_ref())?;
        let catalog_product_id = req_guid(
            &at(path, "catalogProductId"),
            self.catalog_product_id.as_ref(),
        )?;
        let assignment = match opt_guid(&at(path, "siteId"), self.site_id.as_ref())? {
            Some(site) => Assignment::Site(site),
            None => Assignment::Floating,
        };
        let status_path = at(path, "status");
        let wire_status = required(&status_path, self.status.as_ref())?;
        let name = wire_status.to_domain().ok_or_else(|| {
            unknown_enum(
                &status_path,
                wire_status.as_str(),
                WireStatus::known_names(),
            )
        })?;
        let status = match name {
            StatusName::Pending => InstanceStatus::Pending,
            StatusName::AwaitingAction => InstanceStatus::AwaitingAction,
            StatusName::Enabled => InstanceStatus::Enabled,
            StatusName::Canceled => InstanceStatus::Canceled,
            StatusName::Failed => InstanceStatus::Failed(
                self.failure
                    .as_ref()
                    .map(Failure::to_domain)
                    .unwrap_or_else(|| Failure::default().to_domain()),
            ),
        };
        let billing = match &self.billing_info {
            Some(cycle) => cycle.to_domain(&at(path, "billingInfo"))?,
            None => None,
        };
        let country_code = self
            .country_code
            .as_deref()
            .map(|c| {
                CountryCode::new(c).map_err(|e| ConversionError::new(at(path, "countryCode"), e))
            })
            .transpose()?;
        let discount_code = self
            .discount_code
            .as_deref()
            .map(|d| {
                DiscountCode::new(d).map_err(|e| ConversionError::new(at(path, "discountCode"), e))
            })
            .transpose()?;
        let reference = opt_guid(
            &at(path, "referenceProductInstanceId"),
            self.reference_product_instance_id.as_ref(),
        )?;
        let created = req_date(&at(path, "createdDate"), self.created_date.as_ref())?;
        let updated = req_date(&at(path, "updatedDate"), self.updated_date.as_ref())?;
        let expiration = opt_date(&at(path, "expirationDate"), self.expiration_date.as_ref())?;
        Ok(reseller_domain::ProductInstance::from_parts(
            InstanceParts {
                id,
                catalog_product_id,
                assignment,
                status,
                billing,
                country_code,
                discount_code,
                reference,
                used_as_reference: false,
                created,
                updated,
                expiration,
            },
        ))
    }
}

impl From<&reseller_domain::Package> for Package {
    fn from(package: &reseller_domain::Package) -> Self {
        let p = package.parts();
        Self {
            id: Some(p.id.to_string()),
            account_id: Some(p.account_id.to_string()),
            external_id: p.external_id.as_ref().map(|e| e.as_str().to_owned()),
            product_instances: package
                .instances()
                .iter()
                .map(ProductInstance::from)
                .collect(),
            created_date: Some(p.created.to_rfc3339()),
            updated_date: Some(p.updated.to_rfc3339()),
            parent_account_id: p.parent_account_id.map(|a| a.to_string()),
        }
    }
}

impl Package {
    /// The package as Wix writes it (never `paymentInfo`, never `null`).
    pub fn from_domain(package: &reseller_domain::Package) -> Self {
        Self::from(package)
    }

    /// The domain package, with error paths rooted at `package` (the member name
    /// of Get Package's answer and of most mutation answers).
    ///
    /// # Errors
    /// See [`Package::try_into_domain_at`].
    pub fn try_into_domain(&self) -> Result<reseller_domain::Package, ConversionError> {
        self.try_into_domain_at("package")
    }

    /// The domain package, with error paths rooted at `path` (for example
    /// `packages[3]` or `updatedPackage`).
    ///
    /// `id`, `accountId`, `createdDate`, `updatedDate` and 1 to 1000
    /// `productInstances` with distinct ids are required.
    ///
    /// # Errors
    /// The first field the domain cannot hold, named by its dotted path
    /// (`package.productInstances[2].instanceId`).
    pub fn try_into_domain_at(
        &self,
        path: &str,
    ) -> Result<reseller_domain::Package, ConversionError> {
        let id = req_guid(&at(path, "id"), self.id.as_ref())?;
        let account_id = req_guid(&at(path, "accountId"), self.account_id.as_ref())?;
        let parent_account_id = opt_guid(
            &at(path, "parentAccountId"),
            self.parent_account_id.as_ref(),
        )?;
        let external_id = self
            .external_id
            .as_deref()
            .map(|e| {
                ExternalId::new(e).map_err(|err| ConversionError::new(at(path, "externalId"), err))
            })
            .transpose()?;
        let list_path = at(path, "productInstances");
        let list = self
            .product_instances
            .iter()
            .enumerate()
            .map(|(i, instance)| instance.try_into_domain_at(&index(&list_path, i)))
            .collect::<Result<Vec<_>, _>>()?;
        let instances =
            Instances::new(list).map_err(|e| ConversionError::new(list_path, Problem::from(e)))?;
        let created = req_date(&at(path, "createdDate"), self.created_date.as_ref())?;
        let updated = req_date(&at(path, "updatedDate"), self.updated_date.as_ref())?;
        Ok(reseller_domain::Package::from_parts(PackageParts {
            id,
            account_id,
            parent_account_id,
            external_id,
            instances,
            created,
            updated,
        }))
    }
}
