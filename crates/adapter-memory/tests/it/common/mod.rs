//! The in-memory Wix's tests over the standard world of `reseller_contract::fixture`
//! (the one test world of the workspace, re-exported here): [`reference_world`] is
//! that world as a plain `World` with the two variations these tests want, and
//! [`seeded`] a fresh in-memory Wix holding the same world, with scripted ids and a
//! manual clock. Each test module uses a part of it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use adapter_memory::MemoryWix;
use reseller_domain::world::World;
use reseller_domain::{ProductType, Timestamp};
use reseller_ports::{ApiKey, IdGenerator, ManualClock, Provisioning};
use uuid::Uuid;

pub(crate) use reseller_contract::fixture::*;

/// An id of these tests' own (cursor secrets, scripted ids).
pub(crate) fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0c87_cd5d_4059_4e86_8f6e_0000_0000_0000 | n)
}

/// The seeded Wix's clock at the start.
pub(crate) fn start() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").unwrap()
}

/// The standard world at `start()`, with two variations: sites also move from
/// [`SUB2`] to [`SUB1`] (so transfers go both ways between the sub-accounts), and
/// every product grants a voucher for every product type, so the tests of the
/// store see references used and refused for being used, whatever they buy.
pub(crate) fn reference_world() -> World {
    let mut w = world(start());
    w.allowed_transfers.insert((SUB2, SUB1));
    let mut types: Vec<ProductType> = w.catalog.values().map(|p| p.product_type.clone()).collect();
    types.sort();
    types.dedup();
    for product in w.catalog.values_mut() {
        product.grants_voucher_for.clone_from(&types);
    }
    w
}

/// Ids handed out from a script (what the test pushed), then from a counter.
pub(crate) struct Scripted {
    queue: Mutex<VecDeque<Uuid>>,
    counter: AtomicU64,
}

impl Scripted {
    pub(crate) fn new() -> Self {
        Self {
            queue: Mutex::new(VecDeque::new()),
            counter: AtomicU64::new(1),
        }
    }

    /// Replaces the script.
    pub(crate) fn script(&self, ids: &[Uuid]) {
        let mut q = self.queue.lock().unwrap();
        q.clear();
        q.extend(ids.iter().copied());
    }
}

impl IdGenerator for Scripted {
    fn new_id(&self) -> Uuid {
        if let Some(next) = self.queue.lock().unwrap().pop_front() {
            return next;
        }
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        Uuid::from_u128(0xffff_0000_0000_4000_8000_0000_0000_0000 | u128::from(n))
    }
}

/// The seeded in-memory Wix with one full key per account (in `ACCOUNTS` order).
pub(crate) struct Seeded {
    pub(crate) wix: MemoryWix,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) ids: Arc<Scripted>,
    pub(crate) keys: Vec<ApiKey>,
}

/// A fresh in-memory Wix holding `reference_world()`, a full key per account; the
/// cursor secret is the bytes of `cursor_secret`.
pub(crate) async fn seeded(cursor_secret: Uuid, provisioning: Provisioning) -> Seeded {
    let clock = Arc::new(ManualClock::new(start()));
    let ids = Arc::new(Scripted::new());
    ids.script(&[cursor_secret]);
    let wix = MemoryWix::builder()
        .clock(clock.clone())
        .ids(ids.clone())
        .build();
    seed_world(&wix, &reference_world()).await;
    let mut keys = Vec::new();
    for a in ACCOUNTS {
        keys.push(wix.add_api_key(a, None, None).await.unwrap());
    }
    wix.set_provisioning(provisioning).await.unwrap();
    Seeded {
        wix,
        clock,
        ids,
        keys,
    }
}
