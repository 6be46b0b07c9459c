//! Many tasks on a multi-threaded runtime share one in-memory Wix and run thousands
//! of random operations; afterwards (and while they run) every invariant holds and
//! every instance only ever moved along the lifecycle's edges.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::*;
use adapter_memory::{Credentials, MemoryWix};
use reseller_contract::picks::product_of;
use reseller_domain::billing::Billing;
use reseller_domain::ops::{Adjust, BillingRequest, SiteTransfer};
use reseller_domain::{
    Failure, FailureCode, IdempotencyKey, InstanceId, InstanceStatus, Package, PackageId, SiteId,
    StatusName,
};
use reseller_ports::{ApiKey, Provisioning};

/// A small deterministic generator per task.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }
}

fn statuses(wix: &MemoryWix) -> BTreeMap<String, String> {
    wix.export()
        .packages
        .into_iter()
        .flat_map(|p| p.product_instances)
        .map(|i| {
            (
                i.instance_id.unwrap(),
                i.status.map(|s| s.as_str().to_owned()).unwrap(),
            )
        })
        .collect()
}

/// Whether `to` can be reached from `from` along the lifecycle's edges.
fn reachable(from: StatusName, to: StatusName) -> bool {
    let all = [
        StatusName::Pending,
        StatusName::AwaitingAction,
        StatusName::Enabled,
        StatusName::Failed,
        StatusName::Canceled,
    ];
    let mut seen = vec![from];
    let mut i = 0;
    while let Some(&s) = seen.get(i) {
        for t in all {
            if s.can_move_to(t) && !seen.contains(&t) {
                seen.push(t);
            }
        }
        i += 1;
    }
    seen.contains(&to)
}

