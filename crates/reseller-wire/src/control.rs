//! The emulator's own JSON (`/_emulator/`, the seed file, the state document):
//! accounts, sites, catalog products, API keys, allowed transfers, instance status
//! moves and the provisioning mode, as `spec/emulator.md` spells them, with
//! conversions to and from the domain.
//!
//! These shapes are not Wix's: they are the emulator's contract. The in-memory Wix
//! uses the same documents for its export and import, so a state saved by one can be
//! loaded by the other.

use std::collections::BTreeSet;

use reseller_domain::auth::Scope;
use reseller_domain::sites::{EditorType, Namespace, SiteDetails};
use reseller_domain::world::{Account, CatalogProduct, Site};
use reseller_domain::{
    AccountId, CatalogProductId, InstanceStatus, ProductType, SiteId, Timestamp,
};
use serde::{Deserialize, Serialize};

use crate::convert::{opt_date, opt_guid, req_guid, required, unknown_enum};
use crate::enums::WireStatus;
use crate::error::{ConversionError, Problem, at, index};
use crate::json::null_as_default;
use crate::package::{Cycle, Failure, Package};

/// An account (`POST /_emulator/accounts`, `accounts` of the seed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountDoc {
    /// `id`: generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub id: Option<String>,
    /// `parentAccountId`: present for a sub-account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub parent_account_id: Option<String>,
    /// `name`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `strategicPartner` (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategic_partner: Option<bool>,
}

impl AccountDoc {
    /// The document of an account.
    pub fn from_domain(account: &Account) -> Self {
        Self {
            id: Some(account.id.to_string()),
            parent_account_id: account.parent.map(|p| p.to_string()),
            name: Some(account.name.clone()),
            strategic_partner: Some(account.strategic_partner),
        }
    }

    /// The domain account; `new_id` gives the id when the document has none.
    ///
    /// # Errors
    /// A bad GUID in `id` or `parentAccountId`, with `path` as the root.
    pub fn try_into_domain(
        &self,
        path: &str,
        new_id: impl FnOnce() -> AccountId,
    ) -> Result<Account, ConversionError> {
        let id = opt_guid(&at(path, "id"), self.id.as_ref())?.unwrap_or_else(new_id);
        let parent = opt_guid(
            &at(path, "parentAccountId"),
            self.parent_account_id.as_ref(),
        )?;
        Ok(Account {
            id,
            parent,
            name: self.name.clone().unwrap_or_default(),
            strategic_partner: self.strategic_partner.unwrap_or(false),
        })
    }
}

/// A site (`POST /_emulator/sites`, `sites` of the seed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SiteDoc {
    /// `id`: generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub id: Option<String>,
    /// `accountId`: the owner (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub account_id: Option<String>,
    /// `name`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `externalPaidServices`: paid services bought outside the reseller flow.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<String>>")
    )]
    pub external_paid_services: Vec<String>,
    /// `createdDate` (written by the emulator; optional on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub created_date: Option<String>,
    /// `updatedDate` (written by the emulator; optional on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub updated_date: Option<String>,
    /// `displayName`; the name when absent.
    #[serde(
        default,
        alias = "display_name",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    /// `namespace`: one of the Site object's 22 values; `WIX` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `editorType`: `EDITOR` when absent.
    #[serde(
        default,
        alias = "editor_type",
        skip_serializing_if = "Option::is_none"
    )]
    pub editor_type: Option<String>,
    /// `published`: `false` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<bool>,
    /// `folderId`: absent at the root level.
    #[serde(default, alias = "folder_id", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub folder_id: Option<String>,
    /// `appIds`: the apps installed on the site (Query Sites' `appIds` filter).
    #[serde(
        default,
        alias = "app_ids",
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<String>>")
    )]
    pub app_ids: Vec<String>,
    /// `trashedDate`: the site is in the trash since then.
    #[serde(
        default,
        alias = "trashed_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub trashed_date: Option<String>,
}

/// Most apps a site document may list.
pub const MAX_SITE_APPS: usize = 100;

impl SiteDoc {
    /// The document of a site.
    pub fn from_domain(site: &Site) -> Self {
        Self {
            id: Some(site.id.to_string()),
            account_id: Some(site.owner.to_string()),
            name: Some(site.name.clone()),
            external_paid_services: site.external_paid_services.clone(),
            created_date: Some(site.created.to_rfc3339()),
            updated_date: Some(site.updated.to_rfc3339()),
            ..Self::default()
        }
        .with_details(&site.details)
    }

