//! Wix's query language on the wire (`QueryV2`: filter, sort, offset or cursor
//! paging, projections), Query Packages' request and answer, and the paging
//! metadata shared by the list answers (Query Packages, List Child Accounts, Query
//! Sites). The filter is kept as raw JSON; the domain validates it
//! ([`PackageQuery::new`]).

use reseller_domain::query::{PackageQuery, Paging, QueryPage};
use serde::{Deserialize, Serialize};

use crate::convert::{count, len_u64};
use crate::enums::WireSortOrder;
use crate::error::{
    ConversionError, Fields, InvalidRequest, Problem, QueryRequestError, at, index,
};
use crate::json::{null_as_default, value_from_json, value_to_json};
use crate::package::Package;

/// One `query.sort[]` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SortEntry {
    /// `fieldName`
    #[serde(default, alias = "field_name", skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// `order`: `ASC` (default) or `DESC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<WireSortOrder>,
}

impl SortEntry {
    /// The `(field, order)` pair the domain's queries take (an absent field is
    /// empty, for the domain to refuse).
    pub(crate) fn pair(&self) -> (String, Option<String>) {
        (
            self.field_name.clone().unwrap_or_default(),
            self.order.as_ref().map(|o| o.as_str().to_owned()),
        )
    }
}

/// `query.paging`: offset paging.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OffsetPaging {
    /// `limit`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `offset`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
}

/// `query.cursorPaging`: cursor paging.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CursorPaging {
    /// `limit`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `cursor`: `metadata.cursors.next` (or `.prev`) of an earlier answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// `QueryV2`: the `query` member of Query Packages and Query Sites.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Query {
    /// `filter`: Wix query language, kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<serde_json::Value>,
    /// `sort`
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<SortEntry>>")
    )]
    pub sort: Vec<SortEntry>,
    /// `paging`: offset paging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<OffsetPaging>,
    /// `cursorPaging`: cursor paging.
    #[serde(
        default,
        alias = "cursor_paging",
        skip_serializing_if = "Option::is_none"
    )]
    pub cursor_paging: Option<CursorPaging>,
    /// `fields`: projection (not applied by this toolkit; full objects are answered).
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<String>>")
    )]
    pub fields: Vec<String>,
    /// `fieldsets`: named projections (not applied either).
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<String>>")
    )]
    pub fieldsets: Vec<String>,
}

impl Query {
    /// The domain query. `path` is where this query sits (`query`).
    ///
    /// A negative limit or offset is `MIN`, one above `u32::MAX` is `MAX`; then
    /// [`PackageQuery::new`] checks paging, cursor, filter and sort. `fields` and
    /// `fieldsets` are not part of the domain query.
    ///
    /// # Errors
    /// [`QueryRequestError`].
    pub fn try_into_domain_at(&self, path: &str) -> Result<PackageQuery, QueryRequestError> {
        let mut fields = Fields::default();
        let mut paging = Vec::new();
        if let Some(c) = &self.cursor_paging {
            let limit = count(
                &mut fields,
                &at(&at(path, "cursorPaging"), "limit"),
                c.limit,
            );
            if let Some(limit) = limit {
                paging.push(Paging::Cursor {
                    limit,
                    cursor: c.cursor.clone(),
                });
            }
        }
        if let Some(o) = &self.paging {
            let paging_path = at(path, "paging");
            let limit = count(&mut fields, &at(&paging_path, "limit"), o.limit);
            let offset = count(&mut fields, &at(&paging_path, "offset"), o.offset);
            if let (Some(limit), Some(offset)) = (limit, offset) {
                paging.push(Paging::Offset { limit, offset });
            }
        }
        fields.finish(Some(()))?;
        let sort = self.sort.iter().map(SortEntry::pair).collect();
        let filter = self.filter.as_ref().map(value_from_json);
        Ok(PackageQuery::new(filter, sort, paging)?)
    }

    /// The query that sends `query`: the filter as JSON, the sort unless it is the
    /// default, and the paging unless it is the default cursor paging.
    pub fn from_domain(query: &PackageQuery) -> Self {
        let sort = if query.sort().is_default() {
            Vec::new()
        } else {
            query
                .sort()
                .specs()
                .iter()
                .map(|s| SortEntry {
                    field_name: Some(s.field.as_str().to_owned()),
                    order: Some(s.order.into()),
                })
                .collect()
        };
        let (paging, cursor_paging) = match query.paging() {
            Paging::Cursor {
                limit: None,
                cursor: None,
            } => (None, None),
            Paging::Cursor { limit, cursor } => (
                None,
                Some(CursorPaging {
                    limit: limit.map(i64::from),
                    cursor: cursor.clone(),
                }),
            ),
            Paging::Offset { limit, offset } => (
                Some(OffsetPaging {
                    limit: limit.map(i64::from),
                    offset: offset.map(i64::from),
                }),
                None,
            ),
        };
        Self {
            filter: query.filter().map(|f| value_to_json(&f.to_value())),
            sort,
            paging,
            cursor_paging,
            fields: Vec::new(),
            fieldsets: Vec::new(),
        }
    }
}

