//! The change feed against the in-memory Wix: every kind of event, ties on the
//! watermark, redelivery without a commit, restarts from a durable checkpoint, and
//! a property test that the events replayed on the starting state give the final
//! state, whatever the operations, the polls, the crashes and the restarts.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use adapter_memory::{MemoryWix, SqliteCheckpoints};
use proptest::prelude::*;
use reseller_app::feed::{ChangeFeed, ChangeKind, FeedError, FeedOptions, FeedView};
use reseller_contract::fixture::{
    Fixture, MAILBOX, MAIN, MAIN_SITE, MAIN_SPARE, PLAN_UNLIMITED, SUB1, SUB1_SITE, billed, create,
    item, on, quarterly,
};
use reseller_domain::ops::{Adjust, BillingRequest};
use reseller_domain::{
    Billing, ExternalId, Failure, FailureCode, InstanceId, InstanceStatus, Package, Timestamp,
};
use reseller_ports::{
    Checkpoints, FeedId, ManualClock, MemoryCheckpoints, MockCheckpoints, ResellerPackages,
    SequentialIds, Wix,
};

fn clocked() -> (MemoryWix, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(
        Timestamp::from_unix_millis(1_700_000_000_000).unwrap(),
    ));
    let wix = MemoryWix::builder()
        .clock(clock.clone())
        .ids(Arc::new(SequentialIds::new(7)))
        .build();
    (wix, clock)
}

fn feed_id() -> FeedId {
    FeedId::new("test-feed").unwrap()
}

fn options() -> FeedOptions {
    FeedOptions {
        call: on(MAIN),
        ..FeedOptions::default()
    }
}

type Feed<C> = ChangeFeed<Arc<dyn Wix>, C>;

async fn open<C: Checkpoints>(fx: &Fixture<'_>, store: C, options: FeedOptions) -> Feed<C> {
    ChangeFeed::open(fx.main.clone(), store, feed_id(), options)
        .await
        .unwrap()
}

/// Polls and commits; answers the event kinds.
async fn step<C: Checkpoints>(feed: &mut Feed<C>) -> Vec<ChangeKind> {
    let poll = feed.poll().await.unwrap();
    feed.commit(&poll).await.unwrap();
    poll.events().iter().map(|e| e.kind.clone()).collect()
}

async fn everything(fx: &Fixture<'_>) -> Vec<Package> {
    fx.all_packages(fx.main.as_ref(), MAIN).await
}

#[tokio::test]
async fn every_change_becomes_its_typed_event() {
    let (wix, clock) = clocked();
    let fx = Fixture::new(&wix).await;
    let mut feed = open(&fx, MemoryCheckpoints::new(), options()).await;
    assert!(step(&mut feed).await.is_empty(), "nothing to see yet");

    let (plan, plan_id) = fx.plan(MAIN, Some(MAIN_SITE)).await;
    let mail = fx.buy(MAIN, vec![billed(MAILBOX, None, quarterly())]).await;
    let mail_id = mail.instances()[0].id();
    let kinds = step(&mut feed).await;
    assert_eq!(kinds.len(), 2);
    assert!(
        kinds
            .iter()
            .all(|k| matches!(k, ChangeKind::PackageCreated { .. }))
    );

    clock.advance_millis(10);
    fx.set_status(plan_id, InstanceStatus::Enabled).await;
    assert_eq!(
        step(&mut feed).await,
        vec![ChangeKind::InstanceEnabled { instance: plan_id }]
    );

    clock.advance_millis(10);
    fx.set_status(mail_id, InstanceStatus::AwaitingAction).await;
    assert_eq!(
        step(&mut feed).await,
        vec![ChangeKind::InstanceAwaitingAction { instance: mail_id }]
    );

    clock.advance_millis(10);
    let failure = Failure {
        code: FailureCode::ExternalFailure,
        message: "the mail provider refused".to_owned(),
    };
    fx.set_status(mail_id, InstanceStatus::Failed(failure.clone()))
        .await;
    assert_eq!(
        step(&mut feed).await,
        vec![ChangeKind::InstanceFailed {
            instance: mail_id,
            failure
        }]
    );

    clock.advance_millis(10);
    fx.main
        .assign_instance(&on(MAIN), plan_id, MAIN_SPARE)
        .await
        .unwrap();
    assert_eq!(
        step(&mut feed).await,
        vec![ChangeKind::InstanceAssigned {
            instance: plan_id,
            site: MAIN_SPARE,
            from: Some(MAIN_SITE)
        }]
    );

    clock.advance_millis(10);
    fx.main.unassign_instance(&on(MAIN), plan_id).await.unwrap();
    assert_eq!(
        step(&mut feed).await,
        vec![ChangeKind::InstanceUnassigned {
            instance: plan_id,
            from: MAIN_SPARE
        }]
    );

    clock.advance_millis(10);
    let adjust = Adjust {
        catalog_product_id: None,
        billing: Some(BillingRequest::of(Billing::monthly())),
        discount_code: None,
    };
    fx.main
        .adjust_instance(&on(MAIN), plan_id, &adjust)
        .await
        .unwrap();
    let kinds = step(&mut feed).await;
    assert!(
        matches!(&kinds[..], [ChangeKind::InstanceAdjusted { instance, billing: Some(b), .. }]
            if *instance == plan_id && *b == Billing::monthly()),
        "{kinds:?}"
    );

    clock.advance_millis(10);
    let ext = ExternalId::new("order-4711").unwrap();
    fx.main
        .update_external_id(&on(MAIN), plan.id(), &ext)
        .await
        .unwrap();
    assert_eq!(
        step(&mut feed).await,
        vec![ChangeKind::ExternalIdChanged {
            from: None,
            to: Some(ext)
        }]
    );

    clock.advance_millis(10);
    fx.main.cancel_package(&on(MAIN), plan.id()).await.unwrap();
    assert_eq!(
        step(&mut feed).await,
        vec![
            ChangeKind::InstanceCanceled { instance: plan_id },
            ChangeKind::PackageCanceled
        ]
    );
    assert!(step(&mut feed).await.is_empty(), "nothing repeated");
    assert_eq!(feed.view(), FeedView::of(&everything(&fx).await));
}

