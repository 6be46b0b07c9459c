//! A change feed in place of the webhooks Wix does not offer: a poller over Query
//! Packages that keeps a watermark, compares every package it reads with the last
//! state it saw of it, and emits typed events.
//!
//! How it reads: each poll asks for the packages whose `updatedDate` is at or after
//! the watermark minus a look-back margin, sorted by `updatedDate` ascending, and
//! walks the pages with the cursor. A package read again (a tie on the watermark,
//! the look-back window) is compared with its last seen state and yields nothing
//! when it did not change, so nothing is repeated; the `$gte` bound and the
//! look-back mean nothing is skipped, even when several packages share one
//! `updatedDate` or a change is committed with a slightly older date. A poll may
//! stop early, after [`FeedOptions::max_packages_per_poll`] packages, but only once
//! it has read past the watermark it started from, so every poll that stops early
//! moves the watermark forward.
//!
//! Delivery is at least once: [`ChangeFeed::poll`] computes events from the last
//! committed checkpoint and [`ChangeFeed::commit`] saves the checkpoint that those
//! events lead to (atomically, through the [`Checkpoints`] port). Events delivered
//! and not committed (a crash, a failed save) are computed again by the next poll,
//! with the same [`EventId`]s when nothing changed in between, so a consumer can
//! deduplicate by id.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use reseller_domain::{Package, PackageId};
use reseller_ports::{Call, Checkpoint, Checkpoints, FeedId, PortError, ResellerPackages};

mod diff;
mod event;
mod poll;
mod view;

pub use diff::changes;
pub use event::{ChangeEvent, ChangeKind, EventId};
pub use poll::Poll;
pub use view::{FeedView, InstanceView, PackageView};

/// How a feed reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedOptions {
    /// The account the feed reads as (`wix-account-id`); Query Packages answers
    /// the whole family of its parent account (spec R3.1).
    pub call: Call,
    /// Packages per Query Packages page, 1 to 100 (default 100).
    pub page_size: u32,
    /// A poll stops after about this many packages once it has read past its
    /// starting watermark (default 1,000).
    pub max_packages_per_poll: usize,
    /// How far before the watermark each poll starts reading, for changes committed
    /// with a slightly older `updatedDate` than one already read (default 5 s).
    pub lookback: Duration,
}

impl Default for FeedOptions {
    fn default() -> Self {
        Self {
            call: Call::new(),
            page_size: 100,
            max_packages_per_poll: 1_000,
            lookback: Duration::from_secs(5),
        }
    }
}

/// Why a poll or a commit failed. Nothing is lost either way: the next poll reads
/// from the last committed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    /// Query Packages failed.
    #[error("Query Packages failed: {0}")]
    Wix(PortError),
    /// The checkpoint store failed.
    #[error("the checkpoint store failed: {0}")]
    Store(PortError),
    /// The poll being committed was computed before another commit: committing it
    /// would record a state the events did not describe. Poll again.
    #[error("this poll was computed before the last commit; poll again")]
    StalePoll,
}

/// A change feed over the packages an account can see.
pub struct ChangeFeed<W, C> {
    wix: W,
    store: C,
    id: FeedId,
    options: FeedOptions,
    checkpoint: Checkpoint,
    generation: u64,
    /// The package states handed out by polls of this process that are not
    /// committed yet: a consumer may have acted on them.
    handed: Mutex<BTreeMap<PackageId, Package>>,
}

impl<W, C> fmt::Debug for ChangeFeed<W, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChangeFeed")
            .field("id", &self.id)
            .field("watermark", &self.checkpoint.watermark)
            .field("next_sequence", &self.checkpoint.next_sequence)
            .field("seen", &self.checkpoint.seen.len())
            .finish_non_exhaustive()
    }
}

impl<W: ResellerPackages, C: Checkpoints> ChangeFeed<W, C> {
    /// Opens the feed `id`, from its stored checkpoint (or from the beginning).
    ///
    /// # Errors
    /// [`FeedError::Store`] when the checkpoint cannot be loaded.
    pub async fn open(
        wix: W,
        store: C,
        id: FeedId,
        options: FeedOptions,
    ) -> Result<Self, FeedError> {
        let checkpoint = store.load(&id).await.map_err(FeedError::Store)?;
        Ok(Self {
            wix,
            store,
            id,
            options,
            checkpoint,
            generation: 0,
            handed: Mutex::default(),
        })
    }

    /// The package states handed out and not committed yet (the lock is taken
    /// over when poisoned).
    fn handed(&self) -> MutexGuard<'_, BTreeMap<PackageId, Package>> {
        self.handed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The last committed checkpoint.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The view of the packages as the committed checkpoint saw them: what a
    /// consumer that applied every committed event holds.
    pub fn view(&self) -> FeedView {
        FeedView::of(self.checkpoint.seen.values())
    }

    /// Records that the consumer has handled `poll`'s events: saves the checkpoint
    /// they lead to.
    ///
    /// # Errors
    /// [`FeedError::StalePoll`] when another poll was committed since this one was
    /// computed; [`FeedError::Store`] when the save fails (the next poll delivers
    /// the same events again).
    pub async fn commit(&mut self, poll: &Poll) -> Result<(), FeedError> {
        if poll.generation != self.generation {
            return Err(FeedError::StalePoll);
        }
        let Some(update) = &poll.update else {
            return Ok(());
        };
        self.store
            .save(&self.id, update)
            .await
            .map_err(FeedError::Store)?;
        self.checkpoint.apply(update);
        // What the checkpoint now holds needs no correcting event any more.
        let seen = &self.checkpoint.seen;
        self.handed().retain(|id, p| seen.get(id) != Some(p));
        self.generation = self.generation.wrapping_add(1);
        Ok(())
    }
}