/// Body of Query Packages (`POST /resellers/v1/packages/query`): `{"query": {...}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct QueryPackagesRequest {
    /// `query` (required; `{}` means the defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Query>,
}

impl QueryPackagesRequest {
    /// The domain query.
    ///
    /// # Errors
    /// [`QueryRequestError::Invalid`] when `query` is absent (`REQUIRED_FIELD`) or a
    /// limit or offset is out of range; [`QueryRequestError::Query`] when the domain
    /// refuses the query.
    pub fn try_into_domain(&self) -> Result<PackageQuery, QueryRequestError> {
        match &self.query {
            Some(q) => q.try_into_domain_at("query"),
            None => Err(InvalidRequest::one(
                ConversionError::new("query", Problem::Missing).to_field_violation(),
            )
            .into()),
        }
    }

    /// The body that sends `query`.
    pub fn from_domain(query: &PackageQuery) -> Self {
        Self {
            query: Some(Query::from_domain(query)),
        }
    }
}

/// `cursors`: the cursors of the pages around this one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Cursors {
    /// `next`: present when more items follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// `prev`: present when items precede.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}

/// `PagingMetadataV2` (`metadata` of Query Packages and Query Sites,
/// `pagingMetadata` of List Child Accounts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PagingMetadata {
    /// `count`: items in this answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// `offset`: the offset in effect (offset paging).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// `total`: every match (offset paging).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// `tooManyToCount`: `total` was not computed.
    #[serde(
        default,
        alias = "too_many_to_count",
        skip_serializing_if = "Option::is_none"
    )]
    pub too_many_to_count: Option<bool>,
    /// `cursors` (cursor paging).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursors: Option<Cursors>,
    /// `hasNext`: more items follow (Query Sites; Wix-internal elsewhere).
    #[serde(default, alias = "has_next", skip_serializing_if = "Option::is_none")]
    pub has_next: Option<bool>,
}

impl PagingMetadata {
    /// The metadata of a cursor page with no way back: `count`, `cursors.next`
    /// and `hasNext` (Query Sites, Suggest Domains, List Connected Domains).
    pub(crate) fn next_page(count: usize, next: Option<String>) -> Self {
        Self {
            count: Some(len_u64(count)),
            has_next: Some(next.is_some()),
            cursors: Some(Cursors { next, prev: None }),
            ..Self::default()
        }
    }

    /// The metadata of an offset page: `count`, `offset`, `total` and
    /// `tooManyToCount: false` (Query Packages, List Child Accounts).
    pub(crate) fn offset_page(count: usize, offset: Option<u64>, total: Option<u64>) -> Self {
        Self {
            count: Some(len_u64(count)),
            offset,
            total,
            too_many_to_count: Some(false),
            ..Self::default()
        }
    }

    /// `cursors.next`, when present and not empty.
    pub fn next_cursor(&self) -> Option<&str> {
        self.cursors
            .as_ref()
            .and_then(|c| c.next.as_deref())
            .filter(|c| !c.is_empty())
    }

    /// `cursors.prev`, when present and not empty.
    pub fn prev_cursor(&self) -> Option<&str> {
        self.cursors
            .as_ref()
            .and_then(|c| c.prev.as_deref())
            .filter(|c| !c.is_empty())
    }
}

/// Answer of Query Packages: `{"metadata": {...}, "packages": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct QueryPackagesResponse {
    /// `metadata` (named `metadata`, not `pagingMetadata`, on the wire).
    #[serde(
        default,
        alias = "pagingMetadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<PagingMetadata>,
    /// `packages`
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<Package>>")
    )]
    pub packages: Vec<Package>,
}

impl QueryPackagesResponse {
    /// The answer for one page: `count`, and `cursors` (cursor paging, `{}` when
    /// there is no other page) or `offset`, `total` and `tooManyToCount: false`
    /// (offset paging).
    pub fn from_page(page: &QueryPage<'_>) -> Self {
        let metadata = if page.offset.is_some() || page.total.is_some() {
            PagingMetadata::offset_page(page.packages.len(), page.offset.map(u64::from), page.total)
        } else {
            PagingMetadata {
                count: Some(len_u64(page.packages.len())),
                cursors: Some(Cursors {
                    next: page.next_cursor.clone(),
                    prev: page.prev_cursor.clone(),
                }),
                ..PagingMetadata::default()
            }
        };
        Self {
            metadata: Some(metadata),
            packages: page.packages.iter().map(|p| Package::from(*p)).collect(),
        }
    }

    /// The domain packages of the page (error paths start at `packages[i]`).
    ///
    /// # Errors
    /// The first [`ConversionError`].
    pub fn packages_into_domain(&self) -> Result<Vec<reseller_domain::Package>, ConversionError> {
        self.packages
            .iter()
            .enumerate()
            .map(|(i, p)| p.try_into_domain_at(&index("packages", i)))
            .collect()
    }
}
