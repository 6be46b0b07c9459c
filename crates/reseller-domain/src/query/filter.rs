//! The typed filter of a package query: parsed and validated from the Wix query
//! language (a JSON-like [`Value`]), with limits on size and nesting so that hostile
//! input can neither exhaust the stack nor make an undecodable cursor.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};

use super::QueryError;
use super::field::{Field, InstancePath, Operator};
use super::value::Value;
use crate::ids::truncate_for_message;

/// Deepest nesting of `$and` / `$or` / `$not` a filter may have.
pub const MAX_FILTER_DEPTH: usize = 32;

/// Most nodes a filter may have: logical nodes, conditions, and every operand value
/// (each element of an `$in` list, each value nested in a `$hasSome` operand).
pub const MAX_FILTER_NODES: usize = 1024;

/// Deepest nesting of arrays and objects inside one `$hasSome` / `$hasAll` element.
pub const MAX_OPERAND_DEPTH: usize = 8;

/// Most bytes of text (strings and object member names) all operands of a filter
/// may hold together.
pub const MAX_FILTER_TEXT_BYTES: usize = 32 * 1024;

/// A validated filter.
///
/// `And(vec![])` matches every package (it is what the empty filter `{}` parses
/// to); `Or(vec![])` matches none (the parser never makes one).
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Every filter holds.
    And(Vec<Filter>),
    /// At least one filter holds.
    Or(Vec<Filter>),
    /// The filter does not hold.
    Not(Box<Filter>),
    /// One condition on one field.
    Cond(Condition),
}

/// A condition on one field, with an operator that field allows and an operand of
/// the type that operator takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `id`, `accountId` or `externalId`.
    Key {
        /// The field.
        field: KeyField,
        /// Operator and operand.
        op: KeyOp,
    },
    /// `createdDate` or `updatedDate` compared with an instant.
    Date {
        /// The field.
        field: DateField,
        /// The comparison.
        cmp: DateCmp,
        /// The operand, at full precision.
        at: DateTime<Utc>,
    },
    /// A `productInstances` path with `$hasSome` / `$hasAll`.
    Instances {
        /// The path inside each instance.
        path: InstancePath,
        /// Operator and listed values.
        op: ArrayOp,
    },
}

/// The fields compared with `$eq`, `$ne`, `$in`, `$exists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyField {
    /// `id` (a GUID, compared case-insensitively)
    Id,
    /// `accountId` (a GUID, compared case-insensitively)
    AccountId,
    /// `externalId` (free text, compared exactly; may be absent)
    ExternalId,
}

impl KeyField {
    /// Every key field.
    pub const ALL: [KeyField; 3] = [Self::Id, Self::AccountId, Self::ExternalId];

    /// The field.
    pub fn field(self) -> Field {
        match self {
            Self::Id => Field::Id,
            Self::AccountId => Field::AccountId,
            Self::ExternalId => Field::ExternalId,
        }
    }
}

/// An operator on a [`KeyField`] with its operand, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeyOp {
    /// `$eq`: the field is present and equals the operand.
    Eq(String),
    /// `$ne`: the field is absent or differs from the operand.
    Ne(String),
    /// `$in`: the field is present and equals one of the operands.
    In(Vec<String>),
    /// `$exists`: the field is present (`true`) or absent (`false`).
    Exists(bool),
}

impl KeyOp {
    /// The operator.
    pub fn operator(&self) -> Operator {
        match self {
            Self::Eq(_) => Operator::Eq,
            Self::Ne(_) => Operator::Ne,
            Self::In(_) => Operator::In,
            Self::Exists(_) => Operator::Exists,
        }
    }
}

/// The date fields of a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateField {
    /// `createdDate`
    CreatedDate,
    /// `updatedDate`
    UpdatedDate,
}

impl DateField {
    /// Both date fields.
    pub const ALL: [DateField; 2] = [Self::CreatedDate, Self::UpdatedDate];

    /// The field.
    pub fn field(self) -> Field {
        match self {
            Self::CreatedDate => Field::CreatedDate,
            Self::UpdatedDate => Field::UpdatedDate,
        }
    }
}

