//! The emulator's own read-only view of the whole world, for its dashboard: Query
//! Packages over every account (no key acts, so no visibility rule applies) and
//! what each account holds, from an index kept in step with the packages (so the
//! account tree costs the accounts shown, not their packages). Reads only; every
//! rule stays the domain's.

use std::collections::BTreeMap;

use reseller_domain::instance::StatusName;
use reseller_domain::query::PackageQuery;
use reseller_domain::{AccountId, Package};
use reseller_ports::{PackagesPage, PortError};

use crate::engine::MemoryWix;
use crate::query;
use crate::tables::HashMap;

/// One account's tally: packages, and instances by status (in `StatusName::ALL` order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    packages: usize,
    instances: [usize; StatusName::ALL.len()],
}

/// What each account holds, kept in step by the state's `index` and `unindex`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HeldIndex(HashMap<AccountId, Tally>);

/// The position of `status` in `StatusName::ALL`.
fn slot(status: StatusName) -> usize {
    StatusName::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or_default()
}

impl HeldIndex {
    /// The index of `packages`, built from scratch (for the invariant check).
    pub(crate) fn of<'a>(packages: impl Iterator<Item = &'a Package>) -> Self {
        let mut index = Self::default();
        for p in packages {
            index.add(p);
        }
        index
    }

    /// Counts `p`.
    pub(crate) fn add(&mut self, p: &Package) {
        let tally = self.0.entry(p.account_id()).or_default();
        tally.packages += 1;
        for i in p.instances() {
            if let Some(n) = tally.instances.get_mut(slot(i.status().name())) {
                *n += 1;
            }
        }
    }

    /// Stops counting `p` (counted before).
    pub(crate) fn remove(&mut self, p: &Package) {
        let account = p.account_id();
        let Some(tally) = self.0.get_mut(&account) else {
            return;
        };
        tally.packages = tally.packages.saturating_sub(1);
        for i in p.instances() {
            if let Some(n) = tally.instances.get_mut(slot(i.status().name())) {
                *n = n.saturating_sub(1);
            }
        }
        if tally.packages == 0 {
            self.0.remove(&account);
        }
    }

    /// What `account` holds.
    fn holdings(&self, account: AccountId) -> Holdings {
        let tally = self.0.get(&account).copied().unwrap_or_default();
        Holdings {
            packages: tally.packages,
            instances: StatusName::ALL
                .into_iter()
                .zip(tally.instances)
                .filter(|(_, n)| *n > 0)
                .collect(),
        }
    }
}

/// What one account holds: its packages, and its instances by status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holdings {
    /// How many packages the account owns.
    pub packages: usize,
    /// How many of its instances are in each status (statuses with none are absent).
    pub instances: BTreeMap<StatusName, usize>,
}

impl MemoryWix {
    /// Query Packages over every account's packages, with the query language,
    /// sorts and cursors of Query Packages: a page costs what it costs a caller who
    /// sees every account (the page size times the number of accounts), not the
    /// number of packages. For the emulator's inspection, never for a caller.
    ///
    /// # Errors
    /// `INVALID_CURSOR` and `INVALID_QUERY` as Query Packages; the durable store's
    /// errors.
    pub async fn query_every_package(&self, q: &PackageQuery) -> Result<PackagesPage, PortError> {
        self.read(|st, _| query::owned(query::run_every(st, q)))
            .await
    }

    /// What each of `accounts` holds (an unknown account holds nothing), from an
    /// index: the cost does not grow with the number of packages.
    pub fn holdings(&self, accounts: &[AccountId]) -> Vec<(AccountId, Holdings)> {
        self.with_state(|st| {
            accounts
                .iter()
                .map(|account| (*account, st.held.holdings(*account)))
                .collect()
        })
    }
}
