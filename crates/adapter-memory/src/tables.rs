//! The two largest tables of the world, laid out for memory: the packages in
//! fixed-size chunks of slots (so neither a hash table of whole packages, half
//! empty after each doubling, nor a vector that doubles, holds the packages
//! themselves), and the sort indexes as one ordered set per account (so an entry
//! does not repeat its account, and a query's walk starts inside its account).
//! Every hash table of the world uses [`HashMap`] and [`HashSet`] from here.

use std::collections::BTreeSet;

use reseller_domain::{AccountId, Package, PackageId, Timestamp};

use crate::state::SortEntry;

/// The world's hash maps. Their keys are GUIDs, short texts and small tuples of
/// them, which SipHash (the standard library's default) hashes several times
/// slower than foldhash; foldhash is still seeded at random per process.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The world's hash sets (see [`HashMap`]).
pub(crate) type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// Slots per chunk: a chunk is allocated at its full size once, and never moves.
const CHUNK: usize = 4096;

/// The packages by id. A package keeps its slot for the life of the world.
#[derive(Debug, Default)]
pub(crate) struct Packages {
    chunks: Vec<Vec<Option<Package>>>,
    slots: HashMap<PackageId, usize>,
    /// How many slots hold a package.
    len: usize,
}

impl Packages {
    fn slot(&self, slot: usize) -> Option<&Option<Package>> {
        self.chunks.get(slot / CHUNK)?.get(slot % CHUNK)
    }

    fn slot_mut(&mut self, slot: usize) -> Option<&mut Option<Package>> {
        self.chunks.get_mut(slot / CHUNK)?.get_mut(slot % CHUNK)
    }

    /// The package `id`.
    pub(crate) fn get(&self, id: &PackageId) -> Option<&Package> {
        let slot = *self.slots.get(id)?;
        self.slot(slot)?.as_ref()
    }

    /// Whether the package `id` is stored.
    pub(crate) fn contains_key(&self, id: &PackageId) -> bool {
        self.get(id).is_some()
    }

    /// How many packages are stored.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Every package, in the order they were first stored.
    pub(crate) fn values(&self) -> impl Iterator<Item = &Package> {
        self.chunks.iter().flatten().flatten()
    }

    /// Takes the package `id` out of its slot (which stays reserved for it).
    pub(crate) fn take(&mut self, id: &PackageId) -> Option<Package> {
        let slot = *self.slots.get(id)?;
        let taken = self.slot_mut(slot)?.take();
        if taken.is_some() {
            self.len -= 1;
        }
        taken
    }

    /// Stores `package` in its slot, replacing what the slot holds.
    pub(crate) fn insert(&mut self, package: Package) {
        let id = package.id();
        if let Some(&slot) = self.slots.get(&id) {
            if let Some(place) = self.slot_mut(slot) {
                if place.replace(package).is_none() {
                    self.len += 1;
                }
                return;
            }
        }
        let full = self.chunks.last().is_none_or(|c| c.len() == CHUNK);
        if full {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        let slot = (self.chunks.len() - 1) * CHUNK;
        if let Some(chunk) = self.chunks.last_mut() {
            let slot = slot + chunk.len();
            chunk.push(Some(package));
            self.slots.insert(id, slot);
            self.len += 1;
        }
    }
}

/// One sort key inside an account's index: the date, then the package id.
pub(crate) type SortKey = (Timestamp, PackageId);

/// A sort index (`createdDate` or `updatedDate`): per account, its packages by
/// date then id, ascending.
#[derive(Debug, Default)]
pub(crate) struct SortIndex {
    accounts: HashMap<AccountId, BTreeSet<SortKey>>,
    len: usize,
}

impl SortIndex {
    /// Adds an entry; whether it was new.
    pub(crate) fn insert(&mut self, (account, at, id): SortEntry) -> bool {
        let added = self.accounts.entry(account).or_default().insert((at, id));
        if added {
            self.len += 1;
        }
        added
    }

    /// Removes an entry; whether it was there.
    pub(crate) fn remove(&mut self, (account, at, id): &SortEntry) -> bool {
        let Some(set) = self.accounts.get_mut(account) else {
            return false;
        };
        let removed = set.remove(&(*at, *id));
        if removed {
            self.len -= 1;
            if set.is_empty() {
                self.accounts.remove(account);
            }
        }
        removed
    }

    /// Whether the entry is there.
    pub(crate) fn contains(&self, (account, at, id): &SortEntry) -> bool {
        self.accounts
            .get(account)
            .is_some_and(|set| set.contains(&(*at, *id)))
    }

    /// How many entries.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The entries of `account`, when it has any.
    pub(crate) fn of(&self, account: AccountId) -> Option<&BTreeSet<SortKey>> {
        self.accounts.get(&account)
    }
}