/// How a date field is compared with its operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateCmp {
    /// `$eq`
    Eq,
    /// `$ne`
    Ne,
    /// `$gt`
    Gt,
    /// `$gte`
    Gte,
    /// `$lt`
    Lt,
    /// `$lte`
    Lte,
}

impl DateCmp {
    /// Every comparison.
    pub const ALL: [DateCmp; 6] = [Self::Eq, Self::Ne, Self::Gt, Self::Gte, Self::Lt, Self::Lte];

    /// The operator.
    pub fn operator(self) -> Operator {
        match self {
            Self::Eq => Operator::Eq,
            Self::Ne => Operator::Ne,
            Self::Gt => Operator::Gt,
            Self::Gte => Operator::Gte,
            Self::Lt => Operator::Lt,
            Self::Lte => Operator::Lte,
        }
    }

    /// Whether the comparison holds when the field compares to the operand as `ord`.
    pub fn holds(self, ord: Ordering) -> bool {
        match self {
            Self::Eq => ord == Ordering::Equal,
            Self::Ne => ord != Ordering::Equal,
            Self::Gt => ord == Ordering::Greater,
            Self::Gte => ord != Ordering::Less,
            Self::Lt => ord == Ordering::Less,
            Self::Lte => ord != Ordering::Greater,
        }
    }

    fn from_operator(op: Operator) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.operator() == op)
    }
}

/// `$hasSome` / `$hasAll` with the listed values.
#[derive(Debug, Clone, PartialEq)]
pub enum ArrayOp {
    /// At least one listed value is among the instances' values.
    HasSome(Vec<Value>),
    /// Every listed value is among the instances' values.
    HasAll(Vec<Value>),
}

impl ArrayOp {
    /// The operator.
    pub fn operator(&self) -> Operator {
        match self {
            Self::HasSome(_) => Operator::HasSome,
            Self::HasAll(_) => Operator::HasAll,
        }
    }

    /// The listed values.
    pub fn values(&self) -> &[Value] {
        match self {
            Self::HasSome(v) | Self::HasAll(v) => v,
        }
    }
}

impl Condition {
    /// The field the condition is on.
    pub fn field(&self) -> Field {
        match self {
            Self::Key { field, .. } => field.field(),
            Self::Date { field, .. } => field.field(),
            Self::Instances { path, .. } => Field::Instances(*path),
        }
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        match self {
            Self::Key { op, .. } => op.operator(),
            Self::Date { cmp, .. } => cmp.operator(),
            Self::Instances { op, .. } => op.operator(),
        }
    }

    /// The condition in the Wix query language: `{"field": {"$op": operand}}`.
    pub fn to_value(&self) -> Value {
        let operand = match self {
            Self::Key { op, .. } => match op {
                KeyOp::Eq(s) | KeyOp::Ne(s) => Value::String(s.clone()),
                KeyOp::In(list) => Value::array(list.iter().map(|s| Value::String(s.clone()))),
                KeyOp::Exists(b) => Value::Bool(*b),
            },
            Self::Date { at, .. } => Value::String(render_instant(at)),
            Self::Instances { op, .. } => Value::Array(op.values().to_vec()),
        };
        Value::object([(
            self.field().as_str(),
            Value::object([(self.operator().as_str(), operand)]),
        )])
    }
}