    /// This document with the members of `details` (display name, namespace,
    /// editor type, publication, folder, apps, trash).
    pub fn with_details(self, details: &SiteDetails) -> Self {
        Self {
            display_name: details.display_name.clone(),
            namespace: Some(details.namespace.as_str().to_owned()),
            editor_type: Some(details.editor_type.as_str().to_owned()),
            published: Some(details.published),
            folder_id: details.folder_id.map(|f| f.hyphenated().to_string()),
            app_ids: details.app_ids.clone(),
            trashed_date: details.trashed.map(|t| t.to_rfc3339()),
            ..self
        }
    }

    /// The settable facts: display name, namespace, editor type, publication,
    /// folder, apps and trash (defaults for what is absent).
    ///
    /// # Errors
    /// An unknown `namespace` or `editorType`, a `folderId` that is not a GUID, a
    /// bad `trashedDate`, more than 100 `appIds`, an empty or over-long display
    /// name or app id, with `path` as the root.
    pub fn details_at(&self, path: &str) -> Result<SiteDetails, ConversionError> {
        let namespace = match self.namespace.as_deref() {
            None => Namespace::default(),
            Some(t) => Namespace::parse(t).ok_or_else(|| {
                unknown_enum(
                    &at(path, "namespace"),
                    t,
                    Namespace::ALL.iter().map(|n| n.as_str()).collect(),
                )
            })?,
        };
        let editor_type = match self.editor_type.as_deref() {
            None => EditorType::default(),
            Some(t) => EditorType::parse(t).ok_or_else(|| {
                unknown_enum(
                    &at(path, "editorType"),
                    t,
                    EditorType::ALL.iter().map(|n| n.as_str()).collect(),
                )
            })?,
        };
        let folder_id: Option<SiteId> = opt_guid(&at(path, "folderId"), self.folder_id.as_ref())?;
        let trashed = opt_date(&at(path, "trashedDate"), self.trashed_date.as_ref())?;
        if self.app_ids.len() > MAX_SITE_APPS {
            return Err(ConversionError::new(
                at(path, "appIds"),
                Problem::TooMany {
                    max: MAX_SITE_APPS,
                    len: self.app_ids.len(),
                },
            ));
        }
        for (i, app) in self.app_ids.iter().enumerate() {
            bounded_text(&index(&at(path, "appIds"), i), app)?;
        }
        if let Some(d) = &self.display_name {
            bounded_text(&at(path, "displayName"), d)?;
        }
        Ok(SiteDetails {
            display_name: self.display_name.clone(),
            namespace,
            editor_type,
            published: self.published.unwrap_or(false),
            folder_id: folder_id.map(|f| *f.as_uuid()),
            app_ids: self.app_ids.clone(),
            trashed,
        })
    }

    /// The domain site; `new_id` gives the id when the document has none, `now` the
    /// dates it does not carry. A missing name becomes `site-` and the id's first
    /// eight characters.
    ///
    /// # Errors
    /// A missing `accountId`, a bad GUID or date, with `path` as the root.
    pub fn try_into_domain(
        &self,
        path: &str,
        new_id: impl FnOnce() -> SiteId,
        now: Timestamp,
    ) -> Result<Site, ConversionError> {
        let id = opt_guid(&at(path, "id"), self.id.as_ref())?.unwrap_or_else(new_id);
        let owner = req_guid(&at(path, "accountId"), self.account_id.as_ref())?;
        let created = opt_date(&at(path, "createdDate"), self.created_date.as_ref())?;
        let updated = opt_date(&at(path, "updatedDate"), self.updated_date.as_ref())?;
        let created = created.unwrap_or(now);
        let name = match self.name.as_deref() {
            Some(n) if !n.is_empty() => n.to_owned(),
            _ => {
                let text = id.to_string();
                format!("site-{}", text.get(..8).unwrap_or(&text))
            }
        };
        let details = self.details_at(path)?;
        Ok(Site {
            id,
            owner,
            name,
            external_paid_services: self.external_paid_services.clone(),
            created,
            updated: updated.unwrap_or(created).max(created),
            details,
        })
    }
}

/// Longest display name or app id a site document may carry.
pub const MAX_SITE_TEXT: usize = 200;

/// A display name or app id: 1 to 200 characters, no control characters.
fn bounded_text(path: &str, text: &str) -> Result<(), ConversionError> {
    use reseller_domain::text::TextError;
    let what = "a site's display name or app id";
    let len = text.chars().count();
    let problem = if len == 0 {
        TextError::Empty { what }
    } else if len > MAX_SITE_TEXT {
        TextError::TooLong {
            what,
            len,
            max: MAX_SITE_TEXT,
        }
    } else if text.chars().any(char::is_control) {
        TextError::ControlCharacter { what }
    } else {
        return Ok(());
    };
    Err(ConversionError::new(path, Problem::Text(problem)))
}

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
                let problem = if n < 0 {
                    Problem::BelowMin { min: 0, value: n }
                } else {
                    Problem::AboveMax {
                        max: i64::from(u32::MAX),
                        value: n,
                    }
                };
                u32::try_from(n)
                    .map_err(|_| ConversionError::new(at(path, "subscriptionLimit"), problem))
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

