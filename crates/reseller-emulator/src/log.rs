//! The request log: the last [`CAPACITY`] requests, newest first, with what a
//! tester needs (time, method, path, status, duration, account, idempotency key)
//! and never an API key or a body.
//!
//! An entry is kept as [`Entry`], what the middleware has at hand (a timestamp, a
//! method, a duration), and written as the control API's document only when the
//! log is read: a request pays no date formatting for it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::http::Method;
use reseller_domain::Timestamp;
use reseller_wire::control::RequestLogEntryDoc;

/// How many requests the log keeps; older ones are forgotten.
pub(crate) const CAPACITY: usize = 1000;

/// How many bytes the log's entries may hold together (their strings and their
/// fixed part, [`Entry::weight`]); the oldest are forgotten past it.
pub(crate) const MAX_BYTES: usize = 4 * 1024 * 1024;

/// The longest path kept in an entry, in bytes; a longer one is cut (at a
/// character boundary) and ends with `…`.
pub(crate) const MAX_PATH_BYTES: usize = 1024;

/// `text` cut to at most `max` bytes at a character boundary, marked with `…`.
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end + '…'.len_utf8());
    out.push_str(text.get(..end).unwrap_or_default());
    out.push('…');
    out
}

/// One logged request, as the middleware saw it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The emulated time the request arrived.
    pub(crate) at: Timestamp,
    pub(crate) method: Method,
    pub(crate) path: String,
    /// `0` when the connection was dropped without an answer.
    pub(crate) status: u16,
    pub(crate) duration: Duration,
    pub(crate) account_id: Option<String>,
    pub(crate) idempotency_key: Option<String>,
}

impl Entry {
    /// The bytes this entry holds: its fixed part and every string it stores. A
    /// new field that stores text must be counted here, so the log stays within
    /// [`MAX_BYTES`].
    pub(crate) fn weight(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.path.len()
            + self.account_id.as_ref().map_or(0, String::len)
            + self.idempotency_key.as_ref().map_or(0, String::len)
    }

    fn to_doc(&self) -> RequestLogEntryDoc {
        RequestLogEntryDoc {
            at: self.at.to_rfc3339(),
            method: self.method.to_string(),
            path: self.path.clone(),
            status: self.status,
            duration_ms: u64::try_from(self.duration.as_millis()).unwrap_or(u64::MAX),
            account_id: self.account_id.clone(),
            idempotency_key: self.idempotency_key.clone(),
        }
    }
}

/// The bounded log, shared by every clone of the emulator.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestLog {
    entries: Arc<Mutex<Entries>>,
}

/// The entries, newest first, and the bytes they hold together.
#[derive(Debug, Default)]
struct Entries {
    list: VecDeque<Entry>,
    bytes: usize,
}

impl RequestLog {
    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds an entry, forgetting the oldest past [`CAPACITY`] entries or
    /// [`MAX_BYTES`] bytes.
    pub(crate) fn push(&self, entry: Entry) {
        let mut entries = self.lock();
        entries.bytes += entry.weight();
        entries.list.push_front(entry);
        while entries.list.len() > CAPACITY || (entries.bytes > MAX_BYTES && entries.list.len() > 1)
        {
            match entries.list.pop_back() {
                Some(old) => entries.bytes = entries.bytes.saturating_sub(old.weight()),
                None => break,
            }
        }
    }

    /// The newest `limit` entries, newest first.
    pub(crate) fn newest(&self, limit: usize) -> Vec<RequestLogEntryDoc> {
        self.lock()
            .list
            .iter()
            .take(limit)
            .map(Entry::to_doc)
            .collect()
    }

    /// The bytes the entries hold together ([`Entry::weight`]).
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Forgets every entry.
    pub(crate) fn clear(&self) {
        let mut entries = self.lock();
        entries.list.clear();
        entries.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: String) -> Entry {
        Entry {
            at: Timestamp::from_unix_millis(0).unwrap_or_else(|| unreachable!()),
            method: Method::GET,
            path,
            status: 404,
            duration: Duration::ZERO,
            account_id: None,
            idempotency_key: None,
        }
    }

    #[test]
    fn the_log_stays_within_its_entries_and_bytes() {
        let log = RequestLog::default();
        for n in 0..3000 {
            log.push(entry(clip(
                &format!("/{n}/{}", "x".repeat(30_000)),
                MAX_PATH_BYTES,
            )));
            assert!(log.bytes() <= MAX_BYTES);
        }
        assert_eq!(log.newest(usize::MAX).len(), CAPACITY);
        let newest = log.newest(1);
        assert!(newest.first().is_some_and(|e| e.path.starts_with("/2999/")));
        assert!(
            newest
                .first()
                .is_some_and(|e| e.path.len() <= MAX_PATH_BYTES)
        );
        log.clear();
        assert_eq!(log.bytes(), 0);
    }

    #[test]
    fn clipping_keeps_whole_characters() {
        assert_eq!(clip("abc", 10), "abc");
        let cut = clip(&"é".repeat(100), 11);
        assert!(cut.len() <= 11 && cut.ends_with('…'));
    }
}
