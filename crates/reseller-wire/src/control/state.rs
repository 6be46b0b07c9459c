//! The seed file and the state document (`GET`/`PUT /_emulator/state`), and the
//! lists the control API answers (accounts, sites, catalog).

use serde::{Deserialize, Serialize};

use super::{AccountDoc, AllowedTransferDoc, ApiKeyDoc, CatalogProductDoc, SiteDoc};
use crate::json::null_as_default;
use crate::package::Package;

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
