//! Query Sites (`POST /site-list/v2/sites/query`): the request, the `Site` object
//! and the answer, in the live shape (string cursor plus `metadata`) and tolerant of
//! the 2022 docs shape (a `cursorPaging.cursor` object and no `metadata`).

use serde::{Deserialize, Serialize};

use crate::convert::{opt_date, req_guid};
use crate::error::{ConversionError, at};
use crate::json::null_as_default;
use crate::query::{PagingMetadata, Query};

/// Body of Query Sites: `{"query": {...}}`, `query` optional. Only `filter`, `sort`
/// and `cursorPaging` apply (no offset paging).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct QuerySitesRequest {
    /// `query`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Query>,
}

/// A site, with the members a reseller flow needs. Every member is optional on
/// the wire; open enums (`editorType`, `namespace`, `parentChildRole`) are strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Site {
    /// `id`: the `siteId` of the Resellers and Transfer APIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub id: Option<String>,
    /// `name`: the URL slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `displayName`
    #[serde(
        default,
        alias = "display_name",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    /// `ownerAccountId`
    #[serde(
        default,
        alias = "owner_account_id",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub owner_account_id: Option<String>,
    /// `premium`: holds a Premium plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub premium: Option<bool>,
    /// `published`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<bool>,
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
    /// `trashedDate`: only when trashed.
    #[serde(
        default,
        alias = "trashed_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub trashed_date: Option<String>,
    /// `viewUrl`
    #[serde(default, alias = "view_url", skip_serializing_if = "Option::is_none")]
    pub view_url: Option<String>,
    /// `editUrl` (relative).
    #[serde(default, alias = "edit_url", skip_serializing_if = "Option::is_none")]
    pub edit_url: Option<String>,
    /// `thumbnail` (relative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// `contributorAccountIds`
    #[serde(
        default,
        alias = "contributor_account_ids",
        skip_serializing_if = "Option::is_none"
    )]
    pub contributor_account_ids: Option<Vec<String>>,
    /// `editorType`
    #[serde(
        default,
        alias = "editor_type",
        skip_serializing_if = "Option::is_none"
    )]
    pub editor_type: Option<String>,
    /// `blocked`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
    /// `folderId`
    #[serde(default, alias = "folder_id", skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// `namespace`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `domainConnected`
    #[serde(
        default,
        alias = "domain_connected",
        skip_serializing_if = "Option::is_none"
    )]
    pub domain_connected: Option<bool>,
    /// `htmlAppId`
    #[serde(
        default,
        alias = "html_app_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub html_app_id: Option<String>,
    /// `parentChildRole`
    #[serde(
        default,
        alias = "parent_child_role",
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_child_role: Option<String>,
}

/// The validated members of a [`Site`] the domain has types for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteKeys {
    /// `id`
    pub id: reseller_domain::SiteId,
    /// `ownerAccountId`
    pub owner: reseller_domain::AccountId,
    /// `createdDate`, when sent.
    pub created: Option<reseller_domain::Timestamp>,
    /// `updatedDate`, when sent.
    pub updated: Option<reseller_domain::Timestamp>,
}

impl Site {
    /// The id, owner and dates, validated (error paths start at `path`, e.g. `sites[0]`).
    ///
    /// # Errors
    /// [`ConversionError`]: `id` or `ownerAccountId` absent or not a GUID, a bad date.
    pub fn keys_at(&self, path: &str) -> Result<SiteKeys, ConversionError> {
        Ok(SiteKeys {
            id: req_guid(&at(path, "id"), self.id.as_ref())?,
            owner: req_guid(&at(path, "ownerAccountId"), self.owner_account_id.as_ref())?,
            created: opt_date(&at(path, "createdDate"), self.created_date.as_ref())?,
            updated: opt_date(&at(path, "updatedDate"), self.updated_date.as_ref())?,
        })
    }
}

/// `cursorPaging.cursor` of a Query Sites answer: an opaque string (live API) or, in
/// the 2022 docs example, an object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum SitesCursor {
    /// The live shape: an opaque string.
    Opaque(String),
    /// The 2022 docs shape: `{id, createDate, updateDate, siteDisplayName}`.
    Legacy(serde_json::Map<String, serde_json::Value>),
}

/// `cursorPaging` of a Query Sites answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SitesCursorPaging {
    /// `limit`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `cursor`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<SitesCursor>,
}

/// Answer of Query Sites.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct QuerySitesResponse {
    /// `sites`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<Site>>")
    )]
    pub sites: Vec<Site>,
    /// `cursorPaging`: echoes the limit and the next cursor.
    #[serde(
        default,
        alias = "cursor_paging",
        skip_serializing_if = "Option::is_none"
    )]
    pub cursor_paging: Option<SitesCursorPaging>,
    /// `metadata`: `count`, `cursors.next`, `hasNext`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<PagingMetadata>,
}

impl QuerySitesResponse {
    /// The live answer for one page: `cursorPaging` and `metadata` both carry the
    /// next cursor; `hasNext` says whether it exists.
    pub fn page(sites: Vec<Site>, limit: u32, next_cursor: Option<String>) -> Self {
        let metadata = PagingMetadata::next_page(sites.len(), next_cursor.clone());
        Self {
            sites,
            cursor_paging: Some(SitesCursorPaging {
                limit: Some(i64::from(limit)),
                cursor: next_cursor.map(SitesCursor::Opaque),
            }),
            metadata: Some(metadata),
        }
    }

    /// The cursor of the next page: `metadata.cursors.next` (unless `hasNext` is
    /// `false`), else a string `cursorPaging.cursor` of an answer without `metadata`.
    pub fn next_cursor(&self) -> Option<&str> {
        match &self.metadata {
            Some(meta) if meta.has_next == Some(false) => None,
            Some(meta) => meta.next_cursor(),
            None => match self.cursor_paging.as_ref().and_then(|c| c.cursor.as_ref()) {
                Some(SitesCursor::Opaque(c)) if !c.is_empty() => Some(c),
                _ => None,
            },
        }
    }
}
