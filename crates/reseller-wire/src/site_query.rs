//! Query Sites' request as the domain reads it, Count Sites
//! (`POST /site-list/v2/sites/count`) and Get Account
//! (`GET /accounts/v1/accounts/{accountId}`): bodies, answers and conversions.

use reseller_domain::ops::AccountInfo;
use reseller_domain::query::Paging;
use reseller_domain::sites::{SiteCount, SiteQuery};
use serde::{Deserialize, Serialize};

use crate::convert::{count, req_guid};
use crate::error::{ConversionError, Fields, Problem, QueryRequestError, at};
use crate::json::{value_from_json, value_to_json};
use crate::query::{CursorPaging, OffsetPaging, Query, SortEntry};
use crate::sites::QuerySitesRequest;

impl QuerySitesRequest {
    /// The domain query: `filter`, `sort` and `cursorPaging` as sent; `paging`
    /// (offset) is refused by the domain.
    ///
    /// # Errors
    /// [`QueryRequestError`]: a negative or huge limit as a field violation, then
    /// what [`SiteQuery::new`] refuses.
    pub fn try_into_domain(&self) -> Result<SiteQuery, QueryRequestError> {
        let q = self.query.clone().unwrap_or_default();
        let mut fields = Fields::default();
        let mut paging = Vec::new();
        if let Some(c) = &q.cursor_paging {
            let l = count(&mut fields, "query.cursorPaging.limit", c.limit).flatten();
            paging.push(Paging::Cursor {
                limit: l,
                cursor: c.cursor.clone().filter(|c| !c.is_empty()),
            });
        }
        if let Some(o) = &q.paging {
            paging.push(Paging::Offset {
                limit: None,
                offset: o.offset.and_then(|n| u32::try_from(n).ok()),
            });
        }
        fields.finish(Some(()))?;
        let sort = q.sort.iter().map(SortEntry::pair).collect();
        Ok(SiteQuery::new(
            q.filter.as_ref().map(value_from_json),
            sort,
            paging,
        )?)
    }

    /// The body that sends `query`: the filter, the sort when one was given, and
    /// `cursorPaging` when a limit or cursor was.
    pub fn from_domain(query: &SiteQuery) -> Self {
        let sort = query
            .sort()
            .map(|s| {
                vec![SortEntry {
                    field_name: Some(s.field.as_str().to_owned()),
                    order: Some(s.order.into()),
                }]
            })
            .unwrap_or_default();
        let cursor_paging =
            (query.limit().is_some() || query.cursor().is_some()).then(|| CursorPaging {
                limit: query.limit().map(i64::from),
                cursor: query.cursor().map(str::to_owned),
            });
        Self {
            query: Some(Query {
                filter: query.filter().map(value_to_json),
                sort,
                paging: None::<OffsetPaging>,
                cursor_paging,
                ..Query::default()
            }),
        }
    }
}

/// Body of Count Sites: `{"filter": {...}}`, `filter` optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CountSitesRequest {
    /// `filter`: as Query Sites' (`premium` and `appIds` are ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<serde_json::Value>,
}

impl CountSitesRequest {
    /// The domain filter.
    ///
    /// # Errors
    /// [`QueryRequestError::Query`] (`INVALID_QUERY`) as [`SiteCount::new`].
    pub fn try_into_domain(&self) -> Result<SiteCount, QueryRequestError> {
        Ok(SiteCount::new(self.filter.as_ref().map(value_from_json))?)
    }

    /// The body that sends `count`.
    pub fn from_domain(count: &SiteCount) -> Self {
        Self {
            filter: count.filter().map(value_to_json),
        }
    }
}

/// Answer of Count Sites: `{"count": n}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CountSitesResponse {
    /// `count`
    #[serde(default, with = "count_number")]
    #[cfg_attr(feature = "schema", schemars(with = "u64"))]
    pub count: u64,
}

/// `count` as a JSON number, also read from the string form protobuf gives 64-bit
/// integers.
mod count_number {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(n: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*n)
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(u64),
        Text(String),
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        match Option::<Either>::deserialize(d)? {
            None => Ok(0),
            Some(Either::Number(n)) => Ok(n),
            Some(Either::Text(t)) => t.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// `account` of Get Account's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountBody {
    /// `accountId`
    #[serde(default, alias = "account_id", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub account_id: Option<String>,
    /// `slug`: the prefix of a free site's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// `accountName`
    #[serde(
        default,
        alias = "account_name",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_name: Option<String>,
}

/// Answer of Get Account: `{"account": {"accountId", "slug", "accountName"}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetAccountResponse {
    /// `account`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountBody>,
}

impl GetAccountResponse {
    /// The answer for `info`.
    pub fn from_domain(info: &AccountInfo) -> Self {
        Self {
            account: Some(AccountBody {
                account_id: Some(info.id.to_string()),
                slug: Some(info.slug.clone()),
                account_name: Some(info.name.clone()),
            }),
        }
    }

    /// The account read: `account.accountId` is required; an absent `slug` or
    /// `accountName` reads as empty.
    ///
    /// # Errors
    /// [`ConversionError`]: `account` or its id absent, an id that is not a GUID.
    pub fn try_into_domain(&self) -> Result<AccountInfo, ConversionError> {
        let account = self
            .account
            .as_ref()
            .ok_or_else(|| ConversionError::new("account", Problem::Missing))?;
        Ok(AccountInfo {
            id: req_guid(&at("account", "accountId"), account.account_id.as_ref())?,
            slug: account.slug.clone().unwrap_or_default(),
            name: account.account_name.clone().unwrap_or_default(),
        })
    }
}
