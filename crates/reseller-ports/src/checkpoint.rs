//! Where a change feed keeps its place: the watermark (the `updatedDate` up to
//! which it has read Query Packages) and the last state it saw of every package,
//! so that after a restart it neither misses nor repeats a change.
//!
//! A store holds several feeds, each under its own [`FeedId`]. Implementations:
//! [`MemoryCheckpoints`] here (for tests and short-lived processes) and the
//! durable SQLite store of adapter-memory.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Mutex;

use async_trait::async_trait;
use reseller_domain::{Package, PackageId, Timestamp};

use crate::error::PortError;

/// The name a feed is stored under: 1 to 100 characters, letters, digits, `-`,
/// `_` and `.` only (so it is safe in a file name and a log line).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeedId(String);

/// A [`FeedId`] that is empty, too long or holds a character outside the set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a feed id is 1 to 100 characters of letters, digits, `-`, `_` and `.`; got {len} characters"
)]
pub struct FeedIdError {
    len: usize,
}

impl FeedId {
    /// Longest feed id, in characters.
    pub const MAX_CHARS: usize = 100;

    /// Validates `name`.
    ///
    /// # Errors
    /// [`FeedIdError`] when it is empty, longer than [`FeedId::MAX_CHARS`] or holds
    /// another character.
    pub fn new(name: impl Into<String>) -> Result<Self, FeedIdError> {
        let name = name.into();
        let ok = !name.is_empty()
            && name.len() <= Self::MAX_CHARS
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if ok {
            Ok(Self(name))
        } else {
            Err(FeedIdError {
                len: name.chars().count(),
            })
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FeedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for FeedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FeedId({:?})", self.0)
    }
}

/// A feed's stored place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkpoint {
    /// The `updatedDate` up to which every package has been read; `None` before the
    /// first committed poll.
    pub watermark: Option<Timestamp>,
    /// The number of events the feed has delivered and had committed: the next
    /// event's sequence number.
    pub next_sequence: u64,
    /// The last state the feed saw of every package it has read.
    pub seen: BTreeMap<PackageId, Package>,
}

impl Checkpoint {
    /// Applies `update` to this checkpoint, as a store does when it saves one.
    pub fn apply(&mut self, update: &CheckpointUpdate) {
        self.watermark = Some(update.watermark);
        self.next_sequence = update.next_sequence;
        for p in &update.seen {
            self.seen.insert(p.id(), p.clone());
        }
    }
}

/// What one committed poll changes in a checkpoint: saved atomically (all of it or
/// nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointUpdate {
    /// The new watermark.
    pub watermark: Timestamp,
    /// The next event's sequence number after this poll.
    pub next_sequence: u64,
    /// The packages whose state changed in this poll, as last seen (replacing what
    /// was stored for them).
    pub seen: Vec<Package>,
}

/// The checkpoint store of change feeds.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Checkpoints: Send + Sync {
    /// The stored place of `feed`; the default (no watermark, nothing seen) when it
    /// was never saved.
    ///
    /// # Errors
    /// `UNAVAILABLE` (kind `Unavailable`) when the store cannot be read.
    async fn load(&self, feed: &FeedId) -> Result<Checkpoint, PortError>;

    /// Saves `update` for `feed` atomically, and durably before answering when the
    /// store is durable.
    ///
    /// # Errors
    /// `UNAVAILABLE` when the store cannot be written; nothing is saved then.
    async fn save(&self, feed: &FeedId, update: &CheckpointUpdate) -> Result<(), PortError>;
}

/// Checkpoints kept in this process's memory (lost when it exits).
#[derive(Debug, Default)]
pub struct MemoryCheckpoints {
    feeds: Mutex<HashMap<FeedId, Checkpoint>>,
}

impl MemoryCheckpoints {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl Checkpoints for MemoryCheckpoints {
    async fn load(&self, feed: &FeedId) -> Result<Checkpoint, PortError> {
        let feeds = self.feeds.lock().unwrap_or_else(|e| e.into_inner());
        Ok(feeds.get(feed).cloned().unwrap_or_default())
    }

    async fn save(&self, feed: &FeedId, update: &CheckpointUpdate) -> Result<(), PortError> {
        let mut feeds = self.feeds.lock().unwrap_or_else(|e| e.into_inner());
        feeds.entry(feed.clone()).or_default().apply(update);
        Ok(())
    }
}

#[async_trait]
impl<T: Checkpoints + ?Sized> Checkpoints for std::sync::Arc<T> {
    async fn load(&self, feed: &FeedId) -> Result<Checkpoint, PortError> {
        (**self).load(feed).await
    }
    async fn save(&self, feed: &FeedId, update: &CheckpointUpdate) -> Result<(), PortError> {
        (**self).save(feed, update).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_ids_are_bounded_and_plain() {
        assert!(FeedId::new("packages.main-1_a").is_ok());
        assert!(FeedId::new("").is_err());
        assert!(FeedId::new("a".repeat(101)).is_err());
        assert!(FeedId::new("a".repeat(100)).is_ok());
        assert!(FeedId::new("a/b").is_err());
        assert!(FeedId::new("é").is_err());
    }

    #[tokio::test]
    async fn memory_store_loads_what_was_saved_per_feed() {
        let store = MemoryCheckpoints::new();
        let a = FeedId::new("a").unwrap();
        let b = FeedId::new("b").unwrap();
        assert_eq!(store.load(&a).await.unwrap(), Checkpoint::default());
        let at = Timestamp::from_unix_millis(5_000).unwrap();
        store
            .save(
                &a,
                &CheckpointUpdate {
                    watermark: at,
                    next_sequence: 3,
                    seen: Vec::new(),
                },
            )
            .await
            .unwrap();
        let loaded = store.load(&a).await.unwrap();
        assert_eq!(loaded.watermark, Some(at));
        assert_eq!(loaded.next_sequence, 3);
        assert_eq!(store.load(&b).await.unwrap(), Checkpoint::default());
    }
}
