//! The request log: the last [`CAPACITY`] requests, newest first, with what a
//! tester needs (time, method, path, status, duration, account, idempotency key)
//! and never an API key or a body.
//!
//! An entry is kept as [`Entry`], what the middleware has at hand (a timestamp, a
//! method, a duration), and written as the control API's document only when the
//! log is read: a request pays no date formatting for it.
//!
//! Each entry has a sequence number. The bodies of the dashboard's request detail
//! (`capture`) are kept beside the entries, under their own byte budget
//! ([`BODIES_BUDGET`], on top of [`MAX_BYTES`]): when it is full, the oldest
//! entries lose their bodies first.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::http::Method;
use reseller_domain::Timestamp;
use reseller_wire::control::RequestLogEntryDoc;

use crate::capture::Kept;

/// How many requests the log keeps; older ones are forgotten.
pub(crate) const CAPACITY: usize = 1000;

/// How many bytes the log's entries may hold together (their strings and their
/// fixed part, [`Entry::weight`]); the oldest are forgotten past it.
pub(crate) const MAX_BYTES: usize = 4 * 1024 * 1024;

/// The most bytes the kept request and response bodies of all entries take
/// together (each body is at most `capture::BODY_CAP`), besides [`MAX_BYTES`].
pub(crate) const BODIES_BUDGET: usize = 2 * 1024 * 1024;

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
    /// The entry's number: one more than the entry before it (set by the log).
    pub(crate) seq: u64,
    /// The emulated time the request arrived.
    pub(crate) at: Timestamp,
    pub(crate) method: Method,
    pub(crate) path: String,
    /// `0` when the connection was dropped without an answer.
    pub(crate) status: u16,
    pub(crate) duration: Duration,
    pub(crate) account_id: Option<String>,
    pub(crate) idempotency_key: Option<String>,
    /// The Wix error code of an error answer.
    pub(crate) error_code: Option<String>,
}

/// The kept bodies of one request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bodies {
    /// What the handler read of the request body.
    pub(crate) request: Option<Kept>,
    /// The answer's body.
    pub(crate) response: Option<Kept>,
}

impl Bodies {
    /// The bytes they hold (for [`BODIES_BUDGET`]).
    fn heap_bytes(&self) -> usize {
        [&self.request, &self.response]
            .into_iter()
            .flatten()
            .map(Kept::heap_bytes)
            .sum()
    }
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
            + self.error_code.as_ref().map_or(0, String::len)
    }

    /// The control API's document of the entry.
    pub(crate) fn to_doc(&self) -> RequestLogEntryDoc {
        RequestLogEntryDoc {
            at: self.at.to_rfc3339(),
            method: self.method.to_string(),
            path: self.path.clone(),
            status: self.status,
            duration_ms: u64::try_from(self.duration.as_millis()).unwrap_or(u64::MAX),
            account_id: self.account_id.clone(),
            idempotency_key: self.idempotency_key.clone(),
            error_code: self.error_code.clone(),
        }
    }
}

/// The bounded log, shared by every clone of the emulator.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestLog {
    entries: Arc<Mutex<Entries>>,
}

/// The entries, newest first, and the bytes they hold together; the kept bodies
/// by entry number, oldest first, and their bytes.
#[derive(Debug, Default)]
struct Entries {
    list: VecDeque<Entry>,
    bytes: usize,
    bodies: VecDeque<(u64, Bodies)>,
    body_bytes: usize,
    last_seq: u64,
}

impl Entries {
    /// Forgets the bodies of entries numbered `seq` or less.
    fn forget_bodies_to(&mut self, seq: u64) {
        while self.bodies.front().is_some_and(|(s, _)| *s <= seq) {
            if let Some((_, gone)) = self.bodies.pop_front() {
                self.body_bytes = self.body_bytes.saturating_sub(gone.heap_bytes());
            }
        }
    }
}