#[tokio::test]
async fn ties_on_the_watermark_are_neither_skipped_nor_repeated() {
    // The clock never moves: every package has the same updatedDate.
    let (wix, _clock) = clocked();
    let fx = Fixture::new(&wix).await;
    let mut opts = options();
    opts.page_size = 2;
    opts.max_packages_per_poll = 1;
    opts.lookback = Duration::ZERO;
    let mut feed = open(&fx, MemoryCheckpoints::new(), opts).await;
    let mut instances = Vec::new();
    for _ in 0..7 {
        instances.push(fx.plan(SUB1, None).await.1);
    }
    // The first poll may stop after a page (it has no watermark yet); the second
    // starts at the tie and cannot stop before it has read all of it.
    let mut kinds = step(&mut feed).await;
    kinds.extend(step(&mut feed).await);
    assert_eq!(kinds.len(), 7, "every package of the tie group, once");
    assert!(step(&mut feed).await.is_empty());
    // Changes at the same instant are found although they tie with the watermark.
    for i in &instances[..3] {
        fx.set_status(*i, InstanceStatus::Enabled).await;
    }
    let kinds = step(&mut feed).await;
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(step(&mut feed).await.is_empty());
}

#[tokio::test]
async fn a_poll_stops_early_only_past_its_watermark_and_the_rest_comes_next() {
    let (wix, clock) = clocked();
    let fx = Fixture::new(&wix).await;
    let mut opts = options();
    opts.page_size = 2;
    opts.max_packages_per_poll = 3;
    opts.lookback = Duration::from_millis(5);
    let mut feed = open(&fx, MemoryCheckpoints::new(), opts).await;
    for _ in 0..10 {
        clock.advance_millis(100);
        fx.plan(SUB1, None).await;
    }
    let mut total = 0;
    let mut polls = 0;
    loop {
        let poll = feed.poll().await.unwrap();
        feed.commit(&poll).await.unwrap();
        polls += 1;
        assert!(poll.packages_read() <= 4, "stops at a page boundary");
        if !poll.has_more() {
            total += poll.events().len();
            break;
        }
        total += poll.events().len();
    }
    assert_eq!(total, 10);
    assert!(polls >= 3, "read in several polls: {polls}");
}

#[tokio::test]
async fn without_a_commit_the_same_events_come_again_with_the_same_ids() {
    let (wix, clock) = clocked();
    let fx = Fixture::new(&wix).await;
    let store = Arc::new(MemoryCheckpoints::new());
    let mut feed = open(&fx, store.clone(), options()).await;
    let (_, plan) = fx.plan(MAIN, Some(MAIN_SITE)).await;
    step(&mut feed).await;
    clock.advance_millis(1_000);
    fx.set_status(plan, InstanceStatus::Enabled).await;
    let first = feed.poll().await.unwrap();
    let again = feed.poll().await.unwrap();
    assert_eq!(first.events(), again.events());
    assert_eq!(first.events().len(), 1);
    // A restart before the commit delivers them again too.
    drop(feed);
    let mut restarted = open(&fx, store.clone(), options()).await;
    let third = restarted.poll().await.unwrap();
    assert_eq!(first.events(), third.events());
    restarted.commit(&third).await.unwrap();
    assert!(restarted.poll().await.unwrap().events().is_empty());
    // A poll computed before that commit cannot be committed any more.
    let stale = restarted.poll().await.unwrap();
    clock.advance_millis(1_000);
    fx.plan(MAIN, None).await;
    let fresh = restarted.poll().await.unwrap();
    restarted.commit(&fresh).await.unwrap();
    assert_eq!(restarted.commit(&stale).await, Err(FeedError::StalePoll));
}

