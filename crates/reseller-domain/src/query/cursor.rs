//! Opaque, tamper-evident cursors.
//!
//! A cursor carries the filter, the sort, and the keyset boundary of the page it
//! leads to. Its text is base64url (no padding) of a compact canonical binary
//! encoding followed by a 64-bit SipHash-2-4 MAC of that encoding under the
//! server's [`CursorKey`]. Decoding checks the MAC before it parses anything, and
//! every failure is [`QueryError::InvalidCursor`].
//!
//! Layout (integers are LEB128 varints unless said otherwise; signed ones zigzag):
//!
//! ```text
//! version=1 | flags (bit 0: prev, bit 1: inclusive, bit 2: has filter)
//! | n (1..=2) | n sort bytes (bit 0: updatedDate, bit 1: DESC)
//! | n boundary keys (signed Unix milliseconds) | boundary id (16 bytes)
//! | [filter node] | MAC (8 bytes, little-endian)
//! filter node: 0 And n nodes | 1 Or n nodes | 2 Not node
//!   | 3 key-field op (0 $eq str | 1 $ne str | 2 $in n str | 3 $exists false | 4 $exists true)
//!   | 4 date-field cmp seconds nanoseconds
//!   | 5 instance-path (0 $hasSome | 1 $hasAll) n values
//! value: 0 null | 1 false | 2 true | 3 f64 (8 bytes LE) | 4 str | 5 n values
//!   | 6 n (str value) with names strictly increasing
//! str: byte length, UTF-8 bytes
//! ```

use std::fmt;

use chrono::DateTime;
use uuid::Uuid;

use super::QueryError;
use super::base64;
use super::field::InstancePath;
use super::filter::{
    ArrayOp, Budget, Condition, DateCmp, DateField, Filter, KeyField, KeyOp, MAX_FILTER_NODES,
    MAX_OPERAND_DEPTH, logical_depth, operand_depth_error,
};
use super::siphash::siphash24;
use super::sort::{Boundary, Direction, Position, Sort, SortField, SortOrder, SortSpec};
use super::value::Value;
use crate::ids::PackageId;
use crate::time::Timestamp;

/// Longest cursor text accepted. Every cursor made for a filter within the filter
/// limits is far shorter.
pub const MAX_CURSOR_CHARS: usize = 128 * 1024;

const VERSION: u8 = 1;
const MAC_LEN: usize = 8;
/// Prefixed to the payload under the MAC, so that a MAC made with the same key for
/// anything else can never pass as a cursor's.
const MAC_CONTEXT: &[u8] = b"reseller-domain/query/cursor\0";

const FLAG_PREV: u8 = 1;
const FLAG_INCLUSIVE: u8 = 2;
const FLAG_FILTER: u8 = 4;

/// The 128-bit secret under which cursors are signed. The adapter provides it (and
/// keeps it stable for as long as cursors should stay valid).
// An adapter internal: public only because the adapters (adapter-memory) build on
// it; no reseller's backend needs it, so it stays out of the documented API.
#[doc(hidden)]
#[derive(Clone, PartialEq, Eq)]
pub struct CursorKey([u8; 16]);

impl CursorKey {
    /// A key from its 16 bytes.
    pub const fn new(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The key's bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// An opaque token for `payload`: base64url of the payload and its MAC under
    /// this key. Package cursors are made this way; adapters use it for other
    /// cursors (Query Sites) so that every cursor they hand out is tamper-proof.
    pub fn seal(&self, payload: &[u8]) -> String {
        let mut out = Vec::with_capacity(payload.len().saturating_add(MAC_LEN));
        out.extend_from_slice(payload);
        out.extend_from_slice(&mac(self, payload).to_le_bytes());
        base64::encode(&out)
    }

    /// The payload of a token made by [`CursorKey::seal`] with this key.
    ///
    /// # Errors
    /// [`QueryError::InvalidCursor`] when the text is too long, not base64url, too
    /// short, or carries a wrong MAC (altered, or made with another key).
    pub fn open(&self, text: &str) -> Result<Vec<u8>, QueryError> {
        let invalid = |reason: &str| QueryError::InvalidCursor(reason.to_owned());
        if text.len() > MAX_CURSOR_CHARS {
            return Err(invalid("the cursor is too long"));
        }
        let mut bytes = base64::decode(text).map_err(|_| invalid("the cursor is not base64url"))?;
        let split = bytes
            .len()
            .checked_sub(MAC_LEN)
            .ok_or_else(|| invalid("the cursor is too short"))?;
        let tag = bytes.split_off(split);
        let expected = mac(self, &bytes).to_le_bytes();
        let diff = tag
            .iter()
            .zip(expected.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff != 0 || tag.len() != MAC_LEN {
            return Err(invalid(
                "the cursor was altered or was not issued by this server",
            ));
        }
        Ok(bytes)
    }
}

impl fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CursorKey(..)")
    }
}

