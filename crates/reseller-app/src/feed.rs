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
use std::time::Duration;

use futures_util::StreamExt;
use reseller_domain::idempotency::fnv1a_128;
use reseller_domain::query::{PackageQuery, Sort, SortField, SortOrder, SortSpec};
use reseller_domain::{
    AccountId, Billing, CatalogProductId, DiscountCode, ExternalId, Failure, InstanceId,
    InstanceStatus, Package, PackageId, ProductInstance, SiteId, Timestamp,
};
use reseller_ports::{
    Call, Checkpoint, CheckpointUpdate, Checkpoints, FeedId, PortError, ResellerPackages, pages,
};

/// What changed, as one event says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// The feed saw this package for the first time; it carries the package as
    /// read (a package created before the feed started is announced this way too).
    PackageCreated {
        /// The package as read.
        package: Package,
    },
    /// `externalId` changed (Update Package External Id).
    ExternalIdChanged {
        /// Before.
        from: Option<ExternalId>,
        /// Now.
        to: Option<ExternalId>,
    },
    /// An instance moved to `ENABLED`: the customer has the service.
    InstanceEnabled {
        /// The instance.
        instance: InstanceId,
    },
    /// An instance moved to `AWAITING_ACTION`: a provider or the customer must act.
    InstanceAwaitingAction {
        /// The instance.
        instance: InstanceId,
    },
    /// An instance moved to `FAILED`, with Wix's reason.
    InstanceFailed {
        /// The instance.
        instance: InstanceId,
        /// `failure`: code and message.
        failure: Failure,
    },
    /// An instance moved to `CANCELED`.
    InstanceCanceled {
        /// The instance.
        instance: InstanceId,
    },
    /// An instance was answered `PENDING` after the feed had seen it in another
    /// state. The lifecycle has no such move; it is reported so that what the
    /// events describe stays exactly what Wix answers.
    InstancePending {
        /// The instance.
        instance: InstanceId,
    },
    /// An instance was assigned to a site (from floating, or moved from another site).
    InstanceAssigned {
        /// The instance.
        instance: InstanceId,
        /// The site it is on now.
        site: SiteId,
        /// The site it was on, when it was not floating.
        from: Option<SiteId>,
    },
    /// An instance was unassigned: it is floating now.
    InstanceUnassigned {
        /// The instance.
        instance: InstanceId,
        /// The site it was on.
        from: SiteId,
    },
    /// An instance's product, billing or discount code changed (Adjust Product
    /// Instance Specifications). Carries the values now.
    InstanceAdjusted {
        /// The instance.
        instance: InstanceId,
        /// `catalogProductId` now.
        catalog_product_id: CatalogProductId,
        /// `billingInfo` now.
        billing: Option<Billing>,
        /// `discountCode` now.
        discount_code: Option<DiscountCode>,
    },
    /// An instance the feed had not seen appeared in a package it had seen. Wix
    /// documents no such change; reported so that nothing answered is lost.
    InstanceAdded {
        /// The instance as read.
        instance: ProductInstance,
    },
    /// An instance the feed had seen is no longer in its package. Wix documents no
    /// such change; reported so that nothing answered is lost.
    InstanceRemoved {
        /// The instance.
        instance: InstanceId,
    },
    /// Every instance of the package is canceled now (Cancel Package, or the last
    /// instance canceled); follows the instances' own events.
    PackageCanceled,
}

impl ChangeKind {
    /// A short name: `package-created`, `instance-enabled`, ...
    pub fn name(&self) -> &'static str {
        match self {
            Self::PackageCreated { .. } => "package-created",
            Self::ExternalIdChanged { .. } => "external-id-changed",
            Self::InstanceEnabled { .. } => "instance-enabled",
            Self::InstanceAwaitingAction { .. } => "instance-awaiting-action",
            Self::InstanceFailed { .. } => "instance-failed",
            Self::InstanceCanceled { .. } => "instance-canceled",
            Self::InstancePending { .. } => "instance-pending",
            Self::InstanceAssigned { .. } => "instance-assigned",
            Self::InstanceUnassigned { .. } => "instance-unassigned",
            Self::InstanceAdjusted { .. } => "instance-adjusted",
            Self::InstanceAdded { .. } => "instance-added",
            Self::InstanceRemoved { .. } => "instance-removed",
            Self::PackageCanceled => "package-canceled",
        }
    }

    /// The instance the event is about, when it is about one.
    pub fn instance(&self) -> Option<InstanceId> {
        match self {
            Self::InstanceEnabled { instance }
            | Self::InstanceAwaitingAction { instance }
            | Self::InstanceFailed { instance, .. }
            | Self::InstanceCanceled { instance }
            | Self::InstancePending { instance }
            | Self::InstanceAssigned { instance, .. }
            | Self::InstanceUnassigned { instance, .. }
            | Self::InstanceAdjusted { instance, .. }
            | Self::InstanceRemoved { instance } => Some(*instance),
            Self::InstanceAdded { instance } => Some(instance.id()),
            Self::PackageCreated { .. }
            | Self::ExternalIdChanged { .. }
            | Self::PackageCanceled => None,
        }
    }
}

