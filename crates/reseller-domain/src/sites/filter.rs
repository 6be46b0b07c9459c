//! The filter of Query Sites and Count Sites: the fields and operators of Wix's
//! current Query Sites table plus `appIds`, `searchPhrase` and `state` of the Filter
//! & Sort article, parsed from the Wix query language and evaluated against a
//! [`SiteRow`]. A field outside the table is ignored, as Wix does; an operator a
//! field does not take is `INVALID_QUERY`.

use std::fmt;

use crate::query::{
    MAX_FILTER_DEPTH, MAX_FILTER_NODES, MAX_FILTER_TEXT_BYTES, Operator, QueryError, Value,
    logical_operands,
};

use super::kinds::{EditorType, Namespace, SiteState};
use super::row::SiteRow;

/// Which endpoint a filter is for: Count Sites ignores `premium` and `appIds`
/// ("not supported in this endpoint").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// Query Sites.
    Query,
    /// Count Sites.
    Count,
}

/// A field a site filter may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SiteField {
    /// `id`
    Id,
    /// `name`
    Name,
    /// `folderId`
    FolderId,
    /// `published`
    Published,
    /// `premium`
    Premium,
    /// `editorType`
    EditorType,
    /// `namespace`
    Namespace,
    /// `domainConnected`
    DomainConnected,
    /// `appIds`
    AppIds,
    /// `searchPhrase`
    SearchPhrase,
    /// `state`
    State,
}

const TEXT_OPERATORS: &[Operator] = &[
    Operator::Eq,
    Operator::Ne,
    Operator::Exists,
    Operator::In,
    Operator::HasSome,
    Operator::StartsWith,
    Operator::Gt,
    Operator::Lt,
    Operator::Lte,
    Operator::Gte,
];
const SCALAR_OPERATORS: &[Operator] = &[
    Operator::Eq,
    Operator::Ne,
    Operator::Exists,
    Operator::In,
    Operator::HasSome,
];
const APP_OPERATORS: &[Operator] = &[Operator::HasSome, Operator::HasAll];
const SEARCH_OPERATORS: &[Operator] = &[Operator::Eq];

impl SiteField {
    /// Every field, in the order of Wix's table.
    pub const ALL: [SiteField; 11] = [
        Self::Id,
        Self::Name,
        Self::FolderId,
        Self::Published,
        Self::Premium,
        Self::EditorType,
        Self::Namespace,
        Self::DomainConnected,
        Self::AppIds,
        Self::SearchPhrase,
        Self::State,
    ];

    /// The field as Wix spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Name => "name",
            Self::FolderId => "folderId",
            Self::Published => "published",
            Self::Premium => "premium",
            Self::EditorType => "editorType",
            Self::Namespace => "namespace",
            Self::DomainConnected => "domainConnected",
            Self::AppIds => "appIds",
            Self::SearchPhrase => "searchPhrase",
            Self::State => "state",
        }
    }

    /// The field named `name` (case-sensitive), if an endpoint filters on it.
    pub fn parse(name: &str, endpoint: Endpoint) -> Option<Self> {
        let field = Self::ALL.into_iter().find(|f| f.as_str() == name)?;
        let ignored = endpoint == Endpoint::Count && matches!(field, Self::Premium | Self::AppIds);
        (!ignored).then_some(field)
    }

    /// The operators the field takes. `id`, `name`, `folderId`: ten; the flags and
    /// enums: `$eq $ne $exists $in $hasSome`; `appIds`: `$hasSome $hasAll`;
    /// `searchPhrase`: a plain phrase (`$eq`).
    pub fn operators(self) -> &'static [Operator] {
        match self {
            Self::Id | Self::Name | Self::FolderId => TEXT_OPERATORS,
            Self::Published
            | Self::Premium
            | Self::EditorType
            | Self::Namespace
            | Self::DomainConnected
            | Self::State => SCALAR_OPERATORS,
            Self::AppIds => APP_OPERATORS,
            Self::SearchPhrase => SEARCH_OPERATORS,
        }
    }

    fn kind(self) -> Kind {
        match self {
            Self::Id | Self::FolderId => Kind::Guid,
            Self::Name | Self::SearchPhrase | Self::AppIds => Kind::Text,
            Self::Published | Self::Premium | Self::DomainConnected => Kind::Flag,
            Self::EditorType | Self::Namespace | Self::State => Kind::Enum,
        }
    }
}

impl fmt::Display for SiteField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Compared as lower-case text (GUIDs).
    Guid,
    /// Compared exactly.
    Text,
    /// A boolean.
    Flag,
    /// An enum string, compared without regard to case.
    Enum,
}

/// A scalar operand: text or a flag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Operand {
    /// A string (lower-cased for GUID fields).
    Text(String),
    /// A boolean.
    Flag(bool),
}