impl RequestLog {
    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds an entry (its number is set here) with its bodies, forgetting the
    /// oldest entries past [`CAPACITY`] entries or [`MAX_BYTES`] bytes, and the
    /// oldest bodies past [`BODIES_BUDGET`].
    pub(crate) fn push(&self, mut entry: Entry, bodies: Bodies) {
        let mut entries = self.lock();
        entries.last_seq += 1;
        entry.seq = entries.last_seq;
        let seq = entry.seq;
        entries.bytes += entry.weight();
        entries.list.push_front(entry);
        while entries.list.len() > CAPACITY || (entries.bytes > MAX_BYTES && entries.list.len() > 1)
        {
            match entries.list.pop_back() {
                Some(old) => {
                    entries.bytes = entries.bytes.saturating_sub(old.weight());
                    entries.forget_bodies_to(old.seq);
                }
                None => break,
            }
        }
        let size = bodies.heap_bytes();
        if size > 0 {
            entries.body_bytes += size;
            entries.bodies.push_back((seq, bodies));
            while entries.body_bytes > BODIES_BUDGET {
                let Some((_, gone)) = entries.bodies.pop_front() else {
                    break;
                };
                entries.body_bytes = entries.body_bytes.saturating_sub(gone.heap_bytes());
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

    /// Up to `limit` entries older than entry `before` (the newest when `None`)
    /// that `keep` accepts, newest first; and whether more such entries follow.
    pub(crate) fn page(
        &self,
        before: Option<u64>,
        limit: usize,
        keep: impl Fn(&Entry) -> bool,
    ) -> (Vec<Entry>, bool) {
        let entries = self.lock();
        let mut matching = entries
            .list
            .iter()
            .filter(|e| before.is_none_or(|b| e.seq < b))
            .filter(|e| keep(e));
        let page: Vec<Entry> = matching.by_ref().take(limit).cloned().collect();
        let more = matching.next().is_some();
        (page, more)
    }

    /// Entry `seq` with its bodies (none when the budget let them go), if the log
    /// still holds it.
    pub(crate) fn entry(&self, seq: u64) -> Option<(Entry, Bodies)> {
        let entries = self.lock();
        let entry = entries.list.iter().find(|e| e.seq == seq)?.clone();
        let bodies = entries
            .bodies
            .binary_search_by_key(&seq, |(s, _)| *s)
            .ok()
            .and_then(|i| entries.bodies.get(i))
            .map(|(_, b)| b.clone())
            .unwrap_or_default();
        Some((entry, bodies))
    }

    /// How many entries the log holds, and the bytes their bodies take.
    pub(crate) fn size(&self) -> (usize, usize) {
        let entries = self.lock();
        (entries.list.len(), entries.body_bytes)
    }

    /// The bytes the entries hold together ([`Entry::weight`]).
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Forgets every entry (the numbering goes on).
    pub(crate) fn clear(&self) {
        let mut entries = self.lock();
        entries.list.clear();
        entries.bytes = 0;
        entries.bodies.clear();
        entries.body_bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::BODY_CAP;

    fn entry(path: String) -> Entry {
        Entry {
            seq: 0,
            at: Timestamp::from_unix_millis(0).unwrap_or_else(|| unreachable!()),
            method: Method::GET,
            path,
            status: 404,
            duration: Duration::ZERO,
            account_id: None,
            idempotency_key: None,
            error_code: None,
        }
    }

    fn full_bodies() -> Bodies {
        let kept = Kept {
            text: "x".repeat(BODY_CAP),
            len: BODY_CAP,
        };
        Bodies {
            request: Some(kept.clone()),
            response: Some(kept),
        }
    }

    #[test]
    fn bodies_stay_within_their_budget_and_the_oldest_go_first() {
        let log = RequestLog::default();
        for i in 0..CAPACITY {
            log.push(entry(format!("/p/{i}")), full_bodies());
        }
        let (entries, bytes) = log.size();
        assert_eq!(entries, CAPACITY);
        assert!(bytes <= BODIES_BUDGET, "{bytes} bytes of bodies");
        let newest = u64::try_from(CAPACITY).unwrap();
        let (_, kept) = log.entry(newest).unwrap();
        assert!(kept.request.is_some());
        let (_, lost) = log.entry(1).unwrap();
        assert!(
            lost.request.is_none(),
            "the oldest entry's bodies went first"
        );
    }

    #[test]
    fn entries_are_numbered_and_paged_newest_first() {
        let log = RequestLog::default();
        for i in 0..10 {
            log.push(entry(format!("/p/{i}")), Bodies::default());
        }
        let (page, more) = log.page(None, 3, |_| true);
        assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [10, 9, 8]);
        assert!(more);
        let (page, more) = log.page(Some(3), 5, |_| true);
        assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 1]);
        assert!(!more);
        let (page, _) = log.page(None, 10, |e| e.path.ends_with('5'));
        assert_eq!(page.len(), 1);
    }

    #[test]
    fn a_full_log_forgets_its_oldest_entry_and_its_bodies() {
        let log = RequestLog::default();
        for i in 0..=CAPACITY {
            let bodies = if i == 0 {
                full_bodies()
            } else {
                Bodies::default()
            };
            log.push(entry(format!("/p/{i}")), bodies);
        }
        assert_eq!(log.size(), (CAPACITY, 0));
        assert!(log.entry(1).is_none());
    }

    #[test]
    fn the_log_stays_within_its_entries_and_bytes() {
        let log = RequestLog::default();
        for n in 0..3000 {
            log.push(
                entry(clip(
                    &format!("/{n}/{}", "x".repeat(30_000)),
                    MAX_PATH_BYTES,
                )),
                Bodies::default(),
            );
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
