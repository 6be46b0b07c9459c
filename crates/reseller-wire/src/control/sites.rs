//! The site document of the control API (`POST /_emulator/sites`, `sites` of the
//! seed) and the limits on what it may carry.

use reseller_domain::sites::{EditorType, Namespace, SiteDetails};
use reseller_domain::world::Site;
use reseller_domain::{SiteId, Timestamp};
use serde::{Deserialize, Serialize};

use crate::convert::{opt_date, opt_guid, req_guid, unknown_enum};
use crate::error::{ConversionError, Problem, at, index};
use crate::json::null_as_default;

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
