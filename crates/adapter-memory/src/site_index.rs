//! The order indexes of Query Sites: per owner, the sites by `displayName`,
//! `createdDate`, `updatedDate` and `trashedDate` (ties by id), so that a page
//! walks the owner's sites in the answer's order from the cursor's site on,
//! instead of sorting them all.

use std::collections::BTreeSet;
use std::ops::Bound;

use reseller_domain::query::SortOrder;
use reseller_domain::sites::{SiteSort, SiteSortField, SortKey};
use reseller_domain::world::Site;
use reseller_domain::{AccountId, SiteId};
use uuid::Uuid;

type Entry<K> = (AccountId, K, SiteId);

/// The trash key: sites without a `trashedDate` (`true`) after those with one.
type TrashKey = (bool, i64);

/// The four order indexes of every owner's sites.
#[derive(Debug, Default)]
pub(crate) struct SiteIndex {
    by_name: BTreeSet<Entry<String>>,
    by_created: BTreeSet<Entry<i64>>,
    by_updated: BTreeSet<Entry<i64>>,
    by_trashed: BTreeSet<Entry<TrashKey>>,
}

fn trash_key(at: Option<reseller_domain::Timestamp>) -> TrashKey {
    match at {
        Some(t) => (false, t.unix_millis()),
        None => (true, 0),
    }
}

const NIL: SiteId = SiteId::from_uuid(Uuid::nil());

impl SiteIndex {
    /// Adds a site.
    pub(crate) fn insert(&mut self, s: &Site) {
        self.by_name
            .insert((s.owner, s.display_name().to_owned(), s.id));
        self.by_created
            .insert((s.owner, s.created.unix_millis(), s.id));
        self.by_updated
            .insert((s.owner, s.updated.unix_millis(), s.id));
        self.by_trashed
            .insert((s.owner, trash_key(s.details.trashed), s.id));
    }

    /// Removes a site as it was stored.
    pub(crate) fn remove(&mut self, s: &Site) {
        self.by_name
            .remove(&(s.owner, s.display_name().to_owned(), s.id));
        self.by_created
            .remove(&(s.owner, s.created.unix_millis(), s.id));
        self.by_updated
            .remove(&(s.owner, s.updated.unix_millis(), s.id));
        self.by_trashed
            .remove(&(s.owner, trash_key(s.details.trashed), s.id));
    }

    /// How many entries each index holds (for the invariant check).
    pub(crate) fn lens(&self) -> [usize; 4] {
        [
            self.by_name.len(),
            self.by_created.len(),
            self.by_updated.len(),
            self.by_trashed.len(),
        ]
    }

    /// Whether `s` is indexed as stored.
    pub(crate) fn holds(&self, s: &Site) -> bool {
        self.by_name
            .contains(&(s.owner, s.display_name().to_owned(), s.id))
            && self
                .by_created
                .contains(&(s.owner, s.created.unix_millis(), s.id))
            && self
                .by_updated
                .contains(&(s.owner, s.updated.unix_millis(), s.id))
            && self
                .by_trashed
                .contains(&(s.owner, trash_key(s.details.trashed), s.id))
    }

    /// `owner`'s site ids in the order of `sort`, after the site `after`.
    pub(crate) fn walk<'a>(
        &'a self,
        owner: AccountId,
        sort: SiteSort,
        after: Option<&(SortKey, SiteId)>,
    ) -> Box<dyn Iterator<Item = SiteId> + 'a> {
        let order = sort.order;
        match (sort.field, after) {
            (SiteSortField::DisplayName, None) => {
                walk(&self.by_name, owner, String::new(), None, order, None)
            }
            (SiteSortField::DisplayName, Some((SortKey::Text(t), id))) => walk(
                &self.by_name,
                owner,
                String::new(),
                None,
                order,
                Some((t.clone(), *id)),
            ),
            (SiteSortField::CreatedDate | SiteSortField::UpdatedDate, after) => {
                let set = if sort.field == SiteSortField::CreatedDate {
                    &self.by_created
                } else {
                    &self.by_updated
                };
                let after = match after {
                    Some((SortKey::Time(t), id)) => Some((t.unix_millis(), *id)),
                    Some(_) => return Box::new(std::iter::empty()),
                    None => None,
                };
                walk(set, owner, i64::MIN, None, order, after)
            }
            (SiteSortField::TrashedDate, after) => {
                let after = match after {
                    Some((SortKey::Trashed(t), id)) => Some((trash_key(*t), *id)),
                    Some(_) => return Box::new(std::iter::empty()),
                    None => None,
                };
                let set = &self.by_trashed;
                let trashed = (false, i64::MIN);
                let kept = (true, i64::MIN);
                if order == SortOrder::Asc {
                    return walk(set, owner, trashed, None, order, after);
                }
                // DESC: the trashed ones newest first, then the others, ids descending.
                match after {
                    Some((key, id)) if key.0 => {
                        walk(set, owner, kept, None, order, Some((key, id)))
                    }
                    after => Box::new(
                        walk(set, owner, trashed, Some(kept), order, after)
                            .chain(walk(set, owner, kept, None, order, None)),
                    ),
                }
            }
            (SiteSortField::DisplayName, Some(_)) => Box::new(std::iter::empty()),
        }
    }
}

/// The smallest key of each index (for the bound below the next owner).
trait Least {
    fn least() -> Self;
}

impl Least for String {
    fn least() -> Self {
        String::new()
    }
}

impl Least for i64 {
    fn least() -> Self {
        i64::MIN
    }
}

impl Least for TrashKey {
    fn least() -> Self {
        (false, i64::MIN)
    }
}

/// The ids of `owner`'s entries with keys in `lo..hi` (`None`: no upper bound), in
/// `order`, strictly after `after`.
fn walk<'a, K: Ord + Clone + Least + 'a>(
    set: &'a BTreeSet<Entry<K>>,
    owner: AccountId,
    lo: K,
    hi: Option<K>,
    order: SortOrder,
    after: Option<(K, SiteId)>,
) -> Box<dyn Iterator<Item = SiteId> + 'a> {
    let mut start: Bound<Entry<K>> = Bound::Included((owner, lo, NIL));
    let mut end: Bound<Entry<K>> = match hi {
        Some(h) => Bound::Excluded((owner, h, NIL)),
        None => match owner.as_uuid().as_u128().checked_add(1) {
            Some(next) => {
                Bound::Excluded((AccountId::from_uuid(Uuid::from_u128(next)), K::least(), NIL))
            }
            None => Bound::Unbounded,
        },
    };
    if let Some((k, id)) = after {
        let at = Bound::Excluded((owner, k, id));
        if order == SortOrder::Asc {
            start = at;
        } else {
            end = at;
        }
    }
    if empty_range(&start, &end) {
        return Box::new(std::iter::empty());
    }
    let entries = set.range((start, end));
    if order == SortOrder::Asc {
        Box::new(entries.map(|e| e.2))
    } else {
        Box::new(entries.rev().map(|e| e.2))
    }
}

/// Whether `BTreeSet::range` would find nothing (or refuse the bounds).
fn empty_range<T: Ord>(start: &Bound<T>, end: &Bound<T>) -> bool {
    match (start, end) {
        (Bound::Included(s), Bound::Included(e)) => s > e,
        (Bound::Included(s) | Bound::Excluded(s), Bound::Excluded(e))
        | (Bound::Excluded(s), Bound::Included(e)) => s >= e,
        _ => false,
    }
}