/// An instant as RFC 3339 UTC, with as many fraction digits as it needs (0, 3, 6
/// or 9), so that parsing it back gives the same instant.
pub(crate) fn render_instant(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Parses an RFC 3339 date at full precision.
pub(crate) fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

impl Filter {
    /// The filter that matches every package (the empty filter `{}`).
    pub fn everything() -> Self {
        Self::And(Vec::new())
    }

    /// Whether this is the filter that matches every package by construction
    /// (`And` of nothing).
    pub fn is_everything(&self) -> bool {
        matches!(self, Self::And(parts) if parts.is_empty())
    }

    /// Parses and validates a filter of the Wix query language.
    ///
    /// A filter is one object. Several members mean AND. `{"field": scalar}` means
    /// `$eq`; `{"field": {"$op": operand, ...}}` applies each operator (AND).
    /// `$and` and `$or` take a non-empty array of filter objects, `$not` one filter
    /// object. Fields and operators are those of spec section 5.1
    /// ([`Field::operators`]).
    ///
    /// # Errors
    /// [`QueryError::InvalidQuery`] for an unknown field, an operator the field does
    /// not allow (including `$nin`, `$startsWith`, `$isEmpty`), an operand of the
    /// wrong type (`$in` without an array of strings, `$exists` without a boolean,
    /// a date that is not RFC 3339, `$hasSome` without an array), or a filter over
    /// the limits ([`MAX_FILTER_DEPTH`], [`MAX_FILTER_NODES`],
    /// [`MAX_OPERAND_DEPTH`], [`MAX_FILTER_TEXT_BYTES`]).
    pub fn from_value(value: &Value) -> Result<Self, QueryError> {
        let mut parser = Parser {
            // A guard only: the parser sees at most twice as many nodes as the
            // filter it builds; the limits proper are checked on the result.
            budget: Budget::new(2 * MAX_FILTER_NODES),
        };
        let filter = parser.filter(value, 1).map_err(QueryError::InvalidQuery)?;
        filter.check_limits()?;
        Ok(filter)
    }

    /// The filter in the Wix query language, in explicit form (`$and`, `$or`,
    /// `$not`, and `{"field": {"$op": operand}}`); [`Filter::from_value`] parses it
    /// back to an equal filter. `And` of nothing is `{}`.
    pub fn to_value(&self) -> Value {
        match self {
            Self::And(parts) if parts.is_empty() => Value::Object(BTreeMap::new()),
            Self::And(parts) => {
                Value::object([("$and", Value::array(parts.iter().map(Self::to_value)))])
            }
            Self::Or(parts) => {
                Value::object([("$or", Value::array(parts.iter().map(Self::to_value)))])
            }
            Self::Not(inner) => Value::object([("$not", inner.to_value())]),
            Self::Cond(c) => c.to_value(),
        }
    }

    /// Checks the limits on a filter however it was built.
    ///
    /// # Errors
    /// [`QueryError::InvalidQuery`] naming the limit that is exceeded.
    pub fn check_limits(&self) -> Result<(), QueryError> {
        let mut budget = Budget::new(MAX_FILTER_NODES);
        check(self, 0, &mut budget).map_err(QueryError::InvalidQuery)
    }
}

/// Counts nodes and text against the limits.
#[derive(Debug)]
pub(crate) struct Budget {
    nodes: usize,
    max_nodes: usize,
    text: usize,
}

impl Budget {
    pub(crate) fn new(max_nodes: usize) -> Self {
        Self {
            nodes: 0,
            max_nodes,
            text: 0,
        }
    }

    pub(crate) fn node(&mut self) -> Result<(), String> {
        self.nodes = self.nodes.saturating_add(1);
        if self.nodes > self.max_nodes {
            Err(format!("the filter has more than {MAX_FILTER_NODES} nodes"))
        } else {
            Ok(())
        }
    }

    pub(crate) fn text(&mut self, bytes: usize) -> Result<(), String> {
        self.text = self.text.saturating_add(bytes);
        if self.text > MAX_FILTER_TEXT_BYTES {
            Err(format!(
                "the filter's operands hold more than {MAX_FILTER_TEXT_BYTES} bytes of text"
            ))
        } else {
            Ok(())
        }
    }
}

pub(crate) fn depth_error() -> String {
    format!("the filter nests $and/$or/$not more than {MAX_FILTER_DEPTH} levels deep")
}

pub(crate) fn operand_depth_error() -> String {
    format!(
        "a $hasSome/$hasAll value nests arrays and objects more than {MAX_OPERAND_DEPTH} levels deep"
    )
}

/// Walks a filter: logical nodes one level deeper than their parent, every node and
/// every operand counted.
fn check(filter: &Filter, depth: usize, budget: &mut Budget) -> Result<(), String> {
    budget.node()?;
    match filter {
        Filter::And(parts) | Filter::Or(parts) => {
            let depth = logical_depth(depth)?;
            parts.iter().try_for_each(|p| check(p, depth, budget))
        }
        Filter::Not(inner) => {
            let depth = logical_depth(depth)?;
            check(inner, depth, budget)
        }
        Filter::Cond(c) => match c {
            Condition::Key { op, .. } => match op {
                KeyOp::Eq(s) | KeyOp::Ne(s) => budget.text(s.len()),
                KeyOp::In(list) => list.iter().try_for_each(|s| {
                    budget.node()?;
                    budget.text(s.len())
                }),
                KeyOp::Exists(_) => Ok(()),
            },
            Condition::Date { .. } => Ok(()),
            Condition::Instances { op, .. } => op
                .values()
                .iter()
                .try_for_each(|v| check_operand(v, 1, budget)),
        },
    }
}

pub(crate) fn logical_depth(depth: usize) -> Result<usize, String> {
    let depth = depth.saturating_add(1);
    if depth > MAX_FILTER_DEPTH {
        Err(depth_error())
    } else {
        Ok(depth)
    }
}

/// The filters `$and` / `$or` (`name`) combine: a non-empty array, in both the
/// packages' and the sites' query language.
pub(crate) fn logical_operands<'v>(name: &str, member: &'v Value) -> Result<&'v [Value], String> {
    let Value::Array(items) = member else {
        return Err(format!(
            "{name} takes an array of filters, got {}",
            member.kind()
        ));
    };
    if items.is_empty() {
        return Err(format!("{name} takes a non-empty array of filters"));
    }
    Ok(items)
}