/// An operator with its operand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteOp {
    /// `$eq` (or a plain value)
    Eq(Operand),
    /// `$ne`: absent or different.
    Ne(Operand),
    /// `$exists`
    Exists(bool),
    /// `$in`: present and equal to one of them.
    In(Vec<Operand>),
    /// `$hasSome`: for a scalar field as `$in`; for `appIds`, one of them installed.
    HasSome(Vec<Operand>),
    /// `$hasAll`: every one installed (`appIds`).
    HasAll(Vec<Operand>),
    /// `$startsWith`: a case-sensitive prefix.
    StartsWith(String),
    /// `$gt`
    Gt(String),
    /// `$gte`
    Gte(String),
    /// `$lt`
    Lt(String),
    /// `$lte`
    Lte(String),
}

/// One condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteCondition {
    /// The field.
    pub field: SiteField,
    /// Operator and operand.
    pub op: SiteOp,
}

/// A validated site filter. Ignored members (unknown fields) are gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteFilter {
    /// Every part holds (`And(vec![])` holds always).
    And(Vec<SiteFilter>),
    /// Some part holds.
    Or(Vec<SiteFilter>),
    /// The part does not hold.
    Not(Box<SiteFilter>),
    /// One condition.
    Cond(SiteCondition),
}

/// Deepest nesting of arrays and objects a filter document may have.
pub const MAX_SITE_FILTER_NESTING: usize = 2 * MAX_FILTER_DEPTH + 4;

impl SiteFilter {
    /// Parses a filter for `endpoint`. `None` (or `{}`) means no filter; so does a
    /// filter whose every member was ignored.
    ///
    /// # Errors
    /// [`QueryError::InvalidQuery`]: the filter is not an object, uses an unknown
    /// operator or one the field does not take, gives an operand of the wrong type,
    /// or is over the size limits (nesting, nodes, text).
    pub fn parse(value: &Value, endpoint: Endpoint) -> Result<Option<Self>, QueryError> {
        let mut size = Size::default();
        size.walk(value, 1).map_err(QueryError::InvalidQuery)?;
        let parser = Parser { endpoint };
        parser.filter(value, 0).map_err(QueryError::InvalidQuery)
    }

    /// Whether some condition names `field` (Query Sites' defaults apply only when
    /// no condition names `namespace` or `state`).
    pub fn mentions(&self, field: SiteField) -> bool {
        match self {
            Self::And(parts) | Self::Or(parts) => parts.iter().any(|p| p.mentions(field)),
            Self::Not(inner) => inner.mentions(field),
            Self::Cond(c) => c.field == field,
        }
    }

    /// Whether `row` passes the filter.
    pub fn matches(&self, row: &SiteRow<'_>) -> bool {
        match self {
            Self::And(parts) => parts.iter().all(|p| p.matches(row)),
            Self::Or(parts) => parts.iter().any(|p| p.matches(row)),
            Self::Not(inner) => !inner.matches(row),
            Self::Cond(c) => c.matches(row),
        }
    }
}

/// What a field holds on one site.
enum Held<'a> {
    Absent,
    Text(String),
    Flag(bool),
    Enum(&'static str),
    List(&'a [String]),
    Search,
}

fn held<'a>(row: &SiteRow<'a>, field: SiteField) -> Held<'a> {
    let d = &row.site.details;
    match field {
        SiteField::Id => Held::Text(row.site.id.to_string()),
        SiteField::Name => Held::Text(row.site.name.clone()),
        SiteField::FolderId => match d.folder_id {
            Some(f) => Held::Text(f.hyphenated().to_string()),
            None => Held::Absent,
        },
        SiteField::Published => Held::Flag(d.published),
        SiteField::Premium => Held::Flag(row.premium),
        SiteField::DomainConnected => Held::Flag(row.domain_connected()),
        SiteField::EditorType => Held::Enum(d.editor_type.as_str()),
        SiteField::Namespace => Held::Enum(d.namespace.as_str()),
        SiteField::State => Held::Enum(d.state().as_str()),
        SiteField::AppIds => Held::List(&d.app_ids),
        SiteField::SearchPhrase => Held::Search,
    }
}

fn equal(held: &Held<'_>, operand: &Operand) -> bool {
    match (held, operand) {
        (Held::Text(t), Operand::Text(o)) => t == o,
        (Held::Flag(b), Operand::Flag(o)) => b == o,
        (Held::Enum(e), Operand::Text(o)) => e.eq_ignore_ascii_case(o),
        _ => false,
    }
}

