//! The request log: the last [`CAPACITY`] requests, newest first, with what a
//! tester needs (time, method, path, status, duration, account, idempotency key)
//! and never an API key or a body.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use reseller_wire::control::RequestLogEntryDoc;

/// How many requests the log keeps; older ones are forgotten.
pub(crate) const CAPACITY: usize = 1000;

/// The bounded log, shared by every clone of the emulator.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestLog {
    entries: Arc<Mutex<VecDeque<RequestLogEntryDoc>>>,
}

impl RequestLog {
    fn lock(&self) -> MutexGuard<'_, VecDeque<RequestLogEntryDoc>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds an entry, forgetting the oldest when full.
    pub(crate) fn push(&self, entry: RequestLogEntryDoc) {
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.pop_back();
        }
        entries.push_front(entry);
    }

    /// The newest `limit` entries, newest first.
    pub(crate) fn newest(&self, limit: usize) -> Vec<RequestLogEntryDoc> {
        self.lock().iter().take(limit).cloned().collect()
    }

    /// Forgets every entry.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}
