//! Requests and answers of the Resellers API endpoints (E0-E9): Create Package (v2
//! and the deprecated v1), Get Package, Cancel Package, Assign, Unassign, Cancel
//! Product Instance, Adjust, Update Package External Id; with the conversions of
//! each request to its domain command and back. Query Packages is in
//! [`query`](crate::query).

use reseller_domain::ops::{Adjust, CreatePackage, NewInstance};
use reseller_domain::package::MAX_INSTANCES;
use reseller_domain::{CountryCode, DiscountCode, ExternalId, IdempotencyKey};
use serde::{Deserialize, Serialize};

use crate::convert::{guid, opt_guid, required};
use crate::error::{ConversionError, Fields, InvalidRequest, Problem, at, index};
use crate::package::{Cycle, Package, ProductInstance};

/// Reads an optional `idempotencyKey`.
fn idempotency_key(fields: &mut Fields, path: &str, text: Option<&str>) -> Option<IdempotencyKey> {
    text.and_then(|t| {
        fields.take(IdempotencyKey::new(t).map_err(|e| ConversionError::new(path, e)))
    })
}

/// Validates only the `idempotencyKey` of a body.
fn only_idempotency_key(text: Option<&str>) -> Result<Option<IdempotencyKey>, InvalidRequest> {
    let mut fields = Fields::default();
    let key = idempotency_key(&mut fields, "idempotencyKey", text);
    fields.finish(Some(key))
}

/// Body of Create Package V2 (`POST /resellers/v2/packages`) and of the deprecated
/// v1 (`POST /resellers/v1/packages`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatePackageRequest {
    /// `idempotencyKey`
    #[serde(
        default,
        alias = "idempotency_key",
        skip_serializing_if = "Option::is_none"
    )]
    pub idempotency_key: Option<String>,
    /// `externalId`: at most 100 characters.
    #[serde(
        default,
        alias = "external_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_id: Option<String>,
    /// `products`: 1 to 1000; read-only instance members are ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<ProductInstance>>,
}

/// The deprecated v1 body has the same shape.
pub type CreatePackageV1Request = CreatePackageRequest;

impl CreatePackageRequest {
    /// The domain command for the endpoint `version`.
    ///
    /// Checks every field rule that needs no world, and reports all violations at
    /// once: `products` absent (`REQUIRED_FIELD`), empty (`MIN_SIZE`) or over 1000
    /// (`MAX_SIZE`); per product `catalogProductId` absent (`REQUIRED_FIELD`) or
    /// not a GUID (`FORMAT`), `countryCode` absent (`REQUIRED_FIELD`) or not
    /// an assigned ISO code (`FORMAT`), `siteId` and `referenceProductInstanceId`
    /// not GUIDs (`FORMAT`), `billingInfo.type` or `.cycleDuration.unit` not a
    /// documented value (`INVALID_ENUM_VALUE`), a `RECURRING` count below 1
    /// (`MIN`), `discountCode` over 25 (`MAX_LENGTH`); `externalId` over 100
    /// (`MAX_LENGTH`); `idempotencyKey` empty, over 100 or with control characters.
    ///
    /// # Errors
    /// [`InvalidRequest`] with every violation, paths such as `products[0].countryCode`.
    pub fn try_into_domain(&self) -> Result<CreatePackage, InvalidRequest> {
        let mut fields = Fields::default();
        idempotency_key(
            &mut fields,
            "idempotencyKey",
            self.idempotency_key.as_deref(),
        );
        let external_id = self.external_id.as_deref().and_then(|e| {
            fields.take(ExternalId::new(e).map_err(|err| ConversionError::new("externalId", err)))
        });
        let products = match &self.products {
            None => {
                fields.push("products", Problem::Missing);
                Vec::new()
            }
            Some(list) => {
                if list.is_empty() {
                    fields.push("products", Problem::TooFew { min: 1, len: 0 });
                }
                if list.len() > MAX_INSTANCES {
                    fields.push(
                        "products",
                        Problem::TooMany {
                            max: MAX_INSTANCES,
                            len: list.len(),
                        },
                    );
                }
                list.iter()
                    .enumerate()
                    .filter_map(|(i, p)| new_instance(&mut fields, &index("products", i), p))
                    .collect()
            }
        };
        fields.finish(Some(CreatePackage {
            external_id,
            products,
        }))
    }