/// An event's identity: its position in the feed and a digest of its content.
/// Delivered again (after a crash before the commit), the same change has the same
/// id; two different changes never share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId {
    /// The event's sequence number in its feed.
    pub sequence: u64,
    /// A 128-bit FNV-1a digest of the package id, its `updatedDate` and the change.
    pub digest: u128,
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:032x}", self.sequence, self.digest)
    }
}

/// One change the feed saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEvent {
    /// The event's id (deduplicate by it).
    pub id: EventId,
    /// The package.
    pub package: PackageId,
    /// The package's owner.
    pub account: AccountId,
    /// The package's `updatedDate` when the change was seen.
    pub at: Timestamp,
    /// What changed.
    pub kind: ChangeKind,
}

impl fmt::Display for ChangeEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} package {}",
            self.at,
            self.kind.name(),
            self.package
        )?;
        match &self.kind {
            ChangeKind::PackageCreated { package } => {
                write!(f, " with {} instance(s)", package.instances().len())?;
                if let Some(e) = package.external_id() {
                    write!(f, ", external id `{e}`")?;
                }
                Ok(())
            }
            ChangeKind::ExternalIdChanged { to, .. } => match to {
                Some(e) => write!(f, ": external id `{e}`"),
                None => write!(f, ": no external id"),
            },
            ChangeKind::InstanceFailed { instance, failure } => write!(
                f,
                " instance {instance}: {} ({})",
                failure.code.as_str(),
                failure.message
            ),
            ChangeKind::InstanceAssigned { instance, site, .. } => {
                write!(f, " instance {instance} to site {site}")
            }
            ChangeKind::InstanceUnassigned { instance, from } => {
                write!(f, " instance {instance} from site {from}")
            }
            ChangeKind::InstanceAdjusted {
                instance,
                catalog_product_id,
                billing,
                ..
            } => {
                write!(f, " instance {instance}: product {catalog_product_id}")?;
                match billing {
                    Some(b) => write!(f, ", {b}"),
                    None => Ok(()),
                }
            }
            other => match other.instance() {
                Some(i) => write!(f, " instance {i}"),
                None => Ok(()),
            },
        }
    }
}

/// The changes between the last state seen of a package (`None`: never seen) and
/// the state read now, in a fixed order: external id, then each instance in the
/// package's order (status, then site, then adjustments), then removed instances,
/// then package-canceled.
pub fn changes(before: Option<&Package>, now: &Package) -> Vec<ChangeKind> {
    let Some(before) = before else {
        return vec![ChangeKind::PackageCreated {
            package: now.clone(),
        }];
    };
    let mut out = Vec::new();
    if before.external_id() != now.external_id() {
        out.push(ChangeKind::ExternalIdChanged {
            from: before.external_id().cloned(),
            to: now.external_id().cloned(),
        });
    }
    for inst in now.instances() {
        let id = inst.id();
        let Some(old) = before.instance(id) else {
            out.push(ChangeKind::InstanceAdded {
                instance: inst.clone(),
            });
            continue;
        };
        if old.status() != inst.status() {
            out.push(match inst.status() {
                InstanceStatus::Pending => ChangeKind::InstancePending { instance: id },
                InstanceStatus::AwaitingAction => {
                    ChangeKind::InstanceAwaitingAction { instance: id }
                }
                InstanceStatus::Enabled => ChangeKind::InstanceEnabled { instance: id },
                InstanceStatus::Failed(failure) => ChangeKind::InstanceFailed {
                    instance: id,
                    failure: failure.clone(),
                },
                InstanceStatus::Canceled => ChangeKind::InstanceCanceled { instance: id },
            });
        }
        if old.site() != inst.site() {
            out.push(match (old.site(), inst.site()) {
                (from, Some(site)) => ChangeKind::InstanceAssigned {
                    instance: id,
                    site,
                    from,
                },
                (Some(from), None) => ChangeKind::InstanceUnassigned { instance: id, from },
                (None, None) => continue,
            });
        }
        if old.catalog_product_id() != inst.catalog_product_id()
            || old.billing() != inst.billing()
            || old.discount_code() != inst.discount_code()
        {
            out.push(ChangeKind::InstanceAdjusted {
                instance: id,
                catalog_product_id: inst.catalog_product_id(),
                billing: inst.billing(),
                discount_code: inst.discount_code().cloned(),
            });
        }
    }
    for old in before.instances() {
        if now.instance(old.id()).is_none() {
            out.push(ChangeKind::InstanceRemoved { instance: old.id() });
        }
    }
    let all_canceled = |p: &Package| {
        p.instances()
            .iter()
            .all(|i| matches!(i.status(), InstanceStatus::Canceled))
    };
    if all_canceled(now) && !all_canceled(before) {
        out.push(ChangeKind::PackageCanceled);
    }
    out
}

/// What the events say of an instance: enough to tell every change the feed
/// reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceView {
    /// `catalogProductId`
    pub catalog_product_id: CatalogProductId,
    /// `siteId`, `None` when floating.
    pub site: Option<SiteId>,
    /// `status` (with `failure`).
    pub status: InstanceStatus,
    /// `billingInfo`
    pub billing: Option<Billing>,
    /// `discountCode`
    pub discount_code: Option<DiscountCode>,
}

