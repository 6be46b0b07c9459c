//! Evaluation of a [`Filter`] against a package.
//!
//! Package fields are compared typed: `id` and `accountId` as GUIDs (the operand
//! parsed case-insensitively; an operand that is not a GUID never equals), dates as
//! instants, `externalId` as exact text. `productInstances.<path>` conditions look
//! at the list of that path's values over the package's instances, each instance
//! rendered once by [`instance_to_value`]; values are compared as the API writes
//! them (see [`Filter::matches`]).

use std::cell::OnceCell;

use uuid::Uuid;

use super::field::InstancePath;
use super::filter::{ArrayOp, Condition, DateField, Filter, KeyField, KeyOp, parse_instant};
use super::value::Value;
use super::wire::instance_to_value;
use crate::ids::parse_guid;
use crate::package::Package;

impl Filter {
    /// Whether the package satisfies the filter.
    ///
    /// - `$eq` needs the field present and equal; `$ne` holds when the field is
    ///   absent or differs; `$in` needs it present and equal to one operand;
    ///   `$exists: true` means present.
    /// - `$hasSome` holds when at least one listed value is among the instances'
    ///   values at the path (absent values skipped), `$hasAll` when every listed
    ///   value is (so `$hasAll: []` always holds and `$hasSome: []` never does).
    /// - Instance values compare as written on the wire, except enum names
    ///   (`status`, `billingInfo.type`, `cycleDuration.unit`, `failure.code`),
    ///   which match without regard to case (`"Enabled"` finds `ENABLED`, as in
    ///   Wix's own example); numbers by value (`1 == 1.0`), GUIDs case-insensitively,
    ///   dates as instants, objects member by member (same members, each equal).
    pub fn matches(&self, package: &Package) -> bool {
        let ctx = Ctx {
            package,
            rendered: OnceCell::new(),
        };
        eval(self, &ctx)
    }
}

struct Ctx<'p> {
    package: &'p Package,
    rendered: OnceCell<Vec<Value>>,
}

impl Ctx<'_> {
    fn instances(&self) -> &[Value] {
        self.rendered.get_or_init(|| {
            self.package
                .instances()
                .iter()
                .map(instance_to_value)
                .collect()
        })
    }
}

fn eval(filter: &Filter, ctx: &Ctx<'_>) -> bool {
    match filter {
        Filter::And(parts) => parts.iter().all(|p| eval(p, ctx)),
        Filter::Or(parts) => parts.iter().any(|p| eval(p, ctx)),
        Filter::Not(inner) => !eval(inner, ctx),
        Filter::Cond(c) => condition(c, ctx),
    }
}

fn condition(c: &Condition, ctx: &Ctx<'_>) -> bool {
    let package = ctx.package;
    match c {
        Condition::Key { field, op } => match field {
            KeyField::Id => key_op(op, Some(package.id().as_uuid()), guid_eq),
            KeyField::AccountId => key_op(op, Some(package.account_id().as_uuid()), guid_eq),
            KeyField::ExternalId => key_op(
                op,
                package.external_id().map(|e| e.as_str()),
                |have: &&str, want: &str| *have == want,
            ),
        },
        Condition::Date { field, cmp, at } => {
            let have = match field {
                DateField::CreatedDate => package.created(),
                DateField::UpdatedDate => package.updated(),
            };
            cmp.holds(have.as_datetime().cmp(at))
        }
        Condition::Instances { path, op } => {
            let segments = path.segments();
            let have: Vec<&Value> = ctx
                .instances()
                .iter()
                .filter_map(|i| navigate(i, segments))
                .collect();
            let slot = Slot::of_path(*path);
            let present = |want: &Value| have.iter().any(|h| slot.eq(h, want));
            match op {
                ArrayOp::HasSome(list) => list.iter().any(present),
                ArrayOp::HasAll(list) => list.iter().all(present),
            }
        }
    }
}

fn guid_eq(have: &&Uuid, want: &str) -> bool {
    parse_guid(want).is_ok_and(|w| w == **have)
}

fn key_op<T>(op: &KeyOp, have: Option<T>, eq: impl Fn(&T, &str) -> bool) -> bool {
    match op {
        KeyOp::Eq(want) => have.is_some_and(|h| eq(&h, want)),
        KeyOp::Ne(want) => !have.is_some_and(|h| eq(&h, want)),
        KeyOp::In(list) => have.is_some_and(|h| list.iter().any(|want| eq(&h, want))),
        KeyOp::Exists(wanted) => have.is_some() == *wanted,
    }
}

/// Follows member names from `value`; `None` when a member is absent.
fn navigate<'v>(value: &'v Value, segments: &[&str]) -> Option<&'v Value> {
    segments.iter().try_fold(value, |v, segment| v.get(segment))
}

/// How a wire value is compared: by what the member holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// A GUID: equal when both parse to the same GUID.
    Guid,
    /// A date: equal when both parse as RFC 3339 to the same instant.
    Date,
    /// An enum name: equal without regard to ASCII case.
    Enum,
    /// Anything else: structural, numbers by value, objects member by member.
    Plain,
}

impl Slot {
    fn of_member(name: &str) -> Self {
        match name {
            "instanceId" | "siteId" | "catalogProductId" | "referenceProductInstanceId" => {
                Self::Guid
            }
            "createdDate" | "updatedDate" | "expirationDate" => Self::Date,
            "status" | "type" | "unit" | "code" => Self::Enum,
            _ => Self::Plain,
        }
    }

    fn of_path(path: InstancePath) -> Self {
        path.segments()
            .last()
            .map_or(Self::Plain, |last| Self::of_member(last))
    }

    fn eq(self, have: &Value, want: &Value) -> bool {
        match self {
            Self::Guid => match (have, want) {
                (Value::String(h), Value::String(w)) => {
                    matches!((parse_guid(h), parse_guid(w)), (Ok(a), Ok(b)) if a == b)
                }
                _ => false,
            },
            Self::Date => match (have, want) {
                (Value::String(h), Value::String(w)) => {
                    matches!((parse_instant(h), parse_instant(w)), (Some(a), Some(b)) if a == b)
                }
                _ => false,
            },
            Self::Enum => match (have, want) {
                (Value::String(h), Value::String(w)) => h.eq_ignore_ascii_case(w),
                _ => Self::Plain.eq(have, want),
            },
            Self::Plain => match (have, want) {
                (Value::Null, Value::Null) => true,
                (Value::Bool(a), Value::Bool(b)) => a == b,
                (Value::Number(a), Value::Number(b)) => a == b,
                (Value::String(a), Value::String(b)) => a == b,
                (Value::Array(a), Value::Array(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Self::Plain.eq(x, y))
                }
                (Value::Object(a), Value::Object(b)) => {
                    a.len() == b.len()
                        && a.iter().all(|(name, x)| {
                            b.get(name).is_some_and(|y| Self::of_member(name).eq(x, y))
                        })
                }
                _ => false,
            },
        }
    }
}