    /// The validated `idempotencyKey`, if sent.
    ///
    /// # Errors
    /// [`InvalidRequest`] on `idempotencyKey`.
    pub fn idempotency_key(&self) -> Result<Option<IdempotencyKey>, InvalidRequest> {
        only_idempotency_key(self.idempotency_key.as_deref())
    }

    /// The body that sends `command`.
    pub fn from_domain(command: &CreatePackage, key: Option<&IdempotencyKey>) -> Self {
        Self {
            idempotency_key: key.map(|k| k.as_str().to_owned()),
            external_id: command.external_id.as_ref().map(|e| e.as_str().to_owned()),
            products: Some(command.products.iter().map(product_from_domain).collect()),
        }
    }
}

/// One `products[]` entry of a create body.
fn product_from_domain(p: &NewInstance) -> ProductInstance {
    ProductInstance {
        catalog_product_id: Some(p.catalog_product_id.to_string()),
        country_code: p.country_code.map(|c| c.as_str().to_owned()),
        site_id: p.site.map(|s| s.to_string()),
        billing_info: p.billing.map(Cycle::from),
        discount_code: p.discount_code.as_ref().map(|d| d.as_str().to_owned()),
        reference_product_instance_id: p.reference.map(|r| r.to_string()),
        ..ProductInstance::default()
    }
}

/// Reads one `products[]` entry, recording every violation.
fn new_instance(fields: &mut Fields, path: &str, p: &ProductInstance) -> Option<NewInstance> {
    let product_path = at(path, "catalogProductId");
    let catalog_product_id = fields.take(
        required(&product_path, p.catalog_product_id.as_ref()).and_then(|t| guid(&product_path, t)),
    );
    let country_path = at(path, "countryCode");
    let country_code = match p.country_code.as_deref() {
        Some(c) => fields
            .take(CountryCode::new(c).map_err(|e| ConversionError::new(&country_path, e)))
            .map(Some),
        None => {
            fields.push(country_path, Problem::Missing);
            None
        }
    };
    let site = fields.take(opt_guid(&at(path, "siteId"), p.site_id.as_ref()));
    let billing = billing_request(fields, &at(path, "billingInfo"), p.billing_info.as_ref());
    let discount_code = discount_code(
        fields,
        &at(path, "discountCode"),
        p.discount_code.as_deref(),
    );
    let reference = fields.take(opt_guid(
        &at(path, "referenceProductInstanceId"),
        p.reference_product_instance_id.as_ref(),
    ));
    Some(NewInstance {
        catalog_product_id: catalog_product_id?,
        country_code: country_code?,
        site: site?,
        billing: billing?,
        discount_code: discount_code?,
        reference: reference?,
    })
}

/// Reads an optional `billingInfo` of a request: enum strings must be documented,
/// and a `RECURRING` count must be at least 1. `Some(None)`: absent.
fn billing_request(
    fields: &mut Fields,
    path: &str,
    cycle: Option<&Cycle>,
) -> Option<Option<reseller_domain::ops::BillingRequest>> {
    let Some(cycle) = cycle else {
        return Some(None);
    };
    let request = fields.take(cycle.to_request(path))?;
    if let (reseller_domain::BillingKind::Recurring, Some(d)) = (request.kind, request.duration) {
        if let Some(n) = d.count {
            if n < 1 || n > i64::from(u32::MAX) {
                let problem = if n < 1 {
                    Problem::BelowMin { min: 1, value: n }
                } else {
                    Problem::AboveMax {
                        max: i64::from(u32::MAX),
                        value: n,
                    }
                };
                fields.push(at(&at(path, "cycleDuration"), "count"), problem);
                return None;
            }
        }
    }
    Some(Some(request))
}

