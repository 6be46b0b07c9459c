//! Properties: the instance state machine never reaches an illegal state, and random
//! operation sequences on a world keep every invariant of the model.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use reseller_contract::picks::{
    TransferPick, account_of, instance_ids, pick_instance, pick_package, product_of, site_of,
    status_of,
};
use reseller_domain::ops::*;
use reseller_domain::*;

use crate::fixture::*;

fn legal(from: StatusName, to: StatusName) -> bool {
    use StatusName::*;
    matches!(
        (from, to),
        (Pending, Enabled)
            | (Pending, AwaitingAction)
            | (Pending, Failed)
            | (Pending, Canceled)
            | (AwaitingAction, Enabled)
            | (AwaitingAction, Failed)
            | (AwaitingAction, Canceled)
            | (Enabled, Canceled)
    )
}

proptest! {
    #[test]
    fn random_transitions_follow_the_lifecycle_table(moves in proptest::collection::vec(any::<u8>(), 1..30)) {
        let mut w = world();
        let p = buy(&mut w, &mut Ids::new(), SUB1, vec![item(PLAN_UNLIMITED, None)]);
        let i = p.instances()[0].id();
        for (t, m) in (1..).zip(moves) {
            let to = status_of(m);
            let before = w.package_of_instance(i).unwrap().instance(i).unwrap().status().clone();
            let result = set_instance_status(&w, i, to.clone(), later(t));
            prop_assert_eq!(result.is_ok(), legal(before.name(), to.name()), "{:?} -> {:?}", before, to);
            match result {
                Ok(done) => w.apply(&done.changes),
                Err(r) => prop_assert_eq!(r.code(), ErrorCode::IllegalStatusTransition),
            }
            let now = w.package_of_instance(i).unwrap().instance(i).unwrap().status().clone();
            prop_assert_eq!(now.failure().is_some(), now.name() == StatusName::Failed);
            if before.name().is_terminal() {
                prop_assert_eq!(&now, &before, "terminal states stay terminal");
            }
        }
    }

    #[test]
    fn random_operations_keep_every_invariant(ops in proptest::collection::vec(op(), 1..60)) {
        let mut w = world();
        // One pair more than the standard allow-list: sub-accounts swap sites both ways.
        w.allowed_transfers.insert((SUB2, SUB1));
        let mut ids = Ids::new();
        for (step, op) in ops.into_iter().enumerate() {
            let at = later(i64::try_from(step).unwrap() + 1);
            let before = snapshot(&w);
            let changes = run(&w, &mut ids, op, at);
            if let Some(changes) = changes {
                w.apply(&changes);
            }
            check_invariants(&w, &before)?;
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Create {
        account: u8,
        products: Vec<(u8, Option<u8>, Option<u8>)>,
    },
    CancelPackage {
        account: u8,
        pick: usize,
    },
    Assign {
        account: u8,
        pick: usize,
        site: u8,
    },
    Unassign {
        account: u8,
        pick: usize,
    },
    CancelInstance {
        account: u8,
        pick: usize,
    },
    Adjust {
        account: u8,
        pick: usize,
        product: u8,
        monthly: bool,
    },
    Status {
        pick: usize,
        status: u8,
    },
    Transfer(TransferPick),
    Expire {
        pick: usize,
    },
    /// A plan, then a domain and an SSL certificate on the same site: the stack
    /// the dependent-services rule is about.
    Premium {
        account: u8,
        site: u8,
    },
    Extend {
        pick: usize,
        cycles: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let account = 0u8..4;
    prop_oneof![
        3 => (account.clone(), proptest::collection::vec((any::<u8>(), proptest::option::of(any::<u8>()), proptest::option::weighted(0.2, 0u8..50)), 1..4))
            .prop_map(|(account, products)| Op::Create { account, products }),
        1 => (account.clone(), any::<usize>()).prop_map(|(account, pick)| Op::CancelPackage { account, pick }),
        2 => (account.clone(), any::<usize>(), any::<u8>()).prop_map(|(account, pick, site)| Op::Assign { account, pick, site }),
        1 => (account.clone(), any::<usize>()).prop_map(|(account, pick)| Op::Unassign { account, pick }),
        1 => (account.clone(), any::<usize>()).prop_map(|(account, pick)| Op::CancelInstance { account, pick }),
        1 => (account, any::<usize>(), any::<u8>(), any::<bool>()).prop_map(|(account, pick, product, monthly)| Op::Adjust { account, pick, product, monthly }),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(pick, status)| Op::Status { pick, status }),
        1 => (any::<u8>(), 0u8..4, 0u8..4).prop_map(|(site, source, target)| Op::Transfer(TransferPick { site, source, target })),
        1 => any::<usize>().prop_map(|pick| Op::Expire { pick }),
        2 => (0u8..4, any::<u8>()).prop_map(|(account, site)| Op::Premium { account, site }),
        1 => (any::<usize>(), -1i64..3).prop_map(|(pick, cycles)| Op::Extend { pick, cycles }),
    ]
}

fn run(w: &World, ids: &mut Ids, op: Op, at: Timestamp) -> Option<Changes> {
    let c = |a: u8| caller(account_of(a));
    let result: Result<Changes, Refusal> = match op {
        Op::Create { account, products } => {
            let all_ids: Vec<InstanceId> = instance_ids(w);
            let list = products
                .into_iter()
                .map(|(p, s, r)| {
                    let mut n = item(product_of(p), s.map(site_of));
                    n.reference = r.and_then(|r| all_ids.get(usize::from(r)).copied());
                    n
                })
                .collect();
            create_package(w, &c(account), &create(list), at, &mut || ids.next()).map(|d| d.changes)
        }
        Op::CancelPackage { account, pick } => {
            cancel_package(w, &c(account), pick_package(w, pick), at).map(|d| d.changes)
        }
        Op::Assign {
            account,
            pick,
            site: s,
        } => assign_instance(w, &c(account), pick_instance(w, pick), site_of(s), at)
            .map(|d| d.changes),
        Op::Unassign { account, pick } => {
            unassign_instance(w, &c(account), pick_instance(w, pick), at).map(|d| d.changes)
        }
        Op::CancelInstance { account, pick } => {
            cancel_instance(w, &c(account), pick_instance(w, pick), at).map(|d| d.changes)
        }
        Op::Adjust {
            account,
            pick,
            product,
            monthly,
        } => {
            let a = Adjust {
                catalog_product_id: Some(product_of(product)),
                billing: monthly.then(|| BillingRequest::of(Billing::monthly())),
                discount_code: None,
            };
            adjust_instance(w, &c(account), pick_instance(w, pick), &a, at).map(|d| d.changes)
        }
        Op::Status { pick, status } => {
            set_instance_status(w, pick_instance(w, pick), status_of(status), at).map(|d| d.changes)
        }
        Op::Transfer(t) => {
            transfer_site(w, &caller(t.target_account()), &t.transfer(), at).map(|d| d.changes)
        }
        // A year and more later: every domain bought so far is due.
        Op::Expire { pick } => {
            expire_instance(w, pick_instance(w, pick), at.plus_millis(400 * 86_400_000))
                .map(|d| d.changes)
        }
        Op::Extend { pick, cycles } => {
            extend_instance(w, pick_instance(w, pick), cycles, at).map(|d| d.changes)
        }
        Op::Premium { account, site: s } => {
            let mut stacked = w.clone();
            let mut all = Changes::default();
            for product in [PLAN_UNLIMITED, DOMAIN, SSL] {
                let one = create(vec![item(product, Some(site_of(s)))]);
                match create_package(&stacked, &c(account), &one, at, &mut || ids.next()) {
                    Ok(done) => {
                        stacked.apply(&done.changes);
                        all.packages.extend(done.changes.packages);
                    }
                    Err(_) => break,
                }
            }
            Ok(all)
        }
    };
    result.ok()
}

type Snapshot = BTreeMap<InstanceId, (StatusName, Option<SiteId>, PackageId)>;

fn snapshot(w: &World) -> Snapshot {
    w.packages
        .values()
        .flat_map(|p| {
            p.instances()
                .iter()
                .map(move |i| (i.id(), (i.status().name(), i.site(), p.id())))
        })
        .collect()
}

fn check_invariants(w: &World, before: &Snapshot) -> Result<(), TestCaseError> {
    let mut seen = BTreeSet::new();
    let mut live_types: BTreeSet<(SiteId, String)> = BTreeSet::new();
    let mut references = BTreeSet::new();
    for p in w.packages.values() {
        prop_assert!((1..=1000).contains(&p.instances().len()), "package size");
        for i in p.instances() {
            prop_assert!(seen.insert(i.id()), "an instance lives in one package only");
            if let Some((old, _, old_pkg)) = before.get(&i.id()) {
                prop_assert_eq!(*old_pkg, p.id());
                let new = i.status().name();
                prop_assert!(new == *old || legal(*old, new), "{:?} -> {:?}", old, new);
            }
            if let (Some(s), true) = (i.site(), i.is_live()) {
                let ty = w.catalog[&i.catalog_product_id()]
                    .product_type
                    .as_str()
                    .to_owned();
                prop_assert!(
                    live_types.insert((s, ty)),
                    "one live instance per product type per site"
                );
                prop_assert_eq!(
                    w.sites[&s].owner,
                    p.account_id(),
                    "live instances sit on their owner's sites"
                );
            }
            if let Some(r) = i.reference() {
                prop_assert!(references.insert(r), "a reference serves once");
                prop_assert!(
                    w.package_of_instance(r)
                        .unwrap()
                        .instance(r)
                        .unwrap()
                        .used_as_reference()
                );
            }
        }
    }
    let all: Vec<&Package> = w.packages.values().collect();
    let orphans = reseller_domain::ops::dependents::violations(w, &all);
    prop_assert!(orphans.is_empty(), "dependent services: {:?}", orphans);
    for (product, p) in &w.catalog {
        if let Some(limit) = p.subscription_limit {
            for top in [MAIN, OTHER] {
                prop_assert!(
                    w.live_subscriptions(*product, top) <= limit,
                    "subscription limit"
                );
            }
        }
    }
    Ok(())
}