/// What a cursor carries: the query's filter and sort, and the boundary of the page
/// it leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    /// The filter of the query the cursor continues (`None`: no filter).
    pub filter: Option<Filter>,
    /// The sort of that query.
    pub sort: Sort,
    /// Where the page starts (next) or ends (prev).
    pub boundary: Boundary,
}

impl Cursor {
    /// The cursor text: base64url of the encoding and its MAC under `key`.
    pub fn encode(&self, key: &CursorKey) -> String {
        encode_parts(self.filter.as_ref(), &self.sort, &self.boundary, key)
    }

    /// Verifies and parses a cursor text made by [`Cursor::encode`] with `key`.
    ///
    /// # Errors
    /// [`QueryError::InvalidCursor`] when the text is too long, not base64url, too
    /// short, carries a wrong MAC (altered, or made with another key), or does not
    /// parse (which a cursor with a valid MAC never does).
    pub fn decode(text: &str, key: &CursorKey) -> Result<Self, QueryError> {
        let payload = key.open(text)?;
        parse_payload(&payload)
            .map_err(|reason| QueryError::InvalidCursor(format!("malformed cursor: {reason}")))
    }
}

/// [`Cursor::encode`] without owning the parts.
pub(crate) fn encode_parts(
    filter: Option<&Filter>,
    sort: &Sort,
    boundary: &Boundary,
    key: &CursorKey,
) -> String {
    let mut w = Writer::default();
    let mut flags = 0;
    if boundary.direction == Direction::Prev {
        flags |= FLAG_PREV;
    }
    if boundary.inclusive {
        flags |= FLAG_INCLUSIVE;
    }
    if filter.is_some() {
        flags |= FLAG_FILTER;
    }
    w.byte(VERSION);
    w.byte(flags);
    w.count(sort.specs().len());
    for spec in sort.specs() {
        let mut b = 0;
        if spec.field == SortField::UpdatedDate {
            b |= 1;
        }
        if spec.order == SortOrder::Desc {
            b |= 2;
        }
        w.byte(b);
    }
    for key in boundary.position.keys() {
        w.signed(key.unix_millis());
    }
    w.bytes(boundary.position.id().as_uuid().as_bytes());
    if let Some(f) = filter {
        w.filter(f);
    }
    key.seal(&w.out)
}

pub(super) fn mac(key: &CursorKey, payload: &[u8]) -> u64 {
    let mut message = Vec::with_capacity(MAC_CONTEXT.len() + payload.len());
    message.extend_from_slice(MAC_CONTEXT);
    message.extend_from_slice(payload);
    siphash24(&key.0, &message)
}

fn code_of<T: PartialEq>(all: &[T], item: &T) -> u8 {
    let index = all.iter().position(|x| x == item).unwrap_or(0);
    u8::try_from(index).unwrap_or(0)
}

fn from_code<T: Copy>(all: &[T], code: u8, what: &str) -> Result<T, String> {
    all.get(usize::from(code))
        .copied()
        .ok_or_else(|| format!("unknown {what} {code}"))
}