/// Reads an optional `discountCode`. `Some(None)`: absent.
fn discount_code(
    fields: &mut Fields,
    path: &str,
    text: Option<&str>,
) -> Option<Option<DiscountCode>> {
    match text {
        None => Some(None),
        Some(t) => fields
            .take(DiscountCode::new(t).map_err(|e| ConversionError::new(path, e)))
            .map(Some),
    }
}

/// Body of Adjust Product Instance Specifications
/// (`PATCH /resellers/v1/packages/product-instances/{instanceId}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdjustRequest {
    /// `idempotencyKey`
    #[serde(
        default,
        alias = "idempotency_key",
        skip_serializing_if = "Option::is_none"
    )]
    pub idempotency_key: Option<String>,
    /// `catalogProductId`: the product to swap to.
    #[serde(
        default,
        alias = "catalog_product_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub catalog_product_id: Option<String>,
    /// `billingInfo`: the new cycle.
    #[serde(
        default,
        alias = "billing_info",
        alias = "paymentInfo",
        alias = "payment_info",
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_info: Option<Cycle>,
    /// `discountCode`: at most 25 characters.
    #[serde(
        default,
        alias = "discount_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount_code: Option<String>,
}

impl AdjustRequest {
    /// The domain command. Whether the body says enough (`MISSING_PRODUCT_DETAILS`)
    /// is the operation's rule, not a field rule.
    ///
    /// # Errors
    /// [`InvalidRequest`]: `catalogProductId` not a GUID (`FORMAT`),
    /// `billingInfo.type` / `.cycleDuration.unit` unknown (`INVALID_ENUM_VALUE`), a
    /// `RECURRING` count below 1 (`MIN`), `discountCode` over 25 (`MAX_LENGTH`), a
    /// bad `idempotencyKey`.
    pub fn try_into_domain(&self) -> Result<Adjust, InvalidRequest> {
        let mut fields = Fields::default();
        idempotency_key(
            &mut fields,
            "idempotencyKey",
            self.idempotency_key.as_deref(),
        );
        let product = fields.take(opt_guid(
            "catalogProductId",
            self.catalog_product_id.as_ref(),
        ));
        let billing = billing_request(&mut fields, "billingInfo", self.billing_info.as_ref());
        let discount = discount_code(&mut fields, "discountCode", self.discount_code.as_deref());
        let command = match (product, billing, discount) {
            (Some(catalog_product_id), Some(billing), Some(discount_code)) => Some(Adjust {
                catalog_product_id,
                billing,
                discount_code,
            }),
            _ => None,
        };
        fields.finish(command)
    }

    /// The validated `idempotencyKey`, if sent.
    ///
    /// # Errors
    /// [`InvalidRequest`] on `idempotencyKey`.
    pub fn idempotency_key(&self) -> Result<Option<IdempotencyKey>, InvalidRequest> {
        only_idempotency_key(self.idempotency_key.as_deref())
    }

    /// The body that sends `command`.
    pub fn from_domain(command: &Adjust, key: Option<&IdempotencyKey>) -> Self {
        Self {
            idempotency_key: key.map(|k| k.as_str().to_owned()),
            catalog_product_id: command.catalog_product_id.map(|c| c.to_string()),
            billing_info: command.billing.map(Cycle::from),
            discount_code: command
                .discount_code
                .as_ref()
                .map(|d| d.as_str().to_owned()),
        }
    }
}

/// The optional body of the mutations that take nothing else: Cancel Package,
/// Assign, Unassign and Cancel Product Instance (`{"idempotencyKey": "..."}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct IdempotentRequest {
    /// `idempotencyKey`
    #[serde(
        default,
        alias = "idempotency_key",
        skip_serializing_if = "Option::is_none"
    )]
    pub idempotency_key: Option<String>,
}

