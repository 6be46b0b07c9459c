//! The order of Query Sites: one sort field of four (`displayName`, `createdDate`,
//! `updatedDate`, `trashedDate`), `createdDate` `DESC` by default, equal values
//! ordered by id in the sort's direction, and sites without a `trashedDate` after
//! every site that has one, in either direction.

use std::cmp::Ordering;
use std::fmt;

use crate::ids::SiteId;
use crate::query::{QueryError, SortOrder};
use crate::time::Timestamp;
use crate::world::Site;

/// A sortable field of Query Sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SiteSortField {
    /// `displayName` (compared as text, code point by code point)
    DisplayName,
    /// `createdDate`
    CreatedDate,
    /// `updatedDate`
    UpdatedDate,
    /// `trashedDate` (sites without one come last)
    TrashedDate,
}

impl SiteSortField {
    /// Every sortable field.
    pub const ALL: [SiteSortField; 4] = [
        Self::DisplayName,
        Self::CreatedDate,
        Self::UpdatedDate,
        Self::TrashedDate,
    ];

    /// The field as Wix spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DisplayName => "displayName",
            Self::CreatedDate => "createdDate",
            Self::UpdatedDate => "updatedDate",
            Self::TrashedDate => "trashedDate",
        }
    }

    /// The field named `name` (case-sensitive).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The key of `site` under this field.
    pub fn key(self, site: &Site) -> SortKey {
        match self {
            Self::DisplayName => SortKey::Text(site.display_name().to_owned()),
            Self::CreatedDate => SortKey::Time(site.created),
            Self::UpdatedDate => SortKey::Time(site.updated),
            Self::TrashedDate => SortKey::Trashed(site.details.trashed),
        }
    }
}

impl fmt::Display for SiteSortField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A site's value under a sort field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// `displayName`
    Text(String),
    /// `createdDate` or `updatedDate`
    Time(Timestamp),
    /// `trashedDate`, absent for a site not in the trash.
    Trashed(Option<Timestamp>),
}

/// The order of a Query Sites answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SiteSort {
    /// The field.
    pub field: SiteSortField,
    /// The direction.
    pub order: SortOrder,
}

impl Default for SiteSort {
    /// `createdDate` `DESC`.
    fn default() -> Self {
        Self {
            field: SiteSortField::CreatedDate,
            order: SortOrder::Desc,
        }
    }
}

impl SiteSort {
    /// The sort of `query.sort` as sent: no entry is the default; one entry names a
    /// sortable field and `ASC` (also when `order` is missing) or `DESC`.
    ///
    /// # Errors
    /// `INVALID_QUERY` for more than one entry or a field that is not sortable;
    /// a field violation (`INVALID_ENUM_VALUE` on `query.sort[0].order`) for another
    /// order.
    pub fn from_wire(entries: &[(String, Option<String>)]) -> Result<Self, QueryError> {
        let [(name, order)] = entries else {
            return if entries.is_empty() {
                Ok(Self::default())
            } else {
                Err(QueryError::InvalidQuery(
                    "Query Sites sorts on one field".to_owned(),
                ))
            };
        };
        let field = SiteSortField::parse(name).ok_or_else(|| {
            QueryError::InvalidQuery(format!(
                "`{}` is not sortable (sortable: displayName, createdDate, updatedDate, trashedDate)",
                crate::ids::truncate_for_message(name)
            ))
        })?;
        let order = match order.as_deref() {
            None => SortOrder::Asc,
            Some(text) => SortOrder::parse(text).ok_or_else(|| {
                QueryError::Field(crate::error::FieldViolation::new(
                    "query.sort[0].order",
                    crate::error::RuleType::InvalidEnumValue,
                    format!(
                        "`{}` is not ASC or DESC",
                        crate::ids::truncate_for_message(text)
                    ),
                ))
            })?,
        };
        Ok(Self { field, order })
    }

    /// How `a` compares with `b` in the answer's order (ties broken by id in the
    /// sort's direction; absent `trashedDate`s last in either direction).
    pub fn compare(&self, a: (&SortKey, SiteId), b: (&SortKey, SiteId)) -> Ordering {
        let (ka, ia) = a;
        let (kb, ib) = b;
        if let (SortKey::Trashed(ta), SortKey::Trashed(tb)) = (ka, kb) {
            let missing = ta.is_none().cmp(&tb.is_none());
            if missing != Ordering::Equal {
                return missing;
            }
        }
        let by_key = match (ka, kb) {
            (SortKey::Text(x), SortKey::Text(y)) => x.cmp(y),
            (SortKey::Time(x), SortKey::Time(y)) => x.cmp(y),
            (SortKey::Trashed(x), SortKey::Trashed(y)) => x.cmp(y),
            _ => Ordering::Equal,
        };
        self.order.apply(by_key.then(ia.cmp(&ib)))
    }
}
