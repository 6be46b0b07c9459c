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
    entries: Arc<Mutex<VecDeque<Entry>>>,
}

impl RequestLog {
    fn lock(&self) -> MutexGuard<'_, VecDeque<Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds an entry, forgetting the oldest when full.
    pub(crate) fn push(&self, entry: Entry) {
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.pop_back();
        }
        entries.push_front(entry);
    }

    /// The newest `limit` entries, newest first.
    pub(crate) fn newest(&self, limit: usize) -> Vec<RequestLogEntryDoc> {
        self.lock().iter().take(limit).map(Entry::to_doc).collect()
    }

    /// Forgets every entry.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}