impl IdempotentRequest {
    /// The validated `idempotencyKey`, if sent.
    ///
    /// # Errors
    /// [`InvalidRequest`] on `idempotencyKey`.
    pub fn idempotency_key(&self) -> Result<Option<IdempotencyKey>, InvalidRequest> {
        only_idempotency_key(self.idempotency_key.as_deref())
    }

    /// The body carrying `key`.
    pub fn from_domain(key: Option<&IdempotencyKey>) -> Self {
        Self {
            idempotency_key: key.map(|k| k.as_str().to_owned()),
        }
    }
}

/// Body of Cancel Package (`DELETE /resellers/v1/packages/{id}`).
pub type CancelPackageRequest = IdempotentRequest;
/// Body of Assign Product Instance To Site.
pub type AssignInstanceRequest = IdempotentRequest;
/// Body of Unassign Product Instance From Site.
pub type UnassignInstanceRequest = IdempotentRequest;
/// Body of Cancel Product Instance.
pub type CancelInstanceRequest = IdempotentRequest;

/// The answer of every package mutation: `{"idempotencyKey": "...", "package": {...}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PackageResponse {
    /// `idempotencyKey`, echoed when the request sent one.
    #[serde(
        default,
        alias = "idempotency_key",
        skip_serializing_if = "Option::is_none"
    )]
    pub idempotency_key: Option<String>,
    /// `package`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
}

impl PackageResponse {
    /// The answer for `package`, echoing `key`.
    pub fn from_domain(package: &reseller_domain::Package, key: Option<&IdempotencyKey>) -> Self {
        Self {
            idempotency_key: key.map(|k| k.as_str().to_owned()),
            package: Some(Package::from(package)),
        }
    }

    /// The domain package (error paths start at `package`).
    ///
    /// # Errors
    /// [`ConversionError`]: `package` absent, or a field the domain cannot hold.
    pub fn try_into_domain(&self) -> Result<reseller_domain::Package, ConversionError> {
        required("package", self.package.as_ref())?.try_into_domain_at("package")
    }
}

/// Answer of Create Package V2 (and v1).
pub type CreatePackageResponse = PackageResponse;
/// Answer of Cancel Package.
pub type CancelPackageResponse = PackageResponse;
/// Answer of Assign Product Instance To Site.
pub type AssignInstanceResponse = PackageResponse;
/// Answer of Unassign Product Instance From Site.
pub type UnassignInstanceResponse = PackageResponse;
/// Answer of Cancel Product Instance.
pub type CancelInstanceResponse = PackageResponse;
/// Answer of Adjust Product Instance Specifications.
pub type AdjustResponse = PackageResponse;

/// Answer of Get Package: `{"package": {...}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetPackageResponse {
    /// `package`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
}

impl GetPackageResponse {
    /// The answer for `package`.
    pub fn from_domain(package: &reseller_domain::Package) -> Self {
        Self {
            package: Some(Package::from(package)),
        }
    }

    /// The domain package (error paths start at `package`).
    ///
    /// # Errors
    /// [`ConversionError`]: `package` absent, or a field the domain cannot hold.
    pub fn try_into_domain(&self) -> Result<reseller_domain::Package, ConversionError> {
        required("package", self.package.as_ref())?.try_into_domain_at("package")
    }
}

/// Answer of Update Package External Id: `{"updatedPackage": {...}}` (not `package`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateExternalIdResponse {
    /// `updatedPackage`
    #[serde(
        default,
        alias = "updated_package",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_package: Option<Package>,
}

impl UpdateExternalIdResponse {
    /// The answer for `package`.
    pub fn from_domain(package: &reseller_domain::Package) -> Self {
        Self {
            updated_package: Some(Package::from(package)),
        }
    }

    /// The domain package (error paths start at `updatedPackage`).
    ///
    /// # Errors
    /// [`ConversionError`]: `updatedPackage` absent, or a field the domain cannot hold.
    pub fn try_into_domain(&self) -> Result<reseller_domain::Package, ConversionError> {
        required("updatedPackage", self.updated_package.as_ref())?
            .try_into_domain_at("updatedPackage")
    }
}