impl SiteCondition {
    /// Whether `row` meets the condition.
    pub fn matches(&self, row: &SiteRow<'_>) -> bool {
        let value = held(row, self.field);
        if let Held::Search = value {
            return match &self.op {
                SiteOp::Eq(Operand::Text(phrase)) => row.matches_phrase(phrase),
                _ => false,
            };
        }
        if let Held::List(apps) = value {
            let has = |o: &Operand| matches!(o, Operand::Text(t) if apps.contains(t));
            return match &self.op {
                SiteOp::HasSome(list) => list.iter().any(has),
                SiteOp::HasAll(list) => list.iter().all(has),
                _ => false,
            };
        }
        let text = match &value {
            Held::Text(t) => Some(t.as_str()),
            _ => None,
        };
        match &self.op {
            SiteOp::Eq(o) => equal(&value, o),
            SiteOp::Ne(o) => !equal(&value, o),
            SiteOp::Exists(b) => !matches!(value, Held::Absent) == *b,
            SiteOp::In(list) | SiteOp::HasSome(list) => list.iter().any(|o| equal(&value, o)),
            SiteOp::HasAll(list) => list.iter().all(|o| equal(&value, o)),
            SiteOp::StartsWith(p) => text.is_some_and(|t| t.starts_with(p.as_str())),
            SiteOp::Gt(o) => text.is_some_and(|t| t > o.as_str()),
            SiteOp::Gte(o) => text.is_some_and(|t| t >= o.as_str()),
            SiteOp::Lt(o) => text.is_some_and(|t| t < o.as_str()),
            SiteOp::Lte(o) => text.is_some_and(|t| t <= o.as_str()),
        }
    }
}

/// Counts a filter document's nodes, nesting and text against the limits.
#[derive(Default)]
struct Size {
    nodes: usize,
    text: usize,
}

impl Size {
    fn walk(&mut self, value: &Value, depth: usize) -> Result<(), String> {
        if depth > MAX_SITE_FILTER_NESTING {
            return Err(format!(
                "the filter nests arrays and objects more than {MAX_SITE_FILTER_NESTING} levels deep"
            ));
        }
        self.nodes += 1;
        if self.nodes > 2 * MAX_FILTER_NODES {
            return Err(format!(
                "the filter has more than {} values",
                2 * MAX_FILTER_NODES
            ));
        }
        let text = match value {
            Value::String(s) => s.len(),
            Value::Object(members) => members.keys().map(String::len).sum(),
            _ => 0,
        };
        self.text += text;
        if self.text > MAX_FILTER_TEXT_BYTES {
            return Err(format!(
                "the filter holds more than {MAX_FILTER_TEXT_BYTES} bytes of text"
            ));
        }
        match value {
            Value::Array(items) => items.iter().try_for_each(|v| self.walk(v, depth + 1)),
            Value::Object(members) => members.values().try_for_each(|v| self.walk(v, depth + 1)),
            _ => Ok(()),
        }
    }
}

struct Parser {
    endpoint: Endpoint,
}

impl Parser {
    /// A filter object below `depth` logical nodes; `None` when every member was
    /// ignored.
    fn filter(&self, value: &Value, depth: usize) -> Result<Option<SiteFilter>, String> {
        if depth > MAX_FILTER_DEPTH {
            return Err(format!(
                "the filter nests $and/$or/$not more than {MAX_FILTER_DEPTH} levels deep"
            ));
        }
        let Value::Object(members) = value else {
            return Err(format!("a filter must be an object, got {}", value.kind()));
        };
        let mut parts = Vec::new();
        for (name, member) in members {
            if name.starts_with('$') {
                if let Some(f) = self.logical(name, member, depth)? {
                    parts.push(f);
                }
            } else {
                self.field(name, member, &mut parts)?;
            }
        }
        Ok(match parts.len() {
            0 if !members.is_empty() => None,
            1 => parts.pop(),
            _ => Some(SiteFilter::And(parts)),
        })
    }

    fn logical(
        &self,
        name: &str,
        member: &Value,
        depth: usize,
    ) -> Result<Option<SiteFilter>, String> {
        match name {
            "$and" | "$or" => {
                let items = logical_operands(name, member)?;
                let mut parts = Vec::new();
                for item in items {
                    if let Some(f) = self.filter(item, depth + 1)? {
                        parts.push(f);
                    }
                }
                if parts.is_empty() {
                    return Ok(None);
                }
                Ok(Some(if name == "$and" {
                    SiteFilter::And(parts)
                } else {
                    SiteFilter::Or(parts)
                }))
            }
            "$not" => Ok(self
                .filter(member, depth + 1)?
                .map(|f| SiteFilter::Not(Box::new(f)))),
            _ => Err(format!("unknown logical operator `{}`", short(name))),
        }
    }