#[tokio::test]
async fn a_failed_save_loses_nothing() {
    let (wix, _clock) = clocked();
    let fx = Fixture::new(&wix).await;
    fx.plan(MAIN, None).await;
    let mut store = MockCheckpoints::new();
    store
        .expect_load()
        .times(1)
        .returning(|_| Ok(Default::default()));
    store.expect_save().times(1).returning(|_, _| {
        Err(reseller_ports::PortError::transport(
            reseller_ports::ErrorKind::Unavailable,
            "disk full",
        ))
    });
    let mut feed = open(&fx, store, options()).await;
    let poll = feed.poll().await.unwrap();
    assert_eq!(poll.events().len(), 1);
    assert!(matches!(feed.commit(&poll).await, Err(FeedError::Store(_))));
    let again = feed.poll().await.unwrap();
    assert_eq!(poll.events(), again.events());
    assert_eq!(feed.checkpoint().watermark, None);
}

#[tokio::test]
async fn a_durable_checkpoint_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("reseller-app-feed-{}", std::process::id()));
    let path = dir.join("checkpoints.db");
    let (wix, clock) = clocked();
    let fx = Fixture::new(&wix).await;
    let (_, plan) = fx.plan(MAIN, Some(MAIN_SITE)).await;
    {
        let mut feed = open(&fx, SqliteCheckpoints::open(&path).unwrap(), options()).await;
        assert_eq!(step(&mut feed).await.len(), 1);
    }
    clock.advance_millis(1_000);
    fx.set_status(plan, InstanceStatus::Enabled).await;
    let mut feed = open(&fx, SqliteCheckpoints::open(&path).unwrap(), options()).await;
    assert_eq!(
        step(&mut feed).await,
        vec![ChangeKind::InstanceEnabled { instance: plan }]
    );
    assert_eq!(feed.view(), FeedView::of(&everything(&fx).await));
    drop(feed);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// One step of the property test.
#[derive(Debug, Clone)]
enum Op {
    Create {
        on_site: bool,
        sub: bool,
        mailbox: bool,
    },
    Status {
        which: usize,
        to: u8,
    },
    CancelInstance {
        which: usize,
    },
    CancelPackage {
        which: usize,
    },
    Assign {
        which: usize,
        spare: bool,
    },
    Unassign {
        which: usize,
    },
    Adjust {
        which: usize,
        monthly: bool,
    },
    ExternalId {
        which: usize,
        text: u8,
    },
    Tick {
        millis: u8,
    },
    PollCommit,
    PollCrash,
    Restart {
        lookback: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(on_site, sub, mailbox)| Op::Create { on_site, sub, mailbox }),
        3 => (any::<usize>(), 0u8..4).prop_map(|(which, to)| Op::Status { which, to }),
        1 => any::<usize>().prop_map(|which| Op::CancelInstance { which }),
        1 => any::<usize>().prop_map(|which| Op::CancelPackage { which }),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(which, spare)| Op::Assign { which, spare }),
        1 => any::<usize>().prop_map(|which| Op::Unassign { which }),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(which, monthly)| Op::Adjust { which, monthly }),
        1 => (any::<usize>(), 0u8..3).prop_map(|(which, text)| Op::ExternalId { which, text }),
        3 => (0u8..3).prop_map(|millis| Op::Tick { millis }),
        3 => Just(Op::PollCommit),
        1 => Just(Op::PollCrash),
        1 => any::<bool>().prop_map(|lookback| Op::Restart { lookback }),
    ]
}

/// A consumer that deduplicates by event id and applies what is new.
#[derive(Default)]
struct Consumer {
    seen: HashSet<reseller_app::EventId>,
    view: FeedView,
}

impl Consumer {
    fn take(&mut self, poll: &reseller_app::Poll) {
        for e in poll.events() {
            if self.seen.insert(e.id) {
                self.view.apply(e);
            }
        }
    }
}