#[derive(Default)]
struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.out.extend_from_slice(b);
    }

    fn unsigned(&mut self, mut n: u64) {
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.out.push(low);
                return;
            }
            self.out.push(low | 0x80);
        }
    }

    fn signed(&mut self, n: i64) {
        self.unsigned(((n << 1) ^ (n >> 63)) as u64);
    }

    fn count(&mut self, n: usize) {
        self.unsigned(u64::try_from(n).unwrap_or(u64::MAX));
    }

    fn str(&mut self, s: &str) {
        self.count(s.len());
        self.bytes(s.as_bytes());
    }

    fn filter(&mut self, f: &Filter) {
        match f {
            Filter::And(parts) | Filter::Or(parts) => {
                self.byte(if matches!(f, Filter::And(_)) { 0 } else { 1 });
                self.count(parts.len());
                for p in parts {
                    self.filter(p);
                }
            }
            Filter::Not(inner) => {
                self.byte(2);
                self.filter(inner);
            }
            Filter::Cond(Condition::Key { field, op }) => {
                self.byte(3);
                self.byte(code_of(&KeyField::ALL, field));
                match op {
                    KeyOp::Eq(s) => {
                        self.byte(0);
                        self.str(s);
                    }
                    KeyOp::Ne(s) => {
                        self.byte(1);
                        self.str(s);
                    }
                    KeyOp::In(list) => {
                        self.byte(2);
                        self.count(list.len());
                        for s in list {
                            self.str(s);
                        }
                    }
                    KeyOp::Exists(b) => self.byte(if *b { 4 } else { 3 }),
                }
            }
            Filter::Cond(Condition::Date { field, cmp, at }) => {
                self.byte(4);
                self.byte(code_of(&DateField::ALL, field));
                self.byte(code_of(&DateCmp::ALL, cmp));
                self.signed(at.timestamp());
                self.unsigned(u64::from(at.timestamp_subsec_nanos()));
            }
            Filter::Cond(Condition::Instances { path, op }) => {
                self.byte(5);
                self.byte(code_of(&InstancePath::ALL, path));
                self.byte(match op {
                    ArrayOp::HasSome(_) => 0,
                    ArrayOp::HasAll(_) => 1,
                });
                self.count(op.values().len());
                for v in op.values() {
                    self.value(v);
                }
            }
        }
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.byte(0),
            Value::Bool(false) => self.byte(1),
            Value::Bool(true) => self.byte(2),
            Value::Number(n) => {
                self.byte(3);
                self.bytes(&n.to_le_bytes());
            }
            Value::String(s) => {
                self.byte(4);
                self.str(s);
            }
            Value::Array(items) => {
                self.byte(5);
                self.count(items.len());
                for item in items {
                    self.value(item);
                }
            }
            Value::Object(members) => {
                self.byte(6);
                self.count(members.len());
                for (name, member) in members {
                    self.str(name);
                    self.value(member);
                }
            }
        }
    }
}

struct Reader<'a> {
    rest: &'a [u8],
    budget: Budget,
}

