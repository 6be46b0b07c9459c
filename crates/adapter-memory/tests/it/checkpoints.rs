//! The durable checkpoint store (`SqliteCheckpoints`): what a reopened file loads is
//! what the reference store (`MemoryCheckpoints`) holds after the same saves, feeds
//! are independent, a save is all or nothing, and unreadable rows or files are
//! reported, never skipped.

use std::num::NonZeroU32;
use std::path::PathBuf;

use adapter_memory::{MemoryWix, SqliteCheckpoints, StoreError};
use proptest::prelude::*;
use reseller_contract::fixture::{
    ASCEND, DOMAIN_VOUCHER, Fixture, MAIN, MAIN_SITE, SUB1, SUB1_SITE, item,
};
use reseller_domain::instance::InstanceParts;
use reseller_domain::ops::NewInstance;
use reseller_domain::package::{Instances, PackageParts};
use reseller_domain::{
    AccountId, Assignment, Billing, CatalogProductId, CountryCode, Cycle, CycleUnit, DiscountCode,
    ErrorCode, ExternalId, Failure, FailureCode, InstanceId, InstanceStatus, Package, PackageId,
    ProductInstance, SiteId, Timestamp,
};
use reseller_ports::{
    Checkpoint, CheckpointUpdate, Checkpoints, ErrorKind, FeedId, MemoryCheckpoints, PortError,
};
use uuid::Uuid;

/// A fresh directory under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "adapter-memory-checkpoints-{tag}-{}-{}",
            std::process::id(),
            Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
    fn db(&self) -> PathBuf {
        self.0.join("checkpoints.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn feed(name: &str) -> FeedId {
    FeedId::new(name).unwrap()
}

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis).unwrap()
}

fn update(watermark: i64, next_sequence: u64, seen: Vec<Package>) -> CheckpointUpdate {
    CheckpointUpdate {
        watermark: at(watermark),
        next_sequence,
        seen,
    }
}

/// Applies `saves` to a fresh SQLite store at `path` and to a memory store; answers
/// the memory store.
async fn save_both(
    path: &std::path::Path,
    saves: &[(FeedId, CheckpointUpdate)],
) -> MemoryCheckpoints {
    let sqlite = SqliteCheckpoints::open(path).unwrap();
    let memory = MemoryCheckpoints::new();
    for (f, u) in saves {
        sqlite.save(f, u).await.unwrap();
        memory.save(f, u).await.unwrap();
    }
    memory
}

fn assert_unavailable(e: &PortError, feed: &FeedId) {
    assert_eq!(e.kind(), ErrorKind::Unavailable, "{e}");
    assert_eq!(
        e.code(),
        &ErrorCode::Other {
            code: "UNAVAILABLE".to_owned(),
            status: 503
        }
    );
    assert_eq!(e.status(), Some(503));
    assert!(
        e.message().contains(&format!("`{feed}`")),
        "the message names the feed: {e}"
    );
}

/// Real packages from the in-memory Wix: assigned, floating, failed with a reason,
/// canceled, one-time billing, and a plan whose instance served as a voucher.
async fn real_packages() -> Vec<Package> {
    let wix = MemoryWix::new();
    let fx = Fixture::new(&wix).await;
    let (assigned, plan) = fx.plan(MAIN, Some(MAIN_SITE)).await;
    let (floating, _) = fx.plan(MAIN, None).await;
    let (_, failing) = fx.plan(SUB1, None).await;
    let (_, canceling) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    let ascend = fx.buy(SUB1, vec![item(ASCEND, None)]).await;
    let failed = fx
        .set_status(
            failing,
            InstanceStatus::Failed(Failure {
                code: FailureCode::ExternalFailure,
                message: "the card was declined".to_owned(),
            }),
        )
        .await;
    let canceled = fx.set_status(canceling, InstanceStatus::Canceled).await;
    let voucher = fx
        .buy(
            MAIN,
            vec![NewInstance {
                reference: Some(plan),
                ..item(DOMAIN_VOUCHER, Some(MAIN_SITE))
            }],
        )
        .await;
    let used = fx.get(MAIN, assigned.id()).await;
    assert!(
        used.instance(plan).unwrap().used_as_reference(),
        "the plan served as a voucher"
    );
    vec![assigned, floating, failed, canceled, ascend, voucher, used]
}