impl InstanceView {
    fn of(i: &ProductInstance) -> Self {
        Self {
            catalog_product_id: i.catalog_product_id(),
            site: i.site(),
            status: i.status().clone(),
            billing: i.billing(),
            discount_code: i.discount_code().cloned(),
        }
    }
}

/// What the events say of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageView {
    /// `accountId`
    pub account: AccountId,
    /// `externalId`
    pub external_id: Option<ExternalId>,
    /// The instances, by id.
    pub instances: BTreeMap<InstanceId, InstanceView>,
}

impl PackageView {
    /// The view of a package as read.
    pub fn of(p: &Package) -> Self {
        Self {
            account: p.account_id(),
            external_id: p.external_id().cloned(),
            instances: p
                .instances()
                .iter()
                .map(|i| (i.id(), InstanceView::of(i)))
                .collect(),
        }
    }
}

/// The state a consumer rebuilds from the events: what a reseller's own database
/// would hold. Replaying a feed's events on the view of its starting state gives
/// the view of the packages as they are at the end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedView {
    /// The packages, by id.
    pub packages: BTreeMap<PackageId, PackageView>,
}

impl FeedView {
    /// The view of these packages.
    pub fn of<'a>(packages: impl IntoIterator<Item = &'a Package>) -> Self {
        Self {
            packages: packages
                .into_iter()
                .map(|p| (p.id(), PackageView::of(p)))
                .collect(),
        }
    }

    /// Applies one event. An event about a package or instance the view does not
    /// hold changes nothing (it cannot happen for events of one feed replayed in
    /// order on its starting state).
    pub fn apply(&mut self, event: &ChangeEvent) {
        if let ChangeKind::PackageCreated { package } = &event.kind {
            self.packages.insert(package.id(), PackageView::of(package));
            return;
        }
        let Some(p) = self.packages.get_mut(&event.package) else {
            return;
        };
        p.account = event.account;
        match &event.kind {
            ChangeKind::PackageCreated { .. } => {}
            ChangeKind::ExternalIdChanged { to, .. } => p.external_id = to.clone(),
            ChangeKind::InstanceAdded { instance } => {
                p.instances
                    .insert(instance.id(), InstanceView::of(instance));
            }
            ChangeKind::InstanceRemoved { instance } => {
                p.instances.remove(instance);
            }
            ChangeKind::PackageCanceled => {
                for i in p.instances.values_mut() {
                    i.status = InstanceStatus::Canceled;
                }
            }
            kind => {
                let Some(id) = kind.instance() else { return };
                let Some(i) = p.instances.get_mut(&id) else {
                    return;
                };
                match kind {
                    ChangeKind::InstanceEnabled { .. } => i.status = InstanceStatus::Enabled,
                    ChangeKind::InstanceAwaitingAction { .. } => {
                        i.status = InstanceStatus::AwaitingAction;
                    }
                    ChangeKind::InstanceFailed { failure, .. } => {
                        i.status = InstanceStatus::Failed(failure.clone());
                    }
                    ChangeKind::InstanceCanceled { .. } => i.status = InstanceStatus::Canceled,
                    ChangeKind::InstancePending { .. } => i.status = InstanceStatus::Pending,
                    ChangeKind::InstanceAssigned { site, .. } => i.site = Some(*site),
                    ChangeKind::InstanceUnassigned { .. } => i.site = None,
                    ChangeKind::InstanceAdjusted {
                        catalog_product_id,
                        billing,
                        discount_code,
                        ..
                    } => {
                        i.catalog_product_id = *catalog_product_id;
                        i.billing = *billing;
                        i.discount_code = discount_code.clone();
                    }
                    _ => {}
                }
            }
        }
    }
}

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

/// The events of one poll, and the checkpoint they lead to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    events: Vec<ChangeEvent>,
    generation: u64,
    update: Option<CheckpointUpdate>,
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

    /// Whether the poll stopped early ([`FeedOptions::max_packages_per_poll`]) with
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
    handed: std::sync::Mutex<BTreeMap<PackageId, Package>>,
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
            handed: std::sync::Mutex::default(),
        })
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
        let handed = self
            .handed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
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
            let mut kept = self.handed.lock().unwrap_or_else(|e| e.into_inner());
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
        self.handed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|id, p| seen.get(id) != Some(p));
        self.generation = self.generation.wrapping_add(1);
        Ok(())
    }
}

/// The event of `kind` seen on `package` at position `sequence`.
fn event(sequence: u64, package: &Package, kind: ChangeKind) -> ChangeEvent {
    let text = format!(
        "{}|{}|{}|{kind:?}",
        package.id(),
        package.updated().unix_millis(),
        package.account_id()
    );
    ChangeEvent {
        id: EventId {
            sequence,
            digest: fnv1a_128(text.as_bytes()),
        },
        package: package.id(),
        account: package.account_id(),
        at: package.updated(),
        kind,
    }
}
