//! The cursor of Query Sites: what the next page needs (the account, the filter as
//! sent, the sort, how many sites came before, the last site's sort key and id),
//! sealed with the adapter's [`CursorKey`] so that it cannot be altered.

use uuid::Uuid;

use crate::ids::{AccountId, SiteId};
use crate::query::{CursorKey, MAX_FILTER_NODES, QueryError, SortOrder, Value};
use crate::time::Timestamp;

use super::filter::MAX_SITE_FILTER_NESTING;
use super::order::{SiteSort, SiteSortField, SortKey};

/// First byte of every Query Sites cursor (a Query Packages cursor never opens as one).
const MAGIC: u8 = b'S';
const VERSION: u8 = 1;

/// What a Query Sites cursor carries.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SitesCursor {
    pub(crate) account: AccountId,
    pub(crate) filter: Option<Value>,
    pub(crate) sort: SiteSort,
    pub(crate) returned: u32,
    pub(crate) key: SortKey,
    pub(crate) id: SiteId,
}

fn invalid(reason: &str) -> QueryError {
    QueryError::InvalidCursor(reason.to_owned())
}

impl SitesCursor {
    /// The sealed text.
    pub(crate) fn seal(&self, key: &CursorKey) -> String {
        let mut w = Vec::with_capacity(64);
        w.push(MAGIC);
        w.push(VERSION);
        w.push(code(&SiteSortField::ALL, &self.sort.field));
        w.push(u8::from(self.sort.order == SortOrder::Desc));
        w.extend_from_slice(&self.returned.to_le_bytes());
        w.extend_from_slice(self.account.as_uuid().as_bytes());
        w.extend_from_slice(self.id.as_uuid().as_bytes());
        match &self.key {
            SortKey::Text(t) => {
                w.push(0);
                put_len(&mut w, t.len());
                w.extend_from_slice(t.as_bytes());
            }
            SortKey::Time(t) => {
                w.push(1);
                w.extend_from_slice(&t.unix_millis().to_le_bytes());
            }
            SortKey::Trashed(None) => w.push(2),
            SortKey::Trashed(Some(t)) => {
                w.push(3);
                w.extend_from_slice(&t.unix_millis().to_le_bytes());
            }
        }
        if let Some(f) = &self.filter {
            put_value(&mut w, f);
        }
        key.seal(&w)
    }

    /// Opens a cursor made by [`SitesCursor::seal`] with `key`.
    pub(crate) fn open(text: &str, key: &CursorKey) -> Result<Self, QueryError> {
        let payload = key.open(text)?;
        let mut r = Reader {
            rest: &payload,
            nodes: 0,
        };
        let malformed = || invalid("malformed Query Sites cursor");
        if r.byte() != Some(MAGIC) || r.byte() != Some(VERSION) {
            return Err(invalid("not a Query Sites cursor"));
        }
        let field = r
            .byte()
            .and_then(|b| SiteSortField::ALL.get(usize::from(b)).copied())
            .ok_or_else(malformed)?;
        let order = match r.byte() {
            Some(0) => SortOrder::Asc,
            Some(1) => SortOrder::Desc,
            _ => return Err(malformed()),
        };
        let returned = r
            .array::<4>()
            .map(u32::from_le_bytes)
            .ok_or_else(malformed)?;
        let account = r.uuid().map(AccountId::from_uuid).ok_or_else(malformed)?;
        let id = r.uuid().map(SiteId::from_uuid).ok_or_else(malformed)?;
        let sort_key = match r.byte() {
            Some(0) => {
                let n = r.len().ok_or_else(malformed)?;
                let bytes = r.take(n).ok_or_else(malformed)?;
                SortKey::Text(String::from_utf8(bytes.to_vec()).map_err(|_| malformed())?)
            }
            Some(1) => SortKey::Time(r.time().ok_or_else(malformed)?),
            Some(2) => SortKey::Trashed(None),
            Some(3) => SortKey::Trashed(Some(r.time().ok_or_else(malformed)?)),
            _ => return Err(malformed()),
        };
        let key_fits = matches!(
            (field, &sort_key),
            (SiteSortField::DisplayName, SortKey::Text(_))
                | (
                    SiteSortField::CreatedDate | SiteSortField::UpdatedDate,
                    SortKey::Time(_)
                )
                | (SiteSortField::TrashedDate, SortKey::Trashed(_))
        );
        if !key_fits {
            return Err(malformed());
        }
        let filter = if r.rest.is_empty() {
            None
        } else {
            let v = r.value(1).ok_or_else(malformed)?;
            if !r.rest.is_empty() {
                return Err(malformed());
            }
            Some(v)
        };
        Ok(Self {
            account,
            filter,
            sort: SiteSort { field, order },
            returned,
            key: sort_key,
            id,
        })
    }
}

fn code<T: PartialEq>(all: &[T], item: &T) -> u8 {
    all.iter()
        .position(|x| x == item)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(0)
}

fn put_len(w: &mut Vec<u8>, n: usize) {
    w.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_value(w: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => w.push(0),
        Value::Bool(false) => w.push(1),
        Value::Bool(true) => w.push(2),
        Value::Number(n) => {
            w.push(3);
            w.extend_from_slice(&n.to_le_bytes());
        }
        Value::String(s) => {
            w.push(4);
            put_len(w, s.len());
            w.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            w.push(5);
            put_len(w, items.len());
            items.iter().for_each(|i| put_value(w, i));
        }
        Value::Object(members) => {
            w.push(6);
            put_len(w, members.len());
            for (k, m) in members {
                put_len(w, k.len());
                w.extend_from_slice(k.as_bytes());
                put_value(w, m);
            }
        }
    }
}

struct Reader<'a> {
    rest: &'a [u8],
    nodes: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.rest.split_at_checked(n)?;
        self.rest = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N).and_then(|b| <[u8; N]>::try_from(b).ok())
    }

    fn uuid(&mut self) -> Option<Uuid> {
        self.array::<16>().map(Uuid::from_bytes)
    }

    fn time(&mut self) -> Option<Timestamp> {
        self.array::<8>()
            .map(i64::from_le_bytes)
            .and_then(Timestamp::from_unix_millis)
    }

    /// A length that the remaining bytes can hold (each item takes a byte or more).
    fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(u32::from_le_bytes(self.array::<4>()?)).ok()?;
        (n <= self.rest.len()).then_some(n)
    }

    fn text(&mut self) -> Option<String> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        self.nodes += 1;
        if depth > MAX_SITE_FILTER_NESTING || self.nodes > 2 * MAX_FILTER_NODES {
            return None;
        }
        Some(match self.byte()? {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => Value::Number(f64::from_le_bytes(self.array::<8>()?)),
            4 => Value::String(self.text()?),
            5 => {
                let n = self.len()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Value::Array(items)
            }
            6 => {
                let n = self.len()?;
                let mut members = std::collections::BTreeMap::new();
                for _ in 0..n {
                    let k = self.text()?;
                    let m = self.value(depth + 1)?;
                    members.insert(k, m);
                }
                Value::Object(members)
            }
            _ => return None,
        })
    }
}