/// Checks one `$hasSome` / `$hasAll` element (at nesting `depth`, 1 for the element).
pub(crate) fn check_operand(
    value: &Value,
    depth: usize,
    budget: &mut Budget,
) -> Result<(), String> {
    if depth > MAX_OPERAND_DEPTH {
        return Err(operand_depth_error());
    }
    budget.node()?;
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
        Value::String(s) => budget.text(s.len()),
        Value::Array(items) => items
            .iter()
            .try_for_each(|v| check_operand(v, depth + 1, budget)),
        Value::Object(members) => members.iter().try_for_each(|(k, v)| {
            budget.text(k.len())?;
            check_operand(v, depth + 1, budget)
        }),
    }
}

struct Parser {
    budget: Budget,
}

impl Parser {
    /// One filter object at object nesting `depth` (1 for the root).
    fn filter(&mut self, value: &Value, depth: usize) -> Result<Filter, String> {
        // Each nested object sits below at least one logical node, so a filter within
        // the depth limit never has objects nested deeper than this.
        if depth > MAX_FILTER_DEPTH + 1 {
            return Err(depth_error());
        }
        self.budget.node()?;
        let Value::Object(members) = value else {
            return Err(format!("a filter must be an object, got {}", value.kind()));
        };
        let mut parts = Vec::new();
        for (name, member) in members {
            if name.starts_with('$') {
                parts.push(self.logical(name, member, depth)?);
            } else {
                self.field(name, member, &mut parts)?;
            }
        }
        if parts.len() == 1 {
            if let Some(only) = parts.pop() {
                return Ok(only);
            }
        }
        Ok(Filter::And(parts))
    }