#[tokio::test]
async fn a_reopened_store_loads_what_the_memory_store_holds() {
    let dir = TempDir::new("round-trip");
    let packages = real_packages().await;
    let [assigned, floating, failed, canceled, ascend, voucher, used] =
        packages.try_into().unwrap();
    assert_eq!(assigned.id(), used.id());
    let f = feed("packages.main");
    let saves = vec![
        (
            f.clone(),
            update(
                1_700_000_000_000,
                4,
                vec![assigned, floating, failed, ascend],
            ),
        ),
        (
            f.clone(),
            update(1_700_000_360_123, 9, vec![used, canceled, voucher]),
        ),
    ];
    let memory = save_both(&dir.db(), &saves).await;
    let expected = memory.load(&f).await.unwrap();
    assert_eq!(expected.seen.len(), 6);
    assert_eq!(expected.next_sequence, 9);

    let reopened = SqliteCheckpoints::open(dir.db()).unwrap();
    let loaded = reopened.load(&f).await.unwrap();
    assert_eq!(loaded, expected);
    assert_eq!(
        reopened.load(&feed("never-saved")).await.unwrap(),
        Checkpoint::default()
    );
    assert!(format!("{reopened:?}").contains("checkpoints.db"));
    assert_eq!(reopened.path(), dir.db());
}

#[tokio::test]
async fn feeds_in_one_file_are_independent() {
    let dir = TempDir::new("feeds");
    let packages = real_packages().await;
    let (a, b) = (feed("a"), feed("b"));
    let saves = vec![
        (a.clone(), update(1_000, 1, packages[..2].to_vec())),
        (b.clone(), update(2_000, 7, packages[1..4].to_vec())),
        (a.clone(), update(3_000, 2, packages[6..].to_vec())),
    ];
    let memory = save_both(&dir.db(), &saves).await;
    let store = SqliteCheckpoints::open(dir.db()).unwrap();
    let (la, lb) = (store.load(&a).await.unwrap(), store.load(&b).await.unwrap());
    assert_eq!(la, memory.load(&a).await.unwrap());
    assert_eq!(lb, memory.load(&b).await.unwrap());
    assert_eq!((la.watermark, la.next_sequence), (Some(at(3_000)), 2));
    assert_eq!((lb.watermark, lb.next_sequence), (Some(at(2_000)), 7));
    // The package both feeds saw keeps each feed's own state.
    let shared = packages[1].id();
    assert_eq!(la.seen[&shared], packages[1]);
    assert_eq!(lb.seen[&shared], packages[1]);
    assert_eq!(la.seen.len(), 2);
    assert_eq!(lb.seen.len(), 3);
}

