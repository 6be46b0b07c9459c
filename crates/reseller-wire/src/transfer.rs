//! Transfer Site of the B2B site-management API
//! (`POST /b2b-site-management/v1/transfer-site`): the `siteTransfer` object, its
//! request and answer, and their conversions to and from
//! [`SiteTransfer`](reseller_domain::ops::SiteTransfer). The target account travels
//! only as the `wix-account-id` header.

use reseller_domain::ops;
use serde::{Deserialize, Serialize};

use crate::convert::{guid, req_guid, required};
use crate::error::{ConversionError, Fields, InvalidRequest, at};

/// `SiteTransfer`: the site, the account that holds it now, and whether Wix
/// e-mails the owner after a successful move.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SiteTransfer {
    /// `siteId`
    #[serde(default, alias = "site_id", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub site_id: Option<String>,
    /// `sourceAccountId`
    #[serde(
        default,
        alias = "source_account_id",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub source_account_id: Option<String>,
    /// `enableNotifications` (default `false`).
    #[serde(
        default,
        alias = "enable_notifications",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_notifications: Option<bool>,
}

impl From<&ops::SiteTransfer> for SiteTransfer {
    fn from(t: &ops::SiteTransfer) -> Self {
        Self {
            site_id: Some(t.site.to_string()),
            source_account_id: Some(t.source_account.to_string()),
            enable_notifications: Some(t.enable_notifications),
        }
    }
}

impl SiteTransfer {
    /// The domain transfer (error paths start at `path`); an absent
    /// `enableNotifications` means `false`.
    ///
    /// # Errors
    /// The first [`ConversionError`]: `siteId` or `sourceAccountId` absent or not a GUID.
    pub fn try_into_domain_at(&self, path: &str) -> Result<ops::SiteTransfer, ConversionError> {
        Ok(ops::SiteTransfer {
            site: req_guid(&at(path, "siteId"), self.site_id.as_ref())?,
            source_account: req_guid(
                &at(path, "sourceAccountId"),
                self.source_account_id.as_ref(),
            )?,
            enable_notifications: self.enable_notifications.unwrap_or(false),
        })
    }
}

/// Body of Transfer Site: `{"siteTransfer": {...}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransferSiteRequest {
    /// `siteTransfer` (required).
    #[serde(
        default,
        alias = "site_transfer",
        skip_serializing_if = "Option::is_none"
    )]
    pub site_transfer: Option<SiteTransfer>,
}

impl TransferSiteRequest {
    /// The domain command.
    ///
    /// # Errors
    /// [`InvalidRequest`] with every violation: `siteTransfer`,
    /// `siteTransfer.siteId` or `siteTransfer.sourceAccountId` absent
    /// (`REQUIRED_FIELD`), an id that is not a GUID (`FORMAT`).
    pub fn try_into_domain(&self) -> Result<ops::SiteTransfer, InvalidRequest> {
        let mut fields = Fields::default();
        let Some(t) = fields.take(required("siteTransfer", self.site_transfer.as_ref())) else {
            return fields.finish(None);
        };
        let site = fields.take(
            required("siteTransfer.siteId", t.site_id.as_ref())
                .and_then(|s| guid("siteTransfer.siteId", s)),
        );
        let source = fields.take(
            required("siteTransfer.sourceAccountId", t.source_account_id.as_ref())
                .and_then(|s| guid("siteTransfer.sourceAccountId", s)),
        );
        let command = match (site, source) {
            (Some(site), Some(source_account)) => Some(ops::SiteTransfer {
                site,
                source_account,
                enable_notifications: t.enable_notifications.unwrap_or(false),
            }),
            _ => None,
        };
        fields.finish(command)
    }

    /// The body that sends `transfer`.
    pub fn from_domain(transfer: &ops::SiteTransfer) -> Self {
        Self {
            site_transfer: Some(transfer.into()),
        }
    }
}

/// Answer of Transfer Site: the `siteTransfer`, echoed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransferSiteResponse {
    /// `siteTransfer`
    #[serde(
        default,
        alias = "site_transfer",
        skip_serializing_if = "Option::is_none"
    )]
    pub site_transfer: Option<SiteTransfer>,
}

impl TransferSiteResponse {
    /// The answer echoing `transfer`.
    pub fn from_domain(transfer: &ops::SiteTransfer) -> Self {
        Self {
            site_transfer: Some(transfer.into()),
        }
    }

    /// The domain transfer (error paths start at `siteTransfer`).
    ///
    /// # Errors
    /// [`ConversionError`]: `siteTransfer` or one of its ids absent, or an id not a GUID.
    pub fn try_into_domain(&self) -> Result<ops::SiteTransfer, ConversionError> {
        required("siteTransfer", self.site_transfer.as_ref())?.try_into_domain_at("siteTransfer")
    }
}