/// An API key (`POST /_emulator/api-keys` and its answer, `apiKeys` of the seed).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyDoc {
    /// `key`: the key text (generated when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `accountId` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub account_id: Option<String>,
    /// `scopes`: Wix permission ids; absent means all five, `[]` none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
}

impl std::fmt::Debug for ApiKeyDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeyDoc")
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .field("account_id", &self.account_id)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl ApiKeyDoc {
    /// The account and scopes of the document (absent scopes: all five).
    ///
    /// # Errors
    /// A missing or bad `accountId`, or a scope that is not a Wix permission id.
    pub fn grant(&self, path: &str) -> Result<(AccountId, BTreeSet<Scope>), ConversionError> {
        let account = req_guid(&at(path, "accountId"), self.account_id.as_ref())?;
        let scopes = match &self.scopes {
            None => Scope::ALL.into_iter().collect(),
            Some(list) => list
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    Scope::parse(s).ok_or_else(|| {
                        unknown_enum(
                            &index(&at(path, "scopes"), i),
                            s,
                            Scope::ALL.iter().map(|s| s.as_str()).collect(),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        Ok((account, scopes))
    }

    /// The document of a key.
    pub fn new(key: &str, account: AccountId, scopes: &BTreeSet<Scope>) -> Self {
        Self {
            key: Some(key.to_owned()),
            account_id: Some(account.to_string()),
            scopes: Some(scopes.iter().map(|s| s.as_str().to_owned()).collect()),
        }
    }
}

/// A pair of Wix's transfer allow-list (`POST /_emulator/allowed-transfers`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AllowedTransferDoc {
    /// `sourceAccountId`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub source_account_id: Option<String>,
    /// `targetAccountId`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub target_account_id: Option<String>,
}

impl AllowedTransferDoc {
    /// The document of a pair.
    pub fn new(source: AccountId, target: AccountId) -> Self {
        Self {
            source_account_id: Some(source.to_string()),
            target_account_id: Some(target.to_string()),
        }
    }

    /// The `(source, target)` pair.
    ///
    /// # Errors
    /// A missing or bad GUID.
    pub fn pair(&self, path: &str) -> Result<(AccountId, AccountId), ConversionError> {
        Ok((
            req_guid(
                &at(path, "sourceAccountId"),
                self.source_account_id.as_ref(),
            )?,
            req_guid(
                &at(path, "targetAccountId"),
                self.target_account_id.as_ref(),
            )?,
        ))
    }
}

/// The seed file and the state document (`GET`/`PUT /_emulator/state`): the seed
/// shape plus packages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct StateDocument {
    /// `accounts`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<AccountDoc>>")
    )]
    pub accounts: Vec<AccountDoc>,
    /// `sites`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<SiteDoc>>")
    )]
    pub sites: Vec<SiteDoc>,
    /// `catalog`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<CatalogProductDoc>>")
    )]
    pub catalog: Vec<CatalogProductDoc>,
    /// `apiKeys`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<ApiKeyDoc>>")
    )]
    pub api_keys: Vec<ApiKeyDoc>,
    /// `allowedTransfers`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<AllowedTransferDoc>>")
    )]
    pub allowed_transfers: Vec<AllowedTransferDoc>,
    /// `packages`, as Wix writes them.
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<Package>>")
    )]
    pub packages: Vec<Package>,
    /// `takenDomains`: names registered already.
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<String>>")
    )]
    pub taken_domains: Vec<String>,
    /// `tlds`: the TLDs sold and connected (absent: the default ten).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlds: Option<Vec<String>>,
    /// `connectedDomains`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(
            schema_with = "crate::schema::null_as_default::<Vec<crate::domains_control::ConnectedDomainDoc>>"
        )
    )]
    pub connected_domains: Vec<crate::domains_control::ConnectedDomainDoc>,
}

/// `POST /_emulator/instances/{instanceId}/extend`: the dashboard's extension of
/// an expiring instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExtendDoc {
    /// `cycles`: whole billing cycles to add (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycles: Option<i64>,
}

/// `POST /_emulator/instances/{instanceId}/status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatusChangeDoc {
    /// `status` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<WireStatus>,
    /// `failure`: the reason, for `FAILED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

impl StatusChangeDoc {
    /// The document of a status.
    pub fn from_domain(status: &InstanceStatus) -> Self {
        Self {
            status: Some(status.name().into()),
            failure: match status {
                InstanceStatus::Failed(f) => Some(Failure::from(f)),
                _ => None,
            },
        }
    }