async fn run(ops: Vec<Op>) {
    let (wix, clock) = clocked();
    let fx = Fixture::new(&wix).await;
    // A package from before the feed starts.
    fx.plan(MAIN, None).await;
    let store = Arc::new(MemoryCheckpoints::new());
    let small = |lookback: bool| FeedOptions {
        call: on(MAIN),
        page_size: 2,
        max_packages_per_poll: 3,
        lookback: if lookback {
            Duration::from_millis(2)
        } else {
            Duration::ZERO
        },
    };
    let mut feed = open(&fx, store.clone(), small(false)).await;
    let mut consumer = Consumer::default();
    let mut instances: Vec<InstanceId> = Vec::new();
    let mut packages = Vec::new();
    let pick = |v: &Vec<InstanceId>, i: usize| (!v.is_empty()).then(|| v[i % v.len()]);
    for op in ops {
        match op {
            Op::Create {
                on_site,
                sub,
                mailbox,
            } => {
                let (account, site) = if sub {
                    (SUB1, SUB1_SITE)
                } else {
                    (MAIN, MAIN_SITE)
                };
                let site = on_site.then_some(site);
                let it = if mailbox {
                    billed(MAILBOX, site, quarterly())
                } else {
                    item(PLAN_UNLIMITED, site)
                };
                if let Ok(p) = fx
                    .main
                    .create_package(&on(account), &create(vec![it]))
                    .await
                {
                    instances.extend(p.instances().iter().map(|i| i.id()));
                    packages.push((account, p.id()));
                }
            }
            Op::Status { which, to } => {
                if let Some(i) = pick(&instances, which) {
                    let status = match to {
                        0 => InstanceStatus::Enabled,
                        1 => InstanceStatus::AwaitingAction,
                        2 => InstanceStatus::Failed(Failure {
                            code: FailureCode::DeliveryTimeout,
                            message: "timed out".to_owned(),
                        }),
                        _ => InstanceStatus::Canceled,
                    };
                    let _ = fx.seed.set_instance_status(i, status).await;
                }
            }
            Op::CancelInstance { which } => {
                if let Some(i) = pick(&instances, which) {
                    let _ = fx.main.cancel_instance(&on(MAIN), i).await;
                }
            }
            Op::CancelPackage { which } => {
                if !packages.is_empty() {
                    let (account, id) = packages[which % packages.len()];
                    let _ = fx.main.cancel_package(&on(account), id).await;
                }
            }
            Op::Assign { which, spare } => {
                if let Some(i) = pick(&instances, which) {
                    let site = if spare { MAIN_SPARE } else { MAIN_SITE };
                    let _ = fx.main.assign_instance(&on(MAIN), i, site).await;
                }
            }
            Op::Unassign { which } => {
                if let Some(i) = pick(&instances, which) {
                    let _ = fx.main.unassign_instance(&on(MAIN), i).await;
                }
            }
            Op::Adjust { which, monthly } => {
                if let Some(i) = pick(&instances, which) {
                    let billing = if monthly {
                        Billing::monthly()
                    } else {
                        Billing::yearly()
                    };
                    let adjust = Adjust {
                        catalog_product_id: None,
                        billing: Some(BillingRequest::of(billing)),
                        discount_code: None,
                    };
                    let _ = fx.main.adjust_instance(&on(MAIN), i, &adjust).await;
                }
            }
            Op::ExternalId { which, text } => {
                if !packages.is_empty() {
                    let (account, id) = packages[which % packages.len()];
                    let ext = ExternalId::new(format!("ext-{text}")).unwrap();
                    let _ = fx.main.update_external_id(&on(account), id, &ext).await;
                }
            }
            Op::Tick { millis } => {
                clock.advance_millis(i64::from(millis));
            }
            Op::PollCommit => {
                let poll = feed.poll().await.unwrap();
                consumer.take(&poll);
                feed.commit(&poll).await.unwrap();
            }
            Op::PollCrash => {
                // Delivered, handled by the consumer, never committed.
                let poll = feed.poll().await.unwrap();
                consumer.take(&poll);
            }
            Op::Restart { lookback } => {
                // The process dies: the feed forgets the polls it handed out and
                // never committed, and so does a consumer whose state is committed
                // with the checkpoint (docs/feed.md). Within a process, a consumer
                // that acted on uncommitted polls is covered (PollCrash).
                feed = open(&fx, store.clone(), small(lookback)).await;
                consumer = Consumer {
                    seen: HashSet::new(),
                    view: feed.view(),
                };
            }
        }
    }
    // Catch up: poll until a poll has nothing more to read.
    for _ in 0..1_000 {
        let poll = feed.poll().await.unwrap();
        consumer.take(&poll);
        feed.commit(&poll).await.unwrap();
        if !poll.has_more() {
            break;
        }
    }
    let truth = FeedView::of(&everything(&fx).await);
    assert_eq!(consumer.view, truth, "the consumer's replay");
    assert_eq!(feed.view(), truth, "the committed checkpoint");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn replaying_the_events_on_the_start_gives_the_final_state(
        ops in proptest::collection::vec(op(), 1..60)
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(run(ops));
    }
}