async fn worker(wix: MemoryWix, keys: Arc<Vec<ApiKey>>, seed: u64, steps: usize) {
    let mut rng = Rng(seed | 1);
    let mut mine: Vec<(PackageId, InstanceId, usize)> = Vec::new();
    for step in 0..steps {
        let who = rng.below(3);
        let cred = Credentials {
            key: &keys[0],
            account: ACCOUNTS[who],
        };
        let key = IdempotencyKey::new(format!("w{seed}-{step}")).unwrap();
        let pick = |rng: &mut Rng, mine: &Vec<(PackageId, InstanceId, usize)>| {
            if mine.is_empty() {
                None
            } else {
                Some(mine[rng.below(mine.len())])
            }
        };
        let outcome: Option<Package> = match rng.below(10) {
            0..=3 => {
                let p = product_of(u8::try_from(rng.below(256)).unwrap());
                let on_site = SITES
                    .iter()
                    .filter(|(_, o, _)| *o == ACCOUNTS[who])
                    .map(|(s, _, _)| *s)
                    .collect::<Vec<_>>();
                let s = (rng.below(2) == 0).then(|| on_site[rng.below(on_site.len())]);
                let mut product = item(p, s);
                if rng.below(4) == 0 {
                    product.reference = pick(&mut rng, &mine).map(|(_, i, _)| i);
                }
                wix.create_package(cred, Some(&key), &create(vec![product]))
                    .await
                    .ok()
            }
            4 => match pick(&mut rng, &mine) {
                Some((_, i, owner)) => {
                    let sites: Vec<SiteId> = SITES
                        .iter()
                        .filter(|(_, o, _)| *o == ACCOUNTS[owner])
                        .map(|(s, _, _)| *s)
                        .collect();
                    let s = sites[rng.below(sites.len())];
                    let cred = Credentials {
                        key: &keys[0],
                        account: ACCOUNTS[owner],
                    };
                    wix.assign_instance(cred, Some(&key), i, s).await.ok()
                }
                None => None,
            },
            5 => match pick(&mut rng, &mine) {
                Some((_, i, owner)) => {
                    let cred = Credentials {
                        key: &keys[0],
                        account: ACCOUNTS[owner],
                    };
                    wix.unassign_instance(cred, Some(&key), i).await.ok()
                }
                None => None,
            },
            6 => match pick(&mut rng, &mine) {
                Some((_, i, owner)) => {
                    let cred = Credentials {
                        key: &keys[0],
                        account: ACCOUNTS[owner],
                    };
                    wix.cancel_instance(cred, Some(&key), i).await.ok()
                }
                None => None,
            },
            7 => match pick(&mut rng, &mine) {
                Some((_, i, owner)) => {
                    let cred = Credentials {
                        key: &keys[0],
                        account: ACCOUNTS[owner],
                    };
                    let adjust = Adjust {
                        catalog_product_id: Some(product_of(u8::try_from(rng.below(3)).unwrap())),
                        billing: Some(BillingRequest::of(Billing::monthly())),
                        discount_code: None,
                    };
                    wix.adjust_instance(cred, Some(&key), i, &adjust).await.ok()
                }
                None => None,
            },
            8 => match pick(&mut rng, &mine) {
                Some((_, i, _)) => {
                    let status = match rng.below(4) {
                        0 => InstanceStatus::Enabled,
                        1 => InstanceStatus::AwaitingAction,
                        2 => InstanceStatus::Failed(Failure {
                            code: FailureCode::DeliveryTimeout,
                            message: "late".into(),
                        }),
                        _ => InstanceStatus::Canceled,
                    };
                    wix.set_instance_status(i, status).await.ok()
                }
                None => None,
            },
            _ => {
                let transfer = SiteTransfer {
                    site: SITES[rng.below(SITES.len())].0,
                    source_account: ACCOUNTS[rng.below(3)],
                    enable_notifications: false,
                };
                let cred = Credentials {
                    key: &keys[0],
                    account: ACCOUNTS[rng.below(3)],
                };
                let _ = wix.transfer_site(cred, Some(&key), &transfer).await;
                None
            }
        };
        if let Some(p) = outcome {
            let owner = ACCOUNTS.iter().position(|a| *a == p.account_id()).unwrap();
            for i in p.instances() {
                if !mine.iter().any(|(_, x, _)| *x == i.id()) {
                    mine.push((p.id(), i.id(), owner));
                }
            }
        }
        if step % 16 == 0 {
            tokio::task::yield_now().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thousands_of_concurrent_operations_keep_every_invariant() {
    let s = seeded(id(0xBEEF), Provisioning::Auto { delay_millis: 0 }).await;
    let wix = s.wix.clone();
    let keys = Arc::new(s.keys.clone());
    let done = Arc::new(AtomicBool::new(false));

    // A watcher: while the workers run, every snapshot keeps the invariants and
    // every instance's status is reachable from the one seen before.
    let watcher = {
        let wix = wix.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let mut before = statuses(&wix);
            let mut checks = 0u32;
            while !done.load(Ordering::SeqCst) {
                let broken = wix.invariant_violations();
                assert!(broken.is_empty(), "{broken:?}");
                let now = statuses(&wix);
                for (id, to) in &now {
                    if let Some(from) = before.get(id) {
                        let (f, t) = (
                            StatusName::parse(from).unwrap(),
                            StatusName::parse(to).unwrap(),
                        );
                        assert!(reachable(f, t), "{id}: {from} -> {to}");
                    }
                }
                before = now;
                checks += 1;
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            checks
        })
    };

    let workers: Vec<_> = (0..16u64)
        .map(|n| {
            let wix = wix.clone();
            let keys = keys.clone();
            tokio::spawn(worker(
                wix,
                keys,
                0x9E37_79B9_7F4A_7C15 ^ n.wrapping_mul(7919),
                300,
            ))
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let checks = watcher.await.unwrap();
    assert!(checks > 0);

    let broken = wix.invariant_violations();
    assert!(broken.is_empty(), "{broken:?}");
    assert!(
        wix.package_count() > 100,
        "only {} packages",
        wix.package_count()
    );
    // No instance used twice as a reference, every package within 1..=1000: part of
    // `invariant_violations`; the export round-trips into an identical world.
    let exported = wix.export();
    let copy = MemoryWix::new();
    copy.import(&exported).await.unwrap();
    assert_eq!(copy.export(), exported);
    assert!(copy.invariant_violations().is_empty());
    let _ = s.clock;
}
