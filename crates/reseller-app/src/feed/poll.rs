//! One poll: the pages of Query Packages read from the watermark (less the
//! look-back), compared with the last state seen of each package, and the events
//! and the checkpoint update they lead to ([`Poll`]).

use std::collections::BTreeMap;

use futures_util::StreamExt;
use reseller_domain::query::{PackageQuery, Sort, SortField, SortOrder, SortSpec};
use reseller_domain::{Package, PackageId, Timestamp};
use reseller_ports::{CheckpointUpdate, Checkpoints, ResellerPackages, pages};

use super::diff::changes;
use super::event::{ChangeEvent, event};
use super::{ChangeFeed, FeedError};

/// The events of one poll, and the checkpoint they lead to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    events: Vec<ChangeEvent>,
    pub(super) generation: u64,
    pub(super) update: Option<CheckpointUpdate>,
    read: usize,
    more: bool,
}

impl Poll {
    /// The events, in order.
    pub fn events(&self) -> &[ChangeEvent] {
        &self.events
    }

    /// Packages read (changed or not).
    pub fn packages_read(&self) -> usize {
        self.read
    }

    /// Whether the poll stopped early ([`FeedOptions::max_packages_per_poll`](super::FeedOptions::max_packages_per_poll)) with
    /// pages left: poll again at once to catch up. A poll without events may still
    /// have more to read.
    pub fn has_more(&self) -> bool {
        self.more
    }

    /// The watermark after this poll (`None` while the feed has read nothing).
    pub fn watermark(&self) -> Option<Timestamp> {
        self.update.as_ref().map(|u| u.watermark)
    }
}

impl<W: ResellerPackages, C: Checkpoints> ChangeFeed<W, C> {
    /// Reads what changed since the last commit. Calling it again without a commit
    /// computes the same events again (with the same ids when nothing changed).
    ///
    /// # Errors
    /// [`FeedError::Wix`] when a Query Packages call fails; nothing is lost.
    pub async fn poll(&self) -> Result<Poll, FeedError> {
        let start = self.checkpoint.watermark;
        let lookback = i64::try_from(self.options.lookback.as_millis()).unwrap_or(i64::MAX);
        // One date condition (or none) and a sort: valid by construction, so
        // nothing can fail before the first call.
        let query = match start {
            Some(w) => PackageQuery::updated_since(w.plus_millis(lookback.saturating_neg())),
            None => PackageQuery::all(),
        }
        .sorted(Sort::new([SortSpec::new(
            SortField::UpdatedDate,
            SortOrder::Asc,
        )]))
        .page_size(self.options.page_size);
        let mut sequence = self.checkpoint.next_sequence;
        let mut watermark = start;
        let mut changed: BTreeMap<PackageId, Package> = BTreeMap::new();
        let mut events = Vec::new();
        let mut read = 0usize;
        let mut more = false;
        let handed = self.handed().clone();
        let mut handed_now: Vec<Package> = Vec::new();
        let mut walk = std::pin::pin!(pages::package_pages(&self.wix, &self.options.call, &query));
        while let Some(page) = walk.next().await {
            let page = page.map_err(FeedError::Wix)?;
            let mut last_updated = None;
            for p in page.packages {
                read += 1;
                last_updated = Some(p.updated());
                watermark = Some(watermark.map_or(p.updated(), |w| w.max(p.updated())));
                let id = p.id();
                let before = changed.get(&id).or_else(|| self.checkpoint.seen.get(&id));
                let shown = handed.get(&id).filter(|d| *d != &p && Some(*d) != before);
                if before == Some(&p) && shown.is_none() {
                    continue;
                }
                // From the committed state (what a consumer that missed the
                // uncommitted polls holds), and from the state an uncommitted poll
                // handed out (what one that acted on it holds): both end at `p`.
                let mut kinds = if before == Some(&p) {
                    Vec::new()
                } else {
                    changes(before, &p)
                };
                if let Some(d) = shown {
                    for k in changes(Some(d), &p) {
                        if !kinds.contains(&k) {
                            kinds.push(k);
                        }
                    }
                }
                for kind in kinds {
                    events.push(event(sequence, &p, kind));
                    sequence = sequence.saturating_add(1);
                }
                handed_now.push(p.clone());
                if before != Some(&p) {
                    changed.insert(id, p);
                }
            }
            if page.next_cursor.is_none() {
                break;
            }
            let past_start = match (last_updated, start) {
                (Some(last), Some(start)) => last > start,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if read >= self.options.max_packages_per_poll && past_start {
                more = true;
                break;
            }
        }
        // Nothing to save when nothing changed and the watermark stayed.
        {
            let mut kept = self.handed();
            for p in handed_now {
                kept.insert(p.id(), p);
            }
        }
        let update = watermark
            .filter(|w| !changed.is_empty() || !events.is_empty() || Some(*w) != start)
            .map(|watermark| CheckpointUpdate {
                watermark,
                next_sequence: sequence,
                seen: changed.into_values().collect(),
            });
        Ok(Poll {
            events,
            generation: self.generation,
            update,
            read,
            more,
        })
    }
}