    fn logical(&mut self, name: &str, member: &Value, depth: usize) -> Result<Filter, String> {
        match name {
            "$and" | "$or" => {
                let items = logical_operands(name, member)?;
                let parts = items
                    .iter()
                    .map(|item| self.filter(item, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if name == "$and" {
                    Filter::And(parts)
                } else {
                    Filter::Or(parts)
                })
            }
            "$not" => Ok(Filter::Not(Box::new(self.filter(member, depth + 1)?))),
            _ => match Operator::parse(name) {
                Some(op) => Err(format!(
                    "{op} must be applied to a field, as in {{\"field\": {{\"{op}\": value}}}}"
                )),
                None => Err(format!("unknown operator `{}`", truncate_for_message(name))),
            },
        }
    }

    fn field(&mut self, name: &str, member: &Value, out: &mut Vec<Filter>) -> Result<(), String> {
        let Some(field) = Field::parse(name) else {
            return Err(format!(
                "`{}` is not a filterable field",
                truncate_for_message(name)
            ));
        };
        match member {
            Value::Object(ops) if ops.keys().any(|k| k.starts_with('$')) => {
                if !ops.keys().all(|k| k.starts_with('$')) {
                    return Err(format!(
                        "the value of `{field}` mixes operators with other members"
                    ));
                }
                for (op_name, operand) in ops {
                    let Some(op) = Operator::parse(op_name) else {
                        return Err(format!(
                            "unknown operator `{}` on `{field}`",
                            truncate_for_message(op_name)
                        ));
                    };
                    out.push(Filter::Cond(self.condition(field, op, operand)?));
                }
                Ok(())
            }
            _ => {
                out.push(Filter::Cond(self.condition(field, Operator::Eq, member)?));
                Ok(())
            }
        }
    }

    fn condition(
        &mut self,
        field: Field,
        op: Operator,
        operand: &Value,
    ) -> Result<Condition, String> {
        if !field.allows(op) {
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
        self.budget.node()?;
        match field {
            Field::Id | Field::AccountId | Field::ExternalId => {
                let key = match field {
                    Field::Id => KeyField::Id,
                    Field::AccountId => KeyField::AccountId,
                    _ => KeyField::ExternalId,
                };
                let op = match op {
                    Operator::Eq => KeyOp::Eq(self.string(field, op, operand)?),
                    Operator::Ne => KeyOp::Ne(self.string(field, op, operand)?),
                    Operator::In => {
                        let Value::Array(items) = operand else {
                            return Err(format!(
                                "{op} on `{field}` takes an array of strings, got {}",
                                operand.kind()
                            ));
                        };
                        KeyOp::In(
                            items
                                .iter()
                                .map(|item| {
                                    self.budget.node()?;
                                    self.string(field, op, item)
                                })
                                .collect::<Result<_, _>>()?,
                        )
                    }
                    _ => match operand {
                        Value::Bool(b) => KeyOp::Exists(*b),
                        other => {
                            return Err(format!(
                                "{op} on `{field}` takes a boolean, got {}",
                                other.kind()
                            ));
                        }
                    },
                };
                Ok(Condition::Key { field: key, op })
            }
            Field::CreatedDate | Field::UpdatedDate => {
                let date_field = if field == Field::CreatedDate {
                    DateField::CreatedDate
                } else {
                    DateField::UpdatedDate
                };
                let cmp = DateCmp::from_operator(op)
                    .ok_or_else(|| format!("operator {op} is not supported on `{field}`"))?;
                let text = match operand {
                    Value::String(s) => s,
                    other => {
                        return Err(format!(
                            "{op} on `{field}` takes an RFC 3339 date string, got {}",
                            other.kind()
                        ));
                    }
                };
                let at = parse_instant(text).ok_or_else(|| {
                    format!(
                        "{op} on `{field}`: `{}` is not an RFC 3339 date",
                        truncate_for_message(text)
                    )
                })?;
                Ok(Condition::Date {
                    field: date_field,
                    cmp,
                    at,
                })
            }
            Field::Instances(path) => {
                let Value::Array(items) = operand else {
                    return Err(format!(
                        "{op} on `{field}` takes an array of values, got {}",
                        operand.kind()
                    ));
                };
                for item in items {
                    check_operand(item, 1, &mut self.budget)?;
                }
                let values = items.clone();
                let op = if op == Operator::HasSome {
                    ArrayOp::HasSome(values)
                } else {
                    ArrayOp::HasAll(values)
                };
                Ok(Condition::Instances { path, op })
            }
        }
    }

    fn string(&mut self, field: Field, op: Operator, operand: &Value) -> Result<String, String> {
        match operand {
            Value::String(s) => {
                self.budget.text(s.len())?;
                Ok(s.clone())
            }
            other => Err(format!(
                "{op} on `{field}` takes a string, got {}",
                other.kind()
            )),
        }
    }
}
