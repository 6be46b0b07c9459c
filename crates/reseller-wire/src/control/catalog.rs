//! The catalog product document of the control API (`POST /_emulator/catalog`,
//! `catalog` of the seed): what a product sells, its cycles and its rules.

use reseller_domain::world::CatalogProduct;
use reseller_domain::{CatalogProductId, ProductType};
use serde::{Deserialize, Serialize};

use crate::convert::{req_guid, required, u32_from};
use crate::error::{ConversionError, Problem, at, index};
use crate::json::null_as_default;
use crate::package::Cycle;

/// A catalog product (`POST /_emulator/catalog`, `catalog` of the seed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CatalogProductDoc {
    /// `id`: the `catalogProductId` callers use (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub id: Option<String>,
    /// `productType` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    /// `name`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `billingCycles` (at least one).
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<Cycle>>")
    )]
    pub billing_cycles: Vec<Cycle>,
    /// `requiresProductType`: a type the site must already hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_product_type: Option<String>,
    /// `subscriptionLimit`: live instances per account family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_limit: Option<i64>,
    /// `hasSettings` (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_settings: Option<bool>,
    /// `resellable` (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resellable: Option<bool>,
    /// `adjustable` (default `true`): `false` makes Adjust answer 428
    /// `OPERATION_NOT_SUPPORTED_FOR_PRODUCT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustable: Option<bool>,
    /// `grantsVoucherFor`: the product types for which an instance of this product
    /// may serve as `referenceProductInstanceId` (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grants_voucher_for: Option<Vec<String>>,
    /// `expires` (default `true` for `productType` `DOMAIN`, `false` otherwise): new
    /// instances get an `expirationDate` one billing cycle after creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<bool>,
    /// `tld`: the TLD a `DOMAIN` product sells, without the dot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tld: Option<String>,
}

impl CatalogProductDoc {
    /// The document of a product.
    pub fn from_domain(product: &CatalogProduct) -> Self {
        Self {
            id: Some(product.id.to_string()),
            product_type: Some(product.product_type.as_str().to_owned()),
            name: Some(product.name.clone()),
            billing_cycles: product
                .billing_cycles
                .iter()
                .map(|b| Cycle::from(*b))
                .collect(),
            requires_product_type: product
                .requires_product_type
                .as_ref()
                .map(|t| t.as_str().to_owned()),
            subscription_limit: product.subscription_limit.map(i64::from),
            has_settings: Some(product.has_settings),
            resellable: Some(product.resellable),
            adjustable: Some(product.adjustable),
            grants_voucher_for: Some(
                product
                    .grants_voucher_for
                    .iter()
                    .map(|t| t.as_str().to_owned())
                    .collect(),
            ),
            expires: Some(product.expires),
            tld: product.tld.clone(),
        }
    }

    /// The domain product.
    ///
    /// # Errors
    /// A missing or bad `id` or `productType`, no billing cycle, a bad cycle, a
    /// `subscriptionLimit` below 0, a bad type in `grantsVoucherFor`, or a `tld`
    /// that is not one, with `path` as the root.
    pub fn try_into_domain(&self, path: &str) -> Result<CatalogProduct, ConversionError> {
        let id: CatalogProductId = req_guid(&at(path, "id"), self.id.as_ref())?;
        let type_path = at(path, "productType");
        let product_type = parse_product_type(
            &type_path,
            required(&type_path, self.product_type.as_ref())?,
        )?;
        let cycles_path = at(path, "billingCycles");
        if self.billing_cycles.is_empty() {
            return Err(ConversionError::new(cycles_path, Problem::Missing));
        }
        let mut billing_cycles = Vec::with_capacity(self.billing_cycles.len());
        for (i, cycle) in self.billing_cycles.iter().enumerate() {
            let p = index(&cycles_path, i);
            match cycle.to_domain(&p)? {
                Some(b) => billing_cycles.push(b),
                None => return Err(ConversionError::new(at(&p, "type"), Problem::Missing)),
            }
        }
        let requires_product_type = self
            .requires_product_type
            .as_deref()
            .map(|t| parse_product_type(&at(path, "requiresProductType"), t))
            .transpose()?;
        let subscription_limit = self
            .subscription_limit
            .map(|n| {
                u32_from(n).map_err(|p| ConversionError::new(at(path, "subscriptionLimit"), p))
            })
            .transpose()?;
        let mut grants_voucher_for = Vec::new();
        for (i, t) in self.grants_voucher_for.iter().flatten().enumerate() {
            let t = parse_product_type(&index(&at(path, "grantsVoucherFor"), i), t)?;
            if !grants_voucher_for.contains(&t) {
                grants_voucher_for.push(t);
            }
        }
        let tld = self
            .tld
            .as_deref()
            .map(|t| parse_tld(&at(path, "tld"), t))
            .transpose()?;
        let mut product = CatalogProduct::new(
            id,
            product_type,
            self.name.clone().unwrap_or_default(),
            billing_cycles,
        );
        product.requires_product_type = requires_product_type;
        product.subscription_limit = subscription_limit;
        product.has_settings = self.has_settings.unwrap_or(true);
        product.resellable = self.resellable.unwrap_or(true);
        product.adjustable = self.adjustable.unwrap_or(true);
        product.grants_voucher_for = grants_voucher_for;
        product.expires = self.expires.unwrap_or(product.expires);
        product.tld = tld;
        Ok(product)
    }
}

fn parse_product_type(path: &str, text: &str) -> Result<ProductType, ConversionError> {
    ProductType::new(text).map_err(|e| ConversionError::new(path, e))
}

/// A TLD without its dot: 1 to 63 ASCII letters, digits and hyphens.
fn parse_tld(path: &str, text: &str) -> Result<String, ConversionError> {
    let ok = (1..=63).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(text.to_owned())
    } else {
        Err(ConversionError::new(
            path,
            Problem::NotATld(text.chars().take(64).collect()),
        ))
    }
}
