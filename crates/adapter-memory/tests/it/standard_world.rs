//! The standard world of `reseller_contract::fixture` reaches a Wix whole: seeding
//! it through `Seed` leaves the in-memory Wix holding exactly what the domain's
//! tests run on as a plain `World`, so the two uses of the one world cannot drift.

use std::collections::BTreeSet;
use std::sync::Arc;

use adapter_memory::MemoryWix;
use reseller_ports::ManualClock;

use crate::common::*;

#[tokio::test]
async fn the_seeded_wix_holds_exactly_the_standard_world() {
    let wix = MemoryWix::builder()
        .clock(Arc::new(ManualClock::new(start())))
        .build();
    let want = world(start());
    seed_world(&wix, &want).await;
    let mut accounts = wix.accounts();
    accounts.sort_by_key(|a| a.id);
    assert_eq!(
        accounts,
        want.accounts.values().cloned().collect::<Vec<_>>()
    );
    let mut sites = wix.sites(None);
    sites.sort_by_key(|s| s.id);
    assert_eq!(sites, want.sites.values().cloned().collect::<Vec<_>>());
    let mut catalog = wix.catalog();
    catalog.sort_by_key(|p| p.id);
    assert_eq!(catalog, want.catalog.values().cloned().collect::<Vec<_>>());
    let transfers: BTreeSet<(String, String)> = wix
        .export()
        .allowed_transfers
        .into_iter()
        .map(|t| (t.source_account_id.unwrap(), t.target_account_id.unwrap()))
        .collect();
    let expected: BTreeSet<(String, String)> = want
        .allowed_transfers
        .iter()
        .map(|(s, t)| (s.to_string(), t.to_string()))
        .collect();
    assert_eq!(transfers, expected);
    assert_eq!(wix.package_count(), 0, "the world holds no package");
}
