//! The emulator's own read-only view of the whole world, for its dashboard: Query
//! Packages over every account (no key acts, so no visibility rule applies) and
//! what each account holds. Reads only; every rule stays the domain's.

use std::collections::BTreeMap;

use reseller_domain::instance::StatusName;
use reseller_domain::query::PackageQuery;
use reseller_domain::{AccountId, Violation};
use reseller_ports::{PackagesPage, PortError};

use crate::engine::MemoryWix;
use crate::query;

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
        self.read(|st, _| {
            let page = query::run_every(st, q).map_err(|e| PortError::from(Violation::from(e)))?;
            Ok(PackagesPage {
                packages: page.packages.into_iter().cloned().collect(),
                next_cursor: page.next_cursor,
                prev_cursor: page.prev_cursor,
                total: page.total,
                offset: page.offset,
            })
        })
        .await
    }

    /// What each of `accounts` holds (an unknown account holds nothing). Costs
    /// the packages of those accounts, walked through the per-account index.
    pub fn holdings(&self, accounts: &[AccountId]) -> Vec<(AccountId, Holdings)> {
        self.with_state(|st| {
            accounts
                .iter()
                .map(|account| {
                    let mut held = Holdings::default();
                    for (_, id) in st.by_created.of(*account).into_iter().flatten() {
                        let Some(package) = st.packages.get(id) else {
                            continue;
                        };
                        held.packages += 1;
                        for instance in package.instances() {
                            *held.instances.entry(instance.status().name()).or_insert(0) += 1;
                        }
                    }
                    (*account, held)
                })
                .collect()
        })
    }
}