    /// The domain status (a `FAILED` without `failure` fails with `UNKNOWN`).
    ///
    /// # Errors
    /// A missing or unknown `status`.
    pub fn try_into_domain(&self) -> Result<InstanceStatus, ConversionError> {
        use reseller_domain::StatusName as N;
        let status = required("status", self.status.as_ref())?;
        let name = status
            .to_domain()
            .ok_or_else(|| unknown_enum("status", status.as_str(), WireStatus::known_names()))?;
        Ok(match name {
            N::Pending => InstanceStatus::Pending,
            N::AwaitingAction => InstanceStatus::AwaitingAction,
            N::Enabled => InstanceStatus::Enabled,
            N::Canceled => InstanceStatus::Canceled,
            N::Failed => InstanceStatus::Failed(
                self.failure
                    .as_ref()
                    .map(Failure::to_domain)
                    .unwrap_or_else(|| Failure::default().to_domain()),
            ),
        })
    }
}

/// `PUT /_emulator/provisioning`: `{"mode": "auto"|"manual", "delayMs"?}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProvisioningDoc {
    /// `mode`: `auto` or `manual` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// `delayMs` (auto mode; default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<i64>,
}

/// `GET /_emulator/health`: `{"status":"ok"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HealthDoc {
    /// `status`: `ok` once the emulator accepts requests.
    pub status: String,
}

/// `GET /_emulator/accounts`: `{"accounts":[...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountList {
    /// `accounts`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<AccountDoc>>")
    )]
    pub accounts: Vec<AccountDoc>,
}

/// `GET /_emulator/sites?accountId=`: `{"sites":[...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SiteList {
    /// `sites`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<SiteDoc>>")
    )]
    pub sites: Vec<SiteDoc>,
}

/// `GET /_emulator/catalog`: `{"products":[...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CatalogList {
    /// `products`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<CatalogProductDoc>>")
    )]
    pub products: Vec<CatalogProductDoc>,
}

/// `POST /_emulator/clock`: `{"advanceMs": int}` or `{"set": RFC 3339}` (exactly one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClockDoc {
    /// `advanceMs`: milliseconds to move the emulated clock forward.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance_ms: Option<i64>,
    /// `set`: the emulated time to move to (never backwards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub set: Option<String>,
}

/// The answer of `POST /_emulator/clock`: `{"now": RFC 3339}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NowDoc {
    /// `now`: the emulated time after the move.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub now: String,
}

/// One fault rule of `POST /_emulator/faults`. Every member is optional: a rule
/// with none fails every request with 500.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FaultRuleDoc {
    /// `id`: given by the emulator in its answer (ignored on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `method`: the HTTP method matched (any when absent), case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `pathPrefix`: the path prefix matched (any path when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
    /// `probability`: 0..=1, the chance that a matching request is hit (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// `times`: how many requests the rule hits before it retires (unbounded when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<i64>,
    /// `status`: the HTTP status answered (default 500; 400..=599).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// `errorCode`: `applicationError.code` of an injected 4xx (default: the status name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// `retryAfterSeconds`: sent as the `Retry-After` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<i64>,
    /// `delayMs`: wall-clock delay before the request is handled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<i64>,
    /// `dropConnection`: close the connection instead of answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_connection: Option<bool>,
    /// `afterCommit`: apply the request, then fail its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_commit: Option<bool>,
    /// `leaveFloating`: on an Assign that moves an instance between sites, fail
    /// the call and leave the instance floating (the second outcome Wix documents
    /// for a failed move).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_floating: Option<bool>,
}

/// `POST /_emulator/faults` (in and out): `{"rules":[...]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FaultRulesDoc {
    /// `rules`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<FaultRuleDoc>>")
    )]
    pub rules: Vec<FaultRuleDoc>,
}

/// One entry of the request log. API keys never appear in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RequestLogEntryDoc {
    /// `at`: the emulated time the request arrived (RFC 3339).
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub at: String,
    /// `method`
    pub method: String,
    /// `path` (without the query string)
    pub path: String,
    /// `status`: the HTTP status answered (0 for a dropped connection).
    pub status: u16,
    /// `durationMs`: wall-clock time to answer.
    pub duration_ms: u64,
    /// `accountId`: the `wix-account-id` header, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `idempotencyKey`: the request's idempotency key, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// `errorCode`: the Wix error code of an error answer
    /// (`details.applicationError.code`, `INVALID_ARGUMENT` for a validation
    /// error, else the status name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

/// `GET /_emulator/requests`: `{"requests":[...]}`, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RequestLogDoc {
    /// `requests`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<RequestLogEntryDoc>>")
    )]
    pub requests: Vec<RequestLogEntryDoc>,
}