#[tokio::test]
async fn an_unreadable_row_fails_the_load_naming_the_feed() {
    let dir = TempDir::new("corrupt");
    let packages = real_packages().await;
    let f = feed("corrupted.feed");
    let store = SqliteCheckpoints::open(dir.db()).unwrap();
    store
        .save(&f, &update(5_000, 3, packages[..3].to_vec()))
        .await
        .unwrap();
    let victim = packages[1].id().to_string();
    let other_id = packages[2].id().to_string();
    let raw = rusqlite::Connection::open(dir.db()).unwrap();
    let good_doc: String = raw
        .query_row(
            "SELECT doc FROM checkpoint_package WHERE feed = ?1 AND package = ?2",
            [f.as_str(), victim.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    let corruptions = [
        ("doc", "{\"id\": \"not closed".to_owned()),
        ("doc", "{\"id\": 42}".to_owned()),
        ("doc", "{}".to_owned()),
        (
            "doc",
            raw.query_row(
                "SELECT doc FROM checkpoint_package WHERE feed = ?1 AND package = ?2",
                [f.as_str(), other_id.as_str()],
                |r| r.get::<_, String>(0),
            )
            .unwrap(),
        ),
        ("used_as_reference", "not-a-guid".to_owned()),
        ("used_as_reference", Uuid::new_v4().to_string()),
    ];
    for (column, value) in corruptions {
        raw.execute(
            &format!(
                "UPDATE checkpoint_package SET {column} = ?1 WHERE feed = ?2 AND package = ?3"
            ),
            [value.as_str(), f.as_str(), victim.as_str()],
        )
        .unwrap();
        let e = store.load(&f).await.unwrap_err();
        assert_unavailable(&e, &f);
        assert!(e.message().contains(&victim), "names the row: {e}");
        raw.execute(
            "UPDATE checkpoint_package SET doc = ?1, used_as_reference = ''
             WHERE feed = ?2 AND package = ?3",
            [good_doc.as_str(), f.as_str(), victim.as_str()],
        )
        .unwrap();
        assert_eq!(store.load(&f).await.unwrap().seen.len(), 3, "repaired");
    }
    raw.execute(
        "UPDATE checkpoint_feed SET watermark = ?1 WHERE id = ?2",
        rusqlite::params![i64::MAX, f.as_str()],
    )
    .unwrap();
    assert_unavailable(&store.load(&f).await.unwrap_err(), &f);
}

#[tokio::test]
async fn a_failed_save_saves_nothing_and_says_so() {
    let dir = TempDir::new("atomic");
    let packages = real_packages().await;
    let f = feed("atomic");
    let store = SqliteCheckpoints::open(dir.db()).unwrap();
    store
        .save(&f, &update(1_000, 1, packages[..1].to_vec()))
        .await
        .unwrap();
    let before = store.load(&f).await.unwrap();
    let raw = rusqlite::Connection::open(dir.db()).unwrap();
    // Package rows can no longer be written: the feed row written first in the same
    // transaction must be rolled back.
    raw.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON checkpoint_package
         BEGIN SELECT RAISE(ABORT, 'disk says no'); END;",
    )
    .unwrap();
    let e = store
        .save(&f, &update(2_000, 5, packages[1..3].to_vec()))
        .await
        .unwrap_err();
    assert_unavailable(&e, &f);
    assert!(e.message().contains("disk says no"), "{e}");
    assert_eq!(store.load(&f).await.unwrap(), before, "nothing was saved");
    raw.execute_batch("DROP TRIGGER refuse;").unwrap();
    store
        .save(&f, &update(2_000, 5, packages[1..3].to_vec()))
        .await
        .unwrap();
    assert_eq!(store.load(&f).await.unwrap().seen.len(), 3);
}

#[test]
fn a_file_that_is_not_a_database_does_not_open() {
    let dir = TempDir::new("not-a-db");
    std::fs::write(dir.db(), "this is a text file, not a database\n".repeat(64)).unwrap();
    let e = SqliteCheckpoints::open(dir.db()).unwrap_err();
    assert!(matches!(e, StoreError::Sqlite(_)), "{e:?}");
}

#[test]
fn it_works_without_a_tokio_runtime() {
    use std::future::Future;
    use std::task::{Context, Poll, Waker};
    fn now<T>(fut: impl Future<Output = T>) -> T {
        let mut fut = std::pin::pin!(fut);
        match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("the call waited outside a runtime"),
        }
    }
    let dir = TempDir::new("no-runtime");
    let store = SqliteCheckpoints::open(dir.db()).unwrap();
    let f = feed("inline");
    now(store.save(&f, &update(9_000, 2, Vec::new()))).unwrap();
    let loaded = now(store.load(&f)).unwrap();
    assert_eq!(
        (loaded.watermark, loaded.next_sequence),
        (Some(at(9_000)), 2)
    );
}

// ----- model test -----

fn uuid(kind: u128, n: u128) -> Uuid {
    Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0000 | (kind << 64) | n)
}

/// One generated instance: (status, failure message, site, billing, country,
/// discount, reference, used as reference, created, updated - created, expiration).
type InstanceSeed = (
    u8,
    String,
    Option<u8>,
    u8,
    bool,
    Option<String>,
    Option<u8>,
    bool,
    i64,
    i64,
    Option<i64>,
);

fn instance_seed() -> impl Strategy<Value = InstanceSeed> {
    (
        0u8..7,
        "[a-z ]{0,12}",
        proptest::option::of(0u8..4),
        0u8..5,
        any::<bool>(),
        proptest::option::of("[A-Z0-9]{1,10}"),
        proptest::option::of(0u8..16),
        any::<bool>(),
        1_600_000_000_000i64..1_800_000_000_000,
        0i64..10_000_000,
        proptest::option::of(1_600_000_000_000i64..1_900_000_000_000),
    )
}

