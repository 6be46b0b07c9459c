//! A durable store whose commits fail (a full disk, made without root by capping
//! the database's size): every later call, replays of keyed writes included, is
//! refused with 503; the failed write leaves no trace any call can see; and after
//! a restart every write answered 2xx is there and none answered otherwise is.

use crate::common::*;
use crate::temp_dir::TempDir;
use adapter_memory::{Credentials, MemoryWix};
use reseller_domain::{IdempotencyKey, PackageId};
use reseller_ports::{ApiKey, ErrorKind};

/// Seeds the store (no size limit) and answers the key of the main account.
async fn seeded(dir: &TempDir) -> ApiKey {
    let wix = MemoryWix::builder().open(dir.db()).unwrap();
    for a in accounts() {
        wix.add_account(a).await.unwrap();
    }
    for p in catalog() {
        wix.add_product(p).await.unwrap();
    }
    wix.add_api_key(MAIN, None, Some("full-disk-key"))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_full_disk_refuses_every_later_call_and_loses_no_answered_write() {
    let dir = TempDir::new("full-disk");
    let key = seeded(&dir).await;
    let cred = Credentials {
        key: &key,
        account: SUB1,
    };
    // Room for a few packages more than the seed, then the disk is "full".
    let size = std::fs::metadata(dir.db()).unwrap().len();
    let wix = MemoryWix::builder()
        .store_size_limit(size + 48 * 1024)
        .open(dir.db())
        .unwrap();
    let mut answered: Vec<(IdempotencyKey, PackageId)> = Vec::new();
    let mut failed_key = None;
    for n in 0..2000 {
        let k = IdempotencyKey::new(format!("fill-{n}")).unwrap();
        let products = (0..20).map(|_| item(PLAN_VIP, None)).collect();
        match wix.create_package(cred, Some(&k), &create(products)).await {
            Ok(p) => answered.push((k, p.id())),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Unavailable, "{e}");
                assert_eq!(e.status(), Some(503));
                failed_key = Some(k);
                break;
            }
        }
    }
    let failed_key = failed_key.expect("the store never filled up");
    assert!(
        !answered.is_empty(),
        "no write fitted before the disk filled"
    );

    // The failed write cannot be replayed, nor an answered one, nor read.
    let again = create((0..20).map(|_| item(PLAN_VIP, None)).collect());
    let replay = wix
        .create_package(cred, Some(&failed_key), &again)
        .await
        .unwrap_err();
    assert_eq!(replay.status(), Some(503), "{replay}");
    let (k, id) = answered.last().unwrap();
    let replay = wix.create_package(cred, Some(k), &again).await.unwrap_err();
    assert_eq!(replay.status(), Some(503), "{replay}");
    let read = wix.client(key.clone(), SUB1);
    let got =
        reseller_ports::ResellerPackages::get_package(&read, &reseller_ports::Call::new(), *id)
            .await
            .unwrap_err();
    assert_eq!(got.status(), Some(503), "{got}");
    assert_eq!(wix.flush().await.unwrap_err().status(), Some(503));
    let grown = wix.add_account(reseller_domain::world::Account {
        id: account(99),
        parent: None,
        name: "late".into(),
        strategic_partner: false,
    });
    assert_eq!(grown.await.unwrap_err().status(), Some(503));
    drop(wix);

    // After a restart: every answered write, nothing else.
    let wix = MemoryWix::builder().open(dir.db()).unwrap();
    assert!(wix.invariant_violations().is_empty());
    assert_eq!(wix.package_count(), answered.len());
    for (k, id) in &answered {
        assert!(wix.package(*id).is_some(), "answered package {id} is lost");
        // The same key and body: the remembered answer, nothing new.
        let replay = wix.create_package(cred, Some(k), &again).await.unwrap();
        assert_eq!(replay.id(), *id);
    }
    assert_eq!(wix.package_count(), answered.len());
    // The key whose write failed was never remembered: it applies now.
    let applied = wix
        .create_package(cred, Some(&failed_key), &again)
        .await
        .unwrap();
    assert_eq!(wix.package_count(), answered.len() + 1);
    assert!(wix.package(applied.id()).is_some());
}

#[tokio::test]
async fn a_replay_after_a_restart_answers_the_durable_write() {
    let dir = TempDir::new("replay");
    let key = seeded(&dir).await;
    let cred = Credentials {
        key: &key,
        account: SUB1,
    };
    let k = IdempotencyKey::new("order-7").unwrap();
    let request = create(vec![item(PLAN_VIP, None)]);
    let (first, second) = {
        let wix = MemoryWix::builder().open(dir.db()).unwrap();
        let (a, b) = tokio::join!(
            wix.create_package(cred, Some(&k), &request),
            wix.create_package(cred, Some(&k), &request)
        );
        (a.unwrap(), b.unwrap())
    };
    assert_eq!(first.id(), second.id());
    let wix = MemoryWix::builder().open(dir.db()).unwrap();
    assert_eq!(wix.package_count(), 1);
    let third = wix.create_package(cred, Some(&k), &request).await.unwrap();
    assert_eq!(third.id(), first.id());
}

/// A replay is answered only once the write it replays is durable: while another
/// connection holds the database's write lock, the first call's commit waits, and
/// so does a second call with the same key (it would otherwise answer from memory
/// a write a crash could still lose).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replay_waits_until_the_write_it_replays_is_durable() {
    let dir = TempDir::new("replay-waits");
    let key = seeded(&dir).await;
    let wix = MemoryWix::builder().open(dir.db()).unwrap();
    // No provisioning on the replay's call: it would write (and wait) for itself.
    wix.set_provisioning(reseller_ports::Provisioning::Manual)
        .await
        .unwrap();
    let blocker = rusqlite::Connection::open(dir.db()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let call = |wix: MemoryWix, key: ApiKey| {
        tokio::spawn(async move {
            let k = IdempotencyKey::new("order-9").unwrap();
            let cred = Credentials {
                key: &key,
                account: SUB1,
            };
            wix.create_package(cred, Some(&k), &create(vec![item(PLAN_VIP, None)]))
                .await
                .map(|p| p.id())
        })
    };
    let first = call(wix.clone(), key.clone());
    // The first call has applied its write in memory and waits for its commit.
    while wix.package_count() == 0 {
        tokio::task::yield_now().await;
    }
    let replay = call(wix.clone(), key.clone());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !first.is_finished(),
        "the first call answered before its commit"
    );
    assert!(
        !replay.is_finished(),
        "the replay answered before the write was durable"
    );
    blocker.execute_batch("COMMIT").unwrap();
    let (first, replay) = (
        first.await.unwrap().unwrap(),
        replay.await.unwrap().unwrap(),
    );
    assert_eq!(first, replay);
}
