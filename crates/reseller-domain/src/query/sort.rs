//! Sorting of query results: by `createdDate` and/or `updatedDate`, each ascending
//! or descending, always followed by the package id ascending so that the order is
//! total and the same on every call.

use std::cmp::Ordering;
use std::fmt;

use super::QueryError;
use super::field::Field;
use crate::error::{FieldViolation, RuleType};
use crate::ids::{PackageId, truncate_for_message};
use crate::package::Package;
use crate::time::Timestamp;

/// A sortable field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SortField {
    /// `createdDate`
    CreatedDate,
    /// `updatedDate`
    UpdatedDate,
}

impl SortField {
    /// Both sortable fields.
    pub const ALL: [SortField; 2] = [Self::CreatedDate, Self::UpdatedDate];

    /// Parses a field name (case-sensitive).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The field name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CreatedDate => "createdDate",
            Self::UpdatedDate => "updatedDate",
        }
    }

    /// The package's value of this field.
    pub fn key(self, package: &Package) -> Timestamp {
        match self {
            Self::CreatedDate => package.created(),
            Self::UpdatedDate => package.updated(),
        }
    }
}

impl fmt::Display for SortField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum SortOrder {
    /// `ASC` (the default when `order` is missing)
    #[default]
    Asc,
    /// `DESC`
    Desc,
}

impl SortOrder {
    /// Parses the wire name (`ASC`, `DESC`; case-sensitive).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "ASC" => Some(Self::Asc),
            "DESC" => Some(Self::Desc),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }

    /// `ord` in this direction.
    pub fn apply(self, ord: Ordering) -> Ordering {
        match self {
            Self::Asc => ord,
            Self::Desc => ord.reverse(),
        }
    }
}

/// One sort key: a field and its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortSpec {
    /// The field.
    pub field: SortField,
    /// The direction.
    pub order: SortOrder,
}

impl SortSpec {
    /// A sort key.
    pub fn new(field: SortField, order: SortOrder) -> Self {
        Self { field, order }
    }
}

/// A validated sort: one or two keys on distinct fields, applied in order, then the
/// package id ascending. The default is `createdDate` descending (spec R3.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sort {
    specs: Vec<SortSpec>,
}

impl Default for Sort {
    fn default() -> Self {
        Self {
            specs: vec![SortSpec::new(SortField::CreatedDate, SortOrder::Desc)],
        }
    }
}

impl Sort {
    /// A sort on the given keys. A field named again later is ignored (it could
    /// never decide anything); no keys at all means the default.
    pub fn new(specs: impl IntoIterator<Item = SortSpec>) -> Self {
        let mut kept: Vec<SortSpec> = Vec::new();
        for spec in specs {
            if !kept.iter().any(|k| k.field == spec.field) {
                kept.push(spec);
            }
        }
        if kept.is_empty() {
            Self::default()
        } else {
            Self { specs: kept }
        }
    }

    /// Validates the `query.sort` entries as sent: `(fieldName, order)`, a missing
    /// order meaning `ASC`. No entries means the default.
    ///
    /// # Errors
    /// - [`QueryError::Field`] with [`RuleType::InvalidEnumValue`] on
    ///   `query.sort[i].order` for an order other than `ASC` / `DESC`;
    /// - [`QueryError::InvalidQuery`] for a field that is unknown or not sortable.
    pub fn from_wire(entries: &[(String, Option<String>)]) -> Result<Self, QueryError> {
        let mut specs = Vec::with_capacity(entries.len());
        for (i, (_, order)) in entries.iter().enumerate() {
            if let Some(text) = order {
                if SortOrder::parse(text).is_none() {
                    return Err(QueryError::Field(FieldViolation::new(
                        format!("query.sort[{i}].order"),
                        RuleType::InvalidEnumValue,
                        format!(
                            "`{}` is not a sort order; expected ASC or DESC",
                            truncate_for_message(text)
                        ),
                    )));
                }
            }
        }
        for (name, order) in entries {
            let Some(field) = SortField::parse(name) else {
                let reason = match Field::parse(name) {
                    Some(_) => {
                        format!("`{name}` is not sortable; sortable: createdDate, updatedDate")
                    }
                    None => format!(
                        "cannot sort on `{}`: not a field; sortable: createdDate, updatedDate",
                        truncate_for_message(name)
                    ),
                };
                return Err(QueryError::InvalidQuery(reason));
            };
            let order = order
                .as_deref()
                .and_then(SortOrder::parse)
                .unwrap_or_default();
            specs.push(SortSpec::new(field, order));
        }
        Ok(Self::new(specs))
    }

    /// The keys, in order (never empty).
    pub fn specs(&self) -> &[SortSpec] {
        &self.specs
    }

    /// Whether this is the default sort (`createdDate` descending).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The order of `a` and `b`: each key in its direction, then id ascending.
    pub fn compare(&self, a: &Package, b: &Package) -> Ordering {
        self.specs
            .iter()
            .map(|s| s.order.apply(s.field.key(a).cmp(&s.field.key(b))))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| a.id().cmp(&b.id()))
    }

    /// Where `package` lies relative to `position` in this order: `Less` when it
    /// comes before it, `Equal` when it is the boundary item itself (same keys and
    /// id), `Greater` when after. Keys missing from the position count as equal.
    pub fn compare_to(&self, package: &Package, position: &Position) -> Ordering {
        self.specs
            .iter()
            .zip(&position.keys)
            .map(|(s, key)| s.order.apply(s.field.key(package).cmp(key)))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| package.id().cmp(&position.id))
    }
}

/// A place in a sort order: the sort-key values and id of one (boundary) package.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Position {
    keys: Vec<Timestamp>,
    id: PackageId,
}

impl Position {
    /// The position of `package` under `sort`.
    pub fn of(sort: &Sort, package: &Package) -> Self {
        Self {
            keys: sort.specs.iter().map(|s| s.field.key(package)).collect(),
            id: package.id(),
        }
    }

    /// A position from its parts: one key per sort key, in order, and the id.
    pub fn new(keys: Vec<Timestamp>, id: PackageId) -> Self {
        Self { keys, id }
    }

    /// The sort-key values.
    pub fn keys(&self) -> &[Timestamp] {
        &self.keys
    }

    /// The id of the boundary package.
    pub fn id(&self) -> PackageId {
        self.id
    }
}

/// Which way a cursor pages from its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The page is the first items after the position (`cursors.next`).
    Next,
    /// The page is the last items before the position (`cursors.prev`).
    Prev,
}

/// The keyset boundary of a cursor page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Boundary {
    /// The boundary position.
    pub position: Position,
    /// Which side of it the page lies on.
    pub direction: Direction,
    /// Whether an item exactly at the position belongs to the page (only for the
    /// cursors of an empty page, whose boundary is the position it was asked for).
    pub inclusive: bool,
}

impl Boundary {
    /// The side of `position` in `direction`, the position itself excluded.
    pub fn exclusive(position: Position, direction: Direction) -> Self {
        Self {
            position,
            direction,
            inclusive: false,
        }
    }

    /// Whether `package` lies on the page side of the boundary ("is after the
    /// position" for [`Direction::Next`], before it for [`Direction::Prev`]).
    pub fn admits(&self, sort: &Sort, package: &Package) -> bool {
        let ord = sort.compare_to(package, &self.position);
        match (self.direction, self.inclusive) {
            (Direction::Next, false) => ord == Ordering::Greater,
            (Direction::Next, true) => ord != Ordering::Less,
            (Direction::Prev, false) => ord == Ordering::Less,
            (Direction::Prev, true) => ord != Ordering::Greater,
        }
    }
}