const TRUNCATED: &str = "truncated";

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let (&b, rest) = self.rest.split_first().ok_or(TRUNCATED)?;
        self.rest = rest;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let (head, rest) = self.rest.split_at_checked(n).ok_or(TRUNCATED)?;
        self.rest = rest;
        Ok(head)
    }

    fn unsigned(&mut self) -> Result<u64, String> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let low = u64::from(b & 0x7f);
            if shift == 63 && low > 1 {
                return Err("varint overflow".to_owned());
            }
            n |= low << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err("varint overflow".to_owned())
    }

    fn signed(&mut self) -> Result<i64, String> {
        let z = self.unsigned()?;
        Ok(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    /// A count of items that each take at least one byte.
    fn count(&mut self) -> Result<usize, String> {
        let n = self.unsigned()?;
        match usize::try_from(n) {
            Ok(n) if n <= self.rest.len() => Ok(n),
            _ => Err(TRUNCATED.to_owned()),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.count()?;
        let bytes = self.take(n)?;
        self.budget.text(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| "text is not UTF-8".to_owned())
    }

    fn filter(&mut self, depth: usize) -> Result<Filter, String> {
        self.budget.node()?;
        match self.byte()? {
            tag @ (0 | 1) => {
                let depth = logical_depth(depth)?;
                let n = self.count()?;
                let mut parts = Vec::with_capacity(n);
                for _ in 0..n {
                    parts.push(self.filter(depth)?);
                }
                Ok(if tag == 0 {
                    Filter::And(parts)
                } else {
                    Filter::Or(parts)
                })
            }
            2 => {
                let depth = logical_depth(depth)?;
                Ok(Filter::Not(Box::new(self.filter(depth)?)))
            }
            3 => {
                let field = from_code(&KeyField::ALL, self.byte()?, "key field")?;
                let op = match self.byte()? {
                    0 => KeyOp::Eq(self.string()?),
                    1 => KeyOp::Ne(self.string()?),
                    2 => {
                        let n = self.count()?;
                        let mut list = Vec::with_capacity(n);
                        for _ in 0..n {
                            self.budget.node()?;
                            list.push(self.string()?);
                        }
                        KeyOp::In(list)
                    }
                    3 => KeyOp::Exists(false),
                    4 => KeyOp::Exists(true),
                    other => return Err(format!("unknown key operator {other}")),
                };
                Ok(Filter::Cond(Condition::Key { field, op }))
            }
            4 => {
                let field = from_code(&DateField::ALL, self.byte()?, "date field")?;
                let cmp = from_code(&DateCmp::ALL, self.byte()?, "date comparison")?;
                let seconds = self.signed()?;
                let nanos = u32::try_from(self.unsigned()?).map_err(|_| "bad nanoseconds")?;
                let at = DateTime::from_timestamp(seconds, nanos).ok_or("date out of range")?;
                Ok(Filter::Cond(Condition::Date { field, cmp, at }))
            }
            5 => {
                let path = from_code(&InstancePath::ALL, self.byte()?, "instance path")?;
                let has_all = match self.byte()? {
                    0 => false,
                    1 => true,
                    other => return Err(format!("unknown array operator {other}")),
                };
                let n = self.count()?;
                let mut values = Vec::with_capacity(n);
                for _ in 0..n {
                    values.push(self.value(1)?);
                }
                let op = if has_all {
                    ArrayOp::HasAll(values)
                } else {
                    ArrayOp::HasSome(values)
                };
                Ok(Filter::Cond(Condition::Instances { path, op }))
            }
            other => Err(format!("unknown filter node {other}")),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_OPERAND_DEPTH {
            return Err(operand_depth_error());
        }
        self.budget.node()?;
        match self.byte()? {
            0 => Ok(Value::Null),
            1 => Ok(Value::Bool(false)),
            2 => Ok(Value::Bool(true)),
            3 => {
                let raw = <[u8; 8]>::try_from(self.take(8)?).map_err(|_| TRUNCATED)?;
                Ok(Value::Number(f64::from_le_bytes(raw)))
            }
            4 => Ok(Value::String(self.string()?)),
            5 => {
                let n = self.count()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Ok(Value::Array(items))
            }
            6 => {
                let n = self.count()?;
                let mut members = std::collections::BTreeMap::new();
                let mut last: Option<String> = None;
                for _ in 0..n {
                    let name = self.string()?;
                    if last.as_ref().is_some_and(|l| *l >= name) {
                        return Err("object members out of order".to_owned());
                    }
                    let member = self.value(depth + 1)?;
                    last = Some(name.clone());
                    members.insert(name, member);
                }
                Ok(Value::Object(members))
            }
            other => Err(format!("unknown value tag {other}")),
        }
    }
}

fn parse_payload(payload: &[u8]) -> Result<Cursor, String> {
    let mut r = Reader {
        rest: payload,
        budget: Budget::new(MAX_FILTER_NODES),
    };
    if r.byte()? != VERSION {
        return Err("unknown version".to_owned());
    }
    let flags = r.byte()?;
    if flags & !(FLAG_PREV | FLAG_INCLUSIVE | FLAG_FILTER) != 0 {
        return Err("unknown flags".to_owned());
    }
    let n = r.count()?;
    if !(1..=SortField::ALL.len()).contains(&n) {
        return Err("bad sort".to_owned());
    }
    let mut specs: Vec<SortSpec> = Vec::with_capacity(n);
    for _ in 0..n {
        let b = r.byte()?;
        if b & !3 != 0 {
            return Err("bad sort key".to_owned());
        }
        let field = if b & 1 == 0 {
            SortField::CreatedDate
        } else {
            SortField::UpdatedDate
        };
        if specs.iter().any(|s| s.field == field) {
            return Err("sort field repeated".to_owned());
        }
        let order = if b & 2 == 0 {
            SortOrder::Asc
        } else {
            SortOrder::Desc
        };
        specs.push(SortSpec::new(field, order));
    }
    let mut keys = Vec::with_capacity(n);
    for _ in 0..n {
        let millis = r.signed()?;
        keys.push(Timestamp::from_unix_millis(millis).ok_or("boundary date out of range")?);
    }
    let id = <[u8; 16]>::try_from(r.take(16)?).map_err(|_| TRUNCATED)?;
    let position = Position::new(keys, PackageId::from_uuid(Uuid::from_bytes(id)));
    let filter = if flags & FLAG_FILTER != 0 {
        let f = r.filter(0)?;
        f.check_limits().map_err(|e| e.to_string())?;
        Some(f)
    } else {
        None
    };
    if !r.rest.is_empty() {
        return Err("trailing bytes".to_owned());
    }
    let direction = if flags & FLAG_PREV != 0 {
        Direction::Prev
    } else {
        Direction::Next
    };
    Ok(Cursor {
        filter,
        sort: Sort::new(specs),
        boundary: Boundary {
            position,
            direction,
            inclusive: flags & FLAG_INCLUSIVE != 0,
        },
    })
}