fn build_instance(package: u8, k: usize, s: InstanceSeed) -> ProductInstance {
    let (status, message, site, billing, country, discount, reference, used, created, dt, exp) = s;
    let failure = |code| {
        InstanceStatus::Failed(Failure {
            code,
            message: message.clone(),
        })
    };
    ProductInstance::from_parts(InstanceParts {
        id: InstanceId::from_uuid(uuid(1, u128::from(package) * 16 + k as u128)),
        catalog_product_id: CatalogProductId::from_uuid(uuid(2, u128::from(status % 3))),
        assignment: site.map_or(Assignment::Floating, |s| {
            Assignment::Site(SiteId::from_uuid(uuid(3, u128::from(s))))
        }),
        status: match status {
            0 => InstanceStatus::Pending,
            1 => InstanceStatus::AwaitingAction,
            2 => InstanceStatus::Enabled,
            3 => failure(FailureCode::Unknown),
            4 => failure(FailureCode::DeliveryTimeout),
            5 => failure(FailureCode::ExternalFailure),
            _ => InstanceStatus::Canceled,
        },
        billing: match billing {
            0 => None,
            1 => Some(Billing::OneTime),
            2 => Some(Billing::monthly()),
            3 => Some(Billing::yearly()),
            _ => Some(Billing::Recurring(Cycle::new(
                CycleUnit::Month,
                NonZeroU32::new(3).unwrap(),
            ))),
        },
        country_code: country.then(|| CountryCode::new("BR").unwrap()),
        discount_code: discount.map(|d| DiscountCode::new(d).unwrap()),
        reference: reference.map(|r| InstanceId::from_uuid(uuid(1, u128::from(r)))),
        used_as_reference: used,
        created: at(created),
        updated: at(created + dt),
        expiration: exp.map(at),
    })
}

fn package_seed() -> impl Strategy<Value = Package> {
    (
        0u8..5,
        0u8..3,
        any::<bool>(),
        proptest::option::of("[a-z0-9-]{1,16}"),
        proptest::collection::vec(instance_seed(), 1..4),
        1_600_000_000_000i64..1_800_000_000_000,
        0i64..10_000_000,
    )
        .prop_map(|(id, account, parent, external, instances, created, dt)| {
            let account_id = AccountId::from_uuid(uuid(4, u128::from(account)));
            Package::from_parts(PackageParts {
                id: PackageId::from_uuid(uuid(5, u128::from(id))),
                account_id,
                parent_account_id: parent.then_some(account_id),
                external_id: external.map(|e| ExternalId::new(e).unwrap()),
                instances: Instances::new(
                    instances
                        .into_iter()
                        .enumerate()
                        .map(|(k, s)| build_instance(id, k, s))
                        .collect(),
                )
                .unwrap(),
                created: at(created),
                updated: at(created + dt),
            })
        })
}

fn save_seed() -> impl Strategy<Value = (u8, CheckpointUpdate)> {
    (
        0u8..3,
        -1_000_000_000_000i64..4_000_000_000_000,
        any::<u64>(),
        proptest::collection::vec(package_seed(), 0..5),
    )
        .prop_map(|(f, watermark, next_sequence, seen)| (f, update(watermark, next_sequence, seen)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn sqlite_loads_what_memory_loads(saves in proptest::collection::vec(save_seed(), 1..8)) {
        let feeds = [feed("f0"), feed("f1"), feed("f2")];
        let saves: Vec<(FeedId, CheckpointUpdate)> = saves
            .into_iter()
            .map(|(f, u)| (feeds[usize::from(f)].clone(), u))
            .collect();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let dir = TempDir::new("model");
            let memory = save_both(&dir.db(), &saves).await;
            let reopened = SqliteCheckpoints::open(dir.db()).unwrap();
            for f in &feeds {
                assert_eq!(reopened.load(f).await.unwrap(), memory.load(f).await.unwrap(), "feed {f}");
            }
        });
    }
}