    fn field(&self, name: &str, member: &Value, out: &mut Vec<SiteFilter>) -> Result<(), String> {
        // A member on a field outside the table is ignored whole, whatever it holds.
        let Some(field) = SiteField::parse(name, self.endpoint) else {
            return Ok(());
        };
        match member {
            Value::Object(ops) if ops.keys().any(|k| k.starts_with('$')) => {
                if !ops.keys().all(|k| k.starts_with('$')) {
                    return Err(format!(
                        "the value of `{}` mixes operators with other members",
                        short(name)
                    ));
                }
                for (op_name, operand) in ops {
                    let Some(op) = Operator::parse(op_name) else {
                        return Err(format!(
                            "unknown operator `{}` on `{}`",
                            short(op_name),
                            short(name)
                        ));
                    };
                    out.push(SiteFilter::Cond(condition(field, op, operand)?));
                }
                Ok(())
            }
            _ => {
                out.push(SiteFilter::Cond(condition(field, Operator::Eq, member)?));
                Ok(())
            }
        }
    }
}

fn short(text: &str) -> String {
    crate::ids::truncate_for_message(text)
}

fn condition(field: SiteField, op: Operator, operand: &Value) -> Result<SiteCondition, String> {
    if !field.operators().contains(&op) {
        let supported = field
            .operators()
            .iter()
            .map(|o| o.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(format!(
            "operator {op} is not supported on `{field}` (supported: {supported})"
        ));
    }
    let scalar = |v: &Value| scalar(field, op, v);
    let list = |v: &Value| -> Result<Vec<Operand>, String> {
        match v {
            Value::Array(items) => items.iter().map(scalar).collect(),
            other => Err(format!(
                "{op} on `{field}` takes an array, got {}",
                other.kind()
            )),
        }
    };
    let text = |v: &Value| -> Result<String, String> {
        match scalar(v)? {
            Operand::Text(t) => Ok(t),
            Operand::Flag(_) => Err(format!("{op} on `{field}` takes a string")),
        }
    };
    let op = match op {
        Operator::Eq => SiteOp::Eq(scalar(operand)?),
        Operator::Ne => SiteOp::Ne(scalar(operand)?),
        Operator::Exists => match operand {
            Value::Bool(b) => SiteOp::Exists(*b),
            other => {
                return Err(format!(
                    "{op} on `{field}` takes a boolean, got {}",
                    other.kind()
                ));
            }
        },
        Operator::In => SiteOp::In(list(operand)?),
        Operator::HasSome => SiteOp::HasSome(list(operand)?),
        Operator::HasAll => SiteOp::HasAll(list(operand)?),
        Operator::StartsWith => SiteOp::StartsWith(text(operand)?),
        Operator::Gt => SiteOp::Gt(text(operand)?),
        Operator::Gte => SiteOp::Gte(text(operand)?),
        Operator::Lt => SiteOp::Lt(text(operand)?),
        _ => SiteOp::Lte(text(operand)?),
    };
    Ok(SiteCondition { field, op })
}

/// One operand of the field's type: a boolean for the flags, a string for the rest
/// (lower-cased for GUID fields, which compare without regard to case).
fn scalar(field: SiteField, op: Operator, value: &Value) -> Result<Operand, String> {
    match (field.kind(), value) {
        (Kind::Flag, Value::Bool(b)) => Ok(Operand::Flag(*b)),
        (Kind::Guid, Value::String(s)) => Ok(Operand::Text(s.to_ascii_lowercase())),
        (Kind::Text | Kind::Enum, Value::String(s)) => Ok(Operand::Text(s.clone())),
        (Kind::Flag, other) => Err(format!(
            "{op} on `{field}` takes a boolean, got {}",
            other.kind()
        )),
        (_, other) => Err(format!(
            "{op} on `{field}` takes a string, got {}",
            other.kind()
        )),
    }
}

/// The enum values the defaults compare with.
pub(crate) fn default_namespace() -> SiteCondition {
    SiteCondition {
        field: SiteField::Namespace,
        op: SiteOp::Eq(Operand::Text(Namespace::Wix.as_str().to_owned())),
    }
}

/// The `state` a site must have when no condition names `state`.
pub(crate) fn default_state() -> SiteCondition {
    SiteCondition {
        field: SiteField::State,
        op: SiteOp::Eq(Operand::Text(SiteState::Active.as_str().to_owned())),
    }
}

/// Whether `text` is a value of the enum of `field` (for callers that check a
/// value before sending it; the filter itself accepts any string, as Wix's enums
/// are open).
pub fn is_known_value(field: SiteField, text: &str) -> bool {
    match field {
        SiteField::EditorType => EditorType::ALL
            .iter()
            .any(|v| v.as_str().eq_ignore_ascii_case(text)),
        SiteField::Namespace => Namespace::ALL
            .iter()
            .any(|v| v.as_str().eq_ignore_ascii_case(text)),
        SiteField::State => SiteState::ALL
            .iter()
            .any(|v| v.as_str().eq_ignore_ascii_case(text)),
        _ => true,
    }
}
